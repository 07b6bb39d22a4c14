// Several `jifen` processes on one ledger at once: two imports both go in whole (or one is refused
// whole, with a message, and goes in when run again), and a reader replaying during an import sees
// the ledger either before or after it, never half of it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "tests/reliability/harness.h"

namespace jifen::reliability {
namespace {

// A village without a `late` limit, so that awards need no "recorded" (the importer stamps the
// clock) and two imports do not have to agree on whose times come first.
constexpr char kRules[] =
    "village CON \"并发村\" {\n  period month\n}\n"
    "category C \"c\" {\n  item C.1 \"参加活动\" +1 per person\n}\n";

std::string Registrations() {
  std::string text;
  for (int h = 0; h < 20; ++h) {
    std::string hh = "H" + std::to_string(h), p = "P" + std::to_string(h);
    text += R"({"type":"household","village":"CON","household":")" + hh +
            R"(","name":"户","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
            "\n";
    text += R"({"type":"person","village":"CON","person":")" + p +
            R"(","name":"人","household":")" + hh +
            R"(","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
            "\n";
  }
  text +=
      R"({"type":"scorer","village":"CON","scorer":"S1","name":"王五","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})"
      "\n";
  return text;
}

// `count` awards with ids PREFIX-N and reason PREFIX, spread over the persons, no recorded time.
std::string Awards(const std::string& prefix, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += R"({"type":"award","id":")" + prefix + "-" + std::to_string(i) +
            R"(","village":"CON","date":"2022-03-05","subject":"P)" + std::to_string(i % 20) +
            R"(","item":"C.1","scorer":"S1","reason":")" + prefix + "\"}\n";
  }
  return text;
}

class Concurrency : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = scratch_.Path("ledger");
    Outcome r = Jifen(scratch_, ledger_,
                      {"rules", "adopt", scratch_.Write("con.rules", kRules), "--effective",
                       "2022-01-01", "--recorded", "2021-12-31T09:00:00+08:00"});
    ASSERT_EQ(r.rc, 0) << r.err;
    r = Jifen(scratch_, ledger_, {"import", scratch_.Write("reg.jsonl", Registrations())});
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  ScratchDir scratch_;
  std::string ledger_;
};

TEST_F(Concurrency, TwoImportsAtOnceLoseNothing) {
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::string a = "A" + std::to_string(round), b = "B" + std::to_string(round);
    std::string file_a = scratch_.Write(a + ".jsonl", Awards(a, 800));
    std::string file_b = scratch_.Write(b + ".jsonl", Awards(b, 800));
    pid_t pa = StartJifen({"--ledger", ledger_, "import", file_a}, scratch_.Path("a.out"),
                          scratch_.Path("a.err"));
    pid_t pb = StartJifen({"--ledger", ledger_, "import", file_b}, scratch_.Path("b.out"),
                          scratch_.Path("b.err"));
    Outcome ra =
        WaitJifen(pa, std::chrono::seconds(120), scratch_.Path("a.out"), scratch_.Path("a.err"));
    Outcome rb =
        WaitJifen(pb, std::chrono::seconds(120), scratch_.Path("b.out"), scratch_.Path("b.err"));
    ASSERT_EQ(Misbehaved(ra), "");
    ASSERT_EQ(Misbehaved(rb), "");
    ASSERT_TRUE(ra.rc == 0 || rb.rc == 0) << ra.err << rb.err;
    Outcome log = Jifen(scratch_, ledger_, {"log"});
    ASSERT_EQ(log.rc, 0) << log.err;
    for (const auto& [prefix, r, file] : {std::tuple{a, ra, file_a}, std::tuple{b, rb, file_b}}) {
      size_t present = CountOf(log.out, "\"reason\":\"" + prefix + "\"");
      if (r.rc == 0) {
        EXPECT_EQ(present, 800u) << prefix;
      } else {
        // Refused whole, with a reason, and nothing of it written; it goes in when run again.
        EXPECT_EQ(r.rc, 1) << r.err;
        EXPECT_NE(r.err, "") << prefix;
        EXPECT_EQ(present, 0u) << prefix;
        Outcome again = Jifen(scratch_, ledger_, {"import", file});
        EXPECT_EQ(again.rc, 0) << again.err;
      }
    }
  }
  Outcome log = Jifen(scratch_, ledger_, {"log"});
  EXPECT_EQ(CountOf(log.out, "\"type\":\"award\""), 5u * 2 * 800);
  EXPECT_EQ(Jifen(scratch_, ledger_, {"verify"}).rc, 0);
}

TEST_F(Concurrency, AReaderDuringAnImportSeesTheLedgerBeforeOrAfterIt) {
  const std::vector<std::string> score = {"score",   "--village", "CON", "--period",
                                          "2022-03", "--format",  "json"};
  Outcome before = Jifen(scratch_, ledger_, score);
  ASSERT_EQ(before.rc, 0) << before.err;
  std::string file = scratch_.Write("big.jsonl", Awards("BIG", 5000));
  pid_t writer = StartJifen({"--ledger", ledger_, "import", file}, scratch_.Path("w.out"),
                            scratch_.Path("w.err"));
  std::vector<std::string> seen;
  for (;;) {
    int status = 0;
    bool done = waitpid(writer, &status, WNOHANG) == writer;
    Outcome r = Jifen(scratch_, ledger_, score);
    ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
    seen.push_back(r.out);
    if (done) {
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << ReadFile(scratch_.Path("w.err"));
      break;
    }
  }
  Outcome after = Jifen(scratch_, ledger_, score);
  ASSERT_NE(after.out, before.out);
  int saw_before = 0;
  for (const std::string& out : seen) {
    EXPECT_TRUE(out == before.out || out == after.out) << out;
    if (out == before.out) ++saw_before;
  }
  EXPECT_EQ(seen.back(), after.out);
  std::printf("reader: %zu replays during the import, %d before it\n", seen.size(), saw_before);
}

}  // namespace
}  // namespace jifen::reliability
