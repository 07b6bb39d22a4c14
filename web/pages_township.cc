// The township's and the auditor's pages: every village side by side with charts over the months
// (engine::Compare, the figures of `jifen compare`), a village's audit as of any moment
// (engine::Audit, `jifen audit`), and the ledger's verification (`jifen verify`).
#include "web/http.h"

#include <cstdio>

#include "engine/compare.h"
#include "ledger/evidence.h"
#include "ledger/record_type.h"
#include "util/time_label.h"
#include "web/page_util.h"
#include "web/routes.h"
#include "web/svg_chart.h"

namespace jifen::web {
namespace {

using nlohmann::json;

// The period a township page shows: ?period=, else the latest month that has ended.
std::optional<Period> PeriodAsked(const RequestContext& c) {
  std::string text = c.request->Param("period");
  if (!text.empty()) return Period::Parse(text);
  return Period::Containing(Timestamp::Now().LocalDate(), PeriodKind::kMonth).Previous();
}

std::string StateOf(const engine::VillageComparison& v, const json& t, bool english) {
  if (v.states.empty()) return "";
  std::string out;
  for (const auto& [period, state] : v.states) {
    if (!out.empty()) out += "；";
    out += (v.states.size() > 1 ? PeriodWords(period.ToString(), english) + " " : "") +
           t["state_" + std::string(engine::PeriodStateName(state))].get<std::string>();
  }
  return out;
}

json ComparisonRows(const engine::Comparison& comparison, const json& t, bool english) {
  json rows = json::array();
  for (const auto& v : comparison.villages) {
    std::string first = PeriodWords(v.first.ToString(), english);
    rows.push_back({{"code", v.village},
                    {"name", v.name},
                    {"periods", v.first == v.last
                                    ? first
                                    : first + "–" + PeriodWords(v.last.ToString(), english)},
                    {"quarterly", v.first.kind == PeriodKind::kQuarter},
                    {"audit_period", v.last.ToString()},
                    {"households", v.households},
                    {"participation", Percent(v.participation)},
                    {"mean", v.mean_per_household.ToPoints().ToString()},
                    {"gini", Fixed(v.gini, 2)},
                    {"negative", v.negative_records},
                    {"late", Percent(v.late_share)},
                    {"self", Percent(v.self_scoring_share)},
                    {"pending", v.pending},
                    {"state", StateOf(v, t, english)}});
  }
  return rows;
}

// What each chart of the township page draws.
struct Measure {
  const char* key;
  bool percent;
  double (*value)(const engine::VillageComparison&);
};

constexpr Measure kMeasures[] = {
    {"township_chart_participation", true,
     [](const engine::VillageComparison& v) { return v.participation; }},
    {"township_chart_mean", false,
     [](const engine::VillageComparison& v) {
       return v.mean_per_household.ToPoints().cents() / 100.0;
     }},
    {"township_chart_gini", false, [](const engine::VillageComparison& v) { return v.gini; }},
    {"township_chart_negative", false,
     [](const engine::VillageComparison& v) { return static_cast<double>(v.negative_records); }},
    {"township_chart_late", true, [](const engine::VillageComparison& v) { return v.late_share; }},
    {"township_chart_self", true,
     [](const engine::VillageComparison& v) { return v.self_scoring_share; }},
};

// The charts of the 12 months up to `period`, each village's figures of the period covering each
// month, drawn as SVG.
json MonthCharts(const ledger::Reader& reader, Period period, Timestamp now, const json& t) {
  std::vector<Period> months;
  for (Period p = period; months.size() < 12; p = p.Previous()) months.insert(months.begin(), p);
  std::vector<std::string> labels;
  for (const Period& p : months) labels.push_back(p.ToString());
  std::vector<LineChart> charts;
  for (const Measure& m : kMeasures) charts.push_back({t[m.key], labels, {}, m.percent});
  std::map<std::string, size_t> series_of;  // village -> index in every chart's series
  for (size_t i = 0; i < months.size(); ++i) {
    auto month = engine::Compare(reader, engine::ReportWindow{months[i], std::nullopt, true},
                                 std::nullopt, now);
    if (!month.ok()) continue;
    for (const auto& v : month->villages) {
      auto [it, fresh] = series_of.try_emplace(v.village, series_of.size());
      for (size_t k = 0; k < charts.size(); ++k) {
        // A quarterly village's figure for a month is its quarter's: its legend says so.
        std::string name = v.name;
        if (v.first.kind == PeriodKind::kQuarter)
          name += t["township_quarterly"].get<std::string>();
        if (fresh)
          charts[k].series.push_back({name, std::vector<std::optional<double>>(months.size())});
        charts[k].series[it->second].values[i] = kMeasures[k].value(v);
      }
    }
  }
  json svgs = json::array();
  for (const auto& chart : charts) svgs.push_back({{"svg", RenderSvg(chart)}});
  return svgs;
}

void TownshipPage(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  auto period = PeriodAsked(c);
  if (!period) return Render(c, 422, "error.html", {{"message", t["township_bad_period"]}});
  auto reader = app.ledger().Snapshot();
  if (!reader.ok()) return RenderError(c, 500, "error");
  Timestamp now = Timestamp::Now();
  engine::ReportWindow window{*period, std::nullopt, true};
  auto comparison = engine::Compare(**reader, window, std::nullopt, now);
  if (!comparison.ok())
    return Render(c, 422, "error.html", {{"message", comparison.status().message()}});
  json rows = ComparisonRows(*comparison, t, c.english);
  bool quarterly = false;
  for (const auto& row : rows) quarterly = quarterly || row["quarterly"].get<bool>();
  json svgs = MonthCharts(**reader, *period, now, t);
  json skipped = json::array();
  for (const auto& [village, why] : comparison->skipped)
    skipped.push_back({{"village", village}, {"why", why}});
  Render(c, 200, "township.html",
         {{"title", t["township_title"]},
          {"period", period->ToString()},
          {"period_words", PeriodWords(period->ToString(), c.english)},
          {"rows", rows},
          {"has_quarterly", quarterly},
          {"charts", svgs},
          {"skipped", skipped},
          {"has_skipped", !skipped.empty()},
          {"head", ledger::HashToHex((*reader)->HeadHash())}});
}

// A record kind's word in each language ("award": "award", "加分"), from the record-type table.
const ledger::RecordTypeRow* TypeRow(const std::string& name) {
  for (ledger::RecordType type : ledger::AllRecordTypes()) {
    const ledger::RecordTypeRow& row = ledger::RecordTypeInfo(type);
    if (name == row.name) return &row;
  }
  return nullptr;
}

json Ref(const engine::AuditReport& report, const engine::RecordRef& r, bool english) {
  const ledger::RecordTypeRow* kind = TypeRow(r.type);
  auto scorer = report.scorers.find(r.scorer);
  auto household = report.households.find(r.household);
  return {
      {"sequence", std::to_string(r.sequence)},
      {"type", r.type},
      {"type_en", kind ? kind->en : r.type},
      {"type_zh", kind ? kind->zh : r.type},
      {"id", r.id},
      {"date", r.date == Date() ? "" : r.date.ToString()},
      {"recorded", ClockLabel(r.recorded, english)},
      {"recorded_exact", r.recorded.ToString()},
      {"scorer", r.scorer + (scorer != report.scorers.end() ? " " + scorer->second.name : "")},
      {"household",
       r.household + (household != report.households.end() ? " " + household->second.name : "")},
      {"subject", r.subject},
      {"code", r.code},
      {"raw", r.raw.ToSignedString()},
      {"counted", r.counted.ToSignedString()},
      {"revoked", r.revoked},
      {"reason", r.reason}};
}

// A section of the audit page: its title, a note and its records.
json Section(const json& t, const std::string& key, json rows, const std::string& note = "") {
  return {{"title", t[key]},
          {"count", rows.size()},
          {"rows", rows},
          {"has_rows", !rows.empty()},
          {"note", note}};
}

// The audit's findings about records: self-scoring, concentration, late and back-dated records.
void AddFindingSections(const engine::AuditReport& r, const json& t, bool english,
                        json& sections) {
  json rows = json::array();
  for (const auto& f : r.self_scoring) {
    json row = Ref(r, f.award, english);
    row["note"] = t["township_scorer_person"].get<std::string>() + f.scorer_person;
    rows.push_back(row);
  }
  sections.push_back(Section(t, "township_self_scoring", rows));
  rows = json::array();
  for (const auto& f : r.concentration) {
    for (const auto& a : f.awards) {
      json row = Ref(r, a, english);
      row["note"] = t["township_share"].get<std::string>() + Percent(f.share);
      rows.push_back(row);
    }
  }
  sections.push_back(Section(t, "township_concentration", rows));
  rows = json::array();
  for (const auto& f : r.late) {
    json row = Ref(r, f.record, english);
    row["note"] = std::to_string(f.days_late) + t["township_days_late"].get<std::string>();
    if (!f.cites.empty())
      row["note"] = row["note"].get<std::string>() + " · " +
                    t["township_cites"].get<std::string>() + f.cites;
    rows.push_back(row);
  }
  sections.push_back(Section(t, "township_late", rows));
  rows = json::array();
  for (const auto& f : r.backdated) {
    for (const auto& rec : f.records) {
      json row = Ref(r, rec, english);
      row["note"] = PeriodWords(f.period.ToString(), english) + " " + f.household + " " +
                    (f.earned_then ? f.earned_then->ToString() : "-") + " → " +
                    f.earned_now.ToString();
      rows.push_back(row);
    }
  }
  sections.push_back(Section(t, "township_backdated", rows));
}

// The audit's lists of what changed records: revocations, overdrawn redemptions, pending and
// approved awards.
void AddChangeSections(const engine::AuditReport& r, const json& t, bool english,
                       json& sections) {
  json rows = json::array();
  for (const auto& f : r.revocations) {
    json row = Ref(r, f.target, english);
    row["note"] =
        t["township_revoked_by"].get<std::string>() + f.revoke.scorer + "：" + f.revoke.reason;
    rows.push_back(row);
  }
  sections.push_back(Section(t, "township_revocations", rows));
  rows = json::array();
  for (const auto& f : r.overdrawn) {
    json row = Ref(r, f.redemption, english);
    row["note"] = t["township_balance_after"].get<std::string>() + f.balance_after.ToString();
    rows.push_back(row);
  }
  sections.push_back(Section(t, "township_overdrawn", rows));
  rows = json::array();
  for (const auto& p : r.pending) rows.push_back(Ref(r, p, english));
  sections.push_back(Section(t, "township_pending", rows));
  rows = json::array();
  for (const auto& a : r.approvals) {
    json row = Ref(r, a.award, english);
    row["note"] = t["township_approved_by"].get<std::string>() + a.approver +
                  (a.posted ? t["township_after_post"].get<std::string>() : "");
    rows.push_back(row);
  }
  sections.push_back(Section(t, "township_approvals", rows));
}

json ObjectionRows(const engine::AuditReport& r, const json& t, bool english) {
  json objections = json::array();
  for (const auto& o : r.objections) {
    std::string ruling = !o.ruling
                             ? t["township_open"].get<std::string>()
                             : (o.ruling->upheld ? t["township_upheld"] : t["township_dismissed"])
                                       .get<std::string>() +
                                   "：" + o.ruling->reason;
    objections.push_back({{"id", o.id},
                          {"period", PeriodWords(o.period, english)},
                          {"target", o.target.empty() ? o.household : o.target},
                          {"reason", o.reason},
                          {"filed_by", o.filed_by},
                          {"ruling", ruling}});
  }
  return objections;
}

json VersionRows(const engine::AuditReport& r) {
  json versions = json::array();
  for (const auto& v : r.rules) {
    versions.push_back({{"sha", v.sha256.substr(0, 12)},
                        {"effective", v.effective.ToString()},
                        {"approved_by", v.approved_by}});
  }
  return versions;
}

void AuditPage(App& app, RequestContext& c) {
  const json& t = Strings(c.english);
  const std::string& village = c.params[0];
  if (c.account->role == "clerk" && c.account->village != village)
    return RenderError(c, 403, "forbidden");
  auto period = Period::Parse(c.params[1]);
  if (!period) return Render(c, 404, "error.html", {{"message", t["township_bad_period"]}});
  std::optional<Timestamp> as_of;
  std::string as_of_text = c.request->Param("as_of");
  if (!as_of_text.empty()) {
    as_of = ParseAsOf(as_of_text);
    if (!as_of)
      return Render(c, 422, "error.html",
                    {{"message", t["township_bad_as_of"].get<std::string>() + as_of_text}});
  }
  auto report = engine::Audit(app.ledger(), village,
                              engine::ReportWindow{*period, std::nullopt, true}, as_of);
  if (!report.ok()) {
    return Render(
        c, 404, "error.html",
        {{"message", t["township_no_audit"].get<std::string>() + report.status().message()}});
  }
  const engine::AuditReport& r = *report;
  json sections = json::array();
  AddFindingSections(r, t, c.english, sections);
  AddChangeSections(r, t, c.english, sections);
  json objections = ObjectionRows(r, t, c.english);
  json workflow = json::array();
  for (const auto& w : r.workflow)
    workflow.push_back({{"period", PeriodWords(w.period.ToString(), c.english)}, {"state", StateText(w.status, t)}});
  std::string name = r.rules_in_force ? r.rules_in_force->village.name : village;
  Render(c, 200, "audit.html",
         {{"title", name + " " + PeriodWords(period->ToString(), c.english) + " " +
                        t["township_audit"].get<std::string>()},
          {"village", village},
          {"village_name", name},
          {"period", period->ToString()},
          {"as_of", as_of ? ClockLabel(*as_of, c.english) : ""},
          {"as_of_text", as_of_text},
          {"chain_ok", r.chain.ok},
          {"chain_records", std::to_string(r.chain.records)},
          {"chain_head", r.chain.head},
          {"chain_reason", r.chain.reason},
          {"sections", sections},
          {"objections", objections},
          {"has_objections", !objections.empty()},
          {"workflow", workflow},
          {"versions", VersionRows(r)}});
}

void VerifyPage(App& app, RequestContext& c) {
  auto report = app.ledger().Verify();
  if (!report.ok()) return RenderError(c, 500, "error");
  json ctx{{"title", Strings(c.english)["township_verify"]},
           {"records", std::to_string(report->records)},
           {"head", ledger::HashToHex(report->head)},
           {"ok", !report->first_bad}};
  if (report->first_bad) {
    ctx["first_bad"] = std::to_string(*report->first_bad);
    ctx["reason"] = report->reason;
  } else {
    auto reader = app.ledger().Snapshot();
    if (!reader.ok()) return RenderError(c, 500, "error");
    auto evidence = ledger::CheckEvidence(app.options().ledger_dir, **reader);
    if (!evidence.ok()) return RenderError(c, 500, "error");
    ctx["evidence_files"] = std::to_string(evidence->files_checked);
    json problems = json::array();
    for (const auto& p : evidence->problems)
      problems.push_back({{"id", p.id}, {"reason", p.reason}});
    ctx["problems"] = problems;
    ctx["ok"] = problems.empty();
  }
  Render(c, 200, "verify.html", ctx);
}

}  // namespace

std::vector<Route> TownshipRoutes() {
  return {
      {"GET", "/township", {"township", "auditor"}, TownshipPage, "/township"},
      {"GET",
       R"(/audit/([A-Za-z0-9_-]{1,32})/([0-9]{4}-(?:[0-9]{2}|Q[1-4])))",
       {"township", "auditor", "clerk"},
       AuditPage,
       "/audit/W/2024-01"},
      {"GET", "/verify", {"township", "auditor"}, VerifyPage, "/verify"},
  };
}

}  // namespace jifen::web
