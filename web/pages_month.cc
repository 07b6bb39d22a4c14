// The committee's month: the review queue (approve, reject), the month-end page (the period's
// state, a board preview, posting, objections brought to the office and the rulings on them), and
// the villagers' objections from their card pages. Each action writes the one record
// `jifen approve|revoke|post|object|rule` would, through the admission of `jifen import`; the
// clerk acts as the account's bound scorer, and only on the account's own village.
#include "web/http.h"

#include "engine/workflow.h"
#include "ledger/evidence.h"
#include "util/text.h"
#include "web/card_objection.h"
#include "web/page_util.h"
#include "web/routes.h"

namespace jifen::web {
namespace {

using nlohmann::json;

constexpr size_t kReasonCharsMax = 300;  // 900 bytes of Chinese: within a ledger name field
constexpr size_t kNameCharsMax = 40;

Date Today() { return Timestamp::Now().LocalDate(); }

std::string Text(const json& t, const std::string& key) { return t[key].get<std::string>(); }

// The string `key` with its "{}" filled in by `value`.
std::string Fill(const json& t, const std::string& key, const std::string& value) {
  std::string text = Text(t, key);
  size_t at = text.find("{}");
  return at == std::string::npos ? text : text.replace(at, 2, value);
}

size_t Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

bool PlainText(const std::string& value) {
  if (!IsValidUtf8(value)) return false;
  for (unsigned char ch : value) {
    if (ch < 0x20 || ch == 0x7f) return false;
  }
  return true;
}

// A free-text field: empty when required, or longer than `chars_max` characters (and the ledger's
// byte bound), is refused with the page's words; "" when it is fine.
std::string CheckText(const std::string& value, bool required, size_t chars_max, const json& t) {
  if (value.empty()) return required ? Text(t, "month_err_required") : "";
  if (!PlainText(value)) return Text(t, "month_err_bad_text");
  if (Chars(value) > chars_max || value.size() > ledger::kNameBytesMax) {
    return Fill(t, "month_err_too_long", std::to_string(chars_max));
  }
  return "";
}

std::string Param(const RequestContext& c, const char* name) { return c.request->Param(name); }

std::string Roles(const grammar::RuleFile& rules) {
  std::string out;
  for (const auto& role : rules.village.review_roles) out += (out.empty() ? "" : "、") + role;
  return out;
}

// Why the signed-in clerk cannot act on the workflow of `day`'s rules, or "": the account must be
// bound to a registered scorer who, under `review by`, holds a review role.
std::string ActorProblem(const engine::VillageModel& m, const accounts::Account& a, Date day, const json& t) {
  if (a.scorer.empty()) return Text(t, "month_no_scorer");
  auto s = m.scorers.find(a.scorer);
  if (s == m.scorers.end()) return Fill(t, "month_scorer_unknown", a.scorer);
  const engine::Adoption* in_force = m.RulesInForce(day);
  if (in_force && !in_force->rules->village.review_roles.empty() &&
      !m.IsReviewer(*in_force->rules, a.scorer)) {
    return Fill(t, "month_not_reviewer", Roles(*in_force->rules));
  }
  return "";
}

// Writes `r` as `jifen` would; an objection's default id is numbered again when another form took
// it meanwhile. Returns nullopt when written, else the refusal (its field and its text in the
// page's language); Status: the ledger failed.
Result<std::optional<std::pair<std::string, std::string>>> Write(App& app, const RequestContext& c,
                                                                 ledger::Record r, const json& t) {
  using Refused = std::pair<std::string, std::string>;
  ledger::Record stamped = r;
  stamped.recorded = Timestamp::Now();
  if (Status s = ledger::ValidateRecord(stamped); !s.ok())
    return std::optional(Refused{"general", Text(t, "month_err_other") + s.message()});
  for (int attempt = 0;; ++attempt) {
    auto refusal = WriteRecords(app, {r});
    if (!refusal.ok()) return refusal.status();
    if (!*refusal) return std::optional<Refused>();
    const engine::Refusal& why = **refusal;
    bool retry = why.code == engine::RefusalCode::kIdTaken &&
                 r.type == ledger::RecordType::kObjection && attempt < 3;
    LoadedVillage view = retry ? LoadVillage(app, r.village, std::nullopt, Today())
                               : LoadedVillage(std::optional<VillageView>());
    if (!view)
      return std::optional(Refused{std::string(why.FieldName()), why.Text(PageLanguage(c))});
    r.id = engine::DefaultWorkflowId(view->model, "O", r.period);
  }
}

// ---- the review queue ----

// The village's awards still waiting for review, oldest first, as the queue shows them.
json PendingEntries(const VillageView& v) {
  const engine::VillageModel& m = v.model;
  json out = json::array();
  for (const engine::Event& e : m.events) {
    if (e.type != ledger::RecordType::kAward || e.id.empty() || m.IsRevoked(e.id)) continue;
    const engine::Adoption* a = m.RulesInForce(e.date);
    if (!a || !m.IsPending(*a->rules, e.scorer.str(), e.id)) continue;
    auto r = v.reader->Get(e.sequence);
    if (!r.ok()) continue;
    const grammar::Item* item = a->rules->FindItem(r->item);
    json photos = json::array(), other = json::array();
    for (const std::string& ev : r->evidence) {
      // A `sha256:` item is a photo, served at /evidence/HEX.
      std::string hex = ledger::EvidenceHex(ev).value_or("");
      if (!hex.empty()) {
        photos.push_back({{"hex", hex}, {"n", photos.size() + 1}});
      } else {
        other.push_back(ev);
      }
    }
    auto scorer = m.scorers.find(r->scorer);
    // A person is shown with the household the award counts for (who reviews knows the family).
    std::string who = r->subject + " " + SubjectName(m, r->subject);
    const std::string* home = m.persons.count(r->subject)
                                  ? m.HouseholdOfSubject(r->subject, r->date)
                                  : nullptr;
    if (home) who += "（" + *home + " " + HouseholdName(m, *home) + "）";
    out.push_back(
        {{"id", r->id},
         {"date", r->date.ToString()},
         {"who", who},
         {"item", r->item + (item ? " " + item->name : "")},
         {"qty", r->qty.ToString()},
         {"points", item ? item->points.Times(r->qty).ToSignedString() : "?"},
         {"scorer", r->scorer + (scorer != m.scorers.end() ? " " + scorer->second.name : "")},
         {"reason", r->reason},
         {"place", r->place},
         {"photos", photos},
         {"other_evidence", Join(other.get<std::vector<std::string>>(), "、")},
         {"recorded", r->recorded.LocalDate().ToString()}});
  }
  return out;
}

// The queue, with `errors` (entry id -> refusal; "general") and the reasons typed (entry id ->
// text).
void RenderReview(App& app, RequestContext& c, int status, const json& errors, const json& typed) {
  const json& t = Strings(c.english);
  Date today = Today();
  // Entries dated within the last year: older periods are posted and locked in practice.
  auto village = LoadVillage(app, c.account->village, today.AddDays(-366), today);
  if (!village) return RenderNoVillage(c, village);
  json entries = PendingEntries(*village);
  for (json& e : entries) {
    std::string id = e["id"];
    if (errors.contains(id)) e["error"] = errors[id];
    if (typed.contains(id)) e["typed_reason"] = typed[id];
  }
  json ctx{{"title", t["month_review_title"]},
           {"entries", entries},
           {"count", entries.size()},
           {"has_entries", !entries.empty()}};
  if (errors.contains("general")) ctx["general_error"] = errors["general"];
  std::string problem = ActorProblem(village->model, *c.account, today, t);
  if (!problem.empty()) ctx["actor_problem"] = problem;
  std::string done = Param(c, "done"), id = Param(c, "id");
  if ((done == "approved" || done == "rejected") && id.size() <= ledger::kCodeBytesMax) {
    ctx["done"] = Text(t, "month_done_" + done) + id;
  }
  Render(c, status, "review.html", ctx);
}

void ReviewPage(App& app, RequestContext& c) {
  RenderReview(app, c, 200, json::object(), json::object());
}

// The award `id` of the account's village if it waits for review; else the refusal.
std::string CheckPendingAward(App& app, const RequestContext& c, const std::string& id,
                              const json& t) {
  if (id.empty() || id.size() > ledger::kCodeBytesMax) return Fill(t, "month_err_no_entry", id);
  auto village = LoadVillage(app, c.account->village, std::nullopt, Today());
  if (!village) return Fill(t, "month_err_no_entry", id);
  const engine::VillageModel& m = village->model;
  auto seq = village->reader->FindKey(m.code, id);
  if (!seq) return Fill(t, "month_err_no_entry", id);
  auto r = village->reader->Get(*seq);
  if (!r.ok() || r->type != ledger::RecordType::kAward || r->village != m.code) {
    return Fill(t, "month_err_no_entry", id);
  }
  if (m.IsRevoked(id)) return Text(t, "month_err_already_revoked");
  if (const engine::Approval* a = m.approvals.Find(id)) {
    return Fill(t, "month_err_already_approved",
                a->recorded.LocalDate().ToString() + " " + a->scorer);
  }
  const engine::Adoption* in_force = m.RulesInForce(r->date);
  if (!in_force || !m.IsPending(*in_force->rules, r->scorer, id))
    return Text(t, "month_err_not_pending");
  std::string problem = ActorProblem(m, *c.account, r->date, t);
  return problem;
}

void ReviewDecide(App& app, RequestContext& c, bool approve) {
  const json& t = Strings(c.english);
  std::string id = Param(c, "id"), reason = OneLine(Param(c, "reason"));
  json errors = json::object(), typed = json::object();
  auto refuse = [&](const std::string& text) {
    // Beside the entry when it is in the queue, else at the top of the page.
    errors[id.empty() ? "general" : id] = text;
    if (!id.empty()) errors["general"] = Fill(t, "month_refused_entry", id) + text;
    typed[id] = reason;
    RenderReview(app, c, 422, errors, typed);
  };
  if (std::string bad = CheckPendingAward(app, c, id, t); !bad.empty()) return refuse(bad);
  if (!approve) {
    if (std::string bad = CheckText(reason, true, kReasonCharsMax, t); !bad.empty()) {
      return refuse(Text(t, "month_err_reject_reason") + bad);
    }
  }
  engine::WorkflowEntry e;
  e.village = c.account->village;
  e.target = id;
  e.scorer = c.account->scorer;
  e.reason = reason;
  ledger::Record r = engine::WorkflowRecord(
      approve ? ledger::RecordType::kApprove : ledger::RecordType::kRevoke, e);
  auto refusal = Write(app, c, r, t);
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) return refuse((*refusal)->second);
  Redirect(c, std::string("/review?done=") + (approve ? "approved" : "rejected") +
                  "&id=" + EncodeQueryParam(id) + LangSuffix(c, '&'));
}

void ReviewApprove(App& app, RequestContext& c) { ReviewDecide(app, c, true); }
void ReviewReject(App& app, RequestContext& c) { ReviewDecide(app, c, false); }

// ---- month end ----

struct MonthForm {
  std::string target, reason, name;  // the office's objection form
  std::string rule_objection = {}, rule_decision = {},
              rule_reason = {};  // the ruling form that was sent
  // "post", "object" (the objection form as a whole), "target", "reason", "name", "rule".
  json errors = json::object();
};

// The period of the rules in force on its first day, as the path names it; nullopt: none such.
std::optional<Period> VillagePeriod(const engine::VillageModel& m, const std::string& text) {
  auto p = Period::Parse(text);
  if (!p) return std::nullopt;
  const engine::Adoption* a = m.RulesInForce(p->FirstDay());
  if (!a || a->rules->village.period != p->kind) return std::nullopt;
  return p;
}

std::string StateWords(const engine::PeriodStatus& s, const json& t) {
  std::string words = StateText(s, t);
  if (s.state == engine::PeriodState::kNotice && s.notice_until) {
    words = Fill(t, "month_state_notice_until", s.notice_until->ToString());
  }
  if (s.state == engine::PeriodState::kAwaitingRulings) {
    words += Fill(t, "month_open_objections", std::to_string(s.open_objections));
  }
  return words;
}

// A scorer's code and name, or the code alone when not registered.
std::string ScorerWords(const engine::VillageModel& m, const std::string& code) {
  auto s = m.scorers.find(code);
  return s == m.scorers.end() ? code : code + " " + s->second.name;
}

// "：DATE WHO ITEM" of the award or redemption `id` among the model's events, or "".
std::string RecordWords(const engine::VillageModel& m, const std::string& id) {
  for (const engine::Event& e : m.events) {
    if (e.id != id) continue;
    bool award = e.type == ledger::RecordType::kAward;
    std::string who(award ? e.subject.str() : e.household.str());
    std::string what(award ? e.item.str() : e.reward.str());
    const engine::Adoption* a = m.RulesInForce(e.date);
    if (a && award) {
      if (const grammar::Item* item = a->rules->FindItem(what)) what += " " + item->name;
    }
    return "：" + e.date.ToString() + " " + who + " " + SubjectName(m, who) + " " + what;
  }
  return "";
}

json ObjectionRows(const engine::VillageModel& m, const Period& period, const MonthForm& f,
                   const json& t) {
  json out = json::array();
  auto it = m.periods.find(period.ToString());
  if (it == m.periods.end()) return out;
  for (const std::string& id : it->second.objections) {
    const engine::Objection& o = m.objections.at(id);
    std::string about = o.target.empty() ? Text(t, "household_kind") + " " + o.household + " " +
                                               HouseholdName(m, o.household)
                                         : o.target + RecordWords(m, o.target);
    json row{{"id", o.id},
             {"about", about},
             {"reason", o.reason},
             {"filed_by", o.filed_by},
             {"taken_by", o.scorer.empty() ? "" : ScorerWords(m, o.scorer)},
             {"filed_on", o.recorded.LocalDate().ToString()},
             {"open", !o.ruling},
             {"is_record", !o.target.empty()}};
    if (o.ruling) {
      row["ruling"] = Text(t, o.ruling->upheld ? "month_upheld" : "month_dismissed");
      row["ruling_reason"] = o.ruling->reason;
      row["ruled_by"] =
          ScorerWords(m, o.ruling->scorer) + " " + o.ruling->recorded.LocalDate().ToString();
      row["upheld"] = o.ruling->upheld;
    } else if (f.rule_objection == o.id) {
      if (f.errors.contains("rule")) row["rule_error"] = f.errors["rule"];
      row["rule_reason"] = f.rule_reason;
      row["upheld_checked"] = f.rule_decision == "upheld";
      row["dismissed_checked"] = f.rule_decision == "dismissed";
    }
    out.push_back(row);
  }
  return out;
}

// The last periods up to the current one with their states, latest first (the page's menu).
json RecentPeriods(const engine::VillageModel& m, const Period& shown, Timestamp now,
                   const json& t, bool english) {
  json out = json::array();
  auto current = engine::PeriodOf(m, now.LocalDate());
  if (!current) return out;
  Period p = *current;
  for (int i = 0; i < 6; ++i, p = p.Previous()) {
    if (!VillagePeriod(m, p.ToString())) break;
    engine::PeriodStatus s = engine::StatusOf(m, p, now);
    out.push_back({{"period", p.ToString()},
                   {"period_words", PeriodWords(p.ToString(), english)},
                   {"state", StateWords(s, t)},
                   {"current", p == shown}});
  }
  return out;
}

json HouseholdRecords(App& app, const engine::VillageModel& model, Date from, Date to,
                      const Period& period, const std::string& household,
                      const std::string& selected, const json& t);

// The office's objection form chooses its target: a household (its figures as a whole), or, once
// a household is chosen (?object_household=), that household's records of the period.
// The village's record of id `target`, if there is one.
std::optional<ledger::Record> RecordOf(const ledger::Reader& reader, const engine::VillageModel& m,
                                       const std::string& target) {
  auto seq = target.empty() ? std::nullopt : reader.FindKey(m.code, target);
  if (!seq) return std::nullopt;
  auto r = reader.Get(*seq);
  if (!r.ok()) return std::nullopt;
  return std::move(*r);
}

// The household an award or a redemption counts for (its subject's household on its date, or the
// redeeming household); "" for any other record.
std::string HouseholdOfRecord(const engine::VillageModel& m, const ledger::Record& r) {
  if (r.type == ledger::RecordType::kRedeem) return r.household;
  if (r.type != ledger::RecordType::kAward) return "";
  const std::string* h = m.HouseholdOfSubject(r.subject, r.date);
  return h ? *h : "";
}

// The household a form's target is about: the household itself, or the one its record counts for.
std::string HouseholdOfTarget(const ledger::Reader& reader, const engine::VillageModel& m,
                              const std::string& target) {
  if (m.households.count(target)) return target;
  auto r = RecordOf(reader, m, target);
  return r ? HouseholdOfRecord(m, *r) : "";
}

void AddObjectionChoices(App& app, RequestContext& c, const VillageView& village,
                         const Period& period, const MonthForm& f, json& ctx) {
  const json& t = Strings(c.english);
  const engine::VillageModel& m = village.model;
  std::string chosen = Param(c, "object_household");
  if (chosen.empty()) chosen = HouseholdOfTarget(*village.reader, m, f.target);
  if (!m.households.count(chosen)) chosen.clear();
  json households = json::array(), targets = json::array();
  for (const auto& [code, h] : m.households) {
    households.push_back({{"code", code}, {"name", h.name}, {"selected", code == chosen}});
    if (!chosen.empty() && code != chosen) continue;
    targets.push_back({{"id", code},
                       {"label", Text(t, "month_object_whole") + code + " " + h.name},
                       {"selected", code == f.target}});
  }
  if (!chosen.empty()) {
    json records = HouseholdRecords(app, m, engine::ReplayStart(m, period), period.LastDay(),
                                    period, chosen, f.target, t);
    for (auto& r : records) targets.push_back(std::move(r));
  }
  ctx["object_households"] = households;
  ctx["object_household"] = chosen;
  ctx["target_choices"] = targets;
}

// The board as it would be posted, one row a household; `*pending` counts the entries that wait
// for review.
json PreviewRows(const engine::VillageModel& m, const engine::PeriodFigures& pf, int* pending) {
  json rows = json::array();
  for (const auto& h : pf.households) {
    *pending += h.pending;
    rows.push_back({{"rank", h.rank},
                    {"code", h.household},
                    {"name", HouseholdName(m, h.household)},
                    {"earned", h.earned.ToString()},
                    {"redeemed", h.redeemed.ToString()},
                    {"balance", h.balance.ToString()},
                    {"titles", Join(h.titles, "、")},
                    {"vetoed", h.vetoed},
                    {"pending", h.pending > 0 ? json(h.pending) : json(false)}});
  }
  return rows;
}

void RenderMonth(App& app, RequestContext& c, const std::string& period_text, int status,
                 const MonthForm& f) {
  const json& t = Strings(c.english);
  Timestamp now = Timestamp::Now();
  const std::string& code = c.account->village;
  auto structure = LoadVillage(app, code, std::nullopt, now.LocalDate());
  if (!structure) return RenderNoVillage(c, structure);
  auto period = VillagePeriod(structure->model, period_text);
  if (!period)
    return Render(c, 404, "error.html", {{"message", Fill(t, "month_no_period", period_text)}});
  LoadedVillage& village = structure;
  LoadPeriods(village, *period, period->LastDay());
  if (!village) return RenderNoVillage(c, village);
  const engine::VillageModel& m = village->model;
  auto figures = engine::Replay(m, *period, *period);
  if (!figures.ok())
    return Render(c, 404, "error.html", {{"message", Fill(t, "month_no_period", period_text)}});
  const engine::PeriodFigures& pf = figures->back();
  engine::PeriodStatus s = engine::StatusOf(m, *period, now);
  int pending = 0;
  json rows = PreviewRows(m, pf, &pending);
  std::string p = period->ToString();
  size_t posts = s.post ? m.periods.at(p).posts.size() : 0;
  bool ended = now.LocalDate() >= period->LastDay();
  bool locked = engine::LockOf(m, *period, now).has_value();
  json ctx{{"title", pf.adoption->rules->village.name + " " + PeriodWords(p, c.english)},
           {"village", code},
           {"period", p},
           {"state", StateWords(s, t)},
           {"state_class", engine::PeriodStateName(s.state)},
           {"rows", rows},
           {"pending_total", pending > 0 ? json(pending) : json(false)},
           {"head", ledger::HashToHex(village->reader->HeadHash())},
           {"posts", posts},
           {"can_post", ended && !locked},
           {"reposting", ended && !locked && s.post.has_value()},
           {"post_from", period->LastDay().ToString()},
           {"too_early", !ended},
           {"locked", locked},
           {"posted", s.post.has_value()},
           {"notice", s.state == engine::PeriodState::kNotice},
           {"objections", ObjectionRows(m, *period, f, t)},
           {"has_objections", s.objections > 0},
           {"periods", RecentPeriods(structure->model, *period, now, t, c.english)},
           {"target", f.target},
           {"reason", f.reason},
           {"name", f.name},
           {"errors", f.errors},
           {"failed", !f.errors.empty()}};
  if (s.post) {
    ctx["posted_on"] = s.post->recorded.LocalDate().ToString();
    // What the paper board beside the office carries: the tree that ends with the post.
    std::string checkpoint = CheckpointOfSize(app, *village->reader, s.post->sequence);
    if (!checkpoint.empty()) ctx["post_checkpoint"] = checkpoint;
  }
  if (s.notice_until) ctx["notice_until"] = s.notice_until->ToString();
  if (s.state == engine::PeriodState::kNotice) AddObjectionChoices(app, c, *village, *period, f, ctx);
  std::string problem = ActorProblem(m, *c.account, period->FirstDay(), t);
  if (!problem.empty()) ctx["actor_problem"] = problem;
  std::string done = Param(c, "done");
  if (done == "posted" || done == "objected" || done == "ruled")
    ctx["done"] = Text(t, "month_done_" + done);
  Render(c, status, "month.html", ctx);
}

// The latest period whose last day has come and that is not final; else the current period.
void MonthLatest(App& app, RequestContext& c) {
  Timestamp now = Timestamp::Now();
  auto village = LoadVillage(app, c.account->village, std::nullopt, now.LocalDate());
  if (!village) return RenderNoVillage(c, village);
  auto current = engine::PeriodOf(village->model, now.LocalDate());
  if (!current) return RenderError(c, 404, "not_found");
  Period chosen = *current;
  Period p = *current;
  for (int i = 0; i < 24 && VillagePeriod(village->model, p.ToString()); ++i, p = p.Previous()) {
    if (p.LastDay() > now.LocalDate()) continue;
    if (engine::StatusOf(village->model, p, now).state != engine::PeriodState::kFinal) {
      chosen = p;
      break;
    }
  }
  Redirect(c, "/month/" + chosen.ToString() + LangSuffix(c));
}

void MonthPage(App& app, RequestContext& c) { RenderMonth(app, c, c.params[0], 200, MonthForm{}); }

void MonthDone(RequestContext& c, const std::string& period, const std::string& what) {
  Redirect(c, "/month/" + period + "?done=" + what + LangSuffix(c, '&'));
}

void MonthPost(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  Timestamp now = Timestamp::Now();
  MonthForm f;
  auto refuse = [&](const std::string& text) {
    f.errors["post"] = text;
    RenderMonth(app, c, c.params[0], 422, f);
  };
  auto village = LoadVillage(app, c.account->village, std::nullopt, now.LocalDate());
  if (!village) return RenderNoVillage(c, village);
  const engine::VillageModel& m = village->model;
  auto period = VillagePeriod(m, c.params[0]);
  if (!period) return RenderMonth(app, c, c.params[0], 404, f);
  if (std::string bad = ActorProblem(m, *c.account, period->FirstDay(), t); !bad.empty())
    return refuse(bad);
  if (now.LocalDate() < period->LastDay()) {
    return refuse(Fill(t, "month_err_post_early", period->LastDay().ToString()));
  }
  if (engine::LockOf(m, *period, now)) return refuse(Text(t, "month_err_locked"));
  engine::PeriodStatus s = engine::StatusOf(m, *period, now);
  // The form says how many posts its page showed: a second click, or a post by someone else
  // meanwhile, is not a post of the board this clerk looked at.
  std::string seen = Param(c, "seen");
  size_t posts = s.post ? m.periods.at(period->ToString()).posts.size() : 0;
  if (s.post && seen != std::to_string(posts)) {
    return refuse(Fill(t, "month_err_posted_twice", s.post->recorded.LocalDate().ToString()));
  }
  if (Param(c, "confirm") != "yes") return refuse(Text(t, "month_err_confirm"));
  engine::WorkflowEntry e;
  e.village = m.code;
  e.period = period->ToString();
  e.scorer = c.account->scorer;
  std::string head = Param(c, "head");
  if (head.size() == 64) e.head = head;  // the board the clerk saw; admission compares
  e.id = engine::DefaultWorkflowId(m, "P", e.period);
  ledger::Record r = engine::WorkflowRecord(ledger::RecordType::kPost, e);
  village.reset();
  auto refusal = Write(app, c, r, t);
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) return refuse((*refusal)->second);
  MonthDone(c, r.period, "posted");
}

