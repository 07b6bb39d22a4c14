// The workflow commands end to end with the real binary (SPEC.md §5: approve, post, object, rule,
// objections) and the period state every report now carries: score, explain, board, compare,
// annual, audit; `log` and a re-import of it give the same chain.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/common/run_binary.h"

namespace {

using jifen::tests::Outcome;
using Json = nlohmann::json;

const char* kRules = R"(village AC "验收村" {
  period month
  late 10 days
  review by "村两委" | "驻村干部"
  notice 3 days
}
category G "公益" {
  item G.1 "志愿服务" +2 per person, unit "小时", cap 10
  item G.2 "庭院整洁" +3 per household
}
)";

class WorkflowCli : public jifen::tests::ScratchTest {
 protected:
  WorkflowCli() : ScratchTest("jifen-workflow") {}

  Outcome Jifen(const std::string& args, const std::string& ledger = "ledger") const {
    return Shell(std::string(JIFEN_BINARY) + " --ledger " + Path(ledger) + " " + args);
  }
  Json JsonOf(const std::string& args) const {
    Outcome r = Jifen(args + " --format json");
    EXPECT_EQ(r.rc, 0) << args << ": " << r.err;
    return r.rc == 0 ? Json::parse(r.out) : Json();
  }
  static Json Household(const Json& doc, const std::string& code) {
    for (const auto& h : doc["households"]) {
      if (h["household"] == code) return h;
    }
    return Json();
  }
  size_t Records() const { return JsonOf("verify")["records"].get<size_t>(); }

  void SetUp() override {
    Write("r.rules", kRules);
    ASSERT_EQ(Jifen("rules adopt " + Path("r.rules") +
                    " --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00")
                  .rc,
              0);
    const std::string reg = R"(,"recorded":"2022-01-01T08:00:00+08:00"})";
    Write(
        "reg.jsonl",
        R"({"type":"household","village":"AC","household":"H1","name":"<script>alert(1)</script>","since":"2022-01-01")" +
            reg + "\n" +
            R"({"type":"household","village":"AC","household":"H2","name":"李家","since":"2022-01-01")" +
            reg + "\n" +
            R"({"type":"person","village":"AC","person":"P1","name":"张三","household":"H1","since":"2022-01-01")" +
            reg + "\n" +
            R"({"type":"person","village":"AC","person":"P2","name":"李四","household":"H2","since":"2022-01-01")" +
            reg + "\n" +
            R"({"type":"scorer","village":"AC","scorer":"S1","name":"网格员甲","role":"网格员")" +
            reg + "\n" +
            R"({"type":"scorer","village":"AC","scorer":"S2","name":"书记","role":"村两委")" + reg +
            "\n" +
            R"({"type":"scorer","village":"AC","scorer":"S3","name":"驻村干部乙","role":"驻村干部","person":"P2")" +
            reg + "\n");
    Write(
        "june.jsonl",
        R"({"type":"award","id":"v1","village":"AC","date":"2022-06-03","subject":"P1","item":"G.1","qty":1.5,"scorer":"S1","recorded":"2022-06-03T20:00:00+08:00"})"
        "\n"
        R"({"type":"award","id":"v2","village":"AC","date":"2022-06-04","subject":"H2","item":"G.2","scorer":"S2","recorded":"2022-06-04T20:00:00+08:00"})"
        "\n"
        R"({"type":"award","id":"v3","village":"AC","date":"2022-06-05","subject":"P2","item":"G.1","qty":4.75,"scorer":"S1","recorded":"2022-06-05T20:00:00+08:00"})"
        "\n");
    Outcome r = Jifen("import " + Path("reg.jsonl") + " " + Path("june.jsonl"));
    ASSERT_EQ(r.rc, 0) << r.err;
  }
};

