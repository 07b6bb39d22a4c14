// The scorer's record-award page and their own recent entries.
#include "web/http.h"

#include <algorithm>

#include "engine/admission.h"
#include "ledger/evidence.h"
#include "web/page_util.h"
#include "web/pinyin.h"
#include "web/routes.h"
#include "web/scan.h"

namespace jifen::web {
namespace {

using nlohmann::json;

// ---- the scorer's record-award page ----

struct AwardForm {
  std::string q, subject, item, qty, date, place, reason;
  std::string form;       // the form's one-time id (FormId)
  std::string objection = {};  // an upheld objection whose missed record this is (or empty)
};

// The village's objections to a household's figures that were upheld: what a missed record may
// cite (SPEC.md §3 "Objections and rulings"), latest first.
json UpheldObjections(const engine::VillageModel& m, const std::string& selected) {
  json out = json::array();
  for (auto it = m.objections.rbegin(); it != m.objections.rend(); ++it) {
    const engine::Objection& o = it->second;
    if (o.household.empty() || !o.ruling || !o.ruling->upheld) continue;
    out.push_back({{"id", o.id},
                   {"label", o.period + " " + o.household + " " + HouseholdName(m, o.household) +
                                 "：" + o.reason},
                   {"selected", o.id == selected}});
  }
  return out;
}

// Photos taken with one award, and the size of each (ledger::kEvidenceBytesMax).
constexpr size_t kPhotosMax = 4;

// The items `role` may record (an item `by` other roles is not offered), by category.
json ItemChoices(const grammar::RuleFile& rules, const std::string& role,
                 const std::string& selected, const json& t) {
  json categories = json::array();
  for (const auto& category : rules.categories) {
    json items = json::array();
    for (const auto& code : category.items) {
      const grammar::Item* item = rules.FindItem(code);
      if (!item) continue;
      if (!MayRecord(*item, role)) continue;
      items.push_back(
          {{"code", item->code},
           {"name", item->name},
           {"points", item->points.ToSignedString()},
           {"unit", item->unit.value_or("")},
           {"evidence", item->evidence},
           {"per", item->per == grammar::Per::kHousehold ? t["per_household"] : t["per_person"]},
           {"selected", item->code == selected}});
    }
    if (!items.empty()) categories.push_back({{"name", category.name}, {"items", items}});
  }
  return categories;
}

std::string ScorerRole(const engine::VillageModel& m, const std::string& scorer) {
  auto it = m.scorers.find(scorer);
  return it == m.scorers.end() ? "" : it->second.role;
}

// By code, by a part of the name, or by the name's pinyin initials or syllables ("zs", "zhangs").
bool Matches(const std::string& code, const std::string& name, const std::string& q) {
  return q.empty() || code.find(q) != std::string::npos || name.find(q) != std::string::npos ||
         PinyinMatches(name, q);
}

json SubjectChoices(const engine::VillageModel& m, const AwardForm& f, const json& t) {
  json out = json::array();
  for (const auto& [code, h] : m.households) {
    if (Matches(code, h.name, f.q) || code == f.subject)
      out.push_back({{"code", code},
                     {"name", h.name},
                     {"kind", t["household_kind"]},
                     {"selected", code == f.subject}});
  }
  for (const auto& [code, p] : m.persons) {
    if (Matches(code, p.name, f.q) || code == f.subject)
      out.push_back({{"code", code},
                     {"name", p.name},
                     {"kind", t["person_kind"]},
                     {"selected", code == f.subject}});
  }
  return out;
}

// The scorer's awards of the last 90 days, newest first, with what became of them.
json RecentEntries(const engine::VillageModel& m, const ledger::Reader& reader,
                   const std::string& scorer, const json& t) {
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
    const grammar::Item* i = a ? a->rules->FindItem(item) : nullptr;
    json photos = json::array();
    if (auto seq = reader.FindKey(m.code, it->id)) {
      if (auto record = reader.Get(*seq); record.ok()) {
        for (const auto& e : record->evidence) {
          if (auto hex = ledger::EvidenceHex(e))
            photos.push_back({{"hex", *hex}, {"n", photos.size() + 1}});
        }
      }
    }
    out.push_back(
        {{"id", it->id},
         {"date", it->date.ToString()},
         {"who", subject + " " + SubjectName(m, subject)},
         {"item", item + (i ? " " + i->name : "")},
         {"qty", it->qty.ToString()},
         {"status", t["outcome_" + std::string(status == "pending" ? "pending" : status)]},
         {"status_class", status},
         {"withdrawable", status != "revoked"},
         {"photos", photos}});
  }
  return out;
}

void RenderRecordForm(App& app, RequestContext& c, const AwardForm& f, const json& errors,
                      int status, const std::string& done) {
  const json& t = Strings(c.english);
  Date today = Timestamp::Now().LocalDate();
  auto village = LoadVillage(app, c.account->village, today.AddDays(-90), today);
  if (!village) return RenderNoVillage(c, village);
  auto d = Date::Parse(f.date);
  const engine::Adoption* a = village->model.RulesInForce(d ? *d : today);
  if (!a) a = village->model.RulesInForce(today);
  if (!a) return RenderError(c, 404, "not_found");
  json entries = RecentEntries(village->model, *village->reader, c.account->scorer, t);
  json ctx{{"title", t["record_award"]},
           {"q", f.q},
           {"qty", f.qty.empty() ? "1" : f.qty},
           {"date", f.date.empty() ? today.ToString() : f.date},
           {"place", f.place},
           {"reason", f.reason},
           {"errors", errors},
           {"failed", !errors.empty()},
           {"form_id", f.form.empty() ? NewFormId() : f.form},
           {"subjects", SubjectChoices(village->model, f, t)},
           {"categories", ItemChoices(*a->rules, ScorerRole(village->model, c.account->scorer),
                                      f.item, t)},
           {"entries", entries},
           {"has_entries", !entries.empty()},
           {"objections", UpheldObjections(village->model, f.objection)}};
  ctx["has_objections"] = !ctx["objections"].empty();
  if (!done.empty()) {
    auto award = RecordWithId(app, c.account->village, done);
    bool ours = award && award->type == ledger::RecordType::kAward &&
                award->scorer == c.account->scorer;
    ctx["done"] = ours ? RecordedText(village->model, *award, t)
                       : t["recorded_ok"].get<std::string>() + done;
  }
  std::string withdrawn = c.request->Param("withdrawn");
  if (!withdrawn.empty() && status == 200) ctx["withdrawn"] = withdrawn;
  Render(c, status, "record.html", ctx);
}

void RecordPage(App& app, RequestContext& c) {
  if (c.account->scorer.empty()) return RenderError(c, 403, "no_scorer");
  AwardForm f;
  f.q = c.request->Param("q");
  RenderRecordForm(app, c, f, json::object(), 200, c.request->Param("done"));
}

// The uploaded photos of the form, checked: at most kPhotosMax, each a JPEG, PNG or WebP (by its
// bytes) of at most kEvidenceBytesMax. The file names sent are never used. A file input left
// empty sends a part with no bytes, which is skipped.
std::vector<std::string_view> Photos(const Request& req, const json& t, json* errors) {
  std::vector<std::string_view> out;
  auto [first, last] = req.parts.equal_range("photos");
  for (auto it = first; it != last; ++it) {
    const std::string& bytes = it->second.content;
    if (bytes.empty()) continue;
    if (bytes.size() > ledger::kEvidenceBytesMax) {
      (*errors)["photos"] = t["err_photo_size"];
    } else if (!ledger::ImageKindOf(bytes)) {
      (*errors)["photos"] = t["err_photo_type"];
    }
    out.push_back(bytes);
  }
  if (out.size() > kPhotosMax) (*errors)["photos"] = t["err_photo_count"];
  return out;
}

AwardForm ReadAwardForm(const RequestContext& c) {
  const Request& req = *c.request;
  return {FormValue(req, "q"),
          FormValue(req, "subject"),
          FormValue(req, "item"),
          FormValue(req, "qty"),
          FormValue(req, "date"),
          OneLine(FormValue(req, "place")),
          OneLine(FormValue(req, "reason")),
          FormId(c),
          OneLine(FormValue(req, "objection"))};
}

// What the form's own checks made of its fields, for the record.
struct CheckedAward {
  Date date;
  Quantity qty;
  std::vector<std::string_view> photos;
};

// The checks of the form itself against the village `m`, before admission (a date, a quantity, a
// known subject and item, photos where the item needs them): each refusal beside its field.
void CheckAwardForm(const RequestContext& c, const engine::VillageModel& m, const AwardForm& f,
                    json* errors, CheckedAward* out) {
  const json& t = Strings(c.english);
  auto date = Date::Parse(f.date);
  auto qty = Quantity::Parse(f.qty.empty() ? "1" : f.qty);
  if (!date) (*errors)["date"] = t["err_date"];
  if (!qty || *qty == Quantity::FromWhole(0)) (*errors)["qty"] = t["err_qty"];
  if (f.subject.empty()) {
    (*errors)["subject"] = t["err_subject_empty"];
  } else if (!m.households.count(f.subject) && !m.persons.count(f.subject)) {
    (*errors)["subject"] = t["err_subject_unknown"].get<std::string>() + f.subject;
  }
  const engine::Adoption* a = date ? m.RulesInForce(*date) : nullptr;
  if (f.item.empty()) {
    (*errors)["item"] = t["err_item_empty"];
  } else if (a && !a->rules->FindItem(f.item)) {
    (*errors)["item"] = t["err_item_unknown"].get<std::string>() + f.item;
  }
  if (date && !a) (*errors)["date"] = t["err_date_no_rules"];
  out->photos = Photos(*c.request, t, errors);
  if (a && out->photos.empty() && !errors->contains("photos")) {
    const grammar::Item* item = a->rules->FindItem(f.item);
    if (item && item->evidence) (*errors)["photos"] = t["err_evidence"];
  }
  errors->update(c.text_errors);  // a field's bad bytes are the first thing to say about it
  if (date) out->date = *date;
  if (qty) out->qty = *qty;
}

ledger::Record AwardRecord(const RequestContext& c, const AwardForm& f, const std::string& id,
                           const CheckedAward& checked) {
  ledger::Record r;
  r.type = ledger::RecordType::kAward;
  r.village = c.account->village;
  r.id = id;
  r.date = checked.date;
  r.subject = f.subject;
  r.item = f.item;
  r.qty = checked.qty;
  r.scorer = c.account->scorer;  // the account's bound scorer, never a form field
  r.place = f.place;
  r.reason = f.reason;
  r.target = f.objection;  // the award's `objection`: admission checks the citation
  return r;
}

// Stores the photos, durably, before the award that names them is written, and names them in
// `r`; `created` gets those that were not stored before (to remove if the award is refused).
Status StorePhotos(App& app, const std::vector<std::string_view>& photos, ledger::Record* r,
                   std::vector<std::string>* created) {
  for (std::string_view bytes : photos) {
    auto stored = ledger::StoreEvidence(app.options().ledger_dir, bytes);
    if (!stored.ok()) return stored.status();
    if (stored->created) created->push_back(stored->hex);
    r->evidence.push_back(std::string(ledger::kEvidencePrefix) + stored->hex);
  }
  return Status::Ok();
}

void RecordSubmit(App& app, RequestContext& c) {
  if (c.account->scorer.empty()) return RenderError(c, 403, "no_scorer");
  AwardForm f = ReadAwardForm(c);
  bool sent_form_id = !f.form.empty();  // a client that sends none gets no replay guard
  if (!sent_form_id) f.form = NewFormId();
  std::string id = c.account->village + "-W" + f.form;
  // The same form again (a retry, a double click): the award it made, answered as the first time.
  auto made_by_this_form = [&]() -> bool {
    auto held = sent_form_id ? RecordWithId(app, c.account->village, id) : std::nullopt;
    return held && held->type == ledger::RecordType::kAward && held->scorer == c.account->scorer;
  };
  // From a card's scan panel (web/scan.h): back to that card, the activity remembered.
  auto card = CardPathOf(app, FormValue(*c.request, "back"), c.account->village);
  auto done = [&] {
    if (!card) return Redirect(c, "/record?done=" + EncodeQueryParam(id) + LangSuffix(c, '&'));
    if (std::string cookie = ActivityCookie(f.item, f.qty); !cookie.empty())
      c.response->SetHeader("Set-Cookie", cookie);
    Redirect(c, *card + "?scored=" + EncodeQueryParam(id) + LangSuffix(c, '&') + "#scan");
  };
  if (made_by_this_form()) return done();
  json errors = json::object();
  CheckedAward checked;
  {
    // The kept structure itself, not a copy: the checks only read it.
    auto reader = app.ledger().Snapshot();
    if (!reader.ok()) return RenderNoVillage(c, reader.status());
    auto structure = app.SharedStructure(**reader, c.account->village);
    if (!structure.ok()) return RenderNoVillage(c, structure.status());
    if ((*structure)->adoptions.empty()) return RenderNoVillage(c, Status::Ok());
    CheckAwardForm(c, **structure, f, &errors, &checked);
  }  // no snapshot open across the write
  if (!errors.empty()) return RenderRecordForm(app, c, f, errors, 422, "");
  ledger::Record r = AwardRecord(c, f, id, checked);
  std::vector<std::string> created;
  auto forget = [&] {
    for (const auto& hex : created) ledger::RemoveEvidence(app.options().ledger_dir, hex);
  };
  if (!StorePhotos(app, checked.photos, &r, &created).ok()) {
    forget();
    return RenderError(c, 500, "error");
  }
  auto refusal = WriteRecords(app, {r});
  if (!refusal.ok() || *refusal) forget();
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal && made_by_this_form()) *refusal = std::nullopt;  // the same form, sent at once
  if (*refusal) {
    PutRefusal(c, **refusal, {"subject", "item", "qty", "date", "photos", "target"}, &errors);
    return RenderRecordForm(app, c, f, errors, 422, "");
  }
  done();
}

