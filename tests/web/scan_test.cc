// Recording by scanning a household's card (web/scan.h): a scorer of the village sees "为本户记分"
// on the card page, records with one tap, comes back to the card with what was recorded, and the
// next card remembers the activity; nobody else sees the panel, and the page cache never keeps it.
#include "tests/web/serve_fixture.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using webtest::Serve;

class Scan : public Serve {
 protected:
  void SetUp() override {
    Serve::SetUp();
    // This month on, W also has an item only the 村两委 may record.
    std::string rules = webtest::kRules;
    rules.replace(rules.find("  item E1"), 0, "  item B1 \"表彰\" +5 per household, by \"村两委\"\n");
    engine::AdoptRequest adopt{"w2.rules", rules, Today().AddDays(1 - Today().day()),
                               "村民代表大会", std::nullopt};
    auto adopted = engine::AdoptRules(app_->ledger(), adopt, Timestamp::Now());
    ASSERT_TRUE(adopted.ok()) << adopted.status().message();
  }
  static Date Today() { return Timestamp::Now().LocalDate(); }
  httplib::Result Get(const std::string& path, const std::string& cookie = "") {
    return Client().Get(path, {{"Cookie", cookie}});
  }
  // The panel's form as a tap on `subject` sends it.
  httplib::Result Tap(const Login& who, const std::string& household, const std::string& subject,
                      const std::string& item, const std::string& cookies = "") {
    auto card = Get(Card(household), who.cookie + cookies);
    std::smatch form_id;
    std::regex_search(card->body, form_id, std::regex(R"re(name="form" value="([0-9a-f]{12})")re"));
    httplib::Params form{{"csrf", who.csrf},
                         {"form", form_id.empty() ? "" : form_id[1].str()},
                         {"back", Card(household)},
                         {"date", Today().ToString()},
                         {"item", item},
                         {"qty", "1"},
                         {"subject", subject}};
    return Client().Post("/record", {{"Cookie", who.cookie}}, form);
  }
};

TEST_F(Scan, AScorerOfTheVillageRecordsWithOneTapAndComesBackToTheCard) {
  Login grid = SignIn("scorer");  // S1, 网格员
  auto card = Get(Card("H2"), grid.cookie);
  ASSERT_EQ(card->status, 200);
  EXPECT_THAT(card->body, HasSubstr("为本户记分"));
  EXPECT_THAT(card->body, HasSubstr(R"(<button type="submit" name="subject" value="P2">李四</button>)"));
  EXPECT_THAT(card->body, HasSubstr(R"(name="subject" value="H2">本户：李家</button>)"));
  EXPECT_THAT(card->body, Not(HasSubstr(R"(value="B1")")));  // the 村两委's item is not offered
  uint64_t before = Head();
  auto tap = Tap(grid, "H2", "P2", "A1");
  ASSERT_EQ(tap->status, 303) << tap->body;
  EXPECT_EQ(Head(), before + 1);
  std::string location = tap->get_header_value("Location");
  EXPECT_THAT(location, StartsWith(Card("H2") + "?scored=W-W"));
  std::string activity = Cookie(tap, "jifen_activity");
  EXPECT_EQ(activity, "jifen_activity=A1~1");
  auto back = Get(location.substr(0, location.find('#')), grid.cookie);
  EXPECT_THAT(back->body, HasSubstr("已记上：李四（P2）· A1 升旗 ×1，每次 +2 分"));
  // The next card remembers the activity's item.
  auto next = Get(Card("H1"), grid.cookie + "; " + activity);
  EXPECT_THAT(next->body, HasSubstr(R"(<option value="A1" selected>)"));
}

TEST_F(Scan, ThreeCardsScannedInARowAreThreeAwardsAndATapSentTwiceIsOne) {
  Login grid = SignIn("scorer");
  uint64_t before = Head();
  ASSERT_EQ(Tap(grid, "H1", "H1", "H1")->status, 303);
  ASSERT_EQ(Tap(grid, "H2", "H2", "H1")->status, 303);
  ASSERT_EQ(Tap(grid, "H1", "P1", "A1")->status, 303);
  EXPECT_EQ(Head(), before + 3);
  // The same form sent again (a double tap) writes nothing more and returns to the card.
  auto card = Get(Card("H2"), grid.cookie);
  std::smatch form_id;
  ASSERT_TRUE(std::regex_search(card->body, form_id,
                                std::regex(R"re(name="form" value="([0-9a-f]{12})")re")));
  httplib::Params form{{"csrf", grid.csrf},     {"form", form_id[1].str()},
                       {"back", Card("H2")},    {"date", Today().ToString()},
                       {"item", "A1"},          {"qty", "1"},
                       {"subject", "P2"}};
  auto first = Client().Post("/record", {{"Cookie", grid.cookie}}, form);
  auto again = Client().Post("/record", {{"Cookie", grid.cookie}}, form);
  EXPECT_EQ(first->status, 303);
  EXPECT_EQ(again->get_header_value("Location"), first->get_header_value("Location"));
  EXPECT_EQ(Head(), before + 4);
}

