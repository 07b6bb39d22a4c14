// The villages of a ledger side by side for the township (SPEC.md §5 `compare`, docs/AUDIT.md
// "Compare"): participation, mean/median earned, Gini coefficient, points by category,
// redemptions, clearing, late and self-scored records. Points are exact; ratios are doubles
// meant for printing with 2-3 decimals.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/workflow.h"
#include "util/ratio.h"

namespace jifen::engine {

struct CategoryPoints {
  std::string code;
  std::string name;
  Points points;  // net counted points of its items in the window
};

struct VillageComparison {
  std::string village;
  std::string name;
  std::string township;
  std::shared_ptr<const grammar::RuleFile> rules;  // in force at the window's end
  Period first, last;        // the periods compared (may differ from the one asked for)
  bool substituted = false;  // true when first..last is not exactly the requested period
  int households = 0;        // households existing in the window
  int people = 0;            // members of those households on the window's last day
  int participating = 0;     // households with at least one award counting > 0 points
  double participation = 0;  // participating / households
  Points earned;             // total over households and periods (base and bonuses included)
  Ratio mean_per_household, median_per_household, mean_per_person;  // points, exact
  double gini = 0;                         // of household earned, negatives counted as 0
  std::vector<CategoryPoints> categories;  // by points descending, then code
  int awards = 0;            // award records dated in the window, revoked ones included
  int negative_records = 0;  // not revoked, item points below 0
  int late_records = 0;      // awards recorded after their period's last day
  int self_scored = 0;       // awards recorded by a scorer on their own household
  double late_share = 0, self_scoring_share = 0;  // of `awards`
  Points redeemed;
  std::optional<Points>
      redeemed_yuan;  // redeemed x rate of each period's rules; unset without rate
  Points cleared;
  int pending = 0;  // awards dated in the window still waiting for review
  // Each period's place in the workflow (SPEC.md §3 "Posting") as of the comparison's moment.
  std::vector<std::pair<Period, PeriodState>> states;
};

struct Comparison {
  std::vector<VillageComparison> villages;                   // village code order
  std::vector<std::pair<std::string, std::string>> skipped;  // village, why (e.g. no rules then)
};

// Compares every village of the ledger over `window` as of `as_of`. A `period` of another kind
// than a village's is replaced by the periods covering the same days: a month by its quarter, a
// quarter by its three months (`substituted`). Villages without rules in force are skipped.
// `now` is the moment period states are judged at when `as_of` is unset.
Result<Comparison> Compare(const ledger::Reader& reader, const ReportWindow& window,
                           const std::optional<Timestamp>& as_of, Timestamp now);

// Gini coefficient of `values` (cents), negatives counted as 0: sum_i sum_j |x_i - x_j| / (2 n sum
// x); 0 when every value is 0 or there are none.
double Gini(const std::vector<int64_t>& values);

// Median of `values` (cents) as exact points: the middle one, or the mean of the middle two.
Ratio Median(std::vector<int64_t> values);

}  // namespace jifen::engine
