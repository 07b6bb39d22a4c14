// One test per semantic rule of SPEC.md §3, with its edge cases: caps in date order and across
// periods, moves mid-period, rule versions, ties at a title's boundary, vetoes, clearing,
// revocations of awards and redemptions, bonuses dividing by zero, dividends to the fen.
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

const char* kRules = R"(village T "测试村" {
  period month
  clearing period
}
category A "好事" {
  item A1 "升旗" +2 per person, cap 4
  item A2 "户好事" +5 per household
  item A3 "年度上限" +3 per person, cap 6 per year
  item U1 "志愿服务" +1 per person, unit "小时", cap 8
}
category N "坏事" {
  item N1 "违约" -5 per person
  item V1 "违法" -10 per person, veto
}
reward R1 "毛巾" cost 5
reward R2 "食用油" cost 1, stock 2 per period
title "最美家庭" period top 2, no veto
title "文明家庭" annual top 50%
dividend shares 50% points 50%
)";

class Semantics : public LedgerTest {
 protected:
  void Setup(const std::string& rules = kRules, const std::vector<std::string>& extra = {}) {
    ASSERT_EQ(Adopt(rules, "2022-01-01"), "");
    std::vector<std::string> lines = {
        HouseholdLine("T", "H1"),    HouseholdLine("T", "H2", "2022-01-01", 3),
        HouseholdLine("T", "H3"),    PersonLine("T", "P1", "H1"),
        PersonLine("T", "P2", "H2"), PersonLine("T", "P3", "H3"),
        ScorerLine("T", "S1")};
    lines.insert(lines.end(), extra.begin(), extra.end());
    MustImport(lines);
  }
  static Points P(int64_t whole) { return Points::FromWhole(whole); }
};

TEST_F(Semantics, CapCountsTheRemainderThenZero) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "P1", "U1", "", R"("qty":5,)"),
              AwardLine("T", "a2", "2022-03-02", "P1", "U1", "", R"("qty":5,)"),
              AwardLine("T", "a3", "2022-03-03", "P1", "U1", "", R"("qty":5,)")});
  EXPECT_EQ(Row(Score("T", "2022-03"), "H1").person_points, P(8));
  EXPECT_EQ(Row(Score("T", "2022-04"), "H1").person_points, P(0));
}

TEST_F(Semantics, CapIsTakenInDateOrderNotRecordOrder) {
  Setup();
  // a2 is dated first though recorded later: it takes the cap, and a1 (recorded first) the rest.
  MustImport(
      {AwardLine("T", "a1", "2022-03-10", "P1", "U1", "2022-03-10T20:00:00+08:00", R"("qty":6,)")});
  MustImport(
      {AwardLine("T", "a2", "2022-03-05", "P1", "U1", "2022-03-11T20:00:00+08:00", R"("qty":6,)")});
  models_.push_back(std::make_unique<VillageModel>(Load("T")));
  ReplayOptions options;
  options.detail_household = "H1";
  Period march = *Period::Parse("2022-03");
  auto figures = Replay(*models_.back(), march, march, options);
  ASSERT_TRUE(figures.ok());
  const auto& events = Row(figures->back(), "H1").events;
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].record->id, "a2");
  EXPECT_EQ(events[0].counted, P(6));
  EXPECT_EQ(events[1].counted, P(2));
  EXPECT_EQ(events[1].outcome, Outcome::kCapped);
}

TEST_F(Semantics, YearCapSpansPeriodsAndResetsInTheNewYear) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-01-05", "P1", "A3"),
              AwardLine("T", "a2", "2022-02-05", "P1", "A3"),
              AwardLine("T", "a3", "2022-03-05", "P1", "A3"),
              AwardLine("T", "a4", "2023-01-05", "P1", "A3")});
  EXPECT_EQ(Row(Score("T", "2022-02"), "H1").person_points, P(3));
  EXPECT_EQ(Row(Score("T", "2022-03"), "H1").person_points, P(0));
  EXPECT_EQ(Row(Score("T", "2023-01"), "H1").person_points, P(3));
}

