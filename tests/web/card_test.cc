// The household's card page shows every period a household needs to see: this calendar year's,
// every earlier period whose notice window is open (December on notice in January), and the last
// posted one, with the figures of each.
#include "tests/web/serve_fixture.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::Serve;

class Card : public Serve {
 protected:
  void Add(const std::vector<std::string>& lines) { Import(app_->ledger(), lines); }
  std::string Page(const std::string& household) {
    auto res = Client().Get(Serve::Card(household));
    EXPECT_EQ(res->status, 200);
    return res ? res->body : "";
  }
  // A period's row: its code in data-period, its words in the first cell ("2024年1月").
  static std::string Row(const std::string& period) {
    auto p = Period::Parse(period);
    std::string words = std::to_string(p->year) + "年" + std::to_string(p->index) + "月";
    return "<tr data-period=\"" + period + "\"><td>" + words + "</td>";
  }
};

TEST_F(Card, TheLastPostedPeriodIsShownThoughItFallsInAnEarlierYear) {
  // The fixture's W posted 2024-01 (H1's P1 earned 2); its notice window has long ended.
  std::string body = Page("H1");
  EXPECT_THAT(body, HasSubstr(Row("2024-01") + "<td class=\"n\">2</td>"));
  EXPECT_THAT(body, Not(HasSubstr(Row("2024-02"))));  // neither posted nor this year
}

TEST_F(Card, AnEarlierYearsPeriodOnNoticeIsShownWithItsFigures) {
  int last_year = Timestamp::Now().LocalDate().year() - 1;
  std::string december = std::to_string(last_year) + "-12";
  std::string november = std::to_string(last_year) + "-11";
  Add({R"({"type":"post","id":"W-P)" + november + R"(","village":"W","period":")" + november +
           R"(","scorer":"S2","recorded":")" + december + R"(-01T09:00:00+08:00"})",
       R"({"type":"award","id":"W-D1","village":"W","date":")" + december +
           R"(-10","subject":"H1","item":"H1","scorer":"S1","recorded":")" + december +
           R"(-10T20:00:00+08:00"})",
       R"({"type":"post","id":"W-P)" + december + R"(","village":"W","period":")" + december +
           R"(","scorer":"S2"})"});
  std::string body = Page("H1");
  // December is on notice now: its row, its figures (H1 earned 3) and its records.
  EXPECT_THAT(body, HasSubstr(Row(december) + "<td class=\"n\">3</td>"));
  EXPECT_THAT(body, HasSubstr("W-D1"));
  // November was posted a year ago and is no longer on notice; nor the last posted.
  EXPECT_THAT(body, Not(HasSubstr(Row(november))));
  EXPECT_THAT(body, Not(HasSubstr(Row("2024-01"))));
  // This year's periods are all there, latest first, December of last year after them.
  size_t this_year = body.find(Row(Period::Containing(Timestamp::Now().LocalDate(),
                                                      PeriodKind::kMonth)
                                       .ToString()));
  EXPECT_NE(this_year, std::string::npos);
  EXPECT_LT(this_year, body.find(Row(december)));
}

// On a phone each record behind the figures is a box headed by its date and whose it is, every
// other fact labelled (the table's header carried by each cell), never a table to scroll sideways.
TEST_F(Card, EachRecordIsALabelledBoxOnAPhone) {
  std::string body = Page("H1");
  EXPECT_THAT(body, HasSubstr(R"(<tr><td class="stack-head">2024-01-05 P1 张三</td><td data-label="项目">A1 升旗</td>)"));
  EXPECT_THAT(body, HasSubstr(R"(<td class="n" data-label="计入">+2</td>)"));
}

TEST_F(Card, AVillagerWithoutACardFindsTheVillagesBoardsOnTheHomePage) {
  auto home = Client().Get("/");
  ASSERT_EQ(home->status, 200);
  EXPECT_THAT(home->body, HasSubstr("各村公示榜"));
  EXPECT_THAT(home->body, HasSubstr("<h3>网页村</h3>"));
  EXPECT_THAT(home->body, HasSubstr(R"(<a href="/v/W/board/2024-01">2024年1月 公示榜</a>)"));
  EXPECT_THAT(home->body, HasSubstr("请文书补打一张"));
  // Signed in, the home page is the account's own, without the list.
  Login clerk = SignIn("clerk");
  auto own = Client().Get("/", {{"Cookie", clerk.cookie}});
  EXPECT_THAT(own->body, Not(HasSubstr("各村公示榜")));
}

}  // namespace
}  // namespace jifen::web
