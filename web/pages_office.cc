// The clerk's office: the village's rule file edited in the browser (checked, tried on the real
// ledger with what-if, adopted), and the roster (households, persons, moves, scorers). Rules are
// adopted through engine::AdoptRules, as `jifen rules adopt`; roster records go through the
// admission of `jifen import`.
#include "web/http.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "engine/admission.h"
#include "engine/whatif.h"
#include "grammar/parser.h"
#include "web/page_util.h"
#include "web/pinyin.h"
#include "web/routes.h"

namespace jifen::web {
namespace {

using nlohmann::json;

// ---- the rules page ----

struct RulesForm {
  std::string text, period, effective, approval;
};

// What goes before the "↑" under `line` so that it stands under `column` (1-based, in code
// points): an ideographic space for each character before it that takes two columns
// (DisplayWidth, utf8proc), a tab for a tab, else a space.
std::string CaretPad(const std::string& line, uint32_t column) {
  std::string pad;
  size_t i = 0;
  for (uint32_t seen = 1; i < line.size() && seen < column; ++seen) {
    size_t n = 1;  // the code point's bytes: its lead byte, then continuation bytes
    while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) ++n;
    std::string_view c(line.data() + i, n);
    pad += c == "\t" ? "\t" : DisplayWidth(c) == 2 ? "\u3000" : " ";
    i += n;
  }
  return pad;
}

// The rule file's lines, numbered, each with the diagnostics that point at it (a caret under the
// column each names).
json Listing(const std::string& text, const std::vector<grammar::Diagnostic>& diagnostics) {
  std::map<uint32_t, std::vector<const grammar::Diagnostic*>> at;
  for (const auto& d : diagnostics) at[d.location.line].push_back(&d);
  json lines = json::array();
  std::istringstream in(text);
  std::string line;
  for (uint32_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    json messages = json::array();
    for (const grammar::Diagnostic* d : at[n])
      messages.push_back({{"text", d->message}, {"caret", CaretPad(line, d->location.column)}});
    lines.push_back({{"n", n}, {"text", line}, {"bad", !messages.empty()}, {"messages", messages}});
  }
  json whole = json::array();  // diagnostics of the whole file (line 0)
  for (const grammar::Diagnostic* d : at[0]) whole.push_back(d->message);
  return {{"lines", lines}, {"whole", whole}};
}

void RenderRules(App& app, RequestContext& c, const RulesForm& form, json extra, int status) {
  const json& t = Strings(c.english);
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return RenderError(c, 500, "error");
  auto shared = app.SharedStructure(**reader, c.account->village);
  if (!shared.ok()) return RenderNoVillage(c, shared.status());
  const engine::VillageModel* model = shared->get();
  if (model->adoptions.empty()) return RenderError(c, 404, "not_found");
  const engine::Adoption& latest = model->adoptions.back();
  std::string text = form.text;
  if (text.empty()) {
    auto record = (*reader)->Get(latest.sequence);
    if (record.ok()) text = record->text;
  }
  json versions = json::array();
  for (auto it = model->adoptions.rbegin(); it != model->adoptions.rend(); ++it) {
    versions.push_back({{"sha", it->sha256.substr(0, 12)},
                        {"effective", it->effective.ToString()},
                        {"approved_by", it->approved_by},
                        {"recorded", it->recorded.LocalDate().ToString()}});
  }
  Date today = Timestamp::Now().LocalDate();
  auto current = engine::PeriodOf(*model, today);
  json ctx{
      {"title", t["office_rules_title"]},
      {"village_name", latest.rules->village.name},
      {"text", text},
      {"versions", versions},
      {"period", form.period.empty() && current ? current->Previous().ToString() : form.period},
      {"effective",
       form.effective.empty() && current ? current->Next().FirstDay().ToString() : form.effective},
      {"approval", form.approval}};
  for (auto it = extra.begin(); it != extra.end(); ++it) ctx[it.key()] = it.value();
  if (ctx.contains("adopted_sha")) {
    for (const engine::Adoption& a : model->adoptions) {
      if (a.sha256.rfind(ctx["adopted_sha"].get<std::string>(), 0) == 0)
        ctx["adopted"] = {{"sha", a.sha256.substr(0, 12)},
                          {"effective", a.effective.ToString()}};
    }
  }
  Render(c, status, "rules.html", ctx);
}

// After an adoption the page says so, naming the fingerprint (`?adopted=` the first 12 hex digits
// of one of this village's adoptions; anything else is not echoed).
void RulesPage(App& app, RequestContext& c) {
  json extra = json::object();
  std::string adopted = c.request->Param("adopted");
  if (adopted.size() == 12 && adopted.find_first_not_of("0123456789abcdef") == std::string::npos)
    extra["adopted_sha"] = adopted;
  RenderRules(app, c, RulesForm{}, extra, 200);
}

RulesForm ReadRulesForm(const Request& req) {
  return {engine::RuleText(FormValue(req, "text")), FormValue(req, "period"),
          FormValue(req, "effective"), FormValue(req, "approval")};
}

// Parses the edited text in the page's language. On errors, `*page` gets the numbered listing.
std::optional<grammar::RuleFile> Check(const RequestContext& c, const RulesForm& form, json* page) {
  auto parsed = grammar::ParseRules(
      form.text, "rules",
      c.english ? grammar::MessageLanguage::kEnglish : grammar::MessageLanguage::kChinese);
  (*page)["listing"] = Listing(form.text, parsed.diagnostics);
  (*page)["checked"] = true;
  (*page)["check_ok"] = parsed.diagnostics.empty();
  (*page)["errors_count"] = parsed.diagnostics.size();
  if (parsed.rules && parsed.rules->village.code != c.account->village) {
    (*page)["check_ok"] = false;
    (*page)["other_village"] = parsed.rules->village.code;
    return std::nullopt;
  }
  return std::move(parsed.rules);
}

void RulesCheck(App& app, RequestContext& c) {
  RulesForm form = ReadRulesForm(*c.request);
  json page = json::object();
  auto rules = Check(c, form, &page);
  RenderRules(app, c, form, page, rules ? 200 : 422);
}

void RulesWhatIf(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  RulesForm form = ReadRulesForm(*c.request);
  json page = json::object();
  auto rules = Check(c, form, &page);
  if (!rules) return RenderRules(app, c, form, page, 422);
  auto period = Period::Parse(form.period);
  if (!period) {
    page["errors"] = {{"period", t["office_err_period"]}};
    return RenderRules(app, c, form, page, 422);
  }
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return RenderError(c, 500, "error");
  engine::ReportWindow window{*period, std::nullopt, false};
  auto loaded = engine::LoadWindow(**reader, c.account->village, (*reader)->HeadSequence(), window);
  auto proposal = std::make_shared<const grammar::RuleFile>(std::move(*rules));
  Result<engine::WhatIfReport> report =
      loaded.ok() ? engine::WhatIf(loaded->model, window, proposal, ledger::Sha256Hex(form.text))
                  : Result<engine::WhatIfReport>(loaded.status());
  if (!report.ok()) {
    page["errors"] = {
        {"period", t["office_err_whatif"].get<std::string>() + report.status().message()}};
    return RenderRules(app, c, form, page, 422);
  }
  json rows = json::array();
  for (const auto& r : report->rows) {
    // Only the households the edit moves: the unchanged are counted above the table.
    if (r.difference == Points() && r.rank_change == 0 && !r.titles_changed) continue;
    rows.push_back({{"household", r.household},
                    {"name", HouseholdName(loaded->model, r.household)},
                    {"before", r.before.ToString()},
                    {"after", r.after.ToString()},
                    {"difference", r.difference.ToSignedString()},
                    {"up", r.difference > Points()},
                    {"down", r.difference < Points()},
                    {"rank_before", r.rank_before},
                    {"rank_after", r.rank_after},
                    {"titles_before", Join(r.titles_before, "、")},
                    {"titles_after", Join(r.titles_after, "、")},
                    {"titles_changed", r.titles_changed}});
  }
  page["whatif"] = {{"period", report->first == report->last
                                   ? report->first.ToString()
                                   : report->first.ToString() + "–" + report->last.ToString()},
                    {"gain", report->gain},
                    {"lose", report->lose},
                    {"unchanged", report->unchanged},
                    {"title_changes", report->title_changes},
                    {"unknown_items", report->unknown_item_records},
                    {"rows", rows}};
  RenderRules(app, c, form, page, 200);
}

void RulesAdopt(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  RulesForm form = ReadRulesForm(*c.request);
  json page = json::object();
  auto rules = Check(c, form, &page);
  json errors = json::object();
  auto effective = Date::Parse(form.effective);
  if (!effective) errors["effective"] = t["office_err_effective"];
  if (form.approval.empty()) errors["approval"] = t["office_err_approval"];
  if (form.approval.size() > 600) errors["approval"] = t["office_err_approval_long"];
  if (!rules || !errors.empty()) {
    page["errors"] = errors;
    return RenderRules(app, c, form, page, 422);
  }
  Result<engine::AdoptReport> adopted = Status::IOError("not run");
  {
    std::lock_guard lock(app.write_mutex());
    engine::AdoptRequest request{"web:" + c.account->name, form.text, *effective, form.approval,
                                 std::nullopt};
    adopted = engine::AdoptRules(app.ledger(), request, Timestamp::Now());
  }
  if (!adopted.ok()) {
    // The text was checked above: what fails here is the ledger.
    errors["general"] = t["office_err_adopt"].get<std::string>() + adopted.status().message();
  } else if (adopted->refusal) {
    PutRefusal(c, *adopted->refusal, {"effective"}, &errors);
  }
  if (!errors.empty()) {
    page["errors"] = errors;
    return RenderRules(app, c, form, page, 422);
  }
  Redirect(c, "/rules?adopted=" + adopted->sha256.substr(0, 12) + LangSuffix(c, '&'));
}

// ---- the roster ----

struct RosterForm {
  std::string kind;  // household, person, move, scorer: the form sent
  std::map<std::string, std::string> fields;
};

// A person's 身份 in the page's language (the ledger keeps "villager" or "non-villager").
std::string ResidentWord(const std::string& resident, const json& t) {
  if (resident == "villager") return t["office_resident_villager"];
  if (resident == "non-villager") return t["office_resident_non_villager"];
  return resident;  // written before the web offered the two choices
}

// Every household or person to choose from (a datalist: type to search, by code or name).
template <typename Map>
json Choices(const Map& registered) {
  json out = json::array();
  for (const auto& [code, r] : registered) out.push_back({{"code", code}, {"name", r.name}});
  return out;
}

// What the refused form had in its fields, for the form to show again ("KIND_FIELD").
json Typed(const RosterForm& form) {
  json typed = json::object();
  for (const auto& [k, v] : form.fields) typed[form.kind + "_" + k] = v;
  if (form.kind == "person") {
    auto it = form.fields.find("resident");
    typed["person_resident_non"] = it != form.fields.end() && it->second == "non-villager";
  }
  return typed;
}

void RenderRoster(App& app, RequestContext& c, const RosterForm& form, const json& errors,
                  int status) {
  const json& t = Strings(c.english);
  Date today = Timestamp::Now().LocalDate();
  auto village = LoadVillage(app, c.account->village, std::nullopt, today);
  if (!village) return RenderNoVillage(c, village);
  const engine::VillageModel& m = village->model;
  std::string q = c.request->Param("q");
  auto finds = [&](const std::string& code, const std::string& name) {
    return q.empty() || code.find(q) != std::string::npos || name.find(q) != std::string::npos ||
           PinyinMatches(name, q);
  };
  json households = json::array();
  std::set<std::string> found;  // households the search found: their members are listed too
  for (const auto& [code, h] : m.households) {
    if (!finds(code, h.name)) continue;
    found.insert(code);
    households.push_back({{"code", code},
                          {"name", h.name},
                          {"since", h.since.ToString()},
                          {"shares", std::to_string(h.shares)},
                          {"members", m.MembersOn(code, today)}});
  }
  json persons = json::array(), moves = json::array();
  for (const auto& [code, p] : m.persons) {
    const std::string* home = p.HouseholdOn(today);
    if (finds(code, p.name) || (!q.empty() && home && found.count(*home))) {
      persons.push_back({{"code", code},
                         {"name", p.name},
                         {"household", home ? *home : ""},
                         {"household_name", home ? HouseholdName(m, *home) : ""},
                         {"resident", ResidentWord(p.resident, t)}});
    }
    for (size_t i = 1; i < p.memberships.size(); ++i) {
      moves.push_back({{"date", p.memberships[i].first.ToString()},
                       {"person", code + " " + p.name},
                       {"from", p.memberships[i - 1].second},
                       {"to", p.memberships[i].second}});
    }
  }
  std::sort(moves.begin(), moves.end(),
            [](const json& a, const json& b) { return a["date"] > b["date"]; });
  if (moves.size() > 20) moves.erase(moves.begin() + 20, moves.end());
  json scorers = json::array();
  for (const auto& [code, s] : m.scorers) {
    scorers.push_back({{"code", code}, {"name", s.name}, {"role", s.role}, {"person", s.person}});
  }
  json ctx{
      {"title", t["office_roster_title"]},
      {"village_name", m.RulesInForce(today) ? m.RulesInForce(today)->rules->village.name : m.code},
      {"q", q},
      {"households", households},
      {"persons", persons},
      {"moves", moves},
      {"has_moves", !moves.empty()},
      {"scorers", scorers},
      {"household_choices", Choices(m.households)},
      {"person_choices", Choices(m.persons)},
      {"typed", Typed(form)},
      {"errors", errors},
      {"today", today.ToString()}};
  std::string done = c.request->Param("done");
  if (!done.empty() && status == 200) ctx["done"] = done;
  Render(c, status, "roster.html", ctx);
}

void RosterPage(App& app, RequestContext& c) {
  RenderRoster(app, c, RosterForm{}, json::object(), 200);
}

// The roster form's slot for a refusal's field: KIND_NAME when the form of `kind` has a field of
// that name (a registration's day is "since", a scorer's person "person_link"), else "general".
std::string RosterSlot(const std::string& kind, const std::vector<std::string>& names,
                       std::string_view field) {
  std::string name(field);
  if (name == "date" && kind != "move") name = "since";
  if (name == "person") name = "person_link";
  bool has = std::find(names.begin(), names.end(), name) != names.end();
  return has ? kind + "_" + name : "general";
}

void RosterSubmit(App& app, RequestContext& c, const std::string& kind,
                  const std::vector<std::string>& names) {
  const json& t = Strings(c.english);
  RosterForm form{kind, {}};
  for (const auto& n : names) form.fields[n] = FormValue(*c.request, n);
  auto field = [&](const std::string& n) { return form.fields[n]; };
  json errors = json::object();
  auto required = [&](const std::string& n) {
    if (field(n).empty()) errors[kind + "_" + n] = t["office_err_required"];
  };
  for (const auto& n : names) {
    if (n != "person_link" && n != "shares" && n != "resident") required(n);
    if (field(n).size() > 200) errors[kind + "_" + n] = t["office_err_long"];
  }
  ledger::Record r;
  r.village = c.account->village;
  r.code = field("code");
  auto date_of = [&](const std::string& n) -> Date {
    auto d = Date::Parse(field(n));
    if (!d && !field(n).empty()) errors[kind + "_" + n] = t["err_date"];
    return d.value_or(Date());
  };
  if (kind == "household") {
    r.type = ledger::RecordType::kHousehold;
    r.name = field("name");
    r.date = date_of("since");
    std::string shares = field("shares").empty() ? "1" : field("shares");
    if (shares.find_first_not_of("0123456789") != std::string::npos || shares.size() > 6) {
      errors["household_shares"] = t["office_err_shares"];
    } else {
      r.shares = std::stoll(shares);
    }
  } else if (kind == "person") {
    r.type = ledger::RecordType::kPerson;
    r.name = field("name");
    r.household = field("household");
    r.date = date_of("since");
    // 身份 is one of two words (SPEC.md §2 "person"); a blank is the default, villager.
    r.resident = field("resident").empty() ? "villager" : field("resident");
    if (r.resident != "villager" && r.resident != "non-villager")
      errors["person_resident"] = t["office_err_resident"];
  } else if (kind == "move") {
    r.type = ledger::RecordType::kMove;
    r.household = field("household");
    r.date = date_of("date");
  } else {
    r.type = ledger::RecordType::kScorer;
    r.name = field("name");
    r.role = field("role");
    r.person = field("person_link");
  }
  if (!errors.empty()) return RenderRoster(app, c, form, errors, 422);
  auto refusal = WriteRecords(app, {r});
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) {
    errors[RosterSlot(kind, names, (*refusal)->FieldName())] = (*refusal)->Text(PageLanguage(c));
    return RenderRoster(app, c, form, errors, 422);
  }
  Redirect(c, "/roster?done=" + EncodeQueryParam(r.code) + LangSuffix(c, '&') + "#" + kind);
}

}  // namespace

