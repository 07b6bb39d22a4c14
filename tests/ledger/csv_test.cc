#include "ledger/csv.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/ledger/ledger_test_util.h"
#include "util/text.h"

namespace jifen::ledger {
namespace {

const char kAwards[] =
    "id,village,date,subject,item,qty,scorer,place,reason,evidence,recorded\r\n"
    "SYS-0001,SYS,2022-03-05,P0101,C1.01,1,S1,村委会广场,升旗仪式,photo:0305-01.jpg;photo:0305-02."
    "jpg,"
    "2022-03-06T10:00:00+08:00\r\n"
    "SYS-0002,SYS,2022-03-06,P0102,C5.01,3,S1,\"东街, 老槐树下\",\"清扫 \"\"公共\"\" 道路\",,\r\n";

std::vector<CsvRow> ReadOk(std::string_view bytes) {
  auto rows = ReadCsvRecords(bytes, "in.csv");
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  return rows.ok() ? std::move(rows.value()) : std::vector<CsvRow>{};
}

TEST(Csv, ReadsAwardRowsWithQuotingAndCrLf) {
  auto rows = ReadOk(kAwards);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2);
  ASSERT_TRUE(rows[0].record.ok()) << rows[0].record.status().message();
  const Record& a = rows[0].record.value();
  EXPECT_EQ(a.type, RecordType::kAward);
  EXPECT_EQ(a.id, "SYS-0001");
  EXPECT_EQ(a.place, "村委会广场");
  EXPECT_EQ(a.evidence, (std::vector<std::string>{"photo:0305-01.jpg", "photo:0305-02.jpg"}));
  EXPECT_TRUE(a.recorded_given);
  EXPECT_EQ(rows[1].line, 3);
  ASSERT_TRUE(rows[1].record.ok()) << rows[1].record.status().message();
  const Record& b = rows[1].record.value();
  EXPECT_EQ(b.qty, Quantity::FromWhole(3));
  EXPECT_EQ(b.place, "东街, 老槐树下");
  EXPECT_EQ(b.reason, "清扫 \"公共\" 道路");
  EXPECT_TRUE(b.evidence.empty());
  EXPECT_FALSE(b.recorded_given);
}

TEST(Csv, AQuotedLineBreakCountsForTheLineNumbersThatFollow) {
  std::string text =
      "village,date,subject,item,scorer,place\n"
      "SYS,2022-03-05,P1,C1,S1,\"两行\n地点\"\n"
      "SYS,2022-03-05,P1,C1,S1,广场\n";
  auto rows = ReadOk(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_FALSE(rows[0].record.ok());
  EXPECT_EQ(rows[0].record.status().message(), "field \"place\": control character at byte 6");
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_TRUE(rows[1].record.ok());
}

TEST(Csv, AByteOrderMarkIsDropped) {
  std::string text = std::string("\xEF\xBB\xBF") +
                     "household,reward,qty,date,scorer,village\n"
                     "H01,R01,2,2022-03-20,S3,SYS\n";
  auto rows = ReadOk(text);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].record.ok()) << rows[0].record.status().message();
  EXPECT_EQ(rows[0].record->type, RecordType::kRedeem);
  EXPECT_EQ(rows[0].record->qty, Quantity::FromWhole(2));
}

TEST(Csv, GB18030SavedByExcelIsConverted) {
  testing::TempDir tmp;
  std::string utf8_path = tmp.Sub("utf8.csv"), gb_path = tmp.Sub("gb.csv");
  std::ofstream(utf8_path, std::ios::binary) << kAwards;
  std::string command = "iconv -f UTF-8 -t GB18030 " + utf8_path + " > " + gb_path;
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(gb_path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  ASSERT_FALSE(IsValidUtf8(bytes.str()));
  auto rows = ReadOk(bytes.str());
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0].record.ok());
  EXPECT_EQ(rows[0].record->place, "村委会广场");
  EXPECT_EQ(rows[1].record->place, "东街, 老槐树下");
}

