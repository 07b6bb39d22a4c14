#include "engine/workflow.h"

#include <cassert>

namespace jifen::engine {
namespace {

struct NoticeWindow {
  const Post* post = nullptr;
  std::optional<int> notice_days;
  std::optional<Date> until;
};

NoticeWindow WindowOf(const VillageModel& model, const Period& period) {
  NoticeWindow w;
  if (const Adoption* a = model.RulesInForce(period.FirstDay()))
    w.notice_days = a->rules->village.notice_days;
  auto it = model.periods.find(period.ToString());
  if (it == model.periods.end() || it->second.posts.empty()) return w;
  w.post = &it->second.posts.back();
  w.until = w.post->recorded.LocalDate().AddDays(w.notice_days.value_or(0));
  return w;
}

// Whether the window has ended by `at`: the day after its last, or at once without a window.
bool Ended(const NoticeWindow& w, Timestamp at) {
  if (!w.post) return false;
  if (!w.notice_days) return true;
  return at.LocalDate() > *w.until;
}

}  // namespace

const char* PeriodStateName(PeriodState state) {
  switch (state) {
    case PeriodState::kOpen:
      return "open";
    case PeriodState::kNotice:
      return "notice";
    case PeriodState::kAwaitingRulings:
      return "awaiting_rulings";
    case PeriodState::kFinal:
      return "final";
  }
  return "open";
}

PeriodStatus StatusOf(const VillageModel& model, const Period& period, Timestamp at) {
  NoticeWindow w = WindowOf(model, period);
  PeriodStatus status;
  if (w.post) status.post = *w.post;
  status.notice_days = w.notice_days;
  status.notice_until = w.until;
  if (auto it = model.periods.find(period.ToString()); it != model.periods.end()) {
    for (const std::string& id : it->second.objections) {
      const Objection& o = model.objections.at(id);
      ++status.objections;
      if (!o.ruling) ++status.open_objections;
      if (o.ruling && o.ruling->upheld) ++status.upheld;
    }
  }
  if (!w.post) {
    status.state = PeriodState::kOpen;
  } else if (!Ended(w, at)) {
    status.state = PeriodState::kNotice;
  } else {
    status.state = status.open_objections > 0 ? PeriodState::kAwaitingRulings : PeriodState::kFinal;
  }
  return status;
}

std::vector<Period> PeriodsOnNotice(const VillageModel& model, Timestamp at) {
  std::vector<Period> out;
  for (auto it = model.periods.rbegin(); it != model.periods.rend(); ++it) {
    auto p = Period::Parse(it->first);
    if (p && !it->second.posts.empty() &&
        StatusOf(model, *p, at).state == PeriodState::kNotice) {
      out.push_back(*p);
    }
  }
  return out;
}

std::optional<PeriodLock> LockOf(const VillageModel& model, const Period& period,
                                 Timestamp recorded) {
  NoticeWindow w = WindowOf(model, period);
  if (!Ended(w, recorded)) return std::nullopt;
  PeriodLock lock{period, w.post->recorded.LocalDate(), std::nullopt};
  if (w.notice_days) lock.notice_until = *w.until;
  return lock;
}

std::string DefaultWorkflowId(const VillageModel& model, const std::string& kind,
                              const std::string& period) {
  std::string base = model.code + "-" + kind + period;
  auto records = model.periods.find(period);
  size_t taken = 0;
  if (records != model.periods.end()) {
    taken = kind == "P" ? records->second.posts.size() : records->second.objections.size();
  }
  for (size_t n = taken + 1;; ++n) {
    std::string id = n == 1 ? base : base + "-" + std::to_string(n);
    bool used = model.objections.count(id) > 0;
    if (records != model.periods.end()) {
      for (const Post& p : records->second.posts) used = used || p.id == id;
    }
    if (!used) return id;
  }
}

std::string RulingId(const std::string& objection) { return objection + "-ruling"; }

ledger::Record WorkflowRecord(ledger::RecordType type, const WorkflowEntry& entry) {
  using ledger::RecordType;
  assert(type == RecordType::kApprove || type == RecordType::kRevoke ||
         type == RecordType::kPost || type == RecordType::kObjection ||
         type == RecordType::kRuling);
  ledger::Record r;
  r.type = type;
  r.village = entry.village;
  r.scorer = entry.scorer;
  if (type == RecordType::kApprove || type == RecordType::kRevoke) {
    r.target = entry.target;
    if (type == RecordType::kRevoke) r.reason = entry.reason;
  } else if (type == RecordType::kPost) {
    r.id = entry.id;
    r.period = entry.period;
    r.sha256 = entry.head;
  } else if (type == RecordType::kObjection) {
    r.id = entry.id;
    r.period = entry.period;
    r.target = entry.target;
    r.household = entry.household;
    r.reason = entry.reason;
    r.name = entry.filed_by;
  } else {
    r.id = entry.id.empty() ? RulingId(entry.target) : entry.id;
    r.target = entry.target;
    r.outcome = entry.outcome;
    r.reason = entry.reason;
  }
  return r;
}

}  // namespace jifen::engine
