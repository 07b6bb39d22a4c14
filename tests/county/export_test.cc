// `jifen export` end to end: simulated township ledgers exported by the real binary into a real
// ClickHouse server, the county's queries of docs/COUNTY.md run over them and checked against
// `jifen compare` on each ledger; an export killed mid-way and run again; a Distributed table
// over two shards; every refusal.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "county/clickhouse.h"
#include "county/schema.h"
#include "ledger/ledger.h"
#include "tests/common/run_binary.h"
#include "tests/county/fixture.h"
#include "util/text.h"

namespace jifen::tests {
namespace {

using Json = nlohmann::json;

struct Township {
  std::string origin;
  int villages, households, seed;
  std::string ledger;  // its directory
};

// The queries of docs/COUNTY.md: each ```sql block whose first line is `-- county: NAME`.
std::map<std::string, std::string> DocQueries() {
  std::istringstream doc(ReadFile(std::string(JIFEN_SOURCE_DIR) + "/docs/COUNTY.md"));
  std::map<std::string, std::string> queries;
  std::string line, name, text;
  bool in_sql = false;
  while (std::getline(doc, line)) {
    if (!in_sql && line == "```sql") {
      in_sql = true;
      name.clear();
      text.clear();
    } else if (in_sql && line == "```") {
      in_sql = false;
      if (!name.empty()) queries[name] = text;
    } else if (in_sql) {
      if (text.empty() && line.rfind("-- county: ", 0) == 0) name = line.substr(11);
      text += line + "\n";
    }
  }
  return queries;
}

int64_t Fen(const Json& number) { return std::llround(number.get<double>() * 100); }

class CountyExport : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite() {
    server_.reset();
    scratch_.reset();
  }
  void SetUp() override {
    if (access(kClickHouseServer, X_OK) != 0)
      GTEST_SKIP() << kClickHouseServer
                   << " is not installed (sh scripts/setup.sh test installs clickhouse-server)";
    ASSERT_TRUE(server_ && why_.empty()) << why_;
  }

