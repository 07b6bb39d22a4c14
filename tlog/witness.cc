#include "tlog/witness.h"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "ledger/sha256.h"
#include "tlog/checkpoint.h"
#include "tlog/files.h"
#include "tlog/tree.h"

namespace jifen::tlog {
namespace {

namespace fs = std::filesystem;

std::string Escape(std::string_view origin) {
  std::string out;
  for (unsigned char c : origin) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

Result<Witness> Witness::Open(const std::string& dir, const std::optional<std::string>& name) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "state", ec);
  if (ec) return Status::IOError("witness " + dir + ": " + ec.message());
  Witness w;
  w.dir_ = dir;
  const fs::path key_path = fs::path(dir) / "witness.key";
  DirLock lock(dir);
  if (!lock.ok()) return Status::IOError("witness " + dir + ": cannot lock");
  if (auto text = ReadWholeFile(key_path)) {
    auto key = ParseSignerKey(text->substr(0, text->find('\n')));
    if (!key.ok()) return Status::Corruption("witness " + dir + ": " + key.status().message());
    if (name && key->name != *name) {
      return Status::InvalidInput("witness " + dir + ": its name is " + key->name + ", not " +
                                  *name);
    }
    w.key_ = std::move(*key);
    return w;
  }
  auto key = GenerateSignerKey(name.value_or("jifen-witness"), kCosignatureType);
  if (!key.ok()) return key.status();
  if (!name) {
    ledger::Hash h = ledger::Sha256Of(std::string_view(
        reinterpret_cast<const char*>(key->public_key.data()), key->public_key.size()));
    key->name = "jifen-witness/" + ledger::HashToHex(h).substr(0, 16);
    key->key_id = KeyId(key->name, key->type, key->public_key);
  }
  if (Status s = WriteAtomically(key_path, FormatSignerKey(*key) + "\n", 0600); !s.ok()) return s;
  w.key_ = std::move(*key);
  return w;
}

std::optional<std::string> Witness::Latest(std::string_view origin) const {
  return ReadWholeFile(fs::path(dir_) / "state" / Escape(origin));
}

Status Witness::Refuse(std::string_view origin, uint64_t size, std::string_view request,
                       Status reason, uint64_t now) {
  const fs::path dir(dir_);
  std::error_code ec;
  fs::create_directories(dir / "refused", ec);
  std::string stem = std::to_string(now) + "-" + Escape(origin) + "-" + std::to_string(size);
  (void)WriteAtomically(dir / "refused" / stem, request, 0644);
  std::ofstream log(dir / "refusals.log", std::ios::app);
  log << now << ' ' << origin << ' ' << size << ' ' << reason.message() << '\n';
  log.flush();
  if (!log) return Status::IOError(dir_ + "/refusals.log: cannot write");
  return reason;
}

Result<std::string> Witness::AddCheckpoint(std::string_view request, const VerifierKey& log_key,
                                           uint64_t now) {
  auto body = ParseConsistencyProof(request);
  if (!body.ok()) return body.status();
  auto opened = OpenCheckpoint(body->checkpoint, log_key);
  if (!opened.ok()) return opened.status();
  const Checkpoint& next = opened->checkpoint;
  if (body->old_size > next.size) {
    return Status::InvalidInput("old size " + std::to_string(body->old_size) +
                                " is above the checkpoint's " + std::to_string(next.size));
  }
  DirLock lock(dir_);
  if (!lock.ok()) return Status::IOError("witness " + dir_ + ": cannot lock");
  uint64_t kept_size = 0;
  Hash kept_root{};
  if (auto kept = Latest(next.origin)) {
    auto parsed = ParseNote(*kept);
    auto checkpoint = parsed.ok() ? ParseCheckpointText(parsed->text) : parsed.status();
    if (!checkpoint.ok())
      return Status::Corruption("witness " + dir_ + ": state of " + next.origin + " is damaged");
    kept_size = checkpoint->size;
    kept_root = checkpoint->root;
  }
  if (body->old_size != kept_size) {
    return Status::InvalidInput("old size " + std::to_string(body->old_size) +
                                ": the last checkpoint cosigned for " + next.origin +
                                " has size " + std::to_string(kept_size));
  }
  if (kept_size == next.size && kept_root != next.root) {
    return Refuse(next.origin, next.size, request,
                  Status::Corruption("checkpoint at size " + std::to_string(next.size) +
                                     ": another root than the one cosigned at that size"),
                  now);
  }
  if (kept_size != 0 && !VerifyConsistency(kept_size, next.size, kept_root, next.root,
                                           body->proof)) {
    return Refuse(next.origin, next.size, request,
                  Status::Corruption("checkpoint at size " + std::to_string(next.size) +
                                     ": not consistent with the one cosigned at size " +
                                     std::to_string(kept_size) + " (history rewritten)"),
                  now);
  }
  NoteSignature cosignature = Cosign(key_, opened->note.text, now);
  Note kept = opened->note;
  kept.signatures.push_back(cosignature);
  if (Status s = WriteAtomically(fs::path(dir_) / "state" / Escape(next.origin), FormatNote(kept),
                                 0644);
      !s.ok())
    return s;
  return SignatureLine(cosignature);
}

}  // namespace jifen::tlog
