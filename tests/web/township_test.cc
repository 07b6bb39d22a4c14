// The township's and auditor's pages: villages side by side with SVG charts, the audit of a
// village as of any moment (a clerk only their own), and the ledger's verification with photos.
#include "ledger/evidence.h"
#include "ledger/sha256.h"
#include "tests/common/files.h"
#include "tests/web/serve_fixture.h"
#include "web/svg_chart.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::Serve;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(SvgChart, NamesAreEscapedAndEverySeriesIsInTheLegend) {
  LineChart chart{"<b>参与率</b>",
                  {"2024-01", "2024-02"},
                  {{"<script>x</script>村", {0.5, std::nullopt}}, {"李村", {0.25, 1.0}}},
                  true};
  std::string svg = RenderSvg(chart);
  EXPECT_THAT(svg, Not(HasSubstr("<script>")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;x&lt;/script&gt;村"));
  EXPECT_THAT(svg, HasSubstr("&lt;b&gt;参与率"));
  EXPECT_EQ(Count(svg, "<li>"), 2u);
  EXPECT_THAT(svg, HasSubstr("100%"));
}

TEST_F(Serve, TheTownshipSeesEveryVillageSideBySideWithChartsOverTheMonths) {
  Login township = SignIn("township");
  auto page = Client().Get("/township?period=2024-01", {{"Cookie", township.cookie}});
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr(R"(<tr data-village="W"><td class="stack-head">W 网页村</td>)"));
  EXPECT_EQ(Count(page->body, "<svg xmlns"), 6u);
  EXPECT_THAT(page->body, HasSubstr("/audit/W/2024-01"));
  EXPECT_EQ(Client().Get("/township?period=2024-13", {{"Cookie", township.cookie}})->status, 422);
}

// On a phone each village is a box of labelled figures (the table's cells carry their header);
// periods are said in words; a quarterly village's quarter figures are marked as such, in the
// table and in the charts' legend.
TEST_F(Serve, TheTownshipPageSaysPeriodsInWordsAndMarksAQuarterlyVillage) {
  const char* quarterly = R"(village Q "季度村" {
  period quarter
}
category A "好事" {
  item A1 "升旗" +2 per household
}
)";
  engine::AdoptRequest adopt{"q.rules", quarterly, *Date::Parse("2024-01-01"), "村民代表大会",
                             Timestamp::Parse("2024-02-02T08:00:00+08:00")};
  auto adopted = engine::AdoptRules(app_->ledger(), adopt, Timestamp::Now());
  ASSERT_TRUE(adopted.ok() && !adopted->refusal) << (adopted.ok() && adopted->refusal ? adopted->refusal->English() : "");
  Import(app_->ledger(),
         {R"({"type":"household","village":"Q","household":"H1","name":"钱家","since":"2024-01-01","shares":1,"recorded":"2024-02-02T09:00:00+08:00"})"});
  Login township = SignIn("township");
  auto page = Client().Get("/township?period=2024-02", {{"Cookie", township.cookie}});
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("<h1>各村对比（乡镇） · 2024年2月</h1>"));
  EXPECT_THAT(page->body, HasSubstr(R"(<td data-label="期">2024年2月</td>)"));
  EXPECT_THAT(page->body, HasSubstr(R"(<td data-label="期">2024年第一季度 <span class="hint">（按季度）</span></td>)"));
  EXPECT_THAT(page->body, HasSubstr("季度村（按季度）"));  // the charts' legend
  EXPECT_THAT(page->body, HasSubstr("按季度计分的村显示所在季度的数"));
  EXPECT_THAT(page->body, HasSubstr(R"(<td class="n" data-label="户均得分">)"));
  EXPECT_THAT(page->body, Not(HasSubstr(">2024-Q1")));
  auto english = Client().Get("/township?period=2024-02&lang=en", {{"Cookie", township.cookie}});
  EXPECT_THAT(english->body, HasSubstr(R"(2024-Q1 <span class="hint"> (quarterly)</span>)"));
}

