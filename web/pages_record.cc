// The scorer's record-award page and their own recent entries.
#include <httplib.h>

#include "engine/admission.h"
#include "web/page_util.h"
#include "web/routes.h"

namespace jifen::web {
namespace {

using nlohmann::json;

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
  auto refusal = WriteRecords(app, {r});
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) {
    auto [field, text] = ExplainRefusal(**refusal, t);
    errors[field] = text;
    return RenderRecordForm(app, c, f, errors, 422, "");
  }
  Redirect(c, "/record?done=" + httplib::detail::encode_query_param(r.id) + LangSuffix(c, '&'));
}

}  // namespace

std::vector<Route> RecordRoutes() {
  return {
      {"GET", "/record", {"scorer", "clerk"}, RecordPage, "/record"},
      {"POST", "/record", {"scorer", "clerk"}, RecordSubmit, "/record"},
  };
}

}  // namespace jifen::web
