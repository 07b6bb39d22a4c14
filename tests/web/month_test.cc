// The committee's month over real HTTP: the review queue, the month-end page (states, posting,
// objections brought to the office, rulings) and the villagers' objections from their card pages.
// Every refusal writes nothing; every guard (role, village, CSRF, card token, escaping, the rate
// limit) has a test that fails without it.
#include "engine/workflow.h"
#include "tests/web/serve_fixture.h"
#include "tlog/transparency.h"
#include "util/text.h"
#include "util/period_label.h"
#include "web/card_objection.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::kScript;
using webtest::Serve;

class Month : public Serve {
 protected:
  // The period of today, and the one before it (ended: it can be posted).
  static Period Current() {
    return Period::Containing(Timestamp::Now().LocalDate(), PeriodKind::kMonth);
  }
  static Period Previous() { return Current().Previous(); }

  // Records into the server's own ledger (a second environment in one process is not wanted).
  void Add(const std::vector<std::string>& lines) { Import(app_->ledger(), lines); }
  uint64_t HeadNow() { return (*app_->ledger().Snapshot())->HeadSequence(); }
  ledger::Record Last() { return *(*app_->ledger().Snapshot())->Get(HeadNow()); }
  engine::VillageModel Model(const std::string& village = "W") {
    auto reader = app_->ledger().Snapshot();
    return *engine::LoadVillageStructure(**reader, village, (*reader)->HeadSequence());
  }
  engine::PeriodState State(const Period& p) {
    return engine::StatusOf(Model(), p, Timestamp::Now()).state;
  }

  // From this period on, W's awards by a scorer without the role 村两委 wait for review.
  void AdoptReview() {
    std::string rules = webtest::kRules;
    rules.replace(rules.find("notice 3 days"), 13, "notice 3 days\n  review by \"村两委\"");
    engine::AdoptRequest adopt{"w2.rules", rules, Current().FirstDay(), "村民代表大会",
                               std::nullopt};
    auto adopted = engine::AdoptRules(app_->ledger(), adopt, Timestamp::Now());
    ASSERT_TRUE(adopted.ok()) << adopted.status().message();
  }
  // An award by S1 dated today (pending under AdoptReview).
  void AddAward(const std::string& id, const std::string& subject, const std::string& extra = "") {
    Add({R"({"type":"award","id":")" + id + R"(","village":"W","date":")" +
         Timestamp::Now().LocalDate().ToString() + R"(","subject":")" + subject +
         R"(","item":"A1","scorer":"S1","place":"村口","reason":"升旗")" + extra + "}"});
  }
  // 2024-02: an award W-2 of P2 (household H2), posted on 2024-03-01 and objected to the next day,
  // without a ruling: awaiting rulings. Recorded in 2024, so before anything stamped now.
  void AddAwaitingPeriod() {
    Add({R"({"type":"award","id":"W-2","village":"W","date":"2024-02-10","subject":"P2","item":"A1","scorer":"S1","recorded":"2024-02-10T20:00:00+08:00"})",
         R"({"type":"post","id":"W-P2024-02","village":"W","period":"2024-02","scorer":"S2","recorded":"2024-03-01T09:00:00+08:00"})",
         R"({"type":"objection","id":"W-O2024-02","village":"W","period":"2024-02","target":"W-2","reason":"当天未参加","filed_by":"王五","recorded":"2024-03-02T09:00:00+08:00"})"});
  }
  // W's previous period posted now: in its notice window.
  void PostPrevious() {
    Add({R"({"type":"post","id":"W-P)" + Previous().ToString() + R"(","village":"W","period":")" +
         Previous().ToString() + R"(","scorer":"S2"})"});
  }
  // An award of P1 (household H1) dated in the previous period, recorded now.
  void AddPreviousAward(const std::string& id, const std::string& subject = "P1") {
    Add({R"({"type":"award","id":")" + id + R"(","village":"W","date":")" +
         Previous().FirstDay().ToString() + R"(","subject":")" + subject +
         R"(","item":"A1","scorer":"S1"})"});
  }

  httplib::Result Get(const Login& l, const std::string& path) {
    return Client().Get(path, {{"Cookie", l.cookie}});
  }
  httplib::Result Post(const Login& l, const std::string& path, httplib::Params form) {
    form.emplace("csrf", l.csrf);
    return Client().Post(path, {{"Cookie", l.cookie}}, form);
  }
  // The post form of the month page as the page filled it in (head and posts seen).
  httplib::Params PostForm(const Login& l, const Period& p) {
    auto page = Get(l, "/month/" + p.ToString());
    std::smatch head, seen;
    std::regex_search(page->body, head, std::regex(R"re(name="head" value="([0-9a-f]{64})")re"));
    std::regex_search(page->body, seen, std::regex(R"re(name="seen" value="([0-9]+)")re"));
    EXPECT_FALSE(head.empty()) << page->body;
    return {{"head", head.empty() ? "" : head[1].str()},
            {"seen", seen.empty() ? "" : seen[1].str()},
            {"confirm", "yes"}};
  }

  struct CardForm {
    std::string cookie, csrf, body;
  };
  CardForm OpenCard(const std::string& household) {
    auto res = Client().Get(Card(household));
    EXPECT_EQ(res->status, 200);
    CardForm out{Cookie(*res, "jifen_card"), "", res->body};
    std::smatch m;
    if (std::regex_search(res->body, m, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re")))
      out.csrf = m[1];
    return out;
  }
  httplib::Result Object(const CardForm& card, const std::string& household, httplib::Params form) {
    form.emplace("csrf", card.csrf);
    return Client().Post(Card(household) + "/object", {{"Cookie", card.cookie}}, form);
  }
};

// ---- the review queue ----

TEST_F(Month, TheQueueListsPendingEntriesOldestFirstWithTheirFactsEscaped) {
  AdoptReview();
  std::string photo(64, 'a');
  AddAward("W-R1", "P1", R"(,"evidence":["sha256:)" + photo + R"("])");
  Add({R"({"type":"award","id":"W-R2","village":"W","date":")" +
       Timestamp::Now().LocalDate().ToString() +
       R"(","subject":"H1","item":"H1","scorer":"S1","reason":")" + kScript + R"("})"});
  AddAward("W-C1", "P2");
  Add({R"({"type":"approve","village":"W","target":"W-C1","scorer":"S2"})"});
  Login clerk = SignIn("clerk");
  auto page = Get(clerk, "/review");
  ASSERT_EQ(page->status, 200);
  const std::string& body = page->body;
  EXPECT_THAT(body, HasSubstr("P1 张三（H1 &lt;script&gt;"));  // a person with their household
  EXPECT_THAT(body, HasSubstr("升旗"));
  EXPECT_THAT(body, HasSubstr("村口"));
  EXPECT_THAT(body, HasSubstr("S1 王网格"));
  EXPECT_THAT(body, HasSubstr("+2"));
  EXPECT_THAT(body, HasSubstr("/evidence/" + photo));
  EXPECT_LT(body.find("W-R1"), body.find("W-R2"));  // oldest first
  EXPECT_THAT(body, Not(HasSubstr("W-C1")));        // approved: no longer waits
  EXPECT_THAT(body, Not(HasSubstr(kScript)));
  EXPECT_THAT(body, HasSubstr("&lt;script&gt;alert(1)&lt;"));
}

