// simulate and demo: a sample township ledger from the bundled village rule files, and a tour of
// what jifen does with it.
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "engine/replay.h"
#include "engine/simulate.h"
#include "accounts/accounts.h"

#ifndef JIFEN_SOURCE_DIR
#define JIFEN_SOURCE_DIR "."
#endif

namespace jifen::cli {
namespace {

namespace fs = std::filesystem;

// The bundled rule files: those of the source tree, else ./villages.
std::string DefaultVillagesDir() {
  std::string bundled = JIFEN_SOURCE_DIR "/villages";
  std::error_code ec;
  return fs::is_directory(bundled, ec) ? bundled : "villages";
}

void PrintProgress(const std::string& line) { std::cerr << "jifen simulate: " << line << '\n'; }

// Removes an earlier demo ledger, but only a directory holding nothing but LMDB's two files.
Status RemoveOldLedger(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::Ok();
  if (!fs::is_directory(dir, ec))
    return Status::Usage(dir + ": exists and is not a ledger directory");
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    // The demo's own accounts/ (jifen serve), evidence/ (photos) and log.key (the key its board
    // signed the checkpoint with, SPEC.md §6) live beside the data file.
    if (name != "data.mdb" && name != "lock.mdb" && name != "accounts" && name != "evidence" &&
        name != "log.key") {
      return Status::Usage(dir + ": holds " + name + ", not only a ledger; refusing to replace it");
    }
  }
  fs::remove_all(dir, ec);
  if (ec) return Status::IOError(dir + ": cannot remove: " + ec.message());
  return Status::Ok();
}

void Heading(const std::string& title, const std::string& command) {
  std::cout << "\n━━ " << title << " ━━\n$ " << command << "\n\n" << std::flush;
}

// The household ranked first in `village` for `period` (empty if none).
std::string TopHousehold(const Globals& g, const std::string& village, Period period) {
  auto loaded = LoadVillageForPeriods(g, village, period, period, std::nullopt);
  if (!loaded.ok()) return "";
  auto figures = engine::Replay(loaded->model, period, period);
  if (!figures.ok() || figures->back().households.empty()) return "";
  return figures->back().households.front().household;
}

// A proposed amendment of the demo village's rules for `whatif`: its bundled file plus one bonus,
// written beside the demo ledger. Returns the file's path.
Result<std::string> WriteProposal(const std::string& villages_dir,
                                  const engine::SimulatedVillage& v, const std::string& out_dir) {
  std::ifstream in(fs::path(villages_dir) / v.file, std::ios::binary);
  if (!in) return Status::InvalidInput(v.file + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  bool zh = text.str().find("village ") == std::string::npos;
  std::string path = (fs::path(out_dir) / "proposal.rules").string();
  std::ofstream out(path, std::ios::binary);
  out << text.str() << "\n# 提案：高分户奖励（村民代表会议讨论中）\n"
      << (zh ? "加分 BX \"高分户奖励\" +10 每户 当 得分 >= 80 且 计数(负) == 0\n"
             : "bonus BX \"高分户奖励\" +10 per household when earned >= 80 and count(negative) == 0\n");
  if (!out) return Status::IOError(path + ": cannot write");
  return path;
}

// A time on `day` at `hh:mm` Beijing time, as the workflow commands take it.
std::string At(Date day, const char* hh_mm) { return day.ToString() + "T" + hh_mm + ":00+08:00"; }

// What the demo's workflow does: the awards waiting for review with a reviewer for each, a
// counted award to object to, the reviewer who posts and rules, and the days it happens on.
struct DemoPlan {
  std::vector<std::pair<std::string, std::string>> approvals;  // award id, reviewer
  std::string disputed;
  std::string reviewer;
  Date day, objected, ruled, late;
};

// The plan for `period` of the loaded village, or nullopt when it has no reviewer or nothing to
// object to.
Result<std::optional<DemoPlan>> PlanDemoWorkflow(const Loaded& loaded, Period period) {
  const engine::VillageModel& m = loaded.model;
  const grammar::RuleFile& rules = *m.RulesInForce(period.FirstDay())->rules;
  engine::ReplayOptions options;
  options.keep_events = true;
  auto figures = engine::Replay(m, period, period, options);
  if (!figures.ok()) return figures.status();
  DemoPlan plan;
  for (const engine::EventResult& r : figures->back().events) {
    const engine::Event& e = *r.record;
    if (r.outcome == engine::Outcome::kCounted && plan.disputed.empty() && r.counted > Points() &&
        !m.approvals.Contains(e.id)) {
      plan.disputed = e.id;
    }
    if (r.outcome != engine::Outcome::kPending || plan.approvals.size() == 3) continue;
    for (const auto& [code, scorer] : m.scorers) {
      if (!m.IsReviewer(rules, code) || code == e.scorer.str()) continue;
      const std::string* own =
          scorer.person.empty() ? nullptr : m.HouseholdOf(scorer.person, e.date);
      if (own && *own == r.household) continue;
      plan.approvals.emplace_back(e.id, code);
      break;
    }
  }
  for (const auto& [code, scorer] : m.scorers) {
    if (m.IsReviewer(rules, code)) plan.reviewer = code;
  }
  if (plan.reviewer.empty() || plan.disputed.empty()) return std::optional<DemoPlan>();
  // The workflow happens after everything the simulation recorded.
  plan.day = loaded.reader->LatestRecorded().value_or(Timestamp{}).LocalDate().AddDays(1);
  int notice = rules.village.notice_days.value_or(0);
  plan.objected = plan.day.AddDays(1);
  plan.ruled = plan.day.AddDays(notice + 2);
  plan.late = plan.day.AddDays(notice + 3);
  return std::optional<DemoPlan>(std::move(plan));
}

// The pending awards approved, then the period posted.
int DemoReviewAndPost(const Globals& demo, const std::string& village, const std::string& p,
                      const DemoPlan& plan, const std::string& at_ledger) {
  int rc = 0;
  WorkflowArgs a;
  a.village = village;
  for (const auto& [award, by] : plan.approvals) {
    a.target = award;
    a.scorer = by;
    a.recorded = At(plan.day, "09:00");
    std::cout << "\n$ jifen approve --village " << village << " --award " << award << " --scorer "
              << by << " --recorded " << *a.recorded << at_ledger << '\n';
    if ((rc = RunApprove(demo, a)) != 0) return rc;
  }
  a = WorkflowArgs{};
  a.village = village;
  a.period = p;
  a.scorer = plan.reviewer;
  a.recorded = At(plan.day, "17:00");
  std::cout << "\n$ jifen post --village " << village << " --period " << p << " --scorer "
            << plan.reviewer << " --recorded " << *a.recorded << at_ledger << '\n';
  return RunPost(demo, a);
}

// An objection to the disputed award, upheld; the objections listed before and after.
int DemoObjectAndRule(const Globals& demo, const std::string& village, Period period,
                      const DemoPlan& plan, const std::string& at_ledger) {
  int rc = 0;
  const std::string p = period.ToString();
  WorkflowArgs a;
  a.village = village;
  a.period = p;
  a.target = plan.disputed;
  a.reason = "当天不在村里，没有参加";
  a.filed_by = "村民（来村委会当面提出）";
  a.recorded = At(plan.objected, "10:00");
  std::cout << "\n$ jifen object --village " << village << " --period " << p << " --record "
            << plan.disputed << " --reason " << a.reason << " --filed-by " << a.filed_by
            << " --recorded " << *a.recorded << at_ledger << '\n';
  if ((rc = RunObject(demo, a)) != 0) return rc;
  std::string as_of = At(plan.objected, "18:00");
  std::cout << "\n$ jifen objections --village " << village << " --period " << p << " --as-of "
            << as_of << at_ledger << "\n\n";
  if ((rc = RunObjections(demo, village, p, as_of)) != 0) return rc;
  auto listed = LoadVillageForPeriods(demo, village, period, period, std::nullopt);
  if (!listed.ok()) return Fail(listed.status());
  std::string objection = listed->model.periods.at(p).objections.back();
  a = WorkflowArgs{};
  a.village = village;
  a.target = objection;
  a.outcome = "upheld";
  a.reason = "经核实，当天确未参加，撤销该条记录";
  a.scorer = plan.reviewer;
  a.recorded = At(plan.ruled, "10:00");
  std::cout << "\n$ jifen rule --village " << village << " --objection " << objection
            << " --outcome upheld --reason " << a.reason << " --scorer " << plan.reviewer
            << " --recorded " << *a.recorded << at_ledger << '\n';
  if ((rc = RunRule(demo, a)) != 0) return rc;
  std::cout << "\n$ jifen objections --village " << village << " --period " << p << at_ledger
            << "\n\n";
  return RunObjections(demo, village, p, std::nullopt);
}

// A correction after the period is final is refused, with the reason.
int DemoLateCorrection(const Globals& demo, const std::string& village, const DemoPlan& plan,
                       const std::string& out_dir, const std::string& at_ledger) {
  std::string file = (fs::path(out_dir) / "late-correction.jsonl").string();
  {
    std::ofstream out(file, std::ios::binary);
    out << R"({"type":"revoke","village":")" << village << R"(","target":")"
        << plan.approvals.front().first << R"(","scorer":")" << plan.reviewer
        << R"(","reason":"补充更正","recorded":")" << At(plan.late, "09:00") << "\"}\n";
  }
  std::cout << "\n$ jifen import " << file << at_ledger
            << "    # a correction after the period is final\n";
  if (RunImport(demo, {file}) != 1)
    return Fail(Status::InvalidInput("demo: the late correction was not refused"));
  std::cout << "(refused, as it must be: nothing was written)\n";
  return 0;
}

// One period's workflow in a village that reviews its entries (审核 → 公示 → 异议 → 裁定 → 定稿),
// after the simulated year: pending entries approved, the period posted, an objection upheld, the
// period final, and a late correction refused. Returns the exit code of the first failing step.
int DemoWorkflow(const Globals& demo, const engine::SimulatedVillage& v, int year,
                 const std::string& at_ledger, const std::string& out_dir,
                 const std::function<std::string()>& n) {
  Period period = Period::Containing(Date::FromCivil(year, 12, 31), v.period);
  std::string village = v.code, p = period.ToString();
  auto loaded = LoadVillageForPeriods(demo, village, period, period, std::nullopt);
  if (!loaded.ok()) return Fail(loaded.status());
  auto plan = PlanDemoWorkflow(*loaded, period);
  if (!plan.ok()) return Fail(plan.status());
  if (!plan->has_value()) return 0;
  Heading(n() + v.name + " (" + village + ") closes " + p +
              ": review, post, objection, ruling (审核 → 公示 → 异议 → 裁定 → 定稿)",
          "jifen score --village " + village + " --period " + p + at_ledger);
  int rc = RunScore(demo, village, p, std::nullopt);
  if (rc != 0) return rc;
  if ((rc = DemoReviewAndPost(demo, village, p, **plan, at_ledger)) != 0) return rc;
  if ((rc = DemoObjectAndRule(demo, village, period, **plan, at_ledger)) != 0) return rc;
  if ((rc = DemoLateCorrection(demo, village, **plan, out_dir, at_ledger)) != 0) return rc;
  const std::string board = (fs::path(out_dir) / ("board-" + village + "-" + p + ".html")).string();
  Heading(n() + "The notice of the final " + p + ", with its objections",
          "jifen board --village " + village + " --period " + p + " --out " + board + at_ledger);
  return RunBoard(demo, village, p, 0, std::nullopt, board, "");
}

}  // namespace

