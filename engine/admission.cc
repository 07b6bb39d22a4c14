#include "engine/admission.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "engine/household_events.h"
#include "engine/model.h"
#include "engine/refusal.h"
#include "engine/replay.h"
#include "engine/workflow.h"
#include "grammar/parser.h"

namespace jifen::engine {
namespace {

using ledger::Record;
using ledger::RecordType;
using Refused = std::optional<Refusal>;

const Date kBeginning = Date::FromCivil(1, 1, 1);

bool IsPendingAward(const VillageModel& m, RecordType type, Date date, std::string_view scorer,
                    std::string_view id) {
  if (type != RecordType::kAward) return false;
  const Adoption* a = m.RulesInForce(date);
  return a && m.IsPending(*a->rules, scorer, id);
}
const Date kEnd = Date::FromCivil(9999, 12, 31);
// A village as admission knows it, kept current as the batch appends records.
struct VillageState {
  VillageModel model;  // structure only: rules, households, people, moves, scorers, revocations
  // Household -> every person who ever belonged to it: whose awards can count for it.
  std::unordered_map<std::string, std::vector<std::string>> members_ever;
  // Its awards and redemptions from some day on, read at the first redemption that needs them.
  std::unique_ptr<HouseholdEvents> events;
  uint64_t used = 0;  // when `events` was last needed (least recently used are dropped first)
  // The model's households and people by code number (std::map's nodes never move): every award
  // looks its subject up, and a hash is cheaper than a walk down a tree of strings.
  CodeTable codes;
  std::vector<const Household*> households;
  std::vector<const Person*> persons;

  void AddMember(const std::string& household, const std::string& person) {
    auto& members = members_ever[household];
    if (std::find(members.begin(), members.end(), person) == members.end())
      members.push_back(person);
  }
  void Index(const std::string& code, const Household* household, const Person* person) {
    uint32_t id = codes.Intern(code);
    if (households.size() <= id) households.resize(id + 1), persons.resize(id + 1);
    if (household) households[id] = household;
    if (person) persons[id] = person;
  }
  const Household* FindHousehold(std::string_view code) const {
    auto id = codes.Find(code);
    return id ? households[*id] : nullptr;
  }
  const Person* FindPerson(std::string_view code) const {
    auto id = codes.Find(code);
    return id ? persons[*id] : nullptr;
  }
};

using Villages = std::unordered_map<std::string, std::unique_ptr<VillageState>>;

// Villages' structure as the last import left it, kept between imports with the chain head it is
// valid at: the web admits each award with an import of its own, and loading the village's
// structure (registrations, approvals, rules) was most of the cost of admitting one award. An
// entry is used only by a batch that starts at that head; the chain head names every record
// before it, so no other write (another process, another ledger) can be mistaken for none.
class StructureCache {
 public:
  // `village` as of `head`, taken out of the cache; nullptr when it is not kept at that head.
  std::unique_ptr<VillageState> Take(const ledger::Hash& head, const std::string& village) {
    std::lock_guard lock(mutex_);
    if (head != head_) return nullptr;
    auto it = villages_.find(village);
    if (it == villages_.end()) return nullptr;
    std::unique_ptr<VillageState> v = std::move(it->second);
    villages_.erase(it);
    return v;
  }
  // Keeps the villages of a batch that went from `before` to `after`, as it left them. Villages
  // kept at `before` and not in the batch are valid at `after` too (the batch took out every
  // village it touched); kept at another head, they are dropped.
  void Keep(const ledger::Hash& before, const ledger::Hash& after, Villages villages) {
    std::lock_guard lock(mutex_);
    if (head_ != before) villages_.clear();
    head_ = after;
    for (auto& [code, v] : villages) {
      v->events.reset();  // events are read again when a redemption needs them: memory
      v->used = ++clock_;
      villages_[code] = std::move(v);
    }
    while (villages_.size() > kVillagesMax) {
      auto oldest = villages_.begin();
      for (auto it = villages_.begin(); it != villages_.end(); ++it) {
        if (it->second->used < oldest->second->used) oldest = it;
      }
      villages_.erase(oldest);
    }
  }

 private:
  static constexpr size_t kVillagesMax = 64;
  std::mutex mutex_;
  ledger::Hash head_{};
  Villages villages_;
  uint64_t clock_ = 0;
};

// One per process, never destroyed: freeing every kept village at exit would cost a CLI import
// what it saves.
StructureCache& KeptStructures() {
  static StructureCache& cache = *new StructureCache;
  return cache;
}

// Holds the villages a batch touches. Awards and registrations are checked against a village's
// structure alone; only redemptions need events, and only those of their household.
class Admission {
 public:
  Admission(ledger::WriteBatch& batch, Timestamp now, size_t events_bytes_max)
      : batch_(batch), now_(now), events_bytes_max_(events_bytes_max), start_(batch.HeadHash()) {}

  // Returns why `r` is refused, or nullopt. Sets `*skip` when `r` is already in the ledger.
  Refused Check(Record& r, bool* skip);
  // The language of the rules `village` adopted last (nullopt: none, or the village could not be
  // read, failure() then says why).
  std::optional<grammar::Language> RulesLanguage(const std::string& village);
  Status Append(Record& r);
  const Status& failure() const { return failure_; }
  // The chain head the batch started from, and the villages it touched as it leaves them.
  const ledger::Hash& start() const { return start_; }
  Villages TakeVillages() {
    last_ = nullptr;
    return std::move(villages_);
  }

