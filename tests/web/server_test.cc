// `jifen serve` end to end: a real server on a free port over a real ledger, spoken to over real
// HTTP. The route × role test reads the server's own route table.
#include <gmock/gmock.h>
#include <httplib.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "engine/admission.h"
#include "ledger/ledger.h"
#include "ledger/record_json.h"
#include "web/accounts.h"
#include "web/server.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char* kRules = R"(village W "网页村" {
  notice 3 days
}
category A "好事" {
  item A1 "升旗" +2 per person
  item U1 "志愿服务" +0.5 per person, unit "小时"
  item H1 "庭院整洁" +3 per household
  item E1 "见义勇为" +10 per person, evidence
}
)";
const char* kScript = "<script>alert(1)</script>";

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/jifen-web-XXXXXX";
    dir_ = mkdtemp(pattern);
    {
      auto ledger = ledger::Ledger::Open(dir_, true);
      ASSERT_TRUE(ledger.ok());
      engine::AdoptRequest adopt{"w.rules", kRules, *Date::Parse("2024-01-01"), "村民代表大会",
                                 Timestamp::Parse("2023-12-31T09:00:00+08:00")};
      ASSERT_TRUE(engine::AdoptRules(**ledger, adopt, Timestamp::Now()).ok());
      std::string r = R"(,"recorded":"2024-01-01T08:00:00+08:00"})";
      Import(**ledger, {
          R"({"type":"household","village":"W","household":"H1","name":")" + std::string(kScript) +
              R"(","since":"2024-01-01","shares":1)" + r,
          R"({"type":"household","village":"W","household":"H2","name":"李家","since":"2024-01-01","shares":1)" + r,
          R"({"type":"person","village":"W","person":"P1","name":"张三","household":"H1","since":"2024-01-01","resident":"villager")" + r,
          R"({"type":"person","village":"W","person":"P2","name":"李四","household":"H2","since":"2024-01-01","resident":"villager")" + r,
          R"({"type":"scorer","village":"W","scorer":"S1","name":"王网格","role":"网格员")" + r,
          R"({"type":"scorer","village":"W","scorer":"S2","name":"赵文书","role":"村两委")" + r,
          R"({"type":"award","id":"W-1","village":"W","date":"2024-01-05","subject":"P1","item":"A1","scorer":"S1","recorded":"2024-01-05T20:00:00+08:00"})",
          R"({"type":"post","id":"W-P2401","village":"W","period":"2024-01","scorer":"S2","recorded":"2024-02-01T09:00:00+08:00"})",
      });
    }
    {
      auto store = AccountStore::Open(dir_ + "/accounts", true);
      ASSERT_TRUE(store.ok());
      for (const Account& a : {Account{"clerk", "clerk", "W", "S2"}, Account{"scorer", "scorer", "W", "S1"},
                               Account{"township", "township", "W", ""}, Account{"auditor", "auditor", "W", ""}}) {
        ASSERT_TRUE((*store)->AddUser(a, "password-" + a.name).ok());
      }
      secret_ = (*store)->secret();
    }
    ServeOptions options;
    options.ledger_dir = dir_;
    options.port = 0;
    auto app = App::Open(options);
    ASSERT_TRUE(app.ok()) << app.status().message();
    app_ = std::move(*app);
    auto port = app_->Bind();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { app_->Run(); });
  }
  void TearDown() override {
    if (app_) app_->Stop();
    if (thread_.joinable()) thread_.join();
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  static void Import(ledger::Ledger& ledger, const std::vector<std::string>& lines) {
    std::vector<engine::ImportLine> batch;
    for (const auto& line : lines) {
      auto r = ledger::RecordFromJson(line);
      ASSERT_TRUE(r.ok()) << line << ": " << r.status().message();
      batch.push_back({"setup", 1, *r});
    }
    auto report = engine::ImportRecords(ledger, batch, Timestamp::Now());
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(report->errors.empty()) << report->errors.front();
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", port_);
    client.set_follow_location(false);
    return client;
  }

  struct Login {
    std::string cookie;  // "jifen_session=..."
    std::string csrf;
  };
  // Signs in as `name` over HTTP; the session cookie and its CSRF token.
  Login SignIn(const std::string& name, const std::string& password = "") {
    auto client = Client();
    auto page = client.Get("/login");
    EXPECT_TRUE(page);
    std::string login_cookie = Cookie(*page, "jifen_login");
    httplib::Params form{{"name", name}, {"password", password.empty() ? "password-" + name : password},
                         {"csrf", login_cookie.substr(login_cookie.find('=') + 1)}};
    auto res = client.Post("/login", {{"Cookie", login_cookie}}, form);
    EXPECT_TRUE(res);
    Login out{Cookie(*res, "jifen_session"), ""};
    if (out.cookie.empty()) return out;
    auto home = client.Get("/", {{"Cookie", out.cookie}});
    std::smatch m;
    if (std::regex_search(home->body, m, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re"))) out.csrf = m[1];
    return out;
  }
  static std::string Cookie(const httplib::Result& res, const std::string& name) { return Cookie(*res, name); }
  static std::string Cookie(const httplib::Response& res, const std::string& name) {
    for (size_t i = 0; i < res.get_header_value_count("Set-Cookie"); ++i) {
      std::string c = res.get_header_value("Set-Cookie", i);
      if (c.rfind(name + "=", 0) == 0 && c.rfind(name + "=;", 0) != 0) return c.substr(0, c.find(';'));
    }
    return "";
  }
  uint64_t Head() {
    auto ledger = ledger::Ledger::Open(dir_, false);
    return (*(*ledger)->Snapshot())->HeadSequence();
  }
  httplib::Params Award(const std::string& csrf, const std::string& subject, const std::string& item,
                        const std::string& qty = "1") {
    return {{"csrf", csrf}, {"subject", subject}, {"item", item}, {"qty", qty},
            {"date", Timestamp::Now().LocalDate().ToString()}, {"place", "村口"}, {"reason", "测试"}};
  }
  std::string Card(const std::string& household) { return "/h/W/" + household + "/" + HmacHex(secret_, "W|" + household); }

  std::string dir_, secret_;
  std::unique_ptr<App> app_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(Serve, EveryRouteAllowsExactlyItsRolesAndNoOneElse) {
  ASSERT_FALSE(Routes().empty());
  std::vector<std::string> everyone = AccountRoles();
  everyone.push_back("none");
  for (const Route& route : Routes()) {
    for (const auto& who : everyone) {
      Login login = who == "none" ? Login{} : SignIn(who);  // afresh: a route may be /logout
      ASSERT_TRUE(who == "none" || !login.cookie.empty()) << who;
      bool allowed = false;
      for (const auto& r : route.roles) allowed = allowed || r == "public" || r == who;
      auto client = Client();
      httplib::Headers headers;
      if (!login.cookie.empty()) headers.emplace("Cookie", login.cookie);
      httplib::Result res = route.method == "GET"
                                ? client.Get(route.example, headers)
                                : client.Post(route.example, headers, httplib::Params{{"csrf", login.csrf}});
      ASSERT_TRUE(res) << route.method << " " << route.example << " as " << who;
      // Denied: 403 signed in; without a session 401, or for a GET a redirect to the login page
      // (the redirect of a successful /logout goes there too, but only a session reaches it).
      bool denied = res->status == 403 || res->status == 401 ||
                    (who == "none" && res->status == 303 && res->get_header_value("Location").rfind("/login", 0) == 0);
      EXPECT_EQ(!denied, allowed) << route.method << " " << route.example << " as " << who << ": " << res->status;
    }
  }
}

TEST_F(Serve, APostWithoutOrWithAWrongCsrfTokenIsRefusedAndWritesNothing) {
  Login s = SignIn("scorer");
  uint64_t before = Head();
  auto client = Client();
  auto params = Award("", "P1", "A1");
  params.erase(params.find("csrf"));
  auto missing = client.Post("/record", {{"Cookie", s.cookie}}, params);
  EXPECT_EQ(missing->status, 400);
  auto wrong = client.Post("/record", {{"Cookie", s.cookie}}, Award(std::string(64, 'a'), "P1", "A1"));
  EXPECT_EQ(wrong->status, 400);
  EXPECT_THAT(wrong->body, HasSubstr("什么也没有记录"));
  EXPECT_EQ(Head(), before);
  auto right = client.Post("/record", {{"Cookie", s.cookie}}, Award(s.csrf, "P1", "A1"));
  EXPECT_EQ(right->status, 303) << right->body;
  EXPECT_EQ(Head(), before + 1);
}

TEST_F(Serve, AScorerRecordsAsTheirOwnScorerWhateverTheFormSays) {
  Login s = SignIn("scorer");
  auto client = Client();
  auto params = Award(s.csrf, "P2", "U1", "2.5");
  params.emplace("scorer", "S2");
  auto res = client.Post("/record", {{"Cookie", s.cookie}}, params);
  ASSERT_EQ(res->status, 303) << res->body;
  auto ledger = ledger::Ledger::Open(dir_, false);
  auto reader = (*ledger)->Snapshot();
  auto written = (*reader)->Get((*reader)->HeadSequence());
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->scorer, "S1");
  EXPECT_EQ(written->qty.ToString(), "2.5");
  auto page = client.Get("/record", {{"Cookie", s.cookie}});
  EXPECT_THAT(page->body, HasSubstr("P2 李四"));
}

TEST_F(Serve, UnknownHouseholdOrItemIsRefusedBesideItsFieldAndTheServerStaysUp) {
  Login s = SignIn("scorer");
  auto client = Client();
  uint64_t before = Head();
  auto res = client.Post("/record", {{"Cookie", s.cookie}}, Award(s.csrf, "NOPE", "ZZ"));
  EXPECT_EQ(res->status, 422);
  EXPECT_THAT(res->body, HasSubstr("本村没有这个户号或人员编号：NOPE"));
  EXPECT_THAT(res->body, HasSubstr("现行细则里没有这个项目：ZZ"));
  EXPECT_THAT(res->body, HasSubstr(R"(name="place" value="村口")"));  // the form kept as filled in
  auto unit = client.Post("/record", {{"Cookie", s.cookie}}, Award(s.csrf, "P1", "A1", "1.5"));
  EXPECT_EQ(unit->status, 422);
  EXPECT_THAT(unit->body, HasSubstr("数量只能是 1"));
  auto kind = client.Post("/record", {{"Cookie", s.cookie}}, Award(s.csrf, "P1", "H1"));
  EXPECT_EQ(kind->status, 422);
  EXPECT_THAT(kind->body, HasSubstr("按户的项目要选户"));
  auto garbage = client.Post("/record", {{"Cookie", s.cookie}}, Award(s.csrf, "P1", "A1", "-1e99"));
  EXPECT_EQ(garbage->status, 422);
  EXPECT_EQ(Head(), before);
  EXPECT_EQ(client.Get("/")->status, 200);
}

TEST_F(Serve, NamesFromTheLedgerAreEscapedOnEveryPage) {
  Login s = SignIn("scorer");
  auto client = Client();
  std::vector<std::pair<std::string, httplib::Headers>> pages{
      {"/v/W/board/2024-01", {}}, {Card("H1"), {}}, {"/record", {{"Cookie", s.cookie}}}};
  for (const auto& [path, headers] : pages) {
    auto res = client.Get(path, headers);
    ASSERT_EQ(res->status, 200) << path;
    EXPECT_THAT(res->body, Not(HasSubstr(kScript))) << path;
    EXPECT_THAT(res->body, HasSubstr("&lt;script&gt;alert(1)&lt;")) << path;
  }
}

TEST_F(Serve, TheBoardShowsPostedPeriodsOnlyAndCliImportsWithoutRestart) {
  auto client = Client();
  auto board = client.Get("/v/W/board/2024-01");
  ASSERT_EQ(board->status, 200);
  EXPECT_THAT(board->body, HasSubstr("公示"));
  EXPECT_EQ(client.Get("/v/W/board/2024-02")->status, 404);
  EXPECT_THAT(client.Get("/v/W/board/2024-01?lang=en")->body, HasSubstr("Rank"));
  {
    auto ledger = ledger::Ledger::Open(dir_, false);
    Import(**ledger, {R"({"type":"post","id":"W-P2402","village":"W","period":"2024-02","scorer":"S2","recorded":"2024-03-01T09:00:00+08:00"})"});
  }
  EXPECT_EQ(client.Get("/v/W/board/2024-02")->status, 200);
}

TEST_F(Serve, ACardOpensItsOwnHouseholdAndNoOther) {
  auto client = Client();
  auto own = client.Get(Card("H2"));
  ASSERT_EQ(own->status, 200);
  EXPECT_THAT(own->body, HasSubstr("李家"));
  std::string token_of_h2 = HmacHex(secret_, "W|H2");
  EXPECT_EQ(client.Get("/h/W/H1/" + token_of_h2)->status, 404);
  EXPECT_EQ(client.Get("/h/W/H2/" + std::string(64, '0'))->status, 404);
  EXPECT_EQ(client.Get("/h/W/NOPE/" + HmacHex(secret_, "W|NOPE"))->status, 404);
}

TEST_F(Serve, LoginIsRateLimitedPerAccount) {
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(SignIn("clerk", "wrong password").cookie.empty());
  EXPECT_TRUE(SignIn("clerk").cookie.empty());  // blocked even with the right password
}

TEST_F(Serve, LoginIsRateLimitedPerClientAddress) {
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(SignIn("nobody-" + std::to_string(i), "wrong password").cookie.empty());
  EXPECT_TRUE(SignIn("scorer").cookie.empty());  // the same address, another account: blocked too
}

TEST_F(Serve, SessionCookiesAreHttpOnlyStrictAndLogoutEndsThem) {
  auto client = Client();
  Login s = SignIn("clerk");
  ASSERT_FALSE(s.cookie.empty());
  auto page = client.Get("/login");
  std::string login_cookie = Cookie(*page, "jifen_login");
  auto res = client.Post("/login", {{"Cookie", login_cookie}},
                         httplib::Params{{"name", "auditor"}, {"password", "password-auditor"},
                                         {"csrf", login_cookie.substr(login_cookie.find('=') + 1)}});
  std::string set = res->get_header_value("Set-Cookie");
  EXPECT_THAT(set, HasSubstr("HttpOnly"));
  EXPECT_THAT(set, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(set, HasSubstr("Max-Age="));
  EXPECT_EQ(client.Get("/record", {{"Cookie", s.cookie}})->status, 200);
  EXPECT_EQ(client.Post("/logout", {{"Cookie", s.cookie}}, httplib::Params{{"csrf", s.csrf}})->status, 303);
  EXPECT_EQ(client.Get("/record", {{"Cookie", s.cookie}})->status, 303);
}

}  // namespace
}  // namespace jifen::web
