// The values of the events and structural indexes (ledger/FORMAT.md "Indexes"): reports read these
// copies, so they must equal the records, fail loudly when damaged, and be rebuilt for a ledger
// written before they existed.
#include <gtest/gtest.h>
#include <lmdb.h>

#include <functional>

#include "ledger/ledger.h"
#include "tests/ledger/ledger_test_util.h"

namespace jifen::ledger {
namespace {

using testing::AppendAll;
using testing::Award;
using testing::Household;
using testing::OpenOrDie;

const Date kMarch1 = Date::FromCivil(2022, 3, 1);
const Date kMarch31 = Date::FromCivil(2022, 3, 31);

std::vector<Record> SomeRecords() {
  std::vector<Record> records = {Household("SYS", "H01"), Household("SYS", "H02")};
  for (int i = 1; i <= 6; ++i) {
    Record award = Award("SYS", "a" + std::to_string(i), i % 2 ? "2022-03-05" : "2022-03-02");
    award.qty = Quantity::FromWhole(i);
    records.push_back(award);
  }
  Record redeem;
  redeem.type = RecordType::kRedeem;
  redeem.village = "SYS";
  redeem.id = "r1";
  redeem.household = "H01";
  redeem.reward = "R.OIL";
  redeem.qty = Quantity::FromWhole(2);
  redeem.date = *Date::Parse("2022-03-20");
  redeem.scorer = "S2";
  redeem.recorded = testing::At("2022-03-31T21:00:00+08:00");
  records.push_back(redeem);
  return records;
}

// Runs `edit` on every entry of the named database with raw LMDB (as someone holding the file
// could), writing back what it leaves in `value`.
void EditIndex(const std::string& dir, const char* name,
               const std::function<void(std::string_view key, std::string& value)>& edit) {
  testing::WithRawWriteTxn(dir, [&](MDB_txn* txn) {
    MDB_dbi dbi;
    ASSERT_EQ(mdb_dbi_open(txn, name, 0, &dbi), 0);
    std::vector<std::pair<std::string, std::string>> entries;
    MDB_cursor* cursor;
    ASSERT_EQ(mdb_cursor_open(txn, dbi, &cursor), 0);
    MDB_val key, value;
    for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
      entries.emplace_back(std::string(static_cast<const char*>(key.mv_data), key.mv_size),
                           std::string(static_cast<const char*>(value.mv_data), value.mv_size));
    }
    mdb_cursor_close(cursor);
    for (auto& [k, v] : entries) {
      edit(k, v);
      MDB_val mk{k.size(), k.data()}, mv{v.size(), v.data()};
      ASSERT_EQ(mdb_put(txn, dbi, &mk, &mv, 0), 0);
    }
  });
}

// Each event as the view shows it, and as the full record shows it.
std::vector<std::string> ViaViews(const Reader& reader) {
  std::vector<std::string> out;
  Status s = reader.ForEachEventView("SYS", kMarch1, kMarch31, UINT64_MAX, [&](const EventView& v) {
    out.push_back(std::to_string(v.sequence) + " " + v.date.ToString() + " " +
                  std::to_string(static_cast<int>(v.type)) + " " + v.recorded.ToString() + " " +
                  v.qty.ToString() + " " + std::string(v.id) + "|" + std::string(v.subject) + "|" +
                  std::string(v.item) + "|" + std::string(v.reward) + "|" +
                  std::string(v.household) + "|" + std::string(v.scorer));
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

std::vector<std::string> ViaRecords(const Reader& reader) {
  std::vector<std::string> out;
  Status s = reader.ForEachEvent("SYS", kMarch1, kMarch31, UINT64_MAX, [&](const Record& r) {
    out.push_back(std::to_string(r.sequence) + " " + r.date.ToString() + " " +
                  std::to_string(static_cast<int>(r.type)) + " " + r.recorded.ToString() + " " +
                  r.qty.ToString() + " " + r.id + "|" + r.subject + "|" + r.item + "|" + r.reward +
                  "|" + r.household + "|" + r.scorer);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

TEST(IndexEntries, EventViewsCarryTheRecordsFieldsInDateOrder) {
  tests::ScratchDir tmp;
  auto ledger = OpenOrDie(tmp.Path("l"));
  ASSERT_TRUE(AppendAll(*ledger, SomeRecords()).ok());
  auto snap = std::move(ledger->Snapshot().value());
  std::vector<std::string> views = ViaViews(*snap);
  ASSERT_EQ(views.size(), 7u);
  EXPECT_EQ(views, ViaRecords(*snap));
  EXPECT_EQ(views.front().substr(0, 13), "4 2022-03-02 ");  // a2, the first of the 2nd
  EXPECT_EQ(views.back(), "9 2022-03-20 8 2022-03-31T21:00:00+08:00 2 r1|||R.OIL|H01|S2");
  // A window and an as-of sequence cut the scan.
  int seen = 0;
  ASSERT_TRUE(snap->ForEachEventView("SYS", Date::FromCivil(2022, 3, 5), kMarch31, 5,
                                     [&](const EventView& v) {
                                       EXPECT_LE(v.sequence, 5u);
                                       ++seen;
                                       return true;
                                     })
                  .ok());
  EXPECT_EQ(seen, 2);  // a1 (3) and a3 (5)
}

TEST(IndexEntries, ADamagedEventEntryIsCorruptionForReportsAndVerify) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  { ASSERT_TRUE(AppendAll(*OpenOrDie(dir), SomeRecords()).ok()); }
  EditIndex(dir, "events", [](std::string_view key, std::string& value) {
    if (key.back() == 5) value[value.size() - 1] ^= 0x01;  // record 5's scorer code
  });
  auto ledger = OpenOrDie(dir, false);
  auto snap = std::move(ledger->Snapshot().value());
  Status s = snap->ForEachEventView("SYS", kMarch1, kMarch31, UINT64_MAX,
                                    [](const EventView&) { return true; });
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(),
            "event index entry of record 5: checksum does not match (run `jifen verify`)");
  snap.reset();
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->first_bad.has_value());
  EXPECT_EQ(report->reason, "event index does not match the records");
}

TEST(IndexEntries, AConsistentlyForgedEventEntryIsStillRefusedByVerify) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  { ASSERT_TRUE(AppendAll(*OpenOrDie(dir), SomeRecords()).ok()); }
  // Someone rewrites record 5's entry with a valid checksum (another qty): the chain disagrees.
  std::vector<Record> records = SomeRecords();
  Record forged = records[4];
  forged.sequence = 5;
  forged.qty = Quantity::FromWhole(99);
  EditIndex(dir, "events", [&](std::string_view key, std::string& value) {
    if (key.back() == 5) EncodeEventEntry(key, forged, &value);
  });
  auto ledger = OpenOrDie(dir, false);
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->first_bad.has_value());
  EXPECT_EQ(report->reason, "event index does not match the records");
}

TEST(IndexEntries, ADamagedStructuralEntryIsCorruption) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  { ASSERT_TRUE(AppendAll(*OpenOrDie(dir), SomeRecords()).ok()); }
  EditIndex(dir, "structural", [](std::string_view key, std::string& value) {
    if (key.back() == 2) value[value.size() / 2] ^= 0x20;
  });
  auto ledger = OpenOrDie(dir, false);
  auto snap = std::move(ledger->Snapshot().value());
  Status s = snap->ForEachStructural("SYS", UINT64_MAX, [](const Record&) { return true; });
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(),
            "structural index entry of record 2: checksum does not match (run `jifen verify`)");
}

