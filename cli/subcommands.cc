#include "cli/subcommands.h"

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/clerk_input.h"
#include "cli/cmd_tlog.h"
#include "cli/import_files.h"
#include "cli/template.h"
#include "accounts/accounts.h"

namespace jifen::cli {
namespace {

// What a subcommand's callback reads and sets.
struct Run {
  Globals& g;
  int& rc;
};

// The arguments of the report commands. Each subcommand keeps its own, held by its callback.
struct ReportArgs {
  std::string village, period, household, amount;
  int year = 0;
  std::optional<std::string> as_of;
};

// Runs `command` once the names the clerk gave stand for codes (clerk_input.h).
template <typename Command>
void RunNamed(Run run, const NamedArgs& names, Command command) {
  if (Status s = ResolveNames(run.g, names); !s.ok()) {
    run.rc = Fail(s);
    return;
  }
  run.rc = command();
}

void AddAsOf(CLI::App* sub, ReportArgs& a) {
  sub->add_option("--as-of", a.as_of,
                  "see only records recorded at or before this time (RFC 3339 or a date)");
}

// --period or --year, not both.
void AddWindow(CLI::App* sub, ReportArgs& a) {
  auto* p = sub->add_option("--period", a.period, "YYYY-MM or YYYY-Qn");
  auto* y = sub->add_option("--year", a.year, "YYYY: every period of the year")
                ->check(CLI::Range(1, 9999));
  p->excludes(y);
}

void AddCheckCommand(CLI::App& app, Run run) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* check = app.add_subcommand(
      "check",
      "validate rule files and print diagnostics\n  example: jifen check villages/*.rules");
  check->add_option("files", *files, "rule files")->required()->check(CLI::ExistingFile);
  check->callback([run, files] { run.rc = RunCheck(run.g, *files); });
}

void AddFmtCommand(CLI::App& app, Run run) {
  struct Args {
    std::string file, keywords;
  };
  auto a = std::make_shared<Args>();
  auto* fmt = app.add_subcommand(
      "fmt",
      "print a rule file in canonical layout\n  example: jifen fmt villages/shuangyangshu.rules --keywords zh");
  fmt->add_option("file", a->file, "rule file")->required()->check(CLI::ExistingFile);
  fmt->add_option("--keywords", a->keywords, "translate keywords: zh or en")
      ->check(CLI::IsMember({"zh", "en"}));
  fmt->callback([run, a] { run.rc = RunFmt(run.g, a->file, a->keywords); });
}

void AddRulesCommand(CLI::App& app, Run run) {
  struct Args {
    std::string file, effective, approved_by;
    std::optional<std::string> recorded;
  };
  auto a = std::make_shared<Args>();
  auto* rules = app.add_subcommand("rules", "rule versions of the ledger");
  rules->require_subcommand(1);
  auto* adopt = rules->add_subcommand(
      "adopt",
      "adopt a rule file for its village from an effective date\n"
      "  example: jifen rules adopt villages/shuangyangshu.rules --effective 2022-01-01 --approved-by 村民代表大会");
  adopt->add_option("file", a->file, "rule file")->required()->check(CLI::ExistingFile);
  adopt->add_option("--effective", a->effective, "first day of a period, YYYY-MM-DD")->required();
  adopt->add_option("--approved-by", a->approved_by,
                    "who approved it (e.g. 村民代表大会 2021-12-20)");
  adopt->add_option("--recorded", a->recorded, "recorded time for historical imports (RFC 3339)");
  adopt->callback(
      [run, a] { run.rc = RunAdopt(run.g, a->file, a->effective, a->approved_by, a->recorded); });
  AddGlobals(*adopt, run.g);
}

void AddImportCommand(CLI::App& app, Run run) {
  struct Args {
    std::vector<std::string> files;
    std::string sheet;
  };
  auto a = std::make_shared<Args>();
  auto* import = app.add_subcommand(
      "import",
      "append records (.jsonl or .csv), all or nothing\n  example: jifen import 2022-03.jsonl");
  import->add_option("files", a->files, "record files")->required()->check(CLI::ExistingFile);
  // A clerk's spreadsheets (docs/IMPORT.md): which sheet of a workbook, and the ledger whose
  // names stand for codes.
  import->add_option("--sheet", a->sheet, "the sheet of each .xlsx file (default: the first)");
  import->callback([run, a] { run.rc = RunImport(run.g, a->files, a->sheet);
});
}  // namespace

void AddTemplateCommand(CLI::App& app, Run run) {
  struct Args {
    std::string village, kind = "awards", out;
  };
  auto a = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "template",
      "write an .xlsx form with the village's items, households, persons and scorers to fill in and import\n"
      "  example: jifen template --village SYS --kind awards --out 登记表.xlsx");
  sub->add_option("--village", a->village, "village code")->required();
  sub->add_option("--kind", a->kind, "awards (积分登记) or roster (花名册)")
      ->check(CLI::IsMember({"awards", "roster"}));
  sub->add_option("--out", a->out, "the workbook to write (.xlsx)")->required();
  sub->callback([run, a] {
    RunNamed(run, {.village = &a->village},
             [&] { return RunTemplate(run.g, a->village, a->kind, a->out); });
  });
}

