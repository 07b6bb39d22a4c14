// End-to-end: what a clerk types (SPEC.md §5 "What the CLI takes"). Villages, households and
// scorers by name or by code in any case, with the closest on a miss; periods in Chinese; usage
// errors in the clerk's language; `jifen` alone; a ledger that is not there.
#include <gtest/gtest.h>

#include <string>

#include "tests/common/run_binary.h"

namespace {

using jifen::tests::Outcome;

class ClerkInput : public jifen::tests::ScratchTest {
 protected:
  ClerkInput() : ScratchTest("jifen-clerk") {}

  // Runs jifen with `args` (shell words) on this test's ledger; `environment` goes first.
  Outcome Jifen(const std::string& args, const std::string& environment = "") const {
    return Shell(environment + " " + std::string(JIFEN_BINARY) + " --ledger " + Path("ledger") +
                 " " + args);
  }

  // The sample village SYS 双杨树村 with households H01 张家 and H02 李家, persons P1 张三 and P2
  // 李四, scorer S1 王五, and one award in March 2022. `keywords`: the rule file's language.
  void Village(const std::string& keywords = "en") {
    std::string rules = std::string(JIFEN_SOURCE_DIR) + "/tests/rules/good_sample.rules";
    if (keywords == "zh") {
      Outcome fmt = Jifen("fmt " + rules + " --keywords zh > " + Path("zh.rules"));
      ASSERT_EQ(fmt.rc, 0) << fmt.err;
      rules = Path("zh.rules");
    }
    Outcome r = Jifen("rules adopt " + rules +
                      " --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00");
    ASSERT_EQ(r.rc, 0) << r.err;
    const std::string at = R"(","recorded":"2022-01-01T08:00:00+08:00"})"
                           "\n";
    std::string text =
        R"({"type":"household","village":"SYS","household":"H01","name":"张家","since":"2022-01-01","shares":1)" +
        std::string(R"(,"recorded":"2022-01-01T08:00:00+08:00"})") + "\n" +
        R"({"type":"household","village":"SYS","household":"H02","name":"李家","since":"2022-01-01","shares":1)" +
        R"(,"recorded":"2022-01-01T08:00:00+08:00"})" + "\n" +
        R"({"type":"person","village":"SYS","person":"P1","name":"张三","household":"H01","since":"2022-01-01)" +
        at +
        R"({"type":"person","village":"SYS","person":"P2","name":"李四","household":"H02","since":"2022-01-01)" +
        at + R"({"type":"scorer","village":"SYS","scorer":"S1","name":"王五","role":"网格员)" + at +
        R"({"type":"award","id":"a1","village":"SYS","date":"2022-03-01","subject":"P1","item":"C1.01","scorer":"S1","recorded":"2022-03-01T20:00:00+08:00"})"
        "\n";
    r = Jifen("import " + Write("reg.jsonl", text));
    ASSERT_EQ(r.rc, 0) << r.err;
  }
};

TEST_F(ClerkInput, AVillageByItsNameOrItsCodeInAnyCaseIsTheVillage) {
  Village();
  Outcome by_code = Jifen("score --village SYS --period 2022-03");
  ASSERT_EQ(by_code.rc, 0) << by_code.err;
  for (const char* village : {"双杨树村", "sys", "Sys"}) {
    Outcome r = Jifen(std::string("score --village ") + village + " --period 2022-03");
    EXPECT_EQ(r.rc, 0) << village << ": " << r.err;
    EXPECT_EQ(r.out, by_code.out) << village;
  }
}

TEST_F(ClerkInput, AVillageThatIsNotThereNamesTheClosest) {
  Village();
  Outcome r = Jifen("score --village 双杨村 --period 2022-03");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "jifen: village 双杨村: not in the ledger; closest: SYS 双杨树村\n");
  r = Jifen("score --village 双杨村 --period 2022-03 --lang zh");
  EXPECT_EQ(r.err, "jifen: 村 双杨村：账本里没有；最接近的：SYS 双杨树村\n");
  // Nothing to be close to is still a miss.
  r = Jifen("board --village XYZ --period 2022-03 --out " + Path("b.html"));
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("village XYZ: not in the ledger"), std::string::npos) << r.err;
}

TEST_F(ClerkInput, AHouseholdByItsNameOrItsCodeInAnyCase) {
  Village();
  Outcome by_code = Jifen("explain --village SYS --period 2022-03 --household H01");
  ASSERT_EQ(by_code.rc, 0) << by_code.err;
  for (const char* household : {"张家", "h01"}) {
    Outcome r =
        Jifen(std::string("explain --village 双杨树村 --period 2022-03 --household ") + household);
    EXPECT_EQ(r.rc, 0) << household << ": " << r.err;
    EXPECT_EQ(r.out, by_code.out) << household;
  }
  Outcome r = Jifen("explain --village SYS --period 2022-03 --household 赵家");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err.rfind("jifen: household 赵家: not registered in village SYS; closest: ", 0), 0u)
      << r.err;
}

TEST_F(ClerkInput, AScorerByNameIsWrittenAsItsCode) {
  Village();
  Outcome r = Jifen(
      "post --village sys --period 2022年3月 --scorer 王五 --recorded 2022-04-01T09:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  Outcome log = Jifen("log --village SYS");
  EXPECT_NE(log.out.find(R"("id":"SYS-P2022-03","village":"SYS","period":"2022-03","scorer":"S1")"),
            std::string::npos)
      << log.out;
  r = Jifen("approve --village SYS --award a1 --scorer 王六");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err,
            "jifen: scorer 王六: not registered in village SYS; closest: S1 王五 (网格员)\n");
}

