// `jifen import` reads its files a line (or CSV row) at a time (cli/import_files.h): line numbers,
// blank and over-long lines, CSV in UTF-8 or GB18030, several files, starting over; and the
// errors of an import of several files through the real binary.
#include "cli/import_files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "formats/record_json.h"
#include "tests/common/run_binary.h"

namespace jifen::cli {
namespace {

using tests::Outcome;

const char* kAward =
    R"({"type":"award","id":"a1","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1.01","scorer":"S1"})";

// What a source hands out, one string a line: "FILE:LINE ok RECORD-ID" or "FILE:LINE REASON".
std::vector<std::string> ReadAll(engine::ImportSource& source) {
  std::vector<std::string> lines;
  EXPECT_TRUE(source.Rewind().ok());
  engine::SourceLine line;
  for (;;) {
    auto more = source.Next(&line);
    if (!more.ok()) {
      lines.push_back("status: " + more.status().message());
      break;
    }
    if (!*more) break;
    std::string where = std::string(line.file) + ":" + std::to_string(line.line) + " ";
    lines.push_back(where + (line.parsed.ok() ? "ok " + line.record.id : line.parsed.message()));
  }
  return lines;
}

class ImportFiles : public tests::ScratchTest {
 protected:
  ImportFiles() : ScratchTest("jifen-import-files") {}

  std::unique_ptr<FileSource> Open(const std::vector<std::string>& files) {
    auto source = FileSource::Open(files);
    EXPECT_TRUE(source.ok()) << source.status().message();
    return source.ok() ? std::move(source.value()) : nullptr;
  }
  static std::string Award(const std::string& id) {
    std::string line = kAward;
    return line.replace(line.find("a1"), 2, id);
  }
};

TEST_F(ImportFiles, JsonLinesKeepTheirNumbersAcrossBlankAndCrlfLines) {
  std::string f =
      Write("a.jsonl", Award("a1") + "\r\n\r\n   \t \n" + Award("a2") + "\n{bad\n\n" + Award("a3"));
  auto source = Open({f});
  std::vector<std::string> expected = {
      f + ":1 ok a1", f + ":4 ok a2", f + ":5 " + formats::RecordFromJson("{bad").status().message(),
      f + ":7 ok a3"};
  EXPECT_EQ(ReadAll(*source), expected);
  EXPECT_EQ(source->Position(), source->Size());
  EXPECT_EQ(ReadAll(*source), expected);  // and again from the start
}

TEST_F(ImportFiles, LinesOverTheLimitAreRefusedUnlessBlank) {
  std::string long_line = Award("a2");
  long_line.insert(long_line.find("\"scorer\""),
                   "\"reason\":\"" + std::string(formats::kLineBytesMax, 'x') + "\",");
  std::string blank(formats::kLineBytesMax + 10, ' ');
  std::string f =
      Write("long.jsonl", Award("a1") + "\n" + long_line + "\n" + blank + "\r\n" + Award("a3") +
                              "\n" + std::string(3 * formats::kLineBytesMax, '['));
  auto source = Open({f});
  std::string too_long = "line longer than " + std::to_string(formats::kLineBytesMax) + " bytes";
  EXPECT_EQ(ReadAll(*source), (std::vector<std::string>{f + ":1 ok a1", f + ":2 " + too_long,
                                                        f + ":4 ok a3", f + ":5 " + too_long}));
}

TEST_F(ImportFiles, ALineJustUnderTheLimitIsRead) {
  std::string line = Award("a1");
  line.insert(line.find("\"scorer\""), "\"reason\":\"\",");
  line.insert(line.find("\"reason\":\"") + 10,
              std::string(formats::kLineBytesMax - line.size(), 'x'));
  ASSERT_EQ(line.size(), formats::kLineBytesMax);
  std::string f = Write("edge.jsonl", line + "\r\n" + Award("a2"));
  auto source = Open({f});
  // The reason is too long for a record, but the line is read whole and refused for that.
  auto read = ReadAll(*source);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0], f + ":1 " + formats::RecordFromJson(line).status().message());
  EXPECT_EQ(read[1], f + ":2 ok a2");
}

TEST_F(ImportFiles, CsvRowsComeOneAtATimeInUtf8WithBomOrGb18030) {
  std::string csv =
      "id,village,date,subject,item,scorer,reason\n"
      "c1,SYS,2022-03-05,P1,C1.01,S1,升旗\n"
      "\n"
      "c2,SYS,2022-03-05,P1,C1.01,S1,\"多行\n原因\"\n"
      "c3,SYS,2022-02-30,P1,C1.01,S1,坏日期\n";
  std::string utf8 = Write("bom.csv", "\xEF\xBB\xBF" + csv);
  std::string plain = Write("plain.csv", csv);
  Outcome converted = Shell("iconv -f UTF-8 -t GB18030 " + plain + " > " + Path("gb.CSV"));
  ASSERT_EQ(converted.rc, 0) << converted.err;
  for (const std::string& f : {utf8, Path("gb.CSV")}) {
    auto source = Open({f});
    EXPECT_EQ(ReadAll(*source),
              (std::vector<std::string>{
                  f + ":2 ok c1", f + ":4 column G \"reason\": control character at byte 6",
                  f + ":6 column C \"date\": not a date: 2022-02-30 (write 2022-03-05, "
                      "2022/3/5 or 2022年3月5日)"}));
    EXPECT_EQ(source->Position(), source->Size());
  }
}

TEST_F(ImportFiles, ABadCsvFileFailsTheWholeImport) {
  std::string f = Write(
      "bad.csv", "id,village,date,subject,item,scorer,colour\nc1,SYS,2022-03-05,P1,C1.01,S1,red\n");
  auto source = Open({Write("first.jsonl", Award("a1") + "\n"), f});
  auto read = ReadAll(*source);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[1],
            "status: " + f + ":1: unknown column \"colour\" (docs/IMPORT.md lists the columns)");
}

