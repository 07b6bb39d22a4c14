#include "web/server.h"

#include <httplib.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

#include <mstch/mstch.hpp>

#include "ledger/evidence.h"
#include "ledger/ledger.h"

namespace jifen::web {

const std::map<std::string, std::string>& EmbeddedTemplates();

namespace {

const char* kSessionCookie = "jifen_session";
const char* kLoginCookie = "jifen_login";  // double-submit token of the login form

mstch::node ToNode(const nlohmann::json& j);

mstch::map ToMap(const nlohmann::json& j) {
  mstch::map m;
  for (auto it = j.begin(); it != j.end(); ++it) m.emplace(it.key(), ToNode(it.value()));
  return m;
}

mstch::node ToNode(const nlohmann::json& j) {
  if (j.is_object()) return ToMap(j);
  if (j.is_array()) {
    mstch::array a;
    for (const auto& e : j) a.push_back(ToNode(e));
    return a;
  }
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number_integer()) return std::to_string(j.get<int64_t>());
  if (j.is_number()) return j.dump();
  return std::string();
}

const std::string& Template(const std::string& name) {
  const auto& all = EmbeddedTemplates();
  auto it = all.find(name);
  if (it == all.end()) throw std::logic_error("no template " + name);
  return it->second;
}

bool Allows(const Route& route, const std::optional<Account>& account) {
  for (const auto& role : route.roles) {
    if (role == "public") return true;
    if (account && account->role == role) return true;
  }
  return false;
}

}  // namespace

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

const nlohmann::json& Strings(bool english) {
  // Every templates/strings*.json, one file an area of the application; a key twice is a bug.
  static const nlohmann::json all = [] {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, text] : EmbeddedTemplates()) {
      if (name.rfind("strings", 0) != 0 || name.size() < 5 ||
          name.substr(name.size() - 5) != ".json")
        continue;
      nlohmann::json part = nlohmann::json::parse(text);
      for (auto it = part.begin(); it != part.end(); ++it) {
        if (out.contains(it.key()))
          throw std::logic_error(name + ": string " + it.key() + " defined twice");
        out[it.key()] = it.value();
      }
    }
    return out;
  }();
  static const nlohmann::json zh = [] {
    nlohmann::json out;
    for (auto it = all.begin(); it != all.end(); ++it) out[it.key()] = it.value()[0];
    return out;
  }();
  static const nlohmann::json en = [] {
    nlohmann::json out;
    for (auto it = all.begin(); it != all.end(); ++it) out[it.key()] = it.value()[1];
    return out;
  }();
  return english ? en : zh;
}

std::string RenderPage(const std::string& name, nlohmann::json context, bool english) {
  context["t"] = Strings(english);
  context["lang"] = english ? "en" : "zh-CN";
  context["english"] = english;
  mstch::map partials_context = ToMap(context);
  std::string body = mstch::render(Template(name), partials_context);
  partials_context["body"] = body;  // jifen's own HTML, inserted raw by layout.html ({{{body}}})
  partials_context["style"] = Template("style.css");
  return mstch::render(Template("layout.html"), partials_context);
}

std::string FormValue(const httplib::Request& req, const std::string& name) {
  if (req.is_multipart_form_data() && req.has_file(name)) return req.get_file_value(name).content;
  return req.get_param_value(name);
}

void SendHtml(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  // Card links carry a household's token: never send it on to another site.
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
      "frame-ancestors 'none'");
  res.set_header("Cache-Control", "no-store");
  res.set_content(html, "text/html; charset=utf-8");
}

