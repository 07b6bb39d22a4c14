// Admission: every check a record must pass before it enters the ledger (SPEC.md §4), and the
// all-or-nothing import and rule adoption built on it. Checks run inside the one write
// transaction that appends the batch, so two imports at once cannot both spend one balance.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace jifen::engine {

struct ImportLine {
  std::string file;
  int line = 0;
  ledger::Record record;  // record.recorded_given false: stamped with the current time
};

struct ImportReport {
  size_t appended = 0;
  size_t skipped = 0;                 // already in the ledger with the same content
  std::vector<std::string> errors;    // "FILE:LINE: reason"; non-empty means nothing was written
  uint64_t head_sequence = 0;
};

// Checks every line in order and appends them all in one transaction, or none if any is bad.
// `now` stamps lines without a recorded time and bounds what counts as the future.
// `progress`, when given, is told how many lines have been checked (for a progress bar).
Result<ImportReport> ImportRecords(ledger::Ledger& ledger, const std::vector<ImportLine>& lines, Timestamp now,
                                   const std::function<void(size_t)>& progress = nullptr);

struct AdoptRequest {
  std::string file;        // as given on the command line (kept in the record)
  std::string text;        // the rule file's bytes
  Date effective;
  std::string approved_by;
  std::optional<Timestamp> recorded;
};

struct AdoptReport {
  std::string village;
  std::string sha256;
  uint64_t sequence = 0;
};

// Adopts a rule file for its village. The text must parse and check; the effective date must be
// the first day of a period under the new rules and under the rules in force just before it, and
// the next adoption's effective date must be a period start under the new rules.
Result<AdoptReport> AdoptRules(ledger::Ledger& ledger, const AdoptRequest& request, Timestamp now);

}  // namespace jifen::engine