void AddCardsCommand(CLI::App& app, Run run) {
  struct Args {
    std::string village, out, base_url = "http://127.0.0.1:8080";
  };
  auto a = std::make_shared<Args>();
  auto* cards = app.add_subcommand(
      "cards",
      "write printable household cards, each with a QR code of the household's own page\n"
      "  example: jifen cards --village SYS --out cards.html --base-url http://192.168.1.10:8080");
  cards->add_option("--village", a->village, "village code")->required();
  cards->add_option("--out", a->out, "the HTML file to write (print it on A4)")->required();
  cards->add_option("--base-url", a->base_url,
                    "the address villagers open jifen serve at (default http://127.0.0.1:8080)");
  cards->callback([run, a] {
    RunNamed(run, {.village = &a->village},
             [&] { return RunCards(run.g, a->village, a->out, a->base_url); });
  });
}

void AddVerifyCommand(CLI::App& app, Run run) {
  auto* verify = app.add_subcommand(
      "verify", "recompute the hash chain of the whole ledger\n  example: jifen verify");
  verify->callback([run] { run.rc = RunVerify(run.g); });
}

void AddLogCommand(CLI::App& app, Run run) {
  struct Args {
    std::string village;
    uint64_t from = 1;
  };
  auto a = std::make_shared<Args>();
  auto* log = app.add_subcommand(
      "log",
      "print records as JSON Lines (the import form)\n  example: jifen log --village SYS > sys.jsonl");
  log->add_option("--village", a->village, "only this village");
  log->add_option("--from", a->from, "first sequence number");
  log->callback([run, a] {
    RunNamed(run, {.village = &a->village, .village_may_be_unknown = true},
             [&] { return RunLog(run.g, a->village, a->from); });
  });
}

void AddScoreCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto* score = app.add_subcommand(
      "score",
      "period figures of every household\n  example: jifen score --village SYS --period 2022-03");
  score->add_option("--village", a->village, "village code")->required();
  score->add_option("--period", a->period, "YYYY-MM or YYYY-Qn")->required();
  AddAsOf(score, *a);
  score->callback([run, a] {
    RunNamed(run, {.village = &a->village},
             [&] { return RunScore(run.g, a->village, a->period, a->as_of); });
  });
}

void AddAnnualCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto* annual = app.add_subcommand(
      "annual", "annual figures and titles\n  example: jifen annual --village SYS --year 2022");
  annual->add_option("--village", a->village, "village code")->required();
  annual->add_option("--year", a->year, "YYYY")->required()->check(CLI::Range(1, 9999));
  AddAsOf(annual, *a);
  annual->callback([run, a] {
    RunNamed(run, {.village = &a->village},
             [&] { return RunAnnual(run.g, a->village, a->year, a->as_of); });
  });
}

void AddExplainCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto* explain = app.add_subcommand(
      "explain",
      "every record behind a household's figures\n  example: jifen explain --village SYS --period 2022-03 --household H01");
  explain->add_option("--village", a->village, "village code")->required();
  explain->add_option("--period", a->period, "YYYY-MM or YYYY-Qn")->required();
  explain->add_option("--household", a->household, "household code")->required();
  AddAsOf(explain, *a);
  explain->callback([run, a] {
    RunNamed(run, {.village = &a->village, .household = &a->household},
             [&] { return RunExplain(run.g, a->village, a->period, a->household, a->as_of); });
  });
}

void AddDistributeCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto* distribute = app.add_subcommand(
      "distribute",
      "shares + points dividend of a year\n  example: jifen distribute --village SYS --year 2022 --amount 100000");
  distribute->add_option("--village", a->village, "village code")->required();
  distribute->add_option("--year", a->year, "YYYY")->required()->check(CLI::Range(1, 9999));
  distribute->add_option("--amount", a->amount, "amount in yuan, at most 2 decimals")->required();
  AddAsOf(distribute, *a);
  distribute->callback([run, a] {
    RunNamed(run, {.village = &a->village},
             [&] { return RunDistribute(run.g, a->village, a->year, a->amount, a->as_of); });
  });
}

// The workflow (SPEC.md §3 "Review", "Posting"): each command appends one record.
CLI::App* AddWorkflowSubcommand(CLI::App& app, WorkflowArgs& wf, const std::string& name,
                                const std::string& help) {
  auto* sub = app.add_subcommand(name, help);
  sub->add_option("--recorded", wf.recorded, "recorded time for historical records (RFC 3339)");
  sub->add_option("--village", wf.village, "village code")->required();
  return sub;
}

void AddApproveCommand(CLI::App& app, Run run) {
  auto wf = std::make_shared<WorkflowArgs>();
  auto* approve =
      AddWorkflowSubcommand(app, *wf, "approve",
                            "approve an award that waits for review (审核通过)\n"
                            "  example: jifen approve --village SYS --award SYS-0001 --scorer S2");
  approve->add_option("--award", wf->target, "the award's id")->required();
  approve->add_option("--scorer", wf->scorer, "the approving scorer (a review role)")->required();
  approve->callback([run, wf] {
    RunNamed(run, {.village = &wf->village, .scorer = &wf->scorer},
             [&] { return RunApprove(run.g, *wf); });
  });
}

void AddPostCommand(CLI::App& app, Run run) {
  auto wf = std::make_shared<WorkflowArgs>();
  auto* post = AddWorkflowSubcommand(
      app, *wf, "post",
      "record that a period's board was posted publicly (张榜公示); starts the notice window\n"
      "  example: jifen post --village SYS --period 2022-03 --scorer S2");
  post->add_option("--period", wf->period, "YYYY-MM or YYYY-Qn")->required();
  post->add_option("--scorer", wf->scorer, "who posted it")->required();
  post->add_option("--id", wf->id, "the post's id (default VILLAGE-PPERIOD)");
  post->add_option("--head", wf->head,
                   "the ledger head the posted board showed (checked against the ledger)");
  post->callback([run, wf] {
    RunNamed(run, {.village = &wf->village, .scorer = &wf->scorer},
             [&] { return RunPost(run.g, *wf); });
  });
}

void AddObjectCommand(CLI::App& app, Run run) {
  auto wf = std::make_shared<WorkflowArgs>();
  auto* object = AddWorkflowSubcommand(
      app, *wf, "object",
      "record a villager's objection (异议) to a record or a household's figures\n"
      "  example: jifen object --village SYS --period 2022-03 --record SYS-0001 --reason 未参加 --filed-by 王五");
  object->add_option("--period", wf->period, "YYYY-MM or YYYY-Qn")->required();
  auto* record = object->add_option("--record", wf->target, "the award's or redemption's id");
  auto* household = object->add_option("--household", wf->household,
                                       "or the household whose figures are disputed");
  record->excludes(household);
  object->add_option("--reason", wf->reason, "what is wrong")->required();
  object->add_option("--filed-by", wf->filed_by, "who raised it")->required();
  object->add_option("--scorer", wf->scorer, "the clerk who records it");
  object->add_option("--id", wf->id, "the objection's id (default VILLAGE-OPERIOD)");
  object->callback([run, wf] {
    if (wf->target.empty() == wf->household.empty()) {
      run.rc = Fail(Status::Usage("object: give --record or --household"));
      return;
    }
    RunNamed(run, {.village = &wf->village, .household = &wf->household, .scorer = &wf->scorer},
             [&] { return RunObject(run.g, *wf); });
  });
}

