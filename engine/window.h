// What a report covers (audit, compare, whatif): a window of periods, the village loaded for
// replaying it, and the questions every report of a window asks of its records: was an award
// scored for the scorer's own household, how late was a record, which rule versions governed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/replay.h"
#include "ledger/ledger.h"

namespace jifen::engine {

// What a report covers: one period, or every period of a calendar year.
struct ReportWindow {
  std::optional<Period> period;
  std::optional<int> year;
  // For `period`: take the periods that cover its days under the village's rules instead (a
  // month asked of a quarterly village gives its quarter, a quarter of a monthly one 3 months).
  bool covering = false;
};

// The first and last periods of `window` under the rules in force (a year: PeriodsOfYear).
Result<std::pair<Period, Period>> ResolveWindow(const VillageModel& model,
                                                const ReportWindow& window);

// Adds to `model`, a village's structure read from `reader` (LoadVillageStructure), the events
// that replay of the periods from `first` to the one ending `last_day` needs: from
// ReplayStart(first) to `last_day`, on the same snapshot the structure came from, so that the
// figures are of one moment of the ledger.
Status LoadEventsForPeriods(const ledger::Reader& reader, VillageModel* model, Period first,
                            Date last_day);

// The structure of `village` as of `sequence_max` and the events of the periods `first` to the
// one ending `last_day`, from one snapshot: what a report over periods needs. A village with no
// rules and no households comes back empty (the caller says what that means to it).
Result<VillageModel> LoadVillageForPeriods(const ledger::Reader& reader, const std::string& village,
                                           uint64_t sequence_max, Period first, Date last_day);

// A village loaded as of `sequence_max` with every event that replay of its window needs.
struct WindowModel {
  VillageModel model;
  Period first, last;
};
Result<WindowModel> LoadWindow(const ledger::Reader& reader, const std::string& village,
                               uint64_t sequence_max, const ReportWindow& window);

// Whether an award was recorded by a scorer whose linked person belonged, on the award's date,
// to the household the award counts for. Looks each scorer's person up once (audit and compare
// ask this of every award of a window).
class ScoredOwnHousehold {
 public:
  explicit ScoredOwnHousehold(const VillageModel& model)
      : model_(model), person_of_scorer_(model.codes.get()) {}
  bool operator()(const EventResult& result);

 private:
  const Person* PersonOf(std::string_view scorer) const;

  const VillageModel& model_;
  ByCode<const Person*> person_of_scorer_;  // nullptr: none linked
};

// Days between the last day of `period` and the day `record` was recorded (in its own offset);
// 0 or less when it was recorded in time.
int DaysLate(const Event& record, const Period& period);

// A rule version that governs some of a window's periods.
struct RulesVersion {
  uint64_t sequence = 0;
  std::string sha256;
  Date effective;
  Timestamp recorded;
  std::string approved_by;
  std::vector<Period> periods;  // the window's periods it governs
};

// The rule versions in force over `first`..`last`, in order, each with the periods it governs.
std::vector<RulesVersion> RulesVersions(const VillageModel& model, Period first, Period last);

}  // namespace jifen::engine