int RunSimulate(const Globals& g, int villages, int households, int year, uint64_t seed,
                const std::string& villages_dir) {
  auto ledger = ledger::Ledger::Open(g.ledger_dir, true);
  if (!ledger.ok()) return Fail(ledger.status());
  engine::SimulateOptions options;
  options.villages = villages;
  options.households = households;
  options.year = year;
  options.seed = seed;
  options.villages_dir = villages_dir.empty() ? DefaultVillagesDir() : villages_dir;
  options.progress = PrintProgress;
  auto summary = engine::Simulate(**ledger, options);
  if (!summary.ok()) return Fail(summary.status());
  std::cout << engine::DescribeSimulation(*summary) << "\nLedger: " << g.ledger_dir << '\n';
  return 0;
}

// Demo accounts of the web office (passwords printed: for the demo only), and how to open the
// demo ledger in the browser: the last step of the demo.
int DemoInTheBrowser(const Globals& demo, const engine::SimulateSummary& summary,
                     const std::string& at_ledger) {
  auto ledger = ledger::Ledger::Open(demo.ledger_dir, false);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  auto store = accounts::AccountStore::Open(demo.ledger_dir + "/accounts", true);
  if (!store.ok()) return Fail(store.status());
  std::vector<accounts::Account> accounts;
  std::string card;
  for (const auto& v : summary.villages) {
    auto model = engine::LoadVillageStructure(**reader, v.code, (*reader)->HeadSequence());
    if (!model.ok() || model->adoptions.empty()) continue;
    const auto& review = model->adoptions.back().rules->village.review_roles;
    auto reviewer = [&](const engine::Scorer& s) {
      return std::find(review.begin(), review.end(), s.role) != review.end();
    };
    std::string lower = v.code;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v.review && card.empty()) {
      for (const auto& [code, s] : model->scorers) {
        if (reviewer(s)) {
          accounts.push_back({lower + "-clerk", "clerk", v.code, code});
          break;
        }
      }
      for (const auto& [code, s] : model->scorers) {
        if (!reviewer(s)) {
          accounts.push_back({lower + "-scorer", "scorer", v.code, code});
          break;
        }
      }
      if (!model->households.empty()) {
        const std::string& h = model->households.begin()->first;
        card = (*store)->CardPath(v.code, h);
      }
    } else if (v.rewards && !model->scorers.empty() &&
               std::none_of(accounts.begin(), accounts.end(),
                            [](auto& a) { return a.name.find("shop") != std::string::npos; })) {
      accounts.push_back({lower + "-shop", "clerk", v.code, model->scorers.begin()->first});
    }
  }
  std::string home = summary.villages.empty() ? "" : summary.villages.front().code;
  accounts.push_back({"township", "township", home, ""});
  accounts.push_back({"auditor", "auditor", home, ""});
  std::cout
      << "\n━━ Open it in the browser (村务网页) ━━\n"
      << "$ jifen serve" << at_ledger << "\n\n"
      << "  then open http://127.0.0.1:8080/ (a phone on the office network: jifen serve --listen 0.0.0.0:8080"
      << at_ledger << ")\n"
      << "  demo accounts (password = the account's name followed by -demo; for this demo only):\n";
  for (const auto& a : accounts) {
    Status s = (*store)->AddUser(a, a.name + "-demo");
    if (!s.ok() && s.message().find("already exists") == std::string::npos) return Fail(s);
    std::cout << "    " << a.name << " / " << a.name << "-demo   (" << a.role << ", " << a.village
              << (a.scorer.empty() ? "" : ", scorer " + a.scorer) << ")\n";
  }
  if (!card.empty())
    std::cout << "  a household's own page, as its card opens it: http://127.0.0.1:8080" << card
              << '\n';
  std::cout << "  cards to print for every household: jifen cards --village "
            << (card.empty() ? home : card.substr(3, card.find('/', 3) - 3)) << " --out cards.html"
            << at_ledger << '\n';
  return 0;
}

