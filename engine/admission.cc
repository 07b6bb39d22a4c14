#include "engine/admission.h"

#include <algorithm>
#include <map>

#include "engine/model.h"
#include "engine/replay.h"
#include "grammar/parser.h"

namespace jifen::engine {
namespace {

using ledger::Record;
using ledger::RecordType;

const Date kBeginning = Date::FromCivil(1, 1, 1);
const Date kEnd = Date::FromCivil(9999, 12, 31);

// Holds the models of the villages a batch touches, kept current as records are appended.
class Admission {
 public:
  Admission(ledger::WriteBatch& batch, Timestamp now) : batch_(batch), now_(now) {}

  // Returns the reason `r` is refused, or nullopt. Sets `*skip` when `r` is already in the ledger.
  std::optional<std::string> Check(Record& r, bool* skip);
  Status Append(Record& r);
  const Status& failure() const { return failure_; }

 private:
  VillageModel* Model(const std::string& village);
  std::optional<std::string> CheckRegistration(VillageModel& m, const Record& r);
  std::optional<std::string> CheckAward(VillageModel& m, const Record& r);
  std::optional<std::string> CheckRevoke(VillageModel& m, const Record& r);
  std::optional<std::string> CheckRedeem(VillageModel& m, const Record& r);
  std::optional<std::string> CheckScorer(VillageModel& m, const Record& r);
  std::optional<std::string> CheckDates(const VillageModel& m, const Record& r, bool late_applies);

  ledger::WriteBatch& batch_;
  Timestamp now_;
  std::map<std::string, VillageModel> models_;
  Status failure_;
};

VillageModel* Admission::Model(const std::string& village) {
  auto it = models_.find(village);
  if (it != models_.end()) return &it->second;
  auto loaded = LoadVillage(batch_, village, batch_.HeadSequence(), kBeginning, kEnd);
  if (!loaded.ok()) {
    failure_ = loaded.status();
    return nullptr;
  }
  return &models_.emplace(village, std::move(*loaded)).first->second;
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
      if (ledger::SameContent(r, *existing)) {
        *skip = true;
        return std::nullopt;
      }
      if (r.type == RecordType::kRevoke) {
        return "target " + r.target + ": already revoked (sequence " + std::to_string(*seq) + ")";
      }
      std::string what = !r.id.empty()                    ? "id " + r.id
                         : r.type == RecordType::kMove    ? "move of " + r.code + " on " + r.date.ToString()
                                                          : key.substr(0, key.find(':')) + " " + r.code;
      return what + ": already in the ledger with other content (sequence " + std::to_string(*seq) + ")";
    }
  }
  if (auto latest = batch_.LatestRecorded(); latest && r.recorded < *latest) {
    return "recorded " + r.recorded.ToString() + ": before the ledger's latest record (" +
           latest->ToString() + "); recorded times never go backwards";
  }
  if (now_ < r.recorded) return "recorded " + r.recorded.ToString() + ": in the future";
  VillageModel* m = Model(r.village);
  if (!m) return failure_.message();
  if (m->adoptions.empty()) return "village " + r.village + ": no rules adopted (run `jifen rules adopt` first)";
  switch (r.type) {
    case RecordType::kHousehold:
    case RecordType::kPerson:
    case RecordType::kMove: return CheckRegistration(*m, r);
    case RecordType::kScorer: return CheckScorer(*m, r);
    case RecordType::kAward: return CheckAward(*m, r);
    case RecordType::kRevoke: return CheckRevoke(*m, r);
    case RecordType::kRedeem: return CheckRedeem(*m, r);
    case RecordType::kRules: return "rules: adopt rule files with `jifen rules adopt`, not import";
  }
  return std::nullopt;
}

Status Admission::Append(Record& r) {
  Status s = batch_.Append(r);
  if (!s.ok()) return s;
  return Model(r.village)->Add(r);
}

