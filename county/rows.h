// The rows `jifen export` sends (docs/COUNTY.md "Tables"), as JSON objects for ClickHouse's
// JSONEachRow input: a ledger record as it is, and the replayed figures of a household or a
// village in one period. Points and quantities are exact decimals written as JSON numbers
// (ClickHouse 18.16 reads a Decimal column from a number's text, never through a double).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/compare.h"
#include "engine/replay.h"
#include "engine/workflow.h"
#include "ledger/record.h"

namespace jifen::county {

using Json = nlohmann::json;

// Where the figures come from: the ledger (its origin), the chain head they were replayed at,
// the checkpoint that signs that head (empty until the ledger has checkpoints), when, and the
// version that makes a newer export's row replace an older one.
struct Provenance {
  std::string origin;
  uint64_t through_sequence = 0;
  std::string head;  // hex chain hash of record through_sequence
  std::string checkpoint;
  Timestamp exported;
  uint64_t version = 0;
};

// A record of any type with its chain hash h_n (hex). Rule texts are left out (their SHA-256
// is kept); every other field is copied.
Json RecordRow(const ledger::Record& record, const std::string& origin, const std::string& chain);

// What a household's row says beyond its figures.
struct HouseholdExtras {
  int positive_awards = 0;  // awards counting more than 0 points (compare's participation)
  int objections = 0;       // objections of the period naming the household or its records
};

// One household in one period.
Json FigureRow(const Provenance& provenance, const std::string& township,
               const std::string& village, const engine::PeriodFigures& period,
               const engine::HouseholdFigures& figures, const HouseholdExtras& extras,
               engine::PeriodState state);

// One village in one period: engine::Compare's figures of that period, and its workflow status.
Json VillagePeriodRow(const Provenance& provenance, const engine::VillageComparison& village,
                      const engine::PeriodStatus& status);

}  // namespace jifen::county
