// The fixture of every `jifen serve` test: a real server on a free port over a real ledger
// (village W: two households, one with a hostile name, two persons, a scorer S1 and a clerk S2;
// 2024-01 posted), spoken to over real HTTP, with one account of each role ("password-NAME").
#pragma once

#include <gmock/gmock.h>
#include <httplib.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "engine/admission.h"
#include "ledger/ledger.h"
#include "formats/record_json.h"
#include "tests/common/files.h"
#include "accounts/accounts.h"
#include "web/server.h"

namespace jifen::web::webtest {

inline const char* kRules = R"(village W "网页村" {
  notice 3 days
}
category A "好事" {
  item A1 "升旗" +2 per person
  item U1 "志愿服务" +0.5 per person, unit "小时"
  item H1 "庭院整洁" +3 per household
  item E1 "见义勇为" +10 per person, evidence
}
)";
inline const char* kScript = "<script>alert(1)</script>";

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::make_unique<tests::ScratchDir>("jifen-web");
    dir_ = scratch_->path();
    {
      auto ledger = ledger::Ledger::Open(dir_, true);
      ASSERT_TRUE(ledger.ok());
      engine::AdoptRequest adopt{"w.rules", kRules, *Date::Parse("2024-01-01"), "村民代表大会",
                                 Timestamp::Parse("2023-12-31T09:00:00+08:00")};
      ASSERT_TRUE(engine::AdoptRules(**ledger, adopt, Timestamp::Now()).ok());
      std::string r = R"(,"recorded":"2024-01-01T08:00:00+08:00"})";
      Import(
          **ledger,
          {
              R"({"type":"household","village":"W","household":"H1","name":")" +
                  std::string(kScript) + R"(","since":"2024-01-01","shares":1)" + r,
              R"({"type":"household","village":"W","household":"H2","name":"李家","since":"2024-01-01","shares":1)" +
                  r,
              R"({"type":"person","village":"W","person":"P1","name":"张三","household":"H1","since":"2024-01-01","resident":"villager")" +
                  r,
              R"({"type":"person","village":"W","person":"P2","name":"李四","household":"H2","since":"2024-01-01","resident":"villager")" +
                  r,
              R"({"type":"scorer","village":"W","scorer":"S1","name":"王网格","role":"网格员")" + r,
              R"({"type":"scorer","village":"W","scorer":"S2","name":"赵文书","role":"村两委")" + r,
              R"({"type":"award","id":"W-1","village":"W","date":"2024-01-05","subject":"P1","item":"A1","scorer":"S1","recorded":"2024-01-05T20:00:00+08:00"})",
              R"({"type":"post","id":"W-P2401","village":"W","period":"2024-01","scorer":"S2","recorded":"2024-02-01T09:00:00+08:00"})",
          });
    }
    {
      auto store = accounts::AccountStore::Open(dir_ + "/accounts", true);
      ASSERT_TRUE(store.ok());
      for (const accounts::Account& a :
           {accounts::Account{"clerk", "clerk", "W", "S2"}, accounts::Account{"scorer", "scorer", "W", "S1"},
            accounts::Account{"township", "township", "W", ""}, accounts::Account{"auditor", "auditor", "W", ""}}) {
        ASSERT_TRUE((*store)->AddUser(a, "password-" + a.name).ok());
      }
      secret_ = (*store)->secret();
    }
    ServeOptions options;
    options.ledger_dir = dir_;
    options.port = 0;
    Customize(options);
    auto app = App::Open(options);
    ASSERT_TRUE(app.ok()) << app.status().message();
    app_ = std::move(*app);
    auto port = app_->Bind();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { app_->Run(); });
  }
  // A test's own limits (the front door's deadlines, the sign-in policy), before the server opens.
  virtual void Customize(ServeOptions&) {}
  void TearDown() override {
    if (app_) app_->Stop();
    if (thread_.joinable()) thread_.join();
    app_.reset();
    scratch_.reset();
  }

  static void Import(ledger::Ledger& ledger, const std::vector<std::string>& lines) {
    std::vector<engine::ImportLine> batch;
    for (const auto& line : lines) {
      auto r = formats::RecordFromJson(line);
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
    httplib::Params form{{"name", name},
                         {"password", password.empty() ? "password-" + name : password},
                         {"csrf", login_cookie.substr(login_cookie.find('=') + 1)}};
    auto res = client.Post("/login", {{"Cookie", login_cookie}}, form);
    EXPECT_TRUE(res);
    Login out{Cookie(*res, "jifen_session"), ""};
    if (out.cookie.empty()) return out;
    auto home = client.Get("/", {{"Cookie", out.cookie}});
    std::smatch m;
    if (std::regex_search(home->body, m, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re")))
      out.csrf = m[1];
    return out;
  }
  static std::string Cookie(const httplib::Result& res, const std::string& name) {
    return Cookie(*res, name);
  }
  static std::string Cookie(const httplib::Response& res, const std::string& name) {
    for (size_t i = 0; i < res.get_header_value_count("Set-Cookie"); ++i) {
      std::string c = res.get_header_value("Set-Cookie", i);
      if (c.rfind(name + "=", 0) == 0 && c.rfind(name + "=;", 0) != 0)
        return c.substr(0, c.find(';'));
    }
    return "";
  }
  uint64_t Head() {
    auto ledger = ledger::Ledger::Open(dir_, false);
    return (*(*ledger)->Snapshot())->HeadSequence();
  }
  httplib::Params Award(const std::string& csrf, const std::string& subject,
                        const std::string& item, const std::string& qty = "1") {
    return {{"csrf", csrf},
            {"subject", subject},
            {"item", item},
            {"qty", qty},
            {"date", Timestamp::Now().LocalDate().ToString()},
            {"place", "村口"},
            {"reason", "测试"}};
  }
  std::string Card(const std::string& household) {
    return "/h/W/" + household + "/" + accounts::HmacHex(secret_, "W|" + household);
  }

  std::unique_ptr<tests::ScratchDir> scratch_;
  std::string dir_, secret_;
  std::unique_ptr<App> app_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace jifen::web::webtest
