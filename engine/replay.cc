#include "engine/replay.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <unordered_map>
#include <unordered_set>

#include "engine/bonus.h"
#include "engine/titles.h"

namespace jifen::engine {
namespace {

using grammar::Clearing;
using ledger::RecordType;

// The codes of one replay resolved once to dense indexes. An event's codes are interned in the
// model's CodeTable, so each code is looked up by its text once and afterwards by its number in a
// vector: counting an event hashes nothing. (Events from elsewhere, such as admission's household
// lists, carry another table's codes and are looked up by text.) Households are numbered in code
// order; a household code met only through a membership or a redemption gets a number too.
class Resolver {
 public:
  explicit Resolver(const VillageModel& model)
      : model_(model),
        subject_by_number_(model.codes.get()),
        household_by_number_(model.codes.get()),
        item_by_number_(model.codes.get()) {
    households_.reserve(model.households.size());
    for (const auto& [code, household] : model.households) AddHousehold(code, &household);
    persons_.reserve(model.persons.size());
    for (const auto& [code, person] : model.persons) {
      PersonInfo info{&person, {}};
      for (const auto& [date, household] : person.memberships) {
        info.memberships.emplace_back(date, HouseholdIndex(household));
      }
      persons_.push_back(std::move(info));
    }
    // A code that is both a household and a person is the household (as in admission).
    for (size_t i = 0; i < persons_.size(); ++i) {
      subjects_.emplace(persons_[i].person->code, -static_cast<int>(i) - 1);
    }
    for (size_t i = 0; i < model.households.size(); ++i) {
      subjects_[households_[i].code] = static_cast<int>(i);
    }
  }

  struct HouseholdInfo {
    std::string_view code;
    const Household* household;  // nullptr: not registered
  };
  struct PersonInfo {
    const Person* person;
    std::vector<std::pair<Date, int>> memberships;  // (date, household index) in date order
  };

  size_t households() const { return households_.size(); }
  const HouseholdInfo& household(int index) const { return households_[index]; }
  // Household indexes in code order.
  const std::vector<int>& order() {
    if (order_.size() != households_.size()) {
      order_.resize(households_.size());
      for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<int>(i);
      std::sort(order_.begin(), order_.end(),
                [&](int a, int b) { return households_[a].code < households_[b].code; });
    }
    return order_;
  }

  int HouseholdIndex(std::string_view code) {
    auto it = household_index_.find(code);
    if (it != household_index_.end()) return it->second;
    return AddHousehold(code, nullptr);
  }
  int HouseholdIndex(const Code& code) {
    return household_by_number_.Get(code,
                                    [&](std::string_view text) { return HouseholdIndex(text); });
  }

  // >= 0: a household index; < 0: person -(index + 1); kUnknown: neither.
  static constexpr int kUnknown = INT32_MIN;
  int Subject(std::string_view code) const {
    auto it = subjects_.find(code);
    return it == subjects_.end() ? kUnknown : it->second;
  }
  int Subject(const Code& code) {
    return subject_by_number_.Get(code, [&](std::string_view text) { return Subject(text); });
  }
  // The household index of person `p` on `day`, or -1.
  int HouseholdOfPerson(int p, Date day) const {
    const PersonInfo& info = persons_[p];
    const int* household = MembershipOn(info.memberships, info.person->since, day);
    return household ? *household : -1;
  }
  size_t persons() const { return persons_.size(); }
  const PersonInfo& person(int p) const { return persons_[p]; }

  struct ItemRef {
    const grammar::Item* item = nullptr;
    int code = -1;  // the item code's number, shared across rule versions (caps follow the code)
  };
  ItemRef Item(const grammar::RuleFile& rules, const Code& code) {
    if (&rules != items_of_) ItemsOf(rules);
    return item_by_number_.Get(code, [&](std::string_view text) { return Item(rules, text); });
  }
  ItemRef Item(const grammar::RuleFile& rules, std::string_view code) {
    if (&rules != items_of_) ItemsOf(rules);
    auto it = items_.find(code);
    return it == items_.end() ? ItemRef{} : it->second;
  }