void MonthObject(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  Timestamp now = Timestamp::Now();
  MonthForm f{OneLine(Param(c, "target")), OneLine(Param(c, "reason")), OneLine(Param(c, "name"))};
  auto village = LoadVillage(app, c.account->village, std::nullopt, now.LocalDate());
  if (!village) return RenderNoVillage(c, village);
  const engine::VillageModel& m = village->model;
  auto period = VillagePeriod(m, c.params[0]);
  if (!period) return RenderMonth(app, c, c.params[0], 404, f);
  engine::WorkflowEntry e;
  e.village = m.code;
  e.period = period->ToString();
  if (f.target.empty()) {
    f.errors["target"] = Text(t, "month_err_target_empty");
  } else if (!PlainText(f.target) || f.target.size() > ledger::kCodeBytesMax) {
    f.errors["target"] = Text(t, "month_err_bad_target");
  } else if (m.households.count(f.target)) {
    e.household = f.target;
  } else {
    auto seq = f.target.size() <= ledger::kCodeBytesMax ? village->reader->FindKey(m.code, f.target)
                                                        : std::nullopt;
    auto target = seq ? village->reader->Get(*seq)
                      : Result<ledger::Record>(Status::InvalidInput("no such id"));
    bool event = target.ok() && (target->type == ledger::RecordType::kAward ||
                                 target->type == ledger::RecordType::kRedeem);
    if (!event) f.errors["target"] = Fill(t, "month_err_target_unknown", f.target);
    e.target = f.target;
  }
  if (std::string bad = CheckText(f.reason, true, kReasonCharsMax, t); !bad.empty())
    f.errors["reason"] = bad;
  if (std::string bad = CheckText(f.name, true, kNameCharsMax, t); !bad.empty())
    f.errors["name"] = bad;
  engine::PeriodStatus s = engine::StatusOf(m, *period, now);
  if (s.state != engine::PeriodState::kNotice) {
    f.errors["object"] = Fill(t, "month_err_not_notice", StateWords(s, t));
  }
  if (!f.errors.empty()) return RenderMonth(app, c, c.params[0], 422, f);
  e.reason = f.reason;
  e.filed_by = f.name;
  if (m.scorers.count(c.account->scorer)) e.scorer = c.account->scorer;  // the clerk who took it
  e.id = engine::DefaultWorkflowId(m, "O", e.period);
  ledger::Record r = engine::WorkflowRecord(ledger::RecordType::kObjection, e);
  village.reset();
  auto refusal = Write(app, c, r, t);
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) {
    f.errors[(*refusal)->first == "target" ? "target" : "object"] = (*refusal)->second;
    return RenderMonth(app, c, c.params[0], 422, f);
  }
  MonthDone(c, r.period, "objected");
}

