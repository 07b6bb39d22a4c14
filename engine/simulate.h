// A deterministic, realistic township ledger generated from village rule files (`jifen simulate`,
// `jifen demo`, the benchmarks). Every record goes through the real admission (ImportRecords,
// AdoptRules) with an explicit recorded time, so the same options always give the same ledger
// content, whenever and wherever it runs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "util/date.h"
#include "util/status.h"

namespace jifen::engine {

struct SimulateOptions {
  int villages = 4;     // rule files are cycled; beyond their count a file is cloned (SYS2 …)
  int households = 40;  // per village, a few of them joining during the year
  int year = 2022;
  uint64_t seed = 1;
  std::string villages_dir;  // its *.rules files, taken in file-name order
  // Called after each imported batch with a one-line progress note (may be empty).
  std::function<void(const std::string&)> progress;
};

struct SimulatedVillage {
  std::string code;
  std::string name;
  std::string file;  // the rule file it was adopted from
  PeriodKind period = PeriodKind::kMonth;
  bool rewards = false;   // has a reward catalogue (redemptions)
  bool dividend = false;  // has a shares + points dividend
  int households = 0;
  int persons = 0;
  int scorers = 0;
  bool review = false;  // its rules name review roles (awards wait for approval)
};

struct SimulateSummary {
  int year = 0;
  std::vector<SimulatedVillage> villages;  // in adoption order
  int households = 0;
  int persons = 0;
  std::map<std::string, size_t> records;  // by record type name ("award", "redeem", …)
  size_t total_records = 0;
  // The unfairness planted for the audit to find: one scorer who favours a few households, and
  // scorers who score their own household in `self flag` villages.
  std::string favouring_village;
  std::string favouring_scorer;
  std::vector<std::string> favoured_households;
  std::vector<std::pair<std::string, std::string>> self_scorers;  // (village, scorer)
};

// Fills the empty `ledger` with a township of `options.villages` villages for `options.year`:
// rule adoptions effective on the year's first day, households, people, scorers, moves, weekly
// recorded awards, redemptions within balance, revocations. Records are imported month by month
// in recorded-time order. Status::InvalidInput when the ledger is not empty, the options are out
// of range or a rule file does not parse; a record refused by admission is a bug and comes back
// as Status::InvalidInput naming the refusals.
Result<SimulateSummary> Simulate(ledger::Ledger& ledger, const SimulateOptions& options);

// The one-paragraph description of a simulated township printed by `jifen simulate`.
std::string DescribeSimulation(const SimulateSummary& summary);

}  // namespace jifen::engine
