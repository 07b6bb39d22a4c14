// Redemption checks of a streamed import (engine/admission.cc, engine/household_events.h): the
// balance and stock a redemption is checked against come from the ledger and from the lines
// before it in the same import, whether the village's events were read before those lines, after
// them, read again after being dropped, or read again over a wider window.
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

// Clearing each period (the default), a cap per period, rewards with and without stock.
std::string Rules(const std::string& village) {
  return "village " + village + R"( "测试村" {
  late 5 days
}
category A "好事" {
  item A1 "升旗" +2 per person, cap 4
  item U1 "志愿服务" +1 per person, unit "小时"
}
reward R1 "毛巾" cost 5
reward R2 "食用油" cost 1, stock 2 per period
reward R3 "大米" cost 1, stock 1
)";
}

class ImportRedemption : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    AdoptAndRegister();
  }
  // Rules and registrations for villages T and U.
  void AdoptAndRegister() {
    for (const char* v : {"T", "U"}) ASSERT_EQ(Adopt(Rules(v), "2022-01-01"), "");
    for (const char* v : {"T", "U"}) {
      MustImport({HouseholdLine(v, "H1"), HouseholdLine(v, "H2"), PersonLine(v, "P1", "H1"),
                  PersonLine(v, "P2", "H2"), ScorerLine(v, "S1")});
    }
  }
  // An award of `qty` hours of U1 (qty points).
  static std::string Hours(const std::string& v, const std::string& id, const std::string& date,
                           const std::string& person, int qty, const std::string& recorded = "") {
    return AwardLine(v, id, date, person, "U1", recorded, R"("qty":)" + std::to_string(qty) + ",");
  }
  std::vector<std::string> ImportWith(const std::vector<std::string>& lines,
                                      const ImportOptions& options) {
    std::vector<ImportLine> batch;
    for (size_t i = 0; i < lines.size(); ++i) {
      auto r = formats::RecordFromJson(lines[i]);
      EXPECT_TRUE(r.ok()) << lines[i];
      batch.push_back({"batch", static_cast<int>(i + 1), std::move(r.value())});
    }
    auto report = ImportRecords(*ledger_, batch, Now(), nullptr, options);
    if (!report.ok()) return {report.status().message()};
    return report->errors;
  }
  ledger::Hash HeadHash() { return (*ledger_->Snapshot())->HeadHash(); }
};

TEST_F(ImportRedemption, BalanceCountsAwardsEarlierInTheSameFile) {
  auto errors = Import({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
                        AwardLine("T", "a2", "2022-03-02", "P2", "A1"),
                        RedeemLine("T", "x1", "2022-03-03", "H2", "R1"),
                        Hours("T", "a3", "2022-03-03", "P2", 3),
                        RedeemLine("T", "x2", "2022-03-04", "H2", "R1")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "batch:3: redemption x1: household H2 has 4 points on 2022-03-03, R1 x 1 costs 5");
}

TEST_F(ImportRedemption, BalanceReadsTheLedgerThenFollowsTheFile) {
  // The cap of A1 (4 a period) is used up in the ledger, so a3 counts nothing.
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
              AwardLine("T", "a2", "2022-03-02", "P2", "A1")});
  auto errors = Import({AwardLine("T", "a3", "2022-03-05", "P2", "A1"),
                        RedeemLine("T", "x1", "2022-03-06", "H2", "R1"),
                        Hours("T", "a4", "2022-03-06", "P2", 1),
                        RedeemLine("T", "x2", "2022-03-07", "H2", "R1"),
                        RedeemLine("T", "x3", "2022-03-07", "H2", "R2")});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0],
            "batch:2: redemption x1: household H2 has 4 points on 2022-03-06, R1 x 1 costs 5");
  EXPECT_EQ(errors[1],
            "batch:5: redemption x3: household H2 has 0 points on 2022-03-07, R2 x 1 costs 1");
}