void MonthRule(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  MonthForm f;
  f.rule_objection = Param(c, "objection");
  f.rule_decision = Param(c, "decision");
  f.rule_reason = OneLine(Param(c, "reason"));
  auto refuse = [&](const std::string& key, const std::string& text) {
    f.errors[key] = text;
    RenderMonth(app, c, c.params[0], 422, f);
  };
  auto village = LoadVillage(app, c.account->village, std::nullopt, Today());
  if (!village) return RenderNoVillage(c, village);
  const engine::VillageModel& m = village->model;
  auto period = VillagePeriod(m, c.params[0]);
  if (!period) return RenderMonth(app, c, c.params[0], 404, f);
  auto o = m.objections.find(f.rule_objection);
  if (o == m.objections.end() || o->second.period != period->ToString()) {
    return refuse("general", Fill(t, "month_err_no_objection", f.rule_objection));
  }
  if (o->second.ruling) {
    return refuse("general",
                  Fill(t, "month_err_ruled",
                       f.rule_objection + " " +
                           Text(t, o->second.ruling->upheld ? "month_upheld" : "month_dismissed")));
  }
  if (std::string bad = ActorProblem(m, *c.account, period->FirstDay(), t); !bad.empty())
    return refuse("rule", bad);
  if (f.rule_decision != "upheld" && f.rule_decision != "dismissed") {
    return refuse("rule", Text(t, "month_err_decision"));
  }
  if (std::string bad = CheckText(f.rule_reason, true, kReasonCharsMax, t); !bad.empty()) {
    return refuse("rule", Text(t, "month_err_rule_reason") + bad);
  }
  engine::WorkflowEntry e;
  e.village = m.code;
  e.target = f.rule_objection;
  e.scorer = c.account->scorer;
  e.reason = f.rule_reason;
  e.outcome = f.rule_decision;
  ledger::Record r = engine::WorkflowRecord(ledger::RecordType::kRuling, e);
  village.reset();
  auto refusal = Write(app, c, r, t);
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) return refuse("rule", (*refusal)->second);
  MonthDone(c, period->ToString(), "ruled");
}

