// jifen: the command line (SPEC.md §5). Parses arguments with CLI11 and hands each subcommand to
// its Run* function; every exit code means one thing (commands.h).
#include <malloc.h>
#include <unistd.h>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "web/accounts.h"

// serve, user add (cli/cmd_serve.cc) and cards (cli/cmd_cards.cc): the web application, its
// accounts and the households' cards.
namespace jifen::cli {
int RunUserAdd(const Globals& g, const web::Account& account, const std::string& password_file);
int RunCards(const Globals& g, const std::string& village, const std::string& out, std::string base_url);
int RunServe(const Globals& g, const std::string& listen, const std::string& cert, const std::string& key);
}  // namespace jifen::cli
#include "cli/import_files.h"
#include "cli/template.h"

namespace {

using jifen::cli::Format;
using jifen::cli::Globals;

// Options that every subcommand accepts after its name too (`jifen score --ledger L ...`).
void AddGlobals(CLI::App& app, Globals& g) {
  app.add_option("--ledger", g.ledger_dir, "ledger directory (default ./ledger)");
  app.add_option("--format", g.format, "output: table, json or csv")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, Format>{{"table", Format::kTable}, {"json", Format::kJson}, {"csv", Format::kCsv}}));
  app.add_option("--lang", g.lang, "messages and headers: zh or en (default: the rule file's language)")
      ->check(CLI::IsMember({"zh", "en"}));
  app.add_flag("--verbose", g.verbose, "log on stderr what jifen reads and how long it takes");
}

