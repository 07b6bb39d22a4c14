// Ranking and titles (SPEC.md §3 "Ranking", "Titles").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/replay.h"
#include "util/ratio.h"

namespace jifen::engine {

// One household's standing: its ranking value in points, exact.
struct Standing {
  std::string household;
  Ratio value;
  bool vetoed = false;
  int rank = 0;
  std::vector<std::string> titles;
};

// Sorts by value descending, household code ascending, and sets competition ranks; then gives
// every title of `scope` in `rules` (in rule-file order) to the eligible households.
void RankAndTitle(const grammar::RuleFile& rules, grammar::TitleScope scope,
                  std::vector<Standing>& standings);

// Standard competition ranking (1, 2, 2, 4) of `values`, which are in descending order.
std::vector<int> CompetitionRanks(const std::vector<Ratio>& values);

// The period form: ranks by `earned` or `balance` per the rules and fills rank and titles.
void RankAndTitlePeriod(const grammar::RuleFile& rules, std::vector<HouseholdFigures>& households);

}  // namespace jifen::engine