 private:
  VillageState* Get(const std::string& village);
  HouseholdEvents* Events(VillageState& v, Date from);
  void Trim(const VillageState& keep);
  VillageModel HouseholdModel(const VillageState& v, const std::string& household) const;
  Refused CheckKey(const Record& r, const std::string& key, bool* skip);
  Refused CheckRegistration(VillageModel& m, const Record& r);
  Refused CheckAward(const VillageState& v, const Record& r);
  Refused CheckAwardSubject(const VillageState& v, const Record& r, const grammar::Item& item,
                            const std::string** household);
  Refused CheckRevoke(VillageModel& m, const Record& r);
  Refused CheckRedeem(VillageState& v, const Record& r);
  Refused CheckBalance(VillageState& v, const Record& r, HouseholdEvents& events, Period p,
                       const grammar::Reward& reward);
  Refused CheckScorer(VillageModel& m, const Record& r);
  Refused CheckDates(const VillageModel& m, const Record& r, bool late_applies);
  Refused CheckCorrection(const VillageModel& m, const Record& r);
  Refused CheckLocked(const VillageModel& m, Date day, const Record& r);
  // The award or redemption `id` names in the village into `*out`, or the refusal `missing`.
  Refused Target(const Record& r, const std::string& id, RefusalCode missing, Record* out);
  Refused CheckApprove(VillageState& v, const Record& r);
  Refused CheckPost(VillageModel& m, Record& r);
  Refused CheckObjection(VillageModel& m, const Record& r);
  Refused CheckRuling(VillageModel& m, const Record& r);
  // The period `text` names into `*out`, checked against the rules in force on its first day.
  Refused PeriodNamed(const VillageModel& m, const std::string& text, Period* out);
  // A refusal for what the batch could not read (the import fails with failure_ anyway).
  static Refusal Unreadable(const Status& s) { return {RefusalCode::kCheckFailed, {s.message()}}; }