TEST_F(Month, ApprovingWritesTheApproveRecordOfTheBoundScorerAndRefusesWhatIsNotPending) {
  AdoptReview();
  AddAward("W-R1", "P1");
  AddAward("W-N1", "P2");
  Add({R"({"type":"award","id":"W-S2","village":"W","date":")" +
       Timestamp::Now().LocalDate().ToString() +
       R"(","subject":"P2","item":"A1","scorer":"S2"})"});  // by a reviewer: never pending
  Login clerk = SignIn("clerk");
  uint64_t before = HeadNow();
  auto unknown = Post(clerk, "/review/approve", {{"id", "W-NOPE"}});
  EXPECT_EQ(unknown->status, 422);
  EXPECT_THAT(unknown->body, HasSubstr("找不到待审核的记录“W-NOPE”"));
  auto never = Post(clerk, "/review/approve", {{"id", "W-S2"}});
  EXPECT_EQ(never->status, 422);
  EXPECT_THAT(never->body, HasSubstr("这一笔不用审核"));
  EXPECT_EQ(HeadNow(), before);

  auto ok = Post(clerk, "/review/approve", {{"id", "W-R1"}, {"scorer", "S1"}});
  ASSERT_EQ(ok->status, 303) << ok->body;
  EXPECT_EQ(ok->get_header_value("Location"), "/review?done=approved&id=W-R1");
  ledger::Record approve = Last();
  EXPECT_EQ(approve.type, ledger::RecordType::kApprove);
  EXPECT_EQ(approve.target, "W-R1");
  EXPECT_EQ(approve.scorer, "S2");  // the account's scorer, never a form field
  EXPECT_TRUE(Model().approvals.Contains("W-R1"));

  before = HeadNow();
  auto twice = Post(clerk, "/review/approve", {{"id", "W-R1"}});
  EXPECT_EQ(twice->status, 422);
  EXPECT_THAT(twice->body, HasSubstr("已经审核通过了"));
  auto reject_approved = Post(clerk, "/review/reject", {{"id", "W-R1"}, {"reason", "重复"}});
  EXPECT_EQ(reject_approved->status, 422);
  EXPECT_EQ(HeadNow(), before);
  auto missing_csrf =
      Client().Post("/review/approve", {{"Cookie", clerk.cookie}}, httplib::Params{{"id", "W-N1"}});
  EXPECT_EQ(missing_csrf->status, 400);
  EXPECT_EQ(HeadNow(), before);
}

TEST_F(Month, RejectingNeedsAReasonAndWritesARevokeWithIt) {
  AdoptReview();
  AddAward("W-R1", "P1");
  Login clerk = SignIn("clerk");
  uint64_t before = HeadNow();
  auto bare = Post(clerk, "/review/reject", {{"id", "W-R1"}, {"reason", ""}});
  EXPECT_EQ(bare->status, 422);
  EXPECT_THAT(bare->body, HasSubstr("请写明退回原因"));
  auto too_long =
      Post(clerk, "/review/reject", {{"id", "W-R1"}, {"reason", std::string(301, 'x')}});
  EXPECT_EQ(too_long->status, 422);
  EXPECT_THAT(too_long->body, HasSubstr("最多 300 个字"));
  EXPECT_EQ(HeadNow(), before);
  auto ok = Post(clerk, "/review/reject", {{"id", "W-R1"}, {"reason", "当天没有升旗"}});
  ASSERT_EQ(ok->status, 303) << ok->body;
  ledger::Record revoke = Last();
  EXPECT_EQ(revoke.type, ledger::RecordType::kRevoke);
  EXPECT_EQ(revoke.target, "W-R1");
  EXPECT_EQ(revoke.reason, "当天没有升旗");
  EXPECT_EQ(revoke.scorer, "S2");
  EXPECT_THAT(Get(clerk, "/review")->body, Not(HasSubstr("W-R1")));
  auto again = Post(clerk, "/review/reject", {{"id", "W-R1"}, {"reason", "再退"}});
  EXPECT_EQ(again->status, 422);
  EXPECT_THAT(again->body, HasSubstr("已经退回或撤销"));
}