// ---- withdrawing one's own entry: a revoke record with the reason ----

void WithdrawSubmit(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  if (c.account->scorer.empty()) return RenderError(c, 403, "no_scorer");
  std::string id = FormValue(*c.request, "id"), reason = FormValue(*c.request, "reason");
  auto refuse = [&](const std::string& text) {
    json errors{{"general", text}};
    RenderRecordForm(app, c, AwardForm{}, errors, 422, "");
  };
  if (reason.empty()) return refuse(t["err_withdraw_reason"]);
  if (reason.size() > 600) return refuse(t["err_withdraw_reason_long"]);
  std::optional<ledger::Record> award;
  {
    auto reader = app.ledger().Snapshot();
    if (!reader.ok()) return RenderError(c, 500, "error");
    if (auto seq = (*reader)->FindKey(c.account->village, id)) {
      auto record = (*reader)->Get(*seq);
      if (record.ok() && record->type == ledger::RecordType::kAward) award = *record;
    }
  }
  if (!award) return refuse(t["err_withdraw_unknown"].get<std::string>() + id);
  if (award->scorer != c.account->scorer) return refuse(t["err_withdraw_not_yours"]);
  ledger::Record r;
  r.type = ledger::RecordType::kRevoke;
  r.village = c.account->village;
  r.target = id;
  r.scorer = c.account->scorer;
  r.reason = reason;
  auto refusal = WriteRecords(app, {r});
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) return refuse((*refusal)->Text(PageLanguage(c)));
  Redirect(c, "/record?withdrawn=" + EncodeQueryParam(id) + LangSuffix(c, '&'));
}

