// `jifen serve`: the village office on the web. One route table decides, before any handler runs,
// who may reach each path (authentication, the role check and the CSRF check of every POST);
// the route × role test reads the same table. Every write goes through engine::ImportRecords,
// the admission of `jifen import`.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/status.h"
#include "web/accounts.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

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
  int login_failures_max = 5;                // per account and per client address...
  int64_t login_window_seconds = 300;        // ...within this window
  int objections_per_address_max = 10;       // villagers' objections from one client address...
  int64_t objections_window_seconds = 3600;  // ...within this window
};

// What a handler is given: the request, the signed-in account (if any) and the session.
struct RequestContext {
  const httplib::Request* request = nullptr;
  httplib::Response* response = nullptr;
  std::optional<Account> account;
  std::optional<Session> session;
  bool english = false;             // ?lang=en
  std::vector<std::string> params;  // the route pattern's captures
};

class App;
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
  // An answer that sets a cookie (a card page with its objection form) is never kept.
  bool cache_public = false;
};

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
  AccountStore& accounts() { return *accounts_; }
  const ServeOptions& options() const { return options_; }
  // Serialises writes: admission runs in the ledger's write transaction anyway; this keeps the
  // id numbering of concurrent forms apart.
  std::mutex& write_mutex() { return write_mutex_; }

  // Login rate limit: whether `account` or `address` has failed too often lately; and recording.
  bool LoginBlocked(const std::string& account, const std::string& address, int64_t now);
  void LoginFailed(const std::string& account, const std::string& address, int64_t now);
  // A per-key rate limit: takes one of `max` slots of the last `window_seconds` and returns true,
  // or returns false when all are taken. ReturnSlot gives back a slot whose action was refused.
  bool TakeSlot(const std::string& key, int max, int64_t window_seconds, int64_t now);
  void ReturnSlot(const std::string& key, int64_t taken_at);

 private:
  App() = default;
  void Dispatch(const Route& route, const httplib::Request& req, httplib::Response& res);
  ServeOptions options_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<httplib::Server> server_;
  std::mutex write_mutex_;
  std::mutex login_mutex_;
  std::map<std::string, std::vector<int64_t>> login_failures_;  // "a:NAME" / "ip:ADDR" -> times
  struct CachedPage {
    int status = 200;
    std::string body, content_type;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  std::mutex cache_mutex_;
  std::map<std::string, CachedPage> cache_;  // "head|date|path?query" -> the answer
  std::mutex slots_mutex_;
  std::map<std::string, std::vector<int64_t>> slots_;  // TakeSlot's key -> times taken
};

// Renders template `name` (a file of web/templates) with `context` (a JSON object: strings,
// numbers, bools, arrays and objects), inside layout.html. Text is escaped ({{ }}).
// `context` gets "t", the page's strings in its language (templates/strings*.json), and "lang".
std::string RenderPage(const std::string& name, nlohmann::json context, bool english);
// The strings of templates/strings*.json in one language.
const nlohmann::json& Strings(bool english);

// The value of cookie `name` in the request, or "".
std::string CookieValue(const httplib::Request& req, const std::string& name);

// A form field's value, from the query, a urlencoded body or a multipart body ("" when absent).
std::string FormValue(const httplib::Request& req, const std::string& name);

// Writes `html` as the response with `status` and the security headers every page carries.
void SendHtml(httplib::Response& res, int status, const std::string& html);

}  // namespace jifen::web