TEST_F(Month, AClerkWithoutABoundReviewerIsToldPlainlyAndWritesNothing) {
  AdoptReview();
  AddAward("W-R1", "P1");
  ASSERT_TRUE(
      app_->accounts().AddUser(accounts::Account{"clerk0", "clerk", "W", ""}, "password-clerk0").ok());
  ASSERT_TRUE(
      app_->accounts().AddUser(accounts::Account{"clerk1", "clerk", "W", "S1"}, "password-clerk1").ok());
  uint64_t before = HeadNow();
  Login unbound = SignIn("clerk0");
  EXPECT_THAT(Get(unbound, "/review")->body, HasSubstr("没有绑定记分员"));
  auto refused = Post(unbound, "/review/approve", {{"id", "W-R1"}});
  EXPECT_EQ(refused->status, 422);
  EXPECT_THAT(refused->body, HasSubstr("没有绑定记分员"));
  Login grid = SignIn("clerk1");  // bound to S1, a 网格员: no review role
  auto not_reviewer = Post(grid, "/review/approve", {{"id", "W-R1"}});
  EXPECT_EQ(not_reviewer->status, 422);
  EXPECT_THAT(not_reviewer->body, HasSubstr("只有这些角色的人才能审核"));
  EXPECT_EQ(HeadNow(), before);
}

// ---- month end ----

TEST_F(Month, TheMonthPageSaysEachStateInWords) {
  AddAwaitingPeriod();
  PostPrevious();
  Login clerk = SignIn("clerk");
  auto open = Get(clerk, "/month/" + Current().ToString());
  ASSERT_EQ(open->status, 200);
  EXPECT_THAT(open->body, HasSubstr("未公示"));
  EXPECT_THAT(open->body, HasSubstr("那天起才能公示"));
  auto notice = Get(clerk, "/month/" + Previous().ToString());
  std::string until = Timestamp::Now().LocalDate().AddDays(3).ToString();
  EXPECT_THAT(notice->body, HasSubstr("公示中，到 " + until + " 为止"));
  EXPECT_THAT(notice->body, HasSubstr("/v/W/board/" + Previous().ToString()));
  auto awaiting = Get(clerk, "/month/2024-02");
  EXPECT_THAT(awaiting->body, HasSubstr("公示期满，待裁定异议"));
  EXPECT_THAT(awaiting->body, HasSubstr("当天未参加"));
  EXPECT_THAT(awaiting->body, HasSubstr("王五"));
  EXPECT_THAT(awaiting->body, HasSubstr(R"(name="objection" value="W-O2024-02")"));
  auto final_period = Get(clerk, "/month/2024-01?lang=en");
  EXPECT_THAT(final_period->body, HasSubstr("final"));
  EXPECT_THAT(final_period->body, HasSubstr("/audit/W/2024-01?lang=en"));
  EXPECT_THAT(final_period->body, Not(HasSubstr(R"(name="head")")));  // no post button
  EXPECT_EQ(Get(clerk, "/month/2023-12")->status, 404);               // no rules in force
  EXPECT_EQ(Get(clerk, "/month/2024-Q1")->status, 404);               // W counts by month
  auto latest = Get(clerk, "/month");
  EXPECT_EQ(latest->status, 303);
  EXPECT_EQ(latest->get_header_value("Location"), "/month/" + Previous().ToString());
}

TEST_F(Month, AFinalPeriodSaysItsUnreviewedEntriesNoLongerCountInsteadOfAdvisingReview) {
  // From 2024-03 W's awards by a 网格员 wait for review; one of 2024-03 never was reviewed, and
  // 2024-03 was posted on 2024-04-01: its three days of notice are long over.
  std::string rules = webtest::kRules;
  rules.replace(rules.find("notice 3 days"), 13, "notice 3 days\n  review by \"村两委\"");
  engine::AdoptRequest adopt{"w2.rules", rules, *Date::Parse("2024-03-01"), "村民代表大会",
                             Timestamp::Parse("2024-02-15T09:00:00+08:00")};
  ASSERT_TRUE(engine::AdoptRules(app_->ledger(), adopt, Timestamp::Now()).ok());
  Add({R"({"type":"award","id":"W-M1","village":"W","date":"2024-03-05","subject":"P1","item":"A1","scorer":"S1","recorded":"2024-03-05T20:00:00+08:00"})",
       R"({"type":"post","id":"W-P2024-03","village":"W","period":"2024-03","scorer":"S2","recorded":"2024-04-01T09:00:00+08:00"})"});
  ASSERT_EQ(State(*Period::Parse("2024-03")), engine::PeriodState::kFinal);
  Login clerk = SignIn("clerk");
  auto page = Get(clerk, "/month/2024-03");
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("本期已定案，不再收记录：有 1 笔记分始终没有审核"));
  EXPECT_THAT(page->body, Not(HasSubstr("建议先审核再公示")));
}

