// score, annual, explain, distribute: the replayed figures.
#include <iostream>

#include "cli/commands.h"
#include "cli/words.h"
#include "engine/annual.h"
#include "engine/replay.h"
#include "engine/workflow.h"

namespace jifen::cli {
namespace {

using engine::HouseholdName;

void PrintRulesLine(const engine::Adoption& a, bool zh) {
  Words w{zh};
  std::cout << w("rules ", "规则版本 ") << a.sha256.substr(0, 12) << w(" (effective ", "（生效 ")
            << a.effective.ToString()
            << (a.approved_by.empty() ? "" : w(", approved by ", "，通过：") + a.approved_by)
            << w(")\n", "）\n");
}

Json ScoreJson(const engine::VillageModel& m, const engine::PeriodFigures& p,
               const engine::PeriodStatus& status, const std::optional<std::string>& as_of) {
  Json households = Json::array();
  for (const auto& f : p.households) {
    households.push_back({{"household", f.household},
                          {"name", HouseholdName(m, f.household)},
                          {"rank", f.rank},
                          {"earned", JsonPoints(f.earned)},
                          {"redeemed", JsonPoints(f.redeemed)},
                          {"balance", JsonPoints(f.balance)},
                          {"cleared", JsonPoints(f.cleared)},
                          {"carried", JsonPoints(f.carried)},
                          {"base", JsonPoints(f.base)},
                          {"person_points", JsonPoints(f.person_points)},
                          {"household_points", JsonPoints(f.household_points)},
                          {"bonus", JsonPoints(f.bonus)},
                          {"members", f.members},
                          {"vetoed", f.vetoed},
                          {"pending", f.pending},
                          {"titles", f.titles}});
  }
  Json j{
      {"village", m.code}, {"period", p.period.ToString()}, {"rules_sha256", p.adoption->sha256}};
  if (as_of) j["as_of"] = *as_of;
  AddStatusJson(status, &j);
  j["households"] = std::move(households);
  return j;
}

// The ranking: one row per household; a column of pending awards where the rules review them.
Table ScoreTable(const engine::VillageModel& m, const engine::PeriodFigures& p, bool zh) {
  Words w{zh};
  bool review = !p.adoption->rules->village.review_roles.empty();
  std::vector<std::string> headers =
      zh ? std::vector<std::string>{">名次", "户号",  "户名",  ">得分", ">兑换", ">余额",
                                    ">清零", ">个人", ">家庭", ">加分", "否决",  "称号"}
         : std::vector<std::string>{">rank",          "household", "name",     ">earned",
                                    ">redeemed",      ">balance",  ">cleared", ">members'",
                                    ">household pts", ">bonus",    "veto",     "titles"};
  if (review) headers.push_back(w(">pending", ">待审核"));
  Table t(headers);
  for (const auto& f : p.households) {
    std::vector<std::string> cells{std::to_string(f.rank),         f.household,
                                   HouseholdName(m, f.household),  f.earned.ToString(),
                                   f.redeemed.ToString(),          f.balance.ToString(),
                                   f.cleared.ToString(),           f.person_points.ToString(),
                                   f.household_points.ToString(),  f.bonus.ToString(),
                                   f.vetoed ? w("yes", "是") : "", Join(f.titles, " ")};
    if (review) cells.push_back(f.pending ? std::to_string(f.pending) : "");
    t.AddRow(std::move(cells));
  }
  return t;
}

}  // namespace

int RunScore(const Globals& g, const std::string& village, const std::string& period_text,
             const std::optional<std::string>& as_of) {
  auto period = ParsePeriodArg(period_text);
  if (!period.ok()) return Fail(period.status());
  auto loaded = LoadVillageForPeriods(g, village, *period, *period, as_of);
  if (!loaded.ok()) return Fail(loaded.status());
  const engine::VillageModel& m = loaded->model;
  auto figures = engine::Replay(m, *period, *period);
  if (!figures.ok()) return Fail(figures.status());
  const engine::PeriodFigures& p = figures->back();
  engine::PeriodStatus status = engine::StatusOf(m, p.period, loaded->at);
  if (g.format == Format::kJson) {
    std::cout << ScoreJson(m, p, status, as_of).dump() << '\n';
    return 0;
  }
  const grammar::RuleFile& rules = *p.adoption->rules;
  bool zh = Chinese(g, rules);
  Words w{zh};
  Table t = ScoreTable(m, p, zh);
  if (g.format == Format::kCsv) {
    t.PrintCsv(std::cout);
    return 0;
  }
  std::cout << rules.village.name << " (" << village << ") " << p.period.ToString()
            << w(" ranking", " 积分排名") << (as_of ? w(", as of ", "，截至 ") + *as_of : "")
            << '\n';
  PrintRulesLine(*p.adoption, zh);
  std::cout << w("state: ", "状态：") << StatusText(status, zh) << "\n\n";
  t.Print(std::cout);
  return 0;
}

namespace {

using PeriodStates = std::vector<std::pair<Period, engine::PeriodStatus>>;

// The state of every period of `year` (SPEC.md §3 "Posting").
PeriodStates StatesOfYear(const engine::VillageModel& m, int year, Timestamp at) {
  PeriodStates states;
  if (auto range = engine::PeriodsOfYear(m, year); range.ok()) {
    for (Date day = range->first.FirstDay(); day <= range->second.LastDay();) {
      auto p = engine::PeriodOf(m, day);
      if (!p) break;
      states.emplace_back(*p, engine::StatusOf(m, *p, at));
      day = p->LastDay().AddDays(1);
    }
  }
  return states;
}

size_t FinalPeriods(const PeriodStates& states) {
  size_t final_periods = 0;
  for (const auto& [p, status] : states)
    final_periods += status.state == engine::PeriodState::kFinal;
  return final_periods;
}

Json AnnualJson(const engine::VillageModel& m, const engine::AnnualFigures& annual,
                const std::string& village, int year, const std::optional<std::string>& as_of,
                const PeriodStates& states) {
  Json households = Json::array();
  for (const auto& a : annual.households) {
    households.push_back({{"household", a.household},
                          {"name", HouseholdName(m, a.household)},
                          {"rank", a.rank},
                          {"periods", a.periods},
                          {"total", JsonPoints(a.total)},
                          {"annual", JsonPoints(a.annual)},
                          {"vetoed", a.vetoed},
                          {"titles", a.titles}});
  }
  Json j{{"village", village}, {"year", year}, {"rules_sha256", annual.adoption->sha256}};
  if (as_of) j["as_of"] = *as_of;
  size_t final_periods = FinalPeriods(states);
  j["final"] = !states.empty() && final_periods == states.size();
  j["periods_final"] = final_periods;
  Json period_states = Json::object();
  for (const auto& [p, status] : states)
    period_states[p.ToString()] = engine::PeriodStateName(status.state);
  j["states"] = std::move(period_states);
  j["households"] = std::move(households);
  return j;
}

Table AnnualTable(const engine::VillageModel& m, const engine::AnnualFigures& annual, bool zh) {
  Words w{zh};
  bool mean = annual.adoption->rules->village.annual == grammar::AnnualBy::kMean;
  Table t(zh ? std::vector<std::string>{">名次", "户号", "户名", ">期数", ">合计",
                                        mean ? ">平均" : ">年度", "否决", "称号"}
             : std::vector<std::string>{">rank", "household", "name", ">periods", ">total",
                                        mean ? ">mean" : ">annual", "veto", "titles"});
  for (const auto& a : annual.households) {
    t.AddRow({std::to_string(a.rank), a.household, HouseholdName(m, a.household),
              std::to_string(a.periods), a.total.ToString(), a.annual.ToString(),
              a.vetoed ? w("yes", "是") : "", Join(a.titles, " ")});
  }
  return t;
}

// "state: final 3/12 periods; not final: …", or that every period is final.
std::string YearStateLine(const PeriodStates& states, bool zh) {
  Words w{zh};
  size_t final_periods = FinalPeriods(states);
  if (!states.empty() && final_periods == states.size())
    return zh ? "状态：全年各期均已定稿\n\n" : "state: every period of the year is final\n\n";
  std::string not_final;
  for (const auto& [p, status] : states) {
    if (status.state != engine::PeriodState::kFinal)
      not_final += (not_final.empty() ? ""
                    : zh              ? "；"
                                      : "; ") +
                   p.ToString() + " " + StateWord(status.state, zh);
  }
  return w("state: final ", "状态：已定稿 ") + std::to_string(final_periods) + "/" +
         std::to_string(states.size()) + w(" periods; not final: ", " 期；未定稿：") + not_final +
         "\n\n";
}

}  // namespace

int RunAnnual(const Globals& g, const std::string& village, int year,
              const std::optional<std::string>& as_of) {
  Period jan{PeriodKind::kMonth, year, 1}, dec{PeriodKind::kMonth, year, 12};
  auto loaded = LoadVillageForPeriods(g, village, jan, dec, as_of);
  if (!loaded.ok()) return Fail(loaded.status());
  auto annual = engine::ComputeAnnual(loaded->model, year);
  if (!annual.ok()) return Fail(annual.status());
  const engine::VillageModel& m = loaded->model;
  PeriodStates states = StatesOfYear(m, year, loaded->at);
  if (g.format == Format::kJson) {
    std::cout << AnnualJson(m, *annual, village, year, as_of, states).dump() << '\n';
    return 0;
  }
  const grammar::RuleFile& rules = *annual->adoption->rules;
  bool zh = Chinese(g, rules);
  Words w{zh};
  Table t = AnnualTable(m, *annual, zh);
  if (g.format == Format::kCsv) {
    t.PrintCsv(std::cout);
    return 0;
  }
  std::cout << rules.village.name << " (" << village << ") " << year
            << w(" annual evaluation", " 年度评比")
            << (as_of ? w(", as of ", "，截至 ") + *as_of : "") << '\n';
  PrintRulesLine(*annual->adoption, zh);
  std::cout << YearStateLine(states, zh);
  t.Print(std::cout);
  return 0;
}

int RunDistribute(const Globals& g, const std::string& village, int year,
                  const std::string& amount_text, const std::optional<std::string>& as_of) {
  auto amount = Points::Parse(amount_text);
  if (!amount || *amount < Points()) {
    return Fail(
        Status::Usage("--amount " + amount_text + ": not an amount of yuan (at most 2 decimals)"));
  }
  Period jan{PeriodKind::kMonth, year, 1}, dec{PeriodKind::kMonth, year, 12};
  auto loaded = LoadVillageForPeriods(g, village, jan, dec, as_of);
  if (!loaded.ok()) return Fail(loaded.status());
  auto annual = engine::ComputeAnnual(loaded->model, year);
  if (!annual.ok()) return Fail(annual.status());
  auto parts = engine::Distribute(loaded->model, *annual, amount->cents());
  if (!parts.ok()) return Fail(parts.status());
  const grammar::RuleFile& rules = *annual->adoption->rules;
  auto yuan = [](int64_t fen) { return Points::FromCents(fen); };
  if (g.format == Format::kJson) {
    Json households = Json::array();
    for (const auto& p : *parts) {
      households.push_back({{"household", p.household},
                            {"shares", p.shares},
                            {"annual", JsonPoints(p.annual)},
                            {"by_shares", JsonPoints(yuan(p.shares_fen))},
                            {"by_points", JsonPoints(yuan(p.points_fen))},
                            {"amount", JsonPoints(yuan(p.total_fen))}});
    }
    Json j{{"village", village},
           {"year", year},
           {"amount", JsonPoints(*amount)},
           {"shares_percent", rules.dividend->shares_percent},
           {"points_percent", rules.dividend->points_percent},
           {"households", households}};
    std::cout << j.dump() << '\n';
    return 0;
  }
  bool zh = Chinese(g, rules);
  Words w{zh};
  Table t(zh ? std::vector<std::string>{"户号", "户名", ">股份", ">年度积分", ">按股(元)",
                                        ">按分(元)", ">合计(元)"}
             : std::vector<std::string>{"household", "name", ">shares", ">annual", ">by shares",
                                        ">by points", ">amount"});
  for (const auto& p : *parts) {
    t.AddRow({p.household, HouseholdName(loaded->model, p.household), std::to_string(p.shares),
              p.annual.ToString(), yuan(p.shares_fen).ToString(), yuan(p.points_fen).ToString(),
              yuan(p.total_fen).ToString()});
  }
  if (g.format == Format::kCsv) {
    t.PrintCsv(std::cout);
    return 0;
  }
  std::cout << rules.village.name << " (" << village << ") " << year
            << w(" dividend ", " 股份+积分分红 ") << amount->ToString()
            << w(" yuan (shares ", " 元（股份 ") << rules.dividend->shares_percent << "%, "
            << w("points ", "积分 ") << rules.dividend->points_percent << "%)\n\n";
  t.Print(std::cout);
  return 0;
}

}  // namespace jifen::cli
