// Admission: every check a record must pass before it enters the ledger (SPEC.md §4), and the
// all-or-nothing import and rule adoption built on it. Checks run inside the one write
// transaction that appends the batch, so two imports at once cannot both spend one balance.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/refusal.h"
#include "grammar/ast.h"
#include "ledger/ledger.h"

namespace jifen::engine {

struct ImportLine {
  std::string file;
  int line = 0;
  ledger::Record record;  // record.recorded_given false: stamped with the current time
};

// One line of input as an ImportSource hands it out.
struct SourceLine {
  std::string_view file;  // valid until the source moves to another file
  int line = 0;
  Status parsed;          // not OK when the line does not parse: its message is the reason
  ledger::Record record;  // the line's record when parsed is OK; the source may reuse it
};

// The input of an import, read a line at a time so that no import has to fit in memory.
// Ledger::Write runs an import again from scratch when the LMDB map has to grow, so a source must
// be able to start over.
class ImportSource {
 public:
  virtual ~ImportSource() = default;
  // Goes (back) to the first line. Status: the input cannot be read.
  virtual Status Rewind() = 0;
  // Reads the next line into `out`: false at the end of the input. A line that does not parse is
  // a line with `parsed` set; Status is for input that cannot be read at all (the import fails).
  virtual Result<bool> Next(SourceLine* out) = 0;
  // How far the reading is, of how much, in any unit (a progress bar's).
  virtual uint64_t Position() const = 0;
  virtual uint64_t Size() const = 0;
};

// A line of an import that was refused, and why.
struct LineRefusal {
  std::string file;
  int line = 0;
  // A line that does not parse is RefusalCode::kLineUnparsed with the parser's message.
  Refusal refusal;
  // The language of the rules the line's village adopted last (nullopt: unknown, or none yet):
  // the language to say the refusal in when the reader chose none.
  std::optional<grammar::Language> rules_language;

  // "FILE:LINE: reason" in `language`.
  std::string Text(grammar::Language language) const;
};

struct ImportReport {
  size_t appended = 0;
  size_t skipped = 0;  // already in the ledger with the same content
  // Non-empty means nothing was written. When some line does not parse, these are the lines that
  // do not parse (in input order), and no line was checked against the ledger; otherwise they are
  // the lines admission refused, in input order.
  std::vector<LineRefusal> refusals;
  // The same refusals in English, "FILE:LINE: reason" (logs, tests).
  std::vector<std::string> errors;
  uint64_t head_sequence = 0;
};

using ImportProgress = std::function<void(uint64_t position, uint64_t size)>;

struct ImportOptions {
  // Redemption checks read a village's awards and redemptions once and keep them, filed by
  // household, for the rest of the import; above this many bytes the least recently needed
  // villages' are dropped (and read again, with the batch's own appends, if needed again).
  size_t events_bytes_max = size_t{32} << 20;
};

// Checks every line in order and appends them all in one transaction, or none if any is bad.
// `now` stamps lines without a recorded time and bounds what counts as the future.
// `progress`, when given, is told every 1,024 lines how far the source is.
Result<ImportReport> ImportRecords(ledger::Ledger& ledger, ImportSource& source, Timestamp now,
                                   const ImportProgress& progress = nullptr,
                                   const ImportOptions& options = {});
// The same over lines already in memory (simulate, tests).
Result<ImportReport> ImportRecords(ledger::Ledger& ledger, const std::vector<ImportLine>& lines,
                                   Timestamp now, const ImportProgress& progress = nullptr,
                                   const ImportOptions& options = {});

struct AdoptRequest {
  std::string file;  // as given on the command line (kept in the record)
  std::string text;  // the rule file's bytes
  Date effective;
  std::string approved_by;
  std::optional<Timestamp> recorded;
};

struct AdoptReport {
  std::string village;
  std::string sha256;
  uint64_t sequence = 0;
  // Set when the adoption was refused (and nothing written): said of request.file.
  std::optional<Refusal> refusal;
  std::optional<grammar::Language> rules_language;  // the language of the refused rule file
};

// A rule file's text as the ledger keeps and fingerprints it: every line ending made "\n" (the
// CRLF of a browser's textarea or a Windows editor, a lone CR), nothing else changed, so the same
// rules have the same SHA-256 whichever door they came through (SPEC.md §3 "Rules in force").
std::string RuleText(std::string_view bytes);

// Adopts a rule file for its village, its text normalised by RuleText first. The text must
// parse and check; the effective date must be the first day of a period under the new rules and under the rules in force just before it, and
// the next adoption's effective date must be a period start under the new rules.
// A text that does not parse or check is Status::InvalidInput with its formatted diagnostics;
// any other refusal is the report's `refusal`; other Status: the ledger could not be written.
Result<AdoptReport> AdoptRules(ledger::Ledger& ledger, const AdoptRequest& request, Timestamp now);

}  // namespace jifen::engine