// ---- a villager's objection from the card page ----

// The household's records of `period` with an id (what an objection can name), as the replay
// counts them for the household.
json HouseholdRecords(App& app, const engine::VillageModel& model, Date from, Date to,
                      const Period& period, const std::string& household,
                      const std::string& selected, const json& t) {
  LoadedVillage loaded = std::optional<VillageView>();
  const engine::VillageModel* m = &model;
  if (engine::ReplayStart(model, period) < from || to < period.LastDay()) {
    loaded = LoadVillage(app, model.code, std::nullopt, period.LastDay());
    if (loaded) LoadPeriods(loaded, period, period.LastDay());
    if (!loaded) return json::array();
    m = &loaded->model;
  }
  engine::ReplayOptions options;
  options.detail_household = household;
  auto figures = engine::Replay(*m, period, period, options);
  json out = json::array();
  if (!figures.ok()) return out;
  for (const auto& f : figures->back().households) {
    if (f.household != household) continue;
    for (const auto& e : f.events) {
      if (e.record->id.empty()) continue;
      // Short enough for a phone's select: the date, whose, what and the points counted.
      json row = EventRow(*m, e, t);
      bool award = e.record->type == ledger::RecordType::kAward;
      std::string who(award ? e.record->subject.str() : e.record->household.str());
      std::string name = SubjectName(*m, who);
      std::string what = e.item
                             ? e.item->name
                             : std::string(award ? e.record->item.str() : e.record->reward.str());
      std::string label = row["date"].get<std::string>() + " " + (name.empty() ? who : name) + " " +
                          what + " " + row["counted"].get<std::string>();
      out.push_back(
          {{"id", e.record->id}, {"label", label}, {"selected", e.record->id == selected}});
    }
  }
  return out;
}