std::vector<Route> OfficeRoutes() {
  return {
      {"GET", "/rules", {"clerk"}, RulesPage, "/rules"},
      {"POST", "/rules/check", {"clerk"}, RulesCheck, "/rules/check"},
      {"POST", "/rules/whatif", {"clerk"}, RulesWhatIf, "/rules/whatif"},
      {"POST", "/rules/adopt", {"clerk"}, RulesAdopt, "/rules/adopt"},
      {"GET", "/roster", {"clerk"}, RosterPage, "/roster"},
      {"POST",
       "/roster/household",
       {"clerk"},
       [](App& a, RequestContext& c) {
         RosterSubmit(a, c, "household", {"code", "name", "since", "shares"});
       },
       "/roster/household"},
      {"POST",
       "/roster/person",
       {"clerk"},
       [](App& a, RequestContext& c) {
         RosterSubmit(a, c, "person", {"code", "name", "household", "since", "resident"});
       },
       "/roster/person"},
      {"POST",
       "/roster/move",
       {"clerk"},
       [](App& a, RequestContext& c) {
         RosterSubmit(a, c, "move", {"code", "household", "date"});
       },
       "/roster/move"},
      {"POST",
       "/roster/scorer",
       {"clerk"},
       [](App& a, RequestContext& c) {
         RosterSubmit(a, c, "scorer", {"code", "name", "role", "person_link"});
       },
       "/roster/scorer"},
  };
}

}  // namespace jifen::web