  static Outcome Jifen(std::vector<std::string> args) {
    args.insert(args.begin(), JIFEN_BINARY);
    return RunProgram(args, *scratch_);
  }
  static Outcome Export(const Township& t, const std::string& database,
                        std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"export",       "--ledger",   t.ledger, "--clickhouse",
                                     server_->url(), "--database", database, "--origin",
                                     t.origin,       "--format",   "json"};
    args.insert(args.end(), more.begin(), more.end());
    return Jifen(args);
  }
  static Outcome ExportT1(const std::string& url, const std::string& database,
                          const std::string& origin = "T1") {
    return Jifen({"export", "--ledger", townships_[0].ledger, "--clickhouse", url, "--database",
                  database, "--origin", origin});
  }
  static Json CompareJson(const Township& t, const std::string& flag, const std::string& value) {
    Outcome r = Jifen({"compare", "--ledger", t.ledger, flag, value, "--format", "json"});
    EXPECT_EQ(r.rc, 0) << r.err;
    return Json::parse(r.out, nullptr, false);
  }
  static std::vector<Json> Rows(const std::string& database, const std::string& sql) {
    auto server = county::ClickHouse::Open(server_->url());
    (*server)->UseDatabase(database);
    auto rows = (*server)->JsonRows(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().message() << "\n" << sql;
    return rows.ok() ? *rows : std::vector<Json>{};
  }
  static std::vector<Json> DocQuery(const std::string& database, const std::string& name) {
    auto queries = DocQueries();
    EXPECT_TRUE(queries.count(name)) << "docs/COUNTY.md has no query " << name;
    return Rows(database, queries[name]);
  }
  // Every row of `table` of one origin, without the columns that say when it was exported.
  // With `figures_only`, without the head they were replayed at either.
  static std::vector<Json> TableRows(const std::string& database, const std::string& table,
                                     const std::string& origin, bool figures_only = false) {
    std::string columns;
    for (const county::Column& c : county::TableNamed(table).columns) {
      std::string name = c.name;
      if (name == "exported" || name == "version") continue;
      if (figures_only && (name == "through_sequence" || name == "head")) continue;
      columns += (columns.empty() ? "" : ", ") + name;
    }
    return Rows(database, "SELECT " + columns + " FROM " + table + " FINAL WHERE ledger = '" +
                              origin + "' ORDER BY " + columns);
  }

  static inline std::unique_ptr<ScratchDir> scratch_;
  static inline std::unique_ptr<ClickHouseServer> server_;
  static inline std::string why_;
  static inline std::vector<Township> townships_ = {
      {"T1", 3, 30, 1, ""}, {"T2", 2, 25, 2, ""}, {"T3", 4, 20, 3, ""}};
};

// One server for the suite; three townships simulated and exported into the database `jifen`.
void CountyExport::SetUpTestSuite() {
  if (access(kClickHouseServer, X_OK) != 0) return;
  scratch_ = std::make_unique<ScratchDir>("jifen-county");
  std::filesystem::create_directories(scratch_->Path("clickhouse"));
  server_ = ClickHouseServer::Start(scratch_->Path("clickhouse"), &why_);
  if (!server_) return;
  for (Township& t : townships_) {
    t.ledger = scratch_->Path(t.origin);
    Outcome r = Jifen({"simulate", "--villages", std::to_string(t.villages), "--households",
                       std::to_string(t.households), "--year", "2022", "--seed",
                       std::to_string(t.seed), "--ledger", t.ledger});
    if (r.rc != 0) why_ += "simulate " + t.origin + ": " + r.err + Misbehaved(r);
    r = Export(t, "jifen");
    if (r.rc != 0) why_ += "export " + t.origin + ": " + r.err + Misbehaved(r);
  }
}

// villages_year, findings_year and categories_year against `jifen compare --year 2022` of each
// ledger, village by village, figure for figure.
TEST_F(CountyExport, VillageYearQueriesGiveCompareFigures) {
  std::map<std::pair<std::string, std::string>, Json> compared;
  for (const Township& t : townships_) {
    Json c = CompareJson(t, "--year", "2022");
    for (const Json& v : c["villages"]) compared[{t.origin, v["village"]}] = v;
  }
  ASSERT_EQ(compared.size(), 9u);
  auto villages = DocQuery("jifen", "villages_year");
  ASSERT_EQ(villages.size(), compared.size());
  for (const Json& row : villages) {
    const Json& c = compared.at({row["ledger"], row["village"]});
    SCOPED_TRACE(row.dump());
    EXPECT_EQ(row["households"], c["households"]);
    EXPECT_EQ(row["people"], c["people"]);
    EXPECT_EQ(row["participating"], c["participating"]);
    EXPECT_DOUBLE_EQ(RoundDecimals(row["participation"].get<double>(), 3),
                     c["participation"].get<double>());
    for (const char* points : {"earned", "mean_per_household", "median_per_household",
                               "mean_per_person", "redeemed", "cleared"})
      EXPECT_EQ(Fen(row[points]), Fen(c[points])) << points;
    EXPECT_DOUBLE_EQ(RoundDecimals(row["gini"].get<double>(), 3), c["gini"].get<double>());
  }
  auto findings = DocQuery("jifen", "findings_year");
  ASSERT_EQ(findings.size(), compared.size());
  for (const Json& row : findings) {
    const Json& c = compared.at({row["ledger"], row["village"]});
    SCOPED_TRACE(row.dump());
    for (const char* count :
         {"awards", "negative_records", "late_records", "self_scored", "pending"})
      EXPECT_EQ(row[count], c[count]) << count;
    EXPECT_DOUBLE_EQ(row["late_share"].get<double>(), c["late_share"].get<double>());
    EXPECT_DOUBLE_EQ(row["self_scoring_share"].get<double>(),
                     c["self_scoring_share"].get<double>());
    EXPECT_EQ(row["redeemed_yuan"].is_null(), c["redeemed_yuan"].is_null());
    if (!c["redeemed_yuan"].is_null()) {
      EXPECT_EQ(Fen(row["redeemed_yuan"]), Fen(c["redeemed_yuan"]));
    }
    int not_final = 0;
    for (const auto& [period, state] : c["states"].items()) not_final += state != "final";
    EXPECT_EQ(row["periods_not_final"], not_final);
  }
  std::map<std::pair<std::string, std::string>, std::map<std::string, int64_t>> categories;
  for (const Json& row : DocQuery("jifen", "categories_year"))
    categories[{row["ledger"], row["village"]}][row["category"]] = Fen(row["points"]);
  for (const auto& [key, c] : compared) {
    std::map<std::string, int64_t> expected;
    for (const auto& [code, k] : c["categories"].items()) expected[code] = Fen(k["points"]);
    EXPECT_EQ(categories[key], expected) << key.first << " " << key.second;
  }
}

// townships_month and findings_month against the sums over each ledger's villages of `jifen
// compare --period P` (its villages that count by P's kind), for every period of 2022; county_year
// against the sums over every ledger.
TEST_F(CountyExport, TownshipAndCountyQueriesGiveSumsOfCompare) {
  std::map<std::pair<std::string, std::string>, Json> month, findings;
  for (const Json& row : DocQuery("jifen", "townships_month"))
    month[{row["ledger"], row["period"]}] = row;
  for (const Json& row : DocQuery("jifen", "findings_month"))
    findings[{row["ledger"], row["period"]}] = row;
  std::vector<std::string> periods;
  for (int m = 1; m <= 12; ++m)
    periods.push_back((m < 10 ? "2022-0" : "2022-") + std::to_string(m));
  for (int q = 1; q <= 4; ++q) periods.push_back("2022-Q" + std::to_string(q));
  size_t checked = 0;
  for (const Township& t : townships_) {
    for (const std::string& period : periods) {
      Json sum = {{"villages", 0}, {"households", 0}, {"participating", 0},
                  {"earned", 0},   {"awards", 0},     {"negative", 0},
                  {"late", 0},     {"self", 0},       {"pending", 0}};
      Json compared = CompareJson(t, "--period", period);
      for (const Json& v : compared["villages"]) {
        if (v["substituted"]) continue;
        sum["villages"] = sum["villages"].get<int>() + 1;
        sum["households"] = sum["households"].get<int>() + v["households"].get<int>();
        sum["participating"] = sum["participating"].get<int>() + v["participating"].get<int>();
        sum["earned"] = sum["earned"].get<int64_t>() + Fen(v["earned"]);
        sum["awards"] = sum["awards"].get<int>() + v["awards"].get<int>();
        sum["negative"] = sum["negative"].get<int>() + v["negative_records"].get<int>();
        sum["late"] = sum["late"].get<int>() + v["late_records"].get<int>();
        sum["self"] = sum["self"].get<int>() + v["self_scored"].get<int>();
        sum["pending"] = sum["pending"].get<int>() + v["pending"].get<int>();
      }
      SCOPED_TRACE(t.origin + " " + period);
      bool any = sum["villages"] != 0;
      ASSERT_EQ(month.count({t.origin, period}), any ? 1u : 0u);
      if (!any) continue;
      const Json& m = month[{t.origin, period}];
      const Json& f = findings[{t.origin, period}];
      EXPECT_EQ(m["villages"], sum["villages"]);
      EXPECT_EQ(m["households"], sum["households"]);
      EXPECT_EQ(m["participating"], sum["participating"]);
      EXPECT_EQ(Fen(m["points_earned"]), sum["earned"].get<int64_t>());
      EXPECT_EQ(f["award_records"], sum["awards"]);
      EXPECT_EQ(f["negative"], sum["negative"]);
      EXPECT_EQ(f["late"], sum["late"]);
      EXPECT_EQ(f["self_scored_awards"], sum["self"]);
      EXPECT_EQ(f["still_pending"], sum["pending"]);
      checked += 1;
    }
  }
  EXPECT_EQ(checked, month.size());
  int villages = 0, households = 0, participating = 0;
  int64_t earned = 0;
  for (const Township& t : townships_) {
    Json compared = CompareJson(t, "--year", "2022");
    for (const Json& v : compared["villages"]) {
      villages += 1;
      households += v["households"].get<int>();
      participating += v["participating"].get<int>();
      earned += Fen(v["earned"]);
    }
  }
  auto county = DocQuery("jifen", "county_year");
  ASSERT_EQ(county.size(), 1u);
  EXPECT_EQ(county[0]["townships"], townships_.size());
  EXPECT_EQ(county[0]["villages"], villages);
  EXPECT_EQ(county[0]["households"], households);
  EXPECT_EQ(county[0]["participating"], participating);
  EXPECT_EQ(Fen(county[0]["earned"]), earned);
}

// The province's layout on one machine: township T1 exported to one shard's database, T2 and T3
// to the other's, Distributed tables over both; every query of docs/COUNTY.md gives over them
// what it gives over the one database holding all three.
TEST_F(CountyExport, DistributedTablesOverTwoShardsAnswerAsOneDatabase) {
  for (const Township& t : townships_) {
    Outcome r = Export(t, &t == &townships_.front() ? kShardDatabases[0] : kShardDatabases[1]);
    ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
  }
  Rows("default", "CREATE DATABASE IF NOT EXISTS county");
  for (const county::TableSchema& table : county::Tables())
    Rows("default", county::CreateDistributedSql(table, "county", kTwoShards));
  auto queries = DocQueries();
  ASSERT_EQ(queries.size(), 6u);
  for (const auto& [name, sql] : queries) {
    auto over_shards = Rows("county", sql), one = Rows("jifen", sql);
    EXPECT_FALSE(one.empty()) << name;
    EXPECT_EQ(over_shards, one) << name;
  }
  EXPECT_EQ(Rows("county", "SELECT count() AS n FROM records FINAL")[0]["n"],
            Rows("jifen", "SELECT count() AS n FROM records FINAL")[0]["n"]);
}

// Killed after its first batches reached ClickHouse, the export leaves a prefix; run again (twice)
// it completes the tables, which then hold exactly what one uninterrupted export wrote.
TEST_F(CountyExport, ExportKilledMidwayConvergesWhenRunAgain) {
  const Township& t = townships_.front();
  auto server = county::ClickHouse::Open(server_->url());
  std::vector<std::string> argv = {JIFEN_BINARY,   "export",       "--ledger",   t.ledger,
                                   "--clickhouse", server_->url(), "--database", "killed",
                                   "--origin",     t.origin,       "--batch",    "300"};
  pid_t pid = StartProgram(argv, scratch_->Path("killed.out"), scratch_->Path("killed.err"));
  int64_t held = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (held == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto rows = (*server)->JsonRows("SELECT count() AS n FROM killed.records");
    if (rows.ok() && !rows->empty()) held = (*rows)[0]["n"];
  }
  kill(pid, SIGKILL);
  Outcome killed = WaitProgram(pid, std::chrono::seconds(30), scratch_->Path("killed.out"),
                               scratch_->Path("killed.err"));
  ASSERT_EQ(killed.signal, SIGKILL) << "the export ended before it was killed: " << killed.err;
  auto exports = Rows("killed", "SELECT count() AS n FROM exports");
  ASSERT_EQ(exports[0]["n"], 0) << "the killed export recorded itself as complete";
  auto before = Rows("killed", "SELECT count() AS n FROM records FINAL");
  auto total = Rows("jifen", "SELECT count() AS n FROM records FINAL WHERE ledger = 'T1'");
  EXPECT_LT(before[0]["n"].get<int64_t>(), total[0]["n"].get<int64_t>());

  for (int run = 0; run < 2; ++run) {
    Outcome r = Export(t, "killed");
    ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
    Json summary = Json::parse(r.out);
    if (run == 1) {
      EXPECT_EQ(summary["records_sent"], 0);
    }
  }
  for (const county::TableSchema& table : county::Tables()) {
    if (std::string(table.name) == "exports") continue;
    auto rerun = TableRows("killed", table.name, t.origin);
    EXPECT_FALSE(rerun.empty()) << table.name;
    EXPECT_TRUE(rerun == TableRows("jifen", table.name, t.origin)) << table.name;
  }
}

// Records appended after an export (a post and an objection): the next export sends only them,
// and the figures of the period now carry its state and objection, as `jifen compare` and a fresh
// export of the whole ledger say.
TEST_F(CountyExport, NextExportSendsNewRecordsAndRefiguresTheirPeriods) {
  Township t{"T4", 2, 20, 4, scratch_->Path("T4")};
  Outcome r = Jifen({"simulate", "--villages", "2", "--households", "20", "--year", "2022",
                     "--seed", "4", "--ledger", t.ledger});
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Export(t, "incremental");
  ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
  Json first = Json::parse(r.out);
  EXPECT_EQ(first["from_sequence"], 1);
  ASSERT_EQ(Jifen({"post", "--ledger", t.ledger, "--village", "DXZ", "--period", "2022-03",
                   "--scorer", "S01"})
                .rc,
            0);
  r = Jifen({"object", "--ledger", t.ledger, "--village", "DXZ", "--period", "2022-03",
             "--household", "H002", "--reason", "漏记", "--filed-by", "王五"});
  ASSERT_EQ(r.rc, 0) << r.err;

  r = Export(t, "incremental");
  ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
  Json second = Json::parse(r.out);
  EXPECT_EQ(second["from_sequence"], first["through_sequence"].get<int64_t>() + 1);
  EXPECT_EQ(second["through_sequence"], first["through_sequence"].get<int64_t>() + 2);
  EXPECT_EQ(second["records_sent"], 2);
  Json compared = CompareJson(t, "--period", "2022-03");
  std::string state;
  for (const Json& v : compared["villages"])
    if (v["village"] == "DXZ") state = v["states"]["2022-03"];
  EXPECT_NE(state, "open");
  auto figures = Rows("incremental",
                      "SELECT household, state, objections FROM figures FINAL WHERE ledger = 'T4' "
                      "AND village = 'DXZ' AND period = '2022-03' ORDER BY household");
  ASSERT_FALSE(figures.empty());
  for (const Json& f : figures) {
    EXPECT_EQ(f["state"], state);
    EXPECT_EQ(f["objections"], f["household"] == "H002" ? 1 : 0) << f["household"];
  }
  auto village = Rows("incremental",
                      "SELECT state, objections, open_objections FROM village_periods FINAL "
                      "WHERE ledger = 'T4' AND village = 'DXZ' AND period = '2022-03'");
  ASSERT_EQ(village.size(), 1u);
  EXPECT_EQ(village[0], Json({{"state", state}, {"objections", 1}, {"open_objections", 1}}));

  r = Export(t, "fresh");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* table : {"records", "figures", "village_periods"})
    EXPECT_TRUE(TableRows("incremental", table, "T4") == TableRows("fresh", table, "T4")) << table;
}