TEST_F(ClerkInput, ANameSharedByTwoIsAUsageErrorNamingBoth) {
  Village();
  Outcome r = Jifen("import " + Write("h3.jsonl",
                                      R"({"type":"household","village":"SYS","household":"H03",)"
                                      R"("name":"张家","since":"2022-01-01","shares":1,)"
                                      R"("recorded":"2022-03-02T08:00:00+08:00"})"
                                      "\n"));
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen("explain --village SYS --period 2022-03 --household 张家");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err,
            "jifen: household 张家: a name of more than one: H01 张家, H03 张家; give the code\n");
}

TEST_F(ClerkInput, ChinesePeriodsAreThePeriods) {
  Village();
  std::string march = Jifen("score --village SYS --period 2022-03").out;
  ASSERT_FALSE(march.empty());
  EXPECT_EQ(Jifen("score --village SYS --period 2022年3月").out, march);
  EXPECT_EQ(Jifen("score --village SYS --period 2022年03月").out, march);
  // A quarter: the village counts by month, and says so the same way for either form.
  Outcome q1 = Jifen("score --village SYS --period 2022-Q1");
  ASSERT_FALSE(q1.err.empty());
  for (const char* quarter : {"2022年第一季度", "2022年第1季度"}) {
    Outcome r = Jifen(std::string("score --village SYS --period ") + quarter);
    EXPECT_EQ(r.rc, q1.rc) << quarter;
    EXPECT_EQ(r.err, q1.err) << quarter;
  }
  // A year, where a report takes one.
  std::string year = Jifen("audit --village SYS --year 2022").out;
  ASSERT_FALSE(year.empty());
  EXPECT_EQ(Jifen("audit --village SYS --period 2022年").out, year);
  EXPECT_EQ(Jifen("audit --village SYS --year 2022年").out, year);
  EXPECT_EQ(Jifen("annual --village SYS --year 2022年").out,
            Jifen("annual --village SYS --year 2022").out);
  // Still not a period: a month that is not one, a year where a period is needed.
  EXPECT_EQ(Jifen("score --village SYS --period 2022年13月").rc, 2);
  EXPECT_EQ(Jifen("score --village SYS --period 2022年").rc, 2);
}

TEST_F(ClerkInput, UsageErrorsInEnglishStayAsTheyWere) {
  Village();
  Outcome r = Jifen("score --village SYS");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "--period is required\nRun with --help or --help-all for more information.\n");
}

TEST_F(ClerkInput, UsageErrorsInTheChosenLanguage) {
  Village();
  Outcome r = Jifen("score --village SYS --lang zh");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "缺少 --period（必须给出）\n用 --help 查看用法。\n");
  r = Jifen("score --village SYS --period 2022-03 --bogus", "JIFEN_LANG=zh");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "不认识或多余的参数：--bogus\n用 --help 查看用法。\n");
  r = Jifen("annual --village SYS --year 0 --lang zh");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "--year 的值 0 不在 1 到 9999 之间\n用 --help 查看用法。\n");
  r = Jifen("score --village SYS --period 2022-03 extra words --lang zh");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "不认识或多余的参数：extra words\n用 --help 查看用法。\n");
  // --lang wins over JIFEN_LANG.
  r = Jifen("score --village SYS --lang en", "JIFEN_LANG=zh");
  EXPECT_EQ(r.err, "--period is required\nRun with --help or --help-all for more information.\n");
}

TEST_F(ClerkInput, UsageErrorsInTheLanguageOfTheLedgersRules) {
  Village("zh");
  Outcome r = Jifen("score --village SYS");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "缺少 --period（必须给出）\n用 --help 查看用法。\n");
}

TEST_F(ClerkInput, JifenAloneListsTheEverydayCommandsInBothLanguages) {
  Outcome r = Shell(JIFEN_BINARY);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "");
  for (const char* words : {"常用命令", "everyday commands", "jifen demo", "jifen score",
                            "jifen import", "2022年3月", "jifen --help"}) {
    EXPECT_NE(r.err.find(words), std::string::npos) << words << " in " << r.err;
  }
}

TEST_F(ClerkInput, AMissingLedgerSaysHowToGiveOneOrMakeOne) {
  Outcome r = Jifen("score --village SYS --period 2022-03");
  EXPECT_EQ(r.rc, 1);
  std::string ledger = Path("ledger");
  EXPECT_EQ(r.err, "jifen: ledger " + ledger +
                       ": not found; give the ledger's directory with --ledger DIR, or run `jifen "
                       "demo` to make a demo ledger to try\njifen: 账本 " +
                       ledger +
                       "：没有找到；用 --ledger 目录 指定账本所在的目录，或运行 jifen demo "
                       "生成一个示例账本试用\n");
  r = Jifen("verify --lang zh");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "jifen: 账本 " + ledger +
                       "：没有找到；用 --ledger 目录 指定账本所在的目录，或运行 jifen demo "
                       "生成一个示例账本试用\n");
  r = Jifen("compare --period 2022-03 --lang en");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("--ledger DIR"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("账本"), std::string::npos) << r.err;
}

}  // namespace
