// Replay (SPEC.md §3): folds a village's events through the rules in force, period by period,
// into each household's figures. Deterministic: no clock, no locale, no floating point.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/bonus.h"
#include "engine/model.h"

namespace jifen::engine {

// Why an award or redemption counted as it did (explain, audit).
enum class Outcome : uint8_t {
  kCounted,      // in full
  kCapped,       // partly or not at all: the cap window was full
  kRevoked,      // a revoke record names it
  kUnknownItem,  // the rules in force have no such item or reward
  kNoHousehold,  // the person belonged to no household on the date
  kPending,      // waits for review (SPEC.md §3 "Review"): counts nowhere until approved
};

struct EventResult {
  const Event* record = nullptr;
  std::string_view household;  // the household it counts for (text owned by the model or its codes)
  int household_index = -1;    // that household's number in the replay that counted it
  Outcome outcome = Outcome::kCounted;
  Points raw;                           // item points x qty, or cost x qty for a redemption
  Points counted;                       // what reached the figures (0 unless counted or capped)
  Points cap;                           // the cap that applied (kCapped)
  const grammar::Item* item = nullptr;  // an award's item in the rules in force, if any
};

struct BonusResult {
  std::string code;
  std::string name;
  Points points;
  bool fired = false;
};

struct HouseholdFigures {
  std::string household;
  Points carried, base, person_points, household_points, bonus, earned, redeemed, balance, cleared;
  bool vetoed = false;
  int pending = 0;  // awards on the household and its members dated in the period, still pending
  int rank = 0;
  std::vector<std::string> titles;
  // Filled only for the household asked about in ReplayOptions::detail_household.
  std::vector<EventResult> events;
  std::vector<BonusResult> bonuses;
  BonusContext bonus_context;  // what the bonuses were evaluated over (detailed household only)
  int members = 0;
};

struct PeriodFigures {
  Period period;
  const Adoption* adoption = nullptr;        // the rules in force
  std::vector<HouseholdFigures> households;  // rank order, ties by household code
  std::vector<EventResult> events;           // every event of the period (when keep_events)
};

struct ReplayOptions {
  std::string detail_household;  // collect events and bonuses for this household
  bool keep_events = false;      // collect every event of every period
  // Redemption admission: count only events dated on or before this day in the last period, and
  // no bonuses for that period (they are decided when it closes; earlier periods keep theirs).
  std::optional<Date> events_through;
  // Replay only this household: its own awards, its members' (anyone who ever belonged to it,
  // since caps follow the person) and its redemptions. Its figures are exactly those of a full
  // replay, because caps are per subject and item and bonuses see only the household's awards;
  // other households are left out and nothing is ranked.
  std::string only_household;
  // Replay these events, in (date, sequence) order, instead of model.events (admission keeps
  // each household's events apart so a redemption check need not walk the whole village).
  const std::vector<Event>* events = nullptr;
};

// What a household may spend in the shop: its points of the period so far (carried, base, its
// members' and its own awards) less what it has redeemed. The balance redemption admission checks.
inline Points RedeemableBalance(const HouseholdFigures& f) {
  return f.carried + f.base + f.person_points + f.household_points - f.redeemed;
}

// How many of `reward` were redeemed (not revoked) among model.events: in `period` when given,
// else in all of them. The model must hold the events from the start of `period`, or all events.
int64_t RewardsRedeemed(const VillageModel& model, std::string_view reward,
                        const std::optional<Period>& period);

// Replays `model` period by period from ReplayStart(model, first) through `last`, and returns the
// figures of the periods `first`..`last`. The model's events must be sorted
// (VillageModel::SortEvents) and held from ReplayStart on. Fails when no rules are in force for a
// requested period or the period's kind (month/quarter) is not the rules'.
Result<std::vector<PeriodFigures>> Replay(const VillageModel& model, Period first, Period last,
                                          const ReplayOptions& options = {});

// The first day whose events replay of `period` needs: the first day of the period's year, or
// earlier while balances carry across years (clearing never).
Date ReplayStart(const VillageModel& model, Period period);

// The period containing `day` under the rules in force then.
std::optional<Period> PeriodOf(const VillageModel& model, Date day);

}  // namespace jifen::engine
