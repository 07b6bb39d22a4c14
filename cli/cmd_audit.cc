// audit: the fairness report of a village for a period or a year (docs/AUDIT.md). Findings are
// data: the exit code is 0 with findings, 3 when the hash chain is broken (the report still
// prints).
#include <cmath>
#include <iostream>

#include "cli/clerk_input.h"
#include "cli/commands.h"
#include "cli/words.h"
#include "engine/audit.h"

namespace jifen::cli {
namespace {

using engine::AuditReport;
using engine::RecordRef;

std::string Lift(const engine::ConcentrationFinding& c) { return c.lift ? Fixed(*c.lift, 2) : "∞"; }

Json RefJson(const RecordRef& r) {
  Json j{{"sequence", r.sequence}, {"type", r.type}, {"id", r.id}};
  if (r.type != "revoke") j["date"] = r.date.ToString();
  j["recorded"] = r.recorded.ToString();
  j["scorer"] = r.scorer;
  if (r.type == "revoke") {
    j["reason"] = r.reason;
    j["points"] = JsonPoints(r.raw);
    return j;
  }
  j["subject"] = r.subject;
  j["household"] = r.household;
  j["code"] = r.code;
  j["raw"] = JsonPoints(r.raw);
  j["counted"] = JsonPoints(r.counted);
  j["revoked"] = r.revoked;
  return j;
}

Json RefsJson(const std::vector<RecordRef>& refs) {
  Json out = Json::array();
  for (const RecordRef& r : refs) out.push_back(RefJson(r));
  return out;
}

// "#12 a1, #15 revoke a2 (-2)": records a reader can look up with `jifen log`. A table shows the
// first few and how many more (JSON lists them all).
std::string Cite(const std::vector<RecordRef>& refs, Words w) {
  constexpr size_t kShownMax = 4;
  std::vector<std::string> parts;
  for (const RecordRef& r : refs) {
    if (parts.size() == kShownMax) {
      parts.push_back(w("… ", "…另 ") + std::to_string(refs.size() - kShownMax) +
                      w(" more (--format json lists all)", " 条（--format json 列出全部）"));
      break;
    }
    std::string part = "#" + std::to_string(r.sequence) + " ";
    if (r.type == "revoke") part += std::string(w("revoke ", "撤销 "));
    part += r.id + " " +
            (r.type == "revoke"   ? r.raw
             : r.type == "redeem" ? -r.raw
                                  : r.counted)
                .ToSignedString();
    parts.push_back(part);
  }
  return Join(parts, ", ");
}

Json ReportJson(const AuditReport& r, const std::optional<int>& year,
                const std::optional<std::string>& as_of) {
  Json j{{"village", r.village}, {"name", r.rules_in_force ? r.rules_in_force->village.name : ""}};
  if (year)
    j["year"] = *year;
  else
    j["period"] = r.first.ToString();
  j["first"] = r.first.ToString();
  j["last"] = r.last.ToString();
  if (as_of) j["as_of"] = *as_of;
  j["max_sequence"] = r.sequence_max;
  j["chain"] = {{"ok", r.chain.ok},
                {"records", r.chain.records},
                {"head", r.chain.head},
                {"first_bad", r.chain.first_bad ? Json(*r.chain.first_bad) : Json()},
                {"reason", r.chain.reason}};
  if (!r.load_error.empty()) j["error"] = r.load_error;
  Json rules = Json::array();
  for (const auto& v : r.rules) {
    std::vector<std::string> periods;
    for (const Period& p : v.periods) periods.push_back(p.ToString());
    rules.push_back({{"sequence", v.sequence},
                     {"sha256", v.sha256},
                     {"effective", v.effective.ToString()},
                     {"recorded", v.recorded.ToString()},
                     {"approved_by", v.approved_by},
                     {"periods", periods}});
  }
  j["rules"] = rules;
  const auto& o = r.options;
  j["concentration_rule"] = {{"lift_min", JsonPoints(o.lift_min)},
                             {"scorer_awards_min", o.scorer_awards_min},
                             {"household_awards_min", o.household_awards_min},
                             {"share_percent_min", o.share_percent_min}};
  return j;
}

// One finding of each kind, as FindingsJson lists it (docs/AUDIT.md).
Json ConcentrationJson(const auto& c) {
  return {{"scorer", c.scorer},
          {"scorer_awards", c.scorer_awards},
          {"scorer_points", JsonPoints(c.scorer_points)},
          {"household", c.household},
          {"household_awards", c.household_awards},
          {"household_points", JsonPoints(c.household_points)},
          {"household_points_others", JsonPoints(c.household_points_others)},
          {"points_others", JsonPoints(c.points_others)},
          {"share", RoundDecimals(c.share, 3)},
          {"lift", c.lift ? Json(RoundDecimals(*c.lift, 3)) : Json()},
          {"records", RefsJson(c.awards)}};
}

Json BackdatedJson(const auto& b) {
  return {{"period", b.period.ToString()},
          {"published", b.published.ToString()},
          {"household", b.household},
          {"earned_then", b.earned_then ? JsonPoints(*b.earned_then) : Json()},
          {"earned_now", JsonPoints(b.earned_now)},
          {"rank_then", b.earned_then ? Json(b.rank_then) : Json()},
          {"rank_now", b.rank_now},
          {"titles_then", b.titles_then},
          {"titles_now", b.titles_now},
          {"records", RefsJson(b.records)}};
}

Json ApprovalJson(const auto& a) {
  return {{"sequence", a.sequence},
          {"approver", a.approver},
          {"recorded", a.recorded.ToString()},
          {"after_post", a.posted.has_value()},
          {"posted", a.posted ? Json(a.posted->ToString()) : Json()},
          {"award", RefJson(a.award)}};
}

Json ObjectionJson(const auto& o) {
  return {{"sequence", o.sequence},
          {"id", o.id},
          {"period", o.period},
          {"target", o.target.empty() ? Json() : Json(o.target)},
          {"household", o.household.empty() ? Json() : Json(o.household)},
          {"reason", o.reason},
          {"filed_by", o.filed_by},
          {"recorded", o.recorded.ToString()},
          {"ruling", o.ruling ? Json{{"sequence", o.ruling->sequence},
                                     {"id", o.ruling->id},
                                     {"outcome", o.ruling->upheld ? "upheld" : "dismissed"},
                                     {"scorer", o.ruling->scorer},
                                     {"reason", o.ruling->reason},
                                     {"recorded", o.ruling->recorded.ToString()}}
                              : Json()}};
}

// The first findings: self-scoring, concentration, late and back-dated records.
void AddRecordFindingsJson(const AuditReport& r, Json& j) {
  j["self_scoring"] = Json::array();
  for (const auto& f : r.self_scoring) {
    Json x = RefJson(f.award);
    x["scorer_person"] = f.scorer_person;
    j["self_scoring"].push_back(x);
  }
  j["concentration"] = Json::array();
  for (const auto& c : r.concentration) j["concentration"].push_back(ConcentrationJson(c));
  j["late"] = Json::array();
  for (const auto& l : r.late) {
    Json x = RefJson(l.record);
    x["period"] = l.period.ToString();
    x["days_late"] = l.days_late;
    x["late_days_max"] = l.late_days_max ? Json(*l.late_days_max) : Json();
    if (!l.cites.empty()) x["cites_objection"] = l.cites;
    j["late"].push_back(x);
  }
  j["backdated"] = Json::array();
  for (const auto& b : r.backdated) j["backdated"].push_back(BackdatedJson(b));
}

Json FindingsJson(const AuditReport& r) {
  Json j;
  AddRecordFindingsJson(r, j);
  j["revocations"] = Json::array();
  for (const auto& v : r.revocations)
    j["revocations"].push_back({{"revoke", RefJson(v.revoke)}, {"target", RefJson(v.target)}});
  j["pending"] = RefsJson(r.pending);
  j["approvals"] = Json::array();
  for (const auto& a : r.approvals) j["approvals"].push_back(ApprovalJson(a));
  j["workflow"] = Json::array();
  for (const auto& w : r.workflow) {
    Json x{{"period", w.period.ToString()}};
    AddStatusJson(w.status, &x);
    j["workflow"].push_back(std::move(x));
  }
  j["objections"] = Json::array();
  for (const auto& o : r.objections) j["objections"].push_back(ObjectionJson(o));
  j["overdrawn"] = Json::array();
  for (const auto& o : r.overdrawn) {
    j["overdrawn"].push_back({{"redemption", RefJson(o.redemption)},
                              {"period", o.period.ToString()},
                              {"balance_after", JsonPoints(o.balance_after)},
                              {"causes", RefsJson(o.causes)}});
  }
  return j;
}

class AuditPrinter {
 public:
  AuditPrinter(const AuditReport& r, Words w) : r_(r), w_(w) {}