// The award or redemption `target` in words ("DATE ITEM"), when it counts for `household` (its
// subject, a member on its date, or the redeeming household); nullopt otherwise.
std::optional<std::string> TargetOfHousehold(const ledger::Reader& reader,
                                             const engine::VillageModel& m,
                                             const std::string& target,
                                             const std::string& household) {
  auto r = RecordOf(reader, m, target);
  if (!r || household.empty() || HouseholdOfRecord(m, *r) != household) return std::nullopt;
  const engine::Adoption* a = m.RulesInForce(r->date);
  if (r->type == ledger::RecordType::kRedeem) {
    const grammar::Reward* reward = a ? a->rules->FindReward(r->reward) : nullptr;
    return r->date.ToString() + " " + (reward ? reward->name : r->reward);
  }
  const grammar::Item* item = a ? a->rules->FindItem(r->item) : nullptr;
  return r->date.ToString() + " " + SubjectName(m, r->subject) + " " +
         (item ? item->name : r->item);
}

json HouseholdObjections(App& app, const engine::VillageModel& m, const std::string& household,
                         const std::string& filed, const json& t) {
  json out = json::array();
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return out;
  for (const auto& [id, o] : m.objections) {
    std::optional<std::string> about;
    if (o.target.empty()) {
      if (o.household == household) about = Text(t, "month_card_figures");
    } else {
      about = TargetOfHousehold(**reader, m, o.target, household);
    }
    if (!about) continue;
    std::string state = !o.ruling          ? Text(t, "month_awaiting_ruling")
                        : o.ruling->upheld ? Text(t, "month_upheld") + "：" + o.ruling->reason
                                           : Text(t, "month_dismissed") + "：" + o.ruling->reason;
    out.push_back({{"id", o.id},
                   {"period", o.period},
                   {"about", *about},
                   {"reason", o.reason},
                   {"filed_on", o.recorded.LocalDate().ToString()},
                   {"state", state},
                   {"just_filed", o.id == filed}});
  }
  return out;
}