// Once a village's periods are final, the next export re-figures it only from the first year that
// records since the last export (or a period not yet final) can change: here 2023, after every
// month of 2022 was posted and its notice window ended. What it leaves as it was is what a fresh
// export of the whole ledger writes.
TEST_F(CountyExport, NextExportRefiguresFromTheFirstYearChanged) {
  Township t{"T5", 2, 20, 5, scratch_->Path("T5")};
  Outcome r = Jifen({"simulate", "--villages", "2", "--households", "20", "--year", "2022",
                     "--seed", "5", "--ledger", t.ledger});
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* village : {"DXZ", "SYS"}) {
    for (int m = 1; m <= 13; ++m) {
      std::string period = m <= 12 ? (m < 10 ? "2022-0" : "2022-") + std::to_string(m) : "2023-01";
      r = Jifen({"post", "--ledger", t.ledger, "--village", village, "--period", period, "--scorer",
                 "S01", "--recorded", "2023-02-01T10:00:00+08:00"});
      ASSERT_EQ(r.rc, 0) << village << " " << period << ": " << r.err;
    }
  }
  auto rows_of = [&](const std::string& database, const std::string& where) {
    return Rows(database,
                "SELECT count() AS n FROM figures FINAL WHERE ledger = 'T5' AND " + where)[0]["n"]
        .get<int64_t>();
  };
  r = Export(t, "by_year");
  ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
  Json first = Json::parse(r.out);
  int64_t in_2022 = rows_of("by_year", "toYear(period_first) = 2022");
  int64_t in_2023 = rows_of("by_year", "toYear(period_first) = 2023");
  ASSERT_GT(in_2022, 0);
  ASSERT_GT(in_2023, 0);
  EXPECT_EQ(Rows("by_year",
                 "SELECT count() AS n FROM village_periods FINAL WHERE "
                 "toYear(period_first) = 2022 AND state != 'final'")[0]["n"],
            0);

  scratch_->Write("award.jsonl",
                  R"({"type":"award","id":"T5-2302","village":"DXZ","date":"2023-02-01",)"
                  R"("subject":"H001","item":"C1.02","scorer":"S01","evidence":["photo:1.jpg"],)"
                  R"("recorded":"2023-02-01T12:00:00+08:00"})"
                  "\n");
  r = Jifen({"import", "--ledger", t.ledger, scratch_->Path("award.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err << r.out;
  r = Export(t, "by_year");
  ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
  Json next = Json::parse(r.out);
  EXPECT_EQ(next["records_sent"], 1);
  EXPECT_EQ(next["figure_rows"], in_2023);

  // The years left as they were still name the head they were replayed at.
  auto heads = Rows("by_year",
                    "SELECT toYear(period_first) AS year, groupUniqArray(through_sequence) AS "
                    "heads FROM figures FINAL WHERE ledger = 'T5' GROUP BY year ORDER BY year");
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0]["heads"], Json::array({first["through_sequence"]}));
  EXPECT_EQ(heads[1]["heads"], Json::array({next["through_sequence"]}));

  r = Export(t, "by_year_fresh");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* table : {"records", "figures", "village_periods"})
    EXPECT_TRUE(TableRows("by_year", table, "T5", true) ==
                TableRows("by_year_fresh", table, "T5", true))
        << table;
}

