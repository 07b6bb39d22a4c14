// Ranking and titles (SPEC.md §3 "Ranking", "Titles").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/replay.h"

namespace jifen::engine {

// One household's standing: its ranking value as an exact fraction num/den (den > 0).
struct Standing {
  std::string household;
  int64_t num = 0;
  int64_t den = 1;
  bool vetoed = false;
  int rank = 0;
  std::vector<std::string> titles;
};

// Sorts by value descending, household code ascending, and sets competition ranks; then gives
// every title of `scope` in `rules` (in rule-file order) to the eligible households.
void RankAndTitle(const rules::RuleFile& rules, rules::TitleScope scope, std::vector<Standing>& standings);

// The period form: ranks by `earned` or `balance` per the rules and fills rank and titles.
void RankAndTitlePeriod(const rules::RuleFile& rules, std::vector<HouseholdFigures>& households);

}  // namespace jifen::engine
