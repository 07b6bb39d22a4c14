#include "engine/audit.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "engine/annual.h"

namespace jifen::engine {
namespace {

using ledger::Record;
using ledger::RecordType;

bool Counts(const EventResult& r) {
  return r.outcome == Outcome::kCounted || r.outcome == Outcome::kCapped;
}

RecordRef RefOf(const EventResult& r) {
  const Event& e = *r.record;
  bool award = e.type == RecordType::kAward;
  RecordRef ref;
  ref.sequence = e.sequence;
  ref.type = ledger::RecordTypeName(e.type);
  ref.id = e.id;
  ref.date = e.date;
  ref.recorded = e.recorded;
  ref.scorer = e.scorer;
  ref.subject = award ? e.subject : e.household;
  ref.household = r.household;
  ref.code = award ? e.item : e.reward;
  ref.raw = r.raw;
  ref.counted = r.counted;
  ref.revoked = r.outcome == Outcome::kRevoked;
  return ref;
}

RecordRef RefOfRevocation(const std::string& target, const Revocation& v) {
  RecordRef ref;
  ref.sequence = v.sequence;
  ref.type = "revoke";
  ref.id = target;
  ref.recorded = v.recorded;
  ref.scorer = v.scorer;
  ref.reason = v.reason;
  return ref;
}

// Every event of the window by id, so that revocations can name what they revoked.
using EventsById = std::unordered_map<std::string, const EventResult*>;

EventsById IndexEvents(const std::vector<PeriodFigures>& periods) {
  EventsById by_id;
  for (const PeriodFigures& p : periods) {
    for (const EventResult& r : p.events) {
      if (!r.record->id.empty()) by_id[r.record->id] = &r;
    }
  }
  return by_id;
}

ChainState ChainOf(const ledger::VerifyReport& v) {
  ChainState c;
  c.records = v.records;
  c.head = ledger::HashToHex(v.head);
  c.ok = !v.first_bad.has_value();
  c.first_bad = v.first_bad;
  c.reason = v.reason;
  return c;
}

void FindPerEvent(const VillageModel& model, const PeriodFigures& p, AuditReport& report) {
  ScoredOwnHousehold self_scored(model);
  for (const EventResult& r : p.events) {
    const Event& e = *r.record;
    if (e.type == RecordType::kAward && self_scored(r)) {
      const Scorer& s = model.scorers.at(e.scorer);
      report.self_scoring.push_back({RefOf(r), s.person});
    }
    if (int days = DaysLate(e, p.period); days > 0) {
      report.late.push_back({RefOf(r), p.period, days, p.adoption->rules->village.late_days_max, {}});
    }
    if (model.IsRevoked(e.id)) {
      report.revocations.push_back({RefOfRevocation(e.id, model.revocations.at(e.id)), RefOf(r)});
    }
  }
}

// Pending awards, approvals (late ones: after the period was posted), and the period's workflow.
void FindReview(const VillageModel& model, const PeriodFigures& p, Timestamp at,
                AuditReport& report) {
  std::optional<Timestamp> first_post;
  if (auto it = model.periods.find(p.period.ToString()); it != model.periods.end()) {
    if (!it->second.posts.empty()) first_post = it->second.posts.front().recorded;
    for (const std::string& id : it->second.objections)
      report.objections.push_back(model.objections.at(id));
  }
  for (const EventResult& r : p.events) {
    const Event& e = *r.record;
    if (e.type != RecordType::kAward) continue;
    if (r.outcome == Outcome::kPending) report.pending.push_back(RefOf(r));
    const Approval* a = model.approvals.Find(e.id);
    if (a == nullptr) continue;
    ApprovalFinding f{RefOf(r), a->sequence, a->scorer, a->recorded, std::nullopt};
    if (first_post && *first_post < a->recorded) f.posted = first_post;
    report.approvals.push_back(std::move(f));
  }
  report.workflow.push_back({p.period, StatusOf(model, p.period, at)});
}

// Records recorded after `redemption` that lowered the household's balance before its date:
// revocations of its awards and back-dated negative awards.
std::vector<RecordRef> OverdrawCauses(const VillageModel& model, const PeriodFigures& p,
                                      const EventsById& by_id, const EventResult& redemption) {
  const Event& x = *redemption.record;
  std::vector<RecordRef> causes;
  std::unordered_map<std::string, const Event*> loaded;
  for (const Event& e : model.events) {
    if (!e.id.empty()) loaded[e.id] = &e;
  }
  for (const auto& [target, v] : model.revocations) {
    auto it = loaded.find(target);
    if (v.sequence < x.sequence || it == loaded.end()) continue;
    const Event& e = *it->second;
    if (e.type != RecordType::kAward || e.date > x.date) continue;
    const std::string* household = model.HouseholdOfSubject(e.subject, e.date);
    if (!household || *household != redemption.household) continue;
    RecordRef ref = RefOfRevocation(target, v);
    if (auto t = by_id.find(target); t != by_id.end())
      ref.raw = -t->second->raw;  // what the revoke took back
    causes.push_back(std::move(ref));
  }
  for (const EventResult& r : p.events) {
    const Event& e = *r.record;
    if (e.type == RecordType::kAward && e.sequence > x.sequence && e.date <= x.date &&
        r.household == redemption.household && r.counted < Points()) {
      causes.push_back(RefOf(r));
    }
  }
  std::sort(causes.begin(), causes.end(),
            [](const RecordRef& a, const RecordRef& b) { return a.sequence < b.sequence; });
  return causes;
}

// Replays each household's balance in (date, sequence) order the way admission checks it:
// carried + base + counted awards so far - redemptions so far (bonuses arrive at period end).
void FindOverdrawn(const VillageModel& model, const PeriodFigures& p, const EventsById& by_id,
                   AuditReport& report) {
  std::map<std::string, Points> running;
  for (const HouseholdFigures& f : p.households) running[f.household] = f.carried + f.base;
  for (const EventResult& r : p.events) {
    if (r.household.empty() || !Counts(r)) continue;
    if (r.record->type == RecordType::kAward) {
      running[std::string(r.household)] += r.counted;
      continue;
    }
    Points& balance = running[std::string(r.household)];
    balance -= r.counted;
    if (balance < Points()) {
      report.overdrawn.push_back({RefOf(r), p.period, balance, OverdrawCauses(model, p, by_id, r)});
    }
  }
}

struct Tally {
  int awards = 0;
  Points points;
  std::vector<const EventResult*> events;
};

ConcentrationFinding MakeConcentration(const std::string& scorer, const Tally& of_scorer,
                                       const std::string& household, const Tally& given,
                                       Points household_others, Points others) {
  ConcentrationFinding c;
  c.scorer = scorer;
  c.scorer_awards = of_scorer.awards;
  c.scorer_points = of_scorer.points;
  c.household = household;
  c.household_awards = given.awards;
  c.household_points = given.points;
  c.household_points_others = household_others;
  c.points_others = others;
  c.share = given.points.ToDouble() / of_scorer.points.ToDouble();
  if (household_others > Points())
    c.lift = c.share / (household_others.ToDouble() / others.ToDouble());
  for (const EventResult* r : given.events) c.awards.push_back(RefOf(*r));
  return c;
}

// docs/AUDIT.md "Concentration": over positive counted points, a scorer s and a household h,
// lift = (P_sh / P_s) / ((P_h - P_sh) / (P - P_s)), compared exactly in integers.
std::vector<ConcentrationFinding> FindConcentration(const std::vector<PeriodFigures>& periods,
                                                    const AuditOptions& o) {
  std::map<std::string, std::map<std::string, Tally>> by_scorer;
  std::map<std::string, Tally> of_scorer;
  std::map<std::string, Points> of_household;
  Points all;
  for (const PeriodFigures& p : periods) {
    for (const EventResult& r : p.events) {
      if (r.record->type != RecordType::kAward || !Counts(r) || r.counted <= Points() ||
          r.household.empty())
        continue;
      Tally& t = by_scorer[r.record->scorer][std::string(r.household)];
      t.awards += 1;
      t.points += r.counted;
      t.events.push_back(&r);
      of_scorer[r.record->scorer].awards += 1;
      of_scorer[r.record->scorer].points += r.counted;
      of_household[std::string(r.household)] += r.counted;
      all += r.counted;
    }
  }
  std::vector<ConcentrationFinding> out;
  for (const auto& [scorer, households] : by_scorer) {
    const Tally& s = of_scorer[scorer];
    Points others = all - s.points;
    if (s.awards < o.scorer_awards_min || others <= Points()) continue;  // nobody to compare with
    for (const auto& [household, t] : households) {
      Points household_others = of_household[household] - t.points;
      __int128 hp = t.points.cents(), sp = s.points.cents();
      bool share_ok = hp * 100 >= static_cast<__int128>(o.share_percent_min) * sp;
      bool lift_ok = hp * others.cents() * 100 >=
                     static_cast<__int128>(o.lift_min.cents()) * sp * household_others.cents();
      if (t.awards >= o.household_awards_min && share_ok && lift_ok) {
        out.push_back(MakeConcentration(scorer, s, household, t, household_others, others));
      }
    }
  }
  return out;
}

std::vector<RecordRef> BackdatingRecords(const VillageModel& model, const PeriodFigures& now,
                                         const EventsById& by_id, const std::string& household,
                                         uint64_t seq_then) {
  std::vector<RecordRef> records;
  for (const EventResult& r : now.events) {
    // A late record that reaches no figure (capped away, revoked) changed nothing by itself.
    if (r.household == household && r.record->sequence > seq_then && r.counted != Points()) {
      records.push_back(RefOf(r));
    }
  }
  for (const auto& [target, v] : model.revocations) {
    auto t = by_id.find(target);
    if (v.sequence <= seq_then || t == by_id.end()) continue;
    const EventResult& r = *t->second;
    if (r.household != household || PeriodOf(model, r.record->date) != now.period) continue;
    RecordRef ref = RefOfRevocation(target, v);
    ref.raw = r.record->type == RecordType::kAward ? -r.raw : r.raw;
    records.push_back(std::move(ref));
  }
  std::sort(records.begin(), records.end(),
            [](const RecordRef& a, const RecordRef& b) { return a.sequence < b.sequence; });
  return records;
}

// Compares one period's figures as published (as of the end of its last day, +08:00) with now.
Status FindBackdated(const ledger::Reader& reader, const VillageModel& model,
                     const PeriodFigures& now, const EventsById& by_id, Timestamp horizon,
                     AuditReport& report) {
  Timestamp published = *ParseAsOf(now.period.LastDay().ToString());
  if (horizon < published) return Status::Ok();  // not yet published in the view audited
  uint64_t seq_then = std::min(reader.SequenceAsOf(published), model.sequence_max);
  if (seq_then == model.sequence_max) return Status::Ok();
  auto then_model =
      LoadWindow(reader, model.code, seq_then, ReportWindow{now.period, std::nullopt});
  if (!then_model.ok()) return Status::Ok();  // nothing was published then (no rules, no village)
  auto then = Replay(then_model->model, now.period, now.period);
  if (!then.ok()) return Status::Ok();
  std::map<std::string, const HouseholdFigures*> before;
  for (const HouseholdFigures& f : then->back().households) before[f.household] = &f;
  std::vector<const HouseholdFigures*> by_code;
  for (const HouseholdFigures& f : now.households) by_code.push_back(&f);
  std::sort(by_code.begin(), by_code.end(),
            [](const HouseholdFigures* a, const HouseholdFigures* b) {
              return a->household < b->household;
            });
  for (const HouseholdFigures* now_figures : by_code) {
    const HouseholdFigures& f = *now_figures;
    auto it = before.find(f.household);
    const HouseholdFigures* b = it == before.end() ? nullptr : it->second;
    if (b && b->earned == f.earned && b->rank == f.rank && b->titles == f.titles) continue;
    BackdatedFinding d;
    d.period = now.period;
    d.published = published;
    d.household = f.household;
    if (b) {
      d.earned_then = b->earned;
      d.rank_then = b->rank;
      d.titles_then = b->titles;
    }
    d.earned_now = f.earned;
    d.rank_now = f.rank;
    d.titles_now = f.titles;
    d.records = BackdatingRecords(model, now, by_id, f.household, seq_then);
    report.backdated.push_back(std::move(d));
  }
  return Status::Ok();
}

}  // namespace

Result<AuditReport> Audit(ledger::Ledger& ledger, const std::string& village,
                          const ReportWindow& window, const std::optional<Timestamp>& as_of,
                          const AuditOptions& options) {
  AuditReport report;
  report.village = village;
  report.options = options;
  auto verified = ledger.Verify();
  if (!verified.ok()) return verified.status();
  report.chain = ChainOf(*verified);
  auto reader = ledger.Snapshot();
  if (!reader.ok()) return reader.status();
  const ledger::Reader& r = **reader;
  report.sequence_max = as_of ? r.SequenceAsOf(*as_of) : r.HeadSequence();
  auto loaded = LoadWindow(r, village, report.sequence_max, window);
  ReplayOptions replay_options;
  replay_options.keep_events = true;
  Result<std::vector<PeriodFigures>> periods = Status::InvalidInput("not replayed");
  if (loaded.ok()) periods = Replay(loaded->model, loaded->first, loaded->last, replay_options);
  if (!loaded.ok() || !periods.ok()) {
    const Status& s = loaded.ok() ? periods.status() : loaded.status();
    if (report.chain.ok) return s;
    report.load_error = s.message();
    return report;
  }
  const VillageModel& model = loaded->model;
  report.scorers = model.scorers;
  report.households = model.households;
  report.first = loaded->first;
  report.last = loaded->last;
  report.rules_in_force = periods->back().adoption->rules;
  report.rules = RulesVersions(model, report.first, report.last);
  EventsById by_id = IndexEvents(*periods);
  Timestamp horizon = as_of ? *as_of : r.LatestRecorded().value_or(Timestamp{});
  for (const PeriodFigures& p : *periods) {
    FindPerEvent(model, p, report);
    FindOverdrawn(model, p, by_id, report);
    FindReview(model, p, as_of.value_or(Timestamp::Now()), report);
    Status s = FindBackdated(r, model, p, by_id, horizon, report);
    if (!s.ok()) return s;
  }
  report.concentration = FindConcentration(*periods, options);
  // A late award may be the correction an upheld objection called for: the record names it.
  for (LateFinding& l : report.late) {
    auto record = r.Get(l.record.sequence);
    if (record.ok() && record->type == RecordType::kAward) l.cites = record->target;
  }
  return report;
}

}  // namespace jifen::engine