namespace {

// The demo's village and period: one with a monthly ranking and a dividend when there is one,
// and its period that holds 15 June.
struct DemoChoice {
  const engine::SimulatedVillage* village;
  Period month, period;
};

DemoChoice ChooseDemoVillage(const engine::SimulateSummary& summary) {
  const engine::SimulatedVillage* v = &summary.villages.front();
  for (const auto& candidate : summary.villages) {
    if (candidate.period == PeriodKind::kMonth && candidate.dividend) {
      v = &candidate;
      break;
    }
  }
  Period month{PeriodKind::kMonth, summary.year, 6};
  return {
      v, month,
      v->period == PeriodKind::kMonth ? month : Period::Containing(month.FirstDay(), v->period)};
}

// Replaces the ledger at demo.ledger_dir with a simulated township of every rule file of
// `options.villages_dir`, 40 households each, and prints what was simulated.
Result<engine::SimulateSummary> SimulateDemoLedger(const Globals& demo,
                                                   engine::SimulateOptions& options,
                                                   const std::string& at_ledger,
                                                   const std::function<std::string()>& n) {
  const std::string& dir = demo.ledger_dir;
  if (Status s = RemoveOldLedger(dir); !s.ok()) return s;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError(dir + ": cannot create: " + ec.message());
  options.villages = 0;
  for (const auto& entry : fs::directory_iterator(options.villages_dir, ec)) {
    if (entry.path().extension() == ".rules") ++options.villages;
  }
  if (options.villages == 0)
    return Status::InvalidInput(options.villages_dir + ": no .rules files");
  options.households = 40;
  options.year = 2022;
  options.seed = 1;
  Heading(n() + "A township's year, simulated from " + options.villages_dir,
          "jifen simulate --villages " + std::to_string(options.villages) +
              " --households 40 --year 2022 --seed 1" + at_ledger);
  auto ledger = ledger::Ledger::Open(dir, true);
  if (!ledger.ok()) return ledger.status();
  auto simulated = engine::Simulate(**ledger, options);
  if (!simulated.ok()) return simulated.status();
  std::cout << engine::DescribeSimulation(*simulated) << '\n';
  return simulated;
}

// The reports of one village: verify, score, annual, explain, distribute, then the township's
// compare and the audit where the simulation planted a favouring scorer.
int DemoReports(const Globals& demo, const engine::SimulateSummary& summary,
                const DemoChoice& choice, const std::string& at_ledger,
                const std::function<std::string()>& n) {
  const engine::SimulatedVillage* v = choice.village;
  std::string village = v->code, year = std::to_string(summary.year), p = choice.period.ToString();
  Heading(n() + "Every record is chained by SHA-256: recompute the chain",
          "jifen verify" + at_ledger);
  int rc = RunVerify(demo);
  if (rc != 0) return rc;
  Heading(n() + v->name + " (" + village + "): the ranking posted for " + p + " (张榜公示)",
          "jifen score --village " + village + " --period " + p + at_ledger);
  if ((rc = RunScore(demo, village, p, std::nullopt)) != 0) return rc;
  Heading(n() + "The year's evaluation and titles (年评比)",
          "jifen annual --village " + village + " --year " + year + at_ledger);
  if ((rc = RunAnnual(demo, village, summary.year, std::nullopt)) != 0) return rc;
  std::string top = TopHousehold(demo, village, choice.period);
  if (!top.empty()) {
    Heading(n() + "Why the first household scored what it did",
            "jifen explain --village " + village + " --period " + p + " --household " + top +
                at_ledger);
    if ((rc = RunExplain(demo, village, p, top, std::nullopt)) != 0) return rc;
  }
  if (v->dividend) {
    Heading(n() + "The collective's income paid out on shares + points (股份+积分)",
            "jifen distribute --village " + village + " --year " + year + " --amount 100000" +
                at_ledger);
    if ((rc = RunDistribute(demo, village, summary.year, "100000", std::nullopt)) != 0) return rc;
  }
  Heading(n() + "The villages side by side for the township (镇考核)",
          "jifen compare --period " + p + at_ledger);
  if ((rc = RunCompare(demo, p, 0, std::nullopt)) != 0) return rc;
  std::string audited = summary.favouring_village.empty() ? village : summary.favouring_village;
  Heading(n() + "Fairness audit of " + audited + " for " + p +
              ": self-scoring, favouritism, late records, revocations",
          "jifen audit --village " + audited + " --period " + p + at_ledger);
  return RunAudit(demo, audited, p, 0, std::nullopt, "");
}

void PrintGoFurther(const engine::SimulateSummary& summary, const DemoChoice& choice,
                    const std::string& at_ledger) {
  const std::string& village = choice.village->code;
  std::string p = choice.period.ToString();
  std::cout << "\n━━ Go further ━━\n"
            << "  jifen score --village " << village << " --period " << p << " --as-of "
            << choice.period.FirstDay().AddDays(19).ToString() << at_ledger
            << "    # the ranking as anyone could see it then\n"
            << "  jifen score --village " << village << " --period " << p << " --format json"
            << at_ledger << '\n'
            << "  jifen audit --village " << village << " --year " << summary.year << at_ledger
            << "    # the whole year\n"
            << "  jifen log --village " << village << at_ledger
            << " | head    # the records, as JSON Lines\n";
  for (const auto& other : summary.villages) {
    if (&other == choice.village) continue;
    Period q = other.period == PeriodKind::kMonth
                   ? choice.month
                   : Period::Containing(choice.month.FirstDay(), other.period);
    std::cout << "  jifen score --village " << other.code << " --period " << q.ToString()
              << at_ledger << "    # " << other.name << '\n';
  }
  if (!summary.favouring_scorer.empty()) {
    std::cout << "  (the simulation planted a scorer, " << summary.favouring_village << "/"
              << summary.favouring_scorer
              << ", who favours a few households: can you find them?)\n";
  }
}

}  // namespace