// ---- a stored photo ----

// Shown to the township and auditors, and to a village's own clerk and scorers when a record of
// their village names it.
void EvidencePage(App& app, RequestContext& c) {
  const std::string& hex = c.params[0];
  bool allowed = c.account->role == "township" || c.account->role == "auditor";
  if (!allowed) {
    auto named = app.PhotoNamedIn(hex, c.account->village);
    if (!named.ok()) return RenderError(c, 500, "error");
    allowed = *named;
  }
  if (!allowed) return RenderError(c, 404, "not_found");
  auto bytes = ledger::ReadEvidence(app.options().ledger_dir, hex);
  if (!bytes.ok()) return RenderError(c, 404, "not_found");
  auto kind = ledger::ImageKindOf(*bytes);
  if (!kind) return RenderError(c, 404, "not_found");
  c.response->status = 200;
  c.response->SetHeader("X-Content-Type-Options", "nosniff");
  c.response->SetHeader("Content-Security-Policy", "default-src 'none'");
  c.response->SetHeader("Cache-Control", "private, max-age=86400");
  c.response->SetContent(*bytes, ledger::ContentTypeOf(*kind));
}

}  // namespace

std::vector<Route> RecordRoutes() {
  static const std::vector<std::string> kSignedIn{"clerk", "scorer", "township", "auditor"};
  Route submit{"POST", "/record", {"scorer", "clerk"}, RecordSubmit, "/record"};
  submit.shows_text_errors = true;
  submit.body_bytes_max = kPhotosMax * ledger::kEvidenceBytesMax + (size_t{1} << 20);
  return {
      {"GET", "/record", {"scorer", "clerk"}, RecordPage, "/record"},
      submit,
      {"POST", "/record/withdraw", {"scorer", "clerk"}, WithdrawSubmit, "/record/withdraw"},
      {"GET", "/evidence/([0-9a-f]{64})", kSignedIn, EvidencePage,
       "/evidence/" + std::string(64, '0')},
  };
}

}  // namespace jifen::web