Result<std::unique_ptr<App>> App::Open(const ServeOptions& options) {
  std::unique_ptr<App> app(new App());
  app->options_ = options;
  auto ledger = ledger::Ledger::Open(options.ledger_dir, false);
  if (!ledger.ok()) return ledger.status();
  app->ledger_ = std::move(*ledger);
  auto accounts = AccountStore::Open(options.ledger_dir + "/accounts", true);
  if (!accounts.ok()) return accounts.status();
  app->accounts_ = std::move(*accounts);
  if (options.cert_file.empty() != options.key_file.empty()) {
    return Status::Usage("serve: give both --cert and --key, or neither");
  }
  if (options.cert_file.empty()) {
    app->server_ = std::make_unique<httplib::Server>();
  } else {
    auto tls =
        std::make_unique<httplib::SSLServer>(options.cert_file.c_str(), options.key_file.c_str());
    if (!tls->is_valid()) {
      return Status::InvalidInput("serve: cannot use certificate " + options.cert_file +
                                  " with key " + options.key_file);
    }
    app->server_ = std::move(tls);
  }
  App* self = app.get();
  for (const Route& route : Routes()) {
    auto handler = [self, &route](const httplib::Request& req, httplib::Response& res) {
      self->Dispatch(route, req, res);
    };
    if (route.method == "GET") app->server_->Get(route.pattern, handler);
    if (route.method == "POST") app->server_->Post(route.pattern, handler);
  }
  app->server_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    bool english = req.get_param_value("lang") == "en";
    const char* key = res.status == 404 ? "not_found" : res.status == 413 ? "too_large" : "error";
    nlohmann::json c{{"message", Strings(english)[key]}};
    SendHtml(res, res.status, RenderPage("error.html", c, english));
  });
  app->server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        bool english = req.get_param_value("lang") == "en";
        nlohmann::json c{{"message", Strings(english)["error"]}};
        SendHtml(res, 500, RenderPage("error.html", c, english));
      });
  // The record form's photos (4 of at most 8 MiB each, web/pages_record.cc) and room for its
  // fields.
  app->server_->set_payload_max_length(4 * ledger::kEvidenceBytesMax + (size_t{1} << 20));
  app->server_->set_read_timeout(10, 0);
  // Headers and body go out in two writes: without TCP_NODELAY the second waits for the client's
  // delayed ACK, 40 ms on every keep-alive answer.
  app->server_->set_tcp_nodelay(true);
  // cpp-httplib closes a keep-alive connection after 5 requests: the reconnects of many clients
  // at once would crowd its listen queue (see RaiseListenBacklog).
  app->server_->set_keep_alive_max_count(1000);
  // More worker threads than cpp-httplib's default (8 on this machine): a month-end evening has
  // a clerk, scorers and villagers at once, and a request waiting for a thread holds its socket.
  app->server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  return app;
}

App::~App() { Stop(); }

namespace {

// cpp-httplib's compiled library listens with a backlog of 5. Twenty villagers' phones
// connecting at once overflow it; Linux then drops handshakes, and a syncookie that fails
// resets a connection whose request was already sent (1 click in 20 lost under load, seen by
// ShopTest's race). Linux lets listen() be called again on a listening socket to change the
// backlog, so find the socket bound to `port` and give it the system's maximum.
void RaiseListenBacklog(int port) {
  for (int fd = 0; fd < 1024; ++fd) {
    int listening = 0;
    socklen_t size = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening) continue;
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) continue;
    int bound = address.ss_family == AF_INET
                    ? ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port)
                : address.ss_family == AF_INET6
                    ? ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port)
                    : -1;
    if (bound == port) ::listen(fd, SOMAXCONN);
  }
}

}  // namespace

Result<int> App::Bind() {
  if (options_.port == 0) {
    int port = server_->bind_to_any_port(options_.host);
    if (port < 0) return Status::IOError("serve: cannot bind " + options_.host);
    RaiseListenBacklog(port);
    return port;
  }
  if (!server_->bind_to_port(options_.host, options_.port)) {
    return Status::IOError("serve: cannot bind " + options_.host + ":" +
                           std::to_string(options_.port));
  }
  RaiseListenBacklog(options_.port);
  return options_.port;
}

void App::Run() { server_->listen_after_bind(); }

namespace {
// httplib::Server::process_request (one request read from a stream, routed, answered) is
// protected; a derived class may name it, and its member pointer then applies to any Server.
struct ServerAccess : httplib::Server {
  static void Process(httplib::Server& server, httplib::Stream& stream) {
    bool closed = false;
    (server.*&ServerAccess::process_request)(stream, true, closed, [](httplib::Request&) {});
  }
};
}  // namespace

std::string App::HandleRaw(const std::string& request) {
  httplib::detail::BufferStream stream;
  stream.write(request.data(), request.size());
  ServerAccess::Process(*server_, stream);
  return stream.get_buffer().substr(request.size());
}

void App::Stop() {
  if (server_) server_->stop();
}