TEST_F(Month, ThePreviewShowsTheBoardsFiguresAndWarnsOfPendingEntries) {
  AdoptReview();
  AddAward("W-R1", "P1");
  Login clerk = SignIn("clerk");
  auto page = Get(clerk, "/month/" + Current().ToString());
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("还有 1 笔记分等待审核"));
  EXPECT_THAT(page->body, HasSubstr("待审核 1"));
  EXPECT_THAT(page->body, Not(HasSubstr(kScript)));
  // The same figures as the public board: H1's earned and balance in 2024-01.
  std::string n = R"(<td class="n">([^<]+)</td>)", any = R"(<td class="n">[^<]*</td>)";
  std::regex h1("<td>H1</td><td>[^<]*</td>" + n + any + n);
  std::smatch on_board, in_preview;
  std::string board = Client().Get("/v/W/board/2024-01")->body,
              preview = Get(clerk, "/month/2024-01")->body;
  ASSERT_TRUE(std::regex_search(board, on_board, h1));
  ASSERT_TRUE(std::regex_search(preview, in_preview, h1));
  EXPECT_NE(on_board[1].str(), "0");
  EXPECT_EQ(on_board[1].str(), in_preview[1].str());
  EXPECT_EQ(on_board[2].str(), in_preview[2].str());
}

TEST_F(Month, PostingIsRefusedBeforeTheLastDayTwiceAndWhenLocked) {
  Login clerk = SignIn("clerk");
  uint64_t before = HeadNow();
  EXPECT_THAT(Get(clerk, "/month/" + Current().ToString())->body, Not(HasSubstr(R"(name="head")")));
  auto early = Post(clerk, "/month/" + Current().ToString() + "/post", {});
  EXPECT_EQ(early->status, 422);
  EXPECT_THAT(early->body, HasSubstr("才过完，那天起才能公示"));
  auto locked = Post(clerk, "/month/2024-01/post", {});
  EXPECT_EQ(locked->status, 422);
  EXPECT_THAT(locked->body, HasSubstr("公示期已经结束"));
  EXPECT_EQ(HeadNow(), before);

  httplib::Params form = PostForm(clerk, Previous());
  auto ok = Post(clerk, "/month/" + Previous().ToString() + "/post", form);
  ASSERT_EQ(ok->status, 303) << ok->body;
  ledger::Record post = Last();
  EXPECT_EQ(post.type, ledger::RecordType::kPost);
  EXPECT_EQ(post.id, "W-P" + Previous().ToString());  // jifen post's default id
  EXPECT_EQ(post.scorer, "S2");
  EXPECT_EQ(State(Previous()), engine::PeriodState::kNotice);
  before = HeadNow();
  auto twice =
      Post(clerk, "/month/" + Previous().ToString() + "/post", form);  // the same form again
  EXPECT_EQ(twice->status, 422);
  EXPECT_THAT(twice->body,
              HasSubstr("已经在 " + Timestamp::Now().LocalDate().ToString() + " 公示过了"));
  EXPECT_EQ(Post(clerk, "/month/" + Previous().ToString() + "/post", {})->status,
            422);  // no count seen
  EXPECT_EQ(HeadNow(), before);
  // Posting again from the page as it is now restarts the window, as jifen post would.
  auto again =
      Post(clerk, "/month/" + Previous().ToString() + "/post", PostForm(clerk, Previous()));
  ASSERT_EQ(again->status, 303) << again->body;
  EXPECT_EQ(Last().id, "W-P" + Previous().ToString() + "-2");
}

TEST_F(Month, PostingNeedsTheConfirmationTickedAndRepostingIsTuckedAway) {
  Login clerk = SignIn("clerk");
  auto page = Get(clerk, "/month/" + Previous().ToString());
  EXPECT_THAT(page->body, HasSubstr(R"(<input type="checkbox" name="confirm" value="yes" required>)"));
  httplib::Params form = PostForm(clerk, Previous());
  form.erase("confirm");
  uint64_t before = HeadNow();
  auto unconfirmed = Post(clerk, "/month/" + Previous().ToString() + "/post", form);
  EXPECT_EQ(unconfirmed->status, 422);
  EXPECT_THAT(unconfirmed->body, HasSubstr("请先勾选确认，再公示。"));
  EXPECT_EQ(HeadNow(), before);
  ASSERT_EQ(Post(clerk, "/month/" + Previous().ToString() + "/post", PostForm(clerk, Previous()))
                ->status,
            303);
  // Once posted, posting again sits behind a fold and its own confirmation.
  auto posted = Get(clerk, "/month/" + Previous().ToString());
  // The page shows the signed checkpoint of the tree that ends with the post, as `jifen post`
  // prints it, for the paper board.
  uint64_t post_size = HeadNow();
  auto key = tlog::LogKey(dir_, std::nullopt, false);
  ASSERT_TRUE(key.ok()) << key.status().message();
  auto checkpoint = tlog::CheckpointAt(**app_->ledger().Snapshot(), *key, post_size);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_THAT(posted->body, HasSubstr("本次公示的账本检查点"));
  std::string shown = HtmlEscape(*checkpoint);  // and '/' as the templates escape it
  for (size_t at = 0; (at = shown.find('/', at)) != std::string::npos;) shown.replace(at, 1, "&#x2F;");
  EXPECT_THAT(posted->body, HasSubstr("<pre class=\"code\">" + shown + "</pre>"));
  EXPECT_THAT(posted->body, HasSubstr("<details class=\"repost\"><summary>需要重新公示？"));
  EXPECT_THAT(posted->body, HasSubstr("确认重新公示"));
}

