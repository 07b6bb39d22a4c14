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

}  // namespace
}  // namespace jifen

namespace jifen {
namespace {

TEST(Quantity, ParsesPositiveDecimalsWithTwoDigitsAtMostExactly) {
  EXPECT_EQ(Quantity::Parse("2.5")->hundredths(), 250);
  EXPECT_EQ(Quantity::Parse("0.75")->hundredths(), 75);
  EXPECT_EQ(Quantity::Parse("3")->hundredths(), 300);
  EXPECT_EQ(Quantity::Parse("1.0")->hundredths(), 100);
  EXPECT_EQ(Quantity::Parse("0")->hundredths(), 0);  // parsed; the range is the caller's to check
  for (const char* bad :
       {"", ".5", "5.", "1.555", "2.500", "-1", "+1", "1e2", "01", "1,5", " 1", "1 ", "0x10"}) {
    EXPECT_FALSE(Quantity::Parse(bad).has_value()) << bad;
  }
  EXPECT_EQ(Quantity::Parse("2.50")->ToString(), "2.5");
  EXPECT_EQ(Quantity::FromWhole(4).ToString(), "4");
  EXPECT_EQ(Quantity::FromHundredths(5).ToString(), "0.05");
  EXPECT_TRUE(Quantity().IsWhole());
  EXPECT_EQ(Quantity(), Quantity::FromWhole(1));
}

TEST(Quantity, PointsTimesQtyRoundHalfAwayFromZero) {
  EXPECT_EQ(Points::Parse("0.5")->Times(*Quantity::Parse("2.01")),
            *Points::Parse("1.01"));  // 1.005
  EXPECT_EQ(Points::Parse("-0.5")->Times(*Quantity::Parse("2.01")),
            *Points::Parse("-1.01"));  // -1.005
  EXPECT_EQ(Points::Parse("0.5")->Times(*Quantity::Parse("0.75")),
            *Points::Parse("0.38"));                                            // 0.375
  EXPECT_EQ(Points::Parse("0.33")->Times(*Quantity::Parse("0.01")), Points());  // 0.0033
  EXPECT_EQ(Points::Parse("2")->Times(*Quantity::Parse("1.5")), Points::FromWhole(3));
  EXPECT_EQ(Points::Parse("-3")->Times(Quantity::FromWhole(4)), Points::FromWhole(-12));
  // The largest quantity times a large value stays exact (the product needs 128 bits).
  EXPECT_EQ(Points::FromWhole(1'000'000'000).Times(*Quantity::Parse("999999.99")).cents(),
            int64_t{99'999'999'000'000'000});
}

}  // namespace
}  // namespace jifen
