#include "tlog/cosigned.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "tlog/checkpoint.h"
#include "tlog/files.h"
#include "tlog/tree.h"

namespace jifen::tlog {
namespace {

namespace fs = std::filesystem;

bool SameKey(const NoteSignature& s, const VerifierKey& key) {
  return s.name == key.name && s.key_id == key.key_id;
}

const VerifierKey* FindKey(const std::vector<VerifierKey>& keys, const NoteSignature& s) {
  for (const VerifierKey& key : keys) {
    if (SameKey(s, key)) return &key;
  }
  return nullptr;
}

// Whether `s` alone is a valid cosignature of `text` by `key`; sets *timestamp.
bool CosignatureValid(const std::string& text, const NoteSignature& s, const VerifierKey& key,
                      uint64_t* timestamp) {
  return CosignedBy(Note{text, {s}}, key, timestamp);
}

// The note parsed, checked to be a checkpoint of this ledger: the log's origin and signature, a
// size within the reader's tree and the root of that tree. Messages start with `subject`.
Result<SignedCheckpoint> CheckOwnCheckpoint(const ledger::Reader& reader,
                                            const VerifierKey& log_key, std::string_view text,
                                            const std::string& subject) {
  auto note = ParseNote(text);
  if (!note.ok()) return Status::InvalidInput(subject + ": " + note.status().message());
  auto checkpoint = ParseCheckpointText(note->text);
  if (!checkpoint.ok()) return Status::InvalidInput(subject + ": " + checkpoint.status().message());
  if (checkpoint->origin != log_key.name) {
    return Status::InvalidInput(subject + ": a checkpoint of " + checkpoint->origin +
                                ", not of this ledger (" + log_key.name + ")");
  }
  if (!NoteSignedBy(*note, log_key)) {
    return Status::InvalidInput(subject + ": no valid signature by this ledger's key (" +
                                FormatVerifierKey(log_key) + ")");
  }
  const std::string size = std::to_string(checkpoint->size);
  if (checkpoint->size > reader.HeadSequence()) {
    return Status::InvalidInput(subject + ": tree size " + size + " is beyond this ledger's " +
                                std::to_string(reader.HeadSequence()) + " records");
  }
  auto root = TreeRoot(reader, checkpoint->size);
  if (!root.ok()) return root.status();
  if (*root != checkpoint->root) {
    return Status::Corruption(subject + ": its root is not this ledger's tree at size " + size +
                              " (another history than this ledger's)");
  }
  return SignedCheckpoint{std::move(*note), std::move(*checkpoint)};
}

// The note's cosignatures, each checked against `keys`; the log's own signature is left out.
Result<std::vector<NoteSignature>> CheckCosignatures(const Note& note, const VerifierKey& log_key,
                                                     const std::vector<VerifierKey>& keys,
                                                     const std::string& subject) {
  std::vector<NoteSignature> out;
  for (const NoteSignature& s : note.signatures) {
    if (SameKey(s, log_key)) continue;
    const VerifierKey* key = FindKey(keys, s);
    if (!key) {
      return Status::InvalidInput(subject + ": signature by " + s.name +
                                  ": not a witness this ledger knows (give its key with "
                                  "--witness-key, or list it in LEDGER/witnesses)");
    }
    uint64_t timestamp = 0;
    if (!CosignatureValid(note.text, s, *key, &timestamp)) {
      return Status::Corruption(subject + ": the cosignature by " + s.name +
                                " does not verify (forged, or over another checkpoint)");
    }
    if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return SameKey(o, *key); }))
      out.push_back(s);
  }
  if (out.empty())
    return Status::InvalidInput(subject + ": no witness's cosignature, only the log's signature");
  return out;
}

// The listed witnesses and the given ones together; a given key named like a listed one but
// another key is refused.
Result<std::vector<VerifierKey>> AllWitnesses(const std::vector<VerifierKey>& listed,
                                              const std::vector<VerifierKey>& given) {
  std::vector<VerifierKey> all = listed;
  for (const VerifierKey& key : given) {
    auto same_name = std::find_if(all.begin(), all.end(),
                                  [&](const VerifierKey& k) { return k.name == key.name; });
    if (same_name == all.end()) {
      all.push_back(key);
    } else if (same_name->key_id != key.key_id || same_name->public_key != key.public_key) {
      return Status::InvalidInput("--witness-key " + key.name +
                                  ": another key of that name is listed in LEDGER/witnesses");
    }
  }
  return all;
}