  ledger::WriteBatch& batch_;
  Timestamp now_;
  size_t events_bytes_max_;
  ledger::Hash start_;
  Villages villages_;
  VillageState* last_ = nullptr;  // the village of the previous line (files often keep to one)
  uint64_t clock_ = 0;
  size_t events_loaded_last_ = 0;        // villages are alike: the next load will be about as large
  std::vector<Event> household_events_;  // reused by every redemption check
  Status failure_;
};

VillageState* Admission::Get(const std::string& village) {
  if (last_ && last_->model.code == village) return last_;
  auto it = villages_.find(village);
  if (it != villages_.end()) return last_ = it->second.get();
  if (auto kept = KeptStructures().Take(start_, village)) {
    // As the last batch left it; the records appended since are other villages'.
    kept->model.sequence_max = batch_.HeadSequence();
    kept->used = 0;
    return last_ = (villages_[village] = std::move(kept)).get();
  }
  // Structure only (an empty event window): events are read when a redemption needs them.
  auto loaded = LoadVillageStructure(batch_, village, batch_.HeadSequence());
  if (!loaded.ok()) {
    failure_ = loaded.status();
    return nullptr;
  }
  VillageState& v = *(villages_[village] = std::make_unique<VillageState>());
  v.model = std::move(*loaded);
  std::vector<Event>().swap(v.model.events);
  for (const auto& [code, person] : v.model.persons) {
    for (const auto& [day, household] : person.memberships) v.AddMember(household, code);
    v.Index(code, nullptr, &person);
  }
  for (const auto& [code, household] : v.model.households) v.Index(code, &household, nullptr);
  return last_ = &v;
}

// The village's events dated `from` on (and those of the batch as it appends them).
HouseholdEvents* Admission::Events(VillageState& v, Date from) {
  v.used = ++clock_;
  if (v.events && v.events->from() <= from) return v.events.get();
  if (v.events) from = std::min(from, v.events->from());
  v.events.reset();
  const std::string& village = v.model.code;
  uint64_t head = batch_.HeadSequence();
  // When the village has no events before `from`, all of them are the same set: then hold them
  // all, so that no later check (an earlier period, a total stock) needs a wider window.
  std::optional<Date> first;
  Status s =
      batch_.ForEachEventView(village, kBeginning, kEnd, head, [&](const ledger::EventView& e) {
        first = e.date;
        return false;
      });
  if (s.ok() && (!first || *first >= from)) from = kBeginning;
  auto events = std::make_unique<HouseholdEvents>(from, events_loaded_last_);
  if (s.ok()) {
    s = batch_.ForEachEventView(village, from, kEnd, head, [&](const ledger::EventView& e) {
      events->Add({.sequence = e.sequence,
                   .date = e.date,
                   .type = e.type,
                   .qty = e.qty,
                   .subject = e.subject,
                   .item = e.item,
                   .household = e.household,
                   .reward = e.reward,
                   .revoked = v.model.IsRevoked(e.id),
                   .pending = IsPendingAward(v.model, e.type, e.date, e.scorer, e.id)});
      return true;
    });
  }
  if (!s.ok()) {
    failure_ = s;
    return nullptr;
  }
  v.events = std::move(events);
  events_loaded_last_ = v.events->size();
  Trim(v);
  return v.events.get();
}

// Drops the least recently used villages' events while they hold more than the budget.
void Admission::Trim(const VillageState& keep) {
  for (;;) {
    size_t bytes = 0;
    VillageState* oldest = nullptr;
    for (auto& [code, v] : villages_) {
      if (!v->events) continue;
      bytes += v->events->MemoryBytes();
      if (v.get() != &keep && (!oldest || v->used < oldest->used)) oldest = v.get();
    }
    if (bytes <= events_bytes_max_ || !oldest) return;
    oldest->events.reset();
  }
}

// The part of the village a replay of `household` reads: its rules, the household, every person
// who ever belonged to it, and any household whose code one of them shares (a subject that is a
// household code is a household). Replaying a whole village's people per redemption costs too much.
VillageModel Admission::HouseholdModel(const VillageState& v, const std::string& household) const {
  const VillageModel& m = v.model;
  VillageModel h;
  h.code = m.code;
  h.sequence_max = m.sequence_max;
  h.adoptions = m.adoptions;
  h.households.emplace(household, m.households.at(household));
  if (auto members = v.members_ever.find(household); members != v.members_ever.end()) {
    for (const std::string& person : members->second) {
      h.persons.emplace(person, m.persons.at(person));
      if (auto same = m.households.find(person); same != m.households.end())
        h.households.insert(*same);
    }
  }
  return h;
}

// A key already in the ledger: the same record again (skipped) or a refusal.
Refused Admission::CheckKey(const Record& r, const std::string& key, bool* skip) {
  auto seq = batch_.FindKey(r.village, key);
  if (!seq) return std::nullopt;
  auto existing = batch_.Get(*seq);
  if (!existing.ok()) {
    failure_ = existing.status();
    return Unreadable(existing.status());
  }
  // A post without "head" is the same post whatever head import filled in.
  Record unfilled;
  bool head_unnamed =
      r.type == RecordType::kPost && r.sha256.empty() && existing->type == RecordType::kPost;
  if (head_unnamed) unfilled = *existing, unfilled.sha256.clear();
  if (ledger::SameContent(r, head_unnamed ? unfilled : *existing)) {
    *skip = true;
    return std::nullopt;
  }
  std::string sequence = std::to_string(*seq);
  if (r.type == RecordType::kRevoke)
    return Refusal{RefusalCode::kAlreadyRevoked, {r.target, sequence}};
  if (r.type == RecordType::kApprove)
    return Refusal{RefusalCode::kAlreadyApproved, {r.target, sequence}};
  if (!r.id.empty()) return Refusal{RefusalCode::kIdTaken, {r.id, sequence}};
  if (r.type == RecordType::kMove)
    return Refusal{RefusalCode::kMoveTaken, {r.code, r.date.ToString(), sequence}};
  if (r.type == RecordType::kHousehold)
    return Refusal{RefusalCode::kHouseholdTaken, {r.code, sequence}};
  if (r.type == RecordType::kPerson) return Refusal{RefusalCode::kPersonTaken, {r.code, sequence}};
  return Refusal{RefusalCode::kScorerTaken, {r.code, sequence}};
}

Refused Admission::Check(Record& r, bool* skip) {
  *skip = false;
  std::string key = ledger::KeyOf(r);
  if (!key.empty()) {
    if (auto taken = CheckKey(r, key, skip); taken || *skip) return taken;
  }
  if (auto latest = batch_.LatestRecorded(); latest && r.recorded < *latest) {
    return Refusal{RefusalCode::kRecordedBeforeLatest, {r.recorded.ToString(), latest->ToString()}};
  }
  if (now_ < r.recorded) return Refusal{RefusalCode::kRecordedInFuture, {r.recorded.ToString()}};
  VillageState* v = Get(r.village);
  if (!v) return Unreadable(failure_);
  VillageModel& m = v->model;
  if (m.adoptions.empty()) return Refusal{RefusalCode::kNoRulesAdopted, {r.village}};
  switch (r.type) {
    case RecordType::kHousehold:
    case RecordType::kPerson:
    case RecordType::kMove:
      return CheckRegistration(m, r);
    case RecordType::kScorer:
      return CheckScorer(m, r);
    case RecordType::kAward:
      return CheckAward(*v, r);
    case RecordType::kRevoke:
      return CheckRevoke(m, r);
    case RecordType::kRedeem:
      return CheckRedeem(*v, r);
    case RecordType::kApprove:
      return CheckApprove(*v, r);
    case RecordType::kPost:
      return CheckPost(m, r);
    case RecordType::kObjection:
      return CheckObjection(m, r);
    case RecordType::kRuling:
      return CheckRuling(m, r);
    case RecordType::kRules:
      return Refusal{RefusalCode::kRulesNotImported, {}};
  }
  return std::nullopt;
}

std::optional<grammar::Language> Admission::RulesLanguage(const std::string& village) {
  VillageState* v = Get(village);
  if (!v || v->model.adoptions.empty()) return std::nullopt;
  return v->model.adoptions.back().rules->language;
}

Status Admission::Append(Record& r) {
  if (Status s = batch_.Append(r); !s.ok()) return s;
  VillageState* v = Get(r.village);
  if (!v) return failure_;
  switch (r.type) {
    case RecordType::kAward:
    case RecordType::kRedeem:
      if (v->events) {
        v->events->Add({.sequence = r.sequence,
                        .date = r.date,
                        .type = r.type,
                        .qty = r.qty,
                        .subject = r.subject,
                        .item = r.item,
                        .household = r.household,
                        .reward = r.reward,
                        .revoked = false,
                        .pending = IsPendingAward(v->model, r.type, r.date, r.scorer, r.id)});
      }
      v->model.sequence_max = r.sequence;
      return Status::Ok();
    case RecordType::kRevoke:
      if (auto seq = batch_.FindKey(r.village, r.target); seq && v->events) {
        auto target = batch_.Get(*seq);
        if (!target.ok()) return target.status();
        if (target->type == RecordType::kAward || target->type == RecordType::kRedeem)
          v->events->Revoke(*target);
      }
      break;
    case RecordType::kApprove:
      if (auto seq = batch_.FindKey(r.village, r.target); seq && v->events) {
        auto target = batch_.Get(*seq);
        if (!target.ok()) return target.status();
        v->events->Approve(*target);
      }
      break;
    case RecordType::kRuling:
      // An upheld objection to a record revokes it (VillageModel::Add files the revocation).
      if (auto o = v->model.objections.find(r.target);
          v->events && r.outcome == "upheld" && o != v->model.objections.end() &&
          !o->second.target.empty() && !v->model.IsRevoked(o->second.target)) {
        if (auto seq = batch_.FindKey(r.village, o->second.target)) {
          auto target = batch_.Get(*seq);
          if (!target.ok()) return target.status();
          v->events->Revoke(*target);
        }
      }
      break;
    case RecordType::kPerson:
    case RecordType::kMove:
      v->AddMember(r.household, r.code);
      break;
    case RecordType::kRules:
    case RecordType::kHousehold:
    case RecordType::kScorer:
    case RecordType::kPost:
    case RecordType::kObjection:
      break;  // the model alone holds them
  }
  if (Status s = v->model.Add(r); !s.ok()) return s;
  if (r.type == RecordType::kHousehold) v->Index(r.code, &v->model.households.at(r.code), nullptr);
  if (r.type == RecordType::kPerson) v->Index(r.code, nullptr, &v->model.persons.at(r.code));
  return Status::Ok();
}
Refused Admission::CheckRegistration(VillageModel& m, const Record& r) {
  if (auto locked = CheckLocked(m, r.date, r)) return locked;
  if (r.type == RecordType::kHousehold) {
    if (r.shares < 0) return Refusal{RefusalCode::kSharesNegative, {r.code}};
    return std::nullopt;
  }
  if (r.type == RecordType::kMove) {
    auto p = m.persons.find(r.code);
    if (p == m.persons.end()) return Refusal{RefusalCode::kPersonNotRegistered, {r.code}};
    if (r.date < p->second.since) {
      return Refusal{RefusalCode::kMoveBeforeRegistering,
                     {r.code, r.date.ToString(), p->second.since.ToString()}};
    }
  }
  auto h = m.households.find(r.household);
  if (h == m.households.end())
    return Refusal{RefusalCode::kHomeNotRegistered, {r.code, r.household}};
  if (r.date < h->second.since) {
    return Refusal{RefusalCode::kHomeNotYet, {r.code, r.household, h->second.since.ToString()}};
  }
  return std::nullopt;
}

Refused Admission::CheckScorer(VillageModel& m, const Record& r) {
  if (!r.person.empty() && !m.persons.count(r.person)) {
    return Refusal{RefusalCode::kScorerPersonNotRegistered, {r.code, r.person}};
  }
  return std::nullopt;
}

// The date checks shared by awards and redemptions (SPEC.md §4).
Refused Admission::CheckDates(const VillageModel& m, const Record& r, bool late_applies) {
  Date recorded_day = r.recorded.LocalDate();
  if (recorded_day < r.date) {
    return Refusal{RefusalCode::kDatedAfterRecorded, {r.date.ToString(), recorded_day.ToString()}};
  }
  const Adoption* a = m.RulesInForce(r.date);
  if (!a) return Refusal{RefusalCode::kNoRulesInForce, {r.village, r.date.ToString()}};
  const auto& late = a->rules->village.late_days_max;
  if (late_applies && late) {
    Period p = Period::Containing(r.date, a->rules->village.period);
    int32_t days_late = recorded_day.days() - p.LastDay().days();
    if (days_late > *late) {
      return Refusal{RefusalCode::kTooLate,
                     {recorded_day.ToString(), std::to_string(days_late), p.ToString(),
                      std::to_string(*late)}};
    }
  }
  return std::nullopt;
}

// An award's `objection` (SPEC.md §3 "Objections and rulings"): an objection of the village to a
// household's figures, upheld by a ruling recorded before the award, about the household the
// subject counts for on the award's date and the period of that date; recorded within the rules'
// `late` days of the ruling's day (no limit without `late`).
Refused Admission::CheckCorrection(const VillageModel& m, const Record& r) {
  auto it = m.objections.find(r.target);
  if (it == m.objections.end())
    return Refusal{RefusalCode::kCitedObjectionUnknown, {r.target, r.village}};
  const Objection& o = it->second;
  if (o.household.empty()) return Refusal{RefusalCode::kCitedObjectionNotFigures, {r.target}};
  const std::string* household = m.HouseholdOfSubject(r.subject, r.date);
  if (!household || *household != o.household) {
    return Refusal{RefusalCode::kCitedObjectionOtherHousehold,
                   {r.target, o.household, r.subject}};
  }
  auto period = Period::Parse(o.period);
  if (!period || r.date < period->FirstDay() || period->LastDay() < r.date) {
    return Refusal{RefusalCode::kCitedObjectionOtherPeriod,
                   {r.target, o.period, r.date.ToString()}};
  }
  if (!o.ruling || !o.ruling->upheld || r.recorded < o.ruling->recorded)
    return Refusal{RefusalCode::kCitedObjectionNotUpheld, {r.target}};
  const Adoption* a = m.RulesInForce(r.date);
  const auto& late = a ? a->rules->village.late_days_max : std::nullopt;
  Date ruled = o.ruling->recorded.LocalDate();
  if (late && r.recorded.LocalDate().days() - ruled.days() > *late) {
    return Refusal{RefusalCode::kCitedObjectionTooLate,
                   {r.target, ruled.ToString(), std::to_string(*late)}};
  }
  return std::nullopt;
}

std::string RolesText(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& role : roles) out += (out.empty() ? "" : " | ") + role;
  return out;
}

Refused Admission::CheckAward(const VillageState& v, const Record& r) {
  const VillageModel& m = v.model;
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return Refusal{RefusalCode::kScorerNotRegistered, {r.scorer}};
  // An award citing an upheld objection to its household's figures is the correction the
  // ruling promised: taken past `late` and the period's lock, within `late` days of the ruling.
  const bool correction = !r.target.empty();
  if (correction) {
    if (auto bad = CheckCorrection(m, r)) return bad;
  }
  if (auto bad = CheckDates(m, r, !correction)) return bad;
  if (!correction) {
    if (auto locked = CheckLocked(m, r.date, r)) return locked;
  }
  const grammar::RuleFile& rules = *m.RulesInForce(r.date)->rules;
  if (r.id.empty() && !rules.village.review_roles.empty() && !m.IsReviewer(rules, r.scorer))
    return Refusal{RefusalCode::kAwardNeedsId, {r.scorer}};
  const grammar::Item* item = rules.FindItem(r.item);
  if (!item) {
    return Refusal{RefusalCode::kItemNotInRules,
                   {r.item, Period::Containing(r.date, rules.village.period).ToString()}};
  }
  const std::string* household = nullptr;
  if (auto bad = CheckAwardSubject(v, r, *item, &household)) return bad;
  if (r.qty != Quantity() && !item->unit)
    return Refusal{RefusalCode::kQtyWithoutUnit, {r.qty.ToString(), item->code}};
  if (item->evidence && r.evidence.empty())
    return Refusal{RefusalCode::kEvidenceMissing, {item->code}};
  if (!item->roles.empty() &&
      std::find(item->roles.begin(), item->roles.end(), scorer->second.role) == item->roles.end()) {
    return Refusal{RefusalCode::kItemRole,
                   {r.scorer, scorer->second.role, item->code, RolesText(item->roles)}};
  }
  if (rules.village.self == grammar::SelfScoringPolicy::kDeny && !scorer->second.person.empty()) {
    const Person* scorer_person = v.FindPerson(scorer->second.person);
    const std::string* own = scorer_person ? scorer_person->HouseholdOn(r.date) : nullptr;
    if (own && *own == *household) return Refusal{RefusalCode::kSelfDeny, {r.scorer, *household}};
  }
  return std::nullopt;
}

// The award's subject: registered on its date, of the kind the item counts; `*household` the
// household it counts for.
Refused Admission::CheckAwardSubject(const VillageState& v, const Record& r,
                                     const grammar::Item& item, const std::string** household) {
  const Household* as_household = v.FindHousehold(r.subject);
  bool is_household = as_household != nullptr;
  const Person* as_person = is_household ? nullptr : v.FindPerson(r.subject);
  if (!is_household && !as_person) return Refusal{RefusalCode::kSubjectNotRegistered, {r.subject}};
  if (item.per == grammar::Per::kHousehold && !is_household)
    return Refusal{RefusalCode::kItemPerHousehold, {item.code, r.subject}};
  if (item.per == grammar::Per::kPerson && is_household)
    return Refusal{RefusalCode::kItemPerPerson, {item.code, r.subject}};
  *household = &r.subject;
  if (is_household) {
    if (r.date < as_household->since)
      return Refusal{RefusalCode::kHouseholdNotYet, {r.subject, r.date.ToString()}};
  } else {
    *household = as_person->HouseholdOn(r.date);
    if (!*household) return Refusal{RefusalCode::kPersonNotYet, {r.subject, r.date.ToString()}};
  }
  return std::nullopt;
}

Refused Admission::CheckRevoke(VillageModel& m, const Record& r) {
  if (!m.scorers.count(r.scorer)) return Refusal{RefusalCode::kScorerNotRegistered, {r.scorer}};
  // A registration's key (household:CODE …) names no award or redemption.
  auto seq =
      ledger::ReservedKeyPrefix(r.target) ? std::nullopt : batch_.FindKey(r.village, r.target);
  if (!seq) return Refusal{RefusalCode::kNoAwardOrRedemption, {r.target, r.village}};
  if (auto it = m.revocations.find(r.target); it != m.revocations.end()) {
    return Refusal{RefusalCode::kAlreadyRevoked, {r.target, std::to_string(it->second.sequence)}};
  }
  auto target = batch_.Get(*seq);
  if (!target.ok()) {
    failure_ = target.status();
    return Unreadable(target.status());
  }
  return CheckLocked(m, target->date, r);
}

// The refusal for a record that would change a locked period: `lead` (what the code's text names
// first), then the period, its post's day and, with a notice window, the window's last day.
Refusal LockedRefusal(RefusalCode with_notice, RefusalCode without_notice,
                      std::vector<std::string> lead, const PeriodLock& lock) {
  lead.push_back(lock.period.ToString());
  lead.push_back(lock.posted.ToString());
  if (!lock.notice_until) return Refusal{without_notice, std::move(lead)};
  lead.push_back(lock.notice_until->ToString());
  return Refusal{with_notice, std::move(lead)};
}

Refused Admission::CheckLocked(const VillageModel& m, Date day, const Record& r) {
  const Adoption* a = m.RulesInForce(day);
  if (!a || m.periods.empty()) return std::nullopt;
  Period p = Period::Containing(day, a->rules->village.period);
  if (auto lock = LockOf(m, p, r.recorded))
    return LockedRefusal(RefusalCode::kDatedInLocked, RefusalCode::kDatedInLockedNoNotice, {},
                         *lock);
  return std::nullopt;
}

Refused Admission::Target(const Record& r, const std::string& id, RefusalCode missing,
                          Record* out) {
  auto seq = ledger::ReservedKeyPrefix(id) ? std::nullopt : batch_.FindKey(r.village, id);
  if (seq) {
    auto target = batch_.Get(*seq);
    if (!target.ok()) {
      failure_ = target.status();
      return Unreadable(target.status());
    }
    if (target->type == RecordType::kAward || target->type == RecordType::kRedeem) {
      *out = std::move(*target);
      return std::nullopt;
    }
  }
  return Refusal{missing, {id, r.village}};
}

Refused Admission::PeriodNamed(const VillageModel& m, const std::string& text, Period* out) {
  auto period = Period::Parse(text);
  if (!period) return Refusal{RefusalCode::kNotAPeriod, {text}};
  const Adoption* a = m.RulesInForce(period->FirstDay());
  if (!a) return Refusal{RefusalCode::kPeriodWithoutRules, {text, m.code}};
  if (a->rules->village.period != period->kind) {
    return Refusal{a->rules->village.period == PeriodKind::kMonth ? RefusalCode::kPeriodNotMonth
                                                                  : RefusalCode::kPeriodNotQuarter,
                   {text, m.code}};
  }
  *out = *period;
  return std::nullopt;
}

Refused Admission::CheckApprove(VillageState& v, const Record& r) {
  VillageModel& m = v.model;
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return Refusal{RefusalCode::kScorerNotRegistered, {r.scorer}};
  Record award;
  if (auto bad = Target(r, r.target, RefusalCode::kNoAward, &award)) return bad;
  if (award.type != RecordType::kAward)
    return Refusal{RefusalCode::kRedemptionNeverPending, {r.target}};
  const grammar::RuleFile& rules = *m.RulesInForce(award.date)->rules;
  if (rules.village.review_roles.empty())
    return Refusal{RefusalCode::kNoReview, {r.target, r.village, award.date.ToString()}};
  if (m.IsRevoked(award.id)) return Refusal{RefusalCode::kTargetRevoked, {r.target}};
  if (!m.IsPending(rules, award.scorer, award.id))
    return Refusal{RefusalCode::kNeverPending, {r.target, award.scorer}};
  if (!m.IsReviewer(rules, r.scorer)) {
    return Refusal{RefusalCode::kApproverRole,
                   {r.scorer, scorer->second.role, RolesText(rules.village.review_roles)}};
  }
  if (r.scorer == award.scorer)
    return Refusal{RefusalCode::kApproveOwnRecord, {r.scorer, r.target}};
  const std::string* household = m.HouseholdOfSubject(award.subject, award.date);
  if (!scorer->second.person.empty() && household) {
    const std::string* own = m.HouseholdOf(scorer->second.person, award.date);
    if (own && *own == *household)
      return Refusal{RefusalCode::kApproveOwnHousehold, {r.scorer, *household}};
  }
  return CheckLocked(m, award.date, r);
}

Refused Admission::CheckPost(VillageModel& m, Record& r) {
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return Refusal{RefusalCode::kScorerNotRegistered, {r.scorer}};
  Period period;
  if (auto bad = PeriodNamed(m, r.period, &period)) return bad;
  const grammar::RuleFile& rules = *m.RulesInForce(period.FirstDay())->rules;
  if (!rules.village.review_roles.empty() && !m.IsReviewer(rules, r.scorer))
    return Refusal{RefusalCode::kPosterRole, {r.scorer, scorer->second.role}};
  if (r.recorded.LocalDate() < period.LastDay()) {
    return Refusal{RefusalCode::kPostBeforeEnd,
                   {r.period, r.recorded.LocalDate().ToString(), period.LastDay().ToString()}};
  }
  if (auto lock = LockOf(m, period, r.recorded)) {
    return LockedRefusal(RefusalCode::kPostLocked, RefusalCode::kPostLockedNoNotice, {r.period},
                         *lock);
  }
  std::string head = ledger::HashToHex(batch_.HeadHash());
  if (r.sha256.empty()) {
    r.sha256 = head;
  } else if (r.sha256 != head) {
    return Refusal{RefusalCode::kHeadChanged, {r.sha256, head}};
  }
  return std::nullopt;
}

Refused Admission::CheckObjection(VillageModel& m, const Record& r) {
  if (!r.scorer.empty() && !m.scorers.count(r.scorer))
    return Refusal{RefusalCode::kScorerNotRegistered, {r.scorer}};
  Period period;
  if (auto bad = PeriodNamed(m, r.period, &period)) return bad;
  if (!r.target.empty()) {
    Record target;
    if (auto bad = Target(r, r.target, RefusalCode::kNoAwardOrRedemption, &target)) return bad;
    const Adoption* a = m.RulesInForce(target.date);
    if (!a || Period::Containing(target.date, a->rules->village.period) != period) {
      return Refusal{RefusalCode::kTargetNotInPeriod, {r.target, target.date.ToString(), r.period}};
    }
  } else if (!m.households.count(r.household)) {
    return Refusal{RefusalCode::kHouseholdNotRegistered, {r.household}};
  }
  auto it = m.periods.find(r.period);
  if (it == m.periods.end() || it->second.posts.empty())
    return Refusal{RefusalCode::kNotPosted, {r.period}};
  if (auto lock = LockOf(m, period, r.recorded)) {
    return LockedRefusal(RefusalCode::kObjectionLocked, RefusalCode::kObjectionLockedNoNotice,
                         {r.period}, *lock);
  }
  return std::nullopt;
}

Refused Admission::CheckRuling(VillageModel& m, const Record& r) {
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return Refusal{RefusalCode::kScorerNotRegistered, {r.scorer}};
  auto it = m.objections.find(r.target);
  if (it == m.objections.end()) return Refusal{RefusalCode::kNoObjection, {r.target, r.village}};
  const Objection& o = it->second;
  if (o.ruling) {
    return Refusal{RefusalCode::kAlreadyRuled, {r.target, std::to_string(o.ruling->sequence)}};
  }
  auto period = Period::Parse(o.period);
  const Adoption* a = period ? m.RulesInForce(period->FirstDay()) : nullptr;
  if (a && !a->rules->village.review_roles.empty() && !m.IsReviewer(*a->rules, r.scorer))
    return Refusal{RefusalCode::kRulerRole, {r.scorer, scorer->second.role}};
  return std::nullopt;
}

Refused Admission::CheckRedeem(VillageState& v, const Record& r) {
  VillageModel& m = v.model;
  if (!m.scorers.count(r.scorer)) return Refusal{RefusalCode::kScorerNotRegistered, {r.scorer}};
  if (auto bad = CheckDates(m, r, false)) return bad;
  if (auto locked = CheckLocked(m, r.date, r)) return locked;
  auto h = m.households.find(r.household);
  if (h == m.households.end()) return Refusal{RefusalCode::kHouseholdNotRegistered, {r.household}};
  if (r.date < h->second.since)
    return Refusal{RefusalCode::kHouseholdNotYet, {r.household, r.date.ToString()}};
  const grammar::RuleFile& rules = *m.RulesInForce(r.date)->rules;
  Period p = Period::Containing(r.date, rules.village.period);
  const grammar::Reward* reward = rules.FindReward(r.reward);
  if (!reward) return Refusal{RefusalCode::kRewardNotInRules, {r.reward, p.ToString()}};
  // The balance needs the events from the start of the replay; a total stock needs every one.
  bool total_stock = reward->stock && !reward->stock_per_period;
  HouseholdEvents* events = Events(v, total_stock ? kBeginning : ReplayStart(m, p));
  if (!events) return Unreadable(failure_);
  if (reward->stock) {
    int64_t taken =
        events->Redeemed(r.reward, reward->stock_per_period ? std::optional(p) : std::nullopt);
    if (taken + r.qty.whole() > *reward->stock) {
      return Refusal{
          reward->stock_per_period ? RefusalCode::kStockPerPeriodExceeded
                                   : RefusalCode::kStockExceeded,
          {r.reward, std::to_string(*reward->stock), std::to_string(taken), r.qty.ToString()}};
    }
  }
  return CheckBalance(v, r, *events, p, *reward);
}

// The household's balance on the redemption's day covers its cost.
Refused Admission::CheckBalance(VillageState& v, const Record& r, HouseholdEvents& events, Period p,
                                const grammar::Reward& reward) {
  VillageModel household = HouseholdModel(v, r.household);
  std::vector<std::string_view> subjects{r.household};
  for (const auto& [code, person] : household.persons) subjects.push_back(code);
  events.Collect(subjects, r.household, &household_events_);
  ReplayOptions options;
  options.events_through = r.date;
  options.only_household = r.household;
  options.events = &household_events_;
  auto figures = Replay(household, p, p, options);
  if (!figures.ok()) return Unreadable(figures.status());
  Points balance;
  for (const HouseholdFigures& f : figures->back().households) {
    if (f.household == r.household) balance = RedeemableBalance(f);
  }
  Points cost = reward.cost.Times(r.qty);
  if (balance < cost) {
    return Refusal{RefusalCode::kBalanceShort,
                   {r.id, r.household, balance.ToString(), r.date.ToString(), reward.code,
                    r.qty.ToString(), cost.ToString()}};
  }
  return std::nullopt;
}

// Hands out lines already in memory.
class VectorSource : public ImportSource {
 public:
  explicit VectorSource(const std::vector<ImportLine>& lines) : lines_(lines) {}
  Status Rewind() override {
    next_ = 0;
    return Status::Ok();
  }
  Result<bool> Next(SourceLine* out) override {
    if (next_ == lines_.size()) return false;
    const ImportLine& line = lines_[next_++];
    out->file = line.file;
    out->line = line.line;
    out->parsed = Status::Ok();
    out->record = line.record;
    return true;
  }
  uint64_t Position() const override { return next_; }
  uint64_t Size() const override { return lines_.size(); }

