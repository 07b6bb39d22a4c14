// `jifen serve`: the village office on the web. One route table decides, before any handler runs,
// who may reach each path (authentication, the role check and the CSRF check of every POST);
// the route × role test reads the same table. Every write goes through engine::ImportRecords,
// the admission of `jifen import`.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/status.h"
#include "accounts/accounts.h"
#include "engine/model.h"
#include "web/http.h"
#include "web/http_server.h"
#include "web/limits.h"

namespace jifen::ledger {
class Ledger;
}

namespace jifen::web {

struct ServeOptions {
  std::string ledger_dir;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string cert_file, key_file;
  int64_t session_seconds = 12 * 3600;
  SignInPolicy sign_in;                      // web/limits.h, docs/WEB.md "Sign-in"
  int kdf_at_once_max = 0;                   // password checks at once; 0: the number of cores
  int objections_per_address_max = 10;       // villagers' objections from one client address...
  int64_t objections_window_seconds = 3600;  // ...within this window
  // Peers whose X-Forwarded-For names the client (a reverse proxy); see docs/ADMIN.md.
  std::vector<std::string> trusted_proxies;
  FrontDoorLimits limits;
};

// What a handler is given: the request, the signed-in account (if any) and the session.
struct RequestContext {
  const Request* request = nullptr;
  Response* response = nullptr;
  std::optional<accounts::Account> account;
  std::optional<accounts::Session> session;
  bool english = false;             // ?lang=en
  std::vector<std::string> params;  // the route pattern's captures
  // Fields of a POST whose text is not UTF-8 or holds control characters (a tab or a line break
  // in a one-line field): field name -> the refusal in the page's language. Only a route that
  // says it shows them beside its fields (Route::shows_text_errors) is called with any.
  nlohmann::json text_errors = nlohmann::json::object();
};

class App;
class GroupCommit;
using Handler = std::function<void(App&, RequestContext&)>;

// One route: METHOD, a path pattern (ECMAScript regex, whole path), the roles allowed ("public":
// anyone, signed in or not), the handler.
struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> roles;
  Handler handler;
  std::string example;  // a concrete path for tests and docs
  // A public form's double-submit cookie: its POST must carry this cookie's value as `csrf`,
  // signed in or not. Empty: the session's token (or, signed out, the login form's cookie).
  std::string csrf_cookie = {};
  // A public page whose answer to a visitor without a session depends only on the ledger and the
  // day: answers are kept (App's page cache) by path, query, ledger head and date, so that the
  // village's board and its card pages serve from memory until the next record or midnight.
  // An answer that sets a cookie is never kept. The first visit of a key renders while the
  // visits of the same key that arrive meanwhile wait for that render (single flight).
  bool cache_public = false;
  // The body bytes a request to this route may carry, counted as read (web/http_server.h).
  size_t body_bytes_max = size_t{1} << 20;
  // The handler shows RequestContext::text_errors beside its fields and keeps the form. Otherwise
  // a POST with such a field is answered 422 with a page naming the fields, before the handler.
  bool shows_text_errors = false;
  // Fills the visitor's own part of an answer after it is rendered or taken from the page cache
  // (the card page's objection form: its double-submit token and cookie), so that the page is
  // kept without it). `c.account` is the visitor signed in, if any.
  void (*fill_visitor)(App&, RequestContext& c) = nullptr;
};

// Fields that may hold several lines (textareas): line breaks allowed, and tabs in a rule file.
bool IsMultiLineField(const std::string& name);

// A form anyone may send (sign-in, a villager's objection) carries at most this many bytes.
inline constexpr size_t kPublicFormBytesMax = 64 * 1024;

// The route table (web/routes.cc, from each area's list in web/pages_*.cc).
const std::vector<Route>& Routes();

class App {
 public:
  // Opens the ledger and the account store of `options.ledger_dir`.
  static Result<std::unique_ptr<App>> Open(const ServeOptions& options);
  ~App();

  // Binds (port 0: any free port) and returns the port bound; Run() then serves until Stop().
  Result<int> Bind();
  void Run();
  void Stop();
  // Serves one request given as the bytes a connection would carry (request line, headers, body)
  // through the server's own parsing, routing and checks, in this process, without a socket;
  // returns the response's bytes. For the fuzz target of the form handlers.
  std::string HandleRaw(const std::string& request);

  ledger::Ledger& ledger() { return *ledger_; }
  accounts::AccountStore& accounts() { return *accounts_; }
  const ServeOptions& options() const { return options_; }
  // Serialises writes: admission runs in the ledger's write transaction anyway; this keeps the
  // id numbering of concurrent forms apart.
  std::mutex& write_mutex() { return write_mutex_; }
  // The group commit every page's writes go through (web/page_util.h WriteRecords).
  GroupCommit& writes() { return *writes_; }

