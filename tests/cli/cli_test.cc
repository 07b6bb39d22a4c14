// End-to-end: the real `jifen` binary on real files and a real ledger (SPEC.md §5 exit codes,
// all-or-nothing import, JSON output, --as-of, verify on a tampered ledger, log round trip).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/common/run_binary.h"

namespace {

using jifen::tests::Outcome;

class Cli : public jifen::tests::ScratchTest {
 protected:
  Cli() : ScratchTest("jifen-cli") {}

  // Runs jifen with `args` (shell words, already quoted where needed) on this test's ledger.
  Outcome Jifen(const std::string& args, const std::string& ledger = "ledger") const {
    return Shell(std::string(JIFEN_BINARY) + " --ledger " + Path(ledger) + " " + args);
  }

  void AdoptSample() {
    Outcome r = Jifen(
        "rules adopt " + std::string(JIFEN_SOURCE_DIR) +
        "/tests/rules/good_sample.rules --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00");
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  void AdoptSampleInto(const std::string& ledger) {
    Outcome r = Jifen(
        "rules adopt " + std::string(JIFEN_SOURCE_DIR) +
            "/tests/rules/good_sample.rules --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00",
        ledger);
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  void ImportRegistrations() {
    std::string text;
    for (const char* h : {"H01", "H02"}) {
      text +=
          std::string(R"({"type":"household","village":"SYS","household":")") + h +
          R"(","name":"张家","since":"2022-01-01","shares":1,"recorded":"2022-01-01T08:00:00+08:00"})"
          "\n";
    }
    text +=
        R"({"type":"person","village":"SYS","person":"P1","name":"张三","household":"H01","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
        "\n";
    text +=
        R"({"type":"person","village":"SYS","person":"P2","name":"李四","household":"H02","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
        "\n";
    text +=
        R"({"type":"scorer","village":"SYS","scorer":"S1","name":"王五","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})"
        "\n";
    Outcome r = Jifen("import " + Write("reg.jsonl", text));
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  static std::string Award(const std::string& id, const std::string& date,
                           const std::string& subject, const std::string& recorded) {
    return R"({"type":"award","id":")" + id + R"(","village":"SYS","date":")" + date +
           R"(","subject":")" + subject + R"(","item":"C1.01","scorer":"S1","recorded":")" +
           recorded + "\"}\n";
  }
};

TEST_F(Cli, CheckAcceptsTheBundledVillagesAndRefusesABadFile) {
  Outcome good = Jifen("check " + std::string(JIFEN_SOURCE_DIR) + "/villages/*.rules");
  EXPECT_EQ(good.rc, 0) << good.err;
  std::string bad = Write("bad.rules", "village X \"村\" {\n  period fortnight\n}\n");
  Outcome r = Jifen("check " + bad);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find(bad + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(Jifen("score --village SYS").rc, 2);
  EXPECT_EQ(Jifen("no-such-command").rc, 2);
  EXPECT_EQ(Jifen("score --village SYS --period 2022-13").rc, 2);
  EXPECT_EQ(Jifen("score --village SYS --period 2022-03 --format xml").rc, 2);
}

TEST_F(Cli, ReadingAMissingLedgerIsInvalidInput) {
  Outcome r = Jifen("score --village SYS --period 2022-03");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
}

TEST_F(Cli, ImportWithABadLineWritesNothingAndNamesTheLine) {
  AdoptSample();
  ImportRegistrations();
  std::string before = Jifen("verify").out;
  std::string file =
      Write("march.jsonl", Award("a1", "2022-03-01", "P1", "2022-03-01T20:00:00+08:00") +
                               Award("a2", "2022-03-02", "P9", "2022-03-02T20:00:00+08:00") +
                               "{not json}\n");
  Outcome r = Jifen("import " + file);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find(file + ":3: "), std::string::npos) << r.err;
  // Lines that parse are checked against the ledger only once the whole file parses.
  Write("march.jsonl", Award("a1", "2022-03-01", "P1", "2022-03-01T20:00:00+08:00") +
                           Award("a2", "2022-03-02", "P9", "2022-03-02T20:00:00+08:00"));
  r = Jifen("import " + file);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find(file + ":2: subject P9: not registered"), std::string::npos) << r.err;
  EXPECT_EQ(Jifen("verify").out, before);
}

