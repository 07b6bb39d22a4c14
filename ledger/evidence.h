// Evidence files (photos) kept beside the ledger, content-addressed: LEDGER/evidence/<sha256 hex>.
// An award names each one in its `evidence` list as "sha256:<hex>", so the hash chain covers the
// photo's bytes; `jifen verify` checks that every such file exists and still hashes to its name.
// Other evidence strings (free text from imports, e.g. "photo:0305-01.jpg") name no file here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "util/status.h"

namespace jifen::ledger {

inline constexpr std::string_view kEvidencePrefix = "sha256:";
inline constexpr size_t kEvidenceBytesMax = size_t{8} << 20;  // one photo

// The image formats taken, judged by their first bytes (never by a file name or a declared type).
enum class ImageKind { kJpeg, kPng, kWebp };
std::optional<ImageKind> ImageKindOf(std::string_view bytes);
const char* ContentTypeOf(ImageKind kind);

// Whether `hex` is 64 lowercase hexadecimal digits (a file name under evidence/).
bool IsSha256Hex(std::string_view hex);
// The hex of an evidence reference "sha256:<hex>", or nullopt when `evidence` names no file.
std::optional<std::string> EvidenceHex(std::string_view evidence);

std::string EvidenceDir(const std::string& ledger_dir);
std::string EvidencePath(const std::string& ledger_dir, const std::string& hex);

struct StoredEvidence {
  std::string hex;       // the file's name: SHA-256 of its bytes
  bool created = false;  // false when the same bytes were already stored
};
// Stores `bytes` (an image of ImageKindOf, at most kEvidenceBytesMax) durably: written to a
// temporary file in evidence/, fsynced, renamed to its hash, and the folder fsynced. InvalidInput
// for another kind or size; IOError when the disk refuses.
Result<StoredEvidence> StoreEvidence(const std::string& ledger_dir, std::string_view bytes);
// Removes a file StoreEvidence created for a record that was then refused.
void RemoveEvidence(const std::string& ledger_dir, const std::string& hex);
// The stored bytes of `hex`; NotFound (InvalidInput) when absent.
Result<std::string> ReadEvidence(const std::string& ledger_dir, const std::string& hex);

struct EvidenceProblem {
  uint64_t sequence = 0;
  std::string id;   // the record's id
  std::string hex;  // the file it names
  std::string reason;
};
struct EvidenceReport {
  uint64_t files_checked = 0;  // distinct files
  std::vector<EvidenceProblem> problems;
};
// Checks every "sha256:" reference of the records in `reader`: its file exists under
// LEDGER/evidence and its bytes hash to its name.
Result<EvidenceReport> CheckEvidence(const std::string& ledger_dir, const Reader& reader);

}  // namespace jifen::ledger
