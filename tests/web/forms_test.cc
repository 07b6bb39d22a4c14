// A form sent back with refusals says so at the top, linking to each refused field, ties each
// field to its message for a screen reader, and its title starts with "错误：" (the GOV.UK error
// summary pattern).
#include "tests/web/serve_fixture.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::Serve;

TEST_F(Serve, ARefusedFormSummarisesItsErrorsAtTheTopAndTiesEachToItsField) {
  Login grid = SignIn("scorer");
  httplib::Params form = Award(grid.csrf, "", "A1", "0");
  auto res = Client().Post("/record", {{"Cookie", grid.cookie}}, form);
  ASSERT_EQ(res->status, 422);
  EXPECT_THAT(res->body, HasSubstr("<title>错误：记一笔积分"));
  EXPECT_THAT(res->body, HasSubstr(R"(<div class="error-summary" role="alert">)"));
  EXPECT_THAT(res->body, HasSubstr(R"(<a href="#f-subject">)"));
  EXPECT_THAT(res->body, HasSubstr(R"(<a href="#f-qty">)"));
  EXPECT_THAT(res->body, HasSubstr(R"(<div id="f-subject" class="field-error">)"));
  EXPECT_THAT(res->body, HasSubstr(R"(<p class="error" id="e-subject">)"));
  EXPECT_THAT(res->body, HasSubstr(R"(<select aria-describedby="e-subject" aria-invalid="true")"));
  EXPECT_THAT(res->body, Not(HasSubstr(R"(aria-describedby="e-item")")));  // the item was fine
  auto fine = Client().Get("/record", {{"Cookie", grid.cookie}});
  EXPECT_THAT(fine->body, Not(HasSubstr(R"(class="error-summary")")));
  EXPECT_THAT(fine->body, Not(HasSubstr("<title>错误：")));
  Login clerk = SignIn("clerk");
  auto roster = Client().Post("/roster/person", {{"Cookie", clerk.cookie}},
                              httplib::Params{{"csrf", clerk.csrf}, {"code", ""}, {"name", "无号"},
                                              {"household", "H1"}, {"since", "2024-03-01"}});
  ASSERT_EQ(roster->status, 422);
  EXPECT_THAT(roster->body, HasSubstr(R"(<a href="#f-person_code">)"));
  EXPECT_THAT(roster->body, HasSubstr(R"(<div id="f-person_code" class="field-error">)"));
}

}  // namespace
}  // namespace jifen::web