TEST_F(Scan, NobodyElseSeesThePanelAndTheCacheNeverKeepsIt) {
  Login grid = SignIn("scorer");
  EXPECT_THAT(Get(Card("H1"), grid.cookie)->body, HasSubstr("为本户记分"));
  // The same page for a stranger right after (kept in the page cache): no panel, no slot.
  auto stranger = Get(Card("H1"));
  EXPECT_THAT(stranger->body, Not(HasSubstr("为本户记分")));
  EXPECT_THAT(stranger->body, Not(HasSubstr("jifen-scan")));
  // Signed in without a scorer of the village: the township, the auditor.
  for (const char* name : {"township", "auditor"}) {
    Login who = SignIn(name);
    EXPECT_THAT(Get(Card("H1"), who.cookie)->body, Not(HasSubstr("为本户记分"))) << name;
  }
}

TEST_F(Scan, AFormThatNamesNoCardOfTheVillageGoesBackToTheRecordPage) {
  Login grid = SignIn("scorer");
  std::string forged = Card("H1");
  forged.back() = forged.back() == '0' ? '1' : '0';  // one hex digit of the token changed
  for (const std::string& back : {std::string("https://example.com/"), forged,
                                  std::string("/h/Q/H1/") + std::string(64, '0')}) {
    auto card = Get(Card("H1"), grid.cookie);
    std::smatch form_id;
    ASSERT_TRUE(std::regex_search(card->body, form_id,
                                  std::regex(R"re(name="form" value="([0-9a-f]{12})")re")));
    httplib::Params form{{"csrf", grid.csrf}, {"form", form_id[1].str()}, {"back", back},
                         {"date", Today().ToString()}, {"item", "A1"}, {"qty", "1"},
                         {"subject", "P1"}};
    auto res = Client().Post("/record", {{"Cookie", grid.cookie}}, form);
    ASSERT_EQ(res->status, 303) << back;
    EXPECT_THAT(res->get_header_value("Location"), StartsWith("/record?done=")) << back;
    EXPECT_EQ(Cookie(res, "jifen_activity"), "") << back;
  }
}

TEST_F(Scan, TheRecordPageOffersOnlyTheItemsTheRoleMayRecordAndSaysWhatWasRecorded) {
  Login grid = SignIn("scorer");
  auto page = Get("/record", grid.cookie);
  EXPECT_THAT(page->body, HasSubstr(R"(<option value="A1")"));
  EXPECT_THAT(page->body, Not(HasSubstr(R"(<option value="B1")")));
  httplib::Params form = Award(grid.csrf, "P1", "A1");
  auto res = Client().Post("/record", {{"Cookie", grid.cookie}}, form);
  ASSERT_EQ(res->status, 303) << res->body;
  auto done = Get(res->get_header_value("Location"), grid.cookie);
  EXPECT_THAT(done->body, HasSubstr("已记上：张三（P1）· A1 升旗 ×1，每次 +2 分"));
}

}  // namespace
}  // namespace jifen::web

namespace jifen::web {
namespace {

// A missed record under an upheld objection, from the scorer's page (SPEC.md §3 "Objections and
// rulings"): the page offers the upheld objections, and the award that cites one is taken though
// its period was posted long ago.
TEST_F(Serve, AMissedRecordUnderAnUpheldObjectionIsTakenFromTheScorersPage) {
  Import(app_->ledger(),
         {R"({"type":"objection","id":"W-O1","village":"W","period":"2024-01","household":"H2","reason":"漏记升旗","filed_by":"李四","recorded":"2024-02-02T09:00:00+08:00"})",
          R"({"type":"ruling","id":"W-D1","village":"W","target":"W-O1","outcome":"upheld","reason":"属实","scorer":"S2","recorded":"2024-02-10T09:00:00+08:00"})"});
  Login grid = SignIn("scorer");
  auto page = Client().Get("/record", {{"Cookie", grid.cookie}});
  EXPECT_THAT(page->body, ::testing::HasSubstr(R"(<option value="W-O1">W-O1 2024-01 H2 李家：漏记升旗)"));
  uint64_t before = Head();
  httplib::Params plain = Award(grid.csrf, "P2", "A1");
  plain.erase("date");
  plain.emplace("date", "2024-01-20");
  auto locked = Client().Post("/record", {{"Cookie", grid.cookie}}, plain);
  EXPECT_EQ(locked->status, 422);  // 2024-01 was posted and is final
  EXPECT_EQ(Head(), before);
  httplib::Params cited = plain;
  cited.emplace("objection", "W-O1");
  auto taken = Client().Post("/record", {{"Cookie", grid.cookie}}, cited);
  ASSERT_EQ(taken->status, 303) << taken->body;
  EXPECT_EQ(Head(), before + 1);
}

}  // namespace
}  // namespace jifen::web
