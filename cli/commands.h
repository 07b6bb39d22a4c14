// The subcommands of `jifen` (SPEC.md §5). Each Run* function prints its results to stdout and
// its diagnostics to stderr and returns the exit code: 0 success, 1 invalid input (nothing
// written), 2 usage error, 3 integrity failure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/output.h"
#include "engine/audit.h"
#include "engine/model.h"
#include "engine/workflow.h"
#include "ledger/ledger.h"
#include "util/status.h"
#include "util/text.h"

namespace jifen::accounts {
struct Account;
}

namespace jifen::cli {

struct Globals {
  std::string ledger_dir = "ledger";
  Format format = Format::kTable;
  std::string lang;      // "", "en" or "zh": the language of messages and headers
  bool verbose = false;  // --verbose: debug log on stderr
};

// Maps a Status to the exit code of SPEC.md §5 and prints its message.
int Fail(const Status& status);

// Opens the ledger for reading and loads `village` for replaying `first`..`last` as of `as_of`.
struct Loaded {
  std::unique_ptr<ledger::Ledger> ledger;
  std::unique_ptr<ledger::Reader> reader;
  engine::VillageModel model;
  Timestamp at;  // the report's moment: --as-of, or now
};
Result<Loaded> LoadVillageForPeriods(const Globals& g, const std::string& village, Period first,
                                     Period last, const std::optional<std::string>& as_of);
// Parses a period ("2024-03", "2024-Q1") or says how to write one.
Result<Period> ParsePeriodArg(const std::string& text);
Result<std::optional<Timestamp>> ParseAsOfArg(const std::optional<std::string>& text);
// A period's workflow status (SPEC.md §3 "Posting") in a report: the top-level JSON fields
// state, posted, post_head, notice_until, objections and open_objections; and in words.
void AddStatusJson(const engine::PeriodStatus& status, Json* out);
std::string StatusText(const engine::PeriodStatus& status, bool zh);
std::string StateWord(engine::PeriodState state, bool zh);
// A quantity as an exact JSON number (2.5, never 2.50000001).
Json JsonQty(Quantity qty);
// True when output should be in Chinese for these rules (or per --lang).
bool Chinese(const Globals& g, const grammar::RuleFile& rules);

int RunCheck(const Globals& g, const std::vector<std::string>& files);
int RunFmt(const Globals& g, const std::string& file, const std::string& keywords);
int RunAdopt(const Globals& g, const std::string& file, const std::string& effective,
             const std::string& approved_by, const std::optional<std::string>& recorded);
// `sheet`: --sheet, the sheet of each .xlsx file (empty: the first); names in tables are read
// against g.ledger_dir.
int RunImport(const Globals& g, const std::vector<std::string>& files,
              const std::string& sheet = "");
int RunVerify(const Globals& g);
int RunLog(const Globals& g, const std::string& village, uint64_t from);
int RunScore(const Globals& g, const std::string& village, const std::string& period,
             const std::optional<std::string>& as_of);
int RunAnnual(const Globals& g, const std::string& village, int year,
              const std::optional<std::string>& as_of);
int RunExplain(const Globals& g, const std::string& village, const std::string& period,
               const std::string& household, const std::optional<std::string>& as_of);
int RunDistribute(const Globals& g, const std::string& village, int year, const std::string& amount,
                  const std::optional<std::string>& as_of);
// Fills the (empty) ledger with a simulated township from `villages_dir` (empty: the bundled one).
int RunSimulate(const Globals& g, int villages, int households, int year, uint64_t seed,
                const std::string& villages_dir);
// Simulates the bundled villages into a fresh demo ledger (under `out_dir` unless --ledger was
// given) and runs the main commands on it.
int RunDemo(const Globals& g, const std::string& out_dir, bool ledger_given,
            const std::string& villages_dir);

// approve, post, object, rule: one workflow record each, admitted as `import` admits a line.
struct WorkflowArgs : engine::WorkflowEntry {
  std::optional<std::string> recorded;
};
int RunApprove(const Globals& g, const WorkflowArgs& args);
int RunPost(const Globals& g, const WorkflowArgs& args);
int RunObject(const Globals& g, const WorkflowArgs& args);
int RunRule(const Globals& g, const WorkflowArgs& args);
// objections: a period's objections with their rulings.
int RunObjections(const Globals& g, const std::string& village, const std::string& period,
                  const std::optional<std::string>& as_of);

// audit, compare, whatif (docs/AUDIT.md). Exactly one of `period` (non-empty) and `year` (non-0).
Result<engine::ReportWindow> ParseWindowArgs(const std::string& period, int year);
// `concentration`: the lift threshold (empty: the default, 3). Exit 3 when the chain is broken.
int RunAudit(const Globals& g, const std::string& village, const std::string& period, int year,
             const std::optional<std::string>& as_of, const std::string& concentration);
int RunCompare(const Globals& g, const std::string& period, int year,
               const std::optional<std::string>& as_of);
int RunWhatIf(const Globals& g, const std::string& village, const std::string& rules_file,
              const std::string& period, int year, const std::optional<std::string>& as_of);

// board: the public notice of a period (`period` non-empty) or a year (`year` non-0), written as
// HTML to `out_html` and, when `out_xlsx` is non-empty, as a workbook too.
int RunBoard(const Globals& g, const std::string& village, const std::string& period, int year,
             const std::optional<std::string>& as_of, const std::string& out_html,
             const std::string& out_xlsx);

// serve, user add (cmd_serve.cc) and cards (cmd_cards.cc): the web application, its accounts and
// the households' cards.
int RunUserAdd(const Globals& g, const accounts::Account& account, const std::string& password_file);
int RunCards(const Globals& g, const std::string& village, const std::string& out,
             std::string base_url);
int RunServe(const Globals& g, const std::string& listen, const std::string& cert,
             const std::string& key, const std::vector<std::string>& trusted_proxies);

}  // namespace jifen::cli

namespace jifen::cli {

// export (cmd_export.cc): records and replayed figures into ClickHouse (docs/COUNTY.md), by the
// jifen-export program beside the binary.
struct ExportArgs {
  std::string url, database = "jifen", origin;
  size_t batch_rows = 20000;
};
int RunExport(const Globals& g, const ExportArgs& args);

}  // namespace jifen::cli