TEST_F(Month, APostOfABoardThatChangedSinceThePageWasOpenedIsRefused) {
  Login clerk = SignIn("clerk");
  httplib::Params form = PostForm(clerk, Previous());
  AddPreviousAward("W-LATE");  // a record arrives after the clerk looked at the preview
  uint64_t before = HeadNow();
  auto res = Post(clerk, "/month/" + Previous().ToString() + "/post", form);
  EXPECT_EQ(res->status, 422);
  EXPECT_THAT(res->body, HasSubstr("打开本页以后又有新的记录"));
  EXPECT_EQ(HeadNow(), before);
}

TEST_F(Month, TheOfficeRecordsAnObjectionDuringTheNoticeWindowOnly) {
  AddPreviousAward("W-P1A");
  PostPrevious();
  Login clerk = SignIn("clerk");
  std::string path = "/month/" + Previous().ToString() + "/object";
  uint64_t before = HeadNow();
  auto empty = Post(clerk, path, {{"target", ""}, {"reason", ""}, {"name", "王五"}});
  EXPECT_EQ(empty->status, 422);
  EXPECT_THAT(empty->body, HasSubstr("请填写有异议的记录编号或户号"));
  EXPECT_THAT(empty->body, HasSubstr("这一项必须填写"));
  EXPECT_THAT(empty->body, HasSubstr(R"(name="name" value="王五")"));  // kept as typed
  auto unknown = Post(clerk, path, {{"target", "W-NOPE"}, {"reason", "不对"}, {"name", "王五"}});
  EXPECT_EQ(unknown->status, 422);
  EXPECT_THAT(unknown->body, HasSubstr("本村没有编号为“W-NOPE”的记录"));
  auto other_period = Post(clerk, path, {{"target", "W-1"}, {"reason", "不对"}, {"name", "王五"}});
  EXPECT_EQ(other_period->status, 422);
  EXPECT_THAT(other_period->body, HasSubstr("这条记录不在这一期里"));
  auto closed = Post(clerk, "/month/2024-01/object",
                     {{"target", "W-1"}, {"reason", "不对"}, {"name", "王五"}});
  EXPECT_EQ(closed->status, 422);
  EXPECT_THAT(closed->body, HasSubstr("不在公示期内"));
  EXPECT_EQ(HeadNow(), before);

  auto record =
      Post(clerk, path, {{"target", "W-P1A"}, {"reason", kScript}, {"name", "王五（H2）"}});
  ASSERT_EQ(record->status, 303) << record->body;
  ledger::Record o = Last();
  EXPECT_EQ(o.type, ledger::RecordType::kObjection);
  EXPECT_EQ(o.id, "W-O" + Previous().ToString());
  EXPECT_EQ(o.target, "W-P1A");
  EXPECT_EQ(o.name, "王五（H2）");
  EXPECT_EQ(o.scorer, "S2");
  auto household =
      Post(clerk, path + "?lang=en", {{"target", "H2"}, {"reason", "漏记"}, {"name", "李四"}});
  ASSERT_EQ(household->status, 303) << household->body;
  EXPECT_EQ(household->get_header_value("Location"),
            "/month/" + Previous().ToString() + "?done=objected&lang=en");
  EXPECT_EQ(Last().household, "H2");
  EXPECT_EQ(Last().id, "W-O" + Previous().ToString() + "-2");
  auto page = Get(clerk, "/month/" + Previous().ToString());
  EXPECT_THAT(page->body, Not(HasSubstr(kScript)));
  EXPECT_THAT(page->body, HasSubstr("&lt;script&gt;alert(1)&lt;"));
  EXPECT_THAT(page->body, HasSubstr("李四"));
  EXPECT_THAT(page->body, HasSubstr("登记人 S2 赵文书"));
}

// The office's objection form offers its targets: every household's figures, and once a household
// is chosen, that household's records of the period (a clerk never types an id).
TEST_F(Month, TheOfficeObjectionFormOffersHouseholdsThenTheChosenHouseholdsRecords) {
  AddPreviousAward("W-P1A");      // P1, of H1
  AddPreviousAward("W-P2A", "P2");  // of H2
  PostPrevious();
  Login clerk = SignIn("clerk");
  std::string month = "/month/" + Previous().ToString();
  auto all = Get(clerk, month);
  ASSERT_EQ(all->status, 200);
  EXPECT_THAT(all->body, HasSubstr(R"(<select id="target" name="target">)"));
  EXPECT_THAT(all->body, HasSubstr(R"(<option value="H2">整户积分：H2 李家</option>)"));
  EXPECT_THAT(all->body, Not(HasSubstr(R"(<option value="W-P1A")")));
  EXPECT_THAT(all->body, Not(HasSubstr(R"(name="target" value=)")));  // no free text
  auto h2 = Get(clerk, month + "?object_household=H2");
  EXPECT_THAT(h2->body, HasSubstr(R"(<option value="H2" selected>H2 李家</option>)"));
  EXPECT_THAT(h2->body, HasSubstr(R"(<option value="W-P2A">)"));
  EXPECT_THAT(h2->body, HasSubstr("李四"));
  EXPECT_THAT(h2->body, Not(HasSubstr(R"(<option value="W-P1A")")));  // another household's
  EXPECT_THAT(h2->body, Not(HasSubstr(R"(<option value="H1">整户积分)")));
  auto nope = Get(clerk, month + "?object_household=H9");  // no such household: every one
  EXPECT_THAT(nope->body, HasSubstr(R"(<option value="H1">整户积分)"));
  // A refused form comes back with the household's records and the chosen one kept.
  auto refused = Post(clerk, month + "/object", {{"target", "W-P2A"}, {"reason", ""}, {"name", "李四"}});
  EXPECT_EQ(refused->status, 422);
  EXPECT_THAT(refused->body, HasSubstr(R"(<option value="W-P2A" selected>)"));
}

