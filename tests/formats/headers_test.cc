// The table of a clerk's columns and spreadsheet dates (formats/headers.h).
#include "formats/headers.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace jifen::formats {
namespace {

std::string FieldOf(std::string_view header) {
  bool zh = false;
  const ColumnName* c = FindColumn(header, &zh);
  return c == nullptr ? "-" : std::string(c->field) + (zh ? "/zh" : "/en");
}

TEST(Headers, ChineseAndEnglishNamesOfOneTable) {
  EXPECT_EQ(FieldOf("户号"), "household/zh");
  EXPECT_EQ(FieldOf("所在户"), "household/zh");
  EXPECT_EQ(FieldOf("姓名"), "name/zh");
  EXPECT_EQ(FieldOf("项目"), "item/zh");
  EXPECT_EQ(FieldOf(" 日期* "), "date/zh");
  EXPECT_EQ(FieldOf("数量（小时）"), "qty/zh");
  EXPECT_EQ(FieldOf("qty (hours)"), "qty/en");
  EXPECT_EQ(FieldOf("Subject"), "subject/en");
  EXPECT_EQ(FieldOf("颜色"), "-");
  // Every field of every kind a clerk handles has a Chinese and an English header.
  for (RecordType t : {RecordType::kHousehold, RecordType::kPerson, RecordType::kMove,
                       RecordType::kScorer, RecordType::kAward, RecordType::kRedeem,
                       RecordType::kRevoke, RecordType::kApprove, RecordType::kObjection}) {
    EXPECT_FALSE(TemplateColumns(t).empty()) << RecordTypeName(t);
    std::set<std::string> english;
    for (const ColumnName& c : ColumnNames()) {
      if (c.en != nullptr) {
        EXPECT_TRUE(english.insert(c.en).second) << c.en << " twice";
      }
    }
  }
}

TEST(Headers, KindWords) {
  EXPECT_EQ(KindFromWord("户"), RecordType::kHousehold);
  EXPECT_EQ(KindFromWord("人员"), RecordType::kPerson);
  EXPECT_EQ(KindFromWord("积分"), RecordType::kAward);
  EXPECT_EQ(KindFromWord("Award"), RecordType::kAward);
  EXPECT_EQ(KindFromWord("审核"), RecordType::kApprove);
  EXPECT_EQ(KindFromWord("异议"), RecordType::kObjection);
  EXPECT_FALSE(KindFromWord("规则"));
  EXPECT_STREQ(KindWord(RecordType::kRedeem, true), "兑换");
}

TEST(Headers, DatesAsSpreadsheetsWriteThem) {
  for (const char* text : {"2022-03-05", "2022-3-5", "2022/3/5", "2022/03/05", "2022.3.5",
                           "2022年3月5日", "2022年03月05日", "20220305", "2022/3/5 0:00",
                           "2022-03-05 00:00:00", "2022-03-05T08:30:00", " 2022/3/5 "}) {
    auto d = ParseSpreadsheetDate(text);
    ASSERT_TRUE(d) << text;
    EXPECT_EQ(d->ToString(), "2022-03-05") << text;
  }
  for (const char* text : {"2022/2/30", "2022/13/1", "3/5/2022", "2022-03", "2022年3月", "20221305",
                           "2022/3/5 25:00", "2022/3/5x", "", "二〇二二年三月五日"}) {
    EXPECT_FALSE(ParseSpreadsheetDate(text)) << text;
  }
}

TEST(Headers, DateSerialNumbers) {
  EXPECT_EQ(DateFromSerial("44625", false)->ToString(), "2022-03-05");
  EXPECT_EQ(DateFromSerial("44625.75", false)->ToString(), "2022-03-05");  // 18:00 that day
  EXPECT_EQ(DateFromSerial("1", false)->ToString(), "1900-01-01");
  EXPECT_EQ(DateFromSerial("61", false)->ToString(), "1900-03-01");
  EXPECT_FALSE(DateFromSerial("60", false));  // Excel's 1900-02-29, which never was
  EXPECT_EQ(DateFromSerial("43163", true)->ToString(), "2022-03-05");  // the 1904 system
  EXPECT_FALSE(DateFromSerial("-1", false));
  EXPECT_FALSE(DateFromSerial("1e5", false));
  EXPECT_FALSE(DateFromSerial("99999999", false));
}

TEST(Headers, ColumnLetters) {
  EXPECT_EQ(ColumnLetters(0), "A");
  EXPECT_EQ(ColumnLetters(25), "Z");
  EXPECT_EQ(ColumnLetters(26), "AA");
  EXPECT_EQ(ColumnLetters(16383), "XFD");
}

}  // namespace
}  // namespace jifen::formats

namespace jifen::formats {
namespace {

// docs/IMPORT.md "Columns" lists every header of the table.
TEST(Headers, DocsImportListsEveryHeader) {
  std::ifstream in(std::string(JIFEN_SOURCE_DIR) + "/docs/IMPORT.md");
  std::stringstream doc;
  doc << in.rdbuf();
  for (const ColumnName& c : ColumnNames()) {
    EXPECT_NE(doc.str().find(c.zh), std::string::npos) << c.zh;
    if (c.en != nullptr) {
      EXPECT_NE(doc.str().find(std::string("| ") + c.en + " |"), std::string::npos) << c.en;
    }
  }
}

}  // namespace
}  // namespace jifen::formats
