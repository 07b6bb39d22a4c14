#include "engine/whatif.h"

#include <algorithm>
#include <map>

#include "engine/annual.h"

namespace jifen::engine {
namespace {

const char* KindWord(PeriodKind kind) { return kind == PeriodKind::kMonth ? "month" : "quarter"; }

// `model` with `proposal` in force from `start` through `end` in place of the adoptions there.
VillageModel Substitute(const VillageModel& model, Date start, Date end,
                        std::shared_ptr<const grammar::RuleFile> proposal,
                        const std::string& sha256) {
  VillageModel out = model;
  std::erase_if(out.adoptions,
                [&](const Adoption& a) { return a.effective >= start && a.effective <= end; });
  Adoption a;
  a.sequence = model.sequence_max + 1;  // after every recorded adoption of its effective date
  a.effective = start;
  a.sha256 = sha256;
  a.approved_by = "(proposed)";
  a.file = proposal->file;
  a.rules = std::move(proposal);
  auto pos = std::find_if(out.adoptions.begin(), out.adoptions.end(),
                          [&](const Adoption& x) { return x.effective > start; });
  out.adoptions.insert(pos, std::move(a));
  return out;
}

// One side of the comparison: value, rank and titles by household.
struct Standings {
  std::map<std::string, WhatIfRow> rows;  // only household, value, rank and titles are used
};

Result<Standings> PeriodStandings(const VillageModel& model, Period p) {
  auto figures = Replay(model, p, p);
  if (!figures.ok()) return figures.status();
  Standings s;
  for (const HouseholdFigures& f : figures->back().households) {
    WhatIfRow& r = s.rows[f.household];
    r.before = f.earned;
    r.rank_before = f.rank;
    r.titles_before = f.titles;
  }
  return s;
}

Result<Standings> AnnualStandings(const VillageModel& model, int year) {
  auto annual = ComputeAnnual(model, year);
  if (!annual.ok()) return annual.status();
  Standings s;
  for (const AnnualHousehold& a : annual->households) {
    WhatIfRow& r = s.rows[a.household];
    r.before = a.annual;
    r.rank_before = a.rank;
    r.titles_before = a.titles;
  }
  return s;
}

std::vector<WhatIfRow> Merge(const Standings& before, const Standings& after) {
  std::map<std::string, WhatIfRow> rows;
  for (const auto& [code, b] : before.rows) {
    WhatIfRow& r = rows[code];
    r = b;
    r.household = code;
    r.existed_after = false;
  }
  for (const auto& [code, a] : after.rows) {
    auto [it, fresh] = rows.try_emplace(code);
    WhatIfRow& r = it->second;
    r.household = code;
    r.existed_before = !fresh;
    r.existed_after = true;
    r.after = a.before;
    r.rank_after = a.rank_before;
    r.titles_after = a.titles_before;
  }
  std::vector<WhatIfRow> out;
  for (auto& [code, r] : rows) {
    r.difference = r.after - r.before;
    r.rank_change = r.existed_before && r.existed_after ? r.rank_before - r.rank_after : 0;
    std::vector<std::string> tb = r.titles_before, ta = r.titles_after;
    std::sort(tb.begin(), tb.end());
    std::sort(ta.begin(), ta.end());
    r.titles_changed = tb != ta;
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const WhatIfRow& x, const WhatIfRow& y) {
    return x.difference.Abs() > y.difference.Abs();
  });
  return out;
}

void Summarize(WhatIfReport& report) {
  for (const WhatIfRow& r : report.rows) {
    if (r.difference > Points()) report.gain += 1;
    if (r.difference < Points()) report.lose += 1;
    if (r.difference == Points()) report.unchanged += 1;
    if (r.titles_changed) report.title_changes += 1;
  }
}

Status CountUnknown(const VillageModel& after, WhatIfReport& report) {
  ReplayOptions options;
  options.keep_events = true;
  auto periods = Replay(after, report.first, report.last, options);
  if (!periods.ok()) return periods.status();
  for (const PeriodFigures& p : *periods) {
    for (const EventResult& r : p.events) {
      if (r.outcome != Outcome::kUnknownItem) continue;
      (r.record->type == ledger::RecordType::kAward ? report.unknown_item_records
                                                    : report.unknown_reward_records) += 1;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<WhatIfReport> WhatIf(const VillageModel& model, const ReportWindow& window,
                            std::shared_ptr<const grammar::RuleFile> proposal,
                            const std::string& proposal_sha256) {
  if (proposal->village.code != model.code) {
    return Status::InvalidInput(proposal->file + ": rules of village " + proposal->village.code +
                                ", not " + model.code);
  }
  auto range = ResolveWindow(model, window);
  if (!range.ok()) return range.status();
  // Check the window against the rules adopted, so that a wrong --period reads as usual.
  if (auto check = Replay(model, range->first, range->second); !check.ok()) return check.status();
  Date start = range->first.FirstDay(), end = range->second.LastDay();
  PeriodKind kind = proposal->village.period;
  Period first = Period::Containing(start, kind), last = Period::Containing(end, kind);
  if (first.FirstDay() != start || last.LastDay() != end) {
    return Status::InvalidInput(proposal->file + ": counts by " + KindWord(kind) + "; " +
                                start.ToString() + " to " + end.ToString() +
                                " is not a whole number of " + KindWord(kind) + "s");
  }
  WhatIfReport report;
  report.village = model.code;
  report.first = first;
  report.last = last;
  report.annual = window.year.has_value();
  report.replaced = RulesVersions(model, range->first, range->second);
  VillageModel after = Substitute(model, start, end, std::move(proposal), proposal_sha256);
  auto b =
      report.annual ? AnnualStandings(model, *window.year) : PeriodStandings(model, range->first);
  if (!b.ok()) return b.status();
  auto a = report.annual ? AnnualStandings(after, *window.year) : PeriodStandings(after, first);
  if (!a.ok()) return a.status();
  report.rows = Merge(*b, *a);
  Summarize(report);
  Status s = CountUnknown(after, report);
  if (!s.ok()) return s;
  return report;
}

}  // namespace jifen::engine