TEST_F(Semantics, PeriodCapStartsAfreshEachPeriodWhileTheYearCapRunsOn) {
  Setup();
  // A1: cap 4 per period (two awards); A3: cap 6 per year. The same person, three months.
  MustImport({AwardLine("T", "a1", "2022-01-03", "P1", "A1"),
              AwardLine("T", "a2", "2022-01-04", "P1", "A1"),
              AwardLine("T", "a3", "2022-01-05", "P1", "A1"),
              AwardLine("T", "y1", "2022-01-06", "P1", "A3"),
              AwardLine("T", "a4", "2022-02-03", "P1", "A1"),
              AwardLine("T", "a5", "2022-02-04", "P1", "A1"),
              AwardLine("T", "a6", "2022-02-05", "P1", "A1"),
              AwardLine("T", "y2", "2022-02-06", "P1", "A3"),
              AwardLine("T", "a7", "2022-03-03", "P1", "A1"),
              AwardLine("T", "y3", "2022-03-06", "P1", "A3"),
              AwardLine("T", "b1", "2022-03-07", "P2", "A1"),
              AwardLine("T", "b2", "2022-03-08", "P2", "A3")});
  // One replay of the three months (March's replay carries January and February's caps).
  EXPECT_EQ(Row(Score("T", "2022-01"), "H1").person_points, P(4 + 3));
  EXPECT_EQ(Row(Score("T", "2022-02"), "H1").person_points, P(4 + 3));
  PeriodFigures march = Score("T", "2022-03");
  EXPECT_EQ(Row(march, "H1").person_points, P(2 + 0));
  // Another person's caps are their own.
  EXPECT_EQ(Row(march, "H2").person_points, P(2 + 3));
}

TEST_F(Semantics, RevokedAwardCountsNowhere) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "H1", "A2"),
              RevokeLine("T", "a1", "2022-03-02T09:00:00+08:00")});
  const auto h1 = Row(Score("T", "2022-03"), "H1");
  EXPECT_EQ(h1.household_points, P(0));
  EXPECT_EQ(h1.earned, P(0));
}

TEST_F(Semantics, PersonMovingMidPeriodSplitsPointsByDate) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-05", "P1", "A1"),
              MoveLine("T", "P1", "H2", "2022-03-10", "2022-03-10T09:00:00+08:00"),
              AwardLine("T", "a2", "2022-03-15", "P1", "A1"),
              AwardLine("T", "a3", "2022-03-16", "P1", "A1")});  // the cap (4) follows the person
  PeriodFigures p = Score("T", "2022-03");
  EXPECT_EQ(Row(p, "H1").person_points, P(2));
  EXPECT_EQ(Row(p, "H2").person_points, P(2));
  EXPECT_EQ(Row(p, "H1").members, 0);
  EXPECT_EQ(Row(p, "H2").members, 2);
}

TEST_F(Semantics, HouseholdJoiningMidYearIsAveragedOverItsOwnPeriods) {
  Setup(kRules, {HouseholdLine("T", "H4", "2022-07-01")});
  MustImport({AwardLine("T", "a1", "2022-07-05", "H4", "A2"),
              AwardLine("T", "a2", "2022-07-05", "H1", "A2")});
  EXPECT_EQ(Score("T", "2022-06").households.size(), 3u);  // H4 does not exist yet
  AnnualFigures a = Annual("T", 2022);
  const AnnualHousehold* h4 = nullptr;
  const AnnualHousehold* h1 = nullptr;
  for (const auto& x : a.households) {
    if (x.household == "H4") h4 = &x;
    if (x.household == "H1") h1 = &x;
  }
  ASSERT_TRUE(h4 && h1);
  EXPECT_EQ(h4->periods, 6);
  EXPECT_EQ(h4->annual, Points::FromCents(83));  // 5 / 6
  EXPECT_EQ(h1->periods, 12);
  EXPECT_EQ(h1->annual, Points::FromCents(42));  // 5 / 12
  EXPECT_EQ(a.households[0].household, "H4");    // ranked on the exact mean
}

