// The township's comparison of villages (engine/compare.h), figures worked out by hand.
#include "engine/compare.h"

#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

const char* kMonthly = R"(
village AAA "甲村" {
  township "测试镇"
  period month
  late 10 days
}
category A "好事" {
  item A.01 "帮助邻里" +2 per person
}
category B "坏事" {
  item B.01 "乱倒垃圾" -3 per household
}
reward R1 "肥皂" cost 5
rate 0.5 yuan per point
)";

const char* kQuarterly = R"(
village BBB "乙村" {
  township "测试镇"
  period quarter
}
category A "好事" {
  item A.01 "帮助邻里" +2 per person
}
)";

class CompareTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(kMonthly, "2022-01-01"), "");
    ASSERT_EQ(Adopt(kQuarterly, "2022-01-01"), "");
    MustImport(
        {HouseholdLine("AAA", "H1"), HouseholdLine("AAA", "H2"), HouseholdLine("AAA", "H3"),
         HouseholdLine("AAA", "H4"), PersonLine("AAA", "P1", "H1"), PersonLine("AAA", "P2", "H2"),
         PersonLine("AAA", "P3", "H3"), PersonLine("AAA", "P4", "H4"),
         PersonLine("AAA", "P5", "H4"), ScorerLine("AAA", "S1", "网格员", "P1"),
         ScorerLine("AAA", "S2", "村两委"), HouseholdLine("BBB", "H1"), HouseholdLine("BBB", "H2"),
         PersonLine("BBB", "Q1", "H1"), PersonLine("BBB", "Q2", "H2"), ScorerLine("BBB", "S1")});
    // AAA, March: H1 6 (one of them self-scored by S1), H2 4 (one recorded late), H3 -3, H4 0;
    // H1 redeems 5 points.
    MustImport({AwardLine("AAA", "a1", "2022-03-01", "P1", "A.01", "", "", "S1"),
                AwardLine("AAA", "a2", "2022-03-02", "P1", "A.01", "", "", "S2"),
                AwardLine("AAA", "a3", "2022-03-03", "P1", "A.01", "", "", "S2"),
                AwardLine("AAA", "a4", "2022-03-04", "P2", "A.01", "", "", "S2"),
                AwardLine("AAA", "a6", "2022-03-05", "H3", "B.01", "", "", "S2"),
                RedeemLine("AAA", "x1", "2022-03-20", "H1", "R1"),
                AwardLine("AAA", "a5", "2022-03-30", "P2", "A.01", "2022-04-02T10:00:00+08:00", "",
                          "S2")});
    // BBB, 2022-Q1: H1 2 (February), H2 4 (January and March).
    MustImport({AwardLine("BBB", "b1", "2022-01-10", "Q2", "A.01", "2022-04-03T10:00:00+08:00"),
                AwardLine("BBB", "b2", "2022-02-10", "Q1", "A.01", "2022-04-03T10:00:00+08:00"),
                AwardLine("BBB", "b3", "2022-03-10", "Q2", "A.01", "2022-04-03T10:00:00+08:00")});
  }

  Comparison Run(ReportWindow window) {
    auto reader = ledger_->Snapshot();
    auto c = Compare(**reader, window, std::nullopt, Timestamp::Now());
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(c.value()) : Comparison{};
  }
};