void AddRuleCommand(CLI::App& app, Run run) {
  auto wf = std::make_shared<WorkflowArgs>();
  auto* rule = AddWorkflowSubcommand(
      app, *wf, "rule",
      "record the committee's ruling on an objection (upheld revokes the record)\n"
      "  example: jifen rule --village SYS --objection SYS-O2022-03 --outcome upheld --reason 核实 --scorer S2");
  rule->add_option("--objection", wf->target, "the objection's id")->required();
  rule->add_option("--outcome", wf->outcome, "upheld or dismissed")
      ->required()
      ->check(CLI::IsMember({"upheld", "dismissed"}));
  rule->add_option("--reason", wf->reason, "why")->required();
  rule->add_option("--scorer", wf->scorer, "who rules")->required();
  rule->add_option("--id", wf->id, "the ruling's id (default OBJECTION-ruling)");
  rule->callback([run, wf] {
    RunNamed(run, {.village = &wf->village, .scorer = &wf->scorer},
             [&] { return RunRule(run.g, *wf); });
  });
}

void AddObjectionsCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto* objections =
      app.add_subcommand("objections",
                         "a period's objections with their rulings\n"
                         "  example: jifen objections --village SYS --period 2022-03");
  objections->add_option("--village", a->village, "village code")->required();
  objections->add_option("--period", a->period, "YYYY-MM or YYYY-Qn")->required();
  AddAsOf(objections, *a);
  objections->callback([run, a] {
    RunNamed(run, {.village = &a->village},
             [&] { return RunObjections(run.g, a->village, a->period, a->as_of); });
  });
}

void AddAuditCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto concentration = std::make_shared<std::string>();
  auto* audit = app.add_subcommand(
      "audit",
      "fairness report: self-scoring, scorer concentration, late and back-dated records, "
      "revocations, overdrawn redemptions, chain state\n"
      "  example: jifen audit --village SYS --year 2022 --format json");
  audit->add_option("--village", a->village, "village code")->required();
  AddWindow(audit, *a);
  AddAsOf(audit, *a);
  audit->add_option("--concentration", *concentration,
                    "lift threshold for scorer concentration (default 3)");
  audit->callback([run, a, concentration] {
    RunNamed(run, {.village = &a->village}, [&] {
      return RunAudit(run.g, a->village, a->period, a->year, a->as_of, *concentration);
    });
  });
}

void AddCompareCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto* compare = app.add_subcommand("compare",
                                     "the villages of the ledger side by side\n"
                                     "  example: jifen compare --period 2022-03");
  AddWindow(compare, *a);
  AddAsOf(compare, *a);
  compare->callback([run, a] { run.rc = RunCompare(run.g, a->period, a->year, a->as_of); });
}

void AddWhatIfCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto rules = std::make_shared<std::string>();
  auto* whatif = app.add_subcommand(
      "whatif",
      "replay a period or year under a proposed rule file, without adopting it\n"
      "  example: jifen whatif --village SYS --rules proposal.rules --period 2022-03");
  whatif->add_option("--village", a->village, "village code")->required();
  whatif->add_option("--rules", *rules, "the proposed rule file")
      ->required()
      ->check(CLI::ExistingFile);
  AddWindow(whatif, *a);
  AddAsOf(whatif, *a);
  whatif->callback([run, a, rules] {
    RunNamed(run, {.village = &a->village},
             [&] { return RunWhatIf(run.g, a->village, *rules, a->period, a->year, a->as_of); });
  });
}

void AddBoardCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ReportArgs>();
  auto html = std::make_shared<std::string>(), xlsx = std::make_shared<std::string>();
  auto* board = app.add_subcommand(
      "board",
      "printable public notice (公示榜) of a period or a year, as A4 HTML and Excel\n"
      "  example: jifen board --village SYS --period 2022-03 --out 公示榜.html --xlsx 公示榜.xlsx");
  board->add_option("--village", a->village, "village code")->required();
  AddWindow(board, *a);
  AddAsOf(board, *a);
  board->add_option("--out", *html, "the HTML notice to write")->required();
  board->add_option("--xlsx", *xlsx, "also write the table as an Excel workbook");
  board->callback([run, a, html, xlsx] {
    RunNamed(run, {.village = &a->village}, [&] {
      return RunBoard(run.g, a->village, a->period, a->year, a->as_of, *html, *xlsx);
    });
  });
}

void AddSimulateCommand(CLI::App& app, Run run) {
  struct Args {
    int villages = 4, households = 40, year = 2022;
    uint64_t seed = 1;
    std::string villages_dir;
  };
  auto a = std::make_shared<Args>();
  auto* simulate = app.add_subcommand(
      "simulate",
      "fill a new ledger with a simulated township (deterministic)\n"
      "  example: jifen simulate --villages 8 --households 100 --year 2022 --seed 7 --ledger sim");
  simulate->add_option("--villages", a->villages, "villages (rule files are cycled, then cloned)")
      ->check(CLI::Range(1, 500));
  simulate->add_option("--households", a->households, "households per village")
      ->check(CLI::Range(1, 99999));
  simulate->add_option("--year", a->year, "YYYY")->check(CLI::Range(1971, 9000));
  simulate->add_option("--seed", a->seed, "random seed: the same arguments give the same ledger");
  simulate->add_option("--villages-dir", a->villages_dir,
                       "rule files to simulate (default: the bundled villages/)");
  simulate->callback([run, a] {
    run.rc = RunSimulate(run.g, a->villages, a->households, a->year, a->seed, a->villages_dir);
  });
}

void AddDemoCommand(CLI::App& app, Run run) {
  struct Args {
    std::string out = "demo", villages_dir;
  };
  auto a = std::make_shared<Args>();
  auto* demo = app.add_subcommand(
      "demo",
      "simulate the bundled villages into a fresh ledger and show what jifen does\n"
      "  example: jifen demo --out /tmp/demo");
  demo->add_option("--out", a->out,
                   "output directory (default ./demo; the ledger goes to OUT/ledger)");
  demo->add_option("--villages-dir", a->villages_dir,
                   "rule files to simulate (default: the bundled villages/)");
  demo->callback([run, a, &app, demo] {
    // --ledger before or after `demo`: the demo then fills that ledger instead of OUT/ledger.
    bool ledger_given =
        app.get_option("--ledger")->count() > 0 || demo->get_option("--ledger")->count() > 0;
    run.rc = RunDemo(run.g, a->out, ledger_given, a->villages_dir);
  });
}