void CardObject(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  const std::string& code = c.params[0];
  const std::string& household = c.params[1];
  if (!app.accounts().IsCardToken(code, household, c.params[2])) {
    return RenderError(c, 404, "card_invalid");
  }
  Timestamp now = Timestamp::Now();
  auto village = LoadVillage(app, code, std::nullopt, now.LocalDate());
  if (!village || !village->model.households.count(household))
    return RenderNoVillage(c, village, "card_invalid");
  CardObjectionForm f{Param(c, "period"), Param(c, "target"), OneLine(Param(c, "reason")),
                      OneLine(Param(c, "name"))};
  const engine::VillageModel& m = village->model;
  std::vector<Period> open = engine::PeriodsOnNotice(m, now);
  std::optional<Period> period;
  for (const Period& p : open) {
    if (f.period.empty() || p.ToString() == f.period) {
      period = p;
      break;
    }
  }
  if (!period) {
    f.errors["general"] = Text(t, "month_err_card_not_notice");
    return RenderHouseholdPage(app, c, 422, f);
  }
  f.period = period->ToString();
  if (!f.target.empty()) {
    // `m` holds no events: an empty window makes HouseholdRecords load the period's.
    json records =
        HouseholdRecords(app, m, Date::FromCivil(9999, 12, 31), Date(), *period, household, "", t);
    bool ours = false;
    for (const json& r : records) ours = ours || r["id"] == f.target;
    if (!ours) f.errors["target"] = Fill(t, "month_err_card_target", period->ToString());
  }
  if (std::string bad = CheckText(f.reason, true, kReasonCharsMax, t); !bad.empty())
    f.errors["reason"] = bad;
  if (std::string bad = CheckText(f.name, false, kNameCharsMax, t); !bad.empty())
    f.errors["name"] = bad;
  if (!f.errors.empty()) return RenderHouseholdPage(app, c, 422, f);
  std::string slot = "objection:" + c.request->remote_addr;
  if (!app.TakeSlot(slot, app.options().objections_per_address_max,
                    app.options().objections_window_seconds, now.utc_seconds)) {
    f.errors["general"] = Text(t, "month_err_card_limit");
    return RenderHouseholdPage(app, c, 429, f);
  }
  engine::WorkflowEntry e;
  e.village = code;
  e.period = f.period;
  if (f.target.empty()) {
    e.household = household;
  } else {
    e.target = f.target;
  }
  e.reason = f.reason;
  // Who filed it, as the office would write it down: the name given, and the card it came from.
  e.filed_by = (f.name.empty() ? "" : f.name + "，") + household + " 户积分卡";
  e.id = engine::DefaultWorkflowId(m, "O", e.period);
  ledger::Record r = engine::WorkflowRecord(ledger::RecordType::kObjection, e);
  village.reset();
  auto refusal = Write(app, c, r, t);
  if (!refusal.ok() || *refusal) app.ReturnSlot(slot, now.utc_seconds);
  if (!refusal.ok()) return RenderError(c, 500, "error");
  if (*refusal) {
    f.errors["general"] = (*refusal)->second;
    return RenderHouseholdPage(app, c, 422, f);
  }
  Redirect(c, "/h/" + code + "/" + household + "/" + c.params[2] +
                  "?filed=" + EncodeQueryParam(r.id) + LangSuffix(c, '&') + "#my-objections");
}

}  // namespace

