#include "engine/titles.h"

#include <algorithm>
#include <map>

namespace jifen::engine {
namespace {

bool Less(const Standing& a, const Standing& b) {  // a ranks before b
  __int128 x = static_cast<__int128>(a.num) * b.den;
  __int128 y = static_cast<__int128>(b.num) * a.den;
  return x != y ? x > y : a.household < b.household;
}

bool AtLeast(const Standing& s, Points min) {
  return static_cast<__int128>(s.num) * 100 >= static_cast<__int128>(min.cents()) * s.den;
}

std::vector<std::pair<int64_t, int64_t>> Fractions(const std::vector<const Standing*>& list) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const Standing* s : list) out.emplace_back(s->num, s->den);
  return out;
}

}  // namespace

void RankAndTitle(const rules::RuleFile& rules, rules::TitleScope scope, std::vector<Standing>& standings) {
  std::sort(standings.begin(), standings.end(), Less);
  std::vector<const Standing*> all;
  for (const Standing& s : standings) all.push_back(&s);
  auto ranks = CompetitionRanks(Fractions(all));
  for (size_t i = 0; i < standings.size(); ++i) standings[i].rank = ranks[i];

  for (const rules::Title& title : rules.titles) {
    if (title.scope != scope) continue;
    std::vector<Standing*> eligible;
    for (Standing& s : standings) {
      if (title.no_veto && s.vetoed) continue;
      if (title.min && !AtLeast(s, *title.min)) continue;
      eligible.push_back(&s);
    }
    std::vector<const Standing*> view(eligible.begin(), eligible.end());
    auto eligible_ranks = CompetitionRanks(Fractions(view));
    int64_t n = title.top;
    if (title.top_percent) n = (title.top * static_cast<int64_t>(eligible.size()) + 99) / 100;
    for (size_t i = 0; i < eligible.size(); ++i) {
      if (eligible_ranks[i] <= n) eligible[i]->titles.push_back(title.name);
    }
  }
}

void RankAndTitlePeriod(const rules::RuleFile& rules, std::vector<HouseholdFigures>& households) {
  std::vector<Standing> standings;
  for (const HouseholdFigures& f : households) {
    Points value = rules.village.rank == rules::RankBy::kBalance ? f.balance : f.earned;
    standings.push_back({f.household, value.cents(), 100, f.vetoed, 0, {}});
  }
  RankAndTitle(rules, rules::TitleScope::kPeriod, standings);
  std::map<std::string, HouseholdFigures> by_code;
  for (auto& f : households) by_code.emplace(f.household, std::move(f));
  households.clear();
  for (Standing& s : standings) {
    HouseholdFigures& f = by_code[s.household];
    f.rank = s.rank;
    f.titles = std::move(s.titles);
    households.push_back(std::move(f));
  }
}

}  // namespace jifen::engine
