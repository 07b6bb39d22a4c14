#include "engine/compare.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace jifen::engine {
namespace {

using ledger::Record;
using ledger::RecordType;

bool Counts(const EventResult& r) {
  return r.outcome == Outcome::kCounted || r.outcome == Outcome::kCapped;
}

double Share(int part, int whole) { return whole == 0 ? 0.0 : static_cast<double>(part) / whole; }

// `total` points shared by `count`; 0 when there is no one to share them.
Ratio Mean(Points total, int count) {
  return count == 0 ? Ratio() : Ratio(total.cents(), 100 * int64_t{count});
}

// Households, people, earned and their distribution.
void SummarizeHouseholds(const std::vector<PeriodFigures>& periods, VillageComparison& c) {
  std::map<std::string, int64_t> earned;
  for (const PeriodFigures& p : periods) {
    for (const HouseholdFigures& f : p.households) {
      earned[f.household] += f.earned.cents();
      c.earned += f.earned;
      c.redeemed += f.redeemed;
      c.cleared += f.cleared;
    }
  }
  for (const HouseholdFigures& f : periods.back().households) c.people += f.members;
  std::vector<int64_t> values;
  for (const auto& [household, cents] : earned) values.push_back(cents);
  c.households = static_cast<int>(values.size());
  c.mean_per_household = Mean(c.earned, c.households);
  c.mean_per_person = Mean(c.earned, c.people);
  c.median_per_household = Median(values);
  c.gini = Gini(values);
}

// The value of the points redeemed, at each period's rate.
void SummarizeRedemptions(const std::vector<PeriodFigures>& periods, VillageComparison& c) {
  for (const PeriodFigures& p : periods) {
    const auto& rate = p.adoption->rules->rate;
    if (!rate) continue;
    Points redeemed;
    for (const HouseholdFigures& f : p.households) redeemed += f.redeemed;
    int64_t fen = static_cast<int64_t>(
        Ratio(__int128{redeemed.cents()} * rate->yuan_per_point.cents(), 100).RoundHalfAway());
    c.redeemed_yuan = c.redeemed_yuan.value_or(Points()) + Points::FromCents(fen);
  }
}

// Record counts, participation and points by category. Scorers and items are looked up once each
// rather than once per record: this runs over every record of every village.
void SummarizeRecords(const VillageModel& model, const std::vector<PeriodFigures>& periods,
                      VillageComparison& c) {
  std::vector<bool> participating;  // by household number in the replay
  ScoredOwnHousehold self_scored(model);
  std::map<std::string, CategoryPoints> categories;
  // Each item's category in its rules, and that category's sums (nullptr: no such category).
  std::unordered_map<const grammar::Item*, std::pair<const grammar::Category*, CategoryPoints*>>
      item_category;
  for (const PeriodFigures& p : periods) {
    const grammar::RuleFile& rules = *p.adoption->rules;
    int32_t last_day = p.period.LastDay().days();      // DaysLate, without a date per record
    const grammar::Category* last_category = nullptr;  // usually the next record's too
    CategoryPoints* last = nullptr;
    for (const EventResult& r : p.events) {
      const Event& e = *r.record;
      if (e.type != RecordType::kAward) continue;
      c.awards += 1;
      if (e.recorded.LocalDate().days() - last_day > 0) c.late_records += 1;
      if (self_scored(r)) c.self_scored += 1;
      if (!Counts(r)) continue;
      if (r.raw < Points()) c.negative_records += 1;
      if (r.counted > Points()) {
        if (static_cast<size_t>(r.household_index) >= participating.size())
          participating.resize(r.household_index + 1);
        participating[r.household_index] = true;
      }
      if (!r.item) continue;
      auto [item, added] = item_category.try_emplace(r.item);  // no node when known
      if (added) {
        const grammar::Category* category = rules.FindCategory(r.item->category);
        item->second = {category, category ? &categories[category->code] : nullptr};
      }
      const auto [category, sums] = item->second;
      if (!category) continue;
      if (category != last_category) {
        last_category = category;
        last = sums;
        last->code = category->code;
        last->name = category->name;
      }
      last->points += r.counted;
    }
  }
  c.participating = static_cast<int>(std::count(participating.begin(), participating.end(), true));
  c.participation = Share(c.participating, c.households);
  c.late_share = Share(c.late_records, c.awards);
  c.self_scoring_share = Share(c.self_scored, c.awards);
  for (auto& [code, cp] : categories) c.categories.push_back(std::move(cp));
  std::stable_sort(
      c.categories.begin(), c.categories.end(),
      [](const CategoryPoints& a, const CategoryPoints& b) { return a.points > b.points; });
}

}  // namespace

double Gini(const std::vector<int64_t>& values) {
  std::vector<int64_t> x;
  for (int64_t v : values) x.push_back(std::max<int64_t>(v, 0));
  std::sort(x.begin(), x.end());
  // With x ascending, sum_i sum_j |x_i - x_j| = 2 * sum_i (2i - n + 1) x_i (i from 0).
  __int128 n = static_cast<__int128>(x.size()), total = 0, weighted = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    total += x[i];
    weighted += (2 * static_cast<__int128>(i) - n + 1) * x[i];
  }
  if (total == 0) return 0.0;
  return static_cast<double>(2 * weighted) / static_cast<double>(2 * n * total);
}

Ratio Median(std::vector<int64_t> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  if (n % 2 == 1) return Ratio(values[n / 2], 100);
  return Ratio(__int128{values[n / 2 - 1]} + values[n / 2], 200);
}

Result<Comparison> Compare(const ledger::Reader& reader, const ReportWindow& window,
                           const std::optional<Timestamp>& as_of, Timestamp now) {
  Comparison out;
  uint64_t sequence_max = as_of ? reader.SequenceAsOf(*as_of) : reader.HeadSequence();
  ReportWindow covering = window;
  covering.covering = true;
  for (const std::string& village : reader.Villages()) {
    auto loaded = LoadWindow(reader, village, sequence_max, covering);
    if (!loaded.ok() && loaded.status().code() == Status::Code::kInvalidInput) {
      out.skipped.emplace_back(village, loaded.status().message());
      continue;
    }
    if (!loaded.ok()) return loaded.status();
    ReplayOptions options;
    options.keep_events = true;
    auto periods = Replay(loaded->model, loaded->first, loaded->last, options);
    if (!periods.ok() && periods.status().code() == Status::Code::kInvalidInput) {
      out.skipped.emplace_back(village, periods.status().message());
      continue;
    }
    if (!periods.ok()) return periods.status();
    VillageComparison c;
    c.village = village;
    c.rules = periods->back().adoption->rules;
    c.name = c.rules->village.name;
    c.township = c.rules->village.township;
    c.first = loaded->first;
    c.last = loaded->last;
    c.substituted = window.period && (c.first != *window.period || c.last != *window.period);
    SummarizeHouseholds(*periods, c);
    SummarizeRedemptions(*periods, c);
    SummarizeRecords(loaded->model, *periods, c);
    for (const PeriodFigures& p : *periods) {
      c.states.emplace_back(p.period, StatusOf(loaded->model, p.period, as_of.value_or(now)).state);
      for (const HouseholdFigures& f : p.households) c.pending += f.pending;
    }
    out.villages.push_back(std::move(c));
    reader.ReleaseMappedPages();
  }
  return out;
}

}  // namespace jifen::engine
