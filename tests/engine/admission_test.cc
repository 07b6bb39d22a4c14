// Every refusal of SPEC.md §4, with the reason it prints; and the all-or-nothing import.
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

const char* kRules = R"(village T "测试村" {
  late 5 days
  self deny
}
category A "好事" {
  item A1 "升旗" +2 per person, cap 4
  item A2 "表彰" +10 per household, evidence
  item U1 "志愿服务" +1 per person, unit "小时", by "村两委"
}
reward R1 "毛巾" cost 5
reward R2 "食用油" cost 1, stock 2 per period
reward R3 "大米" cost 1, stock 1
)";

class Admission : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
    MustImport({HouseholdLine("T", "H1"), HouseholdLine("T", "H2"), PersonLine("T", "P1", "H1"),
                PersonLine("T", "P2", "H2"), ScorerLine("T", "S1", "网格员", "P1"),
                ScorerLine("T", "S2", "村两委")});
  }
  // The single refusal of importing `line`.
  std::string Refusal(const std::string& line) {
    auto errors = Import({line});
    EXPECT_EQ(errors.size(), 1u);
    return errors.empty() ? "" : errors[0];
  }
  uint64_t Head() { return (*ledger_->Snapshot())->HeadSequence(); }
};

TEST_F(Admission, ImportWithOneBadLineWritesNothing) {
  uint64_t before = Head();
  auto errors = Import({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
                        AwardLine("T", "a2", "2022-03-01", "P2", "ZZ"),
                        AwardLine("T", "a3", "2022-03-02", "P2", "A1")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "batch:2: item ZZ: not in the rules in force for 2022-03");
  EXPECT_EQ(Head(), before);
}

TEST_F(Admission, EveryBadLineIsListed) {
  auto errors = Import({AwardLine("T", "a1", "2022-03-01", "P9", "A1"),
                        AwardLine("T", "a2", "2022-03-01", "P2", "A1"),
                        AwardLine("T", "a3", "2022-03-01", "P2", "ZZ")});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "batch:1: subject P9: not registered");
  EXPECT_EQ(errors[1], "batch:3: item ZZ: not in the rules in force for 2022-03");
}

TEST_F(Admission, LaterLinesAreCheckedAgainstEarlierOnesOfTheSameFile) {
  MustImport({HouseholdLine("T", "H3", "2022-02-01"), PersonLine("T", "P3", "H3", "2022-02-01"),
              AwardLine("T", "a1", "2022-03-01", "P3", "A1")});
}

TEST_F(Admission, SameIdWithSameContentIsSkipped) {
  std::string line = AwardLine("T", "a1", "2022-03-01", "P2", "A1");
  MustImport({line});
  uint64_t before = Head();
  MustImport({line, HouseholdLine("T", "H1")});
  EXPECT_EQ(Head(), before);
}

TEST_F(Admission, SameIdWithOtherContentIsRefused) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1")});
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-02", "P2", "A1")),
            "batch:1: id a1: already in the ledger with other content (sequence 8)");
  EXPECT_EQ(Refusal(HouseholdLine("T", "H1", "2022-01-01", 7)),
            "batch:1: household H1: already in the ledger with other content (sequence 2)");
}

TEST_F(Admission, UnknownItemIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "P2", "C9")),
            "batch:1: item C9: not in the rules in force for 2022-03");
}

TEST_F(Admission, HouseholdItemGivenToAPersonIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "P2", "A2", "", R"("evidence":["x"],)")),
            "batch:1: item A2 is per household: subject P2 is a person");
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "H2", "A1")),
            "batch:1: item A1 is per person: subject H2 is a household");
}

TEST_F(Admission, QtyOnAnItemWithoutUnitIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "P2", "A1", "", R"("qty":3,)")),
            "batch:1: qty 3: item A1 has no unit");
}

TEST_F(Admission, MissingEvidenceIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "H2", "A2")),
            "batch:1: item A2: needs evidence");
}

TEST_F(Admission, RoleNotAllowedIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "P2", "U1", "", R"("qty":2,)")),
            "batch:1: scorer S1 (网格员): item U1 is recorded only by 村两委");
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "U1", "", R"("qty":2,)", "S2")});
}