 private:
  const std::vector<ImportLine>& lines_;
  size_t next_ = 0;
};

LineRefusal OfLine(const SourceLine& line, Refusal refusal,
                   std::optional<grammar::Language> language) {
  return LineRefusal{std::string(line.file), line.line, std::move(refusal), language};
}

// What an import that was committed leaves for the next one (StructureCache::Keep).
struct Touched {
  ledger::Hash before{}, after{};
  Villages villages;
};

// One attempt at the whole import inside `batch` (Ledger::Write may run it again).
Status ImportInto(ledger::WriteBatch& batch, ImportSource& source, Timestamp now,
                  const ImportProgress& progress, const ImportOptions& options,
                  ImportReport* report, Touched* touched) {
  *report = ImportReport{};
  if (Status s = source.Rewind(); !s.ok()) return s;
  Admission admission(batch, now, options.events_bytes_max);
  std::vector<LineRefusal> unparsed;
  SourceLine line;
  for (size_t lines = 1;; ++lines) {
    auto more = source.Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (progress && lines % 1024 == 0) progress(source.Position(), source.Size());
    if (!line.parsed.ok()) {
      unparsed.push_back(
          OfLine(line, {RefusalCode::kLineUnparsed, {line.parsed.message()}}, std::nullopt));
      continue;
    }
    // Once a line does not parse, the rest are only parsed: those are the errors to fix first.
    if (!unparsed.empty()) continue;
    Record& r = line.record;
    if (!r.recorded_given) r.recorded = now;
    bool skip = false;
    auto refusal = admission.Check(r, &skip);
    if (!admission.failure().ok()) return admission.failure();
    if (refusal) {
      auto language = admission.RulesLanguage(r.village);
      if (!admission.failure().ok()) return admission.failure();
      report->refusals.push_back(OfLine(line, std::move(*refusal), language));
      continue;
    }
    if (skip) {
      ++report->skipped;
      continue;
    }
    // Good lines are appended even after a bad one so that the lines after them are checked
    // against them; the transaction is aborted at the end and nothing is written.
    if (Status appended = admission.Append(r); !appended.ok()) return appended;
    ++report->appended;
  }
  if (!unparsed.empty()) report->refusals = std::move(unparsed);
  report->head_sequence = batch.HeadSequence();
  if (!report->refusals.empty()) return Status::InvalidInput("import refused");
  *touched = Touched{admission.start(), batch.HeadHash(), admission.TakeVillages()};
  return Status::Ok();
}

}  // namespace