// The audit page says its period in words and each record's time in China Standard Time.
TEST_F(Serve, TheAuditSaysItsPeriodInWordsAndRecordedTimesInChinaTime) {
  Import(app_->ledger(),
         {R"({"type":"award","id":"W-9","village":"W","date":"2024-02-20","subject":"P2","item":"A1","scorer":"S1","recorded":"2024-03-02T01:15:00+00:00"})"});
  auto page = Client().Get("/audit/W/2024-02", {{"Cookie", SignIn("auditor").cookie}});
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("<h1>网页村 2024年2月 审计报告</h1>"));
  EXPECT_THAT(page->body, HasSubstr(R"(<td data-label="登记时间">2024年3月2日 09:15</td>)"));  // late
  auto then = Client().Get("/audit/W/2024-01?as_of=2024-01-10", {{"Cookie", SignIn("auditor").cookie}});
  EXPECT_THAT(then->body, HasSubstr("<strong>2024年1月10日 23:59</strong>"));
}

TEST_F(Serve, AnAuditShowsAVillageAsOfAnyMomentAndAClerkOnlyTheirOwn) {
  Login auditor = SignIn("auditor");
  auto now = Client().Get("/audit/W/2024-01", {{"Cookie", auditor.cookie}});
  ASSERT_EQ(now->status, 200) << now->body;
  EXPECT_THAT(now->body, HasSubstr("账本哈希链完整"));
  EXPECT_THAT(now->body, HasSubstr("按现在账本里的全部记录"));
  auto then = Client().Get("/audit/W/2024-01?as_of=2024-01-10", {{"Cookie", auditor.cookie}});
  ASSERT_EQ(then->status, 200);
  EXPECT_THAT(then->body, HasSubstr("2024年1月10日 23:59"));
  EXPECT_EQ(Client().Get("/audit/W/2024-01?as_of=yesterday", {{"Cookie", auditor.cookie}})->status,
            422);
  EXPECT_EQ(Client().Get("/audit/NOPE/2024-01", {{"Cookie", auditor.cookie}})->status, 404);
  // The clerk of W reads W's audit; a clerk of another village does not.
  EXPECT_EQ(Client().Get("/audit/W/2024-01", {{"Cookie", SignIn("clerk").cookie}})->status, 200);
  ASSERT_TRUE(
      app_->accounts().AddUser(accounts::Account{"clerkv", "clerk", "V", "S2"}, "password-clerkv").ok());
  EXPECT_EQ(Client().Get("/audit/W/2024-01", {{"Cookie", SignIn("clerkv").cookie}})->status, 403);
}

TEST_F(Serve, VerifyChecksTheChainAndEveryPhoto) {
  Login scorer = SignIn("scorer");
  std::string photo = std::string("\xFF\xD8\xFF\xE0", 4) + "verify me";
  httplib::MultipartFormDataItems form{{"csrf", scorer.csrf, "", ""},
                                       {"subject", "P2", "", ""},
                                       {"item", "E1", "", ""},
                                       {"qty", "1", "", ""},
                                       {"date", Timestamp::Now().LocalDate().ToString(), "", ""},
                                       {"photos", photo, "p.jpg", "image/jpeg"}};
  ASSERT_EQ(Client().Post("/record", {{"Cookie", scorer.cookie}}, form)->status, 303);
  Login auditor = SignIn("auditor");
  auto good = Client().Get("/verify", {{"Cookie", auditor.cookie}});
  ASSERT_EQ(good->status, 200);
  EXPECT_THAT(good->body, HasSubstr("账本完整"));
  EXPECT_THAT(good->body, HasSubstr("<dt>照片数</dt><dd>1</dd>"));
  tests::WriteFile(ledger::EvidencePath(dir_, ledger::HashToHex(ledger::Sha256Of(photo))),
                   photo + "!");
  auto bad = Client().Get("/verify", {{"Cookie", auditor.cookie}});
  EXPECT_THAT(bad->body, HasSubstr("账本有问题"));
  EXPECT_THAT(bad->body, HasSubstr("altered"));
}

}  // namespace
}  // namespace jifen::web