TEST_F(WorkflowCli, AMonthFromPendingEntriesToFinalThroughTheCommands) {
  Json june = JsonOf("score --village AC --period 2022-06");
  EXPECT_EQ(june["state"], "open");
  EXPECT_TRUE(june["posted"].is_null());
  EXPECT_TRUE(june["post_head"].is_null());
  EXPECT_TRUE(june["notice_until"].is_null());
  EXPECT_EQ(june["objections"], 0);
  EXPECT_EQ(Household(june, "H1")["pending"], 1);
  EXPECT_EQ(Household(june, "H1")["earned"], 0);
  EXPECT_EQ(Household(june, "H2")["earned"], 3);

  // A refused approval says why and writes nothing.
  size_t before = Records();
  Outcome r =
      Jifen("approve --village AC --award v3 --scorer S3 --recorded 2022-06-10T09:00:00+08:00");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("may not approve a record for their own household H2"), std::string::npos)
      << r.err;
  EXPECT_EQ(Records(), before);
  for (const char* award : {"v1", "v3"}) {
    r = Jifen(std::string("approve --village AC --award ") + award +
              " --scorer S2 --recorded 2022-06-10T09:00:00+08:00");
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  june = JsonOf("score --village AC --period 2022-06");
  EXPECT_EQ(Household(june, "H1")["earned"], 3);     // 2 x 1.5
  EXPECT_EQ(Household(june, "H2")["earned"], 12.5);  // 3 + 2 x 4.75
  EXPECT_EQ(Household(june, "H2")["rank"], 1);

  // Posting: the head it records is the ledger's before it, and the window runs 3 days.
  std::string head = JsonOf("verify")["head"];
  r = Jifen("post --village AC --period 2022-06 --scorer S1 --recorded 2022-06-30T17:00:00+08:00");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("only a reviewer may post"), std::string::npos) << r.err;
  r = Jifen("post --village AC --period 2022-06 --scorer S2 --recorded 2022-06-30T17:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"AC-P2022-06\""), std::string::npos) << r.out;
  june = JsonOf("score --village AC --period 2022-06 --as-of 2022-07-01T12:00:00+08:00");
  EXPECT_EQ(june["state"], "notice");
  EXPECT_EQ(june["post_head"], head);
  EXPECT_EQ(june["posted"], "2022-06-30T17:00:00+08:00");
  EXPECT_EQ(june["notice_until"], "2022-07-03");

  // Objections: one of --record and --household.
  EXPECT_EQ(Jifen("object --village AC --period 2022-06 --reason x --filed-by y").rc, 2);
  r = Jifen(
      "object --village AC --period 2022-06 --record v2 --reason 没有打扫 --filed-by 王五 "
      "--recorded 2022-07-02T10:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen(
      "object --village AC --period 2022-06 --household H1 --reason 漏记 --filed-by 张三 "
      "--recorded 2022-07-04T10:00:00+08:00");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("notice window ended on 2022-07-03"), std::string::npos) << r.err;
  Json list = JsonOf("objections --village AC --period 2022-06");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], "AC-O2022-06");
  EXPECT_EQ(list["items"][0]["target"], "v2");
  EXPECT_TRUE(list["items"][0]["ruling"].is_null());
  EXPECT_EQ(list["state"], "awaiting_rulings");
  EXPECT_EQ(JsonOf("score --village AC --period 2022-06")["open_objections"], 1);

  // The ruling after the window: upheld, v2 is revoked and the month is final.
  r = Jifen(
      "rule --village AC --objection AC-O2022-06 --outcome upheld --reason 经核实 --scorer S2 "
      "--recorded 2022-07-05T10:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  june = JsonOf("score --village AC --period 2022-06");
  EXPECT_EQ(june["state"], "final");
  EXPECT_EQ(june["open_objections"], 0);
  EXPECT_EQ(Household(june, "H2")["earned"], 9.5);
  list = JsonOf("objections --village AC --period 2022-06");
  EXPECT_EQ(list["items"][0]["ruling"]["outcome"], "upheld");
  Json explain = JsonOf("explain --village AC --period 2022-06 --household H2");
  EXPECT_EQ(explain["state"], "final");
  bool revoked_by_ruling = false;
  for (const auto& e : explain["events"]) {
    if (e["id"] == "v2") revoked_by_ruling = e["counted"] == 0;
  }
  EXPECT_TRUE(revoked_by_ruling);

  // A late correction into the final month is refused, and nothing is written.
  Write(
      "late.jsonl",
      R"({"type":"award","id":"v5","village":"AC","date":"2022-06-29","subject":"H1","item":"G.2","scorer":"S2","recorded":"2022-07-06T10:00:00+08:00"})"
      "\n");
  before = Records();
  r = Jifen("import " + Path("late.jsonl"));
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("dated in 2022-06: period 2022-06 was posted on 2022-06-30"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Records(), before);

  // The board says the month is final, with its objection, and escapes the household's name.
  r = Jifen("board --village AC --period 2022-06 --out " + Path("board.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string html = Read(Path("board.html"));
  for (const char* text : {"已定稿", "公示期至 2022年7月3日", "共受理 1 件，成立 1 件",
                           "公示日期：2022年6月30日", "&lt;script&gt;alert(1)&lt;/script&gt;"}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  Json board = JsonOf("board --village AC --period 2022-06 --out " + Path("board2.html"));
  EXPECT_EQ(board["state"], "final");
  EXPECT_EQ(board["objections"], 1);

  // compare, annual and audit carry the states and the review.
  Json compare = JsonOf("compare --period 2022-06");
  EXPECT_EQ(compare["villages"][0]["states"]["2022-06"], "final");
  Json annual = JsonOf("annual --village AC --year 2022");
  EXPECT_EQ(annual["final"], false);
  EXPECT_EQ(annual["periods_final"], 1);
  EXPECT_EQ(annual["states"]["2022-06"], "final");
  Json audit = JsonOf("audit --village AC --period 2022-06");
  EXPECT_EQ(audit["pending"].size(), 0u);
  ASSERT_EQ(audit["approvals"].size(), 2u);
  EXPECT_EQ(audit["approvals"][0]["approver"], "S2");
  EXPECT_EQ(audit["approvals"][0]["after_post"], false);
  EXPECT_EQ(audit["workflow"][0]["state"], "final");
  EXPECT_EQ(audit["objections"][0]["ruling"]["outcome"], "upheld");
  r = Jifen("audit --village AC --period 2022-06 --lang en");
  EXPECT_NE(r.out.find("Approvals: who approved whose records (2)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("（"), std::string::npos) << "English audit text with Chinese brackets";
}

TEST_F(WorkflowCli, TheLogOfAWorkflowReimportsToTheSameChain) {
  ASSERT_EQ(
      Jifen("approve --village AC --award v1 --scorer S2 --recorded 2022-06-10T09:00:00+08:00").rc,
      0);
  ASSERT_EQ(
      Jifen("post --village AC --period 2022-06 --scorer S2 --recorded 2022-06-30T17:00:00+08:00")
          .rc,
      0);
  ASSERT_EQ(
      Jifen("object --village AC --period 2022-06 --household H2 --reason 漏记 --filed-by 李四 "
            "--recorded 2022-07-01T10:00:00+08:00")
          .rc,
      0);
  ASSERT_EQ(
      Jifen(
          "rule --village AC --objection AC-O2022-06 --outcome dismissed --reason 无误 --scorer S3 "
          "--recorded 2022-07-05T10:00:00+08:00")
          .rc,
      0);
  Outcome log = Jifen("log");
  ASSERT_EQ(log.rc, 0) << log.err;
  // Decimal quantities are written exactly.
  EXPECT_NE(log.out.find(R"("qty":1.5,)"), std::string::npos);
  EXPECT_NE(log.out.find(R"("qty":4.75,)"), std::string::npos);
  // The log without its rules line, imported into a new ledger after the same adoption, gives
  // the same head: every workflow record's bytes are reproduced (the post's head included).
  std::string lines = log.out.substr(log.out.find('\n') + 1);
  Write("log.jsonl", lines);
  ASSERT_EQ(Jifen("rules adopt " + Path("r.rules") +
                      " --effective 2022-01-01 --recorded 2021-12-31T09:00:00+08:00",
                  "copy")
                .rc,
            0);
  Outcome r = Jifen("import " + Path("log.jsonl"), "copy");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(JsonOf("verify")["head"],
            Json::parse(Jifen("verify --format json", "copy").out)["head"]);
  // Importing it again skips every line.
  r = Jifen("import " + Path("log.jsonl"), "copy");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("imported 0 record(s)"), std::string::npos) << r.out;
}

}  // namespace

namespace {

// A missed record found by an upheld household objection, recorded after the month is final:
// explain and audit name the objection beside the record, in text and in JSON.
TEST_F(WorkflowCli, ExplainAndAuditNameTheObjectionALateCorrectionCites) {
  Outcome r =
      Jifen("post --village AC --period 2022-06 --scorer S2 --recorded 2022-06-30T17:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen(
      "object --village AC --period 2022-06 --household H1 --reason 漏记 --filed-by 张三 "
      "--recorded 2022-07-02T10:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen(
      "rule --village AC --objection AC-O2022-06 --outcome upheld --reason 核实漏记 --scorer S2 "
      "--recorded 2022-07-05T10:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  Write("fix.jsonl",
        R"({"type":"award","id":"v9","village":"AC","date":"2022-06-20","subject":"H1","item":"G.2","scorer":"S2","objection":"AC-O2022-06","recorded":"2022-07-06T10:00:00+08:00"})"
        "\n");
  r = Jifen("import " + Path("fix.jsonl"));
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen("explain --village AC --period 2022-06 --household H1 --lang zh");
  EXPECT_NE(r.out.find("补录于 2022-07-06，依据成立的异议 AC-O2022-06"), std::string::npos) << r.out;
  Json explain = JsonOf("explain --village AC --period 2022-06 --household H1");
  bool named = false;
  for (const auto& e : explain["events"]) {
    if (e["id"] == "v9") named = e.value("cites_objection", "") == "AC-O2022-06";
    if (e["id"] == "v1") EXPECT_FALSE(e.contains("cites_objection"));
  }
  EXPECT_TRUE(named) << explain.dump();
  Json audit = JsonOf("audit --village AC --period 2022-06");
  ASSERT_EQ(audit["late"].size(), 1u) << audit["late"].dump();
  EXPECT_EQ(audit["late"][0]["id"], "v9");
  EXPECT_EQ(audit["late"][0]["cites_objection"], "AC-O2022-06");
  r = Jifen("audit --village AC --period 2022-06 --lang en");
  EXPECT_NE(r.out.find("cites objection AC-O2022-06"), std::string::npos) << r.out;
}

}  // namespace