  // Whether `scorer` holds a review role of `rules` (VillageModel::IsReviewer), asked once per
  // scorer and rule version.
  bool Reviewer(const grammar::RuleFile& rules, const Code& scorer) {
    if (&rules != reviewers_of_) {
      reviewers_of_ = &rules;
      reviewer_by_number_.Clear();
    }
    return reviewer_by_number_.Get(
        scorer, [&](std::string_view text) { return model_.IsReviewer(rules, text); });
  }

 private:
  void ItemsOf(const grammar::RuleFile& rules) {
    items_of_ = &rules;
    item_by_number_.Clear();
    items_.clear();
    for (const grammar::Item& item : rules.items) {
      auto [it, added] = item_codes_.emplace(item.code, static_cast<int>(item_codes_.size()));
      items_.emplace(item.code, ItemRef{&item, it->second});
    }
  }
  int AddHousehold(std::string_view code, const Household* household) {
    int index = static_cast<int>(households_.size());
    households_.push_back({code, household});
    household_index_.emplace(code, index);
    return index;
  }

  const VillageModel& model_;
  std::vector<HouseholdInfo> households_;
  std::unordered_map<std::string_view, int> household_index_;
  std::vector<PersonInfo> persons_;
  std::unordered_map<std::string_view, int> subjects_;
  std::vector<int> order_;
  const grammar::RuleFile* items_of_ = nullptr;
  std::unordered_map<std::string_view, ItemRef> items_;
  std::unordered_map<std::string_view, int> item_codes_;
  // By code number in the model's table: resolved subjects, households and items (of items_of_).
  ByCode<int> subject_by_number_;
  ByCode<int> household_by_number_;
  ByCode<ItemRef> item_by_number_;
  const grammar::RuleFile* reviewers_of_ = nullptr;
  ByCode<bool> reviewer_by_number_{model_.codes.get()};
};

struct Accumulator {
  bool touched = false;
  int pending = 0;
  Points person_points, household_points, redeemed;
  BonusContext bonus_context;
  std::vector<EventResult> events;  // the detailed household's only