TEST_F(Semantics, RuleVersionChangesAtAPeriodStart) {
  Setup();
  std::string v2 = kRules;
  v2.replace(v2.find("+2 per person, cap 4"), 20, "+3 per person, cap 9");
  ASSERT_EQ(Adopt(v2, "2022-04-01", "2022-03-20T09:00:00+08:00"), "");
  MustImport({AwardLine("T", "a1", "2022-03-25", "P1", "A1"),
              AwardLine("T", "a2", "2022-04-02", "P1", "A1")});
  PeriodFigures march = Score("T", "2022-03");
  PeriodFigures april = Score("T", "2022-04");
  EXPECT_EQ(Row(march, "H1").person_points, P(2));
  EXPECT_EQ(Row(april, "H1").person_points, P(3));
  EXPECT_NE(march.adoption->sha256, april.adoption->sha256);
  EXPECT_NE(Adopt(v2, "2022-05-15", "2022-03-21T09:00:00+08:00"), "");
}

TEST_F(Semantics, LaterAdoptionWithTheSameDateWins) {
  Setup();
  std::string v2 = kRules;
  v2.replace(v2.find("+5 per household"), 16, "+7 per household");
  ASSERT_EQ(Adopt(v2, "2022-01-01", "2022-01-02T09:00:00+08:00"), "");
  MustImport({AwardLine("T", "a1", "2022-03-25", "H1", "A2")});
  EXPECT_EQ(Row(Score("T", "2022-03"), "H1").household_points, P(7));
}

TEST_F(Semantics, TiesAtATitleBoundaryAllGetTheTitle) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "H1", "A2"),
              AwardLine("T", "a2", "2022-03-01", "H2", "A2"),
              AwardLine("T", "a3", "2022-03-01", "H3", "A2")});
  PeriodFigures p = Score("T", "2022-03");
  for (const auto& f : p.households) {
    EXPECT_EQ(f.rank, 1) << f.household;
    EXPECT_EQ(f.titles, std::vector<std::string>{"最美家庭"}) << f.household;
  }
}

TEST_F(Semantics, CompetitionRankingSkipsAfterTies) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "H2", "A2"),
              AwardLine("T", "a2", "2022-03-01", "H3", "A2")});
  PeriodFigures p = Score("T", "2022-03");
  ASSERT_EQ(p.households.size(), 3u);
  EXPECT_EQ(p.households[0].household, "H2");  // ties listed by household code
  EXPECT_EQ(p.households[0].rank, 1);
  EXPECT_EQ(p.households[1].rank, 1);
  EXPECT_EQ(p.households[2].household, "H1");
  EXPECT_EQ(p.households[2].rank, 3);
}

TEST_F(Semantics, TopPercentRoundsUp) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "H1", "A2"),
              AwardLine("T", "a2", "2022-03-01", "P2", "A1"),
              AwardLine("T", "a3", "2022-03-02", "P3", "A1"),
              AwardLine("T", "a4", "2022-03-03", "P3", "A1")});
  // Annual "top 50%" of 3 households, each with points: ceil(1.5) = 2 titles.
  AnnualFigures a = Annual("T", 2022);
  int titled = 0;
  for (const auto& h : a.households) titled += !h.titles.empty();
  EXPECT_EQ(titled, 2);
}

TEST_F(Semantics, VetoRunsFromTheVetoThroughTheYearEnd) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-02-10", "P1", "V1"),
              AwardLine("T", "a2", "2022-03-10", "H1", "A2")});
  EXPECT_FALSE(Row(Score("T", "2022-01"), "H1").vetoed);
  EXPECT_TRUE(Row(Score("T", "2022-02"), "H1").vetoed);
  PeriodFigures march = Score("T", "2022-03");
  EXPECT_TRUE(Row(march, "H1").vetoed);
  EXPECT_EQ(Row(march, "H1").rank, 1);
  EXPECT_TRUE(Row(march, "H1").titles.empty());  // no veto: the title passes to the next
  EXPECT_FALSE(Row(Score("T", "2023-01"), "H1").vetoed);
}

