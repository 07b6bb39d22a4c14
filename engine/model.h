// A village as the ledger knew it up to some sequence number: its adopted rule versions, its
// households, people, moves and scorers, its revocations and its dated events (awards and
// redemptions). Replay, admission and the reports all read this one model.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/codes.h"
#include "grammar/ast.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace jifen::engine {

// One `rules adopt` record, parsed.
struct Adoption {
  uint64_t sequence = 0;
  Date effective;
  Timestamp recorded;
  std::string sha256;
  std::string approved_by;
  std::string file;  // the file name it was adopted from, as recorded
  std::shared_ptr<const grammar::RuleFile> rules;
};

struct Household {
  uint64_t sequence = 0;
  std::string code;
  std::string name;
  Date since;
  int64_t shares = 0;
};

// The household of a membership history on `day`: that of the last (date, household) pair dated
// on or before it, the pairs being in date order; nullptr before `since`, the registration.
// Person keeps codes, replay and the simulator keep household numbers.
template <typename H>
const H* MembershipOn(const std::vector<std::pair<Date, H>>& memberships, Date since, Date day) {
  if (day < since) return nullptr;
  const H* household = nullptr;
  for (const auto& [date, h] : memberships) {
    if (date <= day) household = &h;
  }
  return household;
}

struct Person {
  uint64_t sequence = 0;
  std::string code;
  std::string name;
  Date since;
  std::string resident;
  // (date, household) pairs in (date, sequence) order; the first is the registration.
  std::vector<std::pair<Date, std::string>> memberships;

  // The household this person belongs to on `day`, or nullptr if not registered by then.
  const std::string* HouseholdOn(Date day) const { return MembershipOn(memberships, since, day); }
};

struct Scorer {
  uint64_t sequence = 0;
  std::string code;
  std::string name;
  std::string role;
  std::string person;  // may be empty
};

struct Revocation {
  uint64_t sequence = 0;  // the revoke record, or the ruling that upheld an objection to it
  std::string scorer;
  std::string reason;
  Timestamp recorded;
  std::string ruling;  // the ruling's id when an upheld objection revoked it; empty for a revoke
};

// An `approve` record: the award it names counts from then on (SPEC.md §3 "Review").
struct Approval {
  uint64_t sequence = 0;
  std::string scorer;
  Timestamp recorded;
};

// The village's workflow records (SPEC.md §3 "Posting"), as the ledger knew them.
struct Post {
  uint64_t sequence = 0;
  std::string id;
  std::string scorer;
  std::string head;  // hex chain head before the post: the state the posted board showed
  Timestamp recorded;
};

struct Ruling {
  uint64_t sequence = 0;
  std::string id;
  bool upheld = false;
  std::string reason;
  std::string scorer;
  Timestamp recorded;
};

struct Objection {
  uint64_t sequence = 0;
  std::string id;
  std::string period;
  std::string target;     // an award's or redemption's id, or empty
  std::string household;  // or the household whose figures are objected to
  std::string reason;
  std::string filed_by;
  std::string scorer;  // who recorded it, may be empty
  Timestamp recorded;
  std::optional<Ruling> ruling;
};

// One period's posts and objections, in recorded order.
struct PeriodRecords {
  std::vector<Post> posts;
  std::vector<std::string> objections;  // ids, keys of VillageModel::objections
};

// An award or a redemption as replay needs it: the fields of its ledger record that figures,
// explain and audit read, with its codes interned in the model's CodeTable (112 bytes).
struct Event {
  uint64_t sequence = 0;
  Date date;
  ledger::RecordType type = ledger::RecordType::kAward;
  Timestamp recorded;
  Quantity qty;
  std::string id;
  Code subject;    // award
  Code item;       // award
  Code reward;     // redemption
  Code household;  // redemption
  Code scorer;

  static Event From(const ledger::Record& record, CodeTable& codes);
  // Sets every field from an events index entry (ledger::Reader::ForEachEventView).
  void Assign(const ledger::EventView& view, CodeTable& codes);
  // (date, sequence) order: the order awards are counted in.
  bool operator<(const Event& o) const {
    return date != o.date ? date < o.date : sequence < o.sequence;
  }
};

