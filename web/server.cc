#include "web/server.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include <mstch/mstch.hpp>

#include <spdlog/spdlog.h>

#include "ledger/evidence.h"
#include "ledger/file_size.h"
#include "ledger/ledger.h"
#include "tlog/cosigned.h"
#include "util/text.h"
#include "web/page_util.h"

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

bool Allows(const Route& route, const std::optional<accounts::Account>& account) {
  for (const auto& role : route.roles) {
    if (role == "public") return true;
    if (account && account->role == role) return true;
  }
  return false;
}

}  // namespace

std::string CookieValue(const Request& req, const std::string& name) {
  std::string header = req.Header("Cookie");
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
  // Each phrase is a pair ["English", "中文"], in the order of every other bilingual pair in the
  // tree (cli/words.h, grammar/messages.cc, formats::TableHeader::Message).
  static const nlohmann::json en = [] {
    nlohmann::json out;
    for (auto it = all.begin(); it != all.end(); ++it) out[it.key()] = it.value()[0];
    return out;
  }();
  static const nlohmann::json zh = [] {
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

std::string RenderFragment(const std::string& name, nlohmann::json context, bool english) {
  context["t"] = Strings(english);
  context["lang"] = english ? "en" : "zh-CN";
  context["english"] = english;
  return mstch::render(Template(name), ToMap(context));
}

std::string FormValue(const Request& req, const std::string& name) {
  if (!req.HasParam(name)) {
    if (const FormPart* part = req.Part(name)) return part->content;
  }
  return req.Param(name);
}

void SendHtml(Response& res, int status, const std::string& html) {
  res.status = status;
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("X-Frame-Options", "DENY");
  // Card links carry a household's token: never send it on to another site.
  res.SetHeader("Referrer-Policy", "no-referrer");
  res.SetHeader(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
      "frame-ancestors 'none'");
  res.SetHeader("Cache-Control", "no-store");
  res.SetContent(html, "text/html; charset=utf-8");
}

namespace {

Result<std::string> ReadPem(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::InvalidInput("serve: cannot read " + file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The message key of a status the door or the router answers by itself.
const char* RefusalKey(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 411:
      return "length_required";
    case 413:
      return "too_large";
    case 415:
      return "encoding_refused";
    case 431:
      return "headers_too_large";
    default:
      return "error";
  }
}

void RefusalPage(int status, const Request& req, Response& res) {
  bool english = req.Param("lang") == "en";
  nlohmann::json c{{"message", Strings(english)[RefusalKey(status)]}};
  SendHtml(res, status, RenderPage("error.html", c, english));
}

}  // namespace

Result<std::unique_ptr<App>> App::Open(const ServeOptions& options) {
  std::unique_ptr<App> app(new App());
  app->options_ = options;
  auto ledger = ledger::Ledger::Open(options.ledger_dir, false);
  if (!ledger.ok()) return ledger.status();
  // Between awards the file keeps its length and reserved blocks (ledger/file_size.h).
  if (Status s = ledger::KeepFileBetweenWrites(options.ledger_dir); !s.ok()) return s;
  app->ledger_ = std::move(*ledger);
  auto accounts = accounts::AccountStore::Open(options.ledger_dir + "/accounts", true);
  if (!accounts.ok()) return accounts.status();
  app->accounts_ = std::move(*accounts);
  if (options.cert_file.empty() != options.key_file.empty()) {
    return Status::Usage("serve: give both --cert and --key, or neither");
  }
  for (const Route& route : Routes()) app->patterns_.emplace_back(route.pattern);
  app->sign_in_ = std::make_unique<SignInLimiter>(options.sign_in);
  app->writes_ = std::make_unique<GroupCommit>(*app);
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  app->kdf_free_ = options.kdf_at_once_max > 0 ? options.kdf_at_once_max : cores;
  return app;
}

App::~App() { Stop(); }

HttpServerOptions App::DoorOptions(bool listen) const {
  HttpServerOptions door;
  door.host = options_.host;
  door.port = options_.port;
  door.listen = listen;
  door.trusted_proxies = options_.trusted_proxies;
  door.limits = options_.limits;
  return door;
}

const Route* App::Find(const std::string& method, const std::string& path,
                       std::vector<std::string>* captures, bool* other_method) const {
  const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
  const auto& routes = Routes();
  for (size_t i = 0; i < routes.size(); ++i) {
    std::smatch match;
    if (!std::regex_match(path, match, patterns_[i])) continue;
    if (routes[i].method != wanted) {
      if (other_method) *other_method = true;
      continue;
    }
    if (captures) {
      captures->clear();
      for (const auto& m : match) captures->push_back(m.str());
    }
    return &routes[i];
  }
  return nullptr;
}

Result<std::unique_ptr<HttpServer>> App::StartDoor(const HttpServerOptions& door) {
  return HttpServer::Start(
      door,
      [this](const Request& head, size_t* body_bytes_max, Response* answer) {
        return Admit(head, body_bytes_max, answer);
      },
      RefusalPage, [this](Request& req, Response& res) { Handle(req, res); });
}

// Before any body byte is read: the route, and for a form that needs an account, the account.
// A stranger's body is bounded by the public forms' limit.
bool App::Admit(const Request& head, size_t* body_bytes_max, Response* answer) {
  bool other_method = false;
  const Route* route = Find(head.method, head.path, nullptr, &other_method);
  if (!route) {
    RefusalPage(other_method ? 405 : 404, head, *answer);
    if (other_method) answer->SetHeader("Allow", "GET, HEAD, POST");
    return false;
  }
  *body_bytes_max = head.method == "POST" ? route->body_bytes_max : 0;
  if (head.method != "POST") return true;
  SignedIn who = WhoIsSignedIn(head);
  if (!Allows(*route, who.account)) {
    RefuseRole(head, who.account.has_value(), *answer);
    return false;
  }
  if (!who.account) *body_bytes_max = std::min(*body_bytes_max, kPublicFormBytesMax);
  return true;
}

App::SignedIn App::WhoIsSignedIn(const Request& req) {
  SignedIn who;
  std::string token = CookieValue(req, kSessionCookie);
  if (token.empty()) return who;
  who.session = accounts_->FindSession(token, Timestamp::Now().utc_seconds);
  if (who.session) who.account = accounts_->FindUser(who.session->account);
  if (!who.account) who.session.reset();
  return who;
}

// A route the visitor's role may not reach: a signed-out browser asking for a page goes to the
// sign-in form; anything else is told why.
void App::RefuseRole(const Request& req, bool signed_in, Response& res) {
  bool english = req.Param("lang") == "en";
  if (!signed_in && req.method != "POST") {
    res.status = 303;
    res.SetHeader("Location", std::string("/login") + (english ? "?lang=en" : ""));
    return;
  }
  const nlohmann::json& t = Strings(english);
  nlohmann::json ctx{{"message", signed_in ? t["forbidden"] : t["login_first"]}};
  SendHtml(res, signed_in ? 403 : 401, RenderPage("error.html", ctx, english));
}

Result<int> App::Bind() {
  HttpServerOptions door = DoorOptions(true);
  if (!options_.cert_file.empty()) {
    auto cert = ReadPem(options_.cert_file);
    if (!cert.ok()) return cert.status();
    auto key = ReadPem(options_.key_file);
    if (!key.ok()) return key.status();
    door.cert_pem = *cert;
    door.key_pem = *key;
  }
  auto server = StartDoor(door);
  if (!server.ok()) return server.status();
  server_ = std::move(*server);
  spdlog::info("serve: listening on {}:{}", options_.host, server_->port());
  return server_->port();
}

void App::Run() {
  std::unique_lock lock(run_mutex_);
  stopped_.wait(lock, [&] { return stop_; });
}

void App::Stop() {
  if (server_) server_->Stop();
  {
    std::lock_guard lock(run_mutex_);
    stop_ = true;
  }
  stopped_.notify_all();
}

std::string App::HandleRaw(const std::string& request) {
  if (!server_) {
    HttpServerOptions door = DoorOptions(false);
    door.limits.event_threads = 1;
    // A connection left waiting for more bytes (an incomplete request) ends within a second.
    door.limits.header_seconds_max = door.limits.idle_seconds_max = 1;
    door.limits.body_seconds_grace = 1;
    auto server = StartDoor(door);
    if (!server.ok()) return "";
    server_ = std::move(*server);
  }
  return server_->HandleRaw(request);
}

// Routing: a path no route knows is a 404; a known path asked with another method, a 405.
void App::Handle(Request& req, Response& res) {
  bool other_method = false;
  const Route* route = Find(req.method, req.path, &req.matches, &other_method);
  if (!route) {
    int status = other_method ? 405 : 404;
    RefusalPage(status, req, res);
    if (status == 405) res.SetHeader("Allow", "GET, HEAD, POST");
    return;
  }
  Dispatch(*route, req, res);
}

bool App::TryKdf() {
  int free = kdf_free_.load();
  while (free > 0) {
    if (kdf_free_.compare_exchange_weak(free, free - 1)) return true;
  }
  return false;
}

void App::ReleaseKdf() { kdf_free_.fetch_add(1); }

bool IsMultiLineField(const std::string& name) { return name == "reason" || name == "text"; }

namespace {

// Every text field of a form checked once, before any handler: UTF-8, and no control characters
// but line breaks in a textarea (and tabs in a rule file's text).
nlohmann::json TextErrors(const Request& req, const nlohmann::json& t) {
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [name, value] : req.params) {
    bool lines = IsMultiLineField(name);
    bool bad = !IsValidUtf8(name) || !IsValidUtf8(value);
    for (unsigned char ch : value) {
      if (bad) break;
      bool allowed = lines && (ch == '\n' || ch == '\r' || (ch == '\t' && name == "text"));
      bad = (ch < 0x20 || ch == 0x7f) && !allowed;
    }
    if (bad) errors[IsValidUtf8(name) ? name : std::string("?")] = t["bad_text"];
  }
  return errors;
}

}  // namespace

// Authentication, the role check and the CSRF check, once for every route, before its handler.
void App::Dispatch(const Route& route, const Request& req, Response& res) {
  RequestContext c;
  c.request = &req;
  c.response = &res;
  c.english = req.Param("lang") == "en";
  for (size_t i = 1; i < req.matches.size(); ++i) c.params.push_back(req.matches[i]);
  SignedIn who = WhoIsSignedIn(req);
  c.session = who.session;
  c.account = who.account;
  const nlohmann::json& t = Strings(c.english);
  if (!Allows(route, c.account)) return RefuseRole(req, c.account.has_value(), res);
  if (req.method == "POST") {
    // Signed-in forms carry the session's token; the login form and the route's own public forms
    // a double-submit cookie.
    std::string expected = !route.csrf_cookie.empty() ? CookieValue(req, route.csrf_cookie)
                           : c.session                ? c.session->csrf
                                                      : CookieValue(req, kLoginCookie);
    std::string given = FormValue(req, "csrf");
    if (expected.empty() || !accounts::SafeEqual(given, expected)) {
      nlohmann::json ctx{{"message", t["csrf"]}};
      SendHtml(res, 400, RenderPage("error.html", ctx, c.english));
      return;
    }
  }
  if (req.method == "POST") {
    c.text_errors = TextErrors(req, t);
    if (!c.text_errors.empty() && !route.shows_text_errors) {
      std::string fields;
      for (auto it = c.text_errors.begin(); it != c.text_errors.end(); ++it) {
        fields += (fields.empty() ? "" : ", ") + it.key();
      }
      nlohmann::json ctx{{"message", t["bad_text_fields"].get<std::string>() + fields}};
      SendHtml(res, 422, RenderPage("error.html", ctx, c.english));
      return;
    }
  }
  // Kept answers are keyed by the path and lang only: a page asked with any other query
  // parameter (a card's ?filed=) is rendered for its visitor alone.
  bool plain_query = std::all_of(req.params.begin(), req.params.end(),
                                 [](const auto& param) { return param.first == "lang"; });
  if (route.cache_public && !c.account && req.method == "GET" && plain_query) {
    auto reader = ledger_->Snapshot();
    if (reader.ok()) {
      // The card says which witnesses cosigned: a checkpoint they sent back changes it too.
      std::string key = std::to_string((*reader)->HeadSequence()) + "|" +
                        tlog::CosignedStamp(options_.ledger_dir) + "|" +
                        Timestamp::Now().LocalDate().ToString() + "|" + req.path + "?" +
                        req.Param("lang");
      reader->reset();
      return ServeKept(route, c, key);
    }
  }
  route.handler(*this, c);
  if (route.fill_visitor) route.fill_visitor(*this, c);
}

void App::SendKept(const CachedPage& page, Response& res) {
  res.status = page.status;
  for (const auto& [name, value] : page.headers) res.SetHeader(name, value);
  res.SetContent(page.body, page.content_type);
}

// An answer fit to keep: a 200 that sets no cookie.
bool App::KeepPage(const Response& res, CachedPage* page) const {
  if (res.status != 200 || res.HasHeader("Set-Cookie")) return false;
  *page = CachedPage{res.status, res.body, res.Header("Content-Type"), {}};
  for (const auto& [name, value] : res.headers) {
    if (name != "Content-Type" && name != "Content-Length") page->headers.emplace_back(name, value);
  }
  return true;
}

// A public page from the cache; the first visit of `key` renders it while the visits of the same
// key that arrive meanwhile wait for that render and answer with it (single flight). When the
// render is not one to keep (a 404), each waiting visit renders its own.
void App::ServeKept(const Route& route, RequestContext& c, const std::string& key) {
  Response& res = *c.response;
  std::shared_ptr<Flight> flight;
  bool served = false;
  {
    std::unique_lock lock(cache_mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      SendKept(it->second, res);
      served = true;
    } else if (auto f = flights_.find(key); f != flights_.end()) {
      std::shared_ptr<Flight> theirs = f->second;
      flight_done_.wait(lock, [&] { return theirs->done; });
      if (theirs->page) SendKept(*theirs->page, res);
      served = theirs->page.has_value();
    } else {
      flight = std::make_shared<Flight>();
      flights_.emplace(key, flight);
    }
  }
  if (!served) {
    kept_page_renders_.fetch_add(1);
    bool rendered = false;
    // The flight ends however the render does (a handler that throws lets the waiting visits
    // render their own), so that no visit of the key waits for ever.
    auto land = [&] {
      CachedPage page;
      bool keep = rendered && KeepPage(res, &page);
      {
        std::lock_guard lock(cache_mutex_);
        if (keep) {
          if (cache_.size() >= 512) cache_.clear();  // a new head or day makes old answers useless
          cache_.emplace(key, page);
          flight->page = std::move(page);
        }
        flight->done = true;
        flights_.erase(key);
      }
      flight_done_.notify_all();
    };
    try {
      route.handler(*this, c);
      rendered = true;
    } catch (...) {
      if (flight) land();
      throw;
    }
    if (flight) land();
  }
  if (route.fill_visitor) route.fill_visitor(*this, c);
}

namespace {

// The structural records of `village` written after `from`, up to the head of `reader` (awards
// and redemptions are events, which a structure holds none of).
Result<std::vector<ledger::Record>> StructuralSince(const ledger::Reader& reader, uint64_t from,
                                                    const std::string& village) {
  std::vector<ledger::Record> since;
  Status s = reader.ForEachStructuralSince(village, from + 1, reader.HeadSequence(),
                                           [&](const ledger::Record& r) {
                                             since.push_back(r);
                                             return true;
                                           });
  if (!s.ok()) return s;
  return since;
}

}  // namespace

Result<std::shared_ptr<const engine::VillageModel>> App::SharedStructure(
    const ledger::Reader& reader, const std::string& village) {
  const uint64_t head = reader.HeadSequence();
  KeptStructure kept;
  {
    std::lock_guard lock(structures_mutex_);
    if (auto it = structures_.find(village); it != structures_.end()) kept = it->second;
  }
  if (kept.model && kept.head == head) return kept.model;
  std::shared_ptr<const engine::VillageModel> model;
  if (kept.model && kept.head < head && head - kept.head <= kStructureAdvanceMax) {
    // A write since (most often the page's own form): the records since, not the whole village;
    // when none of them is this village's structure (an award, another village's record), the
    // kept one is the structure at this head too, and nothing is copied.
    auto since = StructuralSince(reader, kept.head, village);
    if (!since.ok()) return since.status();
    if (since->empty()) {
      model = kept.model;
    } else {
      auto changed = std::make_shared<engine::VillageModel>(*kept.model);
      for (const ledger::Record& r : *since) {
        if (Status s = changed->Add(r); !s.ok()) return s;
      }
      changed->sequence_max = head;
      model = std::move(changed);
    }
  } else {
    structures_loaded_.fetch_add(1);
    auto loaded = engine::LoadVillageStructure(reader, village, head);
    if (!loaded.ok()) return loaded.status();
    auto fresh = std::make_shared<const engine::VillageModel>(std::move(*loaded));
    if (fresh->adoptions.empty()) return fresh;  // no such village: nothing kept for it
    model = std::move(fresh);
  }
  if (!kept.model || kept.head < head) {  // an older snapshot's structure is never kept
    std::lock_guard lock(structures_mutex_);
    auto it = structures_.find(village);
    if (it == structures_.end() && structures_.size() >= kStructuresMax) structures_.clear();
    KeptStructure& slot = structures_[village];
    if (!slot.model || slot.head < head) slot = KeptStructure{head, model};
  }
  return model;
}

Result<engine::VillageModel> App::Structure(const ledger::Reader& reader,
                                            const std::string& village) {
  auto shared = SharedStructure(reader, village);
  if (!shared.ok()) return shared.status();
  engine::VillageModel model = **shared;
  model.sequence_max = reader.HeadSequence();
  // Its own table of codes: the page adds its events, interning their codes, and a structure
  // holds no events (nothing in it refers to a code).
  model.codes = std::make_shared<engine::CodeTable>();
  return model;
}

Result<bool> App::PhotoNamedIn(const std::string& hex, const std::string& village) {
  auto reader = ledger_->Snapshot();
  if (!reader.ok()) return reader.status();
  std::lock_guard lock(photos_mutex_);
  uint64_t head = (*reader)->HeadSequence();
  if (head > photos_indexed_to_) {
    Status read = (*reader)->ForEachRecord(photos_indexed_to_ + 1, [&](const ledger::Record& r) {
      for (const auto& photo : r.evidence) {
        auto& villages = photos_[photo];
        if (std::find(villages.begin(), villages.end(), r.village) == villages.end())
          villages.push_back(r.village);
      }
      return true;
    });
    if (!read.ok()) return read;
    photos_indexed_to_ = head;
  }
  auto it = photos_.find(std::string(ledger::kEvidencePrefix) + hex);
  return it != photos_.end() &&
         std::find(it->second.begin(), it->second.end(), village) != it->second.end();
}

}  // namespace jifen::web
