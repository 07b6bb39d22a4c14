// A clerk's own files through the real binary (docs/IMPORT.md): the fixtures of tests/data/import
// (GB18030 and UTF-8 CSV, an .xlsx, Chinese headers, names for codes, dates in several forms),
// refusals in Chinese naming file, sheet, row and column, and `template` -> fill in -> `import` ->
// `score`.
#include <gtest/gtest.h>

#include <string>

#include "tests/common/run_binary.h"

namespace {

using jifen::tests::Outcome;

class ImportSheets : public jifen::tests::ScratchTest {
 protected:
  ImportSheets() : ScratchTest("jifen-sheets") {}

  Outcome Jifen(const std::string& args) const {
    return Shell(std::string(JIFEN_BINARY) + " --ledger " + Path("ledger") + " " + args);
  }
  static std::string Fixture(const std::string& name) {
    return std::string(JIFEN_SOURCE_DIR) + "/tests/data/import/" + name;
  }
  void Adopt() {
    Outcome r = Jifen(
        "rules adopt " + std::string(JIFEN_SOURCE_DIR) +
        "/villages/shuangyangshu.rules --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00");
    ASSERT_EQ(r.rc, 0) << r.err;
  }
};

TEST_F(ImportSheets, TheFixturesImportWithNamesResolvedToCodes) {
  Adopt();
  Outcome r = Jifen("import " + Fixture("花名册.csv") + " " + Fixture("采集人.csv") + " " +
                    Fixture("登记-gb18030.csv") + " " + Fixture("登记.xlsx"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "imported 15 record(s); ledger head is sequence 16\n");
  Outcome log = Jifen("log --village SYS --from 12");
  ASSERT_EQ(log.rc, 0) << log.err;
  // 张建国 and 参加升国旗仪式 became P0101 and C1.01 (a per-person item: the person, not the
  // household 张建国); 王芳 for a per-household item is household H03; 李网格 is S1.
  EXPECT_NE(
      log.out.find(
          R"("id":"SYS-0301","village":"SYS","date":"2022-03-05","subject":"P0101","item":"C1.01")"),
      std::string::npos)
      << log.out;
  EXPECT_NE(
      log.out.find(
          R"("id":"SYS-0302","village":"SYS","date":"2022-03-06","subject":"H03","item":"C4.02","qty":1,"scorer":"S1")"),
      std::string::npos)
      << log.out;
  EXPECT_NE(log.out.find(R"("subject":"P0201","item":"C3.02","qty":2.5)"), std::string::npos)
      << log.out;
  EXPECT_NE(
      log.out.find(
          R"("id":"SYS-0312","village":"SYS","date":"2022-03-12","subject":"P0301","item":"C7.03")"),
      std::string::npos)
      << log.out;
  Outcome april = Jifen("import --sheet 四月 " + Fixture("登记.xlsx"));
  ASSERT_EQ(april.rc, 0) << april.err;
  Outcome score = Jifen("score --village SYS --period 2022-03 --format json");
  ASSERT_EQ(score.rc, 0) << score.err;
  EXPECT_NE(score.out.find(R"("household":"H01")"), std::string::npos) << score.out;
  // Imported again: every row is already there.
  Outcome again = Jifen("import " + Fixture("登记-gb18030.csv"));
  EXPECT_EQ(again.rc, 0) << again.err;
  EXPECT_EQ(again.out,
            "imported 0 record(s), skipped 3 already in the ledger; ledger head is sequence 17\n");
}

TEST_F(ImportSheets, RefusalsNameFileSheetRowAndColumnInChineseAndWriteNothing) {
  Adopt();
  Outcome reg = Jifen("import " + Fixture("花名册.csv") + " " + Fixture("采集人.csv"));
  ASSERT_EQ(reg.rc, 0) << reg.err;
  std::string f = Write("三月.csv",
                        "编号,日期,村,对象,项目,采集人,录入时间\n"
                        "A1,2022/3/5,SYS,王芳,参加升国旗仪式,李网格,2022-03-06T10:00:00+08:00\n"
                        "A2,2022/3/32,SYS,张建国,参加升国旗仪式,李网格,2022-03-06T10:00:00+08:00\n"
                        "A3,2022/3/5,SYS,张建国,参加升国旗仪式,无名氏,2022-03-06T10:00:00+08:00\n");
  Outcome r = Jifen("import " + f);
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(
      r.err,
      f + ":2: D 列「对象」：「王芳」不止一个：P0102 王芳（H01 张建国）、P0202 王芳（H02 李明）、H03 王芳；请改填编号\n" +
          f +
          ":3: B 列「日期」：不是日期：2022/3/32（可写 2022-03-05、2022/3/5 或 2022年3月5日）\n" +
          f +
          ":4: F 列「采集人」：SYS 没有编号或名称为「无名氏」的采集人\n"
          "jifen: import refused: 3 bad line(s); nothing written\n");
  // A value that is neither a code nor a name of the village is refused with its column when
  // only tables are imported; with a JSON Lines file beside them (which might register it),
  // admission refuses it, naming the row.
  std::string g = Write("四月.csv",
                        "编号,日期,村,对象,项目,采集人,录入时间\n"
                        "A3,2022/3/5,SYS,张建国,参加升国旗仪式,无名氏,2022-03-06T10:00:00+08:00\n"
                        "A4,2022/3/5,SYS,张建国,不存在的项目,李网格,2022-03-06T10:00:00+08:00\n");
  Outcome s = Jifen("import " + g);
  EXPECT_EQ(s.rc, 1);
  EXPECT_EQ(
      s.err,
      g + ":2: F 列「采集人」：SYS 没有编号或名称为「无名氏」的采集人\n" + g +
          ":3: E 列「项目」：SYS 没有编号或名称为「不存在的项目」的项目（在该日期生效的细则中）\n"
          "jifen: import refused: 2 bad line(s); nothing written\n");
  std::string empty = Write("empty.jsonl", "\n");
  std::string h = Write("五月.csv",
                        "编号,日期,村,对象,项目,采集人,录入时间\n"
                        "A5,2022/3/5,SYS,张建国,参加升国旗仪式,无名氏,2022-03-06T10:00:00+08:00\n");
  Outcome t = Jifen("import " + empty + " " + h);
  EXPECT_EQ(t.rc, 1);
  EXPECT_NE(t.err.find(h + ":2: scorer 无名氏: not registered"), std::string::npos) << t.err;
  Outcome log = Jifen("log --village SYS --from 12");
  EXPECT_EQ(log.out, "");
}

TEST_F(ImportSheets, TemplateFilledInImportsAndScores) {
  Adopt();
  ASSERT_EQ(Jifen("import " + Fixture("花名册.csv") + " " + Fixture("采集人.csv")).rc, 0);
  std::string book = Path("登记表.xlsx");
  Outcome t = Jifen("template --village SYS --kind awards --out " + book);
  ASSERT_EQ(t.rc, 0) << t.err;
  EXPECT_NE(t.out.find("已写出"), std::string::npos) << t.out;
  // Fill the first sheet in as a clerk would: two rows under the example, a date typed as Excel
  // stores it (a serial number in a date cell), names from the drop-downs, the rest left as it is.
  std::string fill = Write("fill.py", R"PY(
import re, sys, zipfile, datetime
src, dst = sys.argv[1], sys.argv[2]
zin = zipfile.ZipFile(src)
names = zin.namelist()
sheet = zin.read('xl/worksheets/sheet1.xml').decode()
today = datetime.date.today()
serial = (today - datetime.date(1899, 12, 30)).days
def s(ref, text): return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)
rows = ('<row r="3">' + s('A3', 'T-1') + s('B3', 'SYS') + '<c r="C3" s="1"><v>%d</v></c>' % serial +
        s('D3', '张建国') + s('E3', '参加升国旗仪式') + s('G3', '李网格') + '</row>' +
        '<row r="4">' + s('A4', 'T-2') + s('B4', '双杨树村') + s('C4', today.strftime('%Y/%-m/%-d')) +
        s('D4', '赵强') + s('E4', '参加修路、清淤等义务劳动') + '<c r="F4"><v>2.5</v></c>' + s('G4', 'S1') + '</row>')
sheet = sheet.replace('</sheetData>', rows + '</sheetData>')
zout = zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED)
for n in names:
    zout.writestr(n, sheet if n == 'xl/worksheets/sheet1.xml' else zin.read(n))
zout.close()
)PY");
  std::string filled = Path("登记表-已填.xlsx");
  Outcome py = Shell("python3 " + fill + " " + book + " " + filled);
  ASSERT_EQ(py.rc, 0) << py.err;
  Outcome r = Jifen("import " + filled);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2 record(s); ledger head is sequence 13\n");
  Outcome today = Shell("date +%Y-%m");
  std::string period = today.out.substr(0, 7);
  Outcome score = Jifen("score --village SYS --period " + period + " --format json");
  ASSERT_EQ(score.rc, 0) << score.err;
  // H01's member P0101 scored +2 (C1.01), H03's member P0301 2.5 hours of C3.02 at +1.
  EXPECT_NE(score.out.find(R"("household":"H01")"), std::string::npos) << score.out;
  Outcome explain =
      Jifen("explain --village SYS --period " + period + " --household H03 --format json");
  EXPECT_NE(explain.out.find("C3.02"), std::string::npos) << explain.out;
}

TEST_F(ImportSheets, ARosterTemplateHasTheVillagesHouseholds) {
  Adopt();
  ASSERT_EQ(Jifen("import " + Fixture("花名册.csv")).rc, 0);
  std::string book = Path("花名册.xlsx");
  Outcome t = Jifen("template --village SYS --kind roster --out " + book);
  ASSERT_EQ(t.rc, 0) << t.err;
  Outcome unzip = Shell(
      "python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
      "print(z.read('xl/worksheets/sheet1.xml').decode()); print(z.read('xl/sharedStrings.xml').decode())\" " +
      book);
  ASSERT_EQ(unzip.rc, 0) << unzip.err;
  EXPECT_NE(unzip.out.find("dataValidation"), std::string::npos);
  for (const char* text : {"类型", "所在户", "起始日期", "张建国", "村民", "示例"}) {
    EXPECT_NE(unzip.out.find(text), std::string::npos) << text;
  }
  // Imported untouched, the example row is skipped and nothing else is there.
  Outcome r = Jifen("import " + book);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "imported 0 record(s); ledger head is sequence 9\n");
}

}  // namespace
