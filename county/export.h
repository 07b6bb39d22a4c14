// `jifen export` (docs/COUNTY.md): a township ledger's records and replayed figures into the
// tables of a ClickHouse database, where the county and the province compare townships.
//
// Incremental and idempotent. ClickHouse is asked for the last record it holds of this ledger
// (by its origin) and only the records after it are sent, in batches; then the figures of every
// period of the villages that have records since the last completed export (or whose periods
// were not yet final then) are replayed and sent again, the newer rows replacing the older
// (ReplacingMergeTree by version); last, a row in `exports` says the export completed. An export
// killed at any point leaves rows that the next export completes or replaces, so running it again
// gives the same tables. The ledger is only read.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "county/rows.h"
#include "ledger/ledger.h"

namespace jifen::county {

struct ExportOptions {
  std::string url;                 // http://HOST:PORT of ClickHouse's HTTP interface
  std::string database = "jifen";  // created if missing
  std::string origin;  // the ledger's name in the tables; empty: its log's origin or DefaultOrigin
  std::string ledger_dir;     // where LEDGER/log.key is looked for (ReadProvenance)
  size_t batch_rows = 20000;  // rows per INSERT (also capped at kBatchBytesMax)
  Timestamp now;              // the moment period states are judged at
  // Told how far each phase ("records", "figures") has got, for a progress bar.
  std::function<void(const char* phase, uint64_t done, uint64_t total)> progress;
};

inline constexpr size_t kBatchBytesMax = size_t{16} << 20;

struct ExportSummary {
  Provenance provenance;
  uint64_t from_sequence = 0;  // the first record sent (through_sequence + 1: none)
  uint64_t records_sent = 0;
  uint64_t figure_rows = 0;           // households × periods
  uint64_t village_period_rows = 0;   // villages × periods
  std::vector<std::string> villages;  // whose figures were sent
};

// Exports what `reader` (a snapshot of the ledger) holds. Status::Usage for a bad URL, database
// or origin; Status::IOError when the server cannot be reached; Status::InvalidInput when it
// refuses (its message), when its tables are not the export's (naming the column), or when it
// holds records of this origin that are not this ledger's; Status::Corruption when the ledger's
// own chain fails.
Result<ExportSummary> Export(const ledger::Reader& reader, const ExportOptions& options);

// The ledger's provenance as of `reader`: its origin (`origin` when given, else the origin of
// its transparency log when `ledger_dir` holds a log key, else DefaultOrigin), head sequence and
// hash, and the signed checkpoint of the head (empty without a log key). The one place that
// reads them.
Result<Provenance> ReadProvenance(const ledger::Reader& reader, const std::string& origin,
                                  const std::string& ledger_dir);

// "ledger-" and the first 16 hex digits of the chain hash of record 1: the same for every copy
// of a ledger, different for ledgers that do not start with the same record.
Result<std::string> DefaultOrigin(const ledger::Reader& reader);

}  // namespace jifen::county