json CardObjections(App& app, const engine::VillageModel& model, Date events_from, Date events_to,
                    const std::string& household, const CardObjectionForm& form, const json& t) {
  Timestamp now = Timestamp::Now();
  json periods = json::array();
  for (const Period& p : engine::PeriodsOnNotice(model, now)) {
    engine::PeriodStatus s = engine::StatusOf(model, p, now);
    json records =
        HouseholdRecords(app, model, events_from, events_to, p, household, form.target, t);
    periods.push_back({{"period", p.ToString()},
                       {"notice_until", s.notice_until ? s.notice_until->ToString() : ""},
                       {"records", records},
                       {"selected", p.ToString() == form.period}});
  }
  json objections = HouseholdObjections(app, model, household, form.filed, t);
  json ctx{
      {"objection_periods", periods},         {"objection_open", !periods.empty()},
      {"household_objections", objections},   {"has_household_objections", !objections.empty()},
      {"objection_reason", form.reason},      {"objection_name", form.name},
      {"objection_errors", form.errors},      {"objection_failed", !form.errors.empty()},
      {"several_periods", periods.size() > 1}};
  if (!form.filed.empty()) ctx["objection_filed"] = form.filed;
  return ctx;
}

std::vector<Route> MonthRoutes() {
  static const std::vector<std::string> kClerk{"clerk"};
  const std::string period = R"(([0-9]{4}-(?:[0-9]{2}|Q[1-4])))";
  std::vector<Route> routes{
      {"GET", "/review", kClerk, ReviewPage, "/review"},
      {"POST", "/review/approve", kClerk, ReviewApprove, "/review/approve"},
      {"POST", "/review/reject", kClerk, ReviewReject, "/review/reject"},
      {"GET", "/month", kClerk, MonthLatest, "/month"},
      {"GET", "/month/" + period, kClerk, MonthPage, "/month/2024-01"},
      {"POST", "/month/" + period + "/post", kClerk, MonthPost, "/month/2024-01/post"},
      {"POST", "/month/" + period + "/object", kClerk, MonthObject, "/month/2024-01/object"},
      {"POST", "/month/" + period + "/rule", kClerk, MonthRule, "/month/2024-01/rule"},
      {"POST",
       R"(/h/([A-Za-z0-9_-]{1,32})/([^/]{1,64})/([0-9a-f]{1,64})/object)",
       {"public"},
       CardObject,
       "/h/W/H1/00/object",
       kCardCookie},
  };
  routes.back().fill_visitor = FillCardToken;
  // These forms check their text fields themselves (CheckText) and show each refusal beside its
  // field, keeping the form; their other fields are codes looked up in the ledger.
  for (Route& route : routes) route.shows_text_errors = route.method == "POST";
  return routes;
}

}  // namespace jifen::web
