// Text helpers (util/text.h): UTF-8 validation, display width for terminal tables, and the ways
// a report writes lists and decimals.
#include "util/text.h"

#include <gtest/gtest.h>

#include <string>

namespace jifen {
namespace {

using namespace std::string_literals;

TEST(Text, ValidUtf8HasNoBadSequenceAndNoNul) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("双杨树村 ✓ 😀"));
  EXPECT_FALSE(IsValidUtf8("a\0b"s));             // NUL
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE5\x8F"));          // truncated 双
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Text, FindInvalidUtf8NamesTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("村民"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("村\xFF民"), 3u);
  EXPECT_EQ(FindInvalidUtf8("ab\0"s), 2u);
  EXPECT_EQ(FindInvalidUtf8("x\xE5\x8F"), 1u);
}

TEST(Text, CodePointsAndDisplayColumns) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("双杨树"), 3u);
  EXPECT_EQ(CodePointCount("a\xFF"
                           "b"),
            3u);  // an invalid byte counts one
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("双杨树"), 6u);     // CJK takes two columns
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute: one column
  EXPECT_EQ(DisplayWidth("（1）"), 5u);      // fullwidth brackets are wide
}

TEST(Text, PaddingCountsColumnsAndNeverCuts) {
  EXPECT_EQ(PadRight("张三", 6), "张三  ");
  EXPECT_EQ(PadLeft("12.5", 6), "  12.5");
  EXPECT_EQ(PadRight("双杨树村", 4), "双杨树村");  // already wider: unchanged
  EXPECT_EQ(PadLeft("", 2), "  ");
}

TEST(Text, JoinPutsTheSeparatorBetweenOnly) {
  EXPECT_EQ(Join({}, "、"), "");
  EXPECT_EQ(Join({"最美家庭"}, "、"), "最美家庭");
  EXPECT_EQ(Join({"最美家庭", "文明家庭", "道德模范"}, "、"), "最美家庭、文明家庭、道德模范");
  EXPECT_EQ(Join({"a", "", "b"}, ", "), "a, , b");
}

TEST(Text, FixedPercentAndRounding) {
  EXPECT_EQ(Fixed(0.5, 2), "0.50");
  EXPECT_EQ(Fixed(2.0 / 3.0, 3), "0.667");
  EXPECT_EQ(Fixed(-1.25, 0), "-1");  // printf rounds the binary value half to even
  EXPECT_EQ(Percent(0.256), "25.6%");
  EXPECT_EQ(Percent(0), "0.0%");
  EXPECT_EQ(Percent(1), "100.0%");
  EXPECT_DOUBLE_EQ(RoundDecimals(0.123456, 3), 0.123);
  EXPECT_DOUBLE_EQ(RoundDecimals(0.1235, 3), 0.124);
  EXPECT_DOUBLE_EQ(RoundDecimals(-0.0004, 3), -0.0);
  EXPECT_DOUBLE_EQ(RoundDecimals(2.5, 0), 3.0);
}

}  // namespace
}  // namespace jifen
