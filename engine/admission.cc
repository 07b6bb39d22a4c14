#include "engine/admission.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "engine/household_events.h"
#include "engine/model.h"
#include "engine/replay.h"
#include "engine/workflow.h"
#include "grammar/parser.h"

namespace jifen::engine {
namespace {

using ledger::Record;
using ledger::RecordType;

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

  // Returns the reason `r` is refused, or nullopt. Sets `*skip` when `r` is already in the ledger.
  std::optional<std::string> Check(Record& r, bool* skip);
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
  std::optional<std::string> CheckRegistration(VillageModel& m, const Record& r);
  std::optional<std::string> CheckAward(const VillageState& v, const Record& r);
  std::optional<std::string> CheckRevoke(VillageModel& m, const Record& r);
  std::optional<std::string> CheckRedeem(VillageState& v, const Record& r);
  std::optional<std::string> CheckScorer(VillageModel& m, const Record& r);
  std::optional<std::string> CheckDates(const VillageModel& m, const Record& r, bool late_applies);
  std::optional<std::string> CheckLocked(const VillageModel& m, Date day, const Record& r);
  // The award or redemption `id` names in the village, or a refusal.
  Result<Record> Target(const Record& r, const std::string& id, const char* what);
  std::optional<std::string> CheckApprove(VillageState& v, const Record& r);
  std::optional<std::string> CheckPost(VillageModel& m, Record& r);
  std::optional<std::string> CheckObjection(VillageModel& m, const Record& r);
  std::optional<std::string> CheckRuling(VillageModel& m, const Record& r);
  // The period `text` names, checked against the rules in force on its first day.
  Result<Period> PeriodNamed(const VillageModel& m, const std::string& text);

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
      events->Add(e.sequence, e.date, e.type, e.qty, e.subject, e.item, e.household, e.reward,
                  v.model.IsRevoked(e.id), IsPendingAward(v.model, e.type, e.date, e.scorer, e.id));
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

std::optional<std::string> Admission::Check(Record& r, bool* skip) {
  *skip = false;
  std::string key = ledger::KeyOf(r);
  if (!key.empty()) {
    if (auto seq = batch_.FindKey(r.village, key)) {
      auto existing = batch_.Get(*seq);
      if (!existing.ok()) {
        failure_ = existing.status();
        return existing.status().message();
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
      if (r.type == RecordType::kRevoke) {
        return "target " + r.target + ": already revoked (sequence " + std::to_string(*seq) + ")";
      }
      if (r.type == RecordType::kApprove) {
        return "target " + r.target + ": already approved (sequence " + std::to_string(*seq) + ")";
      }
      std::string what = !r.id.empty() ? "id " + r.id
                         : r.type == RecordType::kMove
                             ? "move of " + r.code + " on " + r.date.ToString()
                             : key.substr(0, key.find(':')) + " " + r.code;
      return what + ": already in the ledger with other content (sequence " + std::to_string(*seq) +
             ")";
    }
  }
  if (auto latest = batch_.LatestRecorded(); latest && r.recorded < *latest) {
    return "recorded " + r.recorded.ToString() + ": before the ledger's latest record (" +
           latest->ToString() + "); recorded times never go backwards";
  }
  if (now_ < r.recorded) return "recorded " + r.recorded.ToString() + ": in the future";
  VillageState* v = Get(r.village);
  if (!v) return failure_.message();
  VillageModel& m = v->model;
  if (m.adoptions.empty())
    return "village " + r.village + ": no rules adopted (run `jifen rules adopt` first)";
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
      return "rules: adopt rule files with `jifen rules adopt`, not import";
  }
  return std::nullopt;
}

Status Admission::Append(Record& r) {
  if (Status s = batch_.Append(r); !s.ok()) return s;
  VillageState* v = Get(r.village);
  if (!v) return failure_;
  switch (r.type) {
    case RecordType::kAward:
    case RecordType::kRedeem:
      if (v->events) {
        v->events->Add(r.sequence, r.date, r.type, r.qty, r.subject, r.item, r.household, r.reward,
                       false, IsPendingAward(v->model, r.type, r.date, r.scorer, r.id));
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
    default:
      break;
  }
  if (Status s = v->model.Add(r); !s.ok()) return s;
  if (r.type == RecordType::kHousehold) v->Index(r.code, &v->model.households.at(r.code), nullptr);
  if (r.type == RecordType::kPerson) v->Index(r.code, nullptr, &v->model.persons.at(r.code));
  return Status::Ok();
}
std::optional<std::string> Admission::CheckRegistration(VillageModel& m, const Record& r) {
  if (auto locked = CheckLocked(m, r.date, r)) return locked;
  if (r.type == RecordType::kHousehold) {
    if (r.shares < 0) return "household " + r.code + ": shares must not be negative";
    return std::nullopt;
  }
  std::string who = "person " + r.code;
  if (r.type == RecordType::kMove) {
    auto p = m.persons.find(r.code);
    if (p == m.persons.end()) return who + ": not registered";
    if (r.date < p->second.since) {
      return who + ": moves on " + r.date.ToString() + ", before registering on " +
             p->second.since.ToString();
    }
  }
  auto h = m.households.find(r.household);
  if (h == m.households.end()) return who + ": household " + r.household + " not registered";
  if (r.date < h->second.since) {
    return who + ": household " + r.household + " exists only from " + h->second.since.ToString();
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckScorer(VillageModel& m, const Record& r) {
  if (!r.person.empty() && !m.persons.count(r.person)) {
    return "scorer " + r.code + ": person " + r.person + " not registered";
  }
  return std::nullopt;
}

// The date checks shared by awards and redemptions (SPEC.md §4).
std::optional<std::string> Admission::CheckDates(const VillageModel& m, const Record& r,
                                                 bool late_applies) {
  Date recorded_day = r.recorded.LocalDate();
  if (recorded_day < r.date) {
    return "dated " + r.date.ToString() + ", after its recorded day " + recorded_day.ToString();
  }
  const Adoption* a = m.RulesInForce(r.date);
  if (!a) return "no rules in force for village " + r.village + " on " + r.date.ToString();
  const auto& late = a->rules->village.late_days_max;
  if (late_applies && late) {
    Period p = Period::Containing(r.date, a->rules->village.period);
    int32_t days_late = recorded_day.days() - p.LastDay().days();
    if (days_late > *late) {
      return "recorded " + recorded_day.ToString() + ", " + std::to_string(days_late) +
             " days after period " + p.ToString() + " ended (late limit " + std::to_string(*late) +
             " days)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckAward(const VillageState& v, const Record& r) {
  const VillageModel& m = v.model;
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return "scorer " + r.scorer + ": not registered";
  if (auto bad = CheckDates(m, r, true)) return bad;
  if (auto locked = CheckLocked(m, r.date, r)) return locked;
  const grammar::RuleFile& rules = *m.RulesInForce(r.date)->rules;
  if (r.id.empty() && !rules.village.review_roles.empty() && !m.IsReviewer(rules, r.scorer)) {
    return "award by " + r.scorer +
           ": needs an id, since it waits for review and an approval names it by id";
  }
  const grammar::Item* item = rules.FindItem(r.item);
  if (!item) {
    return "item " + r.item + ": not in the rules in force for " +
           Period::Containing(r.date, rules.village.period).ToString();
  }
  const Household* as_household = v.FindHousehold(r.subject);
  bool is_household = as_household != nullptr;
  const Person* as_person = is_household ? nullptr : v.FindPerson(r.subject);
  if (!is_household && !as_person) return "subject " + r.subject + ": not registered";
  if (item->per == grammar::Per::kHousehold && !is_household) {
    return "item " + item->code + " is per household: subject " + r.subject + " is a person";
  }
  if (item->per == grammar::Per::kPerson && is_household) {
    return "item " + item->code + " is per person: subject " + r.subject + " is a household";
  }
  const std::string* household = &r.subject;
  if (is_household) {
    if (r.date < as_household->since) {
      return "household " + r.subject + ": not registered on " + r.date.ToString();
    }
  } else {
    household = as_person->HouseholdOn(r.date);
    if (!household) return "person " + r.subject + ": not registered on " + r.date.ToString();
  }
  if (r.qty != Quantity() && !item->unit)
    return "qty " + r.qty.ToString() + ": item " + item->code + " has no unit";
  if (item->evidence && r.evidence.empty()) return "item " + item->code + ": needs evidence";
  if (!item->roles.empty() &&
      std::find(item->roles.begin(), item->roles.end(), scorer->second.role) == item->roles.end()) {
    std::string roles;
    for (const auto& role : item->roles) roles += (roles.empty() ? "" : " | ") + role;
    return "scorer " + r.scorer + " (" + scorer->second.role + "): item " + item->code +
           " is recorded only by " + roles;
  }
  if (rules.village.self == grammar::SelfScoringPolicy::kDeny && !scorer->second.person.empty()) {
    const Person* scorer_person = v.FindPerson(scorer->second.person);
    const std::string* own = scorer_person ? scorer_person->HouseholdOn(r.date) : nullptr;
    if (own && *own == *household) {
      return "scorer " + r.scorer + ": may not score own household " + *household + " (self deny)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckRevoke(VillageModel& m, const Record& r) {
  if (!m.scorers.count(r.scorer)) return "scorer " + r.scorer + ": not registered";
  // A registration's key (household:CODE …) names no award or redemption.
  auto seq =
      ledger::ReservedKeyPrefix(r.target) ? std::nullopt : batch_.FindKey(r.village, r.target);
  if (!seq)
    return "target " + r.target + ": no award or redemption with this id in village " + r.village;
  if (auto it = m.revocations.find(r.target); it != m.revocations.end()) {
    return "target " + r.target + ": already revoked (sequence " +
           std::to_string(it->second.sequence) + ")";
  }
  auto target = batch_.Get(*seq);
  if (!target.ok()) {
    failure_ = target.status();
    return target.status().message();
  }
  return CheckLocked(m, target->date, r);
}

std::optional<std::string> Admission::CheckLocked(const VillageModel& m, Date day,
                                                  const Record& r) {
  const Adoption* a = m.RulesInForce(day);
  if (!a || m.periods.empty()) return std::nullopt;
  Period p = Period::Containing(day, a->rules->village.period);
  if (auto locked = LockedReason(m, p, r.recorded))
    return "dated in " + p.ToString() + ": " + *locked;
  return std::nullopt;
}

Result<Record> Admission::Target(const Record& r, const std::string& id, const char* what) {
  auto seq = ledger::ReservedKeyPrefix(id) ? std::nullopt : batch_.FindKey(r.village, id);
  if (seq) {
    auto target = batch_.Get(*seq);
    if (!target.ok()) {
      failure_ = target.status();
      return target.status();
    }
    if (target->type == RecordType::kAward || target->type == RecordType::kRedeem) return target;
  }
  return Status::InvalidInput("target " + id + ": no " + what + " with this id in village " +
                              r.village);
}

Result<Period> Admission::PeriodNamed(const VillageModel& m, const std::string& text) {
  auto period = Period::Parse(text);
  if (!period) return Status::InvalidInput("period " + text + ": not a period");
  const Adoption* a = m.RulesInForce(period->FirstDay());
  if (!a)
    return Status::InvalidInput("period " + text + ": no rules in force for village " + m.code);
  if (a->rules->village.period != period->kind) {
    return Status::InvalidInput(
        "period " + text + ": village " + m.code + " counts by " +
        (a->rules->village.period == PeriodKind::kMonth ? "month" : "quarter"));
  }
  return *period;
}

std::optional<std::string> Admission::CheckApprove(VillageState& v, const Record& r) {
  VillageModel& m = v.model;
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return "scorer " + r.scorer + ": not registered";
  auto target = Target(r, r.target, "award");
  if (!target.ok()) return target.status().message();
  const Record& award = *target;
  if (award.type != RecordType::kAward)
    return "target " + r.target + ": a redemption is never pending";
  const grammar::RuleFile& rules = *m.RulesInForce(award.date)->rules;
  if (rules.village.review_roles.empty()) {
    return "target " + r.target + ": village " + r.village +
           " has no review in the rules in force on " + award.date.ToString() +
           " (nothing waits for approval)";
  }
  if (m.IsRevoked(award.id)) return "target " + r.target + ": revoked";
  if (!m.IsPending(rules, award.scorer, award.id)) {
    return "target " + r.target + ": never pending (recorded by " + award.scorer +
           ", who holds a review role)";
  }
  if (!m.IsReviewer(rules, r.scorer)) {
    std::string roles;
    for (const auto& role : rules.village.review_roles)
      roles += (roles.empty() ? "" : " | ") + role;
    return "scorer " + r.scorer + " (" + scorer->second.role + "): only " + roles + " may approve";
  }
  if (r.scorer == award.scorer)
    return "scorer " + r.scorer + ": may not approve their own record " + r.target;
  const std::string* household = m.HouseholdOfSubject(award.subject, award.date);
  if (!scorer->second.person.empty() && household) {
    const std::string* own = m.HouseholdOf(scorer->second.person, award.date);
    if (own && *own == *household) {
      return "scorer " + r.scorer + ": may not approve a record for their own household " +
             *household;
    }
  }
  return CheckLocked(m, award.date, r);
}

std::optional<std::string> Admission::CheckPost(VillageModel& m, Record& r) {
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return "scorer " + r.scorer + ": not registered";
  auto period = PeriodNamed(m, r.period);
  if (!period.ok()) return period.status().message();
  const grammar::RuleFile& rules = *m.RulesInForce(period->FirstDay())->rules;
  if (!rules.village.review_roles.empty() && !m.IsReviewer(rules, r.scorer)) {
    return "scorer " + r.scorer + " (" + scorer->second.role +
           "): only a reviewer may post a period";
  }
  if (r.recorded.LocalDate() < period->LastDay()) {
    return "post of " + r.period + " recorded " + r.recorded.LocalDate().ToString() +
           ", before the period's last day " + period->LastDay().ToString();
  }
  if (auto locked = LockedReason(m, *period, r.recorded))
    return "post of " + r.period + ": " + *locked;
  std::string head = ledger::HashToHex(batch_.HeadHash());
  if (r.sha256.empty()) {
    r.sha256 = head;
  } else if (r.sha256 != head) {
    return "head " + r.sha256 + ": the ledger's head before this post is " + head +
           " (the posted board showed another state)";
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckObjection(VillageModel& m, const Record& r) {
  if (!r.scorer.empty() && !m.scorers.count(r.scorer))
    return "scorer " + r.scorer + ": not registered";
  auto period = PeriodNamed(m, r.period);
  if (!period.ok()) return period.status().message();
  if (!r.target.empty()) {
    auto target = Target(r, r.target, "award or redemption");
    if (!target.ok()) return target.status().message();
    const Adoption* a = m.RulesInForce(target->date);
    if (!a || Period::Containing(target->date, a->rules->village.period) != *period) {
      return "target " + r.target + ": dated " + target->date.ToString() + ", not in period " +
             r.period;
    }
  } else if (!m.households.count(r.household)) {
    return "household " + r.household + ": not registered";
  }
  auto it = m.periods.find(r.period);
  if (it == m.periods.end() || it->second.posts.empty()) {
    return "period " + r.period + ": not posted yet; objections are taken during its notice window";
  }
  if (auto locked = LockedReason(m, *period, r.recorded))
    return "objection to " + r.period + ": " + *locked;
  return std::nullopt;
}

std::optional<std::string> Admission::CheckRuling(VillageModel& m, const Record& r) {
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return "scorer " + r.scorer + ": not registered";
  auto it = m.objections.find(r.target);
  if (it == m.objections.end())
    return "target " + r.target + ": no objection with this id in village " + r.village;
  const Objection& o = it->second;
  if (o.ruling)
    return "objection " + r.target + ": already ruled (sequence " +
           std::to_string(o.ruling->sequence) + ")";
  auto period = Period::Parse(o.period);
  const Adoption* a = period ? m.RulesInForce(period->FirstDay()) : nullptr;
  if (a && !a->rules->village.review_roles.empty() && !m.IsReviewer(*a->rules, r.scorer)) {
    return "scorer " + r.scorer + " (" + scorer->second.role +
           "): only a reviewer may rule on an objection";
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckRedeem(VillageState& v, const Record& r) {
  VillageModel& m = v.model;
  if (!m.scorers.count(r.scorer)) return "scorer " + r.scorer + ": not registered";
  if (auto bad = CheckDates(m, r, false)) return bad;
  if (auto locked = CheckLocked(m, r.date, r)) return locked;
  auto h = m.households.find(r.household);
  if (h == m.households.end()) return "household " + r.household + ": not registered";
  if (r.date < h->second.since)
    return "household " + r.household + ": not registered on " + r.date.ToString();
  const grammar::RuleFile& rules = *m.RulesInForce(r.date)->rules;
  Period p = Period::Containing(r.date, rules.village.period);
  const grammar::Reward* reward = rules.FindReward(r.reward);
  if (!reward) return "reward " + r.reward + ": not in the rules in force for " + p.ToString();
  Points cost = reward->cost.Times(r.qty);
  // The balance needs the events from the start of the replay; a total stock needs every one.
  bool total_stock = reward->stock && !reward->stock_per_period;
  HouseholdEvents* events = Events(v, total_stock ? kBeginning : ReplayStart(m, p));
  if (!events) return failure_.message();
  if (reward->stock) {
    int64_t taken =
        events->Redeemed(r.reward, reward->stock_per_period ? std::optional(p) : std::nullopt);
    if (taken + r.qty.whole() > *reward->stock) {
      return "reward " + r.reward + ": stock " + std::to_string(*reward->stock) +
             (reward->stock_per_period ? " per period" : "") + " exceeded (" +
             std::to_string(taken) + " already redeemed, asked " + r.qty.ToString() + ")";
    }
  }
  VillageModel household = HouseholdModel(v, r.household);
  std::vector<std::string_view> subjects{r.household};
  for (const auto& [code, person] : household.persons) subjects.push_back(code);
  events->Collect(subjects, r.household, &household_events_);
  ReplayOptions options;
  options.events_through = r.date;
  options.only_household = r.household;
  options.events = &household_events_;
  auto figures = Replay(household, p, p, options);
  if (!figures.ok()) return figures.status().message();
  Points balance;
  for (const HouseholdFigures& f : figures->back().households) {
    if (f.household == r.household) balance = RedeemableBalance(f);
  }
  if (balance < cost) {
    return "redemption " + r.id + ": household " + r.household + " has " + balance.ToString() +
           " points on " + r.date.ToString() + ", " + reward->code + " x " + r.qty.ToString() +
           " costs " + cost.ToString();
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

std::string Where(const SourceLine& line) {
  std::string where(line.file);
  where += ':';
  where += std::to_string(line.line);
  where += ": ";
  return where;
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
  std::vector<std::string> unparsed;
  SourceLine line;
  for (size_t lines = 1;; ++lines) {
    auto more = source.Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (progress && lines % 1024 == 0) progress(source.Position(), source.Size());
    if (!line.parsed.ok()) {
      unparsed.push_back(Where(line) + line.parsed.message());
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
      report->errors.push_back(Where(line) + *refusal);
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
  if (!unparsed.empty()) report->errors = std::move(unparsed);
  report->head_sequence = batch.HeadSequence();
  if (!report->errors.empty()) return Status::InvalidInput("import refused");
  *touched = Touched{admission.start(), batch.HeadHash(), admission.TakeVillages()};
  return Status::Ok();
}

}  // namespace

Result<ImportReport> ImportRecords(ledger::Ledger& ledger, ImportSource& source, Timestamp now,
                                   const ImportProgress& progress, const ImportOptions& options) {
  ImportReport report;
  Touched touched;
  Status s = ledger.Write([&](ledger::WriteBatch& batch) {
    return ImportInto(batch, source, now, progress, options, &report, &touched);
  });
  if (s.ok()) KeptStructures().Keep(touched.before, touched.after, std::move(touched.villages));
  if (!s.ok() && report.errors.empty()) return s;
  if (!report.errors.empty()) report.appended = 0;
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
  std::string where = request.file + ": ";
  if (!IsPeriodStart(request.effective, kind)) {
    return Status::InvalidInput(where + "effective date " + request.effective.ToString() +
                                " is not the first day of a " +
                                (kind == PeriodKind::kMonth ? "month" : "quarter"));
  }
  AdoptReport report;
  report.village = village;
  report.sha256 = ledger::Sha256Hex(request.text);
  Timestamp recorded = request.recorded.value_or(now);
  Status s = ledger.Write([&](ledger::WriteBatch& batch) -> Status {
    if (auto latest = batch.LatestRecorded(); latest && recorded < *latest) {
      return Status::InvalidInput(where + "recorded " + recorded.ToString() +
                                  ": before the ledger's latest record (" + latest->ToString() +
                                  ")");
    }
    if (now < recorded)
      return Status::InvalidInput(where + "recorded " + recorded.ToString() + ": in the future");
    auto model = LoadVillageStructure(batch, village, batch.HeadSequence());
    if (!model.ok()) return model.status();
    const Adoption* before = model->RulesInForce(request.effective.AddDays(-1));
    if (before && !IsPeriodStart(request.effective, before->rules->village.period)) {
      return Status::InvalidInput(where + "effective date " + request.effective.ToString() +
                                  " falls inside a period of the rules in force before it");
    }
    // Rules may not change a period that takes no more records (SPEC.md §3 "Locked and final").
    for (const auto& [text, records] : model->periods) {
      auto period = Period::Parse(text);
      if (!period || records.posts.empty() || request.effective > period->LastDay()) continue;
      if (auto locked = LockedReason(*model, *period, recorded)) {
        return Status::InvalidInput(where + "effective date " + request.effective.ToString() +
                                    " would change " + *locked);
      }
    }
    for (const Adoption& a : model->adoptions) {
      if (a.effective > request.effective && !IsPeriodStart(a.effective, kind)) {
        return Status::InvalidInput(where + "the adoption effective " + a.effective.ToString() +
                                    " would fall inside a period of these rules");
      }
    }
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
  if (!s.ok()) return s;
  return report;
}

}  // namespace jifen::engine
