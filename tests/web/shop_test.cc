// The points shop: balances as admission sees them, redemptions through admission, receipts, and
// the race of 20 clerks' clicks against a balance, or a stock, that covers one.
#include <atomic>

#include "tests/web/serve_fixture.h"
#include "util/period_label.h"
#include "util/time_label.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::kScript;
using webtest::Serve;

// Village S, beside the fixture's W in the same ledger: H1 holds 10 points, H2 100.
class ShopTest : public Serve {
 protected:
  void SetUp() override {
    Serve::SetUp();
    const char* rules = R"(village S "商店村" {
}
category A "好事" {
  item A1 "升旗" +10 per household
  item B1 "出工" +10 per household, unit "天"
}
reward R1 "毛巾" cost 10
reward R2 "大米" cost 1, stock 1
reward R3 "电饭锅" cost 300
)";
    engine::AdoptRequest adopt{"s.rules", rules, *Date::Parse("2024-01-01"), "村民代表大会",
                               Timestamp::Parse("2024-02-02T09:00:00+08:00")};
    auto adopted = engine::AdoptRules(app_->ledger(), adopt, Timestamp::Now());
    ASSERT_TRUE(adopted.ok()) << adopted.status().message();
    std::string r = R"(,"recorded":"2024-02-02T09:00:00+08:00"})";
    std::string today = Timestamp::Now().LocalDate().ToString();
    Import(
        app_->ledger(),
        {
            R"({"type":"household","village":"S","household":"H1","name":"孙家","since":"2024-01-01","shares":1)" +
                r,
            R"({"type":"household","village":"S","household":"H2","name":"周家","since":"2024-01-01","shares":1)" +
                r,
            R"({"type":"scorer","village":"S","scorer":"K1","name":"钱文书","role":"村两委")" + r,
            R"({"type":"award","id":"S-1","village":"S","date":")" + today +
                R"(","subject":"H1","item":"A1","scorer":"K1"})",
            R"({"type":"award","id":"S-2","village":"S","date":")" + today +
                R"(","subject":"H2","item":"B1","qty":10,"scorer":"K1"})",
        });
    ASSERT_TRUE(app_->accounts()
                    .AddUser(accounts::Account{"shopkeeper", "clerk", "S", "K1"}, "password-shopkeeper")
                    .ok());
  }
  int Redemptions(const std::string& household) {
    auto reader = app_->ledger().Snapshot();
    int n = 0;
    (void)(*reader)->ForEachRecord(1, [&](const ledger::Record& r) {
      n += r.type == ledger::RecordType::kRedeem && r.village == "S" && r.household == household;
      return true;
    });
    return n;
  }
  httplib::Result Redeem(const Login& who, const std::string& household, const std::string& reward,
                         const std::string& qty = "1") {
    auto client = Client();
    // Twenty at once queue for the server's threads; on a loaded machine that takes seconds.
    client.set_read_timeout(120, 0);
    client.set_connection_timeout(60, 0);
    return client.Post("/shop/" + household + "/redeem", {{"Cookie", who.cookie}},
                       httplib::Params{{"csrf", who.csrf}, {"reward", reward}, {"qty", qty}});
  }
  // `n` clerks' clicks at once; the statuses they got.
  std::vector<int> Race(const Login& who, const std::string& household, const std::string& reward,
                        int n) {
    std::vector<int> statuses(n, 0);
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < n) std::this_thread::yield();
        auto res = Redeem(who, household, reward);
        statuses[i] = res ? res->status : -100 - static_cast<int>(res.error());
      });
    }
    for (auto& t : threads) t.join();
    return statuses;
  }
};