std::string LineRefusal::Text(grammar::Language language) const {
  return file + ":" + std::to_string(line) + ": " + refusal.Text(language);
}

Result<ImportReport> ImportRecords(ledger::Ledger& ledger, ImportSource& source, Timestamp now,
                                   const ImportProgress& progress, const ImportOptions& options) {
  ImportReport report;
  Touched touched;
  Status s = ledger.Write([&](ledger::WriteBatch& batch) {
    return ImportInto(batch, source, now, progress, options, &report, &touched);
  });
  if (s.ok()) KeptStructures().Keep(touched.before, touched.after, std::move(touched.villages));
  if (!s.ok() && report.refusals.empty()) return s;
  if (!report.refusals.empty()) report.appended = 0;
  for (const LineRefusal& r : report.refusals)
    report.errors.push_back(r.Text(grammar::Language::kEnglish));
  return report;
}

Result<ImportReport> ImportRecords(ledger::Ledger& ledger, const std::vector<ImportLine>& lines,
                                   Timestamp now, const ImportProgress& progress,
                                   const ImportOptions& options) {
  VectorSource source(lines);
  return ImportRecords(ledger, source, now, progress, options);
}

namespace {

bool IsPeriodStart(Date day, PeriodKind kind) {
  return Period::Containing(day, kind).FirstDay() == day;
}

// What refuses adopting `request` into the ledger as `batch` holds it: the recorded time, and the
// effective date against the rules in force before it, locked periods and later adoptions.
Refused CheckAdoption(ledger::WriteBatch& batch, const AdoptRequest& request, Timestamp recorded,
                      Timestamp now, PeriodKind kind, const VillageModel& model) {
  std::string effective = request.effective.ToString();
  if (auto latest = batch.LatestRecorded(); latest && recorded < *latest) {
    return Refusal{RefusalCode::kAdoptionRecordedBeforeLatest,
                   {recorded.ToString(), latest->ToString()}};
  }
  if (now < recorded) return Refusal{RefusalCode::kRecordedInFuture, {recorded.ToString()}};
  const Adoption* before = model.RulesInForce(request.effective.AddDays(-1));
  if (before && !IsPeriodStart(request.effective, before->rules->village.period))
    return Refusal{RefusalCode::kEffectiveInsidePeriod, {effective}};
  // Rules may not change a period that takes no more records (SPEC.md §3 "Locked and final").
  for (const auto& [text, records] : model.periods) {
    auto period = Period::Parse(text);
    if (!period || records.posts.empty() || request.effective > period->LastDay()) continue;
    if (auto lock = LockOf(model, *period, recorded)) {
      return LockedRefusal(RefusalCode::kEffectiveLocked, RefusalCode::kEffectiveLockedNoNotice,
                           {effective}, *lock);
    }
  }
  for (const Adoption& a : model.adoptions) {
    if (a.effective > request.effective && !IsPeriodStart(a.effective, kind))
      return Refusal{RefusalCode::kLaterAdoptionInside, {a.effective.ToString()}};
  }
  return std::nullopt;
}

}  // namespace

