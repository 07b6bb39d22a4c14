// compare: the villages of the ledger side by side (docs/AUDIT.md "Compare").
#include <cmath>
#include <iostream>

#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "cli/words.h"
#include "engine/compare.h"

namespace jifen::cli {
namespace {

using engine::VillageComparison;

std::string WindowText(const VillageComparison& c) {
  std::string text = c.first.ToString() + (c.first == c.last ? "" : ".." + c.last.ToString());
  return c.substituted ? text + "*" : text;
}

std::string Categories(const VillageComparison& c, size_t limit) {
  std::string out;
  for (size_t i = 0; i < c.categories.size() && i < limit; ++i) {
    const auto& k = c.categories[i];
    out += (out.empty() ? "" : "; ") + k.code + " " + k.name + " " + k.points.ToString();
  }
  return out;
}

// "final", or the states of the periods that are not: "2022-05 notice, 2022-06 open".
std::string StatesText(const VillageComparison& c, bool zh) {
  Words w{zh};
  std::string out;
  bool all_final = true;
  for (const auto& [period, state] : c.states)
    all_final = all_final && state == engine::PeriodState::kFinal;
  if (all_final && !c.states.empty()) return w("final", "已定稿");
  for (const auto& [period, state] : c.states) {
    if (state == engine::PeriodState::kFinal) continue;
    out += (out.empty() ? "" : ", ") + (c.states.size() > 1 ? period.ToString() + " " : "") +
           StateWord(state, zh);
  }
  return out;
}

Json VillageJson(const VillageComparison& c) {
  Json states = Json::object();
  for (const auto& [period, state] : c.states)
    states[period.ToString()] = engine::PeriodStateName(state);
  Json categories = Json::object();
  for (const auto& k : c.categories)
    categories[k.code] = {{"name", k.name}, {"points", JsonPoints(k.points)}};
  return {{"village", c.village},
          {"name", c.name},
          {"township", c.township},
          {"first", c.first.ToString()},
          {"last", c.last.ToString()},
          {"substituted", c.substituted},
          {"households", c.households},
          {"people", c.people},
          {"participating", c.participating},
          {"participation", RoundDecimals(c.participation, 3)},
          {"earned", JsonPoints(c.earned)},
          {"mean_per_household", JsonPoints(c.mean_per_household.ToPoints())},
          {"median_per_household", JsonPoints(c.median_per_household.ToPoints())},
          {"mean_per_person", JsonPoints(c.mean_per_person.ToPoints())},
          {"gini", RoundDecimals(c.gini, 3)},
          {"categories", categories},
          {"awards", c.awards},
          {"negative_records", c.negative_records},
          {"redeemed", JsonPoints(c.redeemed)},
          {"redeemed_yuan", c.redeemed_yuan ? JsonPoints(*c.redeemed_yuan) : Json()},
          {"cleared", JsonPoints(c.cleared)},
          {"late_records", c.late_records},
          {"late_share", RoundDecimals(c.late_share, 3)},
          {"self_scored", c.self_scored},
          {"self_scoring_share", RoundDecimals(c.self_scoring_share, 3)},
          {"pending", c.pending},
          {"states", states}};
}

Table MakeTable(const engine::Comparison& comparison, bool zh, bool csv) {
  Table t(zh ? std::vector<std::string>{"村", "期间", ">户数", ">人数", ">参与率", ">户均",
                                        ">中位数", ">人均", ">基尼系数", ">扣分记录", ">兑换积分",
                                        ">兑换金额(元)", ">清零", ">补录率", ">自评率", ">待审核",
                                        "公示状态", "主要类别"}
             : std::vector<std::string>{
                   "village", "period", ">households", ">people", ">participation", ">mean",
                   ">median", ">per person", ">gini", ">negative", ">redeemed", ">yuan", ">cleared",
                   ">late", ">self-scored", ">pending", "state", "top categories"});
  for (const auto& c : comparison.villages) {
    t.AddRow({c.village + " " + c.name, WindowText(c), std::to_string(c.households),
              std::to_string(c.people), Percent(c.participation),
              c.mean_per_household.ToPoints().ToString(),
              c.median_per_household.ToPoints().ToString(), c.mean_per_person.ToPoints().ToString(),
              Fixed(c.gini, 3), std::to_string(c.negative_records), c.redeemed.ToString(),
              c.redeemed_yuan ? c.redeemed_yuan->ToString() : "—", c.cleared.ToString(),
              Percent(c.late_share), Percent(c.self_scoring_share), std::to_string(c.pending),
              StatesText(c, zh), Categories(c, csv ? c.categories.size() : 3)});
  }
  return t;
}

}  // namespace

int RunCompare(const Globals& g, const std::string& period, int year,
               const std::optional<std::string>& as_of) {
  auto window = ParseWindowArgs(period, year);
  if (!window.ok()) return Fail(window.status());
  auto t = ParseAsOfArg(as_of);
  if (!t.ok()) return Fail(t.status());
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto reader = (*ledger)->Snapshot();
  if (!reader.ok()) return Fail(reader.status());
  auto comparison = engine::Compare(**reader, *window, *t, Timestamp::Now());
  if (!comparison.ok()) return Fail(comparison.status());
  if (g.format == Format::kJson) {
    Json j;
    if (window->year)
      j["year"] = *window->year;
    else
      j["period"] = window->period->ToString();
    if (as_of) j["as_of"] = *as_of;
    j["villages"] = Json::array();
    for (const auto& c : comparison->villages) j["villages"].push_back(VillageJson(c));
    j["skipped"] = Json::array();
    for (const auto& [village, why] : comparison->skipped)
      j["skipped"].push_back({{"village", village}, {"reason", why}});
    std::cout << j.dump() << '\n';
    return 0;
  }
  bool zh = !g.lang.empty()
                ? g.lang == "zh"
                : !comparison->villages.empty() && Chinese(g, *comparison->villages.front().rules);
  Words w{zh};
  if (g.format == Format::kCsv) {
    MakeTable(*comparison, zh, true).PrintCsv(std::cout);
    return 0;
  }
  std::cout << w("Villages compared, ", "各村对比 ")
            << (window->year ? std::to_string(*window->year) : window->period->ToString())
            << (as_of ? w(", as of ", "，截至 ") + *as_of : "") << "\n\n";
  MakeTable(*comparison, zh, false).Print(std::cout);
  bool substituted = false;
  for (const auto& c : comparison->villages) substituted = substituted || c.substituted;
  if (substituted) {
    std::cout
        << (zh ? "\n* 该村按季度（或按月）计分，比较的是覆盖同一时段的期间。\n"
               : "\n* the village counts by another period kind: compared on the periods covering the same days.\n");
  }
  for (const auto& [village, why] : comparison->skipped) {
    std::cout << w("not compared: ", "未比较 ") << village << " — " << why << '\n';
  }
  std::cout
      << (zh ? "\n户均、中位数为各户本期（或期间合计）得分；基尼系数按各户得分计算，负分按 0 计；"
               "参与率为至少有一条正分记录的户数占比；补录率、自评率按记分记录条数计算。\n"
             : "\nmean and median: households' earned over the window; gini: of households' earned, negatives as 0; "
               "participation: households with a positive counted award; late and self-scored: shares of award records.\n");
  return 0;
}

}  // namespace jifen::cli