TEST_F(Admission, SelfScoringIsRefusedUnderSelfDeny) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "P1", "A1")),
            "batch:1: scorer S1: may not score own household H1 (self deny)");
}

TEST_F(Admission, UnregisteredScorerIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "P2", "A1", "", "", "S9")),
            "batch:1: scorer S9: not registered");
}

TEST_F(Admission, AwardBeforeThePersonExistsIsRefused) {
  MustImport({HouseholdLine("T", "H3", "2022-02-01"), PersonLine("T", "P3", "H3", "2022-02-01")});
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-01-20", "P3", "A1", "2022-02-02T09:00:00+08:00")),
            "batch:1: person P3: not registered on 2022-01-20");
}

TEST_F(Admission, PersonInAnUnknownHouseholdIsRefused) {
  EXPECT_EQ(Refusal(PersonLine("T", "P9", "H9")),
            "batch:1: person P9: household H9 not registered");
}

TEST_F(Admission, AwardDatedAfterItsRecordedDayIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-10", "P2", "A1", "2022-03-09T23:00:00+08:00")),
            "batch:1: dated 2022-03-10, after its recorded day 2022-03-09");
}

TEST_F(Admission, RecordedDayIsCountedInTheRecordsOwnOffset) {
  // 2022-03-10T01:00+08:00 is still 03-09 in UTC; the record's own offset decides: 03-10.
  MustImport({AwardLine("T", "a1", "2022-03-10", "P2", "A1", "2022-03-10T01:00:00+08:00")});
}

TEST_F(Admission, AwardPastTheLateLimitIsRefused) {
  MustImport({AwardLine("T", "a1", "2022-03-31", "P2", "A1", "2022-04-05T20:00:00+08:00")});
  EXPECT_EQ(Refusal(AwardLine("T", "a2", "2022-03-31", "P2", "A1", "2022-04-06T08:00:00+08:00")),
            "batch:1: recorded 2022-04-06, 6 days after period 2022-03 ended (late limit 5 days)");
}

TEST_F(Admission, RecordedTimeGoingBackwardsIsRefused) {
  MustImport({AwardLine("T", "a1", "2022-03-10", "P2", "A1")});
  EXPECT_EQ(Refusal(AwardLine("T", "a2", "2022-03-09", "P2", "A1")),
            "batch:1: recorded 2022-03-09T20:00:00+08:00: before the ledger's latest record "
            "(2022-03-10T20:00:00+08:00); recorded times never go backwards");
}

TEST_F(Admission, RecordedInTheFutureIsRefused) {
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2027-03-10", "P2", "A1")),
            "batch:1: recorded 2027-03-10T20:00:00+08:00: in the future");
}

TEST_F(Admission, OverdrawnRedemptionIsRefused) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1")});
  EXPECT_EQ(Refusal(RedeemLine("T", "x1", "2022-03-02", "H2", "R1")),
            "batch:1: redemption x1: household H2 has 2 points on 2022-03-02, R1 x 1 costs 5");
}

TEST_F(Admission, RedemptionSeesOnlyAwardsDatedUpToIt) {
  MustImport({AwardLine("T", "a1", "2022-03-05", "P2", "A1"),
              AwardLine("T", "a2", "2022-03-06", "P2", "A1")});
  const std::string later = "2022-03-07T09:00:00+08:00";
  EXPECT_EQ(Refusal(RedeemLine("T", "x1", "2022-03-05", "H2", "R2", 3, later)),
            "batch:1: reward R2: stock 2 per period exceeded (0 already redeemed, asked 3)");
  EXPECT_EQ(Refusal(RedeemLine("T", "x1", "2022-03-05", "H2", "R1", 1, later)),
            "batch:1: redemption x1: household H2 has 2 points on 2022-03-05, R1 x 1 costs 5");
}

TEST_F(Admission, StockPerPeriodIsCountedInThePeriod) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
              RedeemLine("T", "x1", "2022-03-02", "H2", "R2", 2)});
  EXPECT_EQ(Refusal(RedeemLine("T", "x2", "2022-03-03", "H2", "R2")),
            "batch:1: reward R2: stock 2 per period exceeded (2 already redeemed, asked 1)");
  MustImport({AwardLine("T", "a2", "2022-04-01", "P2", "A1"),
              RedeemLine("T", "x3", "2022-04-02", "H2", "R2")});
}