// Adds to LEDGER/witnesses the keys of `used` it does not list yet.
Status ListWitnesses(const std::string& ledger_dir, const std::vector<VerifierKey>& listed,
                     const std::vector<VerifierKey>& used) {
  const fs::path path = fs::path(ledger_dir) / kWitnessesFile;
  std::string text = ReadWholeFile(path).value_or("");
  size_t before = text.size();
  for (const VerifierKey& key : used) {
    bool known = std::any_of(listed.begin(), listed.end(), [&](const VerifierKey& k) {
      return k.name == key.name && k.key_id == key.key_id;
    });
    if (known) continue;
    if (!text.empty() && text.back() != '\n') text += '\n';
    text += FormatVerifierKey(key) + "\n";
  }
  if (text.size() == before) return Status::Ok();
  return WriteAtomically(path, text, 0644);
}

fs::path KeptPath(const std::string& ledger_dir, uint64_t size) {
  return fs::path(ledger_dir) / kCosignedDir / (std::to_string(size) + ".note");
}

// The files of LEDGER/cosigned whose names end in ".note", in name order.
std::vector<fs::path> KeptFiles(const std::string& ledger_dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(ledger_dir) / kCosignedDir, ec)) {
    if (entry.path().filename().string().ends_with(".note")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A signature of a kept note by a witness of LEDGER/witnesses, and whether it verifies.
struct ListedSignature {
  const VerifierKey* key = nullptr;
  uint64_t timestamp = 0;
  bool valid = false;
};

// The signatures of `note` by witnesses of `listed`; the log's own and unlisted signers left out.
std::vector<ListedSignature> ListedSignatures(const Note& note, const VerifierKey& log_key,
                                              const std::vector<VerifierKey>& listed) {
  std::vector<ListedSignature> out;
  for (const NoteSignature& s : note.signatures) {
    if (SameKey(s, log_key)) continue;
    const VerifierKey* key = FindKey(listed, s);
    if (!key) continue;
    ListedSignature signature{key};
    signature.valid = CosignatureValid(note.text, s, *key, &signature.timestamp);
    out.push_back(signature);
  }
  return out;
}

}  // namespace

Result<std::vector<VerifierKey>> ListedWitnesses(const std::string& ledger_dir) {
  const fs::path path = fs::path(ledger_dir) / kWitnessesFile;
  std::vector<VerifierKey> out;
  auto text = ReadWholeFile(path);
  if (!text) return out;
  std::string_view rest = *text;
  for (int line = 1; !rest.empty(); ++line) {
    size_t end = std::min(rest.find('\n'), rest.size());
    std::string_view key = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t' || key.back() == '\r'))
      key.remove_suffix(1);
    while (!key.empty() && (key.front() == ' ' || key.front() == '\t')) key.remove_prefix(1);
    if (key.empty() || key.front() == '#') continue;
    auto parsed = ParseVerifierKey(key);
    if (!parsed.ok()) {
      return Status::InvalidInput(path.string() + ":" + std::to_string(line) + ": " +
                                  parsed.status().message());
    }
    out.push_back(std::move(*parsed));
  }
  return out;
}

Result<KeptCosigned> KeepCosigned(const ledger::Reader& reader, const std::string& ledger_dir,
                                  const VerifierKey& log_key, std::string_view note,
                                  const std::string& file,
                                  const std::vector<VerifierKey>& witness_keys) {
  const std::string subject = "cosigned checkpoint " + file;
  auto listed = ListedWitnesses(ledger_dir);
  if (!listed.ok()) return listed.status();
  auto all = AllWitnesses(*listed, witness_keys);
  if (!all.ok()) return all.status();
  auto own = CheckOwnCheckpoint(reader, log_key, note, subject);
  if (!own.ok()) return own.status();
  auto cosignatures = CheckCosignatures(own->note, log_key, *all, subject);
  if (!cosignatures.ok()) return cosignatures.status();

  const fs::path dir = fs::path(ledger_dir) / kCosignedDir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError(dir.string() + ": " + ec.message());
  DirLock lock(dir);
  if (!lock.ok()) return Status::IOError(dir.string() + ": cannot lock");
  KeptCosigned result;
  result.size = own->checkpoint.size;
  Note kept{own->note.text, {}};
  for (const NoteSignature& s : own->note.signatures) {
    if (SameKey(s, log_key)) kept.signatures.push_back(s);
  }
  const fs::path path = KeptPath(ledger_dir, result.size);
  if (auto before = ReadWholeFile(path)) {
    auto parsed = ParseNote(*before);
    if (!parsed.ok() || parsed->text != kept.text)
      return Status::Corruption(path.string() + ": damaged (not the checkpoint at its size)");
    for (const NoteSignature& s : parsed->signatures) {
      if (SameKey(s, log_key)) continue;
      kept.signatures.push_back(s);
      result.already.push_back(s.name);
    }
  }
  std::vector<VerifierKey> used;
  for (const NoteSignature& s : *cosignatures) {
    used.push_back(*FindKey(*all, s));
    auto is_kept = [&](const NoteSignature& k) { return k.name == s.name && k.key_id == s.key_id; };
    if (std::any_of(kept.signatures.begin(), kept.signatures.end(), is_kept)) continue;
    kept.signatures.push_back(s);
    result.added.push_back(s.name);
  }
  if (Status s = ListWitnesses(ledger_dir, *listed, used); !s.ok()) return s;
  if (result.added.empty()) return result;
  if (Status s = WriteAtomically(path, FormatNote(kept), 0644); !s.ok()) return s;
  return result;
}

Result<std::vector<Cosigner>> KeptCosigners(const ledger::Reader& reader,
                                            const std::string& ledger_dir,
                                            const VerifierKey& log_key) {
  auto listed = ListedWitnesses(ledger_dir);
  if (!listed.ok()) return listed.status();
  std::map<std::string, Cosigner> best;
  for (const fs::path& path : KeptFiles(ledger_dir)) {
    const std::string name = path.filename().string();
    if (name.size() > 24 || name.find_first_not_of("0123456789") != name.size() - 5 ||
        name.size() == 5)
      continue;
    const uint64_t size = std::stoull(name.substr(0, name.size() - 5));
    if (size > reader.HeadSequence()) continue;
    auto text = ReadWholeFile(path);
    if (!text) return Status::IOError(path.string() + ": cannot read");
    auto own = CheckOwnCheckpoint(reader, log_key, *text, path.string());
    if (!own.ok()) return Status::Corruption(own.status().message());
    if (own->checkpoint.size != size)
      return Status::Corruption(path.string() + ": holds the checkpoint at another size");
    for (const ListedSignature& s : ListedSignatures(own->note, log_key, *listed)) {
      if (!s.valid) continue;
      Cosigner& c = best[s.key->name];
      if (c.name.empty() || size > c.size) c = Cosigner{s.key->name, size, s.timestamp};
    }
  }
  std::vector<Cosigner> out;
  for (auto& [name, cosigner] : best) out.push_back(std::move(cosigner));
  return out;
}

Result<KeptCheck> CheckKeptCosigned(const ledger::Reader& reader, const std::string& ledger_dir,
                                    const VerifierKey& log_key) {
  auto listed = ListedWitnesses(ledger_dir);
  if (!listed.ok()) return listed.status();
  KeptCheck check;
  for (const fs::path& path : KeptFiles(ledger_dir)) {
    const std::string subject = path.string();
    const std::string name = path.filename().string();
    auto text = ReadWholeFile(path);
    if (!text) return Status::IOError(subject + ": cannot read");
    ++check.files;
    auto own = CheckOwnCheckpoint(reader, log_key, *text, subject);
    if (!own.ok()) {
      check.problems.push_back(own.status().message());
      continue;
    }
    if (name != std::to_string(own->checkpoint.size) + ".note") {
      check.problems.push_back(subject + ": holds the checkpoint at tree size " +
                               std::to_string(own->checkpoint.size) + ", not the one its name says");
      continue;
    }
    for (const ListedSignature& s : ListedSignatures(own->note, log_key, *listed)) {
      if (s.valid) {
        ++check.cosignatures;
      } else {
        check.problems.push_back(subject + ": the cosignature by " + s.key->name +
                                 " does not verify (the file was edited)");
      }
    }
  }
  return check;
}

std::optional<std::string> KeptCosignedAt(const std::string& ledger_dir, uint64_t size) {
  return ReadWholeFile(KeptPath(ledger_dir, size));
}

std::string CosignedStamp(const std::string& ledger_dir) {
  std::string stamp;
  for (const fs::path& path :
       {fs::path(ledger_dir) / kCosignedDir, fs::path(ledger_dir) / kWitnessesFile}) {
    std::error_code ec;
    auto time = fs::last_write_time(path, ec);
    stamp += (ec ? std::string("-") : std::to_string(time.time_since_epoch().count())) + ".";
  }
  return stamp;
}

}  // namespace jifen::tlog
