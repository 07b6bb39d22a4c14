#include "tlog/transparency.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/merkle.h"
#include "ledger/sha256.h"
#include "tlog/tree.h"

namespace jifen::tlog {
namespace {

constexpr uint64_t kTileWidth = 256;

Result<SignerKey> ReadKeyFile(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line))
    return Status::IOError("key " + path + ": cannot read: " + std::strerror(errno));
  auto key = ParseSignerKey(line);
  if (!key.ok()) return Status::Corruption("key " + path + ": " + key.status().message());
  return key;
}

// Writes the key to a temporary file and links it to `path`, which fails if another process made
// it first; either way the key in `path` is then the one.
Status WriteKeyFile(const std::string& path, const SignerKey& key) {
  std::string temporary = path + ".new." + std::to_string(getpid());
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("key " + path + ": cannot create: " + std::strerror(errno));
  std::string text = FormatSignerKey(key) + "\n";
  bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 fsync(fd) == 0;
  close(fd);
  int linked = written ? link(temporary.c_str(), path.c_str()) : -1;
  int link_errno = errno;
  unlink(temporary.c_str());
  if (!written) return Status::IOError("key " + path + ": cannot write");
  if (linked != 0 && link_errno != EEXIST)
    return Status::IOError("key " + path + ": " + std::strerror(link_errno));
  return Status::Ok();
}

std::string DefaultOrigin(const PublicKey& public_key) {
  ledger::Hash h = ledger::Sha256Of(
      std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()));
  return "jifen-ledger/" + ledger::HashToHex(h).substr(0, 16);
}

}  // namespace

Result<SignerKey> LogKey(const std::string& ledger_dir, const std::optional<std::string>& origin,
                         bool create) {
  const std::string path = (std::filesystem::path(ledger_dir) / kLogKeyFile).string();
  if (!std::filesystem::exists(path)) {
    if (!create) {
      return Status::InvalidInput("ledger " + ledger_dir +
                                  ": no log key yet (`jifen key` makes one)");
    }
    if (!std::filesystem::is_directory(ledger_dir))
      return Status::InvalidInput("ledger " + ledger_dir + ": not found");
    auto key = GenerateSignerKey(origin.value_or("jifen-ledger"), kEd25519Type);
    if (!key.ok()) return key.status();
    if (!origin) {
      key->name = DefaultOrigin(key->public_key);
      key->key_id = KeyId(key->name, key->type, key->public_key);
    }
    if (Status s = WriteKeyFile(path, *key); !s.ok()) return s;
  }
  auto key = ReadKeyFile(path);
  if (key.ok() && origin && key->name != *origin) {
    return Status::InvalidInput("ledger " + ledger_dir + ": its origin is " + key->name +
                                ", not " + *origin + " (an origin never changes)");
  }
  return key;
}

Result<std::string> CheckpointAt(const ledger::Reader& reader, const SignerKey& key,
                                 uint64_t size) {
  auto root = TreeRoot(reader, size);
  if (!root.ok()) return root.status();
  Note note;
  note.text = CheckpointText(Checkpoint{key.name, size, *root, {}});
  note.signatures.push_back(SignNoteText(key, note.text));
  return FormatNote(note);
}

Result<std::string> ProofForRecord(const ledger::Reader& reader, const SignerKey& key,
                                   uint64_t sequence,
                                   const std::optional<std::string>& checkpoint) {
  std::string note;
  if (checkpoint) {
    auto opened = OpenCheckpoint(*checkpoint, VerifierOf(key));
    if (!opened.ok()) return opened.status();
    auto root = TreeRoot(reader, opened->checkpoint.size);
    if (!root.ok()) return root.status();
    if (*root != opened->checkpoint.root) {
      return Status::Corruption("checkpoint at size " + std::to_string(opened->checkpoint.size) +
                                ": its root is not this ledger's tree at that size");
    }
    note = *checkpoint;
  } else {
    auto latest = CheckpointAt(reader, key, reader.HeadSequence());
    if (!latest.ok()) return latest.status();
    note = std::move(*latest);
  }
  auto parsed = ParseCheckpointText(ParseNote(note)->text);
  if (sequence == 0 || sequence > parsed->size) {
    return Status::InvalidInput("record " + std::to_string(sequence) +
                                ": not in the checkpoint's tree of " +
                                std::to_string(parsed->size) + " records");
  }
  auto record = reader.Get(sequence);
  if (!record.ok()) return record.status();
  auto proof = InclusionProof(reader, sequence - 1, parsed->size);
  if (!proof.ok()) return proof.status();
  InclusionProofFile file;
  std::string scratch;
  file.extra = std::string(ledger::LeafData(*record, {}, &scratch));
  file.index = sequence - 1;
  file.proof = std::move(*proof);
  file.checkpoint = std::move(note);
  return FormatInclusionProof(file);
}

Result<std::string> ConsistencyProofText(const ledger::Reader& reader, const SignerKey& key,
                                         uint64_t old_size, uint64_t size) {
  auto proof = ConsistencyProof(reader, old_size, size);
  if (!proof.ok()) return proof.status();
  auto note = CheckpointAt(reader, key, size);
  if (!note.ok()) return note.status();
  return FormatConsistencyProof(ConsistencyProofFile{old_size, std::move(*proof), *note});
}

Result<std::string> TileBytes(const ledger::Reader& reader, unsigned level, uint64_t index,
                              unsigned width) {
  if (width == 0 || width > kTileWidth || level > 7) {
    return Status::InvalidInput("tile " + TilePath(level, index, width) +
                                ": width must be 1 to 256 and level 0 to 7");
  }
  std::vector<ledger::Hash> hashes;
  if (Status s = reader.TreeHashes(level * ledger::kStoredLevelStep, index * kTileWidth, width,
                                   &hashes);
      !s.ok())
    return s;
  std::string out;
  out.reserve(hashes.size() * sizeof(ledger::Hash));
  for (const ledger::Hash& h : hashes)
    out.append(reinterpret_cast<const char*>(h.data()), h.size());
  return out;
}

std::string TilePath(unsigned level, uint64_t index, unsigned width) {
  std::string digits;
  do {
    char part[8];
    std::snprintf(part, sizeof(part), "%03u", static_cast<unsigned>(index % 1000));
    digits = digits.empty() ? std::string(part) : std::string("x") + part + "/" + digits;
    index /= 1000;
  } while (index > 0);
  std::string path = "tile/" + std::to_string(level) + "/" + digits;
  if (width < kTileWidth) path += ".p/" + std::to_string(width);
  return path;
}

}  // namespace jifen::tlog