TEST_F(Admission, TotalStockSpansPeriods) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
              RedeemLine("T", "x1", "2022-03-02", "H2", "R3"),
              AwardLine("T", "a2", "2022-04-01", "P2", "A1")});
  EXPECT_EQ(Refusal(RedeemLine("T", "x2", "2022-04-03", "H2", "R3")),
            "batch:1: reward R3: stock 1 exceeded (1 already redeemed, asked 1)");
}

TEST_F(Admission, RedemptionSeesTheAwardsAndRedemptionsBeforeItInTheSameImport) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1")});
  auto errors = Import({AwardLine("T", "a2", "2022-03-02", "P2", "A1"),
                        AwardLine("T", "a3", "2022-03-02", "P2", "U1", "", R"("qty":2,)", "S2"),
                        RedeemLine("T", "x1", "2022-03-03", "H2", "R1"),
                        RedeemLine("T", "x2", "2022-03-03", "H2", "R1")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "batch:4: redemption x2: household H2 has 1 points on 2022-03-03, R1 x 1 costs 5");
}

TEST_F(Admission, StockCountsRedemptionsOfTheLedgerAndOfTheImport) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
              RedeemLine("T", "x1", "2022-03-02", "H2", "R2")});
  EXPECT_EQ(Import({RedeemLine("T", "x2", "2022-03-03", "H2", "R2"),
                    RedeemLine("T", "x3", "2022-03-04", "H2", "R2")}),
            std::vector<std::string>{
                "batch:2: reward R2: stock 2 per period exceeded (2 already redeemed, asked 1)"});
}

TEST_F(Admission, RevokeOfARegistrationKeyIsRefused) {
  // "household:H1" is the household's key in the ledger, not an award or redemption id.
  EXPECT_EQ(Refusal(RevokeLine("T", "household:H1", "2022-03-05T09:00:00+08:00")),
            "batch:1: target household:H1: no award or redemption with this id in village T");
}

TEST_F(Admission, ARedemptionCountsTheBonusesOfClosedPeriodsButNotOfItsOwn) {
  ASSERT_EQ(Adopt(R"(village B "乙村" {
  clearing never
}
category A "好事" {
  item A1 "升旗" +2 per person
}
reward R1 "毛巾" cost 5
bonus B1 "参与" +3 per household when count(positive) > 0
)",
                  "2022-01-01", "2022-01-01T08:00:00+08:00"),
            "");
  MustImport({HouseholdLine("B", "H1"), PersonLine("B", "P1", "H1"),
              ScorerLine("B", "S1", "村两委"), AwardLine("B", "a1", "2022-01-10", "P1", "A1")});
  // January closed with 2 earned + 3 bonus = 5, carried into February.
  MustImport({RedeemLine("B", "x1", "2022-02-10", "H1", "R1")});
  // February's own bonus is not decided before February closes: 0 carried + 2 earned < 5.
  MustImport({AwardLine("B", "a2", "2022-02-11", "P1", "A1")});
  EXPECT_EQ(Refusal(RedeemLine("B", "x2", "2022-02-12", "H1", "R1")),
            "batch:1: redemption x2: household H1 has 2 points on 2022-02-12, R1 x 1 costs 5");
}

TEST_F(Admission, RevokeOfAnUnknownIdIsRefused) {
  EXPECT_EQ(Refusal(RevokeLine("T", "nope", "2022-03-05T09:00:00+08:00")),
            "batch:1: target nope: no award or redemption with this id in village T");
}

TEST_F(Admission, SecondRevocationIsRefused) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
              RevokeLine("T", "a1", "2022-03-05T09:00:00+08:00")});
  EXPECT_EQ(Refusal(RevokeLine("T", "a1", "2022-03-06T09:00:00+08:00", "S2")),
            "batch:1: target a1: already revoked (sequence 9)");
}

TEST_F(Admission, VillageWithoutRulesIsRefused) {
  EXPECT_EQ(Refusal(HouseholdLine("Q", "H1")),
            "batch:1: village Q: no rules adopted (run `jifen rules adopt` first)");
}

TEST_F(Admission, AdoptionMustTakeEffectOnAPeriodStart) {
  EXPECT_NE(Adopt(kRules, "2022-03-15", "2022-03-01T09:00:00+08:00")
                .find("is not the first day of a month"),
            std::string::npos);
}