  // Sign-in limits (web/limits.h): the attempt counted before the password is checked.
  SignInLimiter& sign_in() { return *sign_in_; }
  // One of the password checks allowed at once (scrypt takes 32 MiB and tens of milliseconds);
  // false when all are taken: answer 429 without computing. ReleaseKdf gives it back.
  bool TryKdf();
  void ReleaseKdf();
  // A per-key rate limit: takes one of `max` slots of the last `window_seconds` and returns true,
  // or returns false when all are taken. ReturnSlot gives back a slot whose action was refused.
  bool TakeSlot(const std::string& key, int max, int64_t window_seconds, int64_t now) {
    return slots_.Take(key, max, window_seconds, now);
  }
  void ReturnSlot(const std::string& key, int64_t taken_at) { slots_.Return(key, taken_at); }
  // Whether a record of `village` names the stored photo `hex` (64 hex), from an index of photo ->
  // villages brought up to the ledger's head on each call by reading only the records written
  // since the last call: the check of /evidence without a walk over the village's events.
  Result<bool> PhotoNamedIn(const std::string& hex, const std::string& village);
  // How many times a page the cache may keep was rendered (not served from the cache); for tests.
  uint64_t kept_page_renders() const { return kept_page_renders_.load(); }
  // The structure of `village` as of `reader`'s head (engine::LoadVillageStructure: rules,
  // registrations, approvals, workflow; no events), shared with every other page and never
  // changed: the one kept for the village when it is at that head; else, when at most
  // kStructureAdvanceMax records were written since, the kept one again if none of them is the
  // village's structure (an award, another village's record), or a copy with those folded in;
  // else loaded. Then kept at that head. Its sequence_max is the last record it was loaded or
  // changed at, which may be older than the head. Every page needs it, and a review village's
  // 100k approvals make a load tens of milliseconds. A head sequence names the same records for
  // ever (the ledger only grows), so a kept structure is valid for any snapshot at its head. Only
  // villages that exist are kept, at most kStructuresMax (all dropped when a new one would pass
  // it).
  Result<std::shared_ptr<const engine::VillageModel>> SharedStructure(
      const ledger::Reader& reader, const std::string& village);
  // A copy of SharedStructure's for a page to add events to: its sequence_max is the head, its
  // table of codes its own. The approvals are shared until changed (engine::IdMap).
  Result<engine::VillageModel> Structure(const ledger::Reader& reader, const std::string& village);
  // How many structures were loaded rather than copied from the kept ones; for tests.
  uint64_t structures_loaded() const { return structures_loaded_.load(); }
  size_t structures_kept() {
    std::lock_guard lock(structures_mutex_);
    return structures_.size();
  }

 private:
  App() = default;
  struct SignedIn {
    std::optional<accounts::Account> account;
    std::optional<accounts::Session> session;
  };
  SignedIn WhoIsSignedIn(const Request& req);
  void RefuseRole(const Request& req, bool signed_in, Response& res);
  bool Admit(const Request& head, size_t* body_bytes_max, Response* answer);
  Result<std::unique_ptr<HttpServer>> StartDoor(const HttpServerOptions& door);
  void Handle(Request& req, Response& res);
  void Dispatch(const Route& route, const Request& req, Response& res);
  void ServeKept(const Route& route, RequestContext& c, const std::string& key);
  const Route* Find(const std::string& method, const std::string& path,
                    std::vector<std::string>* captures, bool* other_method) const;
  HttpServerOptions DoorOptions(bool listen) const;
  ServeOptions options_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<accounts::AccountStore> accounts_;
  std::vector<std::regex> patterns_;  // Routes()'s patterns, compiled once
  std::unique_ptr<HttpServer> server_;
  std::mutex run_mutex_;
  std::condition_variable stopped_;
  bool stop_ = false;
  std::mutex write_mutex_;
  std::unique_ptr<GroupCommit> writes_;
  std::unique_ptr<SignInLimiter> sign_in_;
  std::atomic<int> kdf_free_{0};
  struct CachedPage {
    int status = 200;
    std::string body, content_type;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // A render of a cache key under way; the visits of the same key wait for it.
  struct Flight {
    bool done = false;
    std::optional<CachedPage> page;  // nullopt: the answer was not one to keep
  };
  bool KeepPage(const Response& res, CachedPage* page) const;
  static void SendKept(const CachedPage& page, Response& res);
  std::mutex cache_mutex_;
  std::condition_variable flight_done_;
  std::map<std::string, CachedPage> cache_;  // "head|date|path?query" -> the answer
  std::map<std::string, std::shared_ptr<Flight>> flights_;
  std::atomic<uint64_t> kept_page_renders_{0};
  std::mutex photos_mutex_;
  uint64_t photos_indexed_to_ = 0;  // the head sequence photos_ covers
  std::map<std::string, std::vector<std::string>> photos_;  // "sha256:hex" -> villages naming it
  SlotLimiter slots_{65536};
  static constexpr size_t kStructuresMax = 64;
  static constexpr uint64_t kStructureAdvanceMax = 4096;
  struct KeptStructure {
    uint64_t head = 0;  // the model is the village's structure as of this head sequence
    std::shared_ptr<const engine::VillageModel> model;
  };
  std::mutex structures_mutex_;
  std::map<std::string, KeptStructure> structures_;
  std::atomic<uint64_t> structures_loaded_{0};
};

// Renders template `name` (a file of web/templates) with `context` (a JSON object: strings,
// numbers, bools, arrays and objects), inside layout.html. Text is escaped ({{ }}).
// `context` gets "t", the page's strings in its language (templates/strings*.json), and "lang".
std::string RenderPage(const std::string& name, nlohmann::json context, bool english);
// The same without layout.html: a part of a page filled in per visitor (web/scan.h).
std::string RenderFragment(const std::string& name, nlohmann::json context, bool english);
// The strings of templates/strings*.json in one language.
const nlohmann::json& Strings(bool english);

// The value of cookie `name` in the request, or "".
std::string CookieValue(const Request& req, const std::string& name);

// A form field's value, from the query, a urlencoded body or a multipart body ("" when absent).
std::string FormValue(const Request& req, const std::string& name);

// Writes `html` as the response with `status` and the security headers every page carries.
void SendHtml(Response& res, int status, const std::string& html);

}  // namespace jifen::web
