#include "formats/csv.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/ledger/ledger_test_util.h"
#include "util/text.h"

namespace jifen::formats {
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
  EXPECT_EQ(rows[0].record.status().message(), "column F \"place\": control character at byte 6");
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
  tests::ScratchDir tmp;
  std::string utf8_path = tmp.Path("utf8.csv"), gb_path = tmp.Path("gb.csv");
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
  EXPECT_EQ(
      reason(1),
      "column D \"date\": not a date: 2022-02-30 (write 2022-03-05, 2022/3/5 or 2022年3月5日)");
  EXPECT_EQ(reason(2), "ok");
  EXPECT_EQ(rows[3].line, 6);
  EXPECT_EQ(reason(3), "row has 7 fields, the header 9");
  // Every kind of record a clerk handles may be a CSV row now; this one lacks its fields.
  EXPECT_EQ(reason(4), "column B \"id\": not a field of household rows");
  EXPECT_EQ(reason(5), "column H \"household\": not a field of award rows");
  EXPECT_EQ(rows[6].line, 9);
  EXPECT_EQ(reason(6), "text after a closing quote");
}

TEST(Csv, HeaderProblemsRefuseTheFile) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"village,date\nSYS,2022-03-05\n",
       "in.csv:1: the header does not tell what the rows record; add a \"type\" column"},
      {"item,reward\n", "in.csv:1: the header does not tell what the rows record"},
      {"item,colour\n", "in.csv:1: unknown column \"colour\""},
      {"item,item\n", "in.csv:1: column \"item\" appears twice"},
      {"item,,date\n", "in.csv:1: column 2 has no name"},
      {"item,village\n",
       "in.csv:1: missing the columns that award rows require: \"date\", \"subject\", \"scorer\""},
      {"项目,村\n", "in.csv:1: 缺少积分记录必填的列：「日期」、「对象」、「采集人」"},
      {"项目,颜色\n", "in.csv:1: B 列「颜色」：不认识的列名"},
      {"\n\n", "in.csv:1: no header row"},
      {"type,village\naward,\"SYS\n", "in.csv:2: quoted field never closed"},
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
  EXPECT_EQ(
      rows[1].record.status().message(),
      "column F \"qty\": not a positive decimal up to 1000000 with at most 2 fractional digits: +3");
  EXPECT_EQ(rows[2].record->qty, Quantity::FromWhole(1));  // 1.0, as a spreadsheet may write it
  EXPECT_EQ(rows[3].record->qty, Quantity::FromWhole(1));
}

}  // namespace
}  // namespace jifen::formats

namespace jifen::formats {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(JIFEN_SOURCE_DIR) + "/tests/data/import/" + name, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string Reason(const CsvRow& row) {
  return row.record.ok() ? "ok" : row.record.status().message();
}

TEST(CsvChinese, ARosterWithATypeColumnAndDatesAsSpreadsheetsWriteThem) {
  auto rows = ReadCsvRecords(Fixture("花名册.csv"), "花名册.csv");  // UTF-8 with BOM, CRLF
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 8u);
  for (const CsvRow& row : *rows) ASSERT_EQ(Reason(row), "ok") << row.line;
  const Record& h2 = (*rows)[1].record.value();
  EXPECT_EQ(h2.type, RecordType::kHousehold);
  EXPECT_EQ(h2.code, "H02");
  EXPECT_EQ(h2.village, "双杨树村");            // a name: import resolves it (engine/names.h)
  EXPECT_EQ(h2.date.ToString(), "2022-01-01");  // 2022年1月1日
  EXPECT_EQ(h2.shares, 2);
  const Record& p = (*rows)[4].record.value();
  EXPECT_EQ(p.type, RecordType::kPerson);
  EXPECT_EQ(p.code, "P0102");
  EXPECT_EQ(p.household, "张建国");                        // 所在户 by name
  EXPECT_EQ((*rows)[6].record->resident, "non-villager");  // 非村民
}

