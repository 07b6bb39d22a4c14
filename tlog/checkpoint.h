// The checkpoint of c2sp.org/tlog-checkpoint (origin, tree size, base64 root hash, optional
// extension lines), the inclusion proof file of c2sp.org/tlog-proof and the add-checkpoint body
// of c2sp.org/tlog-witness, which `jifen proof --from` writes as its consistency proof.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/record.h"
#include "tlog/note.h"
#include "util/status.h"

namespace jifen::tlog {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  ledger::Hash root{};
  std::vector<std::string> extensions;  // lines after the root, kept as they are
};

// "ORIGIN\nSIZE\nBASE64(ROOT)\n" and any extension lines.
std::string CheckpointText(const Checkpoint& checkpoint);
// InvalidInput naming the line at fault.
Result<Checkpoint> ParseCheckpointText(std::string_view text);

// A signed checkpoint: the note and its parsed text.
struct SignedCheckpoint {
  Note note;
  Checkpoint checkpoint;
};
// Parses a signed note holding a checkpoint and checks that it is signed by `log_key`, whose name
// must be the checkpoint's origin. InvalidInput naming the fault.
Result<SignedCheckpoint> OpenCheckpoint(std::string_view note, const VerifierKey& log_key);

// c2sp.org/tlog-proof@v1.
struct InclusionProofFile {
  std::string extra;  // decoded; empty when the line is absent
  uint64_t index = 0;
  std::vector<ledger::Hash> proof;
  std::string checkpoint;  // the signed checkpoint note, verbatim
};
std::string FormatInclusionProof(const InclusionProofFile& file);
Result<InclusionProofFile> ParseInclusionProof(std::string_view text);

// The add-checkpoint request body of c2sp.org/tlog-witness: "old SIZE", the consistency proof,
// a blank line, the signed checkpoint.
struct ConsistencyProofFile {
  uint64_t old_size = 0;
  std::vector<ledger::Hash> proof;
  std::string checkpoint;
};
std::string FormatConsistencyProof(const ConsistencyProofFile& file);
Result<ConsistencyProofFile> ParseConsistencyProof(std::string_view text);

inline constexpr std::string_view kProofHeader = "c2sp.org/tlog-proof@v1";

}  // namespace jifen::tlog
