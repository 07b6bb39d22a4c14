// Hostile and absurd input through the real binary: each gets a clear message naming the file and
// line and the right exit code (SPEC.md §5: 1 invalid input, nothing written), within a time
// limit, without a crash or a sanitizer report, and the ledger is unchanged afterwards.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/reliability/harness.h"

namespace jifen::reliability {
namespace {

const std::string kGoodAward =
    AwardLine("ok-1", "2022-03-05", "P1", "ok", "2022-03-06T10:00:00+08:00");

class Limits : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = scratch_.Path("ledger");
    SetUpSampleVillage(scratch_, ledger_);
    Outcome v = Jifen(scratch_, ledger_, {"verify"});
    ASSERT_EQ(v.rc, 0) << v.err;
    verify_before_ = v.out;
  }

  // Imports `bytes` as FILE NAME (after a good line, so that refusing the file must drop it too)
  // and expects exit 1, a message containing `expected`, and an unchanged ledger.
  void ExpectImportRefused(const std::string& name, const std::string& bytes,
                           const std::string& expected, bool prefix_good_line = true,
                           size_t message_bytes_max = 100'000) {
    SCOPED_TRACE(name);
    std::string file = scratch_.Write(name, (prefix_good_line ? kGoodAward : "") + bytes);
    Outcome r = Jifen(scratch_, ledger_, {"import", file}, std::chrono::seconds(60));
    ASSERT_EQ(Misbehaved(r), "");
    EXPECT_EQ(r.rc, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err.substr(0, 2000);
    EXPECT_LT(r.err.size(), message_bytes_max) << "the message repeats the input";
    EXPECT_EQ(Jifen(scratch_, ledger_, {"verify"}).out, verify_before_);
  }

  // Runs `jifen check FILE` on `bytes` and expects exit 1 with `expected` in the diagnostics.
  void ExpectCheckRefused(const std::string& name, const std::string& bytes,
                          const std::string& expected) {
    SCOPED_TRACE(name);
    std::string file = scratch_.Write(name, bytes);
    Outcome r = Jifen(scratch_, ledger_, {"check", file}, std::chrono::seconds(60));
    ASSERT_EQ(Misbehaved(r), "");
    EXPECT_EQ(r.rc, 1) << r.out.substr(0, 2000) << r.err.substr(0, 2000);
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err.substr(0, 2000);
    EXPECT_LT(r.err.size(), 200'000u) << "the message repeats the input";
  }

  ScratchDir scratch_;
  std::string ledger_;
  std::string verify_before_;
};

TEST_F(Limits, InvalidUtf8InARecordIsRefused) {
  ExpectImportRefused(
      "utf8.jsonl",
      AwardLine("u1", "2022-03-05", "P1", "bad \xC3\x28 byte", "2022-03-06T11:00:00+08:00"),
      "utf8.jsonl:2: ");
  ExpectImportRefused(
      "surrogate.jsonl",
      AwardLine("u2", "2022-03-05", "P1", "\xED\xA0\x80", "2022-03-06T11:00:00+08:00"),
      "surrogate.jsonl:2: ");
}

TEST_F(Limits, NulBytesAreRefused) {
  ExpectImportRefused(
      "nul.jsonl",
      AwardLine("n1", "2022-03-05", "P1", std::string("a\0b", 3), "2022-03-06T11:00:00+08:00"),
      "nul.jsonl:2: ");
  ExpectImportRefused("nul_outside.jsonl", std::string("\0", 1) + kGoodAward,
                      "nul_outside.jsonl:2: ");
  ExpectImportRefused("nul_escaped.jsonl",
                      AwardLine("n2", "2022-03-05", "P1", "a\\u0000b", "2022-03-06T11:00:00+08:00"),
                      "nul_escaped.jsonl:2: ");
}

TEST_F(Limits, AbsurdDatesAreRefused) {
  for (const char* date : {"0000-01-01", "2022-02-30", "2022-13-01", "9999-12-31", "-001-01-01",
                           "2022-3-5", "１９９９-01-01"}) {
    ExpectImportRefused("date.jsonl", AwardLine("d1", date, "P1", "x", "2022-03-06T11:00:00+08:00"),
                        "date.jsonl:2: ");
  }
  for (const char* recorded :
       {"0000-01-01T00:00:00Z", "2022-02-30T10:00:00+08:00", "2022-03-06T25:00:00+08:00",
        "2022-03-06T10:00:00+99:00", "2022-03-06T10:00:00"}) {
    ExpectImportRefused("recorded.jsonl", AwardLine("d2", "2022-03-05", "P1", "x", recorded),
                        "recorded.jsonl:2: ");
  }
  Outcome r =
      Jifen(scratch_, ledger_,
            {"rules", "adopt", std::string(JIFEN_SOURCE_DIR) + "/tests/rules/good_sample.rules",
             "--effective", "2022-02-30"});
  EXPECT_EQ(Misbehaved(r), "");
  EXPECT_TRUE(r.rc == 1 || r.rc == 2) << r.err;
  r = Jifen(scratch_, ledger_, {"score", "--village", "SYS", "--period", "0000-01"});
  EXPECT_EQ(Misbehaved(r), "");
  EXPECT_NE(r.rc, 0);
}

TEST_F(Limits, HugeQuantitiesAreRefused) {
  auto with_qty = [](const std::string& qty) {
    return R"({"type":"award","id":"q1","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1.01","qty":)" +
           qty +
           R"(,"scorer":"S1","recorded":"2022-03-06T11:00:00+08:00"})"
           "\n";
  };
  for (const char* qty :
       {"1e12", "1000000000000", "99999999999999999999999999", "-1", "0", "1.5", "1000001", "0.001",
        "1000000.01", "2.500", "0.00", "1.5e0", "\"2\"", "null"}) {
    ExpectImportRefused("qty.jsonl", with_qty(qty), "qty.jsonl:2: ");
  }
  // A redemption of a huge quantity, and a huge amount to distribute, neither overflows.
  ExpectImportRefused(
      "redeem.jsonl",
      R"({"type":"redeem","id":"r1","village":"SYS","household":"H01","reward":"R01","qty":1000000,"date":"2022-03-20","scorer":"S1","recorded":"2022-03-21T10:00:00+08:00"})"
      "\n",
      "redeem.jsonl:2: ");
  Outcome r = Jifen(scratch_, ledger_,
                    {"distribute", "--village", "SYS", "--year", "2022", "--amount", "1e12"});
  EXPECT_EQ(Misbehaved(r), "");
  EXPECT_NE(r.rc, 0);
  r = Jifen(
      scratch_, ledger_,
      {"distribute", "--village", "SYS", "--year", "2022", "--amount", "99999999999999999999999"});
  EXPECT_EQ(Misbehaved(r), "");
  EXPECT_NE(r.rc, 0);
}

TEST_F(Limits, ATenMegabyteLineIsRefusedQuickly) {
  std::string reason(10 * 1024 * 1024, 'x');
  ExpectImportRefused("long.jsonl",
                      AwardLine("l1", "2022-03-05", "P1", reason, "2022-03-06T11:00:00+08:00"),
                      "long.jsonl:2: ");
  ExpectImportRefused("long_garbage.jsonl", std::string(10 * 1024 * 1024, '['),
                      "long_garbage.jsonl:2: ");
  ExpectImportRefused(
      "long.csv",
      "id,village,date,subject,item,scorer,reason\nl2,SYS,2022-03-05,P1,C1.01,S1," + reason + "\n",
      "long.csv:2: ", false);
}

TEST_F(Limits, OversizedFieldsAreRefused) {
  ExpectImportRefused("name.jsonl",
                      R"({"type":"household","village":"SYS","household":"H09","name":")" +
                          std::string(1001, 'n') +
                          R"(","since":"2022-01-01","recorded":"2022-03-06T11:00:00+08:00"})"
                          "\n",
                      "name.jsonl:2: ");
  ExpectImportRefused(
      "code.jsonl",
      AwardLine(std::string(65, 'i'), "2022-03-05", "P1", "x", "2022-03-06T11:00:00+08:00"),
      "code.jsonl:2: ");
  std::string evidence;
  for (int i = 0; i < 101; ++i)
    evidence += std::string(i ? "," : "") + "\"e" + std::to_string(i) + "\"";
  ExpectImportRefused(
      "evidence.jsonl",
      R"({"type":"award","id":"e1","village":"SYS","date":"2022-03-05","subject":"P1","item":"C1.01","scorer":"S1","evidence":[)" +
          evidence +
          R"(],"recorded":"2022-03-06T11:00:00+08:00"})"
          "\n",
      "evidence.jsonl:2: ");
  std::string deep(100'000, '[');
  ExpectImportRefused("deep.jsonl", R"({"type":"award","reason":)" + deep + "\n", "deep.jsonl:2: ");
}

TEST_F(Limits, ManyBadLinesAreAllListedAndNothingIsWritten) {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text +=
        AwardLine("m" + std::to_string(i), "2022-02-30", "P1", "x", "2022-03-06T11:00:00+08:00");
  ExpectImportRefused("many.jsonl", text, "many.jsonl:20001: ", true, 200 * 20001);
}

TEST_F(Limits, BadCsvFilesAreRefused) {
  // Bytes that are neither UTF-8 nor GB18030, an unterminated quote, a NUL, a bad date.
  ExpectImportRefused("bytes.csv",
                      "id,village,date,subject,item,scorer\nb1,SYS,2022-03-05,P1,C1.01,\xFF\xFF\n",
                      "bytes.csv", false);
  ExpectImportRefused("quote.csv",
                      "id,village,date,subject,item,scorer\nb1,SYS,\"2022-03-05,P1,C1.01,S1\n",
                      "quote.csv", false);
  ExpectImportRefused(
      "nul.csv",
      std::string("id,village,date,subject,item,scorer\nb1,SYS,2022-03-05,P\0,C1.01,S1\n", 48),
      "nul.csv:2: ", false);
  ExpectImportRefused(
      "date.csv",
      "id,village,date,subject,item,scorer,recorded\nb1,SYS,0000-01-01,P1,C1.01,S1,2022-03-06T11:00:00+08:00\n",
      "date.csv:2: ", false);
}

TEST_F(Limits, DeeplyNestedBonusConditionsAreRefusedWithoutBlowingTheStack) {
  for (int depth : {101, 10'000, 1'000'000}) {
    std::string condition =
        std::string(depth, '(') + "count(positive) > 0" + std::string(depth, ')');
    std::string text =
        "village D \"d\" {\n  period month\n}\nbonus B \"b\" +1 per household when " + condition +
        "\n";
    ExpectCheckRefused("deep" + std::to_string(depth) + ".rules", text, ":4:");
    Outcome r =
        Jifen(scratch_, ledger_, {"fmt", scratch_.Path("deep" + std::to_string(depth) + ".rules")});
    EXPECT_EQ(Misbehaved(r), "");
    EXPECT_EQ(r.rc, 1);
    r = Jifen(scratch_, ledger_,
              {"rules", "adopt", scratch_.Path("deep" + std::to_string(depth) + ".rules"),
               "--effective", "2022-01-01"});
    EXPECT_EQ(Misbehaved(r), "");
    EXPECT_EQ(r.rc, 1);
  }
  std::string nots;
  for (int i = 0; i < 10'000; ++i) nots += "not ";
  ExpectCheckRefused(
      "nots.rules",
      "village D \"d\" {\n}\nbonus B \"b\" +1 per household when " + nots + "count(positive) > 0\n",
      ":3:");
}

TEST_F(Limits, HostileRuleFilesAreRefusedClearly) {
  ExpectCheckRefused("utf8.rules", "village X \"\xC3\x28\" {\n}\n", "utf8.rules:1:");
  ExpectCheckRefused("nul.rules", std::string("village X \"a\0b\" {\n}\n", 19), "nul.rules:1:");
  ExpectCheckRefused("long_line.rules", "village X \"" + std::string(10 * 1024 * 1024, 'x') + "\n",
                     "long_line.rules:1:");
  // Above kRuleFileBytesMax (16 MiB): one diagnostic, not a parse.
  ExpectCheckRefused("huge.rules", std::string(17 * 1024 * 1024, '#'), "huge.rules");
  std::string many_errors;
  for (int i = 0; i < 100'000; ++i) many_errors += "item ?\n";
  ExpectCheckRefused("errors.rules", many_errors, "errors.rules:1:");
  // A file that checks but is larger than a rule adoption may hold (1 MiB) is refused by adopt.
  std::string big = ReadFile(std::string(JIFEN_SOURCE_DIR) + "/tests/rules/good_sample.rules");
  for (int i = 0; i < 30'000; ++i) big += "# padding padding padding padding padding padding\n";
  std::string file = scratch_.Write("big.rules", big);
  Outcome check = Jifen(scratch_, ledger_, {"check", file});
  EXPECT_EQ(Misbehaved(check), "");
  Outcome adopt = Jifen(scratch_, ledger_, {"rules", "adopt", file, "--effective", "2023-01-01"});
  EXPECT_EQ(Misbehaved(adopt), "");
  EXPECT_EQ(adopt.rc, 1) << adopt.err;
  EXPECT_NE(adopt.err, "");
  EXPECT_EQ(Jifen(scratch_, ledger_, {"verify"}).out, verify_before_);
}

}  // namespace
}  // namespace jifen::reliability
