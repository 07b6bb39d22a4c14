#include "engine/titles.h"

#include <algorithm>
#include <map>

namespace jifen::engine {
namespace {

bool Less(const Standing& a, const Standing& b) {  // a ranks before b
  return a.value != b.value ? a.value > b.value : a.household < b.household;
}

template <typename S>
std::vector<Ratio> Values(const std::vector<S*>& list) {
  std::vector<Ratio> out;
  for (const Standing* s : list) out.push_back(s->value);
  return out;
}

// A title's value floor: its `min` when the rule sets one, else more than 0 points, so that a
// period in which nothing was recorded (every household ties at 0) gives no title to anybody.
bool Eligible(const grammar::Title& title, const Ratio& value) {
  if (title.min) return !(value < Ratio::OfPoints(*title.min));
  return Ratio::OfPoints(Points{}) < value;
}

}  // namespace

std::vector<int> CompetitionRanks(const std::vector<Ratio>& values) {
  std::vector<int> ranks(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    ranks[i] = i > 0 && values[i] == values[i - 1] ? ranks[i - 1] : static_cast<int>(i) + 1;
  }
  return ranks;
}

void RankAndTitle(const grammar::RuleFile& rules, grammar::TitleScope scope,
                  std::vector<Standing>& standings) {
  std::sort(standings.begin(), standings.end(), Less);
  std::vector<const Standing*> all;
  for (const Standing& s : standings) all.push_back(&s);
  auto ranks = CompetitionRanks(Values(all));
  for (size_t i = 0; i < standings.size(); ++i) standings[i].rank = ranks[i];

  for (const grammar::Title& title : rules.titles) {
    if (title.scope != scope) continue;
    std::vector<Standing*> eligible;
    for (Standing& s : standings) {
      if (title.no_veto && s.vetoed) continue;
      if (!Eligible(title, s.value)) continue;
      eligible.push_back(&s);
    }
    auto eligible_ranks = CompetitionRanks(Values(eligible));
    int64_t n = title.top;
    if (title.top_percent) n = (title.top * static_cast<int64_t>(eligible.size()) + 99) / 100;
    for (size_t i = 0; i < eligible.size(); ++i) {
      if (eligible_ranks[i] <= n) eligible[i]->titles.push_back(title.name);
    }
  }
}

void RankAndTitlePeriod(const grammar::RuleFile& rules, std::vector<HouseholdFigures>& households) {
  std::vector<Standing> standings;
  for (const HouseholdFigures& f : households) {
    Points value = rules.village.rank == grammar::RankBy::kBalance ? f.balance : f.earned;
    standings.push_back({f.household, Ratio::OfPoints(value), f.vetoed, 0, {}});
  }
  RankAndTitle(rules, grammar::TitleScope::kPeriod, standings);
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