// Exit code 1 and a message when what a command printed did not all reach standard output (a full
// disk, a closed file): `jifen log > backup.jsonl` on a full disk must not end as a success with
// half a backup.
int CheckStandardOutput(int rc) {
  errno = 0;
  std::cout.flush();
  bool failed = !std::cout.good();
  failed = std::fflush(stdout) != 0 || failed;
  failed = std::ferror(stdout) != 0 || failed;
  if (!failed) return rc;
  int error = errno;
  std::fprintf(stderr, "jifen: writing standard output failed%s%s; what was printed is incomplete\n",
               error != 0 ? ": " : "", error != 0 ? std::strerror(error) : "");
  return rc != 0 ? rc : 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Replay builds and drops a vector of events per village; keep freed memory in the heap for
  // the next village instead of returning it to the kernel and faulting it in again.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  // Output to a file or a pipe in 64 KiB blocks: fewer writes, and a write that fails (a full
  // disk) fails in CheckStandardOutput's flush, where its errno is still there to report, for any
  // output up to that size (--help included).
  static char stdout_buffer[1 << 16];
  if (!isatty(STDOUT_FILENO)) std::setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  CLI::App app{"jifen 积分 — points schemes (积分制) for villages: rules, ledger, replay, audit"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "every subcommand's help");
  Globals g;
  AddGlobals(app, g);
  // Log lines go to stderr ("jifen: ..."), never into the figures on stdout.
  auto logger = spdlog::stderr_logger_st("jifen");
  logger->set_pattern("jifen: %v");
  spdlog::set_default_logger(logger);
  app.parse_complete_callback([&] { spdlog::set_level(g.verbose ? spdlog::level::debug : spdlog::level::info); });
  int rc = 0;

  std::vector<std::string> check_files;
  auto* check = app.add_subcommand("check", "validate rule files and print diagnostics\n  example: jifen check villages/*.rules");
  check->add_option("files", check_files, "rule files")->required()->check(CLI::ExistingFile);
  check->callback([&] { rc = jifen::cli::RunCheck(g, check_files); });

  std::string fmt_file, fmt_keywords;
  auto* fmt = app.add_subcommand("fmt", "print a rule file in canonical layout\n  example: jifen fmt villages/shuangyangshu.rules --keywords zh");
  fmt->add_option("file", fmt_file, "rule file")->required()->check(CLI::ExistingFile);
  fmt->add_option("--keywords", fmt_keywords, "translate keywords: zh or en")->check(CLI::IsMember({"zh", "en"}));
  fmt->callback([&] { rc = jifen::cli::RunFmt(g, fmt_file, fmt_keywords); });

  auto* rules = app.add_subcommand("rules", "rule versions of the ledger");
  rules->require_subcommand(1);
  std::string adopt_file, adopt_effective, adopt_by;
  std::optional<std::string> adopt_recorded;
  auto* adopt = rules->add_subcommand("adopt", "adopt a rule file for its village from an effective date\n"
                                                "  example: jifen rules adopt villages/shuangyangshu.rules --effective 2022-01-01 --approved-by 村民代表大会");
  adopt->add_option("file", adopt_file, "rule file")->required()->check(CLI::ExistingFile);
  adopt->add_option("--effective", adopt_effective, "first day of a period, YYYY-MM-DD")->required();
  adopt->add_option("--approved-by", adopt_by, "who approved it (e.g. 村民代表大会 2021-12-20)");
  adopt->add_option("--recorded", adopt_recorded, "recorded time for historical imports (RFC 3339)");
  adopt->callback([&] { rc = jifen::cli::RunAdopt(g, adopt_file, adopt_effective, adopt_by, adopt_recorded); });

  std::vector<std::string> import_files;
  auto* import = app.add_subcommand("import", "append records (.jsonl or .csv), all or nothing\n  example: jifen import 2022-03.jsonl");
  import->add_option("files", import_files, "record files")->required()->check(CLI::ExistingFile);
  import->callback([&] { rc = jifen::cli::RunImport(g, import_files); });

  // A clerk's spreadsheets (docs/IMPORT.md): which sheet of a workbook, the ledger whose names
  // stand for codes; and `template`, the workbook a clerk fills in.
  std::string import_sheet;
  import->add_option("--sheet", import_sheet, "the sheet of each .xlsx file (default: the first)");
  jifen::cli::SetImportFileOptions(&g.ledger_dir, &import_sheet);
  std::string template_village, template_kind = "awards", template_out;
  auto* template_command = app.add_subcommand(
      "template", "write an .xlsx form with the village's items, households, persons and scorers to fill in and import\n"
                  "  example: jifen template --village SYS --kind awards --out 登记表.xlsx");
  template_command->add_option("--village", template_village, "village code")->required();
  template_command->add_option("--kind", template_kind, "awards (积分登记) or roster (花名册)")
      ->check(CLI::IsMember({"awards", "roster"}));
  template_command->add_option("--out", template_out, "the workbook to write (.xlsx)")->required();
  template_command->callback(
      [&] { rc = jifen::cli::RunTemplate(g, template_village, template_kind, template_out); });

  std::string cards_village, cards_out, cards_base = "http://127.0.0.1:8080";
  auto* cards = app.add_subcommand("cards", "write printable household cards, each with a QR code of the household's own page\n"
                                            "  example: jifen cards --village SYS --out cards.html --base-url http://192.168.1.10:8080");
  cards->add_option("--village", cards_village, "village code")->required();
  cards->add_option("--out", cards_out, "the HTML file to write (print it on A4)")->required();
  cards->add_option("--base-url", cards_base, "the address villagers open jifen serve at (default http://127.0.0.1:8080)");
  cards->callback([&] { rc = jifen::cli::RunCards(g, cards_village, cards_out, cards_base); });

  auto* verify = app.add_subcommand("verify", "recompute the hash chain of the whole ledger\n  example: jifen verify");
  verify->callback([&] { rc = jifen::cli::RunVerify(g); });

  std::string log_village;
  uint64_t log_from = 1;
  auto* log = app.add_subcommand("log", "print records as JSON Lines (the import form)\n  example: jifen log --village SYS > sys.jsonl");
  log->add_option("--village", log_village, "only this village");
  log->add_option("--from", log_from, "first sequence number");
  log->callback([&] { rc = jifen::cli::RunLog(g, log_village, log_from); });

  std::string village, period, household, amount;
  int year = 0;
  std::optional<std::string> as_of;
  auto add_as_of = [&](CLI::App* sub) {
    sub->add_option("--as-of", as_of, "see only records recorded at or before this time (RFC 3339 or a date)");
  };
  auto* score = app.add_subcommand("score", "period figures of every household\n  example: jifen score --village SYS --period 2022-03");
  score->add_option("--village", village, "village code")->required();
  score->add_option("--period", period, "YYYY-MM or YYYY-Qn")->required();
  add_as_of(score);
  score->callback([&] { rc = jifen::cli::RunScore(g, village, period, as_of); });

  auto* annual = app.add_subcommand("annual", "annual figures and titles\n  example: jifen annual --village SYS --year 2022");
  annual->add_option("--village", village, "village code")->required();
  annual->add_option("--year", year, "YYYY")->required()->check(CLI::Range(1, 9999));
  add_as_of(annual);
  annual->callback([&] { rc = jifen::cli::RunAnnual(g, village, year, as_of); });

  auto* explain = app.add_subcommand("explain", "every record behind a household's figures\n  example: jifen explain --village SYS --period 2022-03 --household H01");
  explain->add_option("--village", village, "village code")->required();
  explain->add_option("--period", period, "YYYY-MM or YYYY-Qn")->required();
  explain->add_option("--household", household, "household code")->required();
  add_as_of(explain);
  explain->callback([&] { rc = jifen::cli::RunExplain(g, village, period, household, as_of); });

  auto* distribute = app.add_subcommand("distribute", "shares + points dividend of a year\n  example: jifen distribute --village SYS --year 2022 --amount 100000");
  distribute->add_option("--village", village, "village code")->required();
  distribute->add_option("--year", year, "YYYY")->required()->check(CLI::Range(1, 9999));
  distribute->add_option("--amount", amount, "amount in yuan, at most 2 decimals")->required();
  add_as_of(distribute);
  distribute->callback([&] { rc = jifen::cli::RunDistribute(g, village, year, amount, as_of); });

  // The workflow (SPEC.md §3 "Review", "Posting"): each command appends one record.
  jifen::cli::WorkflowArgs wf;
  auto add_recorded = [&](CLI::App* sub) {
    sub->add_option("--recorded", wf.recorded, "recorded time for historical records (RFC 3339)");
    sub->add_option("--village", wf.village, "village code")->required();
  };
  auto* approve = app.add_subcommand("approve", "approve an award that waits for review (审核通过)\n"
                                                "  example: jifen approve --village SYS --award SYS-0001 --scorer S2");
  add_recorded(approve);
  approve->add_option("--award", wf.target, "the award's id")->required();
  approve->add_option("--scorer", wf.scorer, "the approving scorer (a review role)")->required();
  approve->callback([&] { rc = jifen::cli::RunApprove(g, wf); });
  auto* post = app.add_subcommand("post", "record that a period's board was posted publicly (张榜公示); starts the notice window\n"
                                          "  example: jifen post --village SYS --period 2022-03 --scorer S2");
  add_recorded(post);
  post->add_option("--period", wf.period, "YYYY-MM or YYYY-Qn")->required();
  post->add_option("--scorer", wf.scorer, "who posted it")->required();
  post->add_option("--id", wf.id, "the post's id (default VILLAGE-PPERIOD)");
  post->add_option("--head", wf.head, "the ledger head the posted board showed (checked against the ledger)");
  post->callback([&] { rc = jifen::cli::RunPost(g, wf); });
  auto* object = app.add_subcommand("object", "record a villager's objection (异议) to a record or a household's figures\n"
                                              "  example: jifen object --village SYS --period 2022-03 --record SYS-0001 --reason 未参加 --filed-by 王五");
  add_recorded(object);
  object->add_option("--period", wf.period, "YYYY-MM or YYYY-Qn")->required();
  auto* object_record = object->add_option("--record", wf.target, "the award's or redemption's id");
  auto* object_household = object->add_option("--household", wf.household, "or the household whose figures are disputed");
  object_record->excludes(object_household);
  object->add_option("--reason", wf.reason, "what is wrong")->required();
  object->add_option("--filed-by", wf.filed_by, "who raised it")->required();
  object->add_option("--scorer", wf.scorer, "the clerk who records it");
  object->add_option("--id", wf.id, "the objection's id (default VILLAGE-OPERIOD)");
  object->callback([&] {
    if (wf.target.empty() == wf.household.empty()) {
      rc = jifen::cli::Fail(jifen::Status::Usage("object: give --record or --household"));
      return;
    }
    rc = jifen::cli::RunObject(g, wf);
  });
  auto* rule = app.add_subcommand("rule", "record the committee's ruling on an objection (upheld revokes the record)\n"
                                          "  example: jifen rule --village SYS --objection SYS-O2022-03 --outcome upheld --reason 核实 --scorer S2");
  add_recorded(rule);
  rule->add_option("--objection", wf.target, "the objection's id")->required();
  rule->add_option("--outcome", wf.outcome, "upheld or dismissed")->required()->check(CLI::IsMember({"upheld", "dismissed"}));
  rule->add_option("--reason", wf.reason, "why")->required();
  rule->add_option("--scorer", wf.scorer, "who rules")->required();
  rule->add_option("--id", wf.id, "the ruling's id (default OBJECTION-ruling)");
  rule->callback([&] { rc = jifen::cli::RunRule(g, wf); });
  auto* objections = app.add_subcommand("objections", "a period's objections with their rulings\n"
                                                      "  example: jifen objections --village SYS --period 2022-03");
  objections->add_option("--village", village, "village code")->required();
  objections->add_option("--period", period, "YYYY-MM or YYYY-Qn")->required();
  add_as_of(objections);
  objections->callback([&] { rc = jifen::cli::RunObjections(g, village, period, as_of); });

  std::string concentration, whatif_rules;
  auto add_window = [&](CLI::App* sub) {
    auto* p = sub->add_option("--period", period, "YYYY-MM or YYYY-Qn");
    auto* y = sub->add_option("--year", year, "YYYY: every period of the year")->check(CLI::Range(1, 9999));
    p->excludes(y);
  };
  auto* audit = app.add_subcommand("audit", "fairness report: self-scoring, scorer concentration, late and back-dated records, "
                                            "revocations, overdrawn redemptions, chain state\n"
                                            "  example: jifen audit --village SYS --year 2022 --format json");
  audit->add_option("--village", village, "village code")->required();
  add_window(audit);
  add_as_of(audit);
  audit->add_option("--concentration", concentration, "lift threshold for scorer concentration (default 3)");
  audit->callback([&] { rc = jifen::cli::RunAudit(g, village, period, year, as_of, concentration); });

  auto* compare = app.add_subcommand("compare", "the villages of the ledger side by side\n"
                                                "  example: jifen compare --period 2022-03");
  add_window(compare);
  add_as_of(compare);
  compare->callback([&] { rc = jifen::cli::RunCompare(g, period, year, as_of); });

  auto* whatif = app.add_subcommand("whatif", "replay a period or year under a proposed rule file, without adopting it\n"
                                              "  example: jifen whatif --village SYS --rules proposal.rules --period 2022-03");
  whatif->add_option("--village", village, "village code")->required();
  whatif->add_option("--rules", whatif_rules, "the proposed rule file")->required()->check(CLI::ExistingFile);
  add_window(whatif);
  add_as_of(whatif);
  whatif->callback([&] { rc = jifen::cli::RunWhatIf(g, village, whatif_rules, period, year, as_of); });

  std::string board_html, board_xlsx;
  auto* board = app.add_subcommand("board", "printable public notice (公示榜) of a period or a year, as A4 HTML and Excel\n"
                                            "  example: jifen board --village SYS --period 2022-03 --out 公示榜.html --xlsx 公示榜.xlsx");
  board->add_option("--village", village, "village code")->required();
  add_window(board);
  add_as_of(board);
  board->add_option("--out", board_html, "the HTML notice to write")->required();
  board->add_option("--xlsx", board_xlsx, "also write the table as an Excel workbook");
  board->callback([&] { rc = jifen::cli::RunBoard(g, village, period, year, as_of, board_html, board_xlsx); });

  int sim_villages = 4, sim_households = 40, sim_year = 2022;
  uint64_t sim_seed = 1;
  std::string villages_dir, demo_out = "demo";
  auto* simulate = app.add_subcommand("simulate", "fill a new ledger with a simulated township (deterministic)\n"
                                                  "  example: jifen simulate --villages 8 --households 100 --year 2022 --seed 7 --ledger sim");
  simulate->add_option("--villages", sim_villages, "villages (rule files are cycled, then cloned)")->check(CLI::Range(1, 500));
  simulate->add_option("--households", sim_households, "households per village")->check(CLI::Range(1, 99999));
  simulate->add_option("--year", sim_year, "YYYY")->check(CLI::Range(1971, 9000));
  simulate->add_option("--seed", sim_seed, "random seed: the same arguments give the same ledger");
  simulate->add_option("--villages-dir", villages_dir, "rule files to simulate (default: the bundled villages/)");
  simulate->callback([&] { rc = jifen::cli::RunSimulate(g, sim_villages, sim_households, sim_year, sim_seed, villages_dir); });

  auto* demo = app.add_subcommand("demo", "simulate the bundled villages into a fresh ledger and show what jifen does\n"
                                          "  example: jifen demo --out /tmp/demo");
  demo->add_option("--out", demo_out, "output directory (default ./demo; the ledger goes to OUT/ledger)");
  demo->add_option("--villages-dir", villages_dir, "rule files to simulate (default: the bundled villages/)");

  // The web application (web/): `serve`, and `user add` for its accounts (kept beside the ledger,
  // outside the chain, in LEDGER/accounts).
  std::string serve_listen = "127.0.0.1:8080", serve_cert, serve_key, user_password_file;
  jifen::web::Account user_account;
  auto* serve = app.add_subcommand("serve", "serve the village office on the web (登录、记分、公示榜、农户页)\n"
                                            "  example: jifen serve --ledger ledger --listen 127.0.0.1:8080");
  serve->add_option("--listen", serve_listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--cert", serve_cert, "TLS certificate (PEM)");
  serve->add_option("--key", serve_key, "TLS private key (PEM)");
  serve->callback([&] { rc = jifen::cli::RunServe(g, serve_listen, serve_cert, serve_key); });
  auto* user = app.add_subcommand("user", "accounts of `jifen serve`");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add an account; the password is asked for, or read from --password-file\n"
                                               "  example: jifen user add wang --role scorer --village SYS --scorer S1");
  user_add->add_option("name", user_account.name, "account name")->required();
  user_add->add_option("--role", user_account.role, "clerk, scorer, township or auditor")
      ->required()
      ->check(CLI::IsMember(jifen::web::AccountRoles()));
  user_add->add_option("--village", user_account.village, "village code")->required();
  user_add->add_option("--scorer", user_account.scorer, "the registered scorer the account records as");
  user_add->add_option("--password-file", user_password_file, "read the password from the first line of this file");
  user_add->callback([&] { rc = jifen::cli::RunUserAdd(g, user_account, user_password_file); });

  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) AddGlobals(*sub, g);
  AddGlobals(*adopt, g);
  AddGlobals(*user_add, g);
  demo->callback([&] {
    bool ledger_given = app.get_option("--ledger")->count() > 0 || demo->get_option("--ledger")->count() > 0;
    rc = jifen::cli::RunDemo(g, demo_out, ledger_given, villages_dir);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return CheckStandardOutput(code == 0 ? 0 : 2);
  }
  return CheckStandardOutput(rc);
}
