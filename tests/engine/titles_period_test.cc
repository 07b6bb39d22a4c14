// A period's ranking and titles over its figures (engine/titles.h RankAndTitlePeriod, SPEC.md §3
// "Ranking", "Titles"): the value that ranks is `earned`, or `balance` under `rank balance`, and a
// title's `min` compares that same value. The households come back in rank order, figures intact.
#include "engine/titles.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grammar/parser.h"

namespace jifen::engine {
namespace {

using Titles = std::vector<std::string>;

grammar::RuleFile Rules(const std::string& rank_setting) {
  std::string text =
      "village V \"测试村\" {\n  period month\n" + rank_setting + "}\n" + R"(category A "好事" {
  item A1 "升旗" +2 per person
}
title "T1" period top 1, no veto
title "T2" period top 3, min 5
title "Y1" annual top 3
)";
  auto parsed = grammar::ParseRules(text, "titles_period.rules");
  EXPECT_TRUE(parsed.rules) << (parsed.diagnostics.empty() ? "" : parsed.diagnostics[0].message);
  return parsed.rules ? std::move(*parsed.rules) : grammar::RuleFile();
}

HouseholdFigures Figures(const char* household, int64_t earned, int64_t balance, bool vetoed,
                         int pending) {
  HouseholdFigures f;
  f.household = household;
  f.earned = Points::FromWhole(earned);
  f.balance = Points::FromWhole(balance);
  f.vetoed = vetoed;
  f.pending = pending;
  f.rank = 99;           // overwritten
  f.titles = {"stale"};  // replaced
  return f;
}

std::vector<HouseholdFigures> Village() {
  // H2 earned most but spent most; H3 is vetoed; H1 earned least but kept most.
  return {Figures("H2", 10, 3, false, 1), Figures("H3", 10, 8, true, 2),
          Figures("H1", 5, 8, false, 3)};
}

std::vector<std::string> Order(const std::vector<HouseholdFigures>& households) {
  std::vector<std::string> out;
  for (const auto& f : households) out.push_back(f.household);
  return out;
}

TEST(TitlesPeriod, RanksOnEarnedByDefault) {
  auto rules = Rules("");
  auto households = Village();
  RankAndTitlePeriod(rules, households);
  // earned: H2 10, H3 10, H1 5 -> ranks 1, 1, 3; the tie listed by code.
  ASSERT_EQ(Order(households), (std::vector<std::string>{"H2", "H3", "H1"}));
  EXPECT_EQ(households[0].rank, 1);
  EXPECT_EQ(households[1].rank, 1);
  EXPECT_EQ(households[2].rank, 3);
  // T1 (top 1, no veto) among H2 and H1: H2. T2 (top 3, min 5): all three, H1's 5 exactly.
  // Y1 is annual: not given for a period.
  EXPECT_EQ(households[0].titles, (Titles{"T1", "T2"}));
  EXPECT_EQ(households[1].titles, (Titles{"T2"}));
  EXPECT_EQ(households[2].titles, (Titles{"T2"}));
  // The other figures travel with their household.
  EXPECT_EQ(households[0].pending, 1);
  EXPECT_EQ(households[1].pending, 2);
  EXPECT_TRUE(households[1].vetoed);
  EXPECT_EQ(households[2].pending, 3);
  EXPECT_EQ(households[2].balance, Points::FromWhole(8));
}

TEST(TitlesPeriod, RankBalanceRanksAndTitlesOnTheBalance) {
  auto rules = Rules("  rank balance\n");
  ASSERT_EQ(rules.village.rank, grammar::RankBy::kBalance);
  auto households = Village();
  RankAndTitlePeriod(rules, households);
  // balance: H1 8, H3 8, H2 3 -> ranks 1, 1, 3.
  ASSERT_EQ(Order(households), (std::vector<std::string>{"H1", "H3", "H2"}));
  EXPECT_EQ(households[0].rank, 1);
  EXPECT_EQ(households[1].rank, 1);
  EXPECT_EQ(households[2].rank, 3);
  // T1 among H1 (8) and H2 (3): H1. T2's min 5 is on the balance: H2's 3 fails though it earned 10.
  EXPECT_EQ(households[0].titles, (Titles{"T1", "T2"}));
  EXPECT_EQ(households[1].titles, (Titles{"T2"}));
  EXPECT_TRUE(households[2].titles.empty());
  EXPECT_EQ(households[2].earned, Points::FromWhole(10));
}

TEST(TitlesPeriod, NoHouseholdsIsNothingToRank) {
  auto rules = Rules("");
  std::vector<HouseholdFigures> households;
  RankAndTitlePeriod(rules, households);
  EXPECT_TRUE(households.empty());
}

}  // namespace
}  // namespace jifen::engine