TEST_F(ShopTest, TheHouseholdPageShowsTheBalanceAdmissionChecksAndTheStockLeft) {
  Login k = SignIn("shopkeeper");
  auto page = Client().Get("/shop/H2", {{"Cookie", k.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("<strong>100</strong>"));
  EXPECT_THAT(page->body, HasSubstr("剩 1"));
  auto list = Client().Get("/shop?q=sj", {{"Cookie", k.cookie}});  // 孙家 by pinyin initials
  EXPECT_THAT(list->body, HasSubstr("H1 孙家"));
  EXPECT_THAT(list->body, Not(HasSubstr("H2 周家")));
}

// A reward the balance does not cover says how many points are missing; the balance's period is
// said in words.
TEST_F(ShopTest, ARewardOutOfReachSaysHowManyPointsAreMissing) {
  Login k = SignIn("shopkeeper");
  auto page = Client().Get("/shop/H2", {{"Cookie", k.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("积分不够，还差 200 分"));
  EXPECT_THAT(page->body, HasSubstr("（" + ChinesePeriodLabel(Period::Containing(
                                               Timestamp::Now().LocalDate(), PeriodKind::kMonth)) +
                                           "）"));
}

// A village whose rules list no rewards has no shop: the page says so and lists no household.
TEST_F(ShopTest, AVillageWithoutRewardsIsToldItsShopIsClosed) {
  auto page = Client().Get("/shop", {{"Cookie", SignIn("clerk").cookie}});  // W: no rewards
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("现行细则里没有兑换物品，积分超市不开放"));
  EXPECT_THAT(page->body, Not(HasSubstr("/shop/H1")));
  auto open = Client().Get("/shop", {{"Cookie", SignIn("shopkeeper").cookie}});
  EXPECT_THAT(open->body, Not(HasSubstr("积分超市不开放")));
  EXPECT_THAT(open->body, HasSubstr("/shop/H1"));
}

TEST_F(ShopTest, ARedemptionGivesAReceiptWithTheBalanceBeforeAndAfter) {
  Login k = SignIn("shopkeeper");
  auto res = Redeem(k, "H1", "R1");
  ASSERT_EQ(res->status, 303) << res->body;
  std::string receipt = res->get_header_value("Location");
  ASSERT_THAT(receipt, HasSubstr("/shop/receipt/S-R"));
  auto page = Client().Get(receipt, {{"Cookie", k.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("R1 毛巾"));
  EXPECT_THAT(page->body, HasSubstr("<dt>兑换前积分</dt><dd>10</dd>"));
  EXPECT_THAT(page->body, HasSubstr("<dt>兑换后积分</dt><dd><strong>0</strong></dd>"));
  EXPECT_THAT(page->body, HasSubstr("K1 钱文书"));
  // When it was recorded, in China Standard Time to the minute (the ledger's exact moment kept in
  // the element's datetime).
  EXPECT_THAT(page->body, HasSubstr(R"(<dd><time datetime=")"));
  EXPECT_THAT(page->body,
              HasSubstr(">" + ClockLabel(Timestamp::Now(), false).substr(0, 10)));
  // The receipt is the clerk's village's: another village's clerk does not find it.
  EXPECT_EQ(Client().Get(receipt, {{"Cookie", SignIn("clerk").cookie}})->status, 404);
}

// Admission's refusal is its code's text beside the code's field, in the page's language.
TEST_F(ShopTest, AShortBalanceIsSaidBesideTheQuantityInThePagesLanguage) {
  Login k = SignIn("shopkeeper");
  auto beside_qty = [](const std::string& body) {
    size_t label = body.find(R"(<label for="qty">)");
    size_t p = body.find(R"(<p class="error")", label);  // then its id, then >
    if (label == std::string::npos || p == std::string::npos ||
        p > body.find(R"(name="qty")", label))
      return std::string();
    p = body.find('>', p) + 1;
    return body.substr(p, body.find("</p>", p) - p);
  };
  std::string today = Timestamp::Now().LocalDate().ToString();
  auto zh = Redeem(k, "H1", "R1", "2");
  ASSERT_EQ(zh->status, 422);
  std::string said = beside_qty(zh->body);
  EXPECT_THAT(said,
              HasSubstr("：户 H1 在 " + today + " 有 10 分，R1 × 2 要 20 分，积分不够兑换这么多"));
  auto client = Client();
  auto en = client.Post("/shop/H1/redeem?lang=en", {{"Cookie", k.cookie}},
                        httplib::Params{{"csrf", k.csrf}, {"reward", "R1"}, {"qty", "2"}});
  ASSERT_EQ(en->status, 422);
  EXPECT_THAT(beside_qty(en->body),
              HasSubstr(": household H1 has 10 points on " + today + ", R1 x 2 costs 20"));
}

TEST_F(ShopTest, RefusalsAreShownBesideTheirFieldAndWriteNothing) {
  Login k = SignIn("shopkeeper");
  uint64_t before = Head();
  struct Case {
    std::string household, reward, qty, says;
    int status;
  };
  std::vector<Case> cases{
      {"H1", "R1", "0", "数量要写成正整数", 422},
      {"H1", "R1", "1.5", "数量要写成正整数", 422},
      {"H1", "R1", "abc", "数量要写成正整数", 422},
      {"H1", "", "1", "请选一样要兑换的物品", 422},
      {"H1", "R9", "1", "现行细则里没有这样物品", 422},
      {"H1", "R1", "2", "积分不够兑换这么多", 422},
      {"H2", "R2", "2", "这样物品库存不够了", 422},
      {"NOPE", "R1", "1", "本村没有这个户号：NOPE", 404},
  };
  for (const auto& c : cases) {
    auto res = Redeem(k, c.household, c.reward, c.qty);
    EXPECT_EQ(res->status, c.status) << c.says;
    EXPECT_THAT(res->body, HasSubstr(c.says));
    if (c.status == 422) {
      EXPECT_THAT(res->body, HasSubstr(R"(name="qty" value=")" + c.qty + "\""));
    }
  }
  EXPECT_EQ(Head(), before);
}

TEST_F(ShopTest, AClerkRedeemsOnlyInTheirOwnVillage) {
  Login w = SignIn("clerk");  // village W
  uint64_t before = Head();
  // W has a household H2 of its own (李家): the clerk of W sees that one, never S's 周家.
  auto page = Client().Get("/shop/H2", {{"Cookie", w.cookie}});
  EXPECT_THAT(page->body, HasSubstr("李家"));
  EXPECT_THAT(page->body, Not(HasSubstr("周家")));
  auto res = Redeem(w, "H2", "R2");
  EXPECT_NE(res->status, 303);
  EXPECT_EQ(Head(), before);
  EXPECT_EQ(Redemptions("H2"), 0);
}

TEST_F(ShopTest, NamesAreEscaped) {
  Login w = SignIn("clerk");
  auto page = Client().Get("/shop/H1", {{"Cookie", w.cookie}});  // W's H1 is named kScript
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, Not(HasSubstr(kScript)));
  EXPECT_THAT(page->body, HasSubstr("&lt;script&gt;"));
}

TEST_F(ShopTest, TwentyClicksAgainstABalanceThatCoversOneRedeemExactlyOnce) {
  Login k = SignIn("shopkeeper");
  std::vector<int> statuses = Race(k, "H1", "R1", 20);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 303), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 422), 19)
      << testing::PrintToString(statuses);
  EXPECT_EQ(Redemptions("H1"), 1);
  EXPECT_THAT(Client().Get("/shop/H1", {{"Cookie", k.cookie}})->body,
              HasSubstr("<strong>0</strong>"));
}

TEST_F(ShopTest, TwentyClicksAgainstAStockOfOneRedeemExactlyOnce) {
  Login k = SignIn("shopkeeper");
  std::vector<int> statuses = Race(k, "H2", "R2", 20);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 303), 1);
  EXPECT_EQ(Redemptions("H2"), 1);
  auto page = Client().Get("/shop/H2", {{"Cookie", k.cookie}});
  EXPECT_THAT(page->body, HasSubstr("剩 0"));
  EXPECT_THAT(page->body, HasSubstr("<strong>99</strong>"));
}

}  // namespace
}  // namespace jifen::web

namespace jifen::web {
namespace {

// A redemption form sent again (a retry after a slow answer) redeems once, and the retry is
// answered with the first one's receipt.
TEST_F(ShopTest, TheSameRedemptionFormSentTwiceRedeemsOnce) {
  Login k = SignIn("shopkeeper");
  auto page = Client().Get("/shop/H2", {{"Cookie", k.cookie}});
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(page->body, m, std::regex(R"re(name="form" value="([0-9a-f]{12})")re")));
  httplib::Params form{{"csrf", k.csrf}, {"reward", "R1"}, {"qty", "1"}, {"form", m[1].str()}};
  int before = Redemptions("H2");
  auto first = Client().Post("/shop/H2/redeem", {{"Cookie", k.cookie}}, form);
  auto again = Client().Post("/shop/H2/redeem", {{"Cookie", k.cookie}}, form);
  ASSERT_EQ(first->status, 303) << first->body;
  ASSERT_EQ(again->status, 303) << again->body;
  EXPECT_EQ(again->get_header_value("Location"), first->get_header_value("Location"));
  EXPECT_EQ(Redemptions("H2"), before + 1);
}

}  // namespace
}  // namespace jifen::web