int RunDemo(const Globals& g, const std::string& out_dir, bool ledger_given,
            const std::string& villages_dir) {
  Globals demo = g;
  demo.format = Format::kTable;
  demo.ledger_dir = ledger_given ? g.ledger_dir : (fs::path(out_dir) / "ledger").string();
  const std::string at_ledger = " --ledger " + demo.ledger_dir;
  int step = 0;
  std::function<std::string()> n = [&step] { return std::to_string(++step) + ". "; };
  engine::SimulateOptions options;
  options.villages_dir = villages_dir.empty() ? DefaultVillagesDir() : villages_dir;
  auto summary = SimulateDemoLedger(demo, options, at_ledger, n);
  if (!summary.ok()) return Fail(summary.status());
  DemoChoice choice = ChooseDemoVillage(*summary);
  if (int rc = DemoReports(demo, *summary, choice, at_ledger, n); rc != 0) return rc;
  const std::string& village = choice.village->code;
  std::string p = choice.period.ToString();
  auto proposal = WriteProposal(options.villages_dir, *choice.village, out_dir);
  if (proposal.ok()) {
    Heading(n() + "What if the village added a bonus? Replay " + p +
                " under a proposal, adopting nothing",
            "jifen whatif --village " + village + " --rules " + *proposal + " --period " + p +
                at_ledger);
    if (int rc = RunWhatIf(demo, village, *proposal, p, 0, std::nullopt); rc != 0) return rc;
  }
  for (const auto& candidate : summary->villages) {
    if (!candidate.review) continue;
    if (int rc = DemoWorkflow(demo, candidate, summary->year, at_ledger, out_dir, n); rc != 0)
      return rc;
    break;
  }
  const std::string board = (fs::path(out_dir) / ("board-" + village + "-" + p + ".html")).string();
  Heading(n() + "The public notice (公示榜) to print and post, with the ledger's fingerprint",
          "jifen board --village " + village + " --period " + p + " --out " + board + at_ledger);
  if (int rc = RunBoard(demo, village, p, 0, std::nullopt, board, ""); rc != 0) return rc;
  PrintGoFurther(*summary, choice, at_ledger);
  return DemoInTheBrowser(demo, *summary, at_ledger);
}

}  // namespace jifen::cli
