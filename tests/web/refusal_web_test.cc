// Admission's refusals on the office's forms (SPEC.md §4 "Refusal codes"): each beside the field
// its code names, in the page's language, never a translation of English words.
#include "tests/web/serve_fixture.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::Serve;

class FormRefusals : public Serve {
 protected:
  httplib::Result Post(const Login& who, const std::string& path, httplib::Params params) {
    params.emplace("csrf", who.csrf);
    return Client().Post(path, {{"Cookie", who.cookie}}, params);
  }
  // The error shown between `from` and the next `to` of `body` (one field's block), or "".
  static std::string ErrorBetween(const std::string& body, const std::string& from,
                                  const std::string& to) {
    size_t start = body.find(from);
    if (start == std::string::npos) return "";
    size_t end = body.find(to, start + from.size());
    const std::string open = R"(<p class="error")";  // then its id (aria-describedby), then >
    size_t p = body.find(open, start);
    if (p == std::string::npos || p > end) return "";
    p = body.find('>', p) + 1;
    return body.substr(p, body.find("</p>", p) - p);
  }
};

TEST_F(FormRefusals, AnAwardBeforeItsHouseholdWasRegisteredIsRefusedBesideTheDate) {
  Login clerk = SignIn("clerk");
  std::string today = Timestamp::Now().LocalDate().ToString();
  std::string yesterday = Timestamp::Now().LocalDate().AddDays(-1).ToString();
  ASSERT_EQ(Post(clerk, "/roster/household",
                 {{"code", "H3"}, {"name", "新户"}, {"since", today}, {"shares", "1"}})
                ->status,
            303);
  Login scorer = SignIn("scorer");
  httplib::Params award = Award(scorer.csrf, "H3", "H1");
  award.erase("date");
  award.emplace("date", yesterday);
  uint64_t before = Head();
  auto res = Client().Post("/record", {{"Cookie", scorer.cookie}}, award);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(ErrorBetween(res->body, R"(<label for="date">)", R"(name="date")"),
            "户 H3：" + yesterday + " 还没有登记");
  EXPECT_THAT(res->body, Not(HasSubstr("not registered")));
  EXPECT_EQ(Head(), before);
  auto english = Client().Post("/record?lang=en", {{"Cookie", scorer.cookie}}, award);
  EXPECT_EQ(ErrorBetween(english->body, R"(<label for="date">)", R"(name="date")"),
            "household H3: not registered on " + yesterday);
}

TEST_F(FormRefusals, ARegisteredCodeIsRefusedBesideTheRostersCodeField) {
  Login clerk = SignIn("clerk");
  uint64_t before = Head();
  auto res = Post(clerk, "/roster/household",
                  {{"code", "H2"}, {"name", "又一户"}, {"since", "2024-03-01"}, {"shares", "1"}});
  EXPECT_EQ(res->status, 422);
  // H2 is the ledger's third record, after the rules and H1.
  EXPECT_EQ(
      ErrorBetween(res->body, R"(<div id="f-household_code" class="field-error"><label>)", R"(name="code" value="H2")"),
      "户 H2：这个户号已经登记过了，内容不同（序号 3）");
  EXPECT_EQ(Head(), before);
}

TEST_F(FormRefusals, AnEffectiveDateThatStartsNoPeriodIsRefusedBesideIt) {
  Login clerk = SignIn("clerk");
  uint64_t before = Head();
  auto res =
      Post(clerk, "/rules/adopt",
           {{"text", webtest::kRules}, {"effective", "2030-01-15"}, {"approval", "村民代表大会"}});
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(ErrorBetween(res->body, R"(<label for="effective">)", R"(name="effective")"),
            "生效日期 2030-01-15 不是一个月的第一天");
  EXPECT_THAT(res->body, Not(HasSubstr("web:")));
  EXPECT_EQ(Head(), before);
}

TEST_F(FormRefusals, APostOfAnotherStateOfTheLedgerIsRefusedInThePostCard) {
  Login clerk = SignIn("clerk");
  uint64_t before = Head();
  std::string zeros(64, '0');
  auto res = Post(clerk, "/month/2024-02/post", {{"head", zeros}, {"confirm", "yes"}});
  EXPECT_EQ(res->status, 422) << res->body;
  std::string error = ErrorBetween(res->body, R"(id="post")", R"(action="/month/2024-02/post)");
  EXPECT_EQ(error.rfind("账本头 " + zeros + "：公示前的账本头是 ", 0), 0u) << error;
  EXPECT_EQ(Head(), before);
}

}  // namespace
}  // namespace jifen::web
