// Cosigned checkpoints brought back to the office (SPEC.md §6 "Witnesses"): a checkpoint of this
// ledger that witnesses cosigned (c2sp.org/tlog-cosignature), checked and kept outside the chain,
// so that the board and the card can say which witnesses saw the tree they show. The ledger's
// records are never changed by it.
//
// LEDGER/witnesses            the witnesses the office knows: one verifier key a line (a line
//                             starting with '#' is a comment); `jifen cosigned --witness-key`
//                             adds the keys it was given that cosigned
// LEDGER/cosigned/SIZE.note   the checkpoint at SIZE, the log's signature and one cosignature per
//                             witness that cosigned it, written atomically
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "tlog/note.h"
#include "util/status.h"

namespace jifen::tlog {

inline constexpr std::string_view kWitnessesFile = "witnesses";
inline constexpr std::string_view kCosignedDir = "cosigned";

// The witnesses listed in LEDGER/witnesses; empty when the file is absent. InvalidInput naming
// the line of a key that does not parse.
Result<std::vector<VerifierKey>> ListedWitnesses(const std::string& ledger_dir);

struct KeptCosigned {
  uint64_t size = 0;
  std::vector<std::string> added;    // witnesses whose cosignature is now kept
  std::vector<std::string> already;  // witnesses whose cosignature of this size was kept before
};

// Checks the signed note `note` (the text of the file `file`, named in every refusal) and keeps
// its cosignatures in LEDGER/cosigned/SIZE.note, beside any kept before for that size. The note
// must be a checkpoint of this ledger: its origin the log key's name, signed by `log_key`, its
// size at most the reader's head and its root the reader's tree at that size (else Corruption:
// not this ledger's history). Every other signature line must be a valid c2sp.org/tlog-cosignature
// of its text by a witness of `witness_keys` or of LEDGER/witnesses (InvalidInput for a signer
// the office does not know, Corruption for a cosignature that does not verify), and there must be
// at least one. A refused note writes nothing. Keys of `witness_keys` that cosigned are added to
// LEDGER/witnesses; a key named like a listed one but another key is InvalidInput.
Result<KeptCosigned> KeepCosigned(const ledger::Reader& reader, const std::string& ledger_dir,
                                  const VerifierKey& log_key, std::string_view note,
                                  const std::string& file,
                                  const std::vector<VerifierKey>& witness_keys);

struct Cosigner {
  std::string name;        // the witness's key name
  uint64_t size = 0;       // the largest tree size it cosigned (a kept checkpoint's)
  uint64_t timestamp = 0;  // its cosignature's POSIX time
};

// For each witness of LEDGER/witnesses, the largest tree size it cosigned among the kept
// checkpoints, in name order; every kept file is checked again as KeepCosigned checks it, and
// only cosignatures that verify count. Files of sizes beyond the reader's head are left out (the
// reader is older than them). Corruption naming the file when a kept checkpoint's root is not the
// reader's tree at its size: the ledger was rewritten after a witness saw it.
Result<std::vector<Cosigner>> KeptCosigners(const ledger::Reader& reader,
                                            const std::string& ledger_dir,
                                            const VerifierKey& log_key);

// What `jifen verify` found of the kept cosigned checkpoints.
struct KeptCheck {
  uint64_t files = 0;         // kept checkpoints checked
  uint64_t cosignatures = 0;  // cosignatures in them that verify, by witnesses listed
  // "FILE: reason" for each kept file that is not a checkpoint of this ledger as it is now: beyond
  // its head (records were taken away after a witness saw them), another root (the history was
  // rewritten), the log's signature or a listed witness's cosignature failing (the file was
  // edited). A signer that LEDGER/witnesses no longer lists is not counted and not a problem.
  std::vector<std::string> problems;
};

// Every kept cosigned checkpoint (LEDGER/cosigned/SIZE.note) checked against the ledger read by
// `reader`, which is the whole ledger (verify's snapshot): unlike KeptCosigners, a file beyond the
// head is a problem, not an older reader. Only an unreadable file or witnesses list is an error.
Result<KeptCheck> CheckKeptCosigned(const ledger::Reader& reader, const std::string& ledger_dir,
                                    const VerifierKey& log_key);

// The kept cosigned checkpoint at `size`, verbatim, if any.
std::optional<std::string> KeptCosignedAt(const std::string& ledger_dir, uint64_t size);

// Changes whenever a cosigned checkpoint is kept or the list of witnesses is written (their
// modification times): what a page cache adds to its key.
std::string CosignedStamp(const std::string& ledger_dir);

}  // namespace jifen::tlog