  std::string Scorer(const std::string& code) const {
    auto s = r_.scorers.find(code);
    return s == r_.scorers.end()
               ? code
               : code + " " + s->second.name + w_(" (", "（") + s->second.role + w_(")", "）");
  }
  std::string Household(const std::string& code) const {
    auto h = r_.households.find(code);
    return h == r_.households.end() ? code : code + " " + h->second.name;
  }
  void Heading(const char* en, const char* cn, size_t count) const {
    std::cout << '\n' << w_(en, cn) << " (" << count << ")\n";
  }
  void Print(const Table& t) const {
    if (t.empty()) {
      std::cout << w_("none\n", "无\n");
    } else {
      t.Print(std::cout);
    }
  }
  void Chain() const;
  void Rules() const;
  void SelfScoring() const;
  void Concentration() const;
  void Late() const;
  void Backdated() const;
  void Revocations() const;
  void Overdrawn() const;
  void Workflow() const;
  void Pending() const;
  void Approvals() const;

 private:
  std::vector<std::string> RecordHeaders() const {
    return w_.zh ? std::vector<std::string>{">序号", "编号", "日期", "采集人",
                                            "对象",  "户",   "项目", ">分值"}
                 : std::vector<std::string>{">seq",    "id",        "date", "scorer",
                                            "subject", "household", "item", ">points"};
  }
  std::vector<std::string> RecordCells(const RecordRef& x) const {
    Points p = x.type == "redeem" ? -x.raw : x.raw;
    return {std::to_string(x.sequence),
            x.id,
            x.date.ToString(),
            Scorer(x.scorer),
            x.subject,
            Household(x.household),
            x.code,
            p.ToSignedString() + (x.revoked ? w_(" (revoked)", "（已撤销）") : "")};
  }
  const AuditReport& r_;
  Words w_;
};

void AuditPrinter::Chain() const {
  std::cout << w_("Ledger chain: ", "账本哈希链：");
  if (r_.chain.ok) {
    std::cout << w_("ok, ", "完好，") << r_.chain.records << w_(" records, head ", " 条记录，链头 ")
              << r_.chain.head << '\n';
  } else {
    std::cout << w_("BROKEN at sequence ", "已损坏，首个错误序号 ")
              << r_.chain.first_bad.value_or(0) << ": " << r_.chain.reason << w_(" (", "（")
              << r_.chain.records << w_(" records verified)\n", " 条记录通过）\n");
  }
}

void AuditPrinter::Rules() const {
  for (const auto& v : r_.rules) {
    std::cout << w_("Rules in force: ", "适用规则：") << v.sha256 << w_(", effective ", "，生效 ")
              << v.effective.ToString() << w_(", adopted ", "，录入 ") << v.recorded.ToString()
              << w_(", approved by ", "，通过：")
              << (v.approved_by.empty() ? w_("(not recorded)", "（未记录）") : v.approved_by)
              << w_(", periods ", "，适用期 ") << v.periods.front().ToString()
              << (v.periods.size() > 1 ? ".." + v.periods.back().ToString() : std::string())
              << '\n';
  }
}

void AuditPrinter::SelfScoring() const {
  Heading("Self-scoring: awards a scorer recorded on their own household", "自评：采集人给本户记分",
          r_.self_scoring.size());
  auto headers = RecordHeaders();
  headers.push_back(w_("scorer's person", "采集人本人"));
  Table t(headers);
  for (const auto& f : r_.self_scoring) {
    auto cells = RecordCells(f.award);
    cells.push_back(f.scorer_person);
    t.AddRow(cells);
  }
  Print(t);
}

void AuditPrinter::Concentration() const {
  const auto& o = r_.options;
  std::cout
      << '\n'
      << w_("Scorer concentration", "采集人集中度") << " (" << r_.concentration.size() << ")\n"
      << w_("lift = the household's share of the scorer's positive points / its share of the other scorers' "
            "positive points; flagged at lift >= ",
            "提升度 = 该户占此采集人正分的比例 ÷ 该户占其他采集人正分的比例；标记条件：提升度 ≥ ")
      << o.lift_min.ToString() << w_(", share >= ", "，占比 ≥ ") << o.share_percent_min << "%"
      << w_(", scorer with >= ", "，采集人正分记录 ≥ ") << o.scorer_awards_min
      << w_(" positive awards, >= ", " 条，给该户 ≥ ") << o.household_awards_min
      << w_(" to the household\n", " 条\n");
  Table t(w_.zh ? std::vector<std::string>{"采集人", "户", ">条数", ">分数", ">占比",
                                           ">他人给分占比", ">提升度", "记录"}
                : std::vector<std::string>{"scorer", "household", ">awards", ">points", ">share",
                                           ">others' share", ">lift", "records"});
  for (const auto& c : r_.concentration) {
    t.AddRow({Scorer(c.scorer), Household(c.household),
              std::to_string(c.household_awards) + "/" + std::to_string(c.scorer_awards),
              c.household_points.ToString() + "/" + c.scorer_points.ToString(), Percent(c.share),
              Percent(c.household_points_others.ToDouble() / c.points_others.ToDouble()), Lift(c),
              Cite(c.awards, w_)});
  }
  Print(t);
}

void AuditPrinter::Late() const {
  Heading("Late records: recorded after their period ended", "补录：期末之后录入的记录",
          r_.late.size());
  auto headers = RecordHeaders();
  for (const char* h :
       {w_("period", "期间"), w_("recorded", "录入时间"), w_(">days late", ">迟录天数")})
    headers.push_back(h);
  Table t(headers);
  for (const auto& l : r_.late) {
    auto cells = RecordCells(l.record);
    cells.push_back(l.period.ToString());
    cells.push_back(l.record.recorded.ToString());
    cells.push_back(std::to_string(l.days_late) +
                    (l.late_days_max ? "/" + std::to_string(*l.late_days_max) : std::string()) +
                    (l.cites.empty() ? "" : w_(", cites objection ", "，依据异议 ") + l.cites));
    t.AddRow(cells);
  }
  Print(t);
}

void AuditPrinter::Backdated() const {
  Heading("Back-dated changes to published periods (figures as of the period's last day vs now)",
          "已公示期间的事后变动（期末当日 24 时的数字与现在相比）", r_.backdated.size());
  Table t(w_.zh ? std::vector<std::string>{"期间", "户", ">当时得分", ">现在得分", ">当时名次",
                                           ">现在名次", "当时称号", "现在称号", "造成变动的记录"}
                : std::vector<std::string>{"period", "household", ">earned then", ">earned now",
                                           ">rank then", ">rank now", "titles then", "titles now",
                                           "records"});
  for (const auto& b : r_.backdated) {
    t.AddRow(
        {b.period.ToString(), Household(b.household),
         b.earned_then ? b.earned_then->ToString() : "—", b.earned_now.ToString(),
         b.earned_then ? std::to_string(b.rank_then) : "—", std::to_string(b.rank_now),
         Join(b.titles_then, " "), Join(b.titles_now, " "),
         b.records.empty() ? w_("(others' records)", "（他户记录所致）") : Cite(b.records, w_)});
  }
  Print(t);
}

void AuditPrinter::Revocations() const {
  Heading("Revocations", "撤销记录", r_.revocations.size());
  Table t(w_.zh ? std::vector<std::string>{">序号", "录入时间", "撤销人", "原因", ">原记录序号",
                                           "原记录", "日期", "户", "项目", ">分值"}
                : std::vector<std::string>{">seq", "recorded", "by", "reason", ">target seq",
                                           "target", "date", "household", "item", ">points"});
  for (const auto& v : r_.revocations) {
    const RecordRef& x = v.target;
    t.AddRow({std::to_string(v.revoke.sequence), v.revoke.recorded.ToString(),
              Scorer(v.revoke.scorer), v.revoke.reason, std::to_string(x.sequence), x.id,
              x.date.ToString(), Household(x.household), x.code,
              (x.type == "redeem" ? -x.raw : x.raw).ToSignedString()});
  }
  Print(t);
}

void AuditPrinter::Overdrawn() const {
  Heading("Redemptions overdrawn by later records", "因事后变动而透支的兑换", r_.overdrawn.size());
  Table t(w_.zh ? std::vector<std::string>{">序号", "编号", "日期", "户", "奖品", ">扣分",
                                           ">兑换后余额", "原因"}
                : std::vector<std::string>{">seq", "id", "date", "household", "reward", ">cost",
                                           ">balance after", "caused by"});
  for (const auto& o : r_.overdrawn) {
    const RecordRef& x = o.redemption;
    t.AddRow({std::to_string(x.sequence), x.id, x.date.ToString(), Household(x.household), x.code,
              x.raw.ToString(), o.balance_after.ToString(), Cite(o.causes, w_)});
  }
  Print(t);
}

void AuditPrinter::Workflow() const {
  Heading("Posting and objections", "公示与异议", r_.workflow.size());
  Table t(w_.zh ? std::vector<std::string>{"期间", "状态"}
                : std::vector<std::string>{"period", "state"});
  for (const auto& w : r_.workflow) t.AddRow({w.period.ToString(), StatusText(w.status, w_.zh)});
  Print(t);
  if (r_.objections.empty()) return;
  Table o(w_.zh
              ? std::vector<std::string>{">序号", "编号", "期间", "对象", "事由", "提出人", "裁定"}
              : std::vector<std::string>{">seq", "id", "period", "about", "reason", "filed by",
                                         "ruling"});
  for (const auto& x : r_.objections) {
    std::string ruling = !x.ruling ? w_("awaiting", "待裁定")
                                   : std::string(x.ruling->upheld ? w_("upheld", "成立")
                                                                  : w_("dismissed", "不成立")) +
                                         " #" + std::to_string(x.ruling->sequence) + " " +
                                         Scorer(x.ruling->scorer) + ": " + x.ruling->reason;
    o.AddRow({std::to_string(x.sequence), x.id, x.period,
              x.target.empty() ? Household(x.household) : x.target, x.reason, x.filed_by, ruling});
  }
  o.Print(std::cout);
}

void AuditPrinter::Pending() const {
  Heading("Awards still waiting for review (not counted)", "待审核的记录（未计分）",
          r_.pending.size());
  Table t(RecordHeaders());
  for (const auto& x : r_.pending) t.AddRow(RecordCells(x));
  Print(t);
}

void AuditPrinter::Approvals() const {
  size_t late = 0;
  for (const auto& a : r_.approvals) late += a.posted.has_value();
  Heading("Approvals: who approved whose records", "审核：谁审核了谁的记录", r_.approvals.size());
  std::cout << w_("approved after the period was posted: ", "公示之后才审核通过：") << late << '\n';
  // Approver x recorder counts, then every approval after posting in full.
  std::map<std::pair<std::string, std::string>, int> pairs;
  for (const auto& a : r_.approvals) ++pairs[{a.approver, a.award.scorer}];
  Table t(w_.zh ? std::vector<std::string>{"审核人", "采集人", ">条数"}
                : std::vector<std::string>{"approver", "recorded by", ">awards"});
  for (const auto& [who, n] : pairs)
    t.AddRow({Scorer(who.first), Scorer(who.second), std::to_string(n)});
  Print(t);
  if (late == 0) return;
  auto headers = RecordHeaders();
  for (const char* h :
       {w_("approver", "审核人"), w_("approved", "审核时间"), w_("posted", "公示时间")})
    headers.push_back(h);
  Table after(headers);
  for (const auto& a : r_.approvals) {
    if (!a.posted) continue;
    auto cells = RecordCells(a.award);
    cells.push_back(Scorer(a.approver));
    cells.push_back(a.recorded.ToString());
    cells.push_back(a.posted->ToString());
    after.AddRow(cells);
  }
  after.Print(std::cout);
}

// One flat CSV of every finding, for a spreadsheet.
void PrintCsv(const AuditReport& r) {
  Table t({"kind", "sequence", "type", "id", "date", "recorded", "scorer", "subject", "household",
           "code", "raw", "counted", "detail"});
  auto row = [&](const char* kind, const RecordRef& x, const std::string& detail) {
    t.AddRow({kind, std::to_string(x.sequence), x.type, x.id,
              x.type == "revoke" ? "" : x.date.ToString(), x.recorded.ToString(), x.scorer,
              x.subject, x.household, x.code, x.raw.ToString(), x.counted.ToString(), detail});
  };
  for (const auto& f : r.self_scoring)
    row("self_scoring", f.award, "scorer person " + f.scorer_person);
  for (const auto& c : r.concentration) {
    for (const auto& a : c.awards)
      row("concentration", a, c.scorer + "->" + c.household + " lift " + Lift(c));
  }
  for (const auto& l : r.late)
    row("late", l.record,
        std::to_string(l.days_late) + " days after " + l.period.ToString() +
            (l.cites.empty() ? "" : "; cites objection " + l.cites));
  for (const auto& b : r.backdated) {
    std::string detail = b.period.ToString() + " " + b.household + " earned " +
                         (b.earned_then ? b.earned_then->ToString() : "-") + "->" +
                         b.earned_now.ToString();
    if (b.records.empty())
      t.AddRow({"backdated", "", "", "", "", "", "", "", b.household, "", "", "", detail});
    for (const auto& x : b.records) row("backdated", x, detail);
  }
  for (const auto& v : r.revocations)
    row("revocation", v.target,
        "revoked by #" + std::to_string(v.revoke.sequence) + " " + v.revoke.scorer + ": " +
            v.revoke.reason);
  for (const auto& o : r.overdrawn)
    row("overdrawn", o.redemption, "balance after " + o.balance_after.ToString());
  for (const auto& x : r.pending) row("pending", x, "waiting for review");
  for (const auto& a : r.approvals) {
    row(a.posted ? "approved_after_post" : "approval", a.award,
        "approved by " + a.approver + " #" + std::to_string(a.sequence) + " at " +
            a.recorded.ToString() + (a.posted ? ", posted " + a.posted->ToString() : ""));
  }
  t.PrintCsv(std::cout);
}

}  // namespace

Result<engine::ReportWindow> ParseWindowArgs(const std::string& period, int year) {
  engine::ReportWindow window;
  // A year written as a period ("2022年") is the year.
  if (std::optional<int> y = YearOfPeriodText(period); y && year == 0) {
    window.year = *y;
    return window;
  }
  if (period.empty() == (year == 0)) return Status::Usage("give either --period or --year");
  if (year != 0) {
    window.year = year;
    return window;
  }
  auto p = ParsePeriodArg(period);
  if (!p.ok()) return p.status();
  window.period = *p;
  return window;
}

int RunAudit(const Globals& g, const std::string& village, const std::string& period, int year,
             const std::optional<std::string>& as_of, const std::string& concentration) {
  auto window = ParseWindowArgs(period, year);
  if (!window.ok()) return Fail(window.status());
  auto t = ParseAsOfArg(as_of);
  if (!t.ok()) return Fail(t.status());
  engine::AuditOptions options;
  if (!concentration.empty()) {
    auto lift = Points::Parse(concentration);
    if (!lift || *lift <= Points())
      return Fail(Status::Usage("--concentration " + concentration + ": not a positive number"));
    options.lift_min = *lift;
  }
  auto ledger = OpenLedger(g);
  if (!ledger.ok()) return Fail(ledger.status());
  auto report = engine::Audit(**ledger, village, *window, *t, options);
  if (!report.ok()) return Fail(report.status());
  const AuditReport& r = *report;
  int rc = r.chain.ok ? 0 : 3;
  if (g.format == Format::kJson) {
    Json j = ReportJson(r, window->year, as_of);
    Json findings = FindingsJson(r);
    for (auto& [key, value] : findings.items()) j[key] = value;
    std::cout << j.dump() << '\n';
    return rc;
  }
  if (g.format == Format::kCsv) {
    PrintCsv(r);
    return rc;
  }
  Words w{r.rules_in_force ? Chinese(g, *r.rules_in_force) : g.lang == "zh"};
  AuditPrinter out(r, w);
  std::cout << (r.rules_in_force ? r.rules_in_force->village.name + " (" + village + ") "
                                 : village + " ")
            << (window->year ? std::to_string(*window->year) : r.first.ToString())
            << w(" audit", " 审计报告")
            << (as_of ? std::string(w(", as of ", "，截至 ")) + *as_of : "") << '\n';
  out.Chain();
  if (!r.load_error.empty()) {
    std::cout << w("The village could not be read: ", "无法读取本村记录：") << r.load_error << '\n';
    return rc;
  }
  out.Rules();
  out.SelfScoring();
  out.Concentration();
  out.Late();
  out.Backdated();
  out.Revocations();
  out.Overdrawn();
  out.Pending();
  out.Approvals();
  out.Workflow();
  return rc;
}

}  // namespace jifen::cli
