// Admission's refusals as `jifen` says them (SPEC.md §4 "Refusal codes", §5): in --lang, and as
// one JSON object per refusal with --format json; the English lines are byte for byte as before.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/common/run_binary.h"

namespace jifen::cli {
namespace {

using tests::Outcome;

class RefusalCli : public tests::ScratchTest {
 protected:
  RefusalCli() : ScratchTest("jifen-refusal-cli") {}

  Outcome Jifen(const std::string& args) const {
    return Shell(std::string(JIFEN_BINARY) + " --ledger " + Path("ledger") + " " + args);
  }
  void SetUp() override {
    Outcome r = Jifen(
        "rules adopt " + std::string(JIFEN_SOURCE_DIR) +
        "/tests/rules/good_sample.rules --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00");
    ASSERT_EQ(r.rc, 0) << r.err;
    r = Jifen(
        "import " +
        Write(
            "reg.jsonl",
            R"({"type":"household","village":"SYS","household":"H01","name":"张家","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
            "\n"
            R"({"type":"person","village":"SYS","person":"P1","name":"张三","household":"H01","since":"2022-01-01","recorded":"2022-01-01T08:00:00+08:00"})"
            "\n"
            R"({"type":"scorer","village":"SYS","scorer":"S1","name":"王五","role":"网格员","recorded":"2022-01-01T08:00:00+08:00"})"
            "\n"));
    ASSERT_EQ(r.rc, 0) << r.err;
    before_ = Jifen("verify").out;
  }
  static std::string Award(const std::string& id, const std::string& subject,
                           const std::string& scorer) {
    return R"({"type":"award","id":")" + id +
           R"(","village":"SYS","date":"2022-03-05","subject":")" + subject +
           R"(","item":"C1.01","scorer":")" + scorer +
           R"(","recorded":"2022-03-05T20:00:00+08:00"})"
           "\n";
  }
  std::string before_;
};

TEST_F(RefusalCli, ImportRefusalsAreSaidInTheLanguageAsked) {
  std::string bad = Write(
      "bad.jsonl", Award("a1", "P1", "S1") + Award("a2", "P1", "S9") + Award("a3", "P9", "S1"));
  Outcome en = Jifen("import " + bad);
  EXPECT_EQ(en.rc, 1);
  EXPECT_EQ(en.err, bad + ":2: scorer S9: not registered\n" + bad +
                        ":3: subject P9: not registered\n"
                        "jifen: import refused: 2 bad line(s); nothing written\n");
  Outcome zh = Jifen("import " + bad + " --lang zh");
  EXPECT_EQ(zh.rc, 1);
  EXPECT_EQ(zh.err, bad + ":2: 采集人 S9：没有登记\n" + bad +
                        ":3: 对象 P9：本村没有这个户号或人员编号\n"
                        "jifen：导入被拒绝：2 行有误；什么也没有写入\n");
  EXPECT_EQ(Jifen("verify").out, before_);
}

TEST_F(RefusalCli, ImportRefusalsAsJsonCarryCodeFileLineFieldAndMessage) {
  std::string bad = Write("bad.jsonl", Award("a1", "P1", "S1") + Award("a2", "P9", "S1"));
  Outcome r = Jifen("import " + bad + " --format json --lang zh");
  EXPECT_EQ(r.rc, 1);
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  EXPECT_EQ(doc["refused"], true);
  ASSERT_EQ(doc["refusals"].size(), 1u) << r.out;
  const auto& one = doc["refusals"][0];
  EXPECT_EQ(one["code"], "subject_not_registered");
  EXPECT_EQ(one["number"], 28);
  EXPECT_EQ(one["file"], bad);
  EXPECT_EQ(one["line"], 2);
  EXPECT_EQ(one["field"], "subject");
  EXPECT_EQ(one["message"], "对象 P9：本村没有这个户号或人员编号");
  EXPECT_EQ(Jifen("verify").out, before_);
}

TEST_F(RefusalCli, AWorkflowCommandAndAnAdoptionRefuseInTheLanguageAsked) {
  // A registered scorer approving an award the village does not have: admission's refusal (an
  // unknown scorer is now refused by name before admission sees it, with the closest codes).
  Outcome approve = Jifen("approve --village SYS --award a9 --scorer S1 --lang zh");
  EXPECT_EQ(approve.rc, 1);
  EXPECT_EQ(approve.err.rfind("jifen: ", 0), 0u) << approve.err;
  EXPECT_NE(approve.err.find("a9"), std::string::npos) << approve.err;
  EXPECT_NE(approve.err.find("jifen：approve 被拒绝；什么也没有写入\n"), std::string::npos)
      << approve.err;
  EXPECT_EQ(approve.err.find("not "), std::string::npos) << approve.err;  // no English
  std::string rules = std::string(JIFEN_SOURCE_DIR) + "/tests/rules/good_sample.rules";
  Outcome adopt = Jifen("rules adopt " + rules + " --effective 2023-01-15 --format json");
  EXPECT_EQ(adopt.rc, 1);
  auto doc = nlohmann::json::parse(adopt.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << adopt.out;
  EXPECT_EQ(doc["refusals"][0]["code"], "effective_not_month_start");
  EXPECT_EQ(doc["refusals"][0]["field"], "effective");
  EXPECT_EQ(doc["refusals"][0]["message"],
            "effective date 2023-01-15 is not the first day of a month");
  Outcome zh = Jifen("rules adopt " + rules + " --effective 2023-01-15 --lang zh");
  EXPECT_EQ(zh.err, rules + ": 生效日期 2023-01-15 不是一个月的第一天\n");
  EXPECT_EQ(Jifen("verify").out, before_);
}

}  // namespace
}  // namespace jifen::cli