struct VillageModel {
  std::string code;
  uint64_t sequence_max = 0;        // the model holds records 1..sequence_max
  std::vector<Adoption> adoptions;  // in (effective, sequence) order
  std::map<std::string, Household> households;
  std::map<std::string, Person> persons;
  std::map<std::string, Scorer> scorers;
  std::unordered_map<std::string, Revocation> revocations;  // by target id
  IdMap<Approval> approvals;                                // by award id
  std::map<std::string, PeriodRecords> periods;             // by period ("2022-03")
  std::map<std::string, Objection> objections;              // by id
  // The codes its events hold (shared by copies of the model, so their events stay valid).
  std::shared_ptr<CodeTable> codes = std::make_shared<CodeTable>();
  // Awards and redemptions in (date, sequence) order once SortEvents() has run after appends.
  std::vector<Event> events;
  bool events_sorted = true;

  // The rules in force on `day`: the adoption with the latest effective date on or before it
  // (the last recorded among equal dates). nullptr when none.
  const Adoption* RulesInForce(Date day) const;
  // The household `person` belongs to on `day`, or nullptr if not registered by then.
  const std::string* HouseholdOf(const std::string& person, Date day) const;
  // The household an award to `subject` (a household or a person) counts for on `day`: the
  // household itself, or the person's household then; nullptr if neither.
  const std::string* HouseholdOfSubject(const std::string& subject, Date day) const;
  // People whose household on `day` is `household`.
  int MembersOn(const std::string& household, Date day) const;
  // Whether a revoke record (or an upheld objection) names `id`. Replay and admission ask this of
  // every event: it is answered from the ids Add filed, without building a string.
  bool IsRevoked(std::string_view id) const {
    if (revocations.empty() || id.empty()) return false;
    if (revoked_ids_.size() == revocations.size()) return revoked_ids_.Contains(id);
    return revocations.count(std::string(id)) > 0;  // filed some other way than Add
  }
  // Whether an approve record names `id`.
  bool IsApproved(std::string_view id) const { return approvals.Contains(id); }

  // Whether an award waits for review (SPEC.md §3 "Review"): `rules` (in force on its date) name
  // review roles, its scorer holds none of them, and no approve record names its id. An award
  // without an id is never pending (admission refuses one that would be: it could not be approved).
  bool IsPending(const grammar::RuleFile& rules, std::string_view scorer,
                 std::string_view id) const;
  // Whether `scorer` holds a review role of `rules`.
  bool IsReviewer(const grammar::RuleFile& rules, std::string_view scorer) const;

  // Folds one record into the model (used while loading and while admitting a batch). Rule texts
  // are parsed here; a rule text that no longer parses is Status::Corruption.
  Status Add(const ledger::Record& record);
  // Folds one revocation or approval into the model, as Add does with its record (loading reads
  // them as views: ledger::Reader::ForEachStructuralView).
  void AddTarget(const ledger::TargetView& target);
  // Appends an award or redemption; out-of-order appends are put in place by SortEvents().
  void AppendEvent(const ledger::Record& record);
  void SortEvents();

 private:
  // The keys of `revocations` as Add filed them. Trusted only while it holds as many ids as the
  // map (which is public, so a test may file one directly): else the map is asked.
  IdSet revoked_ids_;
};

// The registered name of household `code`; "" when the model has no such household.
std::string HouseholdName(const VillageModel& model, const std::string& code);

// Loads `village` as of `sequence_max` (structure in full, events dated from..to).
Result<VillageModel> LoadVillage(const ledger::Reader& reader, const std::string& village,
                                 uint64_t sequence_max, Date events_from, Date events_to);

// Loads `village` as of `sequence_max` without its events: rules, registrations, revocations and
// the workflow records (what admission and the workflow commands need).
Result<VillageModel> LoadVillageStructure(const ledger::Reader& reader, const std::string& village,
                                          uint64_t sequence_max);

// Appends the village's events dated from..to (as of model->sequence_max) to model->events, which
// must hold only earlier events: read from the events index alone, in (date, sequence) order.
Status LoadEvents(const ledger::Reader& reader, VillageModel* model, Date from, Date to);

// Parses an adopted rule text (cached by its SHA-256: a ledger adopts few versions).
Result<std::shared_ptr<const grammar::RuleFile>> ParseAdoptedRules(const std::string& text,
                                                                   const std::string& sha256,
                                                                   const std::string& file);

}  // namespace jifen::engine