bool App::LoginBlocked(const std::string& account, const std::string& address, int64_t now) {
  std::lock_guard lock(login_mutex_);
  for (const std::string& key : {"a:" + account, "ip:" + address}) {
    auto& times = login_failures_[key];
    std::erase_if(times, [&](int64_t t) { return t <= now - options_.login_window_seconds; });
    if (static_cast<int>(times.size()) >= options_.login_failures_max) return true;
  }
  return false;
}

void App::LoginFailed(const std::string& account, const std::string& address, int64_t now) {
  std::lock_guard lock(login_mutex_);
  login_failures_["a:" + account].push_back(now);
  login_failures_["ip:" + address].push_back(now);
}

bool App::TakeSlot(const std::string& key, int max, int64_t window_seconds, int64_t now) {
  std::lock_guard lock(slots_mutex_);
  auto& times = slots_[key];
  std::erase_if(times, [&](int64_t t) { return t <= now - window_seconds; });
  if (static_cast<int>(times.size()) >= max) return false;
  times.push_back(now);
  return true;
}

void App::ReturnSlot(const std::string& key, int64_t taken_at) {
  std::lock_guard lock(slots_mutex_);
  auto& times = slots_[key];
  if (auto it = std::find(times.begin(), times.end(), taken_at); it != times.end()) times.erase(it);
}

// Authentication, the role check and the CSRF check, once for every route, before its handler.
void App::Dispatch(const Route& route, const httplib::Request& req, httplib::Response& res) {
  RequestContext c;
  c.request = &req;
  c.response = &res;
  c.english = req.get_param_value("lang") == "en";
  for (size_t i = 1; i < req.matches.size(); ++i) c.params.push_back(req.matches[i]);
  int64_t now = Timestamp::Now().utc_seconds;
  std::string token = CookieValue(req, kSessionCookie);
  if (!token.empty()) {
    c.session = accounts_->FindSession(token, now);
    if (c.session) c.account = accounts_->FindUser(c.session->account);
    if (!c.account) c.session.reset();
  }
  const nlohmann::json& t = Strings(c.english);
  if (!Allows(route, c.account)) {
    if (!c.account && req.method == "GET") {
      res.status = 303;
      res.set_header("Location", std::string("/login") + (c.english ? "?lang=en" : ""));
      return;
    }
    nlohmann::json ctx{{"message", c.account ? t["forbidden"] : t["login_first"]}};
    SendHtml(res, c.account ? 403 : 401, RenderPage("error.html", ctx, c.english));
    return;
  }
  if (req.method == "POST") {
    // Signed-in forms carry the session's token; the login form and the route's own public forms
    // a double-submit cookie.
    std::string expected = !route.csrf_cookie.empty() ? CookieValue(req, route.csrf_cookie)
                           : c.session                ? c.session->csrf
                                                      : CookieValue(req, kLoginCookie);
    std::string given = FormValue(req, "csrf");
    if (expected.empty() || !SafeEqual(given, expected)) {
      nlohmann::json ctx{{"message", t["csrf"]}};
      SendHtml(res, 400, RenderPage("error.html", ctx, c.english));
      return;
    }
  }
  std::string cache_key;
  if (route.cache_public && !c.account && req.method == "GET") {
    auto reader = ledger_->Snapshot();
    if (reader.ok()) {
      cache_key = std::to_string((*reader)->HeadSequence()) + "|" +
                  Timestamp::Now().LocalDate().ToString() + "|" + req.path + "?" +
                  req.get_param_value("lang");
      std::lock_guard lock(cache_mutex_);
      if (auto it = cache_.find(cache_key); it != cache_.end()) {
        res.status = it->second.status;
        for (const auto& [name, value] : it->second.headers) res.set_header(name, value);
        res.set_content(it->second.body, it->second.content_type);
        return;
      }
    }
  }
  route.handler(*this, c);
  if (!cache_key.empty() && res.status == 200 && !res.has_header("Set-Cookie")) {
    CachedPage page{res.status, res.body, res.get_header_value("Content-Type"), {}};
    for (const auto& [name, value] : res.headers) {
      if (name != "Content-Type" && name != "Content-Length")
        page.headers.emplace_back(name, value);
    }
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= 512) cache_.clear();  // a new head or day makes the old answers useless
    cache_.emplace(cache_key, std::move(page));
  }
}

}  // namespace jifen::web
