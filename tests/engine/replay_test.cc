// Replay semantics of SPEC.md §3, on a real ledger, one scenario per rule.
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

std::string SampleRules() {
  return ReadFile(std::string(JIFEN_SOURCE_DIR) + "/tests/rules/good_sample.rules");
}

class SampleMonth : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(SampleRules(), "2022-01-01"), "");
    const std::string V = "SYS";
    MustImport({HouseholdLine(V, "H01"), HouseholdLine(V, "H02"), HouseholdLine(V, "H03"),
                HouseholdLine(V, "H04"), HouseholdLine(V, "H05"), PersonLine(V, "P0101", "H01"),
                PersonLine(V, "P0102", "H01"), PersonLine(V, "P0201", "H02"),
                PersonLine(V, "P0301", "H03"), PersonLine(V, "P0302", "H03"),
                PersonLine(V, "P0401", "H04"), PersonLine(V, "P0501", "H05"),
                ScorerLine(V, "S1", "网格员", "P0301"), ScorerLine(V, "S2", "村两委")});
    MustImport(
        {AwardLine(V, "m01", "2022-03-01", "P0101", "C1.01"),
         AwardLine(V, "m02", "2022-03-01", "P0201", "C1.01"),
         AwardLine(V, "m03", "2022-03-01", "P0501", "C1.01"),
         AwardLine(V, "m04", "2022-03-03", "P0102", "C5.01", "", R"("qty":6,)"),
         AwardLine(V, "m05", "2022-03-04", "H01", "C1.02", "",
                   R"("evidence":["doc:县级表彰决定"],)"),
         AwardLine(V, "m06", "2022-03-08", "P0101", "C1.01"),
         AwardLine(V, "m07", "2022-03-09", "P0301", "C5.01", "", R"("qty":10,)", "S2"),
         AwardLine(V, "m08", "2022-03-10", "P0201", "C2.01"),
         AwardLine(V, "m09", "2022-03-12", "P0401", "C2.02", "", R"("evidence":["doc:判决书"],)"),
         AwardLine(V, "m10", "2022-03-15", "P0101", "C1.01"),
         RedeemLine(V, "x01", "2022-03-20", "H01", "R01")});
  }
};

TEST_F(SampleMonth, FiguresMatchTheHandWorkedExample) {
  PeriodFigures p = Score("SYS", "2022-03");
  ASSERT_EQ(p.households.size(), 5u);
  std::vector<std::string> order;
  for (const auto& f : p.households) order.push_back(f.household);
  EXPECT_EQ(order, (std::vector<std::string>{"H01", "H03", "H05", "H02", "H04"}));
  const auto& h01 = Row(p, "H01");
  EXPECT_EQ(h01.earned, Points::FromWhole(23));
  EXPECT_EQ(h01.person_points, Points::FromWhole(10));
  EXPECT_EQ(h01.household_points, Points::FromWhole(10));
  EXPECT_EQ(h01.bonus, Points::FromWhole(3));
  EXPECT_EQ(h01.redeemed, Points::FromWhole(20));
  EXPECT_EQ(h01.balance, Points::FromWhole(3));
  EXPECT_EQ(h01.cleared, Points::FromWhole(3));
  EXPECT_EQ(h01.titles, std::vector<std::string>{"最美家庭"});
  EXPECT_EQ(Row(p, "H03").earned, Points::FromWhole(11));
  EXPECT_EQ(Row(p, "H02").earned, Points::FromWhole(-3));
  EXPECT_EQ(Row(p, "H02").bonus, Points());
  EXPECT_TRUE(Row(p, "H04").vetoed);
  EXPECT_TRUE(Row(p, "H04").titles.empty());
}

TEST_F(SampleMonth, AnnualMeanIsOverTwelveMonths) {
  AnnualFigures a = Annual("SYS", 2022);
  ASSERT_EQ(a.households.size(), 5u);
  EXPECT_EQ(a.households[0].household, "H01");
  EXPECT_EQ(a.households[0].periods, 12);
  EXPECT_EQ(a.households[0].annual, Points::FromCents(192));
  EXPECT_TRUE(a.households[0].titles.empty());  // min 5 is above every annual mean
  EXPECT_EQ(a.households.back().annual, Points::FromCents(-167));
}

TEST_F(SampleMonth, RedemptionAboveTheBalanceIsRefused) {
  auto errors = Import({RedeemLine("SYS", "x02", "2022-03-21", "H03", "R02")});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("has 8 points on 2022-03-21"), std::string::npos) << errors[0];
}

TEST_F(SampleMonth, RevokedAwardFreesTheCap) {
  // m10 was capped (P0101 had 4 of C1.01's cap 4); revoking m01 lets m10 count.
  MustImport({RevokeLine("SYS", "m01", "2022-03-25T10:00:00+08:00")});
  PeriodFigures p = Score("SYS", "2022-03");
  EXPECT_EQ(Row(p, "H01").person_points, Points::FromWhole(10));
  EXPECT_EQ(Row(p, "H01").earned, Points::FromWhole(23));
}

TEST_F(SampleMonth, AsOfSeesOnlyWhatWasRecordedThen) {
  MustImport(
      {AwardLine("SYS", "late1", "2022-03-30", "P0501", "C1.01", "2022-04-03T09:00:00+08:00")});
  EXPECT_EQ(Row(Score("SYS", "2022-03"), "H05").earned, Points::FromWhole(7));
  uint64_t before = SequenceAsOf("2022-03-31T23:59:59+08:00");
  EXPECT_EQ(Row(Score("SYS", "2022-03", before), "H05").earned, Points::FromWhole(5));
}

}  // namespace
}  // namespace jifen::engine::testing