// Without --origin a ledger is named after its first record: the same name every time and for a
// copy of the ledger, another name for a ledger that begins otherwise. Ledgers that begin with the
// same record (the simulated ones do) share it, and the second is refused, asked for --origin.
TEST_F(CountyExport, DefaultOriginIsTheLedgersOwn) {
  std::string copy = scratch_->Path("T1-copy"), other = scratch_->Path("YJY");
  std::filesystem::copy(townships_[0].ledger, copy);
  std::filesystem::create_directories(scratch_->Path("yjy-rules"));
  std::filesystem::copy(std::string(JIFEN_SOURCE_DIR) + "/villages/yangjiayu.rules",
                        scratch_->Path("yjy-rules/yangjiayu.rules"));
  Outcome r = Jifen({"simulate", "--villages", "1", "--households", "10", "--year", "2022",
                     "--villages-dir", scratch_->Path("yjy-rules"), "--ledger", other});
  ASSERT_EQ(r.rc, 0) << r.err;
  auto export_unnamed = [&](const std::string& ledger) {
    return Jifen({"export", "--ledger", ledger, "--clickhouse", server_->url(), "--database",
                  "unnamed", "--format", "json"});
  };
  std::vector<std::string> origins;
  for (const std::string& ledger : {townships_[0].ledger, copy, other}) {
    r = export_unnamed(ledger);
    ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
    origins.push_back(Json::parse(r.out)["origin"]);
  }
  EXPECT_EQ(origins[0].size(), std::string("ledger-").size() + 16);
  EXPECT_EQ(origins[0].rfind("ledger-", 0), 0u);
  EXPECT_EQ(origins[0], origins[1]);
  EXPECT_NE(origins[0], origins[2]);
  EXPECT_EQ(Rows("unnamed", "SELECT uniqExact(ledger) AS n FROM records")[0]["n"], 2);
  r = export_unnamed(townships_[1].ledger);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("ledger " + origins[0] + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(give --origin NAME)"), std::string::npos) << r.err;
}

// A ledger that is a transparency log is named by its log's origin, and each export carries the
// signed checkpoint of the head it was taken at: a county figure traces back to a checkpoint that
// anyone can check against the township's verifier key.
TEST_F(CountyExport, ALoggedLedgerIsNamedByItsOriginAndCarriesItsCheckpoint) {
  std::string copy = scratch_->Path("T3-logged");
  std::filesystem::copy(townships_[2].ledger, copy);
  Outcome r = Jifen({"key", "--ledger", copy, "--origin", "township3.example"});
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen({"export", "--ledger", copy, "--clickhouse", server_->url(), "--database", "logged",
             "--format", "json"});
  ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
  Json summary = Json::parse(r.out);
  EXPECT_EQ(summary["origin"], "township3.example");
  Outcome checkpoint = Jifen({"checkpoint", "--ledger", copy});
  ASSERT_EQ(checkpoint.rc, 0) << checkpoint.err;
  EXPECT_EQ(summary["checkpoint"], checkpoint.out);
  auto rows = Rows("logged", "SELECT DISTINCT checkpoint FROM exports");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["checkpoint"], checkpoint.out);
}