TEST_F(ImportFiles, SeveralFilesKeepTheirNames) {
  std::string a = Write("a.jsonl", Award("a1") + "\n" + Award("a2") + "\n");
  std::string b =
      Write("b.csv", "id,village,date,subject,item,scorer\nb1,SYS,2022-03-05,P1,C1.01,S1\n");
  std::string c = Write("c.jsonl", "\n" + Award("c1"));
  auto source = Open({a, b, c});
  EXPECT_EQ(ReadAll(*source), (std::vector<std::string>{a + ":1 ok a1", a + ":2 ok a2",
                                                        b + ":2 ok b1", c + ":2 ok c1"}));
  EXPECT_EQ(source->Position(), source->Size());
}

TEST_F(ImportFiles, AFileThatCannotBeReadIsNamedBeforeAnythingIsRead) {
  auto source = FileSource::Open({Write("a.jsonl", Award("a1")), Path("missing.jsonl")});
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().message(), Path("missing.jsonl") + ": cannot read");
}

TEST_F(ImportFiles, AFileThatDoesNotParseCreatesNoLedger) {
  std::string f = Write("bad.jsonl", Award("a1") + "\n{\n");
  Outcome r = Shell(std::string(JIFEN_BINARY) + " --ledger " + Path("new") + " import " + f);
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, f + ":2: " + formats::RecordFromJson("{").status().message() + "\n" +
                       "jifen: import refused: 1 bad line(s); nothing written\n");
  EXPECT_FALSE(std::filesystem::exists(Path("new")));
}

// The real binary on a real ledger.
class ImportCommand : public tests::ScratchTest {
 protected:
  ImportCommand() : ScratchTest("jifen-import-cmd") {}

  Outcome Jifen(const std::string& args) const {
    return Shell(std::string(JIFEN_BINARY) + " --ledger " + Path("ledger") + " " + args);
  }
  void SetUp() override {
    Outcome r = Jifen(
        "rules adopt " + std::string(JIFEN_SOURCE_DIR) +
        "/tests/rules/good_sample.rules --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00");
    ASSERT_EQ(r.rc, 0) << r.err;
    std::string reg =
        R"({"type":"household","village":"SYS","household":"H01","name":"张家","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
        "\n"
        R"({"type":"person","village":"SYS","person":"P1","name":"张三","household":"H01","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
        "\n"
        R"({"type":"scorer","village":"SYS","scorer":"S1","name":"王五","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})"
        "\n";
    r = Jifen("import " + Write("reg.jsonl", reg));
    ASSERT_EQ(r.rc, 0) << r.err;
    before_ = Jifen("verify").out;
  }
  static std::string Award(const std::string& id, const std::string& subject,
                           const std::string& day) {
    return R"({"type":"award","id":")" + id + R"(","village":"SYS","date":"2022-03-)" + day +
           R"(","subject":")" + subject + R"(","item":"C1.01","scorer":"S1","recorded":"2022-03-)" +
           day + "T20:00:00+08:00\"}\n";
  }
  std::string before_;
};

TEST_F(ImportCommand, EveryRefusalOfSeveralFilesIsListedInOrder) {
  std::string a = Write("a.jsonl", Award("a1", "P1", "05") + Award("a2", "P9", "06"));
  std::string b = Write("b.csv",
                        "id,village,date,subject,item,scorer,recorded\n"
                        "b1,SYS,2022-03-07,P8,C1.01,S1,2022-03-07T20:00:00+08:00\n"
                        "b2,SYS,2022-03-08,P1,C1.01,S1,2022-03-08T20:00:00+08:00\n");
  Outcome r = Jifen("import " + a + " " + b);
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, a + ":2: subject P9: not registered\n" + b + ":2: subject P8: not registered\n" +
                       "jifen: import refused: 2 bad line(s); nothing written\n");
  EXPECT_EQ(Jifen("verify").out, before_);
}

TEST_F(ImportCommand, LinesThatDoNotParseAreListedAloneAndNothingIsWritten) {
  // a.jsonl:2 would be refused by admission; the lines that do not parse are the errors to fix
  // first.
  std::string a =
      Write("a.jsonl", Award("a1", "P1", "05") + Award("a2", "P9", "06") + "{\"type\":\"award\"\n");
  std::string b = Write("b.jsonl", "\n" + Award("b1", "P1", "07") + "not json\n");
  Outcome r = Jifen("import " + a + " " + b);
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, a + ":3: " + formats::RecordFromJson("{\"type\":\"award\"").status().message() +
                       "\n" + b + ":3: " + formats::RecordFromJson("not json").status().message() +
                       "\n" + "jifen: import refused: 2 bad line(s); nothing written\n");
  EXPECT_EQ(Jifen("verify").out, before_);
}

TEST_F(ImportCommand, ImportingTheSameFilesAgainSkipsThem) {
  std::string a = Write("a.jsonl", Award("a1", "P1", "05") + Award("a2", "P1", "06"));
  std::string b = Write("b.csv",
                        "id,village,date,subject,item,scorer,recorded\n"
                        "b1,SYS,2022-03-07,P1,C1.01,S1,2022-03-07T20:00:00+08:00\n");
  Outcome r = Jifen("import " + a + " " + b);
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string after = Jifen("verify").out;
  r = Jifen("import " + a + " " + b);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("imported 0 record(s), skipped 3 already in the ledger"), std::string::npos)
      << r.out;
  EXPECT_EQ(Jifen("verify").out, after);
}

}  // namespace
}  // namespace jifen::cli
