// Pages anyone may open: sign-in, home, the public board of a posted period, a household's card
// page.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/admission.h"
#include "util/text.h"
#include "web/card_objection.h"
#include "web/http.h"
#include "web/page_util.h"
#include "web/routes.h"
#include "web/scan.h"

namespace jifen::web {
namespace {

using nlohmann::json;

// ---- sign-in ----

void LoginPage(App& app, RequestContext& c) {
  std::string token = accounts::RandomHex(32);
  std::string secure = app.options().cert_file.empty() ? "" : "; Secure";
  c.response->SetHeader(
      "Set-Cookie",
      "jifen_login=" + token + "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600" + secure);
  Render(c, 200, "login.html", {{"login_csrf", token}, {"title", Strings(c.english)["login"]}});
}

// An account name as the log shows it: at most 64 bytes, printable, never able to forge a line.
std::string LoggedName(const std::string& name) {
  std::string out;
  bool valid = IsValidUtf8(name);
  for (unsigned char ch : name.substr(0, 64)) {
    if (ch < 0x20 || ch == 0x7f || (!valid && ch >= 0x80)) {
      out += fmt::format("\\x{:02x}", ch);
    } else {
      out += static_cast<char>(ch);
    }
  }
  return name.size() > 64 ? out + "..." : out;
}

void LoginSubmit(App& app, RequestContext& c) {
  const Request& req = *c.request;
  std::string name = req.Param("name");
  int64_t now = Timestamp::Now().utc_seconds;
  auto again = [&](int status, const std::string& key) {
    std::string token = req.Param("csrf");  // the login cookie stays as it was
    if (status == 429) c.response->SetHeader("Retry-After", "60");
    Render(c, status, "login.html",
           {{"login_csrf", token}, {"name", name}, {"error", Strings(c.english)[key]}});
  };
  // At most as many password checks at once as there are cores; the rest are told to come back,
  // without computing anything.
  if (!app.TryKdf()) {
    spdlog::warn("sign-in: busy, account {} from {}", LoggedName(name), req.remote_addr);
    return again(429, "login_busy");
  }
  // The attempt is counted as a failure before the password is checked, and given back if right.
  if (int64_t wait = app.sign_in().Take(name, req.remote_addr, now); wait > 0) {
    app.ReleaseKdf();
    spdlog::warn("sign-in: refused for {} s, account {} from {}", wait, LoggedName(name),
                 req.remote_addr);
    return again(429, "login_blocked");
  }
  auto account = app.accounts().CheckPassword(name, req.Param("password"));
  app.ReleaseKdf();
  if (!account) {
    spdlog::warn("sign-in: wrong name or password, account {} from {}", LoggedName(name),
                 req.remote_addr);
    return again(200, "login_failed");  // the form again, with the reason
  }
  app.sign_in().Succeeded(name, req.remote_addr);
  auto session = app.accounts().CreateSession(account->name, now, app.options().session_seconds);
  if (!session.ok()) {
    spdlog::error("sign-in: account {}: {}", LoggedName(name), session.status().message());
    return RenderError(c, 500, "error");
  }
  spdlog::info("sign-in: account {} from {}", LoggedName(name), req.remote_addr);
  std::string cookie = "jifen_session=" + session->token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(app.options().session_seconds);
  if (!app.options().cert_file.empty()) cookie += "; Secure";
  c.response->SetHeader("Set-Cookie", cookie);
  Redirect(c, "/" + LangSuffix(c));
}

void Logout(App& app, RequestContext& c) {
  (void)app.accounts().DeleteSession(c.session->token);
  spdlog::info("sign-out: account {} from {}", LoggedName(c.account->name), c.request->remote_addr);
  c.response->SetHeader("Set-Cookie",
                        "jifen_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  Redirect(c, "/login" + LangSuffix(c));
}

// The villages of the ledger, each with its last posted boards (public already): the way in for
// a villager who has no card, or lost it.
json PostedBoards(App& app, bool english) {
  json villages = json::array();
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return villages;
  Date today = Timestamp::Now().LocalDate();
  for (const std::string& code : (*reader)->Villages()) {
    auto m = engine::LoadVillageStructure(**reader, code, (*reader)->HeadSequence());
    if (!m.ok() || m->adoptions.empty()) continue;
    json boards = json::array();
    for (auto it = m->periods.rbegin(); it != m->periods.rend() && boards.size() < 6; ++it) {
      if (it->second.posts.empty()) continue;
      boards.push_back({{"period", it->first}, {"period_words", PeriodWords(it->first, english)}});
    }
    const engine::Adoption* a = m->RulesInForce(today);
    villages.push_back({{"code", code},
                        {"name", a ? a->rules->village.name : m->adoptions.back().rules->village.name},
                        {"boards", boards},
                        {"has_boards", !boards.empty()}});
  }
  return villages;
}

void Home(App& app, RequestContext& c) {
  json ctx = json::object();
  if (!c.account) ctx["villages"] = PostedBoards(app, c.english);
  if (c.account) {
    ctx["role_word"] = Strings(c.english)["role_" + c.account->role];
    ctx["can_record"] = c.account->role == "scorer" || c.account->role == "clerk";
    ctx["is_clerk"] = c.account->role == "clerk";
    ctx["sees_township"] = c.account->role == "township" || c.account->role == "auditor";
    ctx["last_period"] =
        Period::Containing(Timestamp::Now().LocalDate(), PeriodKind::kMonth).Previous().ToString();
  }
  Render(c, 200, "home.html", ctx);
}

// ---- the public board of a posted period ----

void BoardPage(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  auto period = Period::Parse(c.params[1]);
  if (!period) return RenderError(c, 404, "not_found");
  auto structure = LoadVillage(app, c.params[0], std::nullopt, period->LastDay());
  if (!structure) return RenderNoVillage(c, structure);
  engine::PeriodStatus status = engine::StatusOf(structure->model, *period, Timestamp::Now());
  if (status.state == engine::PeriodState::kOpen) {
    return Render(c, 404, "error.html", {{"message", t["not_posted"]}});
  }
  LoadedVillage& village = structure;
  LoadPeriods(village, *period, period->LastDay());
  if (!village) return RenderNoVillage(c, village);
  auto figures = engine::Replay(village->model, *period, *period);
  if (!figures.ok()) return RenderError(c, 404, "not_found");
  const engine::PeriodFigures& p = figures->back();
  json rows = json::array();
  for (const auto& f : p.households) {
    rows.push_back({{"rank", f.rank},
                    {"code", f.household},
                    {"name", HouseholdName(village->model, f.household)},
                    {"earned", f.earned.ToString()},
                    {"redeemed", f.redeemed.ToString()},
                    {"balance", f.balance.ToString()},
                    {"titles", Join(f.titles, "、")},
                    {"titled", !f.titles.empty()},
                    {"vetoed", f.vetoed}});
  }
  std::string title = p.adoption->rules->village.name + " " +
                      PeriodWords(period->ToString(), c.english) + " " +
                      t["board"].get<std::string>();
  json ctx{{"title", title},
           {"rows", rows},
           {"state", StateText(status, t)},
           {"objections", std::to_string(status.objections)},
           {"rules_sha", p.adoption->sha256.substr(0, 12)},
           {"rules_effective", p.adoption->effective.ToString()},
           {"head", ledger::HashToHex(village->reader->HeadHash())}};
  if (status.post) ctx["posted_on"] = status.post->recorded.LocalDate().ToString();
  if (status.notice_until) ctx["notice_until"] = status.notice_until->ToString();
  Render(c, 200, "board.html", ctx);
}

// ---- a household's own page, opened from its card ----

void HouseholdPage(App& app, RequestContext& c) {
  if (!app.accounts().IsCardToken(c.params[0], c.params[1], c.params[2]))
    return RenderError(c, 404, "card_invalid");
  CardObjectionForm form;
  form.filed = c.request->Param("filed");
  RenderHouseholdPage(app, c, 200, form);
}

// The periods a card page shows, latest first: this calendar year's up to `current` (from the
// first adoption), every earlier period whose notice window is open now (December on notice in
// January), and the last posted period, wherever they fall.
std::vector<Period> CardPeriods(const engine::VillageModel& m, const Period& current,
                                Timestamp now) {
  Period first = Period::FirstOfYear(current.year, current.kind);
  Date adopted = m.adoptions.front().effective;
  if (first.FirstDay() < adopted) first = Period::Containing(adopted, current.kind);
  std::vector<Period> out;
  for (Period p = current;; p = p.Previous()) {
    out.push_back(p);
    if (p == first) break;
  }
  for (const Period& p : engine::PeriodsOnNotice(m, now)) {
    if (p.LastDay() < first.FirstDay()) out.push_back(p);
  }
  std::optional<Period> last_posted;
  for (const auto& [text, records] : m.periods) {
    auto p = Period::Parse(text);
    if (!p || records.posts.empty() || !(p->LastDay() < first.FirstDay())) continue;
    if (!last_posted || last_posted->LastDay() < p->LastDay()) last_posted = *p;
  }
  if (last_posted && std::find(out.begin(), out.end(), *last_posted) == out.end())
    out.push_back(*last_posted);
  std::sort(out.begin() + 1, out.end(),
            [](const Period& a, const Period& b) { return b.LastDay() < a.LastDay(); });
  return out;
}

// The card's objection part says its periods in words ("2026年11月").
void AddPeriodWords(json& objections, bool english) {
  for (const char* list : {"objection_periods", "household_objections"}) {
    for (auto& row : objections[list])
      row["period_words"] = PeriodWords(row["period"].get<std::string>(), english);
  }
}

}  // namespace

void RenderHouseholdPage(App& app, RequestContext& c, int status, const CardObjectionForm& form) {
  const json& t = Strings(c.english);
  const std::string& code = c.params[0];
  const std::string& household = c.params[1];
  Date today = Timestamp::Now().LocalDate();
  auto structure = LoadVillage(app, code, std::nullopt, today);
  if (!structure || !structure->model.households.count(household))
    return RenderNoVillage(c, structure, "card_invalid");
  auto current = engine::PeriodOf(structure->model, today);
  if (!current) return RenderError(c, 404, "not_found");
  std::vector<Period> shown = CardPeriods(structure->model, *current, Timestamp::Now());
  const Period first = shown.back();
  LoadedVillage& village = structure;
  LoadPeriods(village, first, current->LastDay());
  if (!village) return RenderNoVillage(c, village);
  json periods = json::array(), details = json::array();
  for (const Period& p : shown) {
    engine::ReplayOptions options;
    options.detail_household = household;
    auto figures = engine::Replay(village->model, p, p, options);
    if (!figures.ok()) break;
    const engine::PeriodFigures& pf = figures->back();
    engine::PeriodStatus period_status = engine::StatusOf(village->model, p, Timestamp::Now());
    for (const auto& f : pf.households) {
      if (f.household != household) continue;
      periods.push_back({{"period", p.ToString()},
                         {"period_words", PeriodWords(p.ToString(), c.english)},
                         {"earned", f.earned.ToString()},
                         {"redeemed", f.redeemed.ToString()},
                         {"balance", f.balance.ToString()},
                         {"rank", f.rank},
                         {"of", pf.households.size()},
                         {"state", StateText(period_status, t)},
                         {"pending", f.pending > 0 ? json(f.pending) : json(false)}});
      json events = json::array();
      for (const auto& e : f.events) events.push_back(EventRow(village->model, e, t));
      // Every record behind this period's figures; past periods only when they have some.
      if (!events.empty() || p == *current)
        details.push_back(
            {{"period", p.ToString()},
             {"period_words", PeriodWords(p.ToString(), c.english)},
             {"events", events},
             {"has_events", !events.empty()}});
    }
  }
  json ctx{{"title", HouseholdName(village->model, household)},
           {"village_name", village->model.RulesInForce(today)->rules->village.name},
           {"household", household},
           {"household_name", HouseholdName(village->model, household)},
           {"periods", periods},
           {"details", details},
           // Each record's inclusion proof, and the key that checks it (docs/AUDIT.md).
           {"card_path", "/h/" + code + "/" + household + "/" + c.params[2]},
           {"log_key", LogVerifierKey(app)},
           {"witness", CardWitnesses(app)}};
  json objections =
      CardObjections(app, village->model, engine::ReplayStart(structure->model, first),
                     current->LastDay(), household, form, t);
  AddPeriodWords(objections, c.english);
  for (auto it = objections.begin(); it != objections.end(); ++it) ctx[it.key()] = it.value();
  if (ctx["objection_open"].get<bool>()) {
    // The form's double-submit token is the visitor's own: the page is rendered (and kept in the
    // page cache) with a slot in its place, which FillCardToken fills for each visitor.
    ctx["card_csrf"] = kCardTokenSlot;
    ctx["card_action"] =
        "/h/" + code + "/" + household + "/" + c.params[2] + "/object" + LangSuffix(c);
  }
  Render(c, status, "household.html", ctx);
}

void FillCardToken(App& app, RequestContext& c) {
  const Request& req = *c.request;
  Response& res = *c.response;
  FillScanPanel(app, c);  // a scorer of the village scanning the card
  size_t at = res.body.find(kCardTokenSlot);
  if (at == std::string::npos) return;  // no objection form on this page
  // Kept while it is one of ours, so that two open pages agree.
  std::string token = CookieValue(req, kCardCookie);
  bool ours =
      token.size() == 64 && token.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!ours) token = accounts::RandomHex(32);
  std::string body = std::move(res.body);
  const size_t slot = std::string_view(kCardTokenSlot).size();
  for (; at != std::string::npos; at = body.find(kCardTokenSlot, at + token.size()))
    body.replace(at, slot, token);
  res.SetContent(body, res.Header("Content-Type"));
  std::string secure = app.options().cert_file.empty() ? "" : "; Secure";
  res.SetHeader("Set-Cookie", std::string(kCardCookie) + "=" + token +
                                  "; Path=/h/; HttpOnly; SameSite=Strict; Max-Age=43200" + secure);
}

std::vector<Route> PublicRoutes() {
  static const std::vector<std::string> kSignedIn{"clerk", "scorer", "township", "auditor"};
  return {
      // Signed out, it lists every village's posted boards: kept like the boards themselves.
      {"GET", "/", {"public"}, Home, "/", "", true},
      {"GET", "/login", {"public"}, LoginPage, "/login"},
      // The sign-in form's own double-submit cookie, whether or not the browser still has a
      // session.
      {"POST", "/login", {"public"}, LoginSubmit, "/login", "jifen_login"},
      {"POST", "/logout", kSignedIn, Logout, "/logout"},
      {"GET",
       R"(/v/([A-Za-z0-9_-]{1,32})/board/([0-9]{4}-(?:[0-9]{2}|Q[1-4])))",
       {"public"},
       BoardPage,
       "/v/W/board/2024-01",
       "",
       true},
      {"GET",
       R"(/h/([A-Za-z0-9_-]{1,32})/([^/]{1,64})/([0-9a-f]{1,64}))",
       {"public"},
       HouseholdPage,
       "/h/W/H1/00",
       "",
       true,
       size_t{1} << 20,
       false,
       FillCardToken},
  };
}

}  // namespace jifen::web