TEST_F(Semantics, RevokedVetoAwardNoLongerVetoes) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-02-10", "P1", "V1"),
              RevokeLine("T", "a1", "2022-02-11T09:00:00+08:00")});
  EXPECT_FALSE(Row(Score("T", "2022-02"), "H1").vetoed);
}

TEST_F(Semantics, RedemptionOverdrawnByALaterRevocationIsKept) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "H1", "A2"),
              RedeemLine("T", "x1", "2022-03-02", "H1", "R1")});
  MustImport({RevokeLine("T", "a1", "2022-03-05T09:00:00+08:00")});
  const auto h1 = Row(Score("T", "2022-03"), "H1");
  EXPECT_EQ(h1.redeemed, P(5));
  EXPECT_EQ(h1.balance, P(-5));
}

TEST_F(Semantics, RevokingARedemptionGivesItsPointsBack) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "H1", "A2"),
              RedeemLine("T", "x1", "2022-03-02", "H1", "R1"),
              RevokeLine("T", "x1", "2022-03-05T09:00:00+08:00")});
  const auto h1 = Row(Score("T", "2022-03"), "H1");
  EXPECT_EQ(h1.redeemed, P(0));
  EXPECT_EQ(h1.balance, P(5));
}

TEST_F(Semantics, ClearingYearCarriesWithinTheYearOnly) {
  std::string rules = kRules;
  rules.replace(rules.find("clearing period"), 15, "clearing year");
  Setup(rules);
  MustImport({AwardLine("T", "a1", "2022-01-05", "H1", "A2"),
              RedeemLine("T", "x1", "2022-02-05", "H1", "R2"),
              AwardLine("T", "a2", "2022-12-05", "H1", "A2")});
  const auto feb = Row(Score("T", "2022-02"), "H1");
  EXPECT_EQ(feb.carried, P(5));
  EXPECT_EQ(feb.balance, P(4));
  EXPECT_EQ(feb.cleared, P(0));
  const auto dec = Row(Score("T", "2022-12"), "H1");
  EXPECT_EQ(dec.balance, P(9));
  EXPECT_EQ(dec.cleared, P(9));
  EXPECT_EQ(Row(Score("T", "2023-01"), "H1").carried, P(0));
}

TEST_F(Semantics, ClearingNeverCarriesAcrossYears) {
  std::string rules = kRules;
  rules.replace(rules.find("clearing period"), 15, "clearing never\n  base 1");
  Setup(rules);
  MustImport({AwardLine("T", "a1", "2022-11-05", "H1", "A2")});
  // 2022: base 1 x 12 + 5; 2023-01: + base 1.
  const auto jan = Row(Score("T", "2023-01"), "H1");
  EXPECT_EQ(jan.carried, P(17));
  EXPECT_EQ(jan.earned, P(1));
  EXPECT_EQ(jan.balance, P(18));
  EXPECT_EQ(jan.cleared, P(0));
}

TEST_F(Semantics, RankByBalanceOrdersOnTheBalance) {
  std::string rules = kRules;
  rules.replace(rules.find("clearing period"), 15, "clearing never\n  rank balance");
  Setup(rules);
  MustImport({AwardLine("T", "a1", "2022-01-05", "H1", "A2"),
              AwardLine("T", "a2", "2022-01-06", "H1", "A2"),
              AwardLine("T", "a3", "2022-02-05", "H2", "A2")});
  PeriodFigures feb = Score("T", "2022-02");
  EXPECT_EQ(feb.households[0].household, "H1");  // balance 10 beats H2's earned-and-balance 5
  EXPECT_EQ(feb.households[1].household, "H2");
}