std::string RuleText(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\r') {
      text += bytes[i];
    } else if (i + 1 == bytes.size() || bytes[i + 1] != '\n') {
      text += '\n';  // a lone CR ends a line too; a CR before LF is dropped
    }
  }
  return text;
}

Result<AdoptReport> AdoptRules(ledger::Ledger& ledger, const AdoptRequest& raw, Timestamp now) {
  AdoptRequest request = raw;
  request.text = RuleText(raw.text);
  auto parsed = grammar::ParseRules(request.text, request.file);
  if (!parsed.rules) {
    std::string all;
    for (const auto& d : parsed.diagnostics) all += grammar::FormatDiagnostic(d);
    return Status::InvalidInput(all);
  }
  const grammar::RuleFile& rules = *parsed.rules;
  const std::string& village = rules.village.code;
  PeriodKind kind = rules.village.period;
  AdoptReport report;
  report.village = village;
  report.sha256 = ledger::Sha256Hex(request.text);
  report.rules_language = rules.language;
  if (!IsPeriodStart(request.effective, kind)) {
    report.refusal = Refusal{kind == PeriodKind::kMonth ? RefusalCode::kEffectiveNotMonthStart
                                                        : RefusalCode::kEffectiveNotQuarterStart,
                             {request.effective.ToString()}};
    return report;
  }
  Timestamp recorded = request.recorded.value_or(now);
  Status s = ledger.Write([&](ledger::WriteBatch& batch) -> Status {
    auto model = LoadVillageStructure(batch, village, batch.HeadSequence());
    if (!model.ok()) return model.status();
    report.refusal = CheckAdoption(batch, request, recorded, now, kind, *model);
    if (report.refusal) return Status::InvalidInput("adoption refused");
    Record r;
    r.type = RecordType::kRules;
    r.village = village;
    r.recorded = recorded;
    r.date = request.effective;
    r.name = request.file;
    r.text = request.text;
    r.sha256 = report.sha256;
    r.approved_by = request.approved_by;
    Status appended = batch.Append(r);
    report.sequence = r.sequence;
    return appended;
  });
  if (!s.ok() && !report.refusal) return s;
  return report;
}

}  // namespace jifen::engine
