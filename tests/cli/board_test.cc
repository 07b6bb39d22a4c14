// `jifen board`: the public notice as HTML (checked as text and as Chromium renders it) and as an
// Excel workbook, from the real binary on a real ledger; and the pure rendering helpers.
#include "cli/board.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/common/run_binary.h"

namespace {

namespace fs = std::filesystem;

using jifen::tests::Outcome;

constexpr const char* kChromium = "/usr/bin/chromium";

class BoardCli : public jifen::tests::ScratchTest {
 protected:
  BoardCli() : ScratchTest("jifen-board") {}

  // Runs jifen with `args` (shell words, already quoted where needed) on this test's ledger.
  Outcome Jifen(const std::string& args) const {
    return Shell(std::string(JIFEN_BINARY) + " --ledger " + Path("ledger") + " " + args);
  }

  // Chromium headless with a fresh profile and nothing that reaches the network.
  Outcome Chromium(const std::string& args) const {
    fs::create_directories(Path("profile"));
    return Shell(std::string("timeout 180 ") + kChromium +
                 " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                 " --disable-background-networking --disable-component-update --disable-sync "
                 "--user-data-dir=" +
                 Path("profile") + " " + args);
  }

  static std::string Record(const std::string& json) {
    return json.substr(0, json.size() - 1) + R"(,"recorded":"2022-01-01T08:00:00+08:00"})"
                                             "\n";
  }

  static std::string Award(const std::string& id, const std::string& date,
                           const std::string& subject, const std::string& item,
                           const std::string& extra = "") {
    return R"({"type":"award","id":")" + id + R"(","village":"SYS","date":")" + date +
           R"(","subject":")" + subject + R"(","item":")" + item + R"(","scorer":"S1")" + extra +
           R"(,"recorded":")" + date + "T20:00:00+08:00\"}\n";
  }

  // The sample rules and four households: H03 first, H01 and H02 tied (H02's name is markup),
  // H04 vetoed for a crime.
  void BuildLedger() {
    Outcome r =
        Jifen("rules adopt " + std::string(JIFEN_SOURCE_DIR) +
              "/tests/rules/good_sample.rules --effective 2022-01-01 --approved-by 村民代表大会"
              " --recorded 2021-12-31T09:00:00+08:00");
    ASSERT_EQ(r.rc, 0) << r.err;
    const char* names[][3] = {{"H01", "张家", "P1"},
                              {"H02", "<script>alert(1)</script>", "P2"},
                              {"H03", "王建国家", "P3"},
                              {"H04", "赵家", "P4"}};
    std::string text;
    for (const auto& h : names) {
      text += Record(std::string(R"({"type":"household","village":"SYS","household":")") + h[0] +
                     R"(","name":")" + h[1] + R"(","since":"2022-01-01","shares":1})");
      text += Record(std::string(R"({"type":"person","village":"SYS","person":")") + h[2] +
                     R"(","name":"村民)" + h[2] + R"(","household":")" + h[0] +
                     R"(","since":"2022-01-01"})");
    }
    text +=
        Record(R"({"type":"scorer","village":"SYS","scorer":"S1","name":"王五","role":"网格员"})");
    text += Award("a1", "2022-03-01", "P1", "C1.01") + Award("a2", "2022-03-02", "P2", "C1.01") +
            Award("a3", "2022-03-03", "H03", "C1.02", R"(,"evidence":["photo.jpg"])") +
            Award("a4", "2022-03-04", "P4", "C2.02");
    r = Jifen("import " + Write("records.jsonl", text));
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  // `"key":"value"` of a one-line JSON object.
  static std::string JsonString(const std::string& json, const std::string& key) {
    size_t at = json.find("\"" + key + "\":\"");
    if (at == std::string::npos) return "";
    at += key.size() + 4;
    return json.substr(at, json.find('"', at) - at);
  }
};