TEST_F(Semantics, BonusSeesTheHouseholdsAwardsAndNotOtherBonuses) {
  std::string rules = kRules;
  rules += R"(bonus B1 "全勤" +3 per household when count(negative) == 0 and count(positive) > 0
bonus B2 "人均" +1 per household when earned / members >= 2.5 and not (points(category N) < 0)
bonus B3 "门槛" +10 per household when earned >= 8
)";
  Setup(rules);
  MustImport({AwardLine("T", "a1", "2022-03-01", "P1", "A1"),
              AwardLine("T", "a3", "2022-03-01", "P2", "A1"),
              AwardLine("T", "a2", "2022-03-02", "H1", "A2"),
              AwardLine("T", "a4", "2022-03-02", "P2", "N1")});
  PeriodFigures p = Score("T", "2022-03");
  // H1: earned before bonuses 7, one member: B1 +3, B2 +1 (7/1 >= 2.5), B3 no (7 < 8; B1 not seen).
  EXPECT_EQ(Row(p, "H1").bonus, P(4));
  EXPECT_EQ(Row(p, "H1").earned, P(11));
  // H2: a negative award: no B1; points(category N) = -5: no B2.
  EXPECT_EQ(Row(p, "H2").bonus, P(0));
  EXPECT_EQ(Row(p, "H2").earned, P(-3));
}

TEST_F(Semantics, BonusDividingByZeroIsFalse) {
  std::string rules = kRules;
  rules += "bonus B1 \"空户\" +3 per household when earned / members >= 0\n";
  Setup(rules, {HouseholdLine("T", "H9")});
  EXPECT_EQ(Row(Score("T", "2022-03"), "H9").bonus, P(0));
  EXPECT_EQ(Row(Score("T", "2022-03"), "H1").bonus, P(3));
}

TEST_F(Semantics, BaseIsGivenToEveryExistingHousehold) {
  std::string rules = kRules;
  rules.replace(rules.find("clearing period"), 15, "clearing period\n  base 2.5");
  Setup(rules);
  PeriodFigures p = Score("T", "2022-03");
  for (const auto& f : p.households) EXPECT_EQ(f.earned, Points::FromCents(250));
}

TEST_F(Semantics, DividendPartsAddUpToTheFen) {
  Setup();
  MustImport({AwardLine("T", "a1", "2022-03-01", "H1", "A2"),
              AwardLine("T", "a2", "2022-03-01", "P3", "A1")});
  models_.push_back(std::make_unique<VillageModel>(Load("T")));
  auto annual = ComputeAnnual(*models_.back(), 2022);
  ASSERT_TRUE(annual.ok());
  auto parts = Distribute(*models_.back(), *annual, 100001);  // 1000.01 yuan
  ASSERT_TRUE(parts.ok());
  int64_t total = 0, shares = 0, points = 0;
  for (const auto& p : *parts) {
    total += p.total_fen;
    shares += p.shares_fen;
    points += p.points_fen;
  }
  EXPECT_EQ(total, 100001);
  EXPECT_EQ(shares, 50000);
  EXPECT_EQ(points, 50001);
  // Shares 1:3:1 -> H2 gets 3/5 of 500.00; annual means 0.42 : 0 : 0.17 for the points half.
  EXPECT_EQ((*parts)[1].household, "H2");
  EXPECT_EQ((*parts)[1].shares_fen, 30000);
  EXPECT_EQ((*parts)[1].points_fen, 0);
  EXPECT_EQ((*parts)[0].points_fen + (*parts)[2].points_fen, 50001);
}

TEST_F(Semantics, AnotherPeriodKindIsRefusedWithTheRightOne) {
  Setup();
  models_.push_back(std::make_unique<VillageModel>(Load("T")));
  Period q = *Period::Parse("2022-Q1");
  auto figures = Replay(*models_.back(), q, q);
  ASSERT_FALSE(figures.ok());
  EXPECT_NE(figures.status().message().find("ask for 2022-01"), std::string::npos)
      << figures.status().message();
}

}  // namespace
}  // namespace jifen::engine::testing