TEST_F(Month, ARulingIsRecordedOnceAndAnUpheldOneRevokesTheRecord) {
  AddAwaitingPeriod();
  Login clerk = SignIn("clerk");
  uint64_t before = HeadNow();
  auto unknown = Post(clerk, "/month/2024-02/rule",
                      {{"objection", "W-O-NOPE"}, {"decision", "upheld"}, {"reason", "核实"}});
  EXPECT_EQ(unknown->status, 422);
  EXPECT_THAT(unknown->body, HasSubstr("这一期没有编号为“W-O-NOPE”的异议"));
  auto no_decision = Post(clerk, "/month/2024-02/rule",
                          {{"objection", "W-O2024-02"}, {"decision", "maybe"}, {"reason", "核实"}});
  EXPECT_EQ(no_decision->status, 422);
  EXPECT_THAT(no_decision->body, HasSubstr("请选“异议成立”或“异议不成立”"));
  auto no_reason = Post(clerk, "/month/2024-02/rule",
                        {{"objection", "W-O2024-02"}, {"decision", "upheld"}, {"reason", ""}});
  EXPECT_EQ(no_reason->status, 422);
  EXPECT_THAT(no_reason->body, HasSubstr("请写明裁定理由"));
  EXPECT_THAT(no_reason->body, HasSubstr(R"(value="upheld" checked)"));  // kept as chosen
  EXPECT_EQ(HeadNow(), before);

  auto ok = Post(clerk, "/month/2024-02/rule",
                 {{"objection", "W-O2024-02"}, {"decision", "upheld"}, {"reason", "经核实"}});
  ASSERT_EQ(ok->status, 303) << ok->body;
  ledger::Record ruling = Last();
  EXPECT_EQ(ruling.type, ledger::RecordType::kRuling);
  EXPECT_EQ(ruling.id, "W-O2024-02-ruling");  // jifen rule's default id
  EXPECT_EQ(ruling.outcome, "upheld");
  EXPECT_EQ(ruling.scorer, "S2");
  EXPECT_TRUE(Model().IsRevoked("W-2"));
  EXPECT_EQ(State(*Period::Parse("2024-02")), engine::PeriodState::kFinal);
  before = HeadNow();
  auto twice = Post(clerk, "/month/2024-02/rule",
                    {{"objection", "W-O2024-02"}, {"decision", "dismissed"}, {"reason", "再议"}});
  EXPECT_EQ(twice->status, 422);
  EXPECT_THAT(twice->body, HasSubstr("已经裁定过了"));
  EXPECT_EQ(HeadNow(), before);
}

// ---- guards ----

TEST_F(Month, AClerkOfAnotherVillageNeitherSeesNorChangesThisOne) {
  AddAwaitingPeriod();
  AdoptReview();
  AddAward("W-R1", "P1");
  std::string v_rules =
      "village V \"邻村\" {\n  notice 3 days\n  review by \"村两委\"\n}\n"
      "category A \"好事\" {\n  item A1 \"升旗\" +2 per person\n}\n";
  engine::AdoptRequest adopt{"v.rules", v_rules, Current().FirstDay(), "村民代表大会",
                             std::nullopt};
  ASSERT_TRUE(engine::AdoptRules(app_->ledger(), adopt, Timestamp::Now()).ok());
  Add({R"({"type":"scorer","village":"V","scorer":"S2","name":"钱文书","role":"村两委"})"});
  ASSERT_TRUE(
      app_->accounts().AddUser(accounts::Account{"clerkv", "clerk", "V", "S2"}, "password-clerkv").ok());
  Login other = SignIn("clerkv");
  uint64_t before = HeadNow();
  EXPECT_THAT(Get(other, "/review")->body, Not(HasSubstr("W-R1")));
  EXPECT_EQ(Post(other, "/review/approve", {{"id", "W-R1"}})->status, 422);
  EXPECT_EQ(Post(other, "/review/reject", {{"id", "W-R1"}, {"reason", "不对"}})->status, 422);
  auto month = Get(other, "/month/" + Current().ToString());
  EXPECT_EQ(month->status, 200);
  EXPECT_THAT(month->body, HasSubstr("邻村"));
  EXPECT_THAT(month->body, Not(HasSubstr("李家")));
  EXPECT_EQ(Get(other, "/month/2024-02")->status, 404);  // not a period of V
  EXPECT_EQ(Post(other, "/month/" + Previous().ToString() + "/post", {})->status, 404);
  EXPECT_EQ(
      Post(other, "/month/2024-02/object", {{"target", "W-2"}, {"reason", "x"}, {"name", "y"}})
          ->status,
      404);
  EXPECT_EQ(Post(other, "/month/2024-02/rule",
                 {{"objection", "W-O2024-02"}, {"decision", "upheld"}, {"reason", "x"}})
                ->status,
            404);
  auto rule_here = Post(other, "/month/" + Current().ToString() + "/rule",
                        {{"objection", "W-O2024-02"}, {"decision", "upheld"}, {"reason", "x"}});
  EXPECT_EQ(rule_here->status, 422);
  auto object_here = Post(other, "/month/" + Current().ToString() + "/object",
                          {{"target", "W-R1"}, {"reason", "x"}, {"name", "y"}});
  EXPECT_EQ(object_here->status, 422);
  EXPECT_EQ(HeadNow(), before);
  EXPECT_FALSE(Model().objections.at("W-O2024-02").ruling);
}

