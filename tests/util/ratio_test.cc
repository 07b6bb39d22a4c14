// Exact fractions (util/ratio.h): compared without rounding, rounded once, half away from zero.
#include "util/ratio.h"

#include <gtest/gtest.h>

namespace jifen {
namespace {

TEST(Ratio, RoundsHalfAwayFromZero) {
  EXPECT_EQ(Ratio(2300, 12).RoundHalfAway(), 192);    // 191.66
  EXPECT_EQ(Ratio(-2000, 12).RoundHalfAway(), -167);  // -166.66
  EXPECT_EQ(Ratio(5, 2).RoundHalfAway(), 3);
  EXPECT_EQ(Ratio(-5, 2).RoundHalfAway(), -3);
  EXPECT_EQ(Ratio(5, -2).RoundHalfAway(), -3);  // the sign of a negative denominator moves up
  EXPECT_EQ(Ratio(4, 2).RoundHalfAway(), 2);
  EXPECT_EQ(Ratio(7, 5).RoundHalfAway(), 1);
  EXPECT_EQ(Ratio().RoundHalfAway(), 0);
}

TEST(Ratio, ToPointsRoundsToTheCent) {
  EXPECT_EQ(Ratio(700, 400).ToPoints(), Points::FromCents(175));  // 7 points / 4
  EXPECT_EQ(Ratio(1, 200).ToPoints(), Points::FromCents(1));      // half a cent: away from zero
  EXPECT_EQ(Ratio(-1, 200).ToPoints(), Points::FromCents(-1));
  EXPECT_EQ(Ratio(1, 3).ToPoints(), Points::FromCents(33));
  EXPECT_EQ(Ratio(2, 3).ToPoints(), Points::FromCents(67));
  EXPECT_EQ(Ratio::OfPoints(Points::FromCents(-1250)).ToPoints(), Points::FromCents(-1250));
}

TEST(Ratio, ComparesExactlyWhereDecimalsWouldTie) {
  EXPECT_EQ(Ratio(1, 3), Ratio(2, 6));
  EXPECT_LT(Ratio(1, 3), Ratio(34, 100));
  EXPECT_GT(Ratio(1, 3), Ratio(33, 100));
  // 10/3 and 333/100 both show as 3.33 but are not equal.
  EXPECT_EQ(Ratio(10, 3).ToPoints(), Ratio(333, 100).ToPoints());
  EXPECT_NE(Ratio(10, 3), Ratio(333, 100));
  EXPECT_LT(Ratio(-1, 2), Ratio());
  EXPECT_EQ(Ratio(3, -4), Ratio(-3, 4));
}

TEST(Ratio, ArithmeticIsExact) {
  Ratio third(1, 3);
  EXPECT_EQ(third + third + third, Ratio::Whole(1));
  EXPECT_EQ(Ratio::Whole(1) - third, Ratio(2, 3));
  EXPECT_EQ(third * Ratio::Whole(3), Ratio::Whole(1));
  EXPECT_EQ(Ratio::Whole(1) / Ratio(-3, 1), Ratio(-1, 3));
  EXPECT_EQ(Ratio(-1, 3).den(), 3);  // the denominator stays positive
  EXPECT_EQ((Ratio::Whole(1) / Ratio(-3, 1)).den(), 3);
  EXPECT_EQ(-third, Ratio(-1, 3));
  EXPECT_TRUE(Ratio(0, 7).IsZero());
  EXPECT_FALSE(third.IsZero());
}

TEST(Ratio, ProductsOfLargeFiguresDoNotOverflow) {
  // A village's year: 10^12 cents shared by 10^6 households, compared with its neighbour.
  Ratio a(int64_t{1'000'000'000'000}, int64_t{100'000'000});
  Ratio b(int64_t{999'999'999'999}, int64_t{100'000'000});
  EXPECT_GT(a, b);
  EXPECT_EQ(a.ToPoints(), Points::FromCents(1'000'000));
}

TEST(Ratio, StaysInLowestTermsSoLongSumsDoNotOverflow) {
  EXPECT_EQ(Ratio(200, 100).num(), 2);
  EXPECT_EQ(Ratio(200, 100).den(), 1);
  EXPECT_EQ(Ratio(0, 7).den(), 1);
  // 60 sums of one point (100/100 each): unreduced, the denominator would be 100^60.
  Ratio sum;
  for (int i = 0; i < 60; ++i) sum = sum + Ratio::OfPoints(Points::FromWhole(1));
  EXPECT_EQ(sum, Ratio::Whole(60));
  EXPECT_EQ(sum.den(), 1);
  Ratio cents;
  for (int i = 0; i < 60; ++i) cents = cents + Ratio::OfPoints(Points::FromCents(1));
  EXPECT_EQ(cents.ToPoints(), Points::FromCents(60));
}

}  // namespace
}  // namespace jifen
