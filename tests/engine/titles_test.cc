// Ranking and titles (engine/titles.h, SPEC.md §3 "Ranking", "Titles"): competition ranks over
// exact values, ties by household code, and each title's eligibility, top N or N%, and ties at
// its boundary.
#include "engine/titles.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "grammar/parser.h"

namespace jifen::engine {
namespace {

using Titles = std::vector<std::string>;

TEST(CompetitionRanks, TiesShareARankAndTheNextRankSkips) {
  EXPECT_EQ(CompetitionRanks({Ratio::Whole(10), Ratio::Whole(10), Ratio::Whole(7), Ratio::Whole(7),
                              Ratio::Whole(3)}),
            (std::vector<int>{1, 1, 3, 3, 5}));
  EXPECT_EQ(CompetitionRanks({Ratio(20, 2), Ratio::Whole(10), Ratio(30, 3)}),
            (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(CompetitionRanks({Ratio(10, 3), Ratio(333, 100)}),
            (std::vector<int>{1, 2}));  // both show 3.33
  EXPECT_TRUE(CompetitionRanks({}).empty());
}

class TitlesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = grammar::ParseRules(R"(village V "测试村" {
  period month
}
category A "好事" {
  item A1 "升旗" +2 per person
}
title "T1" period top 2, no veto
title "T2" period top 50%, min 5
title "T3" period top 3
title "Y1" annual top 1
title "M1" period top 10, min 3.33
)",
                                      "titles.rules");
    ASSERT_TRUE(parsed.rules) << (parsed.diagnostics.empty() ? "" : parsed.diagnostics[0].message);
    rules_ = std::move(*parsed.rules);
  }
  // Ranks `standings` for the period and returns household -> (rank, titles).
  std::map<std::string, std::pair<int, Titles>> Rank(std::vector<Standing> standings) {
    RankAndTitle(rules_, grammar::TitleScope::kPeriod, standings);
    order_.clear();
    std::map<std::string, std::pair<int, Titles>> out;
    for (const Standing& s : standings) {
      order_.push_back(s.household);
      out[s.household] = {s.rank, s.titles};
    }
    return out;
  }

  grammar::RuleFile rules_;
  std::vector<std::string> order_;
};

TEST_F(TitlesTest, RanksByValueThenCodeAndGivesTitlesInRuleFileOrder) {
  auto r = Rank({{"H5", Ratio::Whole(3), false, 0, {}},
                 {"H3", Ratio::Whole(10), false, 0, {}},
                 {"H4", Ratio::Whole(7), true, 0, {}},
                 {"H2", Ratio::Whole(7), false, 0, {}},
                 {"H1", Ratio::Whole(10), false, 0, {}}});
  EXPECT_EQ(order_, (std::vector<std::string>{"H1", "H3", "H2", "H4", "H5"}));
  // T1, top 2 without the vetoed H4: H1 and H3 tie for first.
  // T2, top 50% of those with 5 or more (H1, H3, H2, H4): 2 places, H1 and H3.
  // T3, top 3 of all: H2 and H4 tie for third and both get it, the vetoed one too.
  // M1, min 3.33: H5's 3 is too little. Y1 is annual: not given for a period.
  EXPECT_EQ(r["H1"], (std::pair<int, Titles>{1, {"T1", "T2", "T3", "M1"}}));
  EXPECT_EQ(r["H3"], (std::pair<int, Titles>{1, {"T1", "T2", "T3", "M1"}}));
  EXPECT_EQ(r["H2"], (std::pair<int, Titles>{3, {"T3", "M1"}}));
  EXPECT_EQ(r["H4"], (std::pair<int, Titles>{3, {"T3", "M1"}}));
  EXPECT_EQ(r["H5"], (std::pair<int, Titles>{5, {}}));
}

