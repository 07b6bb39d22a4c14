#include "util/date.h"
#include "util/time_label.h"

#include <gtest/gtest.h>

namespace jifen {
namespace {

TEST(Date, RefusesDaysThatDoNotExist) {
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_FALSE(Date::Parse("2022-02-29"));
  EXPECT_FALSE(Date::Parse("2022-02-30"));
  EXPECT_FALSE(Date::Parse("0000-01-01"));
  EXPECT_FALSE(Date::Parse("2022-1-01"));
  EXPECT_FALSE(Date::Parse("2022-13-01"));
  EXPECT_EQ(Date::Parse("2022-03-05")->ToString(), "2022-03-05");
}

TEST(Timestamp, KeepsItsOwnOffsetForTheLocalDay) {
  auto ts = Timestamp::Parse("2022-03-31T23:30:00+08:00");
  ASSERT_TRUE(ts);
  EXPECT_EQ(ts->LocalDate().ToString(), "2022-03-31");
  EXPECT_EQ(ts->ToString(), "2022-03-31T23:30:00+08:00");
  auto utc = Timestamp::Parse("2022-03-31T15:30:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(utc->utc_seconds, ts->utc_seconds);
  EXPECT_FALSE(Timestamp::Parse("2022-03-31T23:30:00"));
  EXPECT_FALSE(Timestamp::Parse("2022-03-31T24:00:00Z"));
}

TEST(Timestamp, AsOfADateMeansTheEndOfThatDayInChina) {
  auto t = ParseAsOf("2022-03-31");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ToString(), "2022-03-31T23:59:59+08:00");
}

TEST(Period, MonthsAndQuarters) {
  auto m = Period::Parse("2022-03");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->FirstDay().ToString(), "2022-03-01");
  EXPECT_EQ(m->LastDay().ToString(), "2022-03-31");
  auto q = Period::Parse("2022-Q4");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->FirstDay().ToString(), "2022-10-01");
  EXPECT_EQ(q->LastDay().ToString(), "2022-12-31");
  EXPECT_EQ(q->Next().ToString(), "2023-Q1");
  EXPECT_EQ(Period::Containing(*Date::Parse("2022-05-20"), PeriodKind::kQuarter).ToString(),
            "2022-Q2");
  EXPECT_FALSE(Period::Parse("2022-Q5"));
  EXPECT_FALSE(Period::Parse("2022-00"));
}

}  // namespace
}  // namespace jifen

// A recorded moment on a page: China Standard Time to the minute, whatever offset it was written
// in (a server on UTC writes +00:00), the day turning over at midnight in Beijing.
TEST(ClockLabel, SaysTheMomentInChinaStandardTime) {
  auto utc = *jifen::Timestamp::Parse("2024-01-31T21:30:59+00:00");
  EXPECT_EQ(jifen::ClockLabel(utc, false), "2024年2月1日 05:30");
  EXPECT_EQ(jifen::ClockLabel(utc, true), "2024-02-01 05:30 (UTC+8)");
  auto beijing = *jifen::Timestamp::Parse("2024-12-07T08:05:00+08:00");
  EXPECT_EQ(jifen::ClockLabel(beijing, false), "2024年12月7日 08:05");
  auto west = *jifen::Timestamp::Parse("1999-12-31T10:00:00-06:00");  // 2000-01-01 00:00 in Beijing
  EXPECT_EQ(jifen::ClockLabel(west, false), "2000年1月1日 00:00");
}