TEST_F(ImportRedemption, ARedemptionInAVillageWhoseEventsWereNotReadYet) {
  // Village U's events are read at its first redemption, after T's and in the middle of the file.
  MustImport({Hours("U", "u1", "2022-03-01", "P1", 6)});
  auto errors = Import(
      {Hours("T", "t1", "2022-03-02", "P1", 2), RedeemLine("T", "y1", "2022-03-03", "H1", "R2"),
       Hours("U", "u2", "2022-03-03", "P1", 1), RedeemLine("U", "y1", "2022-03-04", "H1", "R1"),
       RedeemLine("U", "y2", "2022-03-04", "H1", "R1"),
       RedeemLine("T", "y2", "2022-03-04", "H1", "R2")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "batch:5: redemption y2: household H1 has 2 points on 2022-03-04, R1 x 1 costs 5");
}

TEST_F(ImportRedemption, StockCountsTheLedgerAndTheFile) {
  MustImport({Hours("T", "a1", "2022-03-01", "P2", 10),
              RedeemLine("T", "x1", "2022-03-02", "H2", "R2"),
              RedeemLine("T", "x4", "2022-03-05", "H2", "R3")});
  auto errors = Import(
      {RedeemLine("T", "x2", "2022-03-06", "H2", "R2"),
       RedeemLine("T", "x3", "2022-03-07", "H2", "R2"), Hours("T", "a2", "2022-04-01", "P2", 10),
       RedeemLine("T", "x5", "2022-04-02", "H2", "R2", 2), Hours("T", "a3", "2023-01-05", "P2", 2),
       RedeemLine("T", "x6", "2023-01-06", "H2", "R3")});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0],
            "batch:2: reward R2: stock 2 per period exceeded (2 already redeemed, asked 1)");
  EXPECT_EQ(errors[1], "batch:6: reward R3: stock 1 exceeded (1 already redeemed, asked 1)");
}

TEST_F(ImportRedemption, RevocationsInTheFileChangeTheBalance) {
  MustImport(
      {AwardLine("T", "a1", "2022-03-01", "P2", "A1"), Hours("T", "a2", "2022-03-01", "P2", 3)});
  auto errors =
      Import({RedeemLine("T", "x1", "2022-03-02", "H2", "R1"),
              RevokeLine("T", "x1", "2022-03-03T09:00:00+08:00"),  // the 5 points come back
              RedeemLine("T", "x2", "2022-03-03", "H2", "R1"),
              RevokeLine("T", "a2", "2022-03-03T21:00:00+08:00"),  // 3 points go
              RedeemLine("T", "x3", "2022-03-04", "H2", "R2")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "batch:5: redemption x3: household H2 has -3 points on 2022-03-04, R2 x 1 costs 1");
}

TEST_F(ImportRedemption, CapsFollowThePersonIntoItsNewHousehold) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
              AwardLine("T", "a2", "2022-03-02", "P2", "A1"),
              MoveLine("T", "P2", "H1", "2022-03-10", "2022-03-10T09:00:00+08:00")});
  auto errors = Import({AwardLine("T", "a3", "2022-03-11", "P2", "A1"),
                        RedeemLine("T", "x1", "2022-03-12", "H1", "R2"),
                        RedeemLine("T", "x2", "2022-03-12", "H2", "R2")});
  ASSERT_EQ(errors.size(), 1u);
  // P2's awards before the move stay with H2; its cap for March was used up there.
  EXPECT_EQ(errors[0],
            "batch:2: redemption x1: household H1 has 0 points on 2022-03-12, R2 x 1 costs 1");
}

