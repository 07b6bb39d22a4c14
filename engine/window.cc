#include "engine/window.h"

#include <cassert>

#include "engine/annual.h"

namespace jifen::engine {

using ledger::RecordType;

Result<std::pair<Period, Period>> ResolveWindow(const VillageModel& model,
                                                const ReportWindow& window) {
  if (window.period && window.covering) {
    auto first = PeriodOf(model, window.period->FirstDay());
    auto last = PeriodOf(model, window.period->LastDay());
    if (!first || !last) {
      return Status::InvalidInput("village " + model.code + ": no rules in force on " +
                                  window.period->FirstDay().ToString());
    }
    return std::make_pair(*first, *last);
  }
  if (window.period) return std::make_pair(*window.period, *window.period);
  assert(window.year.has_value());
  return PeriodsOfYear(model, *window.year);
}

Status LoadEventsForPeriods(const ledger::Reader& reader, VillageModel* model, Period first,
                            Date last_day) {
  assert(model->events.empty());  // a structure: LoadEvents appends to what is there
  return LoadEvents(reader, model, ReplayStart(*model, first), last_day);
}

Result<VillageModel> LoadVillageForPeriods(const ledger::Reader& reader, const std::string& village,
                                           uint64_t sequence_max, Period first, Date last_day) {
  auto model = LoadVillageStructure(reader, village, sequence_max);
  if (!model.ok()) return model.status();
  if (model->adoptions.empty() && model->households.empty()) return model;
  if (Status s = LoadEventsForPeriods(reader, &*model, first, last_day); !s.ok()) return s;
  return model;
}

Result<WindowModel> LoadWindow(const ledger::Reader& reader, const std::string& village,
                               uint64_t sequence_max, const ReportWindow& window) {
  // Structure first (no events: from after to), to learn the window and where replay starts.
  auto model = LoadVillageStructure(reader, village, sequence_max);
  if (!model.ok()) return model.status();
  if (model->adoptions.empty() && model->households.empty()) {
    return Status::InvalidInput("village " + village + ": not in the ledger");
  }
  auto range = ResolveWindow(*model, window);
  if (!range.ok()) return range.status();
  if (Status s = LoadEventsForPeriods(reader, &*model, range->first, range->second.LastDay());
      !s.ok())
    return s;
  return WindowModel{std::move(*model), range->first, range->second};
}

const Person* ScoredOwnHousehold::PersonOf(std::string_view scorer) const {
  auto s = model_.scorers.find(std::string(scorer));
  if (s == model_.scorers.end() || s->second.person.empty()) return nullptr;
  auto person = model_.persons.find(s->second.person);
  return person == model_.persons.end() ? nullptr : &person->second;
}

bool ScoredOwnHousehold::operator()(const EventResult& result) {
  const Event& e = *result.record;
  if (e.type != RecordType::kAward || result.household.empty()) return false;
  const Person* person =
      person_of_scorer_.Get(e.scorer, [&](std::string_view scorer) { return PersonOf(scorer); });
  const std::string* h = person ? person->HouseholdOn(e.date) : nullptr;
  return h && SameText(*h, result.household);
}

int DaysLate(const Event& record, const Period& period) {
  return record.recorded.LocalDate().days() - period.LastDay().days();
}

std::vector<RulesVersion> RulesVersions(const VillageModel& model, Period first, Period last) {
  std::vector<RulesVersion> out;
  for (Period p = first;; p = *PeriodOf(model, p.LastDay().AddDays(1))) {
    const Adoption* a = model.RulesInForce(p.FirstDay());
    if (out.empty() || out.back().sequence != a->sequence) {
      out.push_back({a->sequence, a->sha256, a->effective, a->recorded, a->approved_by, {}});
    }
    out.back().periods.push_back(p);
    if (p == last) break;
  }
  return out;
}

}  // namespace jifen::engine