TEST_F(Month, ScorerTownshipAndAuditorAccountsAreRefusedEveryMonthPage) {
  for (const char* who : {"scorer", "township", "auditor"}) {
    Login l = SignIn(who);
    for (const char* path : {"/review", "/month", "/month/2024-01"}) {
      EXPECT_EQ(Get(l, path)->status, 403) << who << " " << path;
    }
    for (const char* path : {"/review/approve", "/review/reject", "/month/2024-01/post",
                             "/month/2024-01/object", "/month/2024-01/rule"}) {
      EXPECT_EQ(Post(l, path, {{"id", "W-1"}})->status, 403) << who << " " << path;
    }
  }
}

// ---- the villager's objection on the card page ----

TEST_F(Month, TheCardShowsTheObjectionFormOnlyDuringTheNoticeWindow) {
  AddPreviousAward("W-P1A");
  auto closed = Client().Get(Card("H1"));
  ASSERT_EQ(closed->status, 200);
  EXPECT_THAT(closed->body, Not(HasSubstr("/object\"")));
  EXPECT_EQ(Cookie(*closed, "jifen_card"), "");
  CardForm card = OpenCard("H1");  // no form, so no token: borrow one of our own making
  card.cookie = "jifen_card=" + std::string(64, 'b');
  card.csrf = std::string(64, 'b');
  uint64_t before = HeadNow();
  auto refused = Object(card, "H1", {{"target", ""}, {"reason", "漏记"}});
  EXPECT_EQ(refused->status, 422);
  EXPECT_THAT(refused->body, HasSubstr("现在不是公示期"));
  EXPECT_EQ(HeadNow(), before);
  PostPrevious();
  CardForm open = OpenCard("H1");
  EXPECT_THAT(open.body, HasSubstr("本期积分正在公示"));
  EXPECT_THAT(open.body, HasSubstr(R"(<option value="W-P1A">)"));
  EXPECT_FALSE(open.cookie.empty());
  EXPECT_EQ(open.cookie.substr(open.cookie.find('=') + 1), open.csrf);
}

TEST_F(Month, AVillagerObjectsFromTheCardAndSeesItReceived) {
  AddPreviousAward("W-P1A");
  AddPreviousAward("W-P2A", "P2");
  PostPrevious();
  CardForm card = OpenCard("H1");
  EXPECT_THAT(card.body, Not(HasSubstr("W-P2A")));  // another household's record is not offered
  uint64_t before = HeadNow();
  auto theirs = Object(card, "H1", {{"target", "W-P2A"}, {"reason", "不对"}});
  EXPECT_EQ(theirs->status, 422);
  EXPECT_THAT(theirs->body,
              HasSubstr("只能对本户在 " + Previous().ToString() + " 这一期的记录提异议"));
  auto no_reason = Object(card, "H1", {{"target", "W-P1A"}, {"reason", ""}, {"name", "张三"}});
  EXPECT_EQ(no_reason->status, 422);
  EXPECT_THAT(no_reason->body, HasSubstr("这一项必须填写"));
  EXPECT_THAT(no_reason->body, HasSubstr(R"(value="张三")"));
  EXPECT_THAT(no_reason->body, HasSubstr(R"(<option value="W-P1A" selected>)"));
  auto too_long = Object(card, "H1", {{"target", ""}, {"reason", std::string(301, 'x')}});
  EXPECT_EQ(too_long->status, 422);
  auto long_name =
      Object(card, "H1", {{"target", ""}, {"reason", "漏记"}, {"name", std::string(41, 'n')}});
  EXPECT_EQ(long_name->status, 422);
  auto bad_bytes =
      Object(card, "H1", {{"target", ""}, {"reason", std::string("\xff\xfe") + '\0' + "x"}});
  EXPECT_EQ(bad_bytes->status, 422);
  EXPECT_THAT(bad_bytes->body, HasSubstr("有不能保存的字符"));
  EXPECT_EQ(HeadNow(), before);

  auto ok = Object(card, "H1", {{"target", "W-P1A"}, {"reason", kScript}, {"name", "张三"}});
  ASSERT_EQ(ok->status, 303) << ok->body;
  std::string id = "W-O" + Previous().ToString();
  EXPECT_EQ(ok->get_header_value("Location"), Card("H1") + "?filed=" + id + "#my-objections");
  ledger::Record o = Last();
  EXPECT_EQ(o.type, ledger::RecordType::kObjection);
  EXPECT_EQ(o.id, id);
  EXPECT_EQ(o.target, "W-P1A");
  EXPECT_EQ(o.name, "张三，H1 户积分卡");
  EXPECT_TRUE(o.scorer.empty());
  auto figures = Object(card, "H1",
                        {{"target", ""}, {"reason", "漏记了\r\n一次"}});  // a textarea's line break
  ASSERT_EQ(figures->status, 303) << figures->body;
  EXPECT_EQ(Last().household, "H1");
  EXPECT_EQ(Last().reason, "漏记了  一次");
  auto page = Client().Get(Card("H1") + "?filed=" + id);
  EXPECT_THAT(page->body, HasSubstr("您的异议已收到"));
  EXPECT_THAT(page->body, HasSubstr("漏记了  一次"));
  EXPECT_THAT(page->body, HasSubstr("待裁定"));
  EXPECT_THAT(page->body, HasSubstr("张三 升旗"));  // the record objected to, in words
  // Each objection is a labelled box on a phone, headed by its period in words.
  EXPECT_THAT(page->body, HasSubstr(R"(<td class="stack-head">)" + ChinesePeriodLabel(Previous()) + "</td>"));
  EXPECT_THAT(page->body, Not(HasSubstr(kScript)));
  EXPECT_THAT(Client().Get(Card("H2"))->body, Not(HasSubstr("漏记了  一次")));  // not H2's
}

