// The route table and the pages of `jifen serve`. Handlers are thin: read the request, call the
// engine (the calls the CLI makes), render a template.
#include <httplib.h>

#include <algorithm>

#include "engine/admission.h"
#include "engine/replay.h"
#include "engine/workflow.h"
#include "ledger/ledger.h"
#include "web/server.h"

namespace jifen::web {
namespace {

using nlohmann::json;

// The layout's facts about the signed-in account: its name and the CSRF token of its forms.
json BaseContext(const RequestContext& c) {
  json ctx = json::object();
  if (c.account) {
    ctx["account"] = {{"name", c.account->name}, {"village", c.account->village}, {"scorer", c.account->scorer}};
    ctx["csrf"] = c.session->csrf;
  }
  return ctx;
}

void Render(RequestContext& c, int status, const std::string& page, json ctx) {
  json base = BaseContext(c);
  for (auto it = base.begin(); it != base.end(); ++it) ctx[it.key()] = it.value();
  SendHtml(*c.response, status, RenderPage(page, std::move(ctx), c.english));
}

void RenderError(RequestContext& c, int status, const std::string& key) {
  Render(c, status, "error.html", {{"message", Strings(c.english)[key]}});
}

void Redirect(RequestContext& c, const std::string& to) {
  c.response->status = 303;
  c.response->set_header("Location", to);
}

std::string LangSuffix(const RequestContext& c, char sep = '?') {
  return c.english ? std::string(1, sep) + "lang=en" : "";
}

// A village as of the ledger's head now (a fresh snapshot: CLI imports show at once), with its
// events from `from` on.
struct Village {
  std::unique_ptr<ledger::Reader> reader;
  engine::VillageModel model;
};

std::optional<Village> LoadVillage(App& app, const std::string& code, std::optional<Date> from, Date to) {
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return std::nullopt;
  auto model = engine::LoadVillageStructure(**reader, code, (*reader)->HeadSequence());
  if (!model.ok() || model->adoptions.empty()) return std::nullopt;
  if (from) {
    if (!engine::LoadEvents(**reader, &*model, *from, to).ok()) return std::nullopt;
  }
  return Village{std::move(*reader), std::move(*model)};
}

std::string HouseholdName(const engine::VillageModel& m, const std::string& code) {
  auto it = m.households.find(code);
  return it == m.households.end() ? "" : it->second.name;
}

std::string SubjectName(const engine::VillageModel& m, const std::string& code) {
  if (auto it = m.households.find(code); it != m.households.end()) return it->second.name;
  if (auto it = m.persons.find(code); it != m.persons.end()) return it->second.name;
  return "";
}

std::string StateText(const engine::PeriodStatus& status, const json& t) {
  return t["state_" + std::string(engine::PeriodStateName(status.state))].get<std::string>();
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "、") + p;
  return out;
}

// ---- sign-in ----

void LoginPage(App& app, RequestContext& c) {
  std::string token = RandomHex(32);
  std::string secure = app.options().cert_file.empty() ? "" : "; Secure";
  c.response->set_header("Set-Cookie", "jifen_login=" + token + "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600" + secure);
  Render(c, 200, "login.html", {{"login_csrf", token}, {"title", Strings(c.english)["login"]}});
}

void LoginSubmit(App& app, RequestContext& c) {
  const httplib::Request& req = *c.request;
  std::string name = req.get_param_value("name");
  int64_t now = Timestamp::Now().utc_seconds;
  auto again = [&](int status, const std::string& key) {
    std::string token = req.get_param_value("csrf");  // the login cookie stays as it was
    Render(c, status, "login.html", {{"login_csrf", token}, {"name", name}, {"error", Strings(c.english)[key]}});
  };
  if (app.LoginBlocked(name, req.remote_addr, now)) return again(429, "login_blocked");
  auto account = app.accounts().CheckPassword(name, req.get_param_value("password"));
  if (!account) {
    app.LoginFailed(name, req.remote_addr, now);
    return again(200, "login_failed");  // the form again, with the reason
  }
  auto session = app.accounts().CreateSession(account->name, now, app.options().session_seconds);
  if (!session.ok()) return RenderError(c, 500, "error");
  std::string cookie = "jifen_session=" + session->token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(app.options().session_seconds);
  if (!app.options().cert_file.empty()) cookie += "; Secure";
  c.response->set_header("Set-Cookie", cookie);
  Redirect(c, "/" + LangSuffix(c));
}

void Logout(App& app, RequestContext& c) {
  (void)app.accounts().DeleteSession(c.session->token);
  c.response->set_header("Set-Cookie", "jifen_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  Redirect(c, "/login" + LangSuffix(c));
}

void Home(App&, RequestContext& c) {
  json ctx = json::object();
  if (c.account) {
    ctx["role_word"] = Strings(c.english)["role_" + c.account->role];
    ctx["can_record"] = c.account->role == "scorer" || c.account->role == "clerk";
  }
  Render(c, 200, "home.html", ctx);
}

// ---- the public board of a posted period ----

void BoardPage(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  auto period = Period::Parse(c.params[1]);
  if (!period) return RenderError(c, 404, "not_found");
  auto structure = LoadVillage(app, c.params[0], std::nullopt, period->LastDay());
  if (!structure) return RenderError(c, 404, "not_found");
  engine::PeriodStatus status = engine::StatusOf(structure->model, *period, Timestamp::Now());
  if (status.state == engine::PeriodState::kOpen) {
    return Render(c, 404, "error.html", {{"message", t["not_posted"]}});
  }
  auto village = LoadVillage(app, c.params[0], engine::ReplayStart(structure->model, *period), period->LastDay());
  if (!village) return RenderError(c, 404, "not_found");
  auto figures = engine::Replay(village->model, *period, *period);
  if (!figures.ok()) return RenderError(c, 404, "not_found");
  const engine::PeriodFigures& p = figures->back();
  json rows = json::array();
  for (const auto& f : p.households) {
    rows.push_back({{"rank", f.rank}, {"code", f.household}, {"name", HouseholdName(village->model, f.household)},
                    {"earned", f.earned.ToString()}, {"redeemed", f.redeemed.ToString()},
                    {"balance", f.balance.ToString()}, {"titles", Join(f.titles)}, {"titled", !f.titles.empty()},
                    {"vetoed", f.vetoed}});
  }
  std::string title = p.adoption->rules->village.name + " " + period->ToString() + " " + t["board"].get<std::string>();
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

std::string OutcomeKey(engine::Outcome o) {
  switch (o) {
    case engine::Outcome::kCounted: return "outcome_counted";
    case engine::Outcome::kCapped: return "outcome_capped";
    case engine::Outcome::kRevoked: return "outcome_revoked";
    case engine::Outcome::kUnknownItem: return "outcome_unknown_item";
    case engine::Outcome::kNoHousehold: return "outcome_no_household";
    case engine::Outcome::kPending: return "outcome_pending";
  }
  return "outcome_counted";
}

json EventRow(const engine::VillageModel& m, const engine::EventResult& e, const json& t) {
  const engine::Event& ev = *e.record;
  bool award = ev.type == ledger::RecordType::kAward;
  std::string subject(award ? ev.subject.str() : ev.household.str());
  std::string item(award ? ev.item.str() : ev.reward.str());
  std::string item_name = e.item ? e.item->name : "";
  return {{"date", ev.date.ToString()}, {"who", subject + " " + SubjectName(m, subject)},
          {"item", item + " " + item_name}, {"qty", ev.qty.ToString()},
          {"counted", award ? e.counted.ToSignedString() : (-e.counted).ToSignedString()},
          {"outcome", t[OutcomeKey(e.outcome)]}, {"scorer", std::string(ev.scorer.str())}};
}

void HouseholdPage(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  const std::string& code = c.params[0];
  const std::string& household = c.params[1];
  std::string expected = HmacHex(app.accounts().secret(), code + "|" + household);
  if (!SafeEqual(c.params[2], expected)) return RenderError(c, 404, "card_invalid");
  Date today = Timestamp::Now().LocalDate();
  auto structure = LoadVillage(app, code, std::nullopt, today);
  if (!structure || !structure->model.households.count(household)) return RenderError(c, 404, "card_invalid");
  auto current = engine::PeriodOf(structure->model, today);
  if (!current) return RenderError(c, 404, "not_found");
  Period first = Period::FirstOfYear(current->year, current->kind);
  Date adopted = structure->model.adoptions.front().effective;
  if (first.FirstDay() < adopted) first = Period::Containing(adopted, current->kind);
  auto village = LoadVillage(app, code, engine::ReplayStart(structure->model, first), current->LastDay());
  if (!village) return RenderError(c, 404, "not_found");
  json periods = json::array(), details = json::array();
  for (Period p = *current;; p = p.Previous()) {
    engine::ReplayOptions options;
    options.detail_household = household;
    auto figures = engine::Replay(village->model, p, p, options);
    if (!figures.ok()) break;
    const engine::PeriodFigures& pf = figures->back();
    engine::PeriodStatus status = engine::StatusOf(village->model, p, Timestamp::Now());
    for (const auto& f : pf.households) {
      if (f.household != household) continue;
      periods.push_back({{"period", p.ToString()}, {"earned", f.earned.ToString()},
                         {"redeemed", f.redeemed.ToString()}, {"balance", f.balance.ToString()},
                         {"rank", f.rank}, {"of", pf.households.size()}, {"state", StateText(status, t)},
                         {"pending", f.pending > 0 ? json(f.pending) : json(false)}});
      json events = json::array();
      for (const auto& e : f.events) events.push_back(EventRow(village->model, e, t));
      // Every record behind this period's figures; past periods only when they have some.
      if (!events.empty() || p == *current)
        details.push_back({{"period", p.ToString()}, {"events", events}, {"has_events", !events.empty()}});
    }
    if (p == first) break;
  }
  json ctx{{"title", HouseholdName(village->model, household)},
           {"village_name", village->model.RulesInForce(today)->rules->village.name},
           {"household", household},
           {"household_name", HouseholdName(village->model, household)},
           {"periods", periods},
           {"details", details}};
  Render(c, 200, "household.html", ctx);
}

// ---- the scorer's record-award page ----

struct AwardForm {
  std::string q, subject, item, qty, date, place, reason;
};

json ItemChoices(const rules::RuleFile& rules, const std::string& selected, const json& t) {
  json categories = json::array();
  for (const auto& category : rules.categories) {
    json items = json::array();
    for (const auto& code : category.items) {
      const rules::Item* item = rules.FindItem(code);
      if (!item) continue;
      items.push_back({{"code", item->code}, {"name", item->name}, {"points", item->points.ToSignedString()},
                       {"unit", item->unit.value_or("")}, {"evidence", item->evidence},
                       {"per", item->per == rules::Per::kHousehold ? t["per_household"] : t["per_person"]},
                       {"selected", item->code == selected}});
    }
    categories.push_back({{"name", category.name}, {"items", items}});
  }
  return categories;
}

bool Matches(const std::string& code, const std::string& name, const std::string& q) {
  return q.empty() || code.find(q) != std::string::npos || name.find(q) != std::string::npos;
}

json SubjectChoices(const engine::VillageModel& m, const AwardForm& f, const json& t) {
  json out = json::array();
  for (const auto& [code, h] : m.households) {
    if (Matches(code, h.name, f.q) || code == f.subject)
      out.push_back({{"code", code}, {"name", h.name}, {"kind", t["household_kind"]}, {"selected", code == f.subject}});
  }
  for (const auto& [code, p] : m.persons) {
    if (Matches(code, p.name, f.q) || code == f.subject)
      out.push_back({{"code", code}, {"name", p.name}, {"kind", t["person_kind"]}, {"selected", code == f.subject}});
  }
  return out;
}

// The scorer's awards of the last 90 days, newest first, with what became of them.
json RecentEntries(const engine::VillageModel& m, const std::string& scorer, const json& t) {
  json out = json::array();
  for (auto it = m.events.rbegin(); it != m.events.rend() && out.size() < 30; ++it) {
    if (it->type != ledger::RecordType::kAward || it->scorer.str() != scorer) continue;
    const engine::Adoption* a = m.RulesInForce(it->date);
    std::string status = "counted";
    if (m.IsRevoked(it->id)) {
      status = "revoked";
    } else if (a && m.IsPending(*a->rules, scorer, it->id)) {
      status = "pending";
    }
    std::string item(it->item.str()), subject(it->subject.str());
    const rules::Item* i = a ? a->rules->FindItem(item) : nullptr;
    out.push_back({{"date", it->date.ToString()}, {"who", subject + " " + SubjectName(m, subject)},
                   {"item", item + (i ? " " + i->name : "")}, {"qty", it->qty.ToString()},
                   {"status", t["outcome_" + std::string(status == "pending" ? "pending" : status)]},
                   {"status_class", status}});
  }
  return out;
}

void RenderRecordForm(App& app, RequestContext& c, const AwardForm& f, const json& errors, int status,
                      const std::string& done) {
  const json& t = Strings(c.english);
  Date today = Timestamp::Now().LocalDate();
  auto village = LoadVillage(app, c.account->village, today.AddDays(-90), today);
  if (!village) return RenderError(c, 404, "not_found");
  auto d = Date::Parse(f.date);
  const engine::Adoption* a = village->model.RulesInForce(d ? *d : today);
  if (!a) a = village->model.RulesInForce(today);
  if (!a) return RenderError(c, 404, "not_found");
  json entries = RecentEntries(village->model, c.account->scorer, t);
  json ctx{{"title", t["record_award"]},  {"q", f.q},           {"qty", f.qty.empty() ? "1" : f.qty},
           {"date", f.date.empty() ? today.ToString() : f.date},                {"place", f.place},
           {"reason", f.reason},          {"errors", errors},   {"failed", !errors.empty()},
           {"subjects", SubjectChoices(village->model, f, t)},  {"categories", ItemChoices(*a->rules, f.item, t)},
           {"entries", entries},          {"has_entries", !entries.empty()}};
  if (!done.empty()) ctx["done"] = done;
  Render(c, status, "record.html", ctx);
}

void RecordPage(App& app, RequestContext& c) {
  if (c.account->scorer.empty()) return RenderError(c, 403, "no_scorer");
  AwardForm f;
  f.q = c.request->get_param_value("q");
  RenderRecordForm(app, c, f, json::object(), 200, c.request->get_param_value("done"));
}

// Admission's refusal, said in plain words beside the field it concerns.
std::pair<std::string, std::string> ExplainRefusal(const std::string& message, const json& t) {
  auto has = [&](const char* s) { return message.find(s) != std::string::npos; };
  if (has("self deny")) return {"subject", t["err_self"]};
  if (has("is per household") || has("is per person")) return {"subject", t["err_kind"]};
  if (has("needs evidence")) return {"item", t["err_evidence"]};
  if (has("is recorded only by")) return {"item", t["err_role"]};
  if (has("has no unit")) return {"qty", t["err_qty_unit"]};
  if (has("not in the rules in force")) return {"item", t["err_item_unknown"].get<std::string>()};
  if (has("after its recorded day") || has("in the future")) return {"date", t["err_date_future"]};
  if (has("days after period")) return {"date", t["err_date_late"]};
  if (has("no rules in force")) return {"date", t["err_date_no_rules"]};
  if (has("dated in ")) return {"date", t["err_date_locked"]};
  if (has("subject ") && has("not registered")) return {"subject", t["err_subject_unknown"]};
  return {"general", t["err_other"].get<std::string>() + message};
}

void RecordSubmit(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  if (c.account->scorer.empty()) return RenderError(c, 403, "no_scorer");
  const httplib::Request& req = *c.request;
  AwardForm f{req.get_param_value("q"),    req.get_param_value("subject"), req.get_param_value("item"),
              req.get_param_value("qty"),  req.get_param_value("date"),    req.get_param_value("place"),
              req.get_param_value("reason")};
  json errors = json::object();
  Date today = Timestamp::Now().LocalDate();
  auto date = Date::Parse(f.date);
  auto qty = Quantity::Parse(f.qty.empty() ? "1" : f.qty);
  if (!date) errors["date"] = t["err_date"];
  if (!qty || *qty == Quantity::FromWhole(0)) errors["qty"] = t["err_qty"];
  auto village = LoadVillage(app, c.account->village, std::nullopt, today);
  if (!village) return RenderError(c, 404, "not_found");
  const engine::VillageModel& m = village->model;
  if (f.subject.empty()) {
    errors["subject"] = t["err_subject_empty"];
  } else if (!m.households.count(f.subject) && !m.persons.count(f.subject)) {
    errors["subject"] = t["err_subject_unknown"].get<std::string>() + f.subject;
  }
  const engine::Adoption* a = date ? m.RulesInForce(*date) : nullptr;
  if (f.item.empty()) {
    errors["item"] = t["err_item_empty"];
  } else if (a && !a->rules->FindItem(f.item)) {
    errors["item"] = t["err_item_unknown"].get<std::string>() + f.item;
  }
  if (date && !a) errors["date"] = t["err_date_no_rules"];
  village.reset();  // no snapshot open across the write
  if (!errors.empty()) return RenderRecordForm(app, c, f, errors, 422, "");
  ledger::Record r;
  r.type = ledger::RecordType::kAward;
  r.village = c.account->village;
  r.id = c.account->village + "-W" + RandomHex(4);
  r.date = *date;
  r.subject = f.subject;
  r.item = f.item;
  r.qty = *qty;
  r.scorer = c.account->scorer;  // the account's bound scorer, never a form field
  r.place = f.place;
  r.reason = f.reason;
  std::vector<engine::ImportLine> lines{{"web", 1, r}};
  Result<engine::ImportReport> report = Status::IOError("not run");
  {
    std::lock_guard lock(app.write_mutex());
    report = engine::ImportRecords(app.ledger(), lines, Timestamp::Now());
  }
  if (!report.ok()) return RenderError(c, 500, "error");
  if (!report->errors.empty()) {
    std::string message = report->errors.front();
    if (message.rfind("web:1: ", 0) == 0) message = message.substr(7);
    auto [field, text] = ExplainRefusal(message, t);
    errors[field] = text;
    return RenderRecordForm(app, c, f, errors, 422, "");
  }
  Redirect(c, "/record?done=" + httplib::detail::encode_query_param(r.id) + LangSuffix(c, '&'));
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<std::string> kSignedIn{"clerk", "scorer", "township", "auditor"};
  static const std::vector<Route> routes{
      {"GET", "/", {"public"}, Home, "/"},
      {"GET", "/login", {"public"}, LoginPage, "/login"},
      {"POST", "/login", {"public"}, LoginSubmit, "/login"},
      {"POST", "/logout", kSignedIn, Logout, "/logout"},
      {"GET", R"(/v/([A-Za-z0-9_-]{1,32})/board/([0-9]{4}-(?:[0-9]{2}|Q[1-4])))", {"public"}, BoardPage,
       "/v/W/board/2024-01"},
      {"GET", R"(/h/([A-Za-z0-9_-]{1,32})/([^/]{1,64})/([0-9a-f]{1,64}))", {"public"}, HouseholdPage,
       "/h/W/H1/00"},
      {"GET", "/record", {"scorer", "clerk"}, RecordPage, "/record"},
      {"POST", "/record", {"scorer", "clerk"}, RecordSubmit, "/record"},
  };
  return routes;
}

}  // namespace jifen::web
