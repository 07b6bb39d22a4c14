#include "engine/replay.h"

#include <algorithm>
#include <cassert>
#include <set>
#include <unordered_map>

#include "engine/bonus.h"
#include "engine/titles.h"

namespace jifen::engine {
namespace {

using ledger::RecordType;
using rules::Clearing;

struct Accumulator {
  Points person_points, household_points, redeemed;
  BonusContext bonus_context;
  std::vector<EventResult> events;
};

// Everything that carries from one period to the next.
struct CarryState {
  std::map<std::string, Points> closing;               // balance - cleared, by household
  std::unordered_map<std::string, int64_t> cap_used;   // subject/item/window -> cents
  std::set<std::string> vetoed_this_year;
  int year = 0;
};

std::string CapKey(const std::string& subject, const rules::Item& item, const Period& p) {
  std::string window = item.cap->window == rules::Window::kYear ? std::to_string(p.year) : p.ToString();
  std::string key;
  key.reserve(subject.size() + item.code.size() + window.size() + 2);
  key.append(subject).push_back('\x1f');
  key.append(item.code).push_back('\x1f');
  key.append(window);
  return key;
}

// Applies one award to the period's accumulators.
EventResult CountAward(const VillageModel& model, const rules::RuleFile& rules, const Period& p,
                       const Event& e, CarryState& carry) {
  EventResult result;
  result.record = &e;
  bool household_subject = model.households.count(e.subject) > 0;
  if (household_subject) {
    result.household = e.subject;
  } else if (const std::string* h = model.HouseholdOf(e.subject, e.date)) {
    result.household = *h;
  }
  const rules::Item* item = rules.FindItem(e.item);
  if (item) result.raw = item->points.Times(e.qty);
  if (model.IsRevoked(e.id)) {
    result.outcome = Outcome::kRevoked;
    return result;
  }
  if (!item) {
    result.outcome = Outcome::kUnknownItem;
    return result;
  }
  if (result.household.empty()) {
    result.outcome = Outcome::kNoHousehold;
    return result;
  }
  result.counted = result.raw;
  if (item->cap) {
    int64_t& used = carry.cap_used[CapKey(e.subject, *item, p)];
    int64_t remaining = std::max<int64_t>(0, item->cap->points.cents() - used);
    int64_t magnitude = std::min(result.raw.Abs().cents(), remaining);
    used += magnitude;
    result.counted = Points::FromCents(result.raw.cents() < 0 ? -magnitude : magnitude);
    if (result.counted != result.raw) {
      result.outcome = Outcome::kCapped;
      result.cap = item->cap->points;
    }
  }
  if (item->veto && result.counted != Points()) carry.vetoed_this_year.insert(result.household);
  return result;
}

EventResult CountRedemption(const VillageModel& model, const rules::RuleFile& rules, const Event& e) {
  EventResult result;
  result.record = &e;
  result.household = e.household;
  const rules::Reward* reward = rules.FindReward(e.reward);
  if (reward) result.raw = reward->cost.Times(e.qty);
  if (model.IsRevoked(e.id)) {
    result.outcome = Outcome::kRevoked;
  } else if (!reward) {
    result.outcome = Outcome::kUnknownItem;
  } else {
    result.counted = result.raw;
  }
  return result;
}

std::map<std::string, int> MembersByHousehold(const VillageModel& model, Date day) {
  std::map<std::string, int> members;
  for (const auto& [code, person] : model.persons) {
    if (const std::string* h = model.HouseholdOf(code, day)) ++members[*h];
  }
  return members;
}

bool EndsClearingWindow(Clearing clearing, const Period& p) {
  switch (clearing) {
    case Clearing::kPeriod: return true;
    case Clearing::kYear: return p.IsLastOfYear();
    case Clearing::kNever: return false;
  }
  return false;
}

// Closes one period: bonuses, balances, clearing, ranking and titles.
PeriodFigures ClosePeriod(const VillageModel& model, const Adoption& adoption, const Period& p,
                          std::map<std::string, Accumulator>& acc, CarryState& carry,
                          const ReplayOptions& options, bool requested) {
  const rules::RuleFile& rules = *adoption.rules;
  PeriodFigures out;
  out.period = p;
  out.adoption = &adoption;
  Date end = p.LastDay();
  auto members = MembersByHousehold(model, end);
  for (const auto& [code, household] : model.households) {
    // Every existing household has figures (in a one-household replay, just that one).
    if (household.since <= end && (options.only_household.empty() || code == options.only_household)) acc[code];
  }
  for (auto& [code, a] : acc) {
    HouseholdFigures f;
    f.household = code;
    f.carried = carry.closing[code];
    auto hh = model.households.find(code);
    if (hh != model.households.end() && hh->second.since <= end) f.base = rules.village.base;
    f.person_points = a.person_points;
    f.household_points = a.household_points;
    f.redeemed = a.redeemed;
    f.members = members[code];
    a.bonus_context.earned = f.base + f.person_points + f.household_points;
    a.bonus_context.members = f.members;
    bool detail = requested && code == options.detail_household;
    if (!options.events_through) {
      for (const rules::Bonus& b : rules.bonuses) {
        bool fired = EvaluateCondition(*b.when, a.bonus_context);
        if (fired) f.bonus += b.points;
        if (detail) f.bonuses.push_back({b.code, b.name, b.points, fired});
      }
    }
    f.earned = a.bonus_context.earned + f.bonus;
    f.balance = f.carried + f.earned - f.redeemed;
    f.cleared = EndsClearingWindow(rules.village.clearing, p) ? f.balance : Points();
    f.vetoed = carry.vetoed_this_year.count(code) > 0;
    carry.closing[code] = f.balance - f.cleared;
    if (detail) {
      f.events = a.events;
      f.bonus_context = a.bonus_context;
    }
    out.households.push_back(std::move(f));
  }
  if (requested && options.only_household.empty()) RankAndTitlePeriod(rules, out.households);
  return out;
}

}  // namespace

std::optional<Period> PeriodOf(const VillageModel& model, Date day) {
  const Adoption* a = model.RulesInForce(day);
  if (!a) return std::nullopt;
  return Period::Containing(day, a->rules->village.period);
}

Date ReplayStart(const VillageModel& model, Period period) {
  int year = period.year;
  // Balances cross a year end only when the rules in force on its last day never clear.
  while (true) {
    const Adoption* a = model.RulesInForce(Date::FromCivil(year, 1, 1).AddDays(-1));
    if (!a || a->rules->village.clearing != Clearing::kNever) break;
    --year;
  }
  return Date::FromCivil(year, 1, 1);
}

Result<std::vector<PeriodFigures>> Replay(const VillageModel& model, Period first, Period last,
                                          const ReplayOptions& options) {
  for (const Period& p : {first, last}) {
    const Adoption* a = model.RulesInForce(p.FirstDay());
    if (!a) {
      return Status::InvalidInput("village " + model.code + ": no rules in force on " +
                                  p.FirstDay().ToString());
    }
    if (a->rules->village.period != p.kind) {
      Period right = Period::Containing(p.FirstDay(), a->rules->village.period);
      return Status::InvalidInput("village " + model.code + ": counts by " +
                                  (right.kind == PeriodKind::kMonth ? "month" : "quarter") +
                                  " under the rules in force; ask for " + right.ToString());
    }
  }
  assert(options.events || model.events_sorted);
  const std::vector<Event>& events = options.events ? *options.events : model.events;
  std::vector<PeriodFigures> out;
  CarryState carry;
  std::set<std::string> subjects;  // with only_household: whose awards can count for it
  if (!options.only_household.empty()) {
    subjects.insert(options.only_household);
    for (const auto& [code, person] : model.persons) {
      for (const auto& membership : person.memberships) {
        if (membership.second == options.only_household) subjects.insert(code);
      }
    }
  }
  Date day = ReplayStart(model, first);
  auto next_event = std::lower_bound(events.begin(), events.end(), day,
                                     [](const Event& r, Date d) { return r.date < d; });
  while (day <= last.LastDay()) {
    const Adoption* adoption = model.RulesInForce(day);
    if (!adoption) {
      // Nothing counts before the village's first rules; jump to them.
      assert(!model.adoptions.empty());
      day = model.adoptions.front().effective;
      continue;
    }
    const rules::RuleFile& rules = *adoption->rules;
    Period p = Period::Containing(day, rules.village.period);
    Date end = p.LastDay();
    if (p.year != carry.year) {
      carry.vetoed_this_year.clear();
      carry.year = p.year;
    }
    bool requested = p.FirstDay() >= first.FirstDay();
    bool is_last = p == last;
    std::map<std::string, Accumulator> acc;
    for (; next_event != events.end() && next_event->date <= end; ++next_event) {
      const Event& e = *next_event;
      if (e.date < day) continue;
      if (is_last && options.events_through && e.date > *options.events_through) continue;
      bool award = e.type == RecordType::kAward;
      if (!subjects.empty() && (award ? !subjects.count(e.subject) : e.household != options.only_household)) continue;
      EventResult r = award ? CountAward(model, rules, p, e, carry) : CountRedemption(model, rules, e);
      if (r.household.empty()) continue;
      if (!subjects.empty() && r.household != options.only_household) continue;  // a member's award elsewhere
      Accumulator& a = acc[r.household];
      if (award) {
        (model.households.count(e.subject) ? a.household_points : a.person_points) += r.counted;
        const rules::Item* item = rules.FindItem(e.item);
        if (item && r.outcome != Outcome::kRevoked) a.bonus_context.awards.push_back({item, r.counted});
      } else {
        a.redeemed += r.counted;
      }
      if (requested && (options.keep_events || r.household == options.detail_household)) {
        a.events.push_back(r);
      }
    }
    PeriodFigures figures = ClosePeriod(model, *adoption, p, acc, carry, options, requested);
    if (requested && options.keep_events) {
      for (auto& [code, a] : acc) {
        for (auto& r : a.events) figures.events.push_back(r);
      }
      std::sort(figures.events.begin(), figures.events.end(), [](const EventResult& x, const EventResult& y) {
        return x.record->date != y.record->date ? x.record->date < y.record->date
                                                : x.record->sequence < y.record->sequence;
      });
    }
    if (requested) out.push_back(std::move(figures));
    day = end.AddDays(1);
  }
  return out;
}

std::vector<int> CompetitionRanks(const std::vector<std::pair<int64_t, int64_t>>& fractions) {
  std::vector<int> ranks(fractions.size());
  for (size_t i = 0; i < fractions.size(); ++i) {
    bool tie = i > 0 && static_cast<__int128>(fractions[i].first) * fractions[i - 1].second ==
                            static_cast<__int128>(fractions[i - 1].first) * fractions[i].second;
    ranks[i] = tie ? ranks[i - 1] : static_cast<int>(i) + 1;
  }
  return ranks;
}

}  // namespace jifen::engine
