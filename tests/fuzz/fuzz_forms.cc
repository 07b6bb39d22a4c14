// libFuzzer target for the form handlers of `jifen serve`: arbitrary requests (method, path,
// query, headers, urlencoded or multipart body) go through the App's own HTTP parsing, routing,
// role and CSRF checks and handlers, in this process (App::HandleRaw), over a scratch ledger of
// one village with a posted month. Promise: no crash, no sanitizer report, and no answer 500 or
// above but 505 for a protocol version other than HTTP/1.x (the scratch ledger lives in memory,
// so no answer may blame input/output).
//
// Input: the first byte picks who is signed in (none, clerk, scorer, township, auditor); the rest
// is the request as it would arrive on a connection. The harness adds the account's session
// cookie after the request line and replaces "@csrf@" by the session's CSRF token and "@card@" by
// the card token of household H1, so that mutations get past the checks to the handlers; and
// "@len@" by the length of what follows the first blank line (for Content-Length).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/admission.h"
#include "ledger/ledger.h"
#include "formats/record_json.h"
#include "accounts/accounts.h"
#include "web/server.h"

namespace {

using namespace jifen;

const char* kRules = R"(village W "网页村" {
  notice 3 days
}
category A "好事" {
  item A1 "升旗" +2 per person
  item U1 "志愿服务" +0.5 per person, unit "小时"
  item H1 "庭院整洁" +3 per household
  item E1 "见义勇为" +10 per person, evidence
}
category B "扣分" {
  item B1 "乱扔垃圾" -2 per household
}
reward R1 "洗衣液" cost 2, stock 5 per period
)";

const char* kRoles[] = {"clerk", "scorer", "township", "auditor"};

struct Setup {
  std::string dir;
  std::unique_ptr<web::App> app;
  std::string card;                    // the card token of H1
  std::vector<accounts::Session> sessions;  // one per kRoles entry
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz_forms: set-up: %s\n", what.c_str());
  std::abort();
}

Setup* MakeSetup() {
  auto* s = new Setup();
  const char* base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
  std::string pattern = std::string(base) + "/jifen-fuzz-forms-XXXXXX";
  s->dir = mkdtemp(pattern.data());
  static std::string scratch = s->dir;
  std::atexit([] { std::filesystem::remove_all(scratch); });
  {
    auto ledger = ledger::Ledger::Open(s->dir, true);
    if (!ledger.ok()) Die(ledger.status().message());
    engine::AdoptRequest adopt{"w.rules", kRules, *Date::Parse("2024-01-01"), "村民代表大会",
                               Timestamp::Parse("2023-12-31T09:00:00+08:00")};
    auto adopted = engine::AdoptRules(**ledger, adopt, Timestamp::Now());
    if (!adopted.ok() || adopted->refusal) Die("adopt");
    std::string r = R"(,"recorded":"2024-01-01T08:00:00+08:00"})";
    std::vector<std::string> lines = {
        R"({"type":"household","village":"W","household":"H1","name":"<script>alert(1)</script>","since":"2024-01-01","shares":1)" +
            r,
        R"({"type":"household","village":"W","household":"H2","name":"李家","since":"2024-01-01","shares":1)" +
            r,
        R"({"type":"person","village":"W","person":"P1","name":"张三","household":"H1","since":"2024-01-01","resident":"villager")" +
            r,
        R"({"type":"person","village":"W","person":"P2","name":"李四","household":"H2","since":"2024-01-01","resident":"villager")" +
            r,
        R"({"type":"scorer","village":"W","scorer":"S1","name":"王网格","role":"网格员")" + r,
        R"({"type":"scorer","village":"W","scorer":"S2","name":"赵文书","role":"村两委")" + r,
        R"({"type":"award","id":"W-1","village":"W","date":"2024-01-05","subject":"P1","item":"A1","scorer":"S1","recorded":"2024-01-05T20:00:00+08:00"})",
        R"({"type":"award","id":"W-2","village":"W","date":"2024-01-06","subject":"H2","item":"H1","scorer":"S1","recorded":"2024-01-06T20:00:00+08:00"})",
        R"({"type":"post","id":"W-P2401","village":"W","period":"2024-01","scorer":"S2","recorded":"2024-02-01T09:00:00+08:00"})",
    };
    std::vector<engine::ImportLine> batch;
    for (const auto& line : lines) {
      auto record = formats::RecordFromJson(line);
      if (!record.ok()) Die(line + ": " + record.status().message());
      batch.push_back({"setup", 1, *record});
    }
    auto report = engine::ImportRecords(**ledger, batch, Timestamp::Now());
    if (!report.ok() || !report->errors.empty()) Die("import");
  }
  {
    auto store = accounts::AccountStore::Open(s->dir + "/accounts", true);
    if (!store.ok()) Die(store.status().message());
    for (const accounts::Account& a :
         {accounts::Account{"clerk", "clerk", "W", "S2"}, accounts::Account{"scorer", "scorer", "W", "S1"},
          accounts::Account{"township", "township", "W", ""},
          accounts::Account{"auditor", "auditor", "W", ""}}) {
      if (!(*store)->AddUser(a, "password-" + a.name).ok()) Die("user " + a.name);
    }
  }
  web::ServeOptions options;
  options.ledger_dir = s->dir;
  options.port = 0;
  auto app = web::App::Open(options);
  if (!app.ok()) Die(app.status().message());
  s->app = std::move(*app);
  s->card = accounts::HmacHex(s->app->accounts().secret(), "W|H1");
  int64_t now = Timestamp::Now().utc_seconds;
  for (const char* role : kRoles) {
    auto session = s->app->accounts().CreateSession(role, now, 30 * 24 * 3600);
    if (!session.ok()) Die(session.status().message());
    s->sessions.push_back(*session);
  }
  return s;
}

