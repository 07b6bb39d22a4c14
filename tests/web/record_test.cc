// The scorer's pages: search by pinyin, photos as evidence (content-addressed beside the ledger,
// named in the award so the chain covers them), upload refusals, withdrawing one's own entry.
#include <functional>
#include <set>

#include <fmt/format.h>

#include "ledger/evidence.h"
#include "ledger/sha256.h"
#include "tests/common/files.h"
#include "tests/web/serve_fixture.h"
#include "web/page_util.h"
#include "web/pinyin.h"

namespace jifen::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using webtest::Serve;

// Bytes that begin as a JPEG does; the server judges images by their first bytes only.
std::string Jpeg(const std::string& tail = "photo") {
  return std::string("\xFF\xD8\xFF\xE0", 4) + tail;
}

std::set<std::string> TreeOf(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    out.insert(e.path().string());
  return out;
}

class Record : public Serve {
 protected:
  // The award form as multipart parts, with `files` as its photos (name → bytes).
  httplib::MultipartFormDataItems Form(
      const std::string& csrf, const std::string& subject, const std::string& item,
      const std::vector<std::pair<std::string, std::string>>& files, const std::string& date = "") {
    httplib::MultipartFormDataItems items{
        {"csrf", csrf, "", ""},
        {"subject", subject, "", ""},
        {"item", item, "", ""},
        {"qty", "1", "", ""},
        {"place", "村口", "", ""},
        {"reason", "拍照为证", "", ""},
        {"date", date.empty() ? Timestamp::Now().LocalDate().ToString() : date, "", ""}};
    for (const auto& [name, bytes] : files) items.push_back({"photos", bytes, name, "image/jpeg"});
    return items;
  }
  std::string EvidenceDir() const { return ledger::EvidenceDir(dir_); }
  size_t EvidenceFiles() const {
    if (!std::filesystem::exists(EvidenceDir())) return 0;
    return std::distance(std::filesystem::directory_iterator(EvidenceDir()), {});
  }
  // One award of item A1 for each of `statuses`, sent at once from as many threads, the i-th for
  // subject(i) with form id `form_base` + i; each status (-1: no answer) is put in `statuses`.
  std::vector<std::thread> SendAwards(const Login& s, int form_base,
                                      std::function<const char*(int)> subject,
                                      std::vector<int>* statuses) {
    std::vector<std::thread> writers;
    for (size_t i = 0; i < statuses->size(); ++i) {
      writers.emplace_back([this, s, form_base, subject, statuses, i] {
        const int n = static_cast<int>(i);
        httplib::Params form = Award(s.csrf, subject(n), "A1");
        form.emplace("form", fmt::format("{:012x}", form_base + n));
        auto client = Client();
        client.set_read_timeout(60, 0);
        auto res = client.Post("/record", {{"Cookie", s.cookie}}, form);
        (*statuses)[i] = res ? res->status : -1;
      });
    }
    return writers;
  }
  // Waits up to 20 s for `n` writes to queue behind the one committing; returns how many do.
  size_t WaitForQueued(size_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (app_->writes().waiting() < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    return app_->writes().waiting();
  }
  ledger::Record Last() {
    auto ledger = ledger::Ledger::Open(dir_, false);
    auto reader = (*ledger)->Snapshot();
    return *(*reader)->Get((*reader)->HeadSequence());
  }
};

TEST(Pinyin, InitialsAndSyllablesFindNamesSurnamesReadAsNames) {
  EXPECT_EQ(PinyinOf("张三"), "zhang san");
  EXPECT_TRUE(PinyinMatches("张三", "zs"));
  EXPECT_TRUE(PinyinMatches("张三", "ZhangS"));
  EXPECT_TRUE(PinyinMatches("李建军", "ljj"));
  EXPECT_TRUE(PinyinMatches("单雄信", "sxx"));  // 单 as a surname is shan
  EXPECT_TRUE(PinyinMatches("曾国藩", "zgf"));  // 曾 as a surname is zeng
  EXPECT_TRUE(PinyinMatches("解放", "xf"));     // 解 as a surname is xie
  EXPECT_FALSE(PinyinMatches("张三", "ls"));
  EXPECT_FALSE(PinyinMatches("张三", "z1"));
  EXPECT_FALSE(PinyinMatches("张三", ""));
}

TEST_F(Record, AScorerFindsAPersonByPinyinInitials) {
  Login s = SignIn("scorer");
  auto client = Client();
  auto page = client.Get("/record?q=zs", {{"Cookie", s.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("P1 张三"));
  EXPECT_THAT(page->body, Not(HasSubstr("P2 李四")));
  EXPECT_THAT(client.Get("/record?q=ls", {{"Cookie", s.cookie}})->body, HasSubstr("P2 李四"));
}

TEST_F(Record, APhotoIsStoredByItsHashAndNamedInTheAward) {
  Login s = SignIn("scorer");
  auto client = Client();
  std::string photo = Jpeg("见义勇为");
  auto res =
      client.Post("/record", {{"Cookie", s.cookie}}, Form(s.csrf, "P2", "E1", {{"a.jpg", photo}}));
  ASSERT_EQ(res->status, 303) << res->body;
  std::string hex = ledger::HashToHex(ledger::Sha256Of(photo));
  ledger::Record award = Last();
  ASSERT_EQ(award.evidence.size(), 1u);
  EXPECT_EQ(award.evidence[0], "sha256:" + hex);
  EXPECT_EQ(tests::ReadFile(ledger::EvidencePath(dir_, hex)), photo);
  // The village's own scorer sees it, served with its type; an unknown hash is not found.
  auto shown = client.Get("/evidence/" + hex, {{"Cookie", s.cookie}});
  ASSERT_EQ(shown->status, 200);
  EXPECT_EQ(shown->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(shown->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(shown->body, photo);
  EXPECT_EQ(client.Get("/evidence/" + std::string(64, 'a'), {{"Cookie", s.cookie}})->status, 404);
  EXPECT_THAT(client.Get("/record", {{"Cookie", s.cookie}})->body, HasSubstr("/evidence/" + hex));
  // A clerk of another village, and no session, do not see it; the township does.
  ASSERT_TRUE(
      app_->accounts().AddUser(accounts::Account{"clerkv", "clerk", "V", "S2"}, "password-clerkv").ok());
  EXPECT_EQ(client.Get("/evidence/" + hex, {{"Cookie", SignIn("clerkv").cookie}})->status, 404);
  EXPECT_EQ(client.Get("/evidence/" + hex)->status, 303);
  EXPECT_EQ(client.Get("/evidence/" + hex, {{"Cookie", SignIn("township").cookie}})->status, 200);
}

TEST_F(Record, AnItemThatNeedsEvidenceIsRefusedWithoutAPhotoBesideThePhotoField) {
  Login s = SignIn("scorer");
  uint64_t before = Head();
  auto res = Client().Post("/record", {{"Cookie", s.cookie}}, Form(s.csrf, "P2", "E1", {}));
  EXPECT_EQ(res->status, 422);
  EXPECT_THAT(res->body, HasSubstr("这个项目要附照片作证据"));
  EXPECT_THAT(res->body, HasSubstr(R"(<div id="f-photos" class="field-error">
<label for="photos">)"));
  EXPECT_EQ(Head(), before);
}

TEST_F(Record, UploadsThatAreNotPhotosTooLargeOrTooManyAreRefusedAndNothingIsWritten) {
  Login s = SignIn("scorer");
  auto client = Client();
  uint64_t before = Head();
  std::set<std::string> tree = TreeOf(dir_);
  struct Case {
    std::vector<std::pair<std::string, std::string>> files;
    const char* says;
  };
  std::vector<Case> cases{
      {{{"x.jpg", "just text, named like a photo"}}, "不是照片"},
      {{{"x.gif", "GIF89a\x01\x00\x01\x00"}}, "不是照片"},
      {{{"x.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"}},
       "不是照片"},
      {{{"big.jpg", Jpeg(std::string(ledger::kEvidenceBytesMax, 'x'))}}, "照片太大"},
      {{{"1.jpg", Jpeg("1")},
        {"2.jpg", Jpeg("2")},
        {"3.jpg", Jpeg("3")},
        {"4.jpg", Jpeg("4")},
        {"5.jpg", Jpeg("5")}},
       "最多附 4 张"},
  };
  for (const auto& c : cases) {
    auto res = client.Post("/record", {{"Cookie", s.cookie}}, Form(s.csrf, "P2", "A1", c.files));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << c.says;
    EXPECT_THAT(res->body, HasSubstr(c.says));
    EXPECT_THAT(res->body, HasSubstr(R"(name="reason" value="拍照为证")"));  // the form kept
  }
  EXPECT_EQ(Head(), before);
  EXPECT_EQ(TreeOf(dir_), tree);
}

TEST_F(Record, AFileNameWithAPathIsNeverUsedAndNothingIsWrittenOutsideTheEvidenceFolder) {
  Login s = SignIn("scorer");
  std::set<std::string> tree = TreeOf(dir_);
  std::string photo = Jpeg("path");
  auto res = Client().Post("/record", {{"Cookie", s.cookie}},
                           Form(s.csrf, "P2", "E1", {{"../../../../tmp/evil.jpg", photo}}));
  ASSERT_EQ(res->status, 303) << res->body;
  std::string hex = ledger::HashToHex(ledger::Sha256Of(photo));
  std::set<std::string> added;
  for (const auto& p : TreeOf(dir_)) {
    if (!tree.count(p)) added.insert(p);
  }
  // The evidence folder (when new) and the photo under its hash; nothing else, anywhere.
  added.erase(EvidenceDir());
  EXPECT_EQ(added, std::set<std::string>{ledger::EvidencePath(dir_, hex)});
  EXPECT_FALSE(std::filesystem::exists("/tmp/evil.jpg"));
}

TEST_F(Record, PhotosOfAnAwardAdmissionRefusesAreRemoved) {
  Login s = SignIn("scorer");
  uint64_t before = Head();
  // Dated after today: the form's own checks pass, admission refuses after the photo is stored.
  std::string tomorrow = Timestamp::Now().LocalDate().AddDays(2).ToString();
  auto res = Client().Post("/record", {{"Cookie", s.cookie}},
                           Form(s.csrf, "P2", "E1", {{"a.jpg", Jpeg("late")}}, tomorrow));
  EXPECT_EQ(res->status, 422) << res->body;
  EXPECT_EQ(Head(), before);
  EXPECT_EQ(EvidenceFiles(), 0u);
}

TEST_F(Record, AScorerWithdrawsTheirOwnEntryWithAReasonAndNoOneElses) {
  Login scorer = SignIn("scorer");
  Login clerk = SignIn("clerk");
  auto client = Client();
  ASSERT_EQ(
      client.Post("/record", {{"Cookie", scorer.cookie}}, Award(scorer.csrf, "P2", "A1"))->status,
      303);
  std::string id = Last().id;
  uint64_t before = Head();
  auto withdraw = [&](const Login& who, const std::string& target, const std::string& reason) {
    return client.Post("/record/withdraw", {{"Cookie", who.cookie}},
                       httplib::Params{{"csrf", who.csrf}, {"id", target}, {"reason", reason}});
  };
  auto no_reason = withdraw(scorer, id, "");
  EXPECT_EQ(no_reason->status, 422);
  EXPECT_THAT(no_reason->body, HasSubstr("撤回要写原因"));
  auto unknown = withdraw(scorer, "W-404", "记错了");
  EXPECT_EQ(unknown->status, 422);
  EXPECT_THAT(unknown->body, HasSubstr("本村没有这条记录：W-404"));
  // The clerk records as S2; the award is S1's, the scorer account's.
  auto others = withdraw(clerk, id, "记错了");
  EXPECT_EQ(others->status, 422);
  EXPECT_THAT(others->body, HasSubstr("只能撤回自己记的分"));
  // W-1 is S1's too, but its period (2024-01) was posted and its notice has ended.
  auto locked = withdraw(scorer, "W-1", "记错了");
  EXPECT_EQ(locked->status, 422);
  EXPECT_THAT(locked->body, HasSubstr("这一期已公示"));
  EXPECT_EQ(Head(), before);
  auto own = withdraw(scorer, id, "记错了");
  ASSERT_EQ(own->status, 303) << own->body;
  ledger::Record revoke = Last();
  EXPECT_EQ(revoke.type, ledger::RecordType::kRevoke);
  EXPECT_EQ(revoke.target, id);
  EXPECT_EQ(revoke.scorer, "S1");
  EXPECT_EQ(revoke.reason, "记错了");
  EXPECT_EQ(withdraw(scorer, id, "再撤")->status, 422);
  EXPECT_EQ(Head(), before + 1);
  EXPECT_THAT(client.Get("/record", {{"Cookie", scorer.cookie}})->body, HasSubstr("已撤销"));
}

// Group commit: the writes that arrive while a transaction commits (here held open by taking the
// write mutex) are written together in the next; the one admission refuses (an item per person
// given to a household) refuses only itself, and every other award is in the ledger when answered.
TEST_F(Record, WritesThatArriveDuringACommitAreWrittenTogetherAndARefusalRefusesOnlyItself) {
  Login s = SignIn("scorer");
  constexpr int kWriters = 12;
  std::vector<int> statuses(kWriters, 0);
  std::vector<std::thread> writers;
  uint64_t head = Head(), transactions = app_->writes().transactions();
  {
    std::unique_lock hold(app_->write_mutex());
    writers = SendAwards(s, 0xabc000, [](int i) { return i == 5 ? "H1" : "P2"; }, &statuses);
    // The first request to arrive commits (and waits for the mutex); others queue behind it.
    EXPECT_GE(WaitForQueued(4), 4u);
  }
  for (auto& writer : writers) writer.join();
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(statuses[i], i == 5 ? 422 : 303) << i;
  EXPECT_EQ(Head(), head + kWriters - 1);
  // Fewer transactions than requests, though a batch with the refused one is tried twice.
  EXPECT_LT(app_->writes().transactions(), transactions + kWriters - 1);
  auto ledger = ledger::Ledger::Open(dir_, false);
  auto reader = (*ledger)->Snapshot();
  for (int i = 0; i < kWriters; ++i) {
    auto key = (*reader)->FindKey("W", fmt::format("W-W{:012x}", 0xabc000 + i));
    EXPECT_EQ(key.has_value(), i != 5) << i;
  }
}

// One event loop: writes wait for their commit on the write threads, their connections
// suspended, so that they neither hold the loop (a page is answered meanwhile) nor wait for each
// other to reach the queue (all of them are in one transaction).
class RecordOneLoop : public Record {
 protected:
  void Customize(ServeOptions& options) override { options.limits.event_threads = 1; }
};

TEST_F(RecordOneLoop, WritesWaitingForTheirCommitHoldNeitherTheLoopNorEachOther) {
  Login s = SignIn("scorer");
  constexpr int kWriters = 8;
  std::vector<int> statuses(kWriters, 0);
  std::vector<std::thread> writers;
  uint64_t head = Head(), transactions = app_->writes().transactions();
  {
    std::unique_lock hold(app_->write_mutex());
    writers = SendAwards(s, 0xdef000, [](int) { return "P2"; }, &statuses);
    // The first commits (and waits for the mutex); the other seven queue behind it, though the
    // server has one loop. Answered on the loop handlers, they would come one at a time.
    EXPECT_EQ(WaitForQueued(kWriters - 1), static_cast<size_t>(kWriters - 1));
    auto client = Client();
    client.set_read_timeout(5, 0);
    auto page = client.Get("/login");
    ASSERT_TRUE(page) << "the loop was held by the writes waiting for their commit";
    EXPECT_EQ(page->status, 200);
  }
  for (auto& writer : writers) writer.join();
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(statuses[i], 303) << i;
  EXPECT_EQ(Head(), head + kWriters);
  EXPECT_EQ(app_->writes().transactions(), transactions + 2);  // the first alone, then the rest
}

// Stopping the server while writes wait on their threads: each is answered (and written) before
// the library stops, which it must not do with a connection suspended.
TEST_F(RecordOneLoop, StoppingAnswersTheWritesWaitingOnTheirThreadsFirst) {
  Login s = SignIn("scorer");
  constexpr int kWriters = 4;
  std::vector<int> statuses(kWriters, 0);
  std::vector<std::thread> writers;
  std::thread stopping;
  uint64_t head = Head();
  {
    std::unique_lock hold(app_->write_mutex());
    writers = SendAwards(s, 0x5e0000, [](int) { return "P2"; }, &statuses);
    EXPECT_EQ(WaitForQueued(kWriters - 1), static_cast<size_t>(kWriters - 1));
    stopping = std::thread([&] { app_->Stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // Stop waits for the writes
  }
  stopping.join();
  for (auto& writer : writers) writer.join();
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(statuses[i], 303) << i;
  EXPECT_EQ(Head(), head + kWriters);
}

}  // namespace
}  // namespace jifen::web