TEST(CsvChinese, AwardsInGB18030WithNamesAndRecordedTimesAsSpreadsheetsWriteThem) {
  std::string bytes = Fixture("登记-gb18030.csv");
  ASSERT_FALSE(IsValidUtf8(bytes));
  auto rows = ReadCsvRecords(bytes, "登记.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  for (const CsvRow& row : *rows) ASSERT_EQ(Reason(row), "ok") << row.line;
  const Record& a = (*rows)[0].record.value();
  EXPECT_EQ(a.item, "参加升国旗仪式");
  EXPECT_EQ(a.date.ToString(), "2022-03-05");
  EXPECT_EQ(a.recorded.ToString(), "2022-03-06T10:00:00+08:00");  // 2022/3/6 10:00 at +08:00
  EXPECT_EQ((*rows)[1].record->reason, "门前\"三包\"");
  const Record& c = (*rows)[2].record.value();
  EXPECT_EQ(c.date.ToString(), "2022-03-07");
  EXPECT_EQ(c.qty, Quantity::FromHundredths(250));
  EXPECT_EQ(c.evidence,
            (std::vector<std::string>{"photo-0307.jpg", "photo-0307b.jpg"}));  // split on ；
}

TEST(CsvChinese, RefusalsNameTheColumnInChinese) {
  std::string text =
      "日期,村,对象,项目,数量,采集人,奖品\n"
      "2022/13/5,SYS,P1,C1,1,S1,\n"
      "2022/3/5,SYS,P1,C1,0.125,S1,\n"
      "2022/3/5,SYS,,C1,1,S1,\n"
      "2022/3/5,SYS,P1,C1,1,S1,R01\n"
      "2022/3/5 8:00,SYS,P1,C1,1,S1,\n";
  auto rows = ReadCsvRecords(text, "登记.csv");
  // 奖品 is a redemption's column: with 项目 too, the kind of row is not clear.
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(
      rows.status().message(),
      "登记.csv:1: 从列名看不出这些行是什么记录；请加一列「类型」（户、人员、迁户、采集人、积分、兑换、撤销、审核、"
      "公示、异议、裁定）");
  text.replace(0, text.find('\n'), "日期,村,对象,项目,数量,采集人,证据");
  rows = ReadCsvRecords(text, "登记.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ(Reason((*rows)[0]),
            "A 列「日期」：不是日期：2022/13/5（可写 2022-03-05、2022/3/5 或 2022年3月5日）");
  EXPECT_EQ(Reason((*rows)[1]),
            "E 列「数量」：应为大于 0、最多两位小数、不超过 1000000 的数：0.125");
  EXPECT_EQ(Reason((*rows)[2]), "C 列「对象」：空白（「积分」行必填）");
  EXPECT_EQ(Reason((*rows)[3]), "ok");
  EXPECT_EQ(Reason((*rows)[4]), "ok");  // a date with a time of day
}

TEST(CsvChinese, ATypeColumnMixesKindsAndSeveralColumnsMayFillOneField) {
  std::string text =
      "类型,村,户号,户名,人员编号,姓名,所在户,起始日期\n"
      "户,SYS,H01,张家,,,,2022-01-01\n"
      "人员,SYS,,,P1,张三,H01,2022-01-01\n"
      "人员,SYS,H01,,P2,张四,H02,2022-01-01\n"
      "示例,SYS,H09,样例,,,,2022-01-01\n"
      "积分,SYS,H01,,,,,2022-01-01\n"
      "家具,SYS,H01,,,,,2022-01-01\n";
  auto rows = ReadCsvRecords(text, "花名册.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 5u);  // the example row (示例) is skipped
  EXPECT_EQ(Reason((*rows)[0]), "ok");
  EXPECT_EQ((*rows)[1].record->household, "H01");
  EXPECT_EQ(Reason((*rows)[2]), "C 列「户号」与G 列「所在户」填的是同一项，只能填一个");
  EXPECT_EQ(Reason((*rows)[3]), "C 列「户号」：「积分」行不填这一列");
  EXPECT_EQ((*rows)[3].line, 6);
  EXPECT_EQ(
      Reason((*rows)[4]),
      "A 列「类型」：不认识的类型「家具」（可写 户、人员、迁户、采集人、积分、兑换、撤销、审核、公示、异议、裁定）");
}

}  // namespace
}  // namespace jifen::formats

namespace jifen::formats {
namespace {

TEST(CsvChinese, EveryKindAClerkHandles) {
  std::string text =
      "类型,村,编号,户号,户名,人员编号,姓名,角色,起始日期,日期,对象,项目,数量,奖品,采集人,事由,对应记录,期间,提出人,裁定结果\n"
      "户,SYS,,H09,新户,,,,2022-03-01,,,,,,,,,,,\n"
      "人员,SYS,,H09,,P0901,新人,,2022-03-01,,,,,,,,,,,\n"
      "迁户,SYS,,H01,,P0901,,,,2022/3/20,,,,,,,,,,\n"
      "采集人,SYS,,,,P0901,新人,网格员,,,,,,,S9,,,,,\n"
      "积分,SYS,A1,,,,,,,2022/3/5,P0901,C1.01,2.5,,S9,,,,,\n"
      "兑换,SYS,R1,H09,,,,,,2022/3/25,,,2,R01,S9,,,,,\n"
      "撤销,SYS,,,,,,,,,,,,,S9,录错了,A1,,,\n"
      "审核,SYS,,,,,,,,,,,,,S9,,A1,,,\n"
      "异议,SYS,O1,,,,,,,,,,,,,不属实,A1,2022-03,王五,\n"
      "裁定,SYS,D1,,,,,,,,,,,,S9,核实,O1,,,成立\n";
  auto rows = ReadCsvRecords(text, "各种.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 10u);
  RecordType want[] = {RecordType::kHousehold, RecordType::kPerson,  RecordType::kMove,
                       RecordType::kScorer,    RecordType::kAward,   RecordType::kRedeem,
                       RecordType::kRevoke,    RecordType::kApprove, RecordType::kObjection,
                       RecordType::kRuling};
  for (size_t i = 0; i < rows->size(); ++i) {
    ASSERT_EQ(Reason((*rows)[i]), "ok") << "row " << (*rows)[i].line;
    EXPECT_EQ((*rows)[i].record->type, want[i]) << "row " << (*rows)[i].line;
  }
  EXPECT_EQ((*rows)[2].record->household, "H01");
  EXPECT_EQ((*rows)[2].record->code, "P0901");
  EXPECT_EQ((*rows)[3].record->person, "P0901");  // the scorer's own person
  EXPECT_EQ((*rows)[4].record->qty, Quantity::FromHundredths(250));
  EXPECT_EQ((*rows)[5].record->qty, Quantity::FromWhole(2));
  EXPECT_EQ((*rows)[8].record->name, "王五");       // filed_by
  EXPECT_EQ((*rows)[9].record->outcome, "upheld");  // 成立
}

}  // namespace
}  // namespace jifen::formats