TEST(Csv, BytesThatAreNeitherUtf8NorGB18030AreRefused) {
  auto rows = ReadCsvRecords("item,village\n\x81\x20\n", "bad.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().message().starts_with("bad.csv: neither UTF-8 nor GB18030"))
      << rows.status().message();
}

TEST(Csv, BadRowsAreReportedWithTheirLinesAndGoodRowsStillRead) {
  std::string text =
      "type,id,village,date,subject,item,scorer,household,reward\n"
      "award,a1,SYS,2022-03-05,P1,C1,S1,,\n"
      "\n"
      "award,a2,SYS,2022-02-30,P1,C1,S1,,\n"
      "redeem,r1,SYS,2022-03-05,,,S1,H01,R01\n"
      "award,a3,SYS,2022-03-05,P1,C1,S1\n"
      "household,h1,SYS,2022-03-05,,,,,\n"
      "award,a4,SYS,2022-03-05,P1,C1,S1,H01,\n"
      "award,\"a5\"x,SYS,2022-03-05,P1,C1,S1,,\n";
  auto rows = ReadOk(text);
  ASSERT_EQ(rows.size(), 7u);
  auto reason = [&](size_t i) {
    return rows[i].record.ok() ? std::string("ok") : rows[i].record.status().message();
  };
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(reason(0), "ok");
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_EQ(reason(1), "field \"date\": not a date: 2022-02-30");
  EXPECT_EQ(reason(2), "ok");
  EXPECT_EQ(rows[3].line, 6);
  EXPECT_EQ(reason(3), "row has 7 fields, the header 9");
  EXPECT_EQ(reason(4), "field \"type\": CSV rows are award or redeem records, not household");
  EXPECT_EQ(reason(5), "unknown field \"household\" for a award record");
  EXPECT_EQ(rows[6].line, 9);
  EXPECT_EQ(reason(6), "text after a closing quote");
}

TEST(Csv, HeaderProblemsRefuseTheFile) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"village,date\nSYS,2022-03-05\n",
       "in.csv:1: header names neither \"item\" (award rows) nor \"reward\" (redeem rows), or "
       "both"},
      {"item,reward\n", "in.csv:1: header names neither"},
      {"item,colour\n", "in.csv:1: unknown column \"colour\""},
      {"item,item\n", "in.csv:1: column \"item\" appears twice"},
      {"item,,date\n", "in.csv:1: column 2 has no name"},
      {"item,household\n", "in.csv:1: column \"household\" is not a field of award rows"},
      {"\n\n", "in.csv:1: no header row"},
      {"item,village\nC1,\"SYS\n", "in.csv:2: quoted field never closed"},
  };
  for (const auto& c : cases) {
    auto rows = ReadCsvRecords(c.text, "in.csv");
    ASSERT_FALSE(rows.ok()) << c.text;
    EXPECT_TRUE(rows.status().message().starts_with(c.message))
        << "got: " << rows.status().message() << "\nwant: " << c.message;
  }
}

TEST(Csv, NumbersAndEvidenceAreReadFromText) {
  std::string text =
      "village,date,subject,item,scorer,qty,evidence\n"
      "SYS,2022-03-05,P1,C1,S1,12,a.jpg | b.jpg ;c.jpg\n"
      "SYS,2022-03-05,P1,C1,S1,+3,\n"
      "SYS,2022-03-05,P1,C1,S1,1.0,\n"
      "SYS,2022-03-05,P1,C1,S1,,\n";
  auto rows = ReadOk(text);
  ASSERT_EQ(rows.size(), 4u);
  ASSERT_TRUE(rows[0].record.ok());
  EXPECT_EQ(rows[0].record->qty, Quantity::FromWhole(12));
  EXPECT_EQ(rows[0].record->evidence, (std::vector<std::string>{"a.jpg", "b.jpg", "c.jpg"}));
  EXPECT_EQ(rows[1].record.status().message(),
            "field \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: +3");
  EXPECT_EQ(rows[2].record->qty, Quantity::FromWhole(1));  // 1.0, as a spreadsheet may write it
  EXPECT_EQ(rows[3].record->qty, Quantity::FromWhole(1));
}

}  // namespace
}  // namespace jifen::ledger
