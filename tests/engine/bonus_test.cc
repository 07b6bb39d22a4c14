// Bonus conditions (engine/bonus.h, SPEC.md §3 "Bonuses"): selectors over the household's counted
// awards, exact fractions, division by zero, and the explanation explain prints.
#include "engine/bonus.h"

#include <gtest/gtest.h>

#include <string>

#include "grammar/parser.h"

namespace jifen::engine {
namespace {

const char* kRules = R"(village V "测试村" {
  period month
}
category A "好事" {
  item A1 "升旗" +2 per person
  item A2 "迟到" -1 per person
}
category B "公益" {
  item B1 "志愿服务" +5 per household
}
bonus X1 "selectors" +1 per household when count(A1) == 2 and count(category A) == 3 and count(positive) == 3 and count(negative) == 1 and count(any) == 4
bonus X2 "points" +1 per household when points(A1) == 4 and points(category B) == 5 and points(negative) == -1 and points(any) == 8
bonus X3 "a third" +1 per household when earned / members > 3.33 and earned / members < 3.34
bonus X4 "exact sums" +1 per household when 0.1 + 0.2 == 0.3 and earned / members * members == earned
bonus X5 "per member" +1 per household when earned / members >= 0
bonus X6 "not per member" +1 per household when not (earned / members >= 0)
bonus X7 "or" +1 per household when count(negative) == 0 or earned >= 10
bonus X8 "neither" +1 per household when count(negative) == 0 or earned > 10
bonus X9 "negation" +1 per household when -points(negative) * 10 <= earned
bonus XL "long" +1 per household when earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned + earned == earned * 25
)";

class BonusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = grammar::ParseRules(kRules, "bonus.rules");
    ASSERT_TRUE(parsed.rules) << (parsed.diagnostics.empty() ? "" : parsed.diagnostics[0].message);
    rules_ = std::move(*parsed.rules);
    // Two flag-raisings, one capped away to nothing, a volunteer day and one late arrival.
    for (auto [item, cents] :
         {std::pair{"A1", 200}, {"A1", 200}, {"A1", 0}, {"B1", 500}, {"A2", -100}}) {
      context_.awards.push_back({rules_.FindItem(item), Points::FromCents(cents)});
    }
    context_.earned = Points::FromWhole(10);
    context_.members = 3;
  }
  bool Holds(const std::string& code) const {
    return EvaluateCondition(*Bonus(code).when, context_);
  }
  const grammar::Bonus& Bonus(const std::string& code) const {
    for (const auto& b : rules_.bonuses) {
      if (b.code == code) return b;
    }
    throw std::logic_error("no bonus " + code);
  }

  grammar::RuleFile rules_;
  BonusContext context_;
};

TEST_F(BonusTest, SelectorsCountAwardsThatCountedAndSumTheirPoints) {
  EXPECT_TRUE(Holds("X1"));  // the capped-away award is not counted
  EXPECT_TRUE(Holds("X2"));
  context_.awards.pop_back();  // without the late arrival
  EXPECT_FALSE(Holds("X1"));
}

TEST_F(BonusTest, FractionsAreExact) {
  EXPECT_TRUE(Holds("X3"));  // 10 / 3 lies strictly between 3.33 and 3.34
  EXPECT_TRUE(Holds("X4"));  // 0.1 + 0.2 == 0.3, and 10 / 3 * 3 == 10 exactly
}

TEST_F(BonusTest, AComparisonThatDividesByZeroIsFalseAndItsNegationTrue) {
  EXPECT_TRUE(Holds("X5"));
  EXPECT_FALSE(Holds("X6"));
  context_.members = 0;
  EXPECT_FALSE(Holds("X5"));
  EXPECT_TRUE(Holds("X6"));
  EXPECT_FALSE(Holds("X3"));
}

TEST_F(BonusTest, OrNeedsOneSideAndNotNegates) {
  EXPECT_TRUE(Holds("X7"));   // earned 10 >= 10
  EXPECT_FALSE(Holds("X8"));  // a late arrival, and earned is not above 10
  EXPECT_TRUE(Holds("X9"));   // 1 * 10 <= 10
  context_.earned = Points::FromCents(999);
  EXPECT_FALSE(Holds("X7"));
  EXPECT_FALSE(Holds("X9"));
}

TEST_F(BonusTest, ALongSumStaysExact) {
  // 25 terms of 1/100ths: kept in lowest terms, the sum never nears 128 bits.
  EXPECT_TRUE(Holds("XL"));
  context_.earned = Points::FromCents(1);
  EXPECT_TRUE(Holds("XL"));
}

TEST_F(BonusTest, TheDescriptionShowsEachSidesValueAndTheVerdict) {
  EXPECT_EQ(DescribeCondition(*Bonus("X8").when, context_),
            "count(negative) = 1 == 0 ✗ or earned = 10 > 10 ✗");
  EXPECT_EQ(DescribeCondition(*Bonus("X3").when, context_),
            "earned / members = 3.33 > 3.33 ✓ and earned / members = 3.33 < 3.34 ✓");
  context_.members = 0;
  EXPECT_EQ(DescribeCondition(*Bonus("X6").when, context_),
            "not (earned / members = undefined (division by zero) >= 0 ✗)");
}

}  // namespace
}  // namespace jifen::engine
