#include "tlog/checkpoint.h"

#include <charconv>
#include <cstring>

namespace jifen::tlog {
namespace {

std::string HashBase64(const ledger::Hash& h) {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

bool ParseHash(std::string_view text, ledger::Hash* out) {
  auto bytes = Base64Decode(text);
  if (!bytes || bytes->size() != out->size()) return false;
  std::memcpy(out->data(), bytes->data(), out->size());
  return true;
}

// A decimal with no leading zeroes (except "0").
bool ParseSize(std::string_view text, uint64_t* out) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Takes the next line (without its '\n') off `text`; false when there is none.
bool NextLine(std::string_view* text, std::string_view* line) {
  size_t end = text->find('\n');
  if (end == std::string_view::npos) return false;
  *line = text->substr(0, end);
  text->remove_prefix(end + 1);
  return true;
}

// Hash lines up to the blank line; the rest of `text` is then the checkpoint.
Status ReadHashLines(std::string_view* text, const char* what, std::vector<ledger::Hash>* out) {
  std::string_view line;
  for (;;) {
    if (!NextLine(text, &line))
      return Status::InvalidInput(std::string(what) + ": no blank line before the checkpoint");
    if (line.empty()) return Status::Ok();
    ledger::Hash h;
    if (!ParseHash(line, &h) || out->size() >= 63) {
      return Status::InvalidInput(std::string(what) + ": proof line " +
                                  std::to_string(out->size() + 1) +
                                  " is not a base64 SHA-256 hash (or more than 63 lines)");
    }
    out->push_back(h);
  }
}

}  // namespace

std::string CheckpointText(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + HashBase64(c.root) + "\n";
  for (const std::string& line : c.extensions) out += line + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpointText(std::string_view text) {
  Checkpoint c;
  std::string_view origin, size, root, line;
  if (!NextLine(&text, &origin) || origin.empty())
    return Status::InvalidInput("checkpoint: line 1: no origin");
  if (!NextLine(&text, &size) || !ParseSize(size, &c.size))
    return Status::InvalidInput("checkpoint: line 2: not a tree size");
  if (!NextLine(&text, &root) || !ParseHash(root, &c.root))
    return Status::InvalidInput("checkpoint: line 3: not a base64 SHA-256 root hash");
  while (NextLine(&text, &line)) {
    if (line.empty()) return Status::InvalidInput("checkpoint: empty extension line");
    c.extensions.emplace_back(line);
  }
  if (!text.empty()) return Status::InvalidInput("checkpoint: no final line break");
  c.origin = std::string(origin);
  return c;
}

Result<SignedCheckpoint> OpenCheckpoint(std::string_view note, const VerifierKey& log_key) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  auto checkpoint = ParseCheckpointText(parsed->text);
  if (!checkpoint.ok()) return checkpoint.status();
  if (checkpoint->origin != log_key.name) {
    return Status::InvalidInput("checkpoint of \"" + checkpoint->origin +
                                "\": not the log of key " + log_key.name);
  }
  if (!NoteSignedBy(*parsed, log_key)) {
    return Status::InvalidInput("checkpoint of \"" + checkpoint->origin + "\" at size " +
                                std::to_string(checkpoint->size) +
                                ": no valid signature by key " + FormatVerifierKey(log_key));
  }
  return SignedCheckpoint{std::move(*parsed), std::move(*checkpoint)};
}

std::string FormatInclusionProof(const InclusionProofFile& file) {
  std::string out = std::string(kProofHeader) + "\n";
  if (!file.extra.empty()) out += "extra " + Base64Encode(file.extra) + "\n";
  out += "index " + std::to_string(file.index) + "\n";
  for (const ledger::Hash& h : file.proof) out += HashBase64(h) + "\n";
  return out + "\n" + file.checkpoint;
}

Result<InclusionProofFile> ParseInclusionProof(std::string_view text) {
  auto bad = [](const std::string& why) { return Status::InvalidInput("proof: " + why); };
  InclusionProofFile file;
  std::string_view line;
  if (!NextLine(&text, &line) || line != kProofHeader)
    return bad("first line is not " + std::string(kProofHeader));
  if (!NextLine(&text, &line)) return bad("no index line");
  if (line.starts_with("extra ")) {
    auto extra = Base64Decode(line.substr(6));
    if (!extra) return bad("extra is not base64");
    file.extra = std::move(*extra);
    if (!NextLine(&text, &line)) return bad("no index line");
  }
  if (!line.starts_with("index ") || !ParseSize(line.substr(6), &file.index))
    return bad("expected \"index N\": " + std::string(line));
  if (Status s = ReadHashLines(&text, "proof", &file.proof); !s.ok()) return s;
  file.checkpoint = std::string(text);
  return file;
}

std::string FormatConsistencyProof(const ConsistencyProofFile& file) {
  std::string out = "old " + std::to_string(file.old_size) + "\n";
  for (const ledger::Hash& h : file.proof) out += HashBase64(h) + "\n";
  return out + "\n" + file.checkpoint;
}

Result<ConsistencyProofFile> ParseConsistencyProof(std::string_view text) {
  ConsistencyProofFile file;
  std::string_view line;
  if (!NextLine(&text, &line) || !line.starts_with("old ") ||
      !ParseSize(line.substr(4), &file.old_size))
    return Status::InvalidInput("consistency proof: first line is not \"old SIZE\"");
  if (Status s = ReadHashLines(&text, "consistency proof", &file.proof); !s.ok()) return s;
  file.checkpoint = std::string(text);
  return file;
}

}  // namespace jifen::tlog
