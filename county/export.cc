#include "county/export.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "county/clickhouse.h"
#include "county/schema.h"
#include "engine/model.h"
#include "engine/window.h"
#include "ledger/codec.h"
#include "ledger/sha256.h"
#include "tlog/transparency.h"

namespace jifen::county {
namespace {

// Rows gathered for one INSERT, sent when batch_rows or kBatchBytesMax is reached.
class Batch {
 public:
  Batch(ClickHouse& server, std::string table, size_t rows_max)
      : server_(server), table_(std::move(table)), rows_max_(rows_max) {}
  Status Add(const Json& row) {
    body_ += row.dump();
    body_ += '\n';
    return ++rows_ >= rows_max_ || body_.size() >= kBatchBytesMax ? Flush() : Status::Ok();
  }
  Status Flush() {
    if (rows_ == 0) return Status::Ok();
    Status s = server_.InsertJsonRows(table_, body_);
    body_.clear();
    rows_ = 0;
    return s;
  }

 private:
  ClickHouse& server_;
  std::string table_;
  size_t rows_max_;
  std::string body_;
  size_t rows_ = 0;
};

// Creates the database and the tables where missing and checks that those found are the export's.
Status PrepareTables(ClickHouse& server, const std::string& database) {
  if (auto r = server.Query("CREATE DATABASE IF NOT EXISTS " + database); !r.ok())
    return r.status();
  for (const TableSchema& table : Tables()) {
    if (auto r = server.Query(CreateTableSql(table, database)); !r.ok()) return r.status();
    auto columns = server.JsonRows("SELECT name, type FROM system.columns WHERE database = " +
                                   Quoted(database) + " AND table = " + Quoted(table.name));
    if (!columns.ok()) return columns.status();
    std::vector<std::pair<std::string, std::string>> found;
    for (const Json& c : *columns) found.emplace_back(c.at("name"), c.at("type"));
    if (Status s = CheckColumns(table, database, found); !s.ok()) return s;
  }
  return Status::Ok();
}

// Where the previous exports of this origin got to.
struct Resume {
  uint64_t records_held = 0;  // the last sequence ClickHouse holds
  ledger::Hash chain{};       // its chain hash (h_0 when none)
  uint64_t completed = 0;     // through_sequence of the last completed export
};

Result<ledger::Hash> HashFromHex(const std::string& hex, const std::string& what) {
  ledger::Hash hash{};
  if (hex.size() != 64) return Status::InvalidInput(what + ": not a chain hash: " + hex);
  for (size_t i = 0; i < hash.size(); ++i) {
    try {
      hash[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    } catch (...) {
      return Status::InvalidInput(what + ": not a chain hash: " + hex);
    }
  }
  return hash;
}

// The chain hashes ClickHouse holds for the last two records of this origin, newest first
// (records are sent in sequence order, so what it holds is a prefix of the ledger).
Result<std::vector<std::pair<uint64_t, ledger::Hash>>> LastChains(ClickHouse& server,
                                                                  const std::string& database,
                                                                  const std::string& origin) {
  std::string where = " WHERE ledger = " + Quoted(origin);
  auto rows =
      server.JsonRows("SELECT sequence, any(chain) AS chain FROM " + database + ".records" + where +
                      " AND sequence + 1 >= (SELECT max(sequence) FROM " + database + ".records" +
                      where + ") GROUP BY sequence ORDER BY sequence DESC");
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<uint64_t, ledger::Hash>> out;
  for (const Json& row : *rows) {
    uint64_t sequence = row.at("sequence");
    auto chain = HashFromHex(row.at("chain"), "clickhouse " + server.url() + ": ledger " + origin +
                                                  ": record " + std::to_string(sequence));
    if (!chain.ok()) return chain.status();
    out.emplace_back(sequence, *chain);
  }
  return out;
}

// Whether the last record ClickHouse holds of this origin is this ledger's: its bytes in the
// ledger, chained on from the hash ClickHouse holds for the record before, give the hash
// ClickHouse holds for it. Checked before anything is sent, so that another ledger's records are
// never sent under an origin already taken.
Status CheckHeldRecord(const ledger::Reader& reader, const std::string& subject,
                       const std::vector<std::pair<uint64_t, ledger::Hash>>& chains,
                       uint64_t head_sequence) {
  uint64_t held = chains.front().first;
  std::string other = "; another ledger was exported under this origin (give --origin NAME)";
  if (held > head_sequence)
    return Status::InvalidInput(subject + "holds records up to " + std::to_string(held) +
                                " but this ledger ends at " + std::to_string(head_sequence) +
                                other);
  if (held > 1 && (chains.size() < 2 || chains[1].first != held - 1))
    return Status::InvalidInput(subject + "record " + std::to_string(held - 1) + " is missing" +
                                other);
  auto record = reader.Get(held);
  if (!record.ok()) return record.status();
  std::string bytes;
  ledger::EncodeRecord(*record, &bytes);
  if (ledger::ChainHash(held > 1 ? chains[1].second : ledger::Hash{}, bytes) !=
      chains.front().second)
    return Status::InvalidInput(subject + "its record " + std::to_string(held) +
                                " is not this ledger's record " + std::to_string(held) + other);
  return Status::Ok();
}

Result<Resume> ReadResume(const ledger::Reader& reader, ClickHouse& server,
                          const std::string& database, const Provenance& p) {
  Resume resume;
  auto chains = LastChains(server, database, p.origin);
  if (!chains.ok()) return chains.status();
  std::string subject = "clickhouse " + server.url() + ": ledger " + p.origin + ": ";
  if (!chains->empty()) {
    if (Status s = CheckHeldRecord(reader, subject, *chains, p.through_sequence); !s.ok()) return s;
    resume.records_held = chains->front().first;
    resume.chain = chains->front().second;
  }
  auto done = server.JsonRows("SELECT max(through_sequence) AS s FROM " + database +
                              ".exports WHERE ledger = " + Quoted(p.origin));
  if (!done.ok()) return done.status();
  if (!done->empty()) resume.completed = done->front().at("s");
  resume.completed = std::min(resume.completed, resume.records_held);
  return resume;
}

// Sends records from.. of the snapshot, each with its chain hash, continuing the chain from
// `previous` (h_{from-1} as ClickHouse holds it); the chain must end at the ledger's head, or
// ClickHouse's records are not this ledger's.
Status SendRecords(const ledger::Reader& reader, ClickHouse& server, const ExportOptions& options,
                   const Provenance& p, uint64_t from, ledger::Hash previous) {
  Batch batch(server, options.database + ".records", options.batch_rows);
  uint64_t total = p.through_sequence - from + 1, done = 0;
  std::string bytes;
  Status sent;
  Status read = reader.ForEachRecord(from, [&](const ledger::Record& record) {
    if (record.sequence > p.through_sequence) return false;
    bytes.clear();
    ledger::EncodeRecord(record, &bytes);
    previous = ledger::ChainHash(previous, bytes);
    sent = batch.Add(RecordRow(record, p.origin, ledger::HashToHex(previous)));
    if (options.progress && (++done % 4096 == 0 || done == total))
      options.progress("records", done, total);
    return sent.ok();
  });
  if (!read.ok()) return read;
  if (!sent.ok()) return sent;
  if (Status s = batch.Flush(); !s.ok()) return s;
  if (ledger::HashToHex(previous) != p.head)
    return Status::InvalidInput(
        "clickhouse " + server.url() + ": ledger " + p.origin + ": the records it holds before " +
        std::to_string(from) + " do not chain to this ledger's head " + p.head +
        "; another ledger was exported under this origin (give --origin NAME)");
  return Status::Ok();
}

// The first year whose figures `record` can change: that of the day it is dated on, of the
// period it names, or of the record it names (replay carries effects forward in time, never
// back); 0, every year, when that cannot be told.
int FirstYearChanged(const ledger::Reader& reader, const ledger::Record& record) {
  using ledger::RecordType;
  switch (record.type) {
    case RecordType::kRules:
    case RecordType::kHousehold:
    case RecordType::kPerson:
    case RecordType::kMove:
    case RecordType::kAward:
    case RecordType::kRedeem:
      return record.date.year();
    case RecordType::kPost:
    case RecordType::kObjection: {
      auto period = Period::Parse(record.period);
      return period ? period->year : 0;
    }
    case RecordType::kRevoke:
    case RecordType::kApprove:
    case RecordType::kRuling: {
      // An award or redemption (revoke, approve), or an objection (ruling): never one of these
      // three, so this looks one record up at most.
      auto sequence = reader.FindKey(record.village, record.target);
      if (!sequence) return 0;
      auto target = reader.Get(*sequence);
      return target.ok() ? FirstYearChanged(reader, *target) : 0;
    }
    case RecordType::kScorer:
      return 0;  // which awards count as self-scored, in any year
  }
  return 0;
}

// The villages whose figures may have changed since the last completed export, each with the
// first year that may have: from the records after that export, and the first period that was
// not final then (its state moves with time).
Result<std::map<std::string, int>> VillagesToRefigure(const ledger::Reader& reader,
                                                      ClickHouse& server,
                                                      const std::string& database,
                                                      const Provenance& p, uint64_t completed) {
  std::map<std::string, int> villages;
  if (completed == 0) {
    for (const std::string& v : reader.Villages()) villages[v] = 0;
    return villages;
  }
  auto note = [&](const std::string& village, int year) {
    auto [at, added] = villages.emplace(village, year);
    if (!added) at->second = std::min(at->second, year);
  };
  Status read = reader.ForEachRecord(completed + 1, [&](const ledger::Record& record) {
    if (record.sequence > p.through_sequence) return false;
    note(record.village, FirstYearChanged(reader, record));
    return true;
  });
  if (!read.ok()) return read;
  auto open = server.JsonRows("SELECT village, min(toYear(period_first)) AS year FROM " + database +
                              ".village_periods FINAL WHERE ledger = " + Quoted(p.origin) +
                              " AND state != 'final' GROUP BY village");
  if (!open.ok()) return open.status();
  for (const Json& row : *open) note(row.at("village"), row.at("year").get<int>());
  return villages;
}

}  // namespace

namespace {

// engine::Compare's figures of each village in each of its own periods of `year` that had begun
// by `last_day`, by (village, period): the village-level measures (records, late, self-scored,
// pending, categories, redemptions in yuan) computed once, by the engine, as `jifen compare`
// prints them.
using PeriodComparisons = std::map<std::pair<std::string, std::string>, engine::VillageComparison>;

Result<PeriodComparisons> ComparePeriods(const ledger::Reader& reader,
                                         const std::set<std::string>& villages, int year,
                                         Date last_day, Timestamp now) {
  PeriodComparisons out;
  for (PeriodKind kind : {PeriodKind::kMonth, PeriodKind::kQuarter}) {
    for (Period period = Period::FirstOfYear(year, kind);
         period.year == year && period.FirstDay() <= last_day; period = period.Next()) {
      engine::ReportWindow window;
      window.period = period;
      auto comparison = engine::Compare(reader, window, std::nullopt, now);
      if (!comparison.ok()) return comparison.status();
      for (engine::VillageComparison& c : comparison->villages) {
        if (c.substituted || !villages.count(c.village)) continue;
        out.emplace(std::make_pair(c.village, period.ToString()), std::move(c));
      }
    }
  }
  return out;
}

bool Counts(const engine::EventResult& r) {
  return r.outcome == engine::Outcome::kCounted || r.outcome == engine::Outcome::kCapped;
}

// Per household of one period: its awards counting more than 0 points, and the objections of the
// period that name it or one of its records.
std::map<std::string, HouseholdExtras, std::less<>> Extras(const engine::VillageModel& model,
                                                           const engine::PeriodFigures& period) {
  std::map<std::string, HouseholdExtras, std::less<>> extras;
  std::map<std::string_view, std::string_view> household_of_id;
  for (const engine::EventResult& r : period.events) {
    if (!r.record->id.empty() && !r.household.empty()) household_of_id[r.record->id] = r.household;
    if (r.record->type == ledger::RecordType::kAward && Counts(r) && r.counted > Points())
      extras[std::string(r.household)].positive_awards += 1;
  }
  auto records = model.periods.find(period.period.ToString());
  if (records == model.periods.end()) return extras;
  for (const std::string& id : records->second.objections) {
    const engine::Objection& o = model.objections.at(id);
    if (!o.household.empty()) {
      extras[o.household].objections += 1;
    } else if (auto h = household_of_id.find(o.target); h != household_of_id.end()) {
      extras[std::string(h->second)].objections += 1;
    }
  }
  return extras;
}

struct FigureBatches {
  Batch figures, village_periods;
  uint64_t figure_rows = 0, village_period_rows = 0;
};

// The figures of `village` in every period of `year` that had begun by `last_day`. A year in
// which the village had no rules in force is left out, as compare leaves it out.
Status SendVillageYear(const ledger::Reader& reader, const Provenance& p,
                       const std::string& village, int year, Date last_day,
                       const PeriodComparisons& comparisons, FigureBatches& out) {
  engine::ReportWindow window;
  window.year = year;
  auto loaded = engine::LoadWindow(reader, village, p.through_sequence, window);
  if (!loaded.ok())
    return loaded.status().code() == Status::Code::kInvalidInput ? Status::Ok() : loaded.status();
  engine::ReplayOptions options;
  options.keep_events = true;
  auto periods = engine::Replay(loaded->model, loaded->first, loaded->last, options);
  if (!periods.ok())
    return periods.status().code() == Status::Code::kInvalidInput ? Status::Ok() : periods.status();
  for (const engine::PeriodFigures& period : *periods) {
    if (period.period.FirstDay() > last_day) break;
    engine::PeriodStatus status = engine::StatusOf(loaded->model, period.period, p.exported);
    const std::string& township = period.adoption->rules->village.township;
    auto extras = Extras(loaded->model, period);
    for (const engine::HouseholdFigures& f : period.households) {
      auto e = extras.find(f.household);
      Json row = FigureRow(p, township, village, period, f,
                           e == extras.end() ? HouseholdExtras{} : e->second, status.state);
      if (Status s = out.figures.Add(row); !s.ok()) return s;
      out.figure_rows += 1;
    }
    auto c = comparisons.find({village, period.period.ToString()});
    if (c == comparisons.end()) continue;
    if (Status s = out.village_periods.Add(VillagePeriodRow(p, c->second, status)); !s.ok())
      return s;
    out.village_period_rows += 1;
  }
  reader.ReleaseMappedPages();
  return Status::Ok();
}

// The years from `from` (or the village's first rules, if later) to the ledger's last recorded
// day.
Result<std::pair<int, int>> YearsOf(const ledger::Reader& reader, const std::string& village,
                                    int from, uint64_t sequence_max, Date last_day) {
  auto model = engine::LoadVillageStructure(reader, village, sequence_max);
  if (!model.ok()) return model.status();
  if (model->adoptions.empty()) return std::make_pair(1, 0);  // nothing to replay
  return std::make_pair(std::max(from, model->adoptions.front().effective.year()), last_day.year());
}

Status SendFigures(const ledger::Reader& reader, ClickHouse& server, const ExportOptions& options,
                   const Provenance& p, const std::map<std::string, int>& villages,
                   ExportSummary& summary) {
  Date last_day = reader.LatestRecorded()->LocalDate();
  std::map<int, std::vector<std::string>> by_year;
  for (const auto& [village, from] : villages) {
    auto years = YearsOf(reader, village, from, p.through_sequence, last_day);
    if (!years.ok()) return years.status();
    for (int year = years->first; year <= years->second; ++year) by_year[year].push_back(village);
  }
  FigureBatches out{Batch(server, options.database + ".figures", options.batch_rows),
                    Batch(server, options.database + ".village_periods", options.batch_rows)};
  uint64_t total = 0, done = 0;
  for (const auto& [year, list] : by_year) total += list.size();
  for (const auto& [year, list] : by_year) {
    std::set<std::string> these(list.begin(), list.end());
    auto comparisons = ComparePeriods(reader, these, year, last_day, p.exported);
    if (!comparisons.ok()) return comparisons.status();
    for (const std::string& village : list) {
      if (Status s = SendVillageYear(reader, p, village, year, last_day, *comparisons, out);
          !s.ok())
        return s;
      if (options.progress) options.progress("figures", ++done, total);
    }
  }
  if (Status s = out.figures.Flush(); !s.ok()) return s;
  if (Status s = out.village_periods.Flush(); !s.ok()) return s;
  summary.figure_rows = out.figure_rows;
  summary.village_period_rows = out.village_period_rows;
  for (const auto& [village, from] : villages) summary.villages.push_back(village);
  return Status::Ok();
}

Status RecordExport(ClickHouse& server, const std::string& database, const ExportSummary& s) {
  const Provenance& p = s.provenance;
  Json row = {{"ledger", p.origin},
              {"from_sequence", s.from_sequence},
              {"through_sequence", p.through_sequence},
              {"head", p.head},
              {"checkpoint", p.checkpoint},
              {"records_sent", s.records_sent},
              {"villages", s.villages.size()},
              {"exported", p.exported.utc_seconds},
              {"jifen", JIFEN_VERSION}};
  return server.InsertJsonRows(database + ".exports", row.dump() + "\n");
}

uint64_t MicrosecondsNow() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

Result<std::string> DefaultOrigin(const ledger::Reader& reader) {
  auto first = reader.Get(1);
  if (!first.ok()) return first.status();
  std::string bytes;
  ledger::EncodeRecord(*first, &bytes);
  return "ledger-" + ledger::HashToHex(ledger::ChainHash(ledger::Hash{}, bytes)).substr(0, 16);
}

Result<Provenance> ReadProvenance(const ledger::Reader& reader, const std::string& origin,
                                  const std::string& ledger_dir) {
  Provenance p;
  p.through_sequence = reader.HeadSequence();
  if (p.through_sequence == 0)
    return Status::InvalidInput("the ledger is empty: nothing to export");
  p.head = ledger::HashToHex(reader.HeadHash());
  // A ledger that is a transparency log (LEDGER/log.key, SPEC.md §6) is named by its log's
  // origin, and its export carries the signed checkpoint of the head it was taken at. The key is
  // never made here: the export only reads.
  std::error_code ec;
  if (!ledger_dir.empty() &&
      std::filesystem::exists(std::filesystem::path(ledger_dir) / tlog::kLogKeyFile, ec)) {
    auto key = tlog::LogKey(ledger_dir, std::nullopt, false);
    if (!key.ok()) return key.status();
    auto checkpoint = tlog::CheckpointAt(reader, *key, p.through_sequence);
    if (!checkpoint.ok()) return checkpoint.status();
    p.origin = origin.empty() ? key->name : origin;
    p.checkpoint = *checkpoint;
    return p;
  }
  if (origin.empty()) {
    auto made = DefaultOrigin(reader);
    if (!made.ok()) return made.status();
    p.origin = *made;
  } else {
    p.origin = origin;
  }
  p.checkpoint = "";  // a ledger without a log key has no signed checkpoints
  return p;
}

Result<ExportSummary> Export(const ledger::Reader& reader, const ExportOptions& options) {
  if (!IsPlainName(options.database, true))
    return Status::Usage("--database " + options.database +
                         ": write 1 to 64 letters, digits or _, starting with a letter");
  if (!options.origin.empty() && !IsPlainName(options.origin, false))
    return Status::Usage("--origin " + options.origin +
                         ": write 1 to 64 letters, digits, _, . or -, starting with a letter");
  auto server = ClickHouse::Open(options.url);
  if (!server.ok()) return server.status();
  ExportSummary summary;
  auto p = ReadProvenance(reader, options.origin, options.ledger_dir);
  if (!p.ok()) return p.status();
  summary.provenance = *p;
  summary.provenance.exported = options.now;
  summary.provenance.version = MicrosecondsNow();
  const Provenance& provenance = summary.provenance;
  if (Status s = PrepareTables(**server, options.database); !s.ok()) return s;
  auto resume = ReadResume(reader, **server, options.database, provenance);
  if (!resume.ok()) return resume.status();
  summary.from_sequence = resume->records_held + 1;
  if (Status s =
          SendRecords(reader, **server, options, provenance, summary.from_sequence, resume->chain);
      !s.ok())
    return s;
  summary.records_sent = provenance.through_sequence - resume->records_held;
  auto villages =
      VillagesToRefigure(reader, **server, options.database, provenance, resume->completed);
  if (!villages.ok()) return villages.status();
  if (Status s = SendFigures(reader, **server, options, provenance, *villages, summary); !s.ok())
    return s;
  if (Status s = RecordExport(**server, options.database, summary); !s.ok()) return s;
  return summary;
}

}  // namespace jifen::county
