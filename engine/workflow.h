// A period's place in the village's workflow (SPEC.md §3 "Posting"): never posted, in its notice
// window, awaiting rulings, or final; and whether records that would change it are still taken.
// Derived from the post, objection and ruling records of a VillageModel: nothing is stored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model.h"

namespace jifen::engine {

enum class PeriodState : uint8_t {
  kOpen,             // never posted
  kNotice,           // posted; the notice window is open
  kAwaitingRulings,  // the window has ended; some objection has no ruling yet
  kFinal,            // the window has ended and every objection has its ruling
};

// "open", "notice", "awaiting_rulings", "final" (the JSON words).
const char* PeriodStateName(PeriodState state);

struct PeriodStatus {
  PeriodState state = PeriodState::kOpen;
  std::optional<Post> post;          // the latest post, if any
  std::optional<int> notice_days;    // the village's notice window (nullopt: none)
  std::optional<Date> notice_until;  // the window's last day; with no window, the post's day
  int objections = 0;
  int open_objections = 0;  // without a ruling in the model
  int upheld = 0;
};

// The status of `period` as of `at`, from the records the model holds (the caller loads the
// model as of `at`). The rules in force on the period's first day give the notice window.
PeriodStatus StatusOf(const VillageModel& model, const Period& period, Timestamp at);

// The posted periods whose notice window is open at `at`, latest first.
std::vector<Period> PeriodsOnNotice(const VillageModel& model, Timestamp at);

// What locks a period: when it was posted and when its notice window ended.
struct PeriodLock {
  Period period;
  Date posted;                       // the latest post's recorded day
  std::optional<Date> notice_until;  // nullopt: the village has no notice window
};

// Whether `period` takes no more records (SPEC.md §3 "Locked and final") that would be recorded
// at `recorded`: it was posted and its window ended before `recorded`'s day (at once without a
// notice window). Returns what locks it, or nullopt when the period is still open.
std::optional<PeriodLock> LockOf(const VillageModel& model, const Period& period,
                                 Timestamp recorded);

// The id `jifen post` and `jifen object` give a record when none is named: VILLAGE-KIND-PERIOD
// (kind "P" for a post, "O" for an objection), numbered from 2 when taken, an id a clerk can read
// aloud. Unique among the model's posts of `period` and its objections.
std::string DefaultWorkflowId(const VillageModel& model, const std::string& kind,
                              const std::string& period);

// The id of the ruling on objection `objection` when none is named: OBJECTION-ruling.
std::string RulingId(const std::string& objection);

// What a workflow record says (SPEC.md §3 "Review", "Posting", "Objections"), as `jifen approve`,
// `post`, `object` and `rule` and the month pages' forms take it.
struct WorkflowEntry {
  std::string village;
  std::string id;         // post, objection, ruling (a ruling without one gets RulingId(target))
  std::string period;     // post, objection
  std::string target;     // approve, revoke: an award; objection: a record; ruling: an objection
  std::string household;  // objection about a household's figures rather than one record
  std::string scorer;     // who wrote it down
  std::string reason;     // revoke, objection, ruling
  std::string filed_by;   // objection: who filed it (the record's name)
  std::string outcome;    // ruling: "upheld" or "dismissed"
  std::string head;       // post: the chain head of the board that was posted, or ""
};

// The record of `type` (approve, revoke, post, objection or ruling) with the fields of `entry`
// that its type carries; unstamped (admission gives it its time).
ledger::Record WorkflowRecord(ledger::RecordType type, const WorkflowEntry& entry);

}  // namespace jifen::engine
