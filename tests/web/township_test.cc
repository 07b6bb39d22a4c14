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
  EXPECT_THAT(page->body, HasSubstr(R"(<tr data-village="W"><td>W 网页村</td>)"));
  EXPECT_EQ(Count(page->body, "<svg xmlns"), 6u);
  EXPECT_THAT(page->body, HasSubstr("/audit/W/2024-01"));
  EXPECT_EQ(Client().Get("/township?period=2024-13", {{"Cookie", township.cookie}})->status, 422);
}

TEST_F(Serve, AnAuditShowsAVillageAsOfAnyMomentAndAClerkOnlyTheirOwn) {
  Login auditor = SignIn("auditor");
  auto now = Client().Get("/audit/W/2024-01", {{"Cookie", auditor.cookie}});
  ASSERT_EQ(now->status, 200) << now->body;
  EXPECT_THAT(now->body, HasSubstr("账本哈希链完整"));
  EXPECT_THAT(now->body, HasSubstr("按现在账本里的全部记录"));
  auto then = Client().Get("/audit/W/2024-01?as_of=2024-01-10", {{"Cookie", auditor.cookie}});
  ASSERT_EQ(then->status, 200);
  EXPECT_THAT(then->body, HasSubstr("2024-01-10T23:59:59+08:00"));
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
