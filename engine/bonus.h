// Bonus conditions (SPEC.md §3 "Bonuses"): evaluated once per household per period, after all
// awards, with exact rational arithmetic.
#pragma once

#include <vector>

#include "grammar/ast.h"

namespace jifen::engine {

struct CountedAward {
  const grammar::Item* item = nullptr;
  Points counted;
};

struct BonusContext {
  std::vector<CountedAward> awards;  // the household's awards in the period, members' included
  Points earned;                     // the period's earned before bonuses
  int members = 0;                   // household size on the period's last day
};

// True when `cond` holds. A comparison whose either side divides by zero is false.
bool EvaluateCondition(const grammar::Cond& cond, const BonusContext& context);

}  // namespace jifen::engine

namespace jifen::engine {
// The condition with each comparison's values, for explain: "count(negative) [0] == 0 [0] and …".
std::string DescribeCondition(const grammar::Cond& cond, const BonusContext& context);
}  // namespace jifen::engine