TEST_F(CompareTest, TwoVillagesSideBySideMatchTheHandWorkedFigures) {
  Comparison c = Run(ReportWindow{Period::Parse("2022-03"), std::nullopt});
  ASSERT_EQ(c.villages.size(), 2u);
  const VillageComparison& a = c.villages[0];
  EXPECT_EQ(a.village, "AAA");
  EXPECT_EQ(a.name, "甲村");
  EXPECT_FALSE(a.substituted);
  EXPECT_EQ(a.households, 4);
  EXPECT_EQ(a.people, 5);
  EXPECT_EQ(a.participating, 2);
  EXPECT_DOUBLE_EQ(a.participation, 0.5);
  EXPECT_EQ(a.earned, Points::FromWhole(7));
  EXPECT_EQ(a.mean_per_household.ToPoints(), Points::FromCents(175));  // 7 / 4
  EXPECT_EQ(a.median_per_household.ToPoints(), Points::FromWhole(2));  // (0 + 4) / 2
  EXPECT_EQ(a.mean_per_person.ToPoints(), Points::FromCents(140));     // 7 / 5
  EXPECT_NEAR(a.gini, 0.55, 1e-12);  // values 6, 4, 0 (-3 counted as 0), 0: 44 / (2 * 4 * 10)
  EXPECT_EQ(a.awards, 6);
  EXPECT_EQ(a.negative_records, 1);
  EXPECT_EQ(a.late_records, 1);
  EXPECT_EQ(a.self_scored, 1);
  EXPECT_NEAR(a.late_share, 1.0 / 6, 1e-12);
  EXPECT_NEAR(a.self_scoring_share, 1.0 / 6, 1e-12);
  EXPECT_EQ(a.redeemed, Points::FromWhole(5));
  EXPECT_EQ(a.redeemed_yuan, Points::FromCents(250));
  EXPECT_EQ(a.cleared, Points::FromWhole(2));  // 1 + 4 - 3 + 0
  ASSERT_EQ(a.categories.size(), 2u);
  EXPECT_EQ(a.categories[0].code, "A");
  EXPECT_EQ(a.categories[0].points, Points::FromWhole(10));
  EXPECT_EQ(a.categories[1].points, Points::FromWhole(-3));

  const VillageComparison& b = c.villages[1];
  EXPECT_EQ(b.village, "BBB");
  EXPECT_TRUE(b.substituted);  // a quarterly village answers 2022-03 with 2022-Q1
  EXPECT_EQ(b.first.ToString(), "2022-Q1");
  EXPECT_EQ(b.households, 2);
  EXPECT_DOUBLE_EQ(b.participation, 1.0);
  EXPECT_EQ(b.mean_per_household.ToPoints(), Points::FromWhole(3));
  EXPECT_EQ(b.median_per_household.ToPoints(), Points::FromWhole(3));
  EXPECT_NEAR(b.gini, 1.0 / 6, 1e-12);        // |2 - 4| * 2 / (2 * 2 * 6)
  EXPECT_FALSE(b.redeemed_yuan.has_value());  // no rate
  EXPECT_EQ(b.late_records, 3);
}

TEST_F(CompareTest, AQuarterOfAMonthlyVillageAddsUpItsThreeMonths) {
  Comparison c = Run(ReportWindow{Period::Parse("2022-Q1"), std::nullopt});
  ASSERT_EQ(c.villages.size(), 2u);
  EXPECT_TRUE(c.villages[0].substituted);
  EXPECT_EQ(c.villages[0].first.ToString(), "2022-01");
  EXPECT_EQ(c.villages[0].last.ToString(), "2022-03");
  EXPECT_EQ(c.villages[0].earned, Points::FromWhole(7));
  EXPECT_FALSE(c.villages[1].substituted);
}

TEST_F(CompareTest, AVillageWithoutRulesThenIsSkipped) {
  Comparison c = Run(ReportWindow{Period::Parse("2021-06"), std::nullopt});
  EXPECT_TRUE(c.villages.empty());
  ASSERT_EQ(c.skipped.size(), 2u);
  EXPECT_EQ(c.skipped[0].first, "AAA");
}

TEST(GiniTest, EqualValuesGiveZeroAndOneHolderGivesNearlyOne) {
  EXPECT_DOUBLE_EQ(Gini({}), 0.0);
  EXPECT_DOUBLE_EQ(Gini({500, 500, 500}), 0.0);
  EXPECT_DOUBLE_EQ(Gini({0, 0, 0, 1000}), 0.75);  // (n - 1) / n
  EXPECT_DOUBLE_EQ(Gini({-300, -100}), 0.0);      // negatives count as 0
}

TEST(MedianTest, OddTakesTheMiddleEvenTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(Median({300, 100, 200}).ToPoints(), Points::FromWhole(2));
  EXPECT_EQ(Median({1, 2}).ToPoints(), Points::FromCents(2));  // 1.5 cents rounds away from zero
  EXPECT_EQ(Median({}).ToPoints(), Points());
}

}  // namespace
}  // namespace jifen::engine::testing
