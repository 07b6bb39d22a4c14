// Annual evaluation and the shares + points dividend (SPEC.md §3 "Annual", "Dividend").
#pragma once

#include <vector>

#include "engine/replay.h"
#include "engine/titles.h"

namespace jifen::engine {

struct AnnualHousehold {
  std::string household;
  int periods = 0;  // periods of the year the household existed in
  Points total;     // earned over those periods
  Points annual;    // mean (rounded half away from zero) or sum, per the rules
  Ratio exact;      // `annual` before rounding: what the ranking compares
  bool vetoed = false;
  int rank = 0;
  std::vector<std::string> titles;
};

struct AnnualFigures {
  int year = 0;
  const Adoption* adoption = nullptr;       // the rules in force at the year's end
  std::vector<AnnualHousehold> households;  // rank order
};

// Replays every period of `year` and ranks the households. The model must hold events from
// ReplayStart of the year's first period.
Result<AnnualFigures> ComputeAnnual(const VillageModel& model, int year);

// The year's first and last periods under the rules in force then.
Result<std::pair<Period, Period>> PeriodsOfYear(const VillageModel& model, int year);

struct DividendPart {
  std::string household;
  int64_t shares = 0;
  Points annual;
  int64_t shares_fen = 0;
  int64_t points_fen = 0;
  int64_t total_fen = 0;
};

// Splits `amount_fen` by the rules' dividend percentages: shares% by households' shares,
// points% by annual value (negative counts as 0). Each part is floored to the fen and the
// remaining fen go by largest remainder, ties by household code, so the parts add up exactly.
// When no household has shares (or positive points) that part goes by the other measure.
Result<std::vector<DividendPart>> Distribute(const VillageModel& model, const AnnualFigures& annual,
                                             int64_t amount_fen);

}  // namespace jifen::engine
