// `jifen demo` and `jifen simulate` end to end: the real binary on the bundled villages.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

#include "tests/common/run_binary.h"

namespace {

struct Ran {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

class DemoTest : public jifen::tests::ScratchTest {
 protected:
  DemoTest() : ScratchTest("jifen-demo"), dir_(scratch_.path()) {}

  Ran RunJifen(const std::string& args) const {
    jifen::tests::Outcome r = Shell(std::string(JIFEN_BINARY) + " " + args + " 2>&1");
    return {r.rc, r.out};
  }

  const std::string dir_;
};

TEST_F(DemoTest, DemoBuildsAFreshLedgerAndShowsTheMainCommands) {
  Ran run = RunJifen("demo --out " + dir_);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* expected :
       {"Simulated 2022 for 4 villages", "jifen verify", "jifen score --village SYS",
        "jifen annual --village SYS", "jifen explain --village SYS",
        "jifen distribute --village SYS", "双杨树村", "最美家庭", "--ledger "}) {
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
  }
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/ledger/data.mdb"));

  // The last step: how to open it in the browser, with the demo accounts it made.
  for (const char* expected :
       {"jifen serve --ledger", "http://127.0.0.1:8080/", "xhl-clerk / xhl-clerk-demo",
        "xhl-scorer / xhl-scorer-demo", "township / township-demo", "jifen cards --village XHL"}) {
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
  }
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/ledger/accounts"));

  // Run again: the old demo ledger (and its accounts) is replaced, not appended to. The same
  // output, but for the card link, signed with the new ledger's new secret.
  Ran again = RunJifen("demo --out " + dir_);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  std::regex token("/h/XHL/H001/[0-9a-f]{64}");
  EXPECT_TRUE(std::regex_search(run.output, token)) << run.output;
  EXPECT_EQ(std::regex_replace(again.output, token, "TOKEN"),
            std::regex_replace(run.output, token, "TOKEN"));
}

TEST_F(DemoTest, DemoRefusesToReplaceADirectoryThatIsNotALedger) {
  std::filesystem::create_directories(dir_ + "/ledger");
  {
    FILE* f = fopen((dir_ + "/ledger/notes.txt").c_str(), "w");
    fclose(f);
  }
  Ran run = RunJifen("demo --out " + dir_);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/ledger/notes.txt"));
}

TEST_F(DemoTest, SimulatePrintsASummaryAndTheLedgerVerifies) {
  std::string ledger = dir_ + "/sim";
  Ran run =
      RunJifen("simulate --villages 2 --households 5 --year 2021 --seed 3 --ledger " + ledger);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Simulated 2021 for 2 villages"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find(" award"), std::string::npos) << run.output;
  Ran verify = RunJifen("verify --ledger " + ledger);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  // A second simulation into the same ledger is refused: simulate writes new ledgers only.
  Ran again =
      RunJifen("simulate --villages 2 --households 5 --year 2021 --seed 3 --ledger " + ledger);
  EXPECT_EQ(again.exit_code, 1) << again.output;
}

}  // namespace