TEST_F(ImportRedemption, AnEarlierPeriodAfterALaterOneReadsTheWiderWindow) {
  MustImport({AwardLine("T", "a1", "2022-12-05", "P2", "A1"),
              Hours("T", "a2", "2022-12-06", "P2", 3),
              AwardLine("T", "a3", "2023-01-03", "P2", "A1")});
  // x1 reads 2023 only (clearing every period); x2 and x3, dated in 2022, need 2022 as well.
  auto errors =
      Import({RedeemLine("T", "x1", "2023-01-04", "H2", "R2"),
              RedeemLine("T", "x2", "2022-12-20", "H2", "R1", 1, "2023-01-05T10:00:00+08:00"),
              RedeemLine("T", "x3", "2022-12-21", "H2", "R1", 1, "2023-01-05T11:00:00+08:00")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "batch:3: redemption x3: household H2 has 0 points on 2022-12-21, R1 x 1 costs 5");
}

TEST_F(ImportRedemption, VillagesDroppedForMemoryAreReadAgainWithTheFilesLines) {
  MustImport({Hours("T", "t0", "2022-03-01", "P1", 5), Hours("U", "u0", "2022-03-01", "P1", 5)});
  std::vector<std::string> file = {
      Hours("T", "t1", "2022-03-02", "P1", 1),
      RedeemLine("T", "x1", "2022-03-02", "H1", "R1"),
      Hours("U", "u1", "2022-03-02", "P1", 2),
      RedeemLine("U", "x1", "2022-03-03", "H1", "R1"),
      RedeemLine("T", "x2", "2022-03-03", "H1", "R1"),  // 1 point left in T
      Hours("T", "t2", "2022-03-03", "P1", 4),
      RedeemLine("U", "x2", "2022-03-04", "H1", "R2", 2),
      RedeemLine("T", "x3", "2022-03-04", "H1", "R1"),
      RevokeLine("U", "x1", "2022-03-05T09:00:00+08:00"),
      RedeemLine("T", "x4", "2022-03-05", "H1", "R2"),  // T: 0 points left
      RedeemLine("U", "x3", "2022-03-05", "H1", "R1")};
  const std::vector<std::string> expected = {
      "batch:5: redemption x2: household H1 has 1 points on 2022-03-03, R1 x 1 costs 5",
      "batch:10: redemption x4: household H1 has 0 points on 2022-03-05, R2 x 1 costs 1"};
  ImportOptions none;
  none.events_bytes_max = 0;  // every village's events are dropped when another's are read
  EXPECT_EQ(ImportWith(file, none), expected);
  EXPECT_EQ(ImportWith(file, ImportOptions{}), expected);
  // Without the refused lines both write the same ledger.
  file.erase(file.begin() + 9);
  file.erase(file.begin() + 4);
  ledger::Hash before = HeadHash();
  ASSERT_EQ(ImportWith(file, none), std::vector<std::string>{});
  ledger::Hash dropped = HeadHash();
  TearDown();
  SetUp();
  MustImport({Hours("T", "t0", "2022-03-01", "P1", 5), Hours("U", "u0", "2022-03-01", "P1", 5)});
  ASSERT_EQ(HeadHash(), before);
  ASSERT_EQ(ImportWith(file, ImportOptions{}), std::vector<std::string>{});
  EXPECT_EQ(HeadHash(), dropped);
}

TEST_F(ImportRedemption, ImportingTheSameFileAgainSkipsEveryLine) {
  std::vector<std::string> file = {Hours("T", "a1", "2022-03-01", "P2", 7),
                                   RedeemLine("T", "x1", "2022-03-02", "H2", "R1"),
                                   RedeemLine("T", "x2", "2022-03-02", "H2", "R3"),
                                   RevokeLine("T", "a1", "2022-03-03T09:00:00+08:00")};
  MustImport(file);
  ledger::Hash head = HeadHash();
  std::vector<ImportLine> batch;
  for (size_t i = 0; i < file.size(); ++i)
    batch.push_back({"batch", int(i + 1), *formats::RecordFromJson(file[i])});
  auto again = ImportRecords(*ledger_, batch, Now());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->errors.empty());
  EXPECT_EQ(again->appended, 0u);
  EXPECT_EQ(again->skipped, file.size());
  EXPECT_EQ(HeadHash(), head);
}

// Hands out lines in memory and counts how often the import started over.
class CountingSource : public ImportSource {
 public:
  explicit CountingSource(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  Status Rewind() override {
    ++rewinds;
    next_ = 0;
    return Status::Ok();
  }
  Result<bool> Next(SourceLine* out) override {
    if (next_ == lines_.size()) return false;
    out->file = "stream";
    out->line = static_cast<int>(++next_);
    out->parsed = formats::RecordFromJson(lines_[next_ - 1], &out->record);
    return true;
  }
  uint64_t Position() const override { return next_; }
  uint64_t Size() const override { return lines_.size(); }
  int rewinds = 0;

 private:
  std::vector<std::string> lines_;
  size_t next_ = 0;
};

TEST_F(ImportRedemption, AStreamedImportStartsOverWhenTheMapGrows) {
  std::vector<std::string> lines;
  for (int i = 0; i < 1500; ++i) {
    std::string day = "2022-03-" + std::string(i < 900 ? "10" : "20");
    lines.push_back(Hours("T", "a" + std::to_string(i), day, i % 2 ? "P1" : "P2", 1 + i % 3));
    if (i % 100 == 99)
      lines.push_back(RedeemLine("T", "x" + std::to_string(i), day, i % 2 ? "H1" : "H2", "R1"));
  }
  tests::ScratchDir dir("jifen-import-map");
  ledger::LedgerOptions tiny;
  tiny.initial_map_bytes = 64 << 10;
  auto opened = ledger::Ledger::Open(dir.Path("l"), true, tiny);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  std::unique_ptr<ledger::Ledger> small = std::move(opened.value());
  std::swap(ledger_, small);
  AdoptAndRegister();
  CountingSource source(lines);
  auto report = ImportRecords(*ledger_, source, Now());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->errors.empty()) << report->errors[0];
  EXPECT_EQ(report->appended, lines.size());
  EXPECT_GT(source.rewinds, 1);
  ledger::Hash grown = HeadHash();
  std::swap(ledger_, small);
  CountingSource again(lines);
  ASSERT_TRUE(ImportRecords(*ledger_, again, Now()).ok());
  EXPECT_EQ(again.rewinds, 1);
  EXPECT_EQ(HeadHash(), grown);
  auto verified = small->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->first_bad);
}

}  // namespace
}  // namespace jifen::engine::testing
