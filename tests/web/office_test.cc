// The clerk's office: the rule file checked with its errors at their lines, tried on the real
// ledger (what-if writes nothing), adopted only for the clerk's own village; and the roster.
#include <sstream>

#include "tests/web/serve_fixture.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::kRules;
using webtest::Serve;

class Office : public Serve {
 protected:
  httplib::Result Post(const Login& who, const std::string& path, httplib::Params params) {
    params.emplace("csrf", who.csrf);
    return Client().Post(path, {{"Cookie", who.cookie}}, params);
  }
  ledger::Record Last() {
    auto reader = app_->ledger().Snapshot();
    return *(*reader)->Get((*reader)->HeadSequence());
  }
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST_F(Office, TheRulesPageShowsTheRuleFileInForce) {
  Login clerk = SignIn("clerk");
  auto page = Client().Get("/rules", {{"Cookie", clerk.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("village W &quot;网页村&quot;"));
  EXPECT_THAT(page->body, HasSubstr("村民代表大会"));
}

TEST_F(Office, ACheckShowsEachErrorAtItsLineAndKeepsTheText) {
  Login clerk = SignIn("clerk");
  std::string bad = Replace(kRules, "item H1 \"庭院整洁\" +3 per household",
                            "item H1 \"庭院整洁\" +3 per houshold");
  uint64_t before = Head();
  auto res = Post(clerk, "/rules/check", {{"text", bad}});
  EXPECT_EQ(res->status, 422);
  EXPECT_THAT(res->body, HasSubstr(R"(<tr class="bad"><td class="n">7</td>)"));
  EXPECT_THAT(res->body, HasSubstr("houshold"));
  // The caret stands under the word that is wrong, not at the line's start.
  EXPECT_THAT(res->body, HasSubstr("<code class=\"caret\" aria-hidden=\"true\">" +
                                   std::string(11, ' ') + "\u3000\u3000\u3000\u3000" +
                                   std::string(9, ' ') + "↑</code>"));
  EXPECT_THAT(res->body,
              HasSubstr(">village W &quot;网页村&quot;"));  // the textarea keeps the edit
  auto ok = Post(clerk, "/rules/check", {{"text", kRules}});
  EXPECT_EQ(ok->status, 200);
  EXPECT_THAT(ok->body, HasSubstr("细则检查通过"));
  EXPECT_EQ(Head(), before);
}

// A village's rule file in Chinese is several kilobytes, three times that URL-encoded: more than
// cpp-httplib takes in a urlencoded body (8 KiB). The page sends it as multipart, as here.
TEST_F(Office, ARuleFileOfManyKilobytesIsCheckedFromTheMultipartForm) {
  Login clerk = SignIn("clerk");
  std::string text = kRules;
  for (int i = 0; i < 200; ++i)
    text += "# 说明：本细则经村民代表大会讨论通过，第" + std::to_string(i) + "条注释\n";
  ASSERT_GT(text.size(), 8192u);
  httplib::MultipartFormDataItems form{{"csrf", clerk.csrf, "", ""}, {"text", text, "", ""}};
  auto res = Client().Post("/rules/check", {{"Cookie", clerk.cookie}}, form);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr("细则检查通过"));
}

TEST_F(Office, AWhatIfShowsTheChangeOnTheRealLedgerAndWritesNothing) {
  Login clerk = SignIn("clerk");
  uint64_t before = Head();
  auto res =
      Post(clerk, "/rules/whatif",
           {{"text", Replace(kRules, "+2 per person", "+5 per person")}, {"period", "2024-01"}});
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr("试算结果 2024-01"));
  EXPECT_THAT(res->body,
              HasSubstr(R"(<td class="n">2</td><td class="n">5</td><td class="n up">+3</td>)"));
  EXPECT_EQ(Head(), before);
  auto bad_period = Post(clerk, "/rules/whatif", {{"text", kRules}, {"period", "someday"}});
  EXPECT_EQ(bad_period->status, 422);
  EXPECT_THAT(bad_period->body, HasSubstr("期写成 2024-06"));
}

TEST_F(Office, AdoptionIsRefusedBesideItsFieldAndTakesEffectWhenRight) {
  Login clerk = SignIn("clerk");
  std::string next = Replace(kRules, "item E1", "item N1 \"新项目\" +1 per person\n  item E1");
  uint64_t before = Head();
  auto no_approval =
      Post(clerk, "/rules/adopt", {{"text", next}, {"effective", "2030-01-01"}, {"approval", ""}});
  EXPECT_EQ(no_approval->status, 422);
  EXPECT_THAT(no_approval->body, HasSubstr("要写明由谁、哪天通过"));
  auto bad_date = Post(clerk, "/rules/adopt",
                       {{"text", next}, {"effective", "明年"}, {"approval", "村民代表大会"}});
  EXPECT_EQ(bad_date->status, 422);
  EXPECT_THAT(bad_date->body, HasSubstr("生效日期要写成"));
  // 2024-01 was posted and its notice has ended: an adoption effective then is refused.
  auto locked = Post(clerk, "/rules/adopt",
                     {{"text", next}, {"effective", "2024-01-01"}, {"approval", "村民代表大会"}});
  EXPECT_EQ(locked->status, 422);
  EXPECT_THAT(locked->body,
              HasSubstr("生效日期 2024-01-01 会改动 2024-01 期：这一期已于 2024-02-01 公示"));
  // Another village's rules are never adopted from this clerk's page.
  auto other = Post(clerk, "/rules/adopt",
                    {{"text", Replace(kRules, "village W", "village V")},
                     {"effective", "2030-01-01"},
                     {"approval", "村民代表大会"}});
  EXPECT_EQ(other->status, 422);
  EXPECT_THAT(other->body, HasSubstr("只能修改本村的细则：V"));
  EXPECT_EQ(Head(), before);
  Date first =
      Period::Containing(Timestamp::Now().LocalDate(), PeriodKind::kMonth).Next().FirstDay();
  auto adopted = Post(
      clerk, "/rules/adopt",
      {{"text", next}, {"effective", first.ToString()}, {"approval", "村民代表大会 表决通过"}});
  ASSERT_EQ(adopted->status, 303) << adopted->body;
  ledger::Record r = Last();
  EXPECT_EQ(r.type, ledger::RecordType::kRules);
  EXPECT_EQ(r.village, "W");
  EXPECT_EQ(r.text, next);
  EXPECT_EQ(r.approved_by, "村民代表大会 表决通过");
}

TEST_F(Office, AnAdoptionFromTheBrowserIsSaidOnThePageAndFingerprintedAsTheFile) {
  Login clerk = SignIn("clerk");
  std::string next = Replace(kRules, "item E1", "item N1 \"新项目\" +1 per person\n  item E1");
  std::string crlf;  // what a browser's textarea sends
  for (char ch : next) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  Date first =
      Period::Containing(Timestamp::Now().LocalDate(), PeriodKind::kMonth).Next().FirstDay();
  auto adopted = Post(clerk, "/rules/adopt",
                      {{"text", crlf}, {"effective", first.ToString()}, {"approval", "村民代表大会"}});
  ASSERT_EQ(adopted->status, 303) << adopted->body;
  ledger::Record r = Last();
  EXPECT_EQ(r.text, next);  // kept with line feeds, as `jifen rules adopt` keeps the file
  EXPECT_EQ(r.sha256, ledger::Sha256Hex(next));
  std::string location = adopted->get_header_value("Location");
  EXPECT_THAT(location, HasSubstr("adopted=" + r.sha256.substr(0, 12)));
  auto page = Client().Get(location, {{"Cookie", clerk.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("新细则已通过并记入账本，指纹 " + r.sha256.substr(0, 12)));
  EXPECT_THAT(page->body, HasSubstr(first.ToString()));
  // A made-up fingerprint is not echoed.
  auto made_up = Client().Get("/rules?adopted=0123456789ab", {{"Cookie", clerk.cookie}});
  EXPECT_THAT(made_up->body, Not(HasSubstr("新细则已通过")));
}

TEST_F(Office, TheRosterTakesHouseholdsPersonsMovesAndScorersForTheClerksOwnVillage) {
  Login clerk = SignIn("clerk");
  auto household = Post(clerk, "/roster/household",
                        {{"code", "H9"},
                         {"name", "新户"},
                         {"since", "2024-03-01"},
                         {"shares", "2"},
                         {"village", "V"}});
  ASSERT_EQ(household->status, 303) << household->body;
  ledger::Record r = Last();
  EXPECT_EQ(r.type, ledger::RecordType::kHousehold);
  EXPECT_EQ(r.village, "W");  // the clerk's village, whatever the form says
  EXPECT_EQ(r.shares, 2);
  ASSERT_EQ(Post(clerk, "/roster/person",
                 {{"code", "P9"},
                  {"name", "新人"},
                  {"household", "H9"},
                  {"since", "2024-03-01"},
                  {"resident", "villager"}})
                ->status,
            303);
  ASSERT_EQ(
      Post(clerk, "/roster/move", {{"code", "P9"}, {"household", "H2"}, {"date", "2024-04-01"}})
          ->status,
      303);
  ASSERT_EQ(Post(clerk, "/roster/scorer",
                 {{"code", "S9"}, {"name", "新网格员"}, {"role", "网格员"}, {"person_link", ""}})
                ->status,
            303);
  auto page = Client().Get("/roster?q=xr", {{"Cookie", clerk.cookie}});  // 新人 by pinyin
  EXPECT_THAT(page->body, HasSubstr("<td>P9</td><td>新人</td><td>H2 李家</td>"));
  uint64_t before = Head();
  auto twice = Post(clerk, "/roster/household",
                    {{"code", "H9"}, {"name", "又一户"}, {"since", "2024-03-01"}, {"shares", "1"}});
  EXPECT_EQ(twice->status, 422);
  EXPECT_THAT(twice->body, HasSubstr(R"(name="name" value="又一户")"));
  auto no_home = Post(clerk, "/roster/person",
                      {{"code", "P10"},
                       {"name", "无户"},
                       {"household", "H404"},
                       {"since", "2024-03-01"},
                       {"resident", "villager"}});
  EXPECT_EQ(no_home->status, 422);
  auto missing = Post(clerk, "/roster/scorer",
                      {{"code", ""}, {"name", "无号"}, {"role", "网格员"}, {"person_link", ""}});
  EXPECT_EQ(missing->status, 422);
  EXPECT_THAT(missing->body, HasSubstr("这一项要填"));
  auto shares = Post(clerk, "/roster/household",
                     {{"code", "H10"}, {"name", "户"}, {"since", "2024-03-01"}, {"shares", "-1"}});
  EXPECT_EQ(shares->status, 422);
  EXPECT_EQ(Head(), before);
}

TEST_F(Office, ResidencyIsChosenFromItsTwoWordsAndShownInThePagesLanguage) {
  Login clerk = SignIn("clerk");
  auto form = Client().Get("/roster", {{"Cookie", clerk.cookie}});
  EXPECT_THAT(form->body, HasSubstr(R"(<option value="non-villager">非村民</option>)"));
  uint64_t before = Head();
  auto free_text = Post(clerk, "/roster/person",
                        {{"code", "P7"},
                         {"name", "外来人"},
                         {"household", "H1"},
                         {"since", "2024-03-01"},
                         {"resident", "居民"}});
  EXPECT_EQ(free_text->status, 422);
  EXPECT_THAT(free_text->body, HasSubstr("身份只能选“村民”或“非村民”"));
  EXPECT_THAT(free_text->body, HasSubstr(R"(value="外来人")"));  // what was typed is kept
  EXPECT_EQ(Head(), before);
  ASSERT_EQ(Post(clerk, "/roster/person",
                 {{"code", "P7"},
                  {"name", "外来人"},
                  {"household", "H1"},
                  {"since", "2024-03-01"},
                  {"resident", "non-villager"}})
                ->status,
            303);
  EXPECT_EQ(Last().resident, "non-villager");
  ASSERT_EQ(Post(clerk, "/roster/person",  // a blank is the default, as the form says
                 {{"code", "P8"}, {"name", "本村人"}, {"household", "H1"}, {"since", "2024-03-01"}})
                ->status,
            303);
  EXPECT_EQ(Last().resident, "villager");
  auto page = Client().Get("/roster", {{"Cookie", clerk.cookie}});
  EXPECT_THAT(page->body, HasSubstr("<td>P7</td><td>外来人</td><td>H1 "));
  EXPECT_THAT(page->body, HasSubstr("</td><td>非村民</td></tr>"));
  EXPECT_THAT(page->body, Not(HasSubstr("<td>villager</td>")));
  auto english = Client().Get("/roster?lang=en", {{"Cookie", clerk.cookie}});
  EXPECT_THAT(english->body, HasSubstr("<td>non-villager</td>"));
  // 所在户 and the person of a move are chosen from lists (type to search), not typed blind.
  EXPECT_THAT(page->body, HasSubstr(R"(name="household" value="" list="household-list")"));
  EXPECT_THAT(page->body, HasSubstr(R"(<option value="H2">李家</option>)"));
  EXPECT_THAT(page->body, HasSubstr(R"(<datalist id="person-list">)"));
  EXPECT_THAT(page->body, HasSubstr(R"(<option value="P7">外来人</option>)"));
}

// Searching the roster for a household lists its members with it; the add forms are one tap away.
TEST_F(Office, ARosterSearchForAHouseholdListsItsMembers) {
  Login clerk = SignIn("clerk");
  auto page = Client().Get("/roster?q=%E6%9D%8E%E5%AE%B6", {{"Cookie", clerk.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("<td>P2</td><td>李四</td>"));  // found through 李家
  EXPECT_THAT(page->body, Not(HasSubstr("<td>P1</td>")));
  EXPECT_THAT(page->body, HasSubstr(R"(<a href="#person">)"));
  auto by_name = Client().Get("/roster?q=zs", {{"Cookie", clerk.cookie}});  // 张三 by initials
  EXPECT_THAT(by_name->body, HasSubstr("<td>P1</td>"));
  EXPECT_THAT(by_name->body, Not(HasSubstr("<td>P2</td>")));
}

// A village's structure in words: every part of it a page reads, for comparing two of them.
std::string Describe(const engine::VillageModel& m) {
  std::ostringstream out;
  out << m.code << " to " << m.sequence_max << "\n";
  for (const auto& a : m.adoptions)
    out << "rules " << a.sequence << " " << a.effective.ToString() << " " << a.sha256 << "\n";
  for (const auto& [code, h] : m.households)
    out << "household " << code << " " << h.sequence << " " << h.name << " " << h.shares << "\n";
  for (const auto& [code, p] : m.persons) {
    out << "person " << code << " " << p.sequence << " " << p.name << " " << p.resident;
    for (const auto& [day, home] : p.memberships) out << " " << day.ToString() << ":" << home;
    out << "\n";
  }
  for (const auto& [code, s] : m.scorers)
    out << "scorer " << code << " " << s.sequence << " " << s.name << " " << s.role << "\n";
  std::map<std::string, std::string> revoked;
  for (const auto& [id, r] : m.revocations)
    revoked[id] = std::to_string(r.sequence) + " " + r.reason + " " + r.ruling;
  for (const auto& [id, r] : revoked) out << "revoked " << id << " " << r << "\n";
  out << "approvals " << m.approvals.size() << "\n";
  for (const auto& [period, p] : m.periods) {
    out << "period " << period;
    for (const auto& post : p.posts) out << " post " << post.id << "@" << post.sequence;
    for (const auto& o : p.objections) out << " objection " << o;
    out << "\n";
  }
  for (const auto& [id, o] : m.objections)
    out << "objection " << id << " " << o.sequence << (o.ruling ? " ruled" : "") << "\n";
  out << "events " << m.events.size() << "\n";
  return out.str();
}

// The village's structure is loaded once and copied for each page after that (App::Structure);
// a write makes a new head, and the next page brings the kept structure up to it with the records
// written since, which must give what loading the village afresh gives. Villages that do not
// exist are not kept, however many are asked for.
TEST_F(Office, TheStructureIsKeptAndBroughtUpToEachNewHead) {
  Login clerk = SignIn("clerk");
  auto roster = [&] { return Client().Get("/roster", {{"Cookie", clerk.cookie}}); };
  ASSERT_EQ(roster()->status, 200);
  uint64_t loaded = app_->structures_loaded();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(roster()->status, 200);
  ASSERT_EQ(Client().Get("/record", {{"Cookie", clerk.cookie}})->status, 200);
  EXPECT_EQ(app_->structures_loaded(), loaded) << "a page at the same head loaded it again";
  // Writes of every structural kind, from the page and from an import beside it.
  ASSERT_EQ(Post(clerk, "/roster/household",
                 {{"code", "H8"}, {"name", "新八户"}, {"since", "2024-03-01"}, {"shares", "1"}})
                ->status,
            303);
  EXPECT_THAT(roster()->body, HasSubstr("新八户"));
  std::string r = R"(,"recorded":")" + Timestamp::Now().ToString() + R"("})";
  Import(app_->ledger(),
         {R"({"type":"person","village":"W","person":"P8","name":"八人","household":"H8","since":"2024-03-01","resident":"villager")" + r,
          R"({"type":"move","village":"W","person":"P8","household":"H2","date":"2024-03-02")" + r,
          R"({"type":"scorer","village":"W","scorer":"S8","name":"八网格","role":"网格员")" + r,
          R"({"type":"award","id":"W-8","village":"W","date":"2024-03-02","subject":"P8","item":"A1","scorer":"S8")" + r,
          R"({"type":"revoke","village":"W","target":"W-8","scorer":"S2","reason":"记错了")" + r});
  std::string rules = kRules;
  rules.replace(rules.find("+2 per person"), 13, "+3 per person");
  engine::AdoptRequest adopt{"w2.rules", rules, *Date::Parse("2024-04-01"), "村民代表大会",
                             Timestamp::Now()};
  ASSERT_TRUE(engine::AdoptRules(app_->ledger(), adopt, Timestamp::Now()).ok());
  EXPECT_THAT(roster()->body, HasSubstr("八网格"));
  EXPECT_EQ(app_->structures_loaded(), loaded) << "brought up to the new head, not loaded";
  auto reader = app_->ledger().Snapshot();
  ASSERT_TRUE(reader.ok());
  auto kept = app_->Structure(**reader, "W");
  auto fresh = engine::LoadVillageStructure(**reader, "W", (*reader)->HeadSequence());
  ASSERT_TRUE(kept.ok() && fresh.ok());
  EXPECT_EQ(Describe(*kept), Describe(*fresh));
  EXPECT_THAT(Describe(*kept), HasSubstr("revoked W-8"));
  EXPECT_EQ(kept->adoptions.size(), 2u);
  for (int i = 0; i < 200; ++i) Client().Get("/v/NO" + std::to_string(i) + "/board/2024-01");
  EXPECT_LE(app_->structures_kept(), 2u);
}

// An award changes no village's structure: the kept one is shared at the new head, not copied.
// A structural record makes a new one, and the one pages already hold stays as it was.
TEST_F(Office, AnAwardKeepsTheSharedStructureAndARegistrationMakesANewOne) {
  auto at_head = [&] {
    auto reader = app_->ledger().Snapshot();
    EXPECT_TRUE(reader.ok());
    auto shared = app_->SharedStructure(**reader, "W");
    EXPECT_TRUE(shared.ok());
    return *shared;
  };
  std::shared_ptr<const engine::VillageModel> before = at_head();
  uint64_t loaded = app_->structures_loaded();
  std::string r = R"(,"recorded":")" + Timestamp::Now().ToString() + R"("})";
  Import(app_->ledger(),
         {R"({"type":"scorer","village":"W","scorer":"S9","name":"九网格","role":"网格员")" + r});
  std::shared_ptr<const engine::VillageModel> registered = at_head();
  EXPECT_NE(registered.get(), before.get());
  EXPECT_TRUE(registered->scorers.count("S9"));
  EXPECT_FALSE(before->scorers.count("S9")) << "a structure a page held was changed";
  Import(app_->ledger(),
         {R"({"type":"award","id":"W-9","village":"W","date":"2024-03-02","subject":"P1","item":"A1","scorer":"S9")" + r});
  std::shared_ptr<const engine::VillageModel> awarded = at_head();
  EXPECT_EQ(awarded.get(), registered.get()) << "an award copied the structure";
  EXPECT_EQ(app_->structures_loaded(), loaded);
  // A copy for a page is at the head all the same.
  auto reader = app_->ledger().Snapshot();
  ASSERT_TRUE(reader.ok());
  auto copy = app_->Structure(**reader, "W");
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->sequence_max, (*reader)->HeadSequence());
}

TEST_F(Office, NamesAreEscapedOnTheRoster) {
  Login clerk = SignIn("clerk");
  auto page = Client().Get("/roster", {{"Cookie", clerk.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, Not(HasSubstr("<script>alert(1)</script>")));
  EXPECT_THAT(page->body, HasSubstr("&lt;script&gt;"));
}

}  // namespace
}  // namespace jifen::web