TEST_F(Cli, ScoreJsonHasTheDocumentedShape) {
  AdoptSample();
  ImportRegistrations();
  ASSERT_EQ(Jifen("import " +
                  Write("m.jsonl", Award("a1", "2022-03-01", "P1", "2022-03-01T20:00:00+08:00")))
                .rc,
            0);
  Outcome r = Jifen("score --village SYS --period 2022-03 --format json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind(R"({"village":"SYS","period":"2022-03","rules_sha256":")", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(R"("household":"H01","name":"张家","rank":1,"earned":5,)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"("titles":["最美家庭"])"), std::string::npos) << r.out;
  // Replay is deterministic: the same question gives the same bytes.
  EXPECT_EQ(Jifen("score --village SYS --period 2022-03 --format json").out, r.out);
}

TEST_F(Cli, VerboseLogsOnStderrAndLeavesTheFiguresAlone) {
  AdoptSample();
  ImportRegistrations();
  ASSERT_EQ(Jifen("import " +
                  Write("m.jsonl", Award("a1", "2022-03-01", "P1", "2022-03-01T20:00:00+08:00")))
                .rc,
            0);
  Outcome quiet = Jifen("score --village SYS --period 2022-03 --format json");
  Outcome verbose = Jifen("score --village SYS --period 2022-03 --format json --verbose");
  ASSERT_EQ(verbose.rc, 0) << verbose.err;
  EXPECT_EQ(verbose.out, quiet.out);
  EXPECT_EQ(quiet.err, "");
  EXPECT_NE(
      verbose.err.find("jifen: village SYS: 1 events dated 2022-01-01 to 2022-03-31 read in "),
      std::string::npos)
      << verbose.err;
}

TEST_F(Cli, AsOfShowsTheFiguresAsTheyStoodThen) {
  AdoptSample();
  ImportRegistrations();
  ASSERT_EQ(Jifen("import " +
                  Write("m.jsonl", Award("a1", "2022-03-01", "P1", "2022-03-01T20:00:00+08:00")))
                .rc,
            0);
  ASSERT_EQ(Jifen("import " +
                  Write("late.jsonl", Award("a2", "2022-03-31", "P2", "2022-04-03T09:00:00+08:00")))
                .rc,
            0);
  Outcome now = Jifen("score --village SYS --period 2022-03 --format json");
  Outcome then = Jifen("score --village SYS --period 2022-03 --format json --as-of 2022-03-31");
  EXPECT_NE(now.out.find(R"("household":"H02","name":"张家","rank":1,"earned":5)"),
            std::string::npos)
      << now.out;
  EXPECT_NE(then.out.find(R"("household":"H02","name":"张家","rank":2,"earned":0)"),
            std::string::npos)
      << then.out;
}

TEST_F(Cli, VerifyExitsThreeOnATamperedRecord) {
  AdoptSample();
  ImportRegistrations();
  ASSERT_EQ(Jifen("verify").rc, 0);
  std::string data = Path("ledger/data.mdb");
  std::string bytes = Read(data);
  // The person's record and the structural index's copy of it (ledger/FORMAT.md "Indexes").
  size_t copies = 0;
  for (size_t at = bytes.find("王五"); at != std::string::npos; at = bytes.find("王五", at + 1)) {
    bytes[at + 1] ^= 0x01;
    ++copies;
  }
  ASSERT_EQ(copies, 2u);
  std::ofstream(data, std::ios::binary) << bytes;
  Outcome r = Jifen("verify");
  EXPECT_EQ(r.rc, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("sequence"), std::string::npos) << r.err;
  Outcome score = Jifen("score --village SYS --period 2022-03");
  EXPECT_EQ(score.rc, 3) << score.out << score.err;
  EXPECT_EQ(score.out, "");
}

TEST_F(Cli, ATamperedRecordWhoseIndexCopyIsIntactIsNamedByVerifyAndAudit) {
  AdoptSample();
  ImportRegistrations();
  std::string data = Path("ledger/data.mdb");
  std::string bytes = Read(data);
  size_t at = bytes.find("王五");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] ^= 0x01;  // one copy only
  std::ofstream(data, std::ios::binary) << bytes;
  Outcome r = Jifen("verify");
  EXPECT_EQ(r.rc, 3) << r.out << r.err;
  // Reports read the index copies; the chain check of verify and audit is what sees the record.
  Outcome audit = Jifen("audit --village SYS --period 2022-03 --format json");
  EXPECT_NE(audit.out.find(R"("chain":{)"), std::string::npos) << audit.out << audit.err;
  EXPECT_NE(audit.out.find(R"("ok":false)"), std::string::npos) << audit.out;
}

TEST_F(Cli, LogReimportedIntoAnEmptyLedgerReproducesEveryFigure) {
  AdoptSample();
  ImportRegistrations();
  ASSERT_EQ(
      Jifen("import " +
            Write("m.jsonl", Award("a1", "2022-03-01", "P1", "2022-03-01T20:00:00+08:00") +
                                 Award("a2", "2022-03-02", "P2", "2022-03-02T20:00:00+08:00")))
          .rc,
      0);
  Outcome log = Jifen("log");
  ASSERT_EQ(log.rc, 0) << log.err;
  std::string exported = Write("export.jsonl", log.out);
  // Rule adoptions travel in the log too; import takes every record but adoptions.
  std::string rules_line = log.out.substr(0, log.out.find('\n') + 1);
  std::string rest = log.out.substr(rules_line.size());
  AdoptSampleInto("copy");
  ASSERT_EQ(Jifen("import " + Write("rest.jsonl", rest), "copy").rc, 0);
  EXPECT_EQ(Jifen("score --village SYS --period 2022-03 --format json", "copy").out,
            Jifen("score --village SYS --period 2022-03 --format json").out);
  EXPECT_EQ(Jifen("log", "copy").out, log.out);
}

// A full disk under `jifen log > backup.jsonl` must not leave half a backup behind a success.
TEST_F(Cli, OutputThatCannotBeWrittenExitsOneWithAMessage) {
  AdoptSample();
  ImportRegistrations();
  for (const char* args : {"log", "score --village SYS --period 2022-03", "verify", "--help"}) {
    Outcome r = Jifen(std::string(args) + " > /dev/full");
    EXPECT_EQ(r.rc, 1) << args << ": " << r.err;
    EXPECT_NE(r.err.find("writing standard output failed: No space left on device"),
              std::string::npos)
        << args << ": " << r.err;
  }
  EXPECT_EQ(Jifen("log > /dev/null").rc, 0);
}

TEST_F(Cli, CsvImportTakesAwardRows) {
  AdoptSample();
  ImportRegistrations();
  std::string csv =
      "\xEF\xBB\xBFtype,id,village,date,subject,item,qty,scorer,recorded\r\n"
      "award,c1,SYS,2022-03-01,P1,C1.01,1,S1,2022-03-01T20:00:00+08:00\r\n";
  Outcome r = Jifen("import " + Write("m.csv", csv));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(Jifen("score --village SYS --period 2022-03 --format csv").out.find("1,H01,张家,5,"),
            std::string::npos);
}

TEST_F(Cli, ExplainNamesEveryRecordAndTheRule) {
  AdoptSample();
  ImportRegistrations();
  ASSERT_EQ(
      Jifen("import " +
            Write("m.jsonl", Award("a1", "2022-03-01", "P1", "2022-03-01T20:00:00+08:00") +
                                 Award("a2", "2022-03-02", "P1", "2022-03-02T20:00:00+08:00") +
                                 Award("a3", "2022-03-03", "P1", "2022-03-03T20:00:00+08:00")))
          .rc,
      0);
  Outcome r = Jifen("explain --village SYS --period 2022-03 --household H01");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("capped at 4 per period"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("B1 当月无扣分 +3: given"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("= balance 7"), std::string::npos) << r.out;
}

}  // namespace