TEST(IndexEntries, ALedgerWithoutEntryValuesIsUpgradedWhenOpened) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  std::vector<std::string> before;
  Hash head;
  {
    auto ledger = OpenOrDie(dir);
    ASSERT_TRUE(AppendAll(*ledger, SomeRecords()).ok());
    auto snap = std::move(ledger->Snapshot().value());
    before = ViaViews(*snap);
    head = snap->HeadHash();
  }
  // The layout before index values: keys only.
  for (const char* name : {"events", "structural"}) {
    EditIndex(dir, name, [](std::string_view, std::string& value) { value.clear(); });
  }
  auto ledger = OpenOrDie(dir, false);
  {
    auto snap = std::move(ledger->Snapshot().value());
    EXPECT_EQ(ViaViews(*snap), before);
    int structural = 0;
    ASSERT_TRUE(snap->ForEachStructural("SYS", UINT64_MAX,
                                        [&](const Record& r) {
                                          EXPECT_EQ(r.type, RecordType::kHousehold);
                                          ++structural;
                                          return true;
                                        })
                    .ok());
    EXPECT_EQ(structural, 2);
  }
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->first_bad.has_value()) << report->reason;
  EXPECT_EQ(report->head, head);
  EXPECT_EQ(report->records, 9u);
}

// A format 1 ledger kept whole quantities in its events entries: opening it rebuilds both indexes
// from the records (qty in hundredths) and the Merkle tree, and sets the format to 3, once.
TEST(IndexEntries, AFormatOneLedgerIsUpgradedWhenOpened) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  std::vector<std::string> before;
  Hash head;
  {
    auto ledger = OpenOrDie(dir);
    ASSERT_TRUE(AppendAll(*ledger, SomeRecords()).ok());
    auto snap = std::move(ledger->Snapshot().value());
    before = ViaViews(*snap);
    head = snap->HeadHash();
  }
  // As format 1 wrote them: qty 1 in whole units (which version 2 would read as 0.01).
  EditIndex(dir, "events", [](std::string_view key, std::string& value) {
    Record award = testing::Award("SYS", "old", "2022-03-05");
    award.qty = Quantity::FromHundredths(1);
    EncodeEventEntry(key, award, &value);
  });
  auto format = [&](char version) {
    testing::WithRawWriteTxn(dir, [&](MDB_txn* txn) {
      MDB_dbi meta;
      ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
      MDB_val key{6, const_cast<char*>("format")}, value{1, &version};
      ASSERT_EQ(mdb_put(txn, meta, &key, &value, 0), 0);
    });
  };
  format(1);
  {
    auto ledger = OpenOrDie(dir, false);
    auto snap = std::move(ledger->Snapshot().value());
    EXPECT_EQ(ViaViews(*snap), before);
    auto report = ledger->Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->first_bad.has_value()) << report->reason;
    EXPECT_EQ(report->head, head);
  }
  std::string stored;
  testing::WithRawWriteTxn(dir, [&](MDB_txn* txn) {
    MDB_dbi meta;
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    MDB_val key{6, const_cast<char*>("format")}, value;
    ASSERT_EQ(mdb_get(txn, meta, &key, &value), 0);
    stored.assign(static_cast<const char*>(value.mv_data), value.mv_size);
  });
  // Opening also builds the Merkle tree, which is store format 3 (ledger/FORMAT.md).
  EXPECT_EQ(stored, std::string(1, '\x03'));
  // A format this jifen does not know is refused.
  format(4);
  auto unknown = Ledger::Open(dir, false);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "ledger " + dir + ": unknown format version");
}

}  // namespace
}  // namespace jifen::ledger