std::optional<std::string> Admission::CheckRegistration(VillageModel& m, const Record& r) {
  if (r.type == RecordType::kHousehold) {
    if (r.shares < 0) return "household " + r.code + ": shares must not be negative";
    return std::nullopt;
  }
  std::string who = "person " + r.code;
  if (r.type == RecordType::kMove) {
    auto p = m.persons.find(r.code);
    if (p == m.persons.end()) return who + ": not registered";
    if (r.date < p->second.since) {
      return who + ": moves on " + r.date.ToString() + ", before registering on " + p->second.since.ToString();
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
std::optional<std::string> Admission::CheckDates(const VillageModel& m, const Record& r, bool late_applies) {
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
      return "recorded " + recorded_day.ToString() + ", " + std::to_string(days_late) + " days after period " +
             p.ToString() + " ended (late limit " + std::to_string(*late) + " days)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckAward(VillageModel& m, const Record& r) {
  auto scorer = m.scorers.find(r.scorer);
  if (scorer == m.scorers.end()) return "scorer " + r.scorer + ": not registered";
  if (auto bad = CheckDates(m, r, true)) return bad;
  const rules::RuleFile& rules = *m.RulesInForce(r.date)->rules;
  Period p = Period::Containing(r.date, rules.village.period);
  const rules::Item* item = rules.FindItem(r.item);
  if (!item) return "item " + r.item + ": not in the rules in force for " + p.ToString();
  bool is_household = m.households.count(r.subject) > 0;
  if (!is_household && !m.persons.count(r.subject)) return "subject " + r.subject + ": not registered";
  if (item->per == rules::Per::kHousehold && !is_household) {
    return "item " + item->code + " is per household: subject " + r.subject + " is a person";
  }
  if (item->per == rules::Per::kPerson && is_household) {
    return "item " + item->code + " is per person: subject " + r.subject + " is a household";
  }
  std::string household = r.subject;
  if (is_household) {
    if (r.date < m.households.at(r.subject).since) {
      return "household " + r.subject + ": not registered on " + r.date.ToString();
    }
  } else {
    const std::string* h = m.HouseholdOf(r.subject, r.date);
    if (!h) return "person " + r.subject + ": not registered on " + r.date.ToString();
    household = *h;
  }
  if (r.qty != 1 && !item->unit) return "qty " + std::to_string(r.qty) + ": item " + item->code + " has no unit";
  if (item->evidence && r.evidence.empty()) return "item " + item->code + ": needs evidence";
  if (!item->roles.empty() &&
      std::find(item->roles.begin(), item->roles.end(), scorer->second.role) == item->roles.end()) {
    std::string roles;
    for (const auto& role : item->roles) roles += (roles.empty() ? "" : " | ") + role;
    return "scorer " + r.scorer + " (" + scorer->second.role + "): item " + item->code + " is recorded only by " + roles;
  }
  if (rules.village.self == rules::SelfScoring::kDeny && !scorer->second.person.empty()) {
    const std::string* own = m.HouseholdOf(scorer->second.person, r.date);
    if (own && *own == household) {
      return "scorer " + r.scorer + ": may not score own household " + household + " (self deny)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckRevoke(VillageModel& m, const Record& r) {
  if (!m.scorers.count(r.scorer)) return "scorer " + r.scorer + ": not registered";
  auto seq = batch_.FindKey(r.village, r.target);
  if (!seq) return "target " + r.target + ": no award or redemption with this id in village " + r.village;
  if (auto it = m.revocations.find(r.target); it != m.revocations.end()) {
    return "target " + r.target + ": already revoked (sequence " + std::to_string(it->second.sequence) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> Admission::CheckRedeem(VillageModel& m, const Record& r) {
  if (!m.scorers.count(r.scorer)) return "scorer " + r.scorer + ": not registered";
  if (auto bad = CheckDates(m, r, false)) return bad;
  auto h = m.households.find(r.household);
  if (h == m.households.end()) return "household " + r.household + ": not registered";
  if (r.date < h->second.since) return "household " + r.household + ": not registered on " + r.date.ToString();
  const rules::RuleFile& rules = *m.RulesInForce(r.date)->rules;
  Period p = Period::Containing(r.date, rules.village.period);
  const rules::Reward* reward = rules.FindReward(r.reward);
  if (!reward) return "reward " + r.reward + ": not in the rules in force for " + p.ToString();
  Points cost = reward->cost.Times(r.qty);
  if (reward->stock) {
    int64_t taken = 0;
    for (const Event& e : m.events) {
      if (e.type != RecordType::kRedeem || e.reward != r.reward || m.IsRevoked(e.id)) continue;
      if (!reward->stock_per_period || Period::Containing(e.date, p.kind) == p) taken += e.qty;
    }
    if (taken + r.qty > *reward->stock) {
      return "reward " + r.reward + ": stock " + std::to_string(*reward->stock) +
             (reward->stock_per_period ? " per period" : "") + " exceeded (" + std::to_string(taken) +
             " already redeemed, asked " + std::to_string(r.qty) + ")";
    }
  }
  m.SortEvents();
  ReplayOptions options;
  options.events_through = r.date;
  options.only_household = r.household;
  auto figures = Replay(m, p, p, options);
  if (!figures.ok()) return figures.status().message();
  Points balance;
  for (const HouseholdFigures& f : figures->back().households) {
    if (f.household == r.household) balance = f.carried + f.base + f.person_points + f.household_points - f.redeemed;
  }
  if (balance < cost) {
    return "redemption " + r.id + ": household " + r.household + " has " + balance.ToString() + " points on " +
           r.date.ToString() + ", " + reward->code + " x " + std::to_string(r.qty) + " costs " + cost.ToString();
  }
  return std::nullopt;
}

}  // namespace

Result<ImportReport> ImportRecords(ledger::Ledger& ledger, const std::vector<ImportLine>& lines, Timestamp now,
                                   const std::function<void(size_t)>& progress) {
  ImportReport report;
  Status s = ledger.Write([&](ledger::WriteBatch& batch) -> Status {
    report = ImportReport{};
    Admission admission(batch, now);
    size_t checked = 0;
    for (const ImportLine& line : lines) {
      if (progress && ++checked % 1024 == 0) progress(checked);
      Record r = line.record;
      if (!r.recorded_given) r.recorded = now;
      bool skip = false;
      auto refusal = admission.Check(r, &skip);
      if (!admission.failure().ok()) return admission.failure();
      if (refusal) {
        report.errors.push_back(line.file + ":" + std::to_string(line.line) + ": " + *refusal);
        continue;
      }
      if (skip) {
        ++report.skipped;
        continue;
      }
      // Good lines are appended even after a bad one so that the lines after them are checked
      // against them; the transaction is aborted at the end and nothing is written.
      Status appended = admission.Append(r);
      if (!appended.ok()) return appended;
      ++report.appended;
    }
    report.head_sequence = batch.HeadSequence();
    if (!report.errors.empty()) return Status::InvalidInput("import refused");
    return Status::Ok();
  });
  if (!s.ok() && report.errors.empty()) return s;
  if (!report.errors.empty()) report.appended = 0;
  return report;
}

namespace {

bool IsPeriodStart(Date day, PeriodKind kind) { return Period::Containing(day, kind).FirstDay() == day; }

}  // namespace

Result<AdoptReport> AdoptRules(ledger::Ledger& ledger, const AdoptRequest& request, Timestamp now) {
  auto parsed = rules::ParseRules(request.text, request.file);
  if (!parsed.rules) {
    std::string all;
    for (const auto& d : parsed.diagnostics) all += rules::FormatDiagnostic(d);
    return Status::InvalidInput(all);
  }
  const rules::RuleFile& rules = *parsed.rules;
  const std::string& village = rules.village.code;
  PeriodKind kind = rules.village.period;
  std::string where = request.file + ": ";
  if (!IsPeriodStart(request.effective, kind)) {
    return Status::InvalidInput(where + "effective date " + request.effective.ToString() +
                                " is not the first day of a " + (kind == PeriodKind::kMonth ? "month" : "quarter"));
  }
  AdoptReport report;
  report.village = village;
  report.sha256 = ledger::Sha256Hex(request.text);
  Timestamp recorded = request.recorded.value_or(now);
  Status s = ledger.Write([&](ledger::WriteBatch& batch) -> Status {
    if (auto latest = batch.LatestRecorded(); latest && recorded < *latest) {
      return Status::InvalidInput(where + "recorded " + recorded.ToString() + ": before the ledger's latest record (" +
                                  latest->ToString() + ")");
    }
    if (now < recorded) return Status::InvalidInput(where + "recorded " + recorded.ToString() + ": in the future");
    auto model = LoadVillage(batch, village, batch.HeadSequence(), kBeginning, kBeginning);
    if (!model.ok()) return model.status();
    const Adoption* before = model->RulesInForce(request.effective.AddDays(-1));
    if (before && !IsPeriodStart(request.effective, before->rules->village.period)) {
      return Status::InvalidInput(where + "effective date " + request.effective.ToString() +
                                  " falls inside a period of the rules in force before it");
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