TEST_F(TitlesTest, ExactValuesDecideRanksAndMinimumsWhereTwoDecimalsWouldTie) {
  auto r = Rank({{"H1", Ratio(333, 100), false, 0, {}},
                 {"H2", Ratio(10, 3), false, 0, {}},
                 {"H3", Ratio(332, 100), false, 0, {}}});
  EXPECT_EQ(order_, (std::vector<std::string>{"H2", "H1", "H3"}));
  EXPECT_EQ(r["H2"].first, 1);
  EXPECT_EQ(r["H1"].first, 2);
  // min 3.33: 10/3 and exactly 3.33 qualify, 3.32 does not.
  EXPECT_EQ(r["H2"].second, (Titles{"T1", "T3", "M1"}));
  EXPECT_EQ(r["H1"].second, (Titles{"T1", "T3", "M1"}));
  EXPECT_EQ(r["H3"].second, (Titles{"T3"}));
}

TEST_F(TitlesTest, TopPercentRoundsUpAndAVetoedHouseholdKeepsItsRank) {
  // T2: top 50% of 3 eligible households is 2 places (1.5 rounded up).
  auto r = Rank({{"H1", Ratio::Whole(9), true, 0, {}},
                 {"H2", Ratio::Whole(8), false, 0, {}},
                 {"H3", Ratio::Whole(6), false, 0, {}},
                 {"H4", Ratio::Whole(4), false, 0, {}}});
  EXPECT_EQ(r["H1"].first, 1);
  EXPECT_EQ(r["H1"].second, (Titles{"T2", "T3", "M1"}));  // T1 refuses the vetoed
  EXPECT_EQ(r["H2"].second, (Titles{"T1", "T2", "T3", "M1"}));
  EXPECT_EQ(r["H3"].second, (Titles{"T1", "T3", "M1"}));
  EXPECT_EQ(r["H4"].second, (Titles{"M1"}));
}

TEST_F(TitlesTest, AnnualTitlesAreGivenOnlyInTheAnnualScope) {
  std::vector<Standing> standings{{"H1", Ratio::Whole(5), false, 0, {}},
                                  {"H2", Ratio::Whole(6), false, 0, {}}};
  RankAndTitle(rules_, grammar::TitleScope::kAnnual, standings);
  EXPECT_EQ(standings[0].household, "H2");
  EXPECT_EQ(standings[0].titles, (Titles{"Y1"}));
  EXPECT_TRUE(standings[1].titles.empty());
}

TEST(TitlesForNothing, NoTitleForZeroOrLessUnlessTheRuleSetsMin) {
  auto parsed = grammar::ParseRules(R"(village V "测试村" {
  period month
}
category A "好事" {
  item A1 "升旗" +2 per person
}
title "P" period top 3
title "Z" period top 3, min 0
title "N" period top 3, min -5
)",
                                    "nothing.rules");
  ASSERT_TRUE(parsed.rules);
  // A period with no records: everyone ties at 0. Without `min` nobody is honoured; `min 0`
  // says in so many words that 0 is enough.
  std::vector<Standing> none{{"H1", Ratio::Whole(0), false, 0, {}},
                             {"H2", Ratio::Whole(0), false, 0, {}},
                             {"H3", Ratio::Whole(-2), false, 0, {}}};
  RankAndTitle(*parsed.rules, grammar::TitleScope::kPeriod, none);
  EXPECT_EQ(none[0].rank, 1);
  EXPECT_EQ(none[1].rank, 1);
  EXPECT_EQ(none[0].titles, (Titles{"Z", "N"}));
  EXPECT_EQ(none[1].titles, (Titles{"Z", "N"}));
  EXPECT_EQ(none[2].titles, (Titles{"N"}));
  // One household with points: it alone gets the title that has no `min`.
  std::vector<Standing> one{{"H1", Ratio(1, 100), false, 0, {}},
                            {"H2", Ratio::Whole(0), false, 0, {}}};
  RankAndTitle(*parsed.rules, grammar::TitleScope::kPeriod, one);
  EXPECT_EQ(one[0].titles, (Titles{"P", "Z", "N"}));
  EXPECT_EQ(one[1].titles, (Titles{"Z", "N"}));
}

}  // namespace
}  // namespace jifen::engine