TEST_F(BoardCli, NoticeShowsNamesTitlesVetoAndTheVerifiedFingerprint) {
  BuildLedger();
  Outcome r = Jifen("board --village SYS --period 2022-03 --out " + Path("board.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, Path("board.html") + "\n");
  std::string html = Read(Path("board.html"));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>双杨树村 2022年3月 积分公示榜</title>"), std::string::npos);
  EXPECT_NE(html.find("别山镇"), std::string::npos);
  for (const char* text :
       {"王建国家", "张家", "赵家", "H04", "最美家庭", "否决", "村代码：SYS",
        "@page { size: A4; margin: 15mm; }", "如有异议，请向村两委或村务监督委员会提出。", "未公示",
        "name=\"viewport\""}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
  // The markup in a household name is shown as text, never run.
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Self-contained: nothing is fetched.
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("@font-face"), std::string::npos);

  Outcome verify = Jifen("verify --format json");
  ASSERT_EQ(verify.rc, 0) << verify.err;
  std::string head = JsonString(verify.out, "head");
  ASSERT_EQ(head.size(), 64u) << verify.out;
  std::string grouped = jifen::cli::GroupHex(head);
  EXPECT_NE(html.find(grouped.substr(0, 35) + "<br>" + grouped.substr(36)), std::string::npos)
      << head;
  EXPECT_NE(html.find("共 14 条记录"), std::string::npos);
  std::string sha =
      JsonString(Jifen("score --village SYS --period 2022-03 --format json").out, "rules_sha256");
  ASSERT_EQ(sha.size(), 64u);
  EXPECT_NE(html.find(sha.substr(0, 12) + "</code>（2022-01-01 起施行；通过：村民代表大会）"),
            std::string::npos);
  EXPECT_NE(html.find("截至 2022-03-04 20:00:00（UTC+08:00）"), std::string::npos);
}

TEST_F(BoardCli, JsonFormatNamesTheFilesAndTheLedgerHead) {
  BuildLedger();
  Outcome r = Jifen("board --village SYS --period 2022-03 --format json --out " + Path("b.html") +
                    " --xlsx " + Path("b.xlsx"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(JsonString(r.out, "html"), Path("b.html"));
  EXPECT_EQ(JsonString(r.out, "xlsx"), Path("b.xlsx"));
  EXPECT_EQ(JsonString(r.out, "window"), "--period 2022-03");
  EXPECT_EQ(JsonString(r.out, "head"), JsonString(Jifen("verify --format json").out, "head"));
  EXPECT_NE(r.out.find(R"("records":14)"), std::string::npos) << r.out;
  Outcome csv = Jifen("board --village SYS --period 2022-03 --format csv --out " + Path("c.html"));
  ASSERT_EQ(csv.rc, 0) << csv.err;
  EXPECT_EQ(csv.out, "file,path\nhtml," + Path("c.html") + "\n");
}

TEST_F(BoardCli, RowsFollowTheScoreRanking) {
  BuildLedger();
  ASSERT_EQ(Jifen("board --village SYS --period 2022-03 --out " + Path("b.html")).rc, 0);
  std::string html = Read(Path("b.html"));
  size_t h03 = html.find("<td class=\"text\">H03"), h01 = html.find("<td class=\"text\">H01"),
         h02 = html.find("<td class=\"text\">H02"), h04 = html.find("<td class=\"text\">H04");
  ASSERT_NE(h04, std::string::npos);
  EXPECT_LT(h03, h01);
  EXPECT_LT(h01, h02);
  EXPECT_LT(h02, h04);
  EXPECT_NE(html.find("<tr class=\"titled\"><td class=\"num\">1</td><td class=\"text\">H03"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td class=\"num\">4</td><td class=\"text\">H04"), std::string::npos);
}

TEST_F(BoardCli, YearNoticeAndAsOfNameTheirWindow) {
  BuildLedger();
  Outcome r =
      Jifen("board --village SYS --year 2022 --as-of 2022-03-02 --out " + Path("year.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string html = Read(Path("year.html"));
  EXPECT_NE(html.find("双杨树村 2022年度 积分评比公示"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\">年度平均</th>"), std::string::npos);
  EXPECT_NE(html.find("截至 2022-03-02 23:59:59（UTC+08:00）"), std::string::npos);
  // Of 14 records, the last two were recorded after the moment asked for.
  EXPECT_NE(html.find("计入此前录入的 12 条记录"), std::string::npos);
  EXPECT_NE(html.find("--year 2022 --as-of 2022-03-02T23:59:59+08:00"), std::string::npos);
  EXPECT_EQ(html.find("否决"), std::string::npos);  // the crime was not yet recorded
}

TEST_F(BoardCli, BadArgumentsWriteNothingAndExitLikeScore) {
  BuildLedger();
  std::string out = " --out " + Path("x.html");
  EXPECT_EQ(Jifen("board --village SYS" + out).rc, 2);
  EXPECT_EQ(Jifen("board --village SYS --period 2022-03 --year 2022" + out).rc, 2);
  EXPECT_EQ(Jifen("board --village SYS --period 2022-03").rc, 2);
  EXPECT_EQ(Jifen("board --village SYS --period 2022-13" + out).rc, 2);
  EXPECT_EQ(Jifen("board --village SYS --period 2022-03 --as-of yesterday" + out).rc, 2);
  Outcome r = Jifen("board --village XYZ --period 2022-03" + out);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("village XYZ: not in the ledger"), std::string::npos) << r.err;
  EXPECT_EQ(Jifen("board --village SYS --period 2022-03 --out " + Path("no/such/dir/x.html")).rc,
            1);
  EXPECT_FALSE(fs::exists(Path("x.html")));
}

TEST_F(BoardCli, ChromiumRendersTheRankingOnAnA4Page) {
  if (!fs::exists(kChromium))
    GTEST_SKIP() << kChromium << " is missing (scripts/setup.sh installs it)";
  BuildLedger();
  ASSERT_EQ(Jifen("board --village SYS --period 2022-03 --out " + Path("board.html")).rc, 0);
  std::string url = "file://" + Path("board.html");
  Outcome dom = Chromium("--dump-dom " + url);
  ASSERT_EQ(dom.rc, 0) << dom.err;
  size_t first = dom.out.find("王建国家"), second = dom.out.find("张家"),
         last = dom.out.find("赵家");
  ASSERT_NE(first, std::string::npos) << dom.out;
  EXPECT_LT(first, second);
  EXPECT_LT(second, last);
  EXPECT_NE(dom.out.find("最美家庭"), std::string::npos);
  // The DOM holds the name as a text node: no script element was created.
  EXPECT_NE(dom.out.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(dom.out.find("<script"), std::string::npos);

  std::string png = Path("board.png");
  Outcome shot = Chromium("--screenshot=" + png + " --window-size=794,1123 " + url);
  ASSERT_EQ(shot.rc, 0) << shot.err;
  ASSERT_TRUE(fs::exists(png)) << shot.err;
  EXPECT_GT(fs::file_size(png), 20u * 1024);
  EXPECT_EQ(Read(png).substr(1, 3), "PNG");
  // To look at it: JIFEN_BOARD_SCREENSHOT=/tmp/board.png ctest -R Chromium
  if (const char* keep = std::getenv("JIFEN_BOARD_SCREENSHOT")) {
    fs::copy_file(png, keep, fs::copy_options::overwrite_existing);
  }
}

TEST_F(BoardCli, XlsxHoldsTheSameTable) {
  BuildLedger();
  Outcome r = Jifen("board --village SYS --period 2022-03 --out " + Path("b.html") + " --xlsx " +
                    Path("b.xlsx"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, Path("b.html") + "\n" + Path("b.xlsx") + "\n");
  std::string xlsx = Read(Path("b.xlsx"));
  ASSERT_GT(xlsx.size(), 1000u);
  EXPECT_EQ(xlsx.substr(0, 2), "PK");
  // Cells live in the sheet; its strings in the shared-string table beside it.
  std::string unzip = fs::exists("/usr/bin/unzip")
                          ? "unzip -p " + Path("b.xlsx")
                          : "python3 -c \"import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); "
                            "[sys.stdout.write(z.read(n).decode()) for n in sys.argv[2:]]\" " +
                                Path("b.xlsx");
  Outcome sheet = Shell(unzip + " xl/worksheets/sheet1.xml");
  Outcome strings = Shell(unzip + " xl/sharedStrings.xml");
  ASSERT_EQ(sheet.rc, 0) << sheet.err;
  ASSERT_EQ(strings.rc, 0) << strings.err;
  EXPECT_NE(sheet.out.find("<sheetData>"), std::string::npos) << sheet.out;
  EXPECT_NE(sheet.out.find("<v>13</v>"), std::string::npos) << sheet.out;  // H03's points, a number
  std::string all = sheet.out + strings.out;
  for (const char* text :
       {"H03", "王建国家", "最美家庭", "户号", "别山镇 双杨树村 2022年3月 积分公示榜",
        "&lt;script&gt;alert(1)&lt;/script&gt;"}) {
    EXPECT_NE(all.find(text), std::string::npos) << text;
  }
}

TEST(BoardHtml, EscapesEveryTextAndGroupsTheHash) {
  jifen::cli::Board b;
  b.title = "A&B <村>";
  b.village_name = "\"村\"";
  b.village_code = "V'1";
  b.columns = {{"名次", true}, {"户名", false}};
  b.rows = {{{"1", "<b>x</b>"}, false, false}};
  b.rules_sha256 = std::string(64, 'a');
  b.head_hash_hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  std::string html = jifen::cli::RenderBoardHtml(b);
  EXPECT_NE(html.find("<h1>A&amp;B &lt;村&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;x&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;村&quot;村民委员会"), std::string::npos);
  EXPECT_NE(html.find("V&#39;1"), std::string::npos);
  EXPECT_NE(html.find("01234567 89abcdef 01234567 89abcdef<br>01234567 89abcdef 01234567 89abcdef"),
            std::string::npos);
  EXPECT_EQ(html.find("※"), std::string::npos);  // no vetoed household, no veto note
}

TEST(BoardHtml, EmptyRankingSaysSo) {
  jifen::cli::Board b;
  b.columns = {{"名次", true}, {"户名", false}};
  std::string html = jifen::cli::RenderBoardHtml(b);
  EXPECT_NE(html.find("<td colspan=\"2\">本期没有参加排名的农户</td>"), std::string::npos);
}

TEST(BoardHtml, PeriodLabelsReadAsOnANotice) {
  using jifen::Period;
  using jifen::PeriodKind;
  EXPECT_EQ(jifen::ChinesePeriodLabel(Period{PeriodKind::kMonth, 2022, 3}), "2022年3月");
  EXPECT_EQ(jifen::ChinesePeriodLabel(Period{PeriodKind::kQuarter, 2022, 1}),
            "2022年第一季度");
  EXPECT_EQ(jifen::ChinesePeriodLabel(Period{PeriodKind::kQuarter, 2023, 4}),
            "2023年第四季度");
  auto t = jifen::Timestamp::Parse("2022-03-31T18:05:09+08:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(jifen::cli::ChineseTimestamp(*t), "2022-03-31 18:05:09（UTC+08:00）");
}

}  // namespace

namespace {

// The text between `open` and the next `close` after `after` in `html`.
std::string Between(const std::string& html, const std::string& after, const std::string& open,
                    const std::string& close) {
  size_t at = html.find(after);
  if (at == std::string::npos) return "";
  at = html.find(open, at);
  if (at == std::string::npos) return "";
  at += open.size();
  return html.substr(at, html.find(close, at) - at);
}

// The notice carries the signed checkpoint of its tree, the verifier key and the consistency proof
// from the previous post (SPEC.md §6), which check without the ledger.
TEST_F(BoardCli, NoticeCarriesTheCheckpointAndTheConsistencyProofFromThePreviousPost) {
  BuildLedger();
  Outcome r = Jifen("post --village SYS --period 2022-03 --scorer S1 --recorded 2022-04-01T09:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen("import " + Write("april.jsonl", Award("a5", "2022-04-02", "P1", "C1.01")));
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen("board --village SYS --period 2022-04 --out " + Path("b.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string html = Read(Path("b.html"));
  Outcome key = Jifen("key");
  ASSERT_EQ(key.rc, 0) << key.err;
  std::string vkey = key.out.substr(0, key.out.find('\n'));
  EXPECT_EQ(Between(html, "验证公钥", "<code>", "</code>"), vkey);
  Outcome checkpoint = Jifen("checkpoint");
  EXPECT_EQ(Between(html, "账本检查点", "<pre>", "</pre>"), checkpoint.out);
  EXPECT_NE(html.find("<svg viewBox="), std::string::npos);  // the QR code
  // 9 registrations and a rule file, 4 awards: the March board showed 14 records (the post names
  // that head), the post is record 15, the April board's tree 16.
  EXPECT_NE(html.find("与上次公示（前 14 条记录）的一致性证明"), std::string::npos);
  Write("proof", Between(html, "一致性证明", "<pre>", "</pre>"));
  ASSERT_EQ(Jifen("checkpoint --size 14 > " + Path("march")).rc, 0);
  r = Shell(std::string(JIFEN_BINARY) + " verify-proof " + Path("proof") + " --key '" + vkey +
            "' --old " + Path("march"));
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "ok: " + vkey.substr(0, vkey.find('+')) + " at tree size 16 extends tree size 14\n");
}

// The notice says which witnesses cosigned its checkpoint or a later one, plainly when none has,
// and prints the checkpoint as they cosigned it (SPEC.md §6 "Witnesses").
TEST_F(BoardCli, NoticeSaysWhichWitnessesCosignedItsCheckpoint) {
  BuildLedger();
  ASSERT_EQ(Jifen("key --origin township.example/jifen").rc, 0);
  Outcome r = Jifen("board --village SYS --period 2022-03 --out " + Path("before.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(Read(Path("before.html"))
                .find("<p class=\"witness\">见证：还没有见证人联署本榜的检查点 (树大小 14) "
                      "或其后的检查点</p>"),
            std::string::npos);
  // The county's witness cosigns the tree of 14 records; the office keeps what it sent back.
  Outcome witness = Shell(std::string(JIFEN_BINARY) + " witness --dir " + Path("W") +
                          " --name county.example/witness");
  ASSERT_EQ(witness.rc, 0) << witness.err;
  std::string wkey = witness.out.substr(0, witness.out.find('\n'));
  std::string vkey = Jifen("key").out;
  vkey = vkey.substr(0, vkey.find('\n'));
  ASSERT_EQ(Jifen("proof --from 0 --out " + Path("request")).rc, 0);
  r = Shell(std::string(JIFEN_BINARY) + " witness --dir " + Path("W") + " --log-key '" + vkey +
            "' " + Path("request") + " > " + Path("cosigned"));
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen("cosigned " + Path("cosigned") + " --witness-key '" + wkey + "'");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen("board --village SYS --period 2022-03 --out " + Path("b.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string html = Read(Path("b.html"));
  EXPECT_NE(html.find("<p class=\"witness\">见证：county.example/witness 已联署 (树大小 14)</p>"),
            std::string::npos);
  EXPECT_EQ(html.find("还没有见证人"), std::string::npos);
  EXPECT_EQ(Between(html, "账本检查点", "<pre>", "</pre>"), Read(Path("cosigned")));
  // One more record: the board's tree is 15, which no witness has seen; the earlier one is named.
  r = Jifen("import " + Write("more.jsonl", Award("a5", "2022-03-05", "P1", "C1.01")));
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Jifen("board --village SYS --period 2022-03 --out " + Path("later.html"));
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string later = Read(Path("later.html"));
  EXPECT_NE(later.find("见证：还没有见证人联署本榜的检查点 (树大小 15) 或其后的检查点</p>\n"
                       "<p class=\"witness\">此前：county.example/witness 已联署 (树大小 14)</p>"),
            std::string::npos);
  EXPECT_EQ(Between(later, "账本检查点", "<pre>", "</pre>"), Jifen("checkpoint").out);
}

// Every post prints the signed checkpoint of the tree that ends with it, the text `jifen
// checkpoint --size` gives later (SPEC.md §6); a ledger without a key is told so, and no key is
// made for it.
TEST_F(BoardCli, EveryPostPrintsTheCheckpointOfTheTreeWithIt) {
  BuildLedger();
  Outcome r = Jifen("post --village SYS --period 2022-03 --scorer S1 --recorded "
                    "2022-04-01T09:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("post: recorded as sequence 15: ")) << r.out;
  EXPECT_TRUE(r.out.ends_with("\npost: the ledger has no log key yet, so no signed checkpoint "
                              "(`jifen key` makes one; then `jifen checkpoint --size 15` prints "
                              "this post's)\n"))
      << r.out;
  EXPECT_FALSE(fs::exists(Path("ledger/log.key")));
  ASSERT_EQ(Jifen("key --origin township.example/jifen").rc, 0);
  r = Jifen("post --village SYS --period 2022-04 --scorer S1 --recorded "
            "2022-05-01T09:00:00+08:00");
  ASSERT_EQ(r.rc, 0) << r.err;
  Outcome checkpoint = Jifen("checkpoint --size 16");
  ASSERT_EQ(checkpoint.rc, 0) << checkpoint.err;
  EXPECT_TRUE(r.out.ends_with(
      "\npost: the signed checkpoint of the tree with this post (`jifen checkpoint --size 16`):\n" +
      checkpoint.out))
      << r.out;
}

}  // namespace
