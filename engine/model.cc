#include "engine/model.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <mutex>

#include <spdlog/spdlog.h>

#include "grammar/parser.h"

namespace jifen::engine {
namespace {

// Maps in the whole pages of [begin, begin + bytes) for writing in one system call
// (MADV_POPULATE_WRITE, Linux 5.14; elsewhere a no-op) instead of taking a page fault for every
// 4 KiB as a fresh buffer fills.
void PrefaultForWriting(const void* begin, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t start = reinterpret_cast<uintptr_t>(begin);
  uintptr_t first = (start + page - 1) & ~(page - 1), last = (start + bytes) & ~(page - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
#else
  (void)begin;
  (void)bytes;
#endif
}

}  // namespace

const Adoption* VillageModel::RulesInForce(Date day) const {
  const Adoption* best = nullptr;
  for (const Adoption& a : adoptions) {
    if (a.effective <= day) best = &a;  // sorted by (effective, sequence): the last one wins
  }
  return best;
}

const std::string* VillageModel::HouseholdOf(const std::string& person, Date day) const {
  auto it = persons.find(person);
  return it == persons.end() ? nullptr : it->second.HouseholdOn(day);
}

const std::string* VillageModel::HouseholdOfSubject(const std::string& subject, Date day) const {
  auto household = households.find(subject);
  return household != households.end() ? &household->first : HouseholdOf(subject, day);
}

int VillageModel::MembersOn(const std::string& household, Date day) const {
  int members = 0;
  for (const auto& [code, person] : persons) {
    const std::string* h = HouseholdOf(code, day);
    if (h && *h == household) ++members;
  }
  return members;
}

bool VillageModel::IsReviewer(const grammar::RuleFile& rules, std::string_view scorer) const {
  const auto& roles = rules.village.review_roles;
  auto it = scorers.find(std::string(scorer));
  return it != scorers.end() &&
         std::find(roles.begin(), roles.end(), it->second.role) != roles.end();
}

bool VillageModel::IsPending(const grammar::RuleFile& rules, std::string_view scorer,
                             std::string_view id) const {
  if (rules.village.review_roles.empty() || id.empty()) return false;
  if (IsApproved(id)) return false;
  return !IsReviewer(rules, scorer);
}

Event Event::From(const ledger::Record& r, CodeTable& codes) {
  Event e;
  e.sequence = r.sequence;
  e.date = r.date;
  e.recorded = r.recorded;
  e.type = r.type;
  e.qty = r.qty;
  e.id = r.id;
  e.subject = codes.Handle(r.subject);
  e.item = codes.Handle(r.item);
  e.reward = codes.Handle(r.reward);
  e.household = codes.Handle(r.household);
  e.scorer = codes.Handle(r.scorer);
  return e;
}

void Event::Assign(const ledger::EventView& v, CodeTable& codes) {
  sequence = v.sequence;
  date = v.date;
  recorded = v.recorded;
  type = v.type;
  qty = v.qty;
  id = v.id;
  subject = codes.Handle(v.subject);
  item = codes.Handle(v.item);
  reward = codes.Handle(v.reward);
  household = codes.Handle(v.household);
  scorer = codes.Handle(v.scorer);
}

void VillageModel::AppendEvent(const ledger::Record& record) {
  events.push_back(Event::From(record, *codes));
  if (events.size() > 1 && events.back() < events[events.size() - 2]) events_sorted = false;
}

void VillageModel::SortEvents() {
  if (events_sorted) return;
  std::stable_sort(events.begin(), events.end());
  events_sorted = true;
}

namespace {

// What Add does with a rules record and a move.
Status AddRules(const ledger::Record& r, std::vector<Adoption>& adoptions) {
  assert(r.type == ledger::RecordType::kRules);
  auto parsed = ParseAdoptedRules(r.text, r.sha256, r.name);
  if (!parsed.ok()) return parsed.status();
  Adoption a{r.sequence, r.date, r.recorded, r.sha256, r.approved_by, r.name, *parsed};
  auto pos = std::upper_bound(
      adoptions.begin(), adoptions.end(), a, [](const Adoption& x, const Adoption& y) {
        return x.effective != y.effective ? x.effective < y.effective : x.sequence < y.sequence;
      });
  adoptions.insert(pos, std::move(a));
  return Status::Ok();
}

Status AddMove(const ledger::Record& r, std::map<std::string, Person>& persons) {
  assert(r.type == ledger::RecordType::kMove);
  auto it = persons.find(r.code);
  if (it == persons.end()) return Status::Corruption("move of unregistered person " + r.code);
  auto& m = it->second.memberships;
  // Moves are kept in date order; of moves on one day the later recorded wins.
  auto pos =
      std::upper_bound(m.begin(), m.end(), r.date,
                       [](Date d, const std::pair<Date, std::string>& x) { return d < x.first; });
  m.insert(pos, {r.date, r.household});
  return Status::Ok();
}

}  // namespace

Status VillageModel::Add(const ledger::Record& r) {
  using ledger::RecordType;
  if (r.sequence > sequence_max) sequence_max = r.sequence;
  switch (r.type) {
    case RecordType::kRules:
      return AddRules(r, adoptions);
    case RecordType::kHousehold:
      households[r.code] = Household{r.sequence, r.code, r.name, r.date, r.shares};
      break;
    case RecordType::kPerson: {
      Person& p = persons[r.code];
      p = Person{r.sequence, r.code, r.name, r.date, r.resident, {{r.date, r.household}}};
      break;
    }
    case RecordType::kMove:
      return AddMove(r, persons);
    case RecordType::kScorer:
      scorers[r.code] = Scorer{r.sequence, r.code, r.name, r.role, r.person};
      break;
    case RecordType::kRevoke:
    case RecordType::kApprove:
      AddTarget(ledger::TargetViewOf(r));
      break;
    case RecordType::kAward:
    case RecordType::kRedeem:
      AppendEvent(r);
      break;
    case RecordType::kPost:
      periods[r.period].posts.push_back(Post{r.sequence, r.id, r.scorer, r.sha256, r.recorded});
      break;
    case RecordType::kObjection:
      objections[r.id] = Objection{r.sequence, r.id,   r.period, r.target,   r.household,
                                   r.reason,   r.name, r.scorer, r.recorded, std::nullopt};
      periods[r.period].objections.push_back(r.id);
      break;
    case RecordType::kRuling: {
      auto it = objections.find(r.target);
      if (it == objections.end())
        return Status::Corruption("ruling " + r.id + " on unknown objection " + r.target);
      Objection& o = it->second;
      o.ruling = Ruling{r.sequence, r.id, r.outcome == "upheld", r.reason, r.scorer, r.recorded};
      // An upheld objection to a record revokes it, exactly as a revoke record would.
      if (o.ruling->upheld && !o.target.empty() && !revocations.count(o.target)) {
        revocations[o.target] = Revocation{r.sequence, r.scorer, r.reason, r.recorded, r.id};
        revoked_ids_.Insert(o.target);
      }
      break;
    }
  }
  return Status::Ok();
}

void VillageModel::AddTarget(const ledger::TargetView& t) {
  if (t.sequence > sequence_max) sequence_max = t.sequence;
  if (t.type == ledger::RecordType::kRevoke) {
    revocations.insert_or_assign(
        std::string(t.target),
        Revocation{t.sequence, std::string(t.scorer), std::string(t.reason), t.recorded, {}});
    revoked_ids_.Insert(t.target);
  } else {
    assert(t.type == ledger::RecordType::kApprove);
    approvals.Set(t.target, Approval{t.sequence, std::string(t.scorer), t.recorded});
  }
}

Result<VillageModel> LoadVillage(const ledger::Reader& reader, const std::string& village,
                                 uint64_t sequence_max, Date events_from, Date events_to) {
  VillageModel model;
  model.code = village;
  Status failure;
  Status s = reader.ForEachStructuralView(
      village, sequence_max,
      [&](const ledger::Record& r) {
        failure = model.Add(r);
        return failure.ok();
      },
      [&](const ledger::TargetView& t) {
        model.AddTarget(t);
        return true;
      });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  model.sequence_max = sequence_max;
  if (s = LoadEvents(reader, &model, events_from, events_to); !s.ok()) return s;
  return model;
}

std::string HouseholdName(const VillageModel& model, const std::string& code) {
  auto it = model.households.find(code);
  return it == model.households.end() ? "" : it->second.name;
}

Result<VillageModel> LoadVillageStructure(const ledger::Reader& reader, const std::string& village,
                                          uint64_t sequence_max) {
  return LoadVillage(reader, village, sequence_max, Date::FromCivil(9999, 12, 31),
                     Date::FromCivil(1, 1, 1));
}

Status LoadEvents(const ledger::Reader& reader, VillageModel* model, Date from, Date to) {
  assert(model != nullptr);
  if (to < from) return Status::Ok();
  auto started = std::chrono::steady_clock::now();
  size_t before = model->events.size();
  // Room for the events up front: a growing vector copies its events and, in a fresh process,
  // faults in new pages each time. The first load of a process counts the window's entries (a
  // walk over the keys); later loads (compare: one village after another) reserve as much as the
  // largest load so far, which the heap has kept.
  static std::atomic<size_t> largest{0};
  size_t room = largest.load(std::memory_order_relaxed);
  if (room == 0) room = reader.CountEvents(model->code, from, to, model->sequence_max);
  model->events.reserve(model->events.size() + room);
  // The room in one call rather than a page fault for every 4 KiB as the events fill it: faults
  // are what a one-village report mostly spends its time on.
  PrefaultForWriting(model->events.data() + model->events.size(),
                     (model->events.capacity() - model->events.size()) * sizeof(Event));
  CodeTable& codes = *model->codes;
  Status s = reader.ForEachEventView(
      model->code, from, to, model->sequence_max, [&](const ledger::EventView& v) {
        model->events.emplace_back().Assign(v, codes);  // in place: no Event is moved
        return true;
      });
  for (size_t n = model->events.size(), seen = largest.load(std::memory_order_relaxed);
       n > seen && !largest.compare_exchange_weak(seen, n, std::memory_order_relaxed);) {
  }
  spdlog::debug(
      "village {}: {} events dated {} to {} read in {:.1f} ms", model->code,
      model->events.size() - before, from.ToString(), to.ToString(),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
          .count());
  return s;
}

Result<std::shared_ptr<const grammar::RuleFile>> ParseAdoptedRules(const std::string& text,
                                                                   const std::string& sha256,
                                                                   const std::string& file) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const grammar::RuleFile>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(sha256); it != cache.end()) return it->second;
  auto outcome =
      grammar::ParseRules(text, file.empty() ? "adopted rules " + sha256.substr(0, 12) : file);
  if (!outcome.rules) {
    return Status::Corruption("adopted rules " + sha256.substr(0, 12) + " no longer parse: " +
                              (outcome.diagnostics.empty() ? "" : outcome.diagnostics[0].message));
  }
  auto parsed = std::make_shared<const grammar::RuleFile>(std::move(*outcome.rules));
  cache.emplace(sha256, parsed);
  return parsed;
}

}  // namespace jifen::engine