void ReplaceAll(std::string& text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Setup* setup = MakeSetup();
  if (size == 0) return 0;
  int who = data[0] % 5;  // 0: no one signed in
  std::string request(reinterpret_cast<const char*>(data + 1), size - 1);
  const accounts::Session* session = who == 0 ? nullptr : &setup->sessions[who - 1];
  ReplaceAll(request, "@csrf@", session ? session->csrf : std::string(64, '0'));
  ReplaceAll(request, "@card@", setup->card);
  if (session) {
    size_t eol = request.find('\n');
    if (eol != std::string::npos)
      request.insert(eol + 1, "Cookie: jifen_session=" + session->token + "\r\n");
  }
  size_t blank = request.find("\r\n\r\n");
  ReplaceAll(request, "@len@",
             std::to_string(blank == std::string::npos ? 0 : request.size() - blank - 4));
  std::string response = setup->app->HandleRaw(request);
  // A request may sign its account out: sign it in again for the inputs that follow.
  if (session &&
      !setup->app->accounts().FindSession(session->token, Timestamp::Now().utc_seconds)) {
    auto again = setup->app->accounts().CreateSession(kRoles[who - 1], Timestamp::Now().utc_seconds,
                                                      30 * 24 * 3600);
    if (!again.ok()) Die(again.status().message());
    setup->sessions[who - 1] = *again;
  }
  // "HTTP/1.1 NNN ..." (empty when the request was too broken to answer at all).
  if (response.size() >= 12 && response.compare(0, 5, "HTTP/") == 0) {
    int status = std::atoi(response.c_str() + 9);
    // 505 is the protocol's answer to a version other than HTTP/1.x (the front door's library
    // gives it), not a failure of the server.
    if (status >= 500 && status != 505) {
      std::fprintf(stderr, "fuzz_forms: broken promise: answer %d to\n%s\n--\n%s\n", status,
                   request.c_str(), response.substr(0, 2000).c_str());
      std::abort();
    }
  }
  return 0;
}