// Refusals exit non-zero with a message naming what was wrong, and leave the ledger's bytes as
// they were: this checks the bytes when it goes away.
class LedgerUnchanged {
 public:
  explicit LedgerUnchanged(const std::string& ledger)
      : path_(ledger + "/data.mdb"), bytes_(ReadFile(path_)) {
    EXPECT_FALSE(bytes_.empty()) << path_;
  }
  ~LedgerUnchanged() { EXPECT_TRUE(ReadFile(path_) == bytes_) << "the export changed " << path_; }

 private:
  std::string path_, bytes_;
};

TEST_F(CountyExport, NotAUrlIsAUsageError) {
  LedgerUnchanged unchanged(townships_[0].ledger);
  for (const std::string& url : {std::string("127.0.0.1:8123"), std::string("ftp://127.0.0.1:21"),
                                 server_->url() + "/some/path"}) {
    Outcome r = ExportT1(url, "refused");
    EXPECT_EQ(r.rc, 2) << url;
    EXPECT_NE(r.err.find("--clickhouse " + url + ": not a server's URL"), std::string::npos)
        << r.err;
  }
}

TEST_F(CountyExport, ServerDownIsAnErrorNamingTheServer) {
  LedgerUnchanged unchanged(townships_[0].ledger);
  std::string url = "http://127.0.0.1:" + std::to_string(FreePort());
  Outcome r = ExportT1(url, "refused");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("clickhouse " + url + ": cannot run `"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Connection error"), std::string::npos) << r.err;
}

TEST_F(CountyExport, TableOfAnotherShapeIsRefusedNamingTheColumn) {
  LedgerUnchanged unchanged(townships_[0].ledger);
  Rows("default", "CREATE DATABASE IF NOT EXISTS other");
  Rows("default",
       "CREATE TABLE IF NOT EXISTS other.figures (ledger String, earned Float64) "
       "ENGINE = MergeTree ORDER BY ledger");
  Outcome r = ExportT1(server_->url(), "other");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("table other.figures: column 2 is earned Float64, expected township "
                       "String; not a table jifen export made"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Rows("other", "SELECT count() AS n FROM figures")[0]["n"], 0);
}

TEST_F(CountyExport, NamesThatNeedQuotingAreUsageErrors) {
  LedgerUnchanged unchanged(townships_[0].ledger);
  Outcome r = ExportT1(server_->url(), "no-dashes");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--database no-dashes: write"), std::string::npos) << r.err;
  r = ExportT1(server_->url(), "refused", "T1'; DROP TABLE x");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--origin T1'; DROP TABLE x: write"), std::string::npos) << r.err;
}

// Another ledger under an origin already taken: refused before anything is sent, whether it is
// shorter than the ledger exported under that name or longer.
TEST_F(CountyExport, AnotherLedgerUnderAnOriginTakenIsRefused) {
  LedgerUnchanged unchanged(townships_[0].ledger);
  auto count = [] { return Rows("jifen", "SELECT count() AS n FROM records")[0]["n"]; };
  Json before = count();
  for (const char* taken : {"T1", "T2"}) {
    const Township& other = std::string(taken) == "T1" ? townships_[1] : townships_[0];
    Outcome r = Jifen(
        {"export", "--ledger", other.ledger, "--clickhouse", server_->url(), "--origin", taken});
    EXPECT_EQ(r.rc, 1) << taken;
    EXPECT_NE(r.err.find("ledger " + std::string(taken) + ": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("another ledger was exported under this origin"), std::string::npos)
        << r.err;
  }
  EXPECT_EQ(count(), before);
}

}  // namespace
}  // namespace jifen::tests