TEST_F(Month, TheCardFormNeedsItsTokenAndItsCookie) {
  AddPreviousAward("W-P1A");
  PostPrevious();
  CardForm card = OpenCard("H1");
  uint64_t before = HeadNow();
  CardForm no_field = card;
  no_field.csrf = "";
  EXPECT_EQ(Object(no_field, "H1", {{"reason", "漏记"}})->status, 400);
  CardForm no_cookie = card;
  no_cookie.cookie = "";
  EXPECT_EQ(Object(no_cookie, "H1", {{"reason", "漏记"}})->status, 400);
  CardForm other = card;
  other.csrf = std::string(64, 'c');
  EXPECT_EQ(Object(other, "H1", {{"reason", "漏记"}})->status, 400);
  // A signed-in clerk's session token is not the card form's token.
  Login clerk = SignIn("clerk");
  auto session = Client().Post(Card("H1") + "/object", {{"Cookie", clerk.cookie}},
                               httplib::Params{{"csrf", clerk.csrf}, {"reason", "漏记"}});
  EXPECT_EQ(session->status, 400);
  auto wrong_token =
      Client().Post("/h/W/H1/" + accounts::HmacHex(secret_, "W|H2") + "/object", {{"Cookie", card.cookie}},
                    httplib::Params{{"csrf", card.csrf}, {"reason", "漏记"}});
  EXPECT_EQ(wrong_token->status, 404);
  EXPECT_THAT(wrong_token->body, HasSubstr("这个链接无效"));
  auto unknown = Client().Post("/h/W/NOPE/" + accounts::HmacHex(secret_, "W|NOPE") + "/object",
                               {{"Cookie", card.cookie}},
                               httplib::Params{{"csrf", card.csrf}, {"reason", "漏记"}});
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(HeadNow(), before);
}

TEST_F(Month, ObjectionsFromOneAddressAreLimitedPerHour) {
  PostPrevious();
  CardForm card = OpenCard("H1");
  for (int i = 0; i < app_->options().objections_per_address_max; ++i) {
    auto ok = Object(card, "H1", {{"reason", "漏记 " + std::to_string(i)}});
    ASSERT_EQ(ok->status, 303) << i << ok->body;
  }
  uint64_t before = HeadNow();
  auto refused = Object(card, "H1", {{"reason", "再来一次"}});
  EXPECT_EQ(refused->status, 429);
  EXPECT_THAT(refused->body, HasSubstr("请过一小时再提交"));
  EXPECT_THAT(refused->body, HasSubstr("再来一次"));  // kept as typed
  EXPECT_EQ(HeadNow(), before);
}

}  // namespace
}  // namespace jifen::web

namespace jifen::web {
namespace {

// A card page in a notice window is kept in the page cache without any visitor's token: each
// visitor gets a token of their own (or keeps their own cookie's), and the page renders once.
TEST_F(Month, TheCardInANoticeWindowIsKeptButEachVisitorHasTheirOwnToken) {
  AddPreviousAward("W-P1A");
  PostPrevious();
  uint64_t renders = app_->kept_page_renders();
  CardForm first = OpenCard("H1");
  CardForm second = OpenCard("H1");
  EXPECT_EQ(app_->kept_page_renders(), renders + 1);
  ASSERT_EQ(first.csrf.size(), 64u);
  ASSERT_EQ(second.csrf.size(), 64u);
  EXPECT_NE(first.csrf, second.csrf);
  EXPECT_EQ(second.cookie, "jifen_card=" + second.csrf);
  EXPECT_THAT(second.body, Not(HasSubstr(first.csrf)));
  EXPECT_THAT(second.body, Not(HasSubstr(kCardTokenSlot)));
  // A browser that has one of our tokens keeps it, from the kept page too.
  auto again = Client().Get(Card("H1"), {{"Cookie", first.cookie}});
  EXPECT_THAT(again->body, HasSubstr("value=\"" + first.csrf + "\""));
  EXPECT_EQ(Cookie(*again, "jifen_card"), first.cookie);
  EXPECT_EQ(app_->kept_page_renders(), renders + 1);
  // One visitor's token does not pass with another's cookie; each passes with its own.
  CardForm mixed = second;
  mixed.csrf = first.csrf;
  EXPECT_EQ(Object(mixed, "H1", {{"target", "W-P1A"}, {"reason", "漏记"}})->status, 400);
  EXPECT_EQ(Object(second, "H1", {{"target", "W-P1A"}, {"reason", "漏记"}})->status, 303);
}

}  // namespace
}  // namespace jifen::web
