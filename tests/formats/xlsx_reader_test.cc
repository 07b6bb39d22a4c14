// A clerk's .xlsx workbook (formats/xlsx_reader.h): the fixture tests/data/import/登记.xlsx (made by
// tests/data/import/make_fixtures.py the way Excel and WPS write one), and workbooks that are not.
#include "formats/xlsx_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/common/files.h"

namespace jifen::formats {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(JIFEN_SOURCE_DIR) + "/tests/data/import/" + name, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string Reason(const XlsxRow& row) {
  return row.record.ok() ? "ok" : row.record.status().message();
}

TEST(Xlsx, SharedAndInlineStringsNumbersAndDateSerials) {
  auto names = XlsxSheetNames(Fixture("登记.xlsx"), "登记.xlsx");
  ASSERT_TRUE(names.ok()) << names.status().message();
  EXPECT_EQ(*names, (std::vector<std::string>{"三月", "四月"}));
  auto rows = ReadXlsxRecords(Fixture("登记.xlsx"), "登记.xlsx");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);  // the example row (示例) is skipped
  ASSERT_EQ(Reason((*rows)[0]), "ok");
  const Record& a = (*rows)[0].record.value();
  EXPECT_EQ((*rows)[0].line, 3);  // the sheet's own row number, past the empty row 2
  EXPECT_EQ(a.id, "SYS-0311");
  EXPECT_EQ(a.date.ToString(), "2022-03-11");  // serial 44631 in a date cell
  EXPECT_EQ(a.subject, "张建国");  // shared string; its phonetic reading is not part of it
  EXPECT_EQ(a.item, "参加升国旗仪式");
  EXPECT_EQ(a.qty, Quantity::FromWhole(1));
  ASSERT_EQ(Reason((*rows)[1]), "ok");
  const Record& b = (*rows)[1].record.value();
  EXPECT_EQ(b.date.ToString(), "2022-03-12");                     // a date as text
  EXPECT_EQ(b.village, "SYS");                                    // an inline string
  EXPECT_EQ(b.scorer, "S1");                                      // a formula's cached string
  EXPECT_EQ(b.recorded.ToString(), "2022-03-12T12:00:00+08:00");  // 44632.5: noon
}

TEST(Xlsx, ASheetByName) {
  auto rows = ReadXlsxRecords(Fixture("登记.xlsx"), "登记.xlsx", "四月");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  ASSERT_EQ(Reason((*rows)[0]), "ok");
  EXPECT_EQ((*rows)[0].record->qty, Quantity::FromHundredths(75));  // 0.75 read from its text
  auto missing = ReadXlsxRecords(Fixture("登记.xlsx"), "登记.xlsx", "五月");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "登记.xlsx: 没有工作表「五月」/ no sheet \"五月\" (sheets: 三月、四月)");
}

class XlsxFiles : public ::testing::Test {
 protected:
  // A workbook made by Python's zipfile from (part, text) pairs.
  std::string Workbook(const std::vector<std::pair<std::string, std::string>>& parts) {
    std::string script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\n";
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string file = scratch_.Write("part" + std::to_string(i), parts[i].second);
      script += "z.write('" + file + "', '" + parts[i].first + "')\n";
    }
    script += "z.close()\n";
    std::string py = scratch_.Write("make.py", script);
    std::string out = scratch_.Path("book.xlsx");
    EXPECT_EQ(std::system(("python3 " + py + " " + out).c_str()), 0);
    return tests::ReadFile(out);
  }
  tests::ScratchDir scratch_{"jifen-xlsx"};
};

const char* kWorkbook =
    R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>)";
const char* kRels =
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>)";

std::string Sheet(const std::string& rows) {
  return R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
         rows + "</sheetData></worksheet>";
}

TEST_F(XlsxFiles, RefusalsNameTheFileTheSheetTheRowAndTheColumn) {
  std::string header =
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>村</t></is></c><c r="B1" t="inlineStr"><is><t>日期</t></is></c><c r="C1" t="inlineStr"><is><t>对象</t></is></c><c r="D1" t="inlineStr"><is><t>项目</t></is></c><c r="E1" t="inlineStr"><is><t>采集人</t></is></c></row>)";
  std::string bad =
      R"(<row r="7"><c r="A7" t="inlineStr"><is><t>SYS</t></is></c><c r="B7" t="e"><v>#VALUE!</v></c><c r="C7" t="inlineStr"><is><t>P1</t></is></c><c r="D7" t="inlineStr"><is><t>C1</t></is></c><c r="E7" t="inlineStr"><is><t>S1</t></is></c></row>)";
  std::string bytes = Workbook({{"xl/workbook.xml", kWorkbook},
                                {"xl/_rels/workbook.xml.rels", kRels},
                                {"xl/worksheets/sheet1.xml", Sheet(header + bad)}});
  auto reader = XlsxRecordReader::Open(bytes, "登记.xlsx", "");
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->label(), "登记.xlsx[S]");
  auto row = (*reader)->NextRow();
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->line, 7);
  EXPECT_EQ((*row)->error.message(), "B 列「日期」：公式出错（#VALUE!）");
}

TEST_F(XlsxFiles, WhatIsNotAWorkbookIsRefused) {
  auto not_zip = ReadXlsxRecords("PK\x03\x04 not really", "x.xlsx");
  ASSERT_FALSE(not_zip.ok());
  EXPECT_TRUE(not_zip.status().message().starts_with("x.xlsx: not an .xlsx workbook"))
      << not_zip.status().message();
  std::string no_book = Workbook({{"hello.txt", "hi"}});
  EXPECT_EQ(ReadXlsxRecords(no_book, "x.xlsx").status().message(),
            "x.xlsx: not an .xlsx workbook (no xl/workbook.xml)");
  std::string dtd = Workbook(
      {{"xl/workbook.xml", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>" + std::string(kWorkbook)}});
  EXPECT_EQ(ReadXlsxRecords(dtd, "x.xlsx").status().message(),
            "x.xlsx: xl/workbook.xml: has a DTD");
  std::string broken = Workbook({{"xl/workbook.xml", kWorkbook},
                                 {"xl/_rels/workbook.xml.rels", kRels},
                                 {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>"}});
  auto r = ReadXlsxRecords(broken, "x.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(
      r.status().message().starts_with("x.xlsx: xl/worksheets/sheet1.xml: not well-formed XML"))
      << r.status().message();
  std::string rows_backwards =
      Workbook({{"xl/workbook.xml", kWorkbook},
                {"xl/_rels/workbook.xml.rels", kRels},
                {"xl/worksheets/sheet1.xml", Sheet(R"(<row r="5"/><row r="2"/>)")}});
  EXPECT_EQ(ReadXlsxRecords(rows_backwards, "x.xlsx").status().message(),
            "x.xlsx: xl/worksheets/sheet1.xml: row number 2 out of order");
  std::string empty = Workbook({{"xl/workbook.xml", kWorkbook},
                                {"xl/_rels/workbook.xml.rels", kRels},
                                {"xl/worksheets/sheet1.xml", Sheet("")}});
  EXPECT_EQ(ReadXlsxRecords(empty, "x.xlsx").status().message(),
            "x.xlsx[S]:1: no header row / 没有标题行");
}

}  // namespace
}  // namespace jifen::formats
