#include "engine/annual.h"

#include <algorithm>
#include <map>

namespace jifen::engine {

Result<std::pair<Period, Period>> PeriodsOfYear(const VillageModel& model, int year) {
  Date first_day = Date::FromCivil(year, 1, 1);
  Date last_day = Date::FromCivil(year, 12, 31);
  if (!model.RulesInForce(first_day)) {
    // A village whose first rules take effect during the year starts then.
    if (model.adoptions.empty() || model.adoptions.front().effective > last_day) {
      return Status::InvalidInput("village " + model.code + ": no rules in force in " +
                                  std::to_string(year));
    }
    first_day = model.adoptions.front().effective;
  }
  return std::make_pair(*PeriodOf(model, first_day), *PeriodOf(model, last_day));
}

Result<AnnualFigures> ComputeAnnual(const VillageModel& model, int year) {
  auto range = PeriodsOfYear(model, year);
  if (!range.ok()) return range.status();
  auto periods = Replay(model, range->first, range->second);
  if (!periods.ok()) return periods.status();
  AnnualFigures out;
  out.year = year;
  out.adoption = periods->back().adoption;
  const grammar::RuleFile& rules = *out.adoption->rules;
  std::map<std::string, AnnualHousehold> by_code;
  for (const PeriodFigures& p : *periods) {
    for (const HouseholdFigures& f : p.households) {
      AnnualHousehold& a = by_code[f.household];
      a.household = f.household;
      a.periods += 1;
      a.total += f.earned;
      a.vetoed = a.vetoed || f.vetoed;
    }
  }
  std::vector<Standing> standings;
  for (auto& [code, a] : by_code) {
    if (rules.village.annual == grammar::AnnualBy::kMean) {
      a.exact = Ratio(a.total.cents(), 100 * static_cast<int64_t>(a.periods));
    } else {
      a.exact = Ratio::OfPoints(a.total);
    }
    a.annual = a.exact.ToPoints();
    standings.push_back({code, a.exact, a.vetoed, 0, {}});
  }
  RankAndTitle(rules, grammar::TitleScope::kAnnual, standings);
  for (Standing& s : standings) {
    AnnualHousehold a = by_code[s.household];
    a.rank = s.rank;
    a.titles = std::move(s.titles);
    out.households.push_back(std::move(a));
  }
  return out;
}

namespace {

// Floors weight_i * amount / total for each i and hands the remaining units out by largest
// remainder, ties by household code (parts are in household-code order).
std::vector<int64_t> Apportion(int64_t amount, const std::vector<__int128>& weights) {
  __int128 total = 0;
  for (auto w : weights) total += w;
  std::vector<int64_t> parts(weights.size(), 0);
  if (total == 0 || amount == 0) return parts;
  std::vector<std::pair<__int128, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    __int128 product = weights[i] * amount;
    parts[i] = static_cast<int64_t>(product / total);
    given += parts[i];
    remainders.emplace_back(product % total, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < amount; ++k, ++given)
    parts[remainders[k % remainders.size()].second] += 1;
  return parts;
}

}  // namespace

Result<std::vector<DividendPart>> Distribute(const VillageModel& model, const AnnualFigures& annual,
                                             int64_t amount_fen) {
  const grammar::RuleFile& rules = *annual.adoption->rules;
  if (!rules.dividend) {
    return Status::InvalidInput("village " + model.code + ": the rules in force have no dividend");
  }
  if (amount_fen < 0) return Status::InvalidInput("amount: must not be negative");
  std::vector<DividendPart> parts;
  for (const AnnualHousehold& a : annual.households) {
    auto h = model.households.find(a.household);
    parts.push_back(
        {a.household, h == model.households.end() ? 0 : h->second.shares, a.annual, 0, 0, 0});
  }
  std::sort(parts.begin(), parts.end(),
            [](const auto& a, const auto& b) { return a.household < b.household; });
  std::vector<__int128> by_shares, by_points;
  __int128 shares_total = 0, points_total = 0;
  for (const auto& p : parts) {
    by_shares.push_back(p.shares);
    by_points.push_back(std::max<int64_t>(0, p.annual.cents()));
    shares_total += p.shares;
    points_total += by_points.back();
  }
  if (shares_total == 0 && points_total == 0) {
    return Status::InvalidInput("village " + model.code +
                                ": no household has shares or positive points");
  }
  if (shares_total == 0) by_shares = by_points;
  if (points_total == 0) by_points = by_shares;
  int64_t shares_amount = static_cast<int64_t>(
      (static_cast<__int128>(amount_fen) * rules.dividend->shares_percent) / 100);
  int64_t points_amount = amount_fen - shares_amount;
  auto s = Apportion(shares_amount, by_shares);
  auto p = Apportion(points_amount, by_points);
  for (size_t i = 0; i < parts.size(); ++i) {
    parts[i].shares_fen = s[i];
    parts[i].points_fen = p[i];
    parts[i].total_fen = s[i] + p[i];
  }
  return parts;
}

}  // namespace jifen::engine