  // Empty again for the next period, keeping the vectors' memory: no allocation per period.
  void Reset() {
    touched = false;
    pending = 0;
    person_points = household_points = redeemed = Points();
    bonus_context.awards.clear();
    bonus_context.earned = Points();
    bonus_context.members = 0;
    events.clear();
  }
};

// Cents used of each cap, by (subject, item code) key: open addressing with linear probing,
// since every capped award looks its key up. One table per cap window (the period, the year) is
// emptied when its window ends, so it holds one window's keys and reuses its memory: on this
// kind of VM a fresh page costs microseconds, and a table keyed by window grew to 16k keys.
class CapUsage {
 public:
  int64_t& operator[](uint64_t key) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const uint64_t stored = key + 1;  // 0 marks an empty slot
    size_t mask = slots_.size() - 1;
    for (size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.key == stored) return slot.cents;
      if (slot.key == 0) {
        slot = Slot{stored, 0};
        ++size_;
        return slot.cents;
      }
    }
  }
  void Clear() {
    if (size_ == 0) return;
    std::fill(slots_.begin(), slots_.end(), Slot{});
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t key = 0;  // key + 1
    int64_t cents = 0;
  };
  static size_t Mix(uint64_t key) {
    key ^= key >> 31;
    key *= 0x9e3779b97f4a7c15ull;
    return static_cast<size_t>(key ^ (key >> 29));
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    size_ = 0;
    for (const Slot& slot : old) {
      if (slot.key != 0) (*this)[slot.key - 1] = slot.cents;
    }
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

// Everything that carries from one period to the next, by household index.
struct CarryState {
  std::vector<Points> closing;  // balance - cleared
  CapUsage cap_period;          // caps `per period`: emptied as each period starts
  CapUsage cap_year;            // caps `per year`: emptied as each year starts
  std::vector<bool> vetoed_this_year;
  int year = 0;
};

// Applies one award to the period's accumulators.
EventResult CountAward(const VillageModel& model, Resolver& resolver,
                       const grammar::RuleFile& rules, const Event& e, CarryState& carry,
                       int* household, bool* household_subject) {
  EventResult result;
  result.record = &e;
  *household = -1;
  int subject = resolver.Subject(e.subject);
  *household_subject = subject >= 0;
  if (subject >= 0) {
    *household = subject;
  } else if (subject != Resolver::kUnknown) {
    *household = resolver.HouseholdOfPerson(-subject - 1, e.date);
  }
  if (*household >= 0) result.household = resolver.household(*household).code;
  Resolver::ItemRef ref = resolver.Item(rules, e.item);
  const grammar::Item* item = ref.item;
  result.item = item;
  if (item) result.raw = item->points.Times(e.qty);
  if (model.IsRevoked(e.id)) {
    result.outcome = Outcome::kRevoked;
    return result;
  }
  // VillageModel::IsPending, with the scorer's roles looked up once per scorer.
  if (!rules.village.review_roles.empty() && !e.id.empty() && !resolver.Reviewer(rules, e.scorer) &&
      !model.IsApproved(e.id)) {
    result.outcome = Outcome::kPending;
    return result;
  }
  if (!item) {
    result.outcome = Outcome::kUnknownItem;
    return result;
  }
  if (*household < 0) {
    result.outcome = Outcome::kNoHousehold;
    return result;
  }
  result.counted = result.raw;
  if (item->cap) {
    uint64_t who = subject >= 0 ? uint64_t(subject) * 2 : uint64_t(-subject - 1) * 2 + 1;
    uint64_t key = (who << 24) | uint64_t(ref.code);
    int64_t& used =
        (item->cap->window == grammar::CapWindow::kYear ? carry.cap_year : carry.cap_period)[key];
    int64_t remaining = std::max<int64_t>(0, item->cap->points.cents() - used);
    int64_t magnitude = std::min(result.raw.Abs().cents(), remaining);
    used += magnitude;
    result.counted = Points::FromCents(result.raw.cents() < 0 ? -magnitude : magnitude);
    if (result.counted != result.raw) {
      result.outcome = Outcome::kCapped;
      result.cap = item->cap->points;
    }
  }
  if (item->veto && result.counted != Points()) carry.vetoed_this_year[*household] = true;
  return result;
}

EventResult CountRedemption(const VillageModel& model, Resolver& resolver,
                            const grammar::RuleFile& rules, const Event& e, int* household) {
  EventResult result;
  result.record = &e;
  result.household = e.household;
  *household = e.household.empty() ? -1 : resolver.HouseholdIndex(e.household);
  const grammar::Reward* reward = rules.FindReward(e.reward);
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

bool EndsClearingWindow(Clearing clearing, const Period& p) {
  switch (clearing) {
    case Clearing::kPeriod:
      return true;
    case Clearing::kYear:
      return p.IsLastOfYear();
    case Clearing::kNever:
      return false;
  }
  return false;
}

// Closes one period: bonuses, balances, clearing, ranking and titles.
PeriodFigures ClosePeriod(Resolver& resolver, const Adoption& adoption, const Period& p,
                          std::vector<Accumulator>& acc, CarryState& carry,
                          const ReplayOptions& options, bool requested, bool partial) {
  const grammar::RuleFile& rules = *adoption.rules;
  PeriodFigures out;
  out.period = p;
  out.adoption = &adoption;
  Date end = p.LastDay();
  std::vector<int> members(resolver.households(), 0);
  for (size_t i = 0; i < resolver.persons(); ++i) {
    int h = resolver.HouseholdOfPerson(static_cast<int>(i), end);
    if (h >= 0) ++members[h];
  }
  bool clears = EndsClearingWindow(rules.village.clearing, p);
  for (int index : resolver.order()) {
    const Resolver::HouseholdInfo& info = resolver.household(index);
    // Every existing household has figures (in a one-household replay, just that one).
    bool exists = info.household && info.household->since <= end;
    bool eligible =
        exists && (options.only_household.empty() || info.code == options.only_household);
    Accumulator& a = acc[index];
    if (!eligible && !a.touched) continue;
    HouseholdFigures f;
    f.household = info.code;
    f.carried = carry.closing[index];
    if (exists) f.base = rules.village.base;
    f.person_points = a.person_points;
    f.household_points = a.household_points;
    f.redeemed = a.redeemed;
    f.pending = a.pending;
    f.members = members[index];
    a.bonus_context.earned = f.base + f.person_points + f.household_points;
    a.bonus_context.members = f.members;
    bool detail = requested && info.code == options.detail_household;
    // A period counted only up to events_through (a redemption's day) has no bonuses yet: they
    // are decided when it closes. Earlier periods closed and carry theirs.
    if (!partial) {
      for (const grammar::Bonus& b : rules.bonuses) {
        bool fired = EvaluateCondition(*b.when, a.bonus_context);
        if (fired) f.bonus += b.points;
        if (detail) f.bonuses.push_back({b.code, b.name, b.points, fired});
      }
    }
    f.earned = a.bonus_context.earned + f.bonus;
    f.balance = f.carried + f.earned - f.redeemed;
    f.cleared = clears ? f.balance : Points();
    f.vetoed = carry.vetoed_this_year[index];
    carry.closing[index] = f.balance - f.cleared;
    if (detail) {
      f.events = std::move(a.events);
      f.bonus_context = std::move(a.bonus_context);
    }
    out.households.push_back(std::move(f));
  }
  if (requested && options.only_household.empty()) RankAndTitlePeriod(rules, out.households);
  return out;
}

// Both ends of a replay have rules in force that count by the period asked for.
Status CheckReplayPeriods(const VillageModel& model, Period first, Period last) {
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
  return Status::Ok();
}

// One replay's state from period to period.
class ReplayPass {
 public:
  ReplayPass(const VillageModel& model, const ReplayOptions& options)
      : model_(model), options_(options), resolver_(model) {
    // With only_household: whose awards can count for it (itself and anyone who ever belonged).
    if (options.only_household.empty()) return;
    subjects_.insert(options.only_household);
    for (const auto& [code, person] : model.persons) {
      for (const auto& membership : person.memberships) {
        if (membership.second == options.only_household) subjects_.insert(code);
      }
    }
  }

  // A new period: the year's caps and vetoes start again in a new year, the period's caps always.
  void StartPeriod(const Period& p) {
    if (p.year != carry_.year) {
      carry_.vetoed_this_year.assign(carry_.vetoed_this_year.size(), false);
      carry_.cap_year.Clear();
      carry_.year = p.year;
    }
    carry_.cap_period.Clear();
  }

  // Counts the events of `p` from `day` on (advancing `next_event`) and closes the period.
  PeriodFigures ReplayPeriod(const Adoption& adoption, const Period& p, Date day, bool requested,
                             bool is_last, const std::vector<Event>& events,
                             std::vector<Event>::const_iterator& next_event) {
    Date end = p.LastDay();
    std::vector<EventResult> period_events;
    if (requested && options_.keep_events) {
      auto period_end = std::upper_bound(next_event, events.end(), end,
                                         [](Date d, const Event& r) { return d < r.date; });
      period_events.reserve(static_cast<size_t>(period_end - next_event));
    }
    for (Accumulator& a : acc_) a.Reset();
    acc_.resize(resolver_.households());
    for (; next_event != events.end() && next_event->date <= end; ++next_event) {
      const Event& e = *next_event;
      if (e.date < day) continue;
      if (is_last && options_.events_through && e.date > *options_.events_through) continue;
      CountEvent(*adoption.rules, e, requested, &period_events);
    }
    acc_.resize(resolver_.households());
    carry_.closing.resize(resolver_.households());
    carry_.vetoed_this_year.resize(resolver_.households(), false);
    PeriodFigures figures = ClosePeriod(resolver_, adoption, p, acc_, carry_, options_, requested,
                                        is_last && options_.events_through);
    if (requested && options_.keep_events) figures.events = std::move(period_events);
    return figures;
  }

 private:
  // Counts one event into its household's accumulator (kept in `period_events` when asked).
  void CountEvent(const grammar::RuleFile& rules, const Event& e, bool requested,
                  std::vector<EventResult>* period_events) {
    bool award = e.type == RecordType::kAward;
    if (!subjects_.empty() &&
        (award ? !subjects_.contains(e.subject) : e.household != options_.only_household))
      return;
    int household = -1;
    bool household_subject = false;
    carry_.vetoed_this_year.resize(resolver_.households(), false);
    EventResult r =
        award ? CountAward(model_, resolver_, rules, e, carry_, &household, &household_subject)
              : CountRedemption(model_, resolver_, rules, e, &household);
    if (household < 0) return;
    if (!subjects_.empty() && r.household != options_.only_household)
      return;  // a member's award elsewhere
    r.household_index = household;
    if (static_cast<size_t>(household) >= acc_.size()) acc_.resize(resolver_.households());
    Accumulator& a = acc_[household];
    a.touched = true;
    if (r.outcome == Outcome::kPending) {
      ++a.pending;
    } else if (award) {
      (household_subject ? a.household_points : a.person_points) += r.counted;
      if (r.outcome != Outcome::kRevoked && r.item)
        a.bonus_context.awards.push_back({r.item, r.counted});
    } else {
      a.redeemed += r.counted;
    }
    if (!requested) return;
    if (detail_ < 0 && r.household == options_.detail_household) detail_ = household;
    if (household == detail_) a.events.push_back(r);
    if (options_.keep_events) period_events->push_back(std::move(r));
  }

  const VillageModel& model_;
  const ReplayOptions& options_;
  Resolver resolver_;
  CarryState carry_;
  std::unordered_set<std::string_view> subjects_;
  int detail_ = -1;  // the detailed household's index, once known
  std::vector<Accumulator> acc_;
};

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

int64_t RewardsRedeemed(const VillageModel& model, std::string_view reward,
                        const std::optional<Period>& period) {
  int64_t taken = 0;
  for (const Event& e : model.events) {
    if (e.type != ledger::RecordType::kRedeem || e.reward.str() != reward || model.IsRevoked(e.id))
      continue;
    if (!period || Period::Containing(e.date, period->kind) == *period) taken += e.qty.whole();
  }
  return taken;
}

Result<std::vector<PeriodFigures>> Replay(const VillageModel& model, Period first, Period last,
                                          const ReplayOptions& options) {
  if (Status s = CheckReplayPeriods(model, first, last); !s.ok()) return s;
  assert(options.events || model.events_sorted);
  const std::vector<Event>& events = options.events ? *options.events : model.events;
  ReplayPass pass(model, options);
  std::vector<PeriodFigures> out;
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
    Period p = Period::Containing(day, adoption->rules->village.period);
    pass.StartPeriod(p);
    bool requested = p.FirstDay() >= first.FirstDay();
    PeriodFigures figures =
        pass.ReplayPeriod(*adoption, p, day, requested, p == last, events, next_event);
    if (requested) out.push_back(std::move(figures));
    day = p.LastDay().AddDays(1);
  }
  return out;
}

}  // namespace jifen::engine