TEST_F(Admission, BadRuleFileIsNotAdopted) {
  EXPECT_NE(
      Adopt("village T \"x\" { period fortnight }", "2022-03-01", "2022-03-01T09:00:00+08:00"), "");
}

TEST_F(Admission, SwitchingToQuartersMidQuarterIsRefused) {
  std::string quarterly = kRules;
  quarterly.replace(quarterly.find("late 5 days"), 11, "period quarter");
  EXPECT_NE(Adopt(quarterly, "2022-02-01", "2022-01-05T09:00:00+08:00")
                .find("is not the first day of a quarter"),
            std::string::npos);
  EXPECT_EQ(Adopt(quarterly, "2022-04-01", "2022-01-05T09:00:00+08:00"), "");
}

}  // namespace
}  // namespace jifen::engine::testing

namespace jifen::engine::testing {
namespace {

TEST_F(Admission, ImportingAFileTwiceSkipsRevocationsAndMovesToo) {
  std::vector<std::string> file = {
      AwardLine("T", "a1", "2022-03-01", "P2", "A1"),
      MoveLine("T", "P2", "H1", "2022-03-02", "2022-03-02T09:00:00+08:00"),
      RevokeLine("T", "a1", "2022-03-05T09:00:00+08:00")};
  MustImport(file);
  uint64_t before = Head();
  MustImport(file);
  EXPECT_EQ(Head(), before);
  EXPECT_EQ(
      Refusal(MoveLine("T", "P2", "H2", "2022-03-02", "2022-03-06T09:00:00+08:00")),
      "batch:1: move of P2 on 2022-03-02: already in the ledger with other content (sequence 9)");
}

}  // namespace
}  // namespace jifen::engine::testing

namespace jifen::engine::testing {
namespace {

// Admission keeps each village's structure between imports, with the chain head it is valid at.
// These fail if a kept structure is used after a write it did not see.

TEST_F(Admission, RulesAdoptedBetweenTwoImportsAreThoseTheSecondChecksAgainst) {
  MustImport({AwardLine("T", "a1", "2022-03-01", "P2", "A1", "2022-03-01T20:00:00+08:00")});
  std::string more = kRules;
  more.replace(more.find("reward R1"), 0,
               "category B \"新\" {\n  item B1 \"新项\" +1 per person\n}\n");
  ASSERT_EQ(Adopt(more, "2022-04-01", "2022-03-02T09:00:00+08:00"), "");
  MustImport({AwardLine("T", "a2", "2022-04-02", "P2", "B1", "2022-04-02T20:00:00+08:00")});
}

TEST_F(Admission, AVillageAsAnotherLedgerLeftItIsNotTakenForThisOne) {
  // A second ledger with the same records, so far, as this one: the same chain head.
  tests::ScratchDir other_dir("jifen-engine");
  auto other = ledger::Ledger::Open(other_dir.path(), true);
  ASSERT_TRUE(other.ok());
  std::swap(ledger_, *other);
  ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
  MustImport({HouseholdLine("T", "H1"), HouseholdLine("T", "H2"), PersonLine("T", "P1", "H1"),
              PersonLine("T", "P2", "H2"), ScorerLine("T", "S1", "网格员", "P1"),
              ScorerLine("T", "S2", "村两委")});
  // Only the second ledger registers H3.
  MustImport({HouseholdLine("T", "H3", "2022-02-01")});
  std::swap(ledger_, *other);
  EXPECT_EQ(Refusal(AwardLine("T", "a1", "2022-03-01", "H3", "A2", "", R"("evidence":["x"],)")),
            "batch:1: subject H3: not registered");
}

TEST_F(Admission, ARefusedImportLeavesNothingOfItsGoodLinesForTheNext) {
  auto errors = Import(
      {HouseholdLine("T", "H3", "2022-02-01"), AwardLine("T", "a1", "2022-03-01", "P2", "ZZ")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(Refusal(AwardLine("T", "a2", "2022-03-01", "H3", "A2", "", R"("evidence":["x"],)")),
            "batch:1: subject H3: not registered");
}

}  // namespace
}  // namespace jifen::engine::testing