// The web application (web/): `serve`, and `user add` for its accounts (kept beside the ledger,
// outside the chain, in LEDGER/accounts).
void AddServeCommand(CLI::App& app, Run run) {
  struct Args {
    std::string listen = "127.0.0.1:8080", cert, key;
    std::vector<std::string> trusted_proxies;
  };
  auto a = std::make_shared<Args>();
  auto* serve =
      app.add_subcommand("serve",
                         "serve the village office on the web (登录、记分、公示榜、农户页)\n"
                         "  example: jifen serve --ledger ledger --listen 127.0.0.1:8080");
  serve->add_option("--listen", a->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--cert", a->cert, "TLS certificate (PEM)");
  serve->add_option("--key", a->key, "TLS private key (PEM)");
  serve->add_option("--trusted-proxy", a->trusted_proxies,
                    "ADDR of a reverse proxy in front (nginx): only its X-Forwarded-For names the "
                    "client (repeatable; docs/ADMIN.md)");
  serve->callback(
      [run, a] { run.rc = RunServe(run.g, a->listen, a->cert, a->key, a->trusted_proxies); });
}

void AddUserCommand(CLI::App& app, Run run) {
  struct Args {
    accounts::Account account;
    std::string password_file;
  };
  auto a = std::make_shared<Args>();
  auto* user = app.add_subcommand("user", "accounts of `jifen serve`");
  user->require_subcommand(1);
  auto* add = user->add_subcommand(
      "add",
      "add an account; the password is asked for, or read from --password-file\n"
      "  example: jifen user add wang --role scorer --village SYS --scorer S1");
  add->add_option("name", a->account.name, "account name")->required();
  add->add_option("--role", a->account.role, "clerk, scorer, township or auditor")
      ->required()
      ->check(CLI::IsMember(accounts::AccountRoles()));
  add->add_option("--village", a->account.village, "village code")->required();
  add->add_option("--scorer", a->account.scorer, "the registered scorer the account records as");
  add->add_option("--password-file", a->password_file,
                  "read the password from the first line of this file");
  add->callback([run, a] {
    RunNamed(run, {.village = &a->account.village, .scorer = &a->account.scorer},
             [&] { return RunUserAdd(run.g, a->account, a->password_file); });
  });
  AddGlobals(*add, run.g);
}

// The county's export (docs/COUNTY.md): `export`, run by the jifen-export program.
void AddExportCommand(CLI::App& app, Run run) {
  auto a = std::make_shared<ExportArgs>();
  auto* sub = app.add_subcommand(
      "export",
      "send the ledger's records and replayed figures to ClickHouse, for the county\n"
      "  example: jifen export --clickhouse http://127.0.0.1:8123 --database jifen");
  sub->add_option("--clickhouse", a->url, "http://HOST:PORT of ClickHouse's HTTP interface")
      ->required();
  sub->add_option("--database", a->database, "the database of the tables (default jifen)");
  sub->add_option("--origin", a->origin,
                  "the ledger's name in the tables (default: ledger- and the start of record "
                  "1's chain hash)");
  sub->add_option("--batch", a->batch_rows, "rows per insert (default 20000)")
      ->check(CLI::Range(1, 1000000));
  sub->callback([run, a] { run.rc = RunExport(run.g, *a); });
}

}  // namespace jifen::cli

namespace {

// Periods and years in a clerk's Chinese forms (2022年6月, 2022年第二季度, 2022年), wherever a
// subcommand (or a subcommand of it) takes one.
void TakeChineseForms(CLI::App* sub) {
  if (CLI::Option* period = sub->get_option_no_throw("--period")) period->transform(PeriodForm);
  if (CLI::Option* year = sub->get_option_no_throw("--year")) year->transform(YearForm);
  for (CLI::App* inner : sub->get_subcommands([](CLI::App*) { return true; }))
    TakeChineseForms(inner);
}

}  // namespace

void AddGlobals(CLI::App& app, Globals& g) {
  app.add_option("--ledger", g.ledger_dir, "ledger directory (default ./ledger)");
  app.add_option("--format", g.format, "output: table, json or csv")
      ->transform(CLI::CheckedTransformer(std::map<std::string, Format>{
          {"table", Format::kTable}, {"json", Format::kJson}, {"csv", Format::kCsv}}));
  app.add_option("--lang", g.lang,
                 "messages and headers: zh or en (default: the rule file's language)")
      ->check(CLI::IsMember({"zh", "en"}));
  app.add_flag("--verbose", g.verbose, "log on stderr what jifen reads and how long it takes");
}

void AddSubcommands(CLI::App& app, Globals& g, int& rc) {
  Run run{g, rc};
  for (auto add :
       {AddCheckCommand,      AddFmtCommand,      AddRulesCommand,   AddImportCommand,
        AddTemplateCommand,   AddCardsCommand,    AddVerifyCommand,  AddLogCommand,
        AddScoreCommand,      AddAnnualCommand,   AddExplainCommand, AddDistributeCommand,
        AddApproveCommand,    AddPostCommand,     AddObjectCommand,  AddRuleCommand,
        AddObjectionsCommand, AddAuditCommand,    AddCompareCommand, AddWhatIfCommand,
        AddBoardCommand,      AddSimulateCommand, AddDemoCommand,    AddServeCommand,
        AddUserCommand,       AddExportCommand}) {
    add(app, run);
  }
  AddTransparencySubcommands(app, g, rc);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    AddGlobals(*sub, g);
    TakeChineseForms(sub);
  }
}

}  // namespace jifen::cli
