// explain: every record behind one household's figures for a period, with the rule applied,
// written so that a villager can follow it (in Chinese when the rules are).
#include <iostream>

#include "cli/commands.h"
#include "cli/words.h"
#include "engine/replay.h"

namespace jifen::cli {
namespace {

std::string Why(const engine::EventResult& r, const engine::VillageModel& m,
                const grammar::RuleFile& rules, Words w) {
  switch (r.outcome) {
    case engine::Outcome::kCounted: {
      const engine::Approval* a = m.approvals.Find(r.record->id);
      if (a == nullptr) return w("counted", "计入");
      return std::string(w("counted; approved on ", "计入；审核通过：")) +
             a->recorded.LocalDate().ToString() + w(" by ", " 由 ") + a->scorer;
    }
    case engine::Outcome::kCapped: {
      const grammar::Item* item = rules.FindItem(r.record->item);
      bool year = item && item->cap && item->cap->window == grammar::CapWindow::kYear;
      return std::string(w("capped at ", "已达上限 ")) + r.cap.ToString() +
             w(year ? " per year" : " per period", year ? "（每年）" : "（每期）");
    }
    case engine::Outcome::kRevoked: {
      const auto& v = m.revocations.at(r.record->id);
      auto s = m.scorers.find(v.scorer);
      std::string who = v.scorer + (s == m.scorers.end() ? "" : " " + s->second.name);
      return std::string(w("revoked on ", "已撤销：")) + v.recorded.LocalDate().ToString() +
             w(" by ", " 由 ") + who + w(" for \"", "，原因“") + v.reason + w("\"", "”");
    }
    case engine::Outcome::kUnknownItem:
      return w("not in the rules in force", "规则中无此项");
    case engine::Outcome::kNoHousehold:
      return w("no household on that day", "当日不属于任何户");
    case engine::Outcome::kPending:
      return w("pending review: not counted until approved", "待审核：审核通过前不计分");
  }
  return "";
}

// What explain shows: one household's figures of one period, with every record behind them.
struct Explanation {
  Loaded loaded;
  std::string household, name;
  engine::PeriodFigures period;
  const engine::HouseholdFigures* figures = nullptr;  // in `period`
  engine::PeriodStatus status;
  const grammar::RuleFile& rules() const { return *period.adoption->rules; }
};

Result<Explanation> Explain(const Globals& g, const std::string& village,
                            const std::string& period_text, const std::string& household,
                            const std::optional<std::string>& as_of) {
  auto period = ParsePeriodArg(period_text);
  if (!period.ok()) return period.status();
  auto loaded = LoadVillageForPeriods(g, village, *period, *period, as_of);
  if (!loaded.ok()) return loaded.status();
  const engine::VillageModel& m = loaded->model;
  auto hh = m.households.find(household);
  if (hh == m.households.end()) {
    return Status::InvalidInput("household " + household + ": not registered in village " +
                                village);
  }
  engine::ReplayOptions options;
  options.detail_household = household;
  auto figures = engine::Replay(m, *period, *period, options);
  if (!figures.ok()) return figures.status();
  Explanation x{std::move(*loaded),         household, hh->second.name,
                std::move(figures->back()), nullptr,   {}};
  for (const auto& f : x.period.households) {
    if (f.household == household) x.figures = &f;
  }
  if (!x.figures) {
    return Status::InvalidInput("household " + household + ": did not exist in " +
                                x.period.period.ToString());
  }
  x.status = engine::StatusOf(x.loaded.model, x.period.period, x.loaded.at);
  return x;
}

// The upheld objection a late award names to be taken past `late` (SPEC §3), or "". Only an award
// recorded after its period can name one (objections come after the post), so only those are read.
std::string CitedObjection(const Explanation& x, const engine::Event& e) {
  if (e.type != ledger::RecordType::kAward || e.recorded.LocalDate() <= x.period.period.LastDay())
    return "";
  auto record = x.loaded.reader->Get(e.sequence);
  return record.ok() ? record->target : "";
}

Json ExplanationJson(const Explanation& x, Words w) {
  const engine::VillageModel& m = x.loaded.model;
  const grammar::RuleFile& rules = x.rules();
  const engine::HouseholdFigures& f = *x.figures;
  Json events = Json::array();
  for (const auto& r : f.events) {
    const auto& e = *r.record;
    bool award = e.type == ledger::RecordType::kAward;
    const grammar::Item* item = award ? rules.FindItem(e.item) : nullptr;
    const grammar::Reward* reward = award ? nullptr : rules.FindReward(e.reward);
    events.push_back({{"sequence", e.sequence},
                      {"type", award ? "award" : "redeem"},
                      {"id", e.id},
                      {"date", e.date.ToString()},
                      {"recorded", e.recorded.ToString()},
                      {"subject", award ? e.subject : e.household},
                      {"code", award ? e.item : e.reward},
                      {"name", item     ? item->name
                               : reward ? reward->name
                                        : ""},
                      {"qty", JsonQty(e.qty)},
                      {"scorer", e.scorer},
                      {"raw", JsonPoints(r.raw)},
                      {"counted", JsonPoints(r.counted)},
                      {"pending", r.outcome == engine::Outcome::kPending},
                      {"why", Why(r, m, rules, w)}});
    if (std::string cites = CitedObjection(x, e); !cites.empty())
      events.back()["cites_objection"] = cites;
  }
  Json bonuses = Json::array();
  for (const auto& b : rules.bonuses) {
    bool fired = engine::EvaluateCondition(*b.when, f.bonus_context);
    bonuses.push_back({{"code", b.code},
                       {"name", b.name},
                       {"points", JsonPoints(b.points)},
                       {"fired", fired},
                       {"condition", engine::DescribeCondition(*b.when, f.bonus_context)}});
  }
  const engine::Adoption& a = *x.period.adoption;
  Json j{{"village", m.code},
         {"period", x.period.period.ToString()},
         {"household", x.household},
         {"rules_sha256", a.sha256},
         {"rules_effective", a.effective.ToString()},
         {"events", events},
         {"bonuses", bonuses},
         {"carried", JsonPoints(f.carried)},
         {"base", JsonPoints(f.base)},
         {"person_points", JsonPoints(f.person_points)},
         {"household_points", JsonPoints(f.household_points)},
         {"bonus", JsonPoints(f.bonus)},
         {"earned", JsonPoints(f.earned)},
         {"redeemed", JsonPoints(f.redeemed)},
         {"balance", JsonPoints(f.balance)},
         {"cleared", JsonPoints(f.cleared)},
         {"rank", f.rank},
         {"vetoed", f.vetoed},
         {"pending", f.pending},
         {"titles", f.titles}};
  AddStatusJson(x.status, &j);
  return j;
}

void PrintHeading(const Explanation& x, Words w) {
  const engine::Adoption& a = *x.period.adoption;
  std::cout << w("Household ", "户 ") << x.household << " " << x.name << " · "
            << x.rules().village.name << " (" << x.loaded.model.code << ") · "
            << x.period.period.ToString() << '\n';
  std::cout << w("Rules in force: ", "适用规则：") << a.sha256.substr(0, 12)
            << w(", effective ", "，生效 ") << a.effective.ToString() << w(", adopted ", "，录入 ")
            << a.recorded.ToString()
            << (a.approved_by.empty()
                    ? ""
                    : std::string(w(", approved by ", "，通过：")) + a.approved_by)
            << w(", sequence ", "，序号 ") << a.sequence << '\n'
            << w("State: ", "状态：") << StatusText(x.status, w.zh) << "\n\n";
}

// One row per record: what it was, who recorded it, what it counted and why.
Table EventTable(const Explanation& x, Words w) {
  const engine::VillageModel& m = x.loaded.model;
  const grammar::RuleFile& rules = x.rules();
  auto scorer_name = [&](const std::string& code) {
    auto s = m.scorers.find(code);
    return s == m.scorers.end()
               ? code
               : code + " " + s->second.name + w(" (", "（") + s->second.role + w(")", "）");
  };
  auto subject_name = [&](const std::string& code) {
    if (auto p = m.persons.find(code); p != m.persons.end()) return code + " " + p->second.name;
    if (auto h = m.households.find(code); h != m.households.end())
      return code + " " + h->second.name;
    return code;
  };
  Table t(w.zh ? std::vector<std::string>{"日期", ">序号", "对象", "项目", "采集人", ">原分",
                                          ">计分", "说明"}
               : std::vector<std::string>{"date", ">seq", "subject", "item", "scorer", ">points",
                                          ">counted", "why"});
  for (const auto& r : x.figures->events) {
    const auto& e = *r.record;
    bool award = e.type == ledger::RecordType::kAward;
    std::string what;
    if (award) {
      const grammar::Item* item = rules.FindItem(e.item);
      what = e.item.str() + " " + (item ? item->name : "");
      if (e.qty != Quantity())
        what += " ×" + e.qty.ToString() + (item && item->unit ? *item->unit : "");
    } else {
      const grammar::Reward* reward = rules.FindReward(e.reward);
      what = std::string(w("redeem ", "兑换 ")) + e.reward.str() + " " +
             (reward ? reward->name : "") + " ×" + e.qty.ToString();
    }
    std::string why = Why(r, m, rules, w);
    if (e.recorded.LocalDate() > x.period.period.LastDay()) {
      why += std::string(w("; recorded late on ", "；补录于 ")) + e.recorded.LocalDate().ToString();
      std::string cites = CitedObjection(x, e);
      if (!cites.empty()) why += std::string(w(", under upheld objection ", "，依据成立的异议 ")) + cites;
    }
    t.AddRow({e.date.ToString(), std::to_string(e.sequence),
              subject_name(award ? e.subject : e.household), what, scorer_name(e.scorer),
              (award ? r.raw : -r.raw).ToSignedString(),
              (award ? r.counted : -r.counted).ToSignedString(), why});
  }
  return t;
}

void PrintBonusesAndTotals(const Explanation& x, Words w) {
  const engine::HouseholdFigures& f = *x.figures;
  for (const auto& b : x.rules().bonuses) {
    bool fired = engine::EvaluateCondition(*b.when, f.bonus_context);
    std::cout << w("Bonus ", "加分 ") << b.code << " " << b.name << " " << b.points.ToSignedString()
              << ": " << (fired ? w("given", "获得") : w("not given", "未获得")) << " — "
              << engine::DescribeCondition(*b.when, f.bonus_context) << '\n';
  }
  std::cout << '\n'
            << w("carried ", "上期结转 ") << f.carried.ToString() << w(" + base ", " + 底分 ")
            << f.base.ToString() << w(" + members' points ", " + 个人积分 ")
            << f.person_points.ToString() << w(" + household points ", " + 家庭积分 ")
            << f.household_points.ToString() << w(" + bonus ", " + 加分 ") << f.bonus.ToString()
            << w(" − redeemed ", " − 兑换 ") << f.redeemed.ToString()
            << w(" = balance ", " = 余额 ") << f.balance.ToString() << '\n'
            << w("earned ", "本期得分 ") << f.earned.ToString() << w(", rank ", "，排名第 ")
            << f.rank << w("", " 名") << w(", cleared at period end ", "，期末清零 ")
            << f.cleared.ToString()
            << (f.vetoed ? w(", vetoed for titles this year", "，本年度一票否决") : "")
            << (f.titles.empty() ? "" : std::string(w(", titles: ", "，称号：")) + f.titles[0])
            << '\n';
}

}  // namespace

int RunExplain(const Globals& g, const std::string& village, const std::string& period,
               const std::string& household, const std::optional<std::string>& as_of) {
  auto x = Explain(g, village, period, household, as_of);
  if (!x.ok()) return Fail(x.status());
  Words w{Chinese(g, x->rules())};
  if (g.format == Format::kJson) {
    std::cout << ExplanationJson(*x, w).dump() << '\n';
    return 0;
  }
  PrintHeading(*x, w);
  Table t = EventTable(*x, w);
  if (t.empty()) {
    std::cout << w("No records in this period.\n", "本期没有记录。\n");
  } else {
    t.Print(std::cout);
  }
  std::cout << '\n';
  PrintBonusesAndTotals(*x, w);
  return 0;
}

}  // namespace jifen::cli
