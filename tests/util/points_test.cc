#include "util/points.h"

#include <gtest/gtest.h>

namespace jifen {
namespace {

TEST(Points, ParsesSignedDecimalsWithTwoDigitsAtMost) {
  EXPECT_EQ(Points::Parse("+2")->cents(), 200);
  EXPECT_EQ(Points::Parse("-10")->cents(), -1000);
  EXPECT_EQ(Points::Parse("0.5")->cents(), 50);
  EXPECT_EQ(Points::Parse("12.05")->cents(), 1205);
  EXPECT_FALSE(Points::Parse("1.234"));
  EXPECT_FALSE(Points::Parse("1."));
  EXPECT_FALSE(Points::Parse(".5"));
  EXPECT_FALSE(Points::Parse("+"));
  EXPECT_FALSE(Points::Parse("99999999999999"));
}

TEST(Points, PrintsTheShortestExactForm) {
  EXPECT_EQ(Points::FromCents(1250).ToString(), "12.5");
  EXPECT_EQ(Points::FromCents(-300).ToString(), "-3");
  EXPECT_EQ(Points::FromCents(5).ToString(), "0.05");
  EXPECT_EQ(Points::FromCents(-5).ToString(), "-0.05");
  EXPECT_EQ(Points::FromCents(200).ToSignedString(), "+2");
}

TEST(Points, RoundsHalfAwayFromZero) {
  EXPECT_EQ(DivideRoundHalfAway(2300, 12), 192);   // 23/12 = 1.9166
  EXPECT_EQ(DivideRoundHalfAway(-2000, 12), -167);  // -1.666
  EXPECT_EQ(DivideRoundHalfAway(5, 2), 3);
  EXPECT_EQ(DivideRoundHalfAway(-5, 2), -3);
  EXPECT_EQ(DivideRoundHalfAway(4, 2), 2);
}

}  // namespace
}  // namespace jifen
