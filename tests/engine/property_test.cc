// Property: for a generated ledger, the figures computed right after each import equal
// the figures replayed later with --as-of that import's time.
#include <random>
#include <set>

#include "engine/workflow.h"
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

const char* kRules = R"(village G "生成村" {
  clearing year
  base 1
}
category A "好事" {
  item A1 "升旗" +2 per person, cap 4
  item A2 "户好事" +5 per household, cap 10 per year
  item U1 "志愿服务" +1 per person, unit "小时", cap 6
}
category N "坏事" {
  item N1 "违约" -3 per person
  item V1 "违法" -10 per person, veto
}
reward R1 "毛巾" cost 2, stock 5 per period
bonus B1 "无扣分" +2 per household when count(negative) == 0 and count(positive) >= 2
title "最美家庭" period top 2, no veto
title "文明家庭" annual top 50%, min 1
)";

// Every figure of every month of 2022 and the annual evaluation, as one string; with `at`, also
// each month's workflow state as of then and the pending awards.
std::string Fingerprint(const VillageModel& model, std::optional<Timestamp> at = std::nullopt) {
  std::string out;
  for (int month = 1; month <= 12; ++month) {
    Period p{PeriodKind::kMonth, 2022, month};
    auto figures = Replay(model, p, p);
    if (!figures.ok()) return figures.status().message();
    if (at) {
      PeriodStatus status = StatusOf(model, p, *at);
      out += p.ToString() + " " + PeriodStateName(status.state) + " " +
             std::to_string(status.objections) + "/" + std::to_string(status.open_objections) +
             "/" + std::to_string(status.upheld) + "\n";
    }
    for (const auto& f : figures->back().households) {
      if (at) out += "pending " + std::to_string(f.pending) + " ";
      out += p.ToString() + " " + f.household + " " + std::to_string(f.rank) + " " +
             f.earned.ToString() + " " + f.redeemed.ToString() + " " + f.balance.ToString() + " " +
             f.cleared.ToString() + " " + (f.vetoed ? "v" : "-");
      for (const auto& t : f.titles) out += " " + t;
      out += "\n";
    }
  }
  auto annual = ComputeAnnual(model, 2022);
  if (!annual.ok()) return out + annual.status().message();
  for (const auto& a : annual->households) {
    out += a.household + " " + std::to_string(a.rank) + " " + a.annual.ToString() +
           (a.titles.empty() ? "" : " T") + "\n";
  }
  return out;
}

class Property : public LedgerTest {
 protected:
  // Imports `lines` without those admission refuses, found by importing again until none is.
  void ImportDroppingRefused(std::vector<std::string> lines) {
    for (auto errors = Import(lines); !errors.empty(); errors = Import(lines)) {
      std::set<size_t> bad;
      for (const auto& e : errors) bad.insert(std::stoul(e.substr(6, e.find(':', 6) - 6)));
      std::vector<std::string> kept;
      for (size_t i = 0; i < lines.size(); ++i) {
        if (!bad.count(i + 1)) kept.push_back(lines[i]);
      }
      lines = std::move(kept);
    }
  }
};

TEST_F(Property, FiguresAfterEachImportEqualAsOfReplayLater) {
  ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
  std::vector<std::string> registrations = {ScorerLine("G", "S1")};
  for (int h = 1; h <= 6; ++h) {
    registrations.push_back(HouseholdLine("G", "H" + std::to_string(h)));
    registrations.push_back(
        PersonLine("G", "P" + std::to_string(h) + "a", "H" + std::to_string(h)));
    registrations.push_back(
        PersonLine("G", "P" + std::to_string(h) + "b", "H" + std::to_string(h)));
  }
  MustImport(registrations);

  std::mt19937_64 rng(20221);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  std::vector<std::string> ids;
  std::vector<std::pair<uint64_t, std::string>> snapshots;  // (sequence after import, figures then)
  int day_of_year = 0, serial = 0;
  Date last_recorded_day = Date::FromCivil(2022, 1, 1);
  for (int batch = 0; batch < 40; ++batch) {
    std::vector<std::string> lines;
    for (int k = 0; k < 8; ++k) {
      day_of_year = std::min(day_of_year + pick(3), 360);
      Date date = Date::FromCivil(2022, 1, 1).AddDays(day_of_year);
      // Recorded on the day or up to 20 days later (late records change published periods).
      Date recorded_day = std::max(last_recorded_day, date.AddDays(pick(4) == 0 ? pick(20) : 0));
      last_recorded_day = recorded_day;
      char recorded[64];
      std::snprintf(recorded, sizeof recorded, "%sT%02d:%02d:%02d+08:00",
                    recorded_day.ToString().c_str(), 8 + serial / 3600 % 12, serial / 60 % 60,
                    serial % 60);
      ++serial;
      std::string id = "e" + std::to_string(serial);
      int h = 1 + pick(6);
      std::string person = "P" + std::to_string(h) + (pick(2) ? "a" : "b");
      int kind = pick(20);
      if (kind < 9) {
        lines.push_back(AwardLine("G", id, date.ToString(), person, "A1", recorded));
      } else if (kind < 12) {
        lines.push_back(
            AwardLine("G", id, date.ToString(), "H" + std::to_string(h), "A2", recorded));
      } else if (kind < 14) {
        lines.push_back(AwardLine("G", id, date.ToString(), person, "U1", recorded,
                                  "\"qty\":" + std::to_string(1 + pick(5)) + ","));
      } else if (kind < 16) {
        lines.push_back(
            AwardLine("G", id, date.ToString(), person, pick(6) ? "N1" : "V1", recorded));
      } else if (kind < 18) {
        lines.push_back(
            RedeemLine("G", id, date.ToString(), "H" + std::to_string(h), "R1", 1, recorded));
      } else if (!ids.empty()) {
        lines.push_back(RevokeLine("G", ids[pick(static_cast<int>(ids.size()))], recorded));
      }
      ids.push_back(id);
    }
    // Lines that admission refuses (an overdrawn redemption, a second revocation, a record
    // recorded before a later-recorded one of this batch) are dropped, and the rest imported.
    ImportDroppingRefused(lines);
    uint64_t head = (*ledger_->Snapshot())->HeadSequence();
    snapshots.emplace_back(head, Fingerprint(Load("G")));
  }
  ASSERT_GT(snapshots.back().first, 200u);
  // Later: replay as of each import's time (its last record's recorded time).
  for (const auto& [sequence, figures] : snapshots) {
    auto record = (*ledger_->Snapshot())->Get(sequence);
    ASSERT_TRUE(record.ok());
    uint64_t as_of = SequenceAsOf(record->recorded.ToString());
    ASSERT_EQ(as_of, sequence);
    EXPECT_EQ(Fingerprint(Load("G", as_of)), figures) << "as of sequence " << sequence;
  }
}

const char* kWorkflowRules = R"(village G "生成村" {
  clearing year
  late 10 days
  review by "村两委"
  notice 3 days
}
category A "好事" {
  item A1 "升旗" +2 per person, cap 4
  item A2 "户好事" +5 per household, cap 10 per year
  item U1 "志愿服务" +0.5 per person, unit "小时", cap 6
}
category N "坏事" {
  item N1 "违约" -3 per person
}
reward R1 "毛巾" cost 2, stock 5 per period
bonus B1 "无扣分" +2 per household when count(negative) == 0 and count(positive) >= 2
title "最美家庭" period top 2
)";

// The same property with the workflow in the ledger: decimal quantities, awards waiting for
// review and approved later, months posted, objections in the window, rulings after it, and the
// records admission refuses once a month is final. Replaying as of T equals what was seen at T.
TEST_F(Property, WorkflowFiguresAndStatesAfterEachImportEqualAsOfReplayLater) {
  ASSERT_EQ(Adopt(kWorkflowRules, "2022-01-01"), "");
  std::vector<std::string> registrations = {ScorerLine("G", "S1"), ScorerLine("G", "S2", "村两委")};
  for (int h = 1; h <= 5; ++h) {
    registrations.push_back(HouseholdLine("G", "H" + std::to_string(h)));
    registrations.push_back(
        PersonLine("G", "P" + std::to_string(h) + "a", "H" + std::to_string(h)));
    registrations.push_back(
        PersonLine("G", "P" + std::to_string(h) + "b", "H" + std::to_string(h)));
  }
  registrations.push_back(ScorerLine("G", "S3", "村两委", "P1a"));  // a reviewer who lives in H1
  MustImport(registrations);

  std::mt19937_64 rng(20226);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  std::vector<std::pair<std::string, Date>> awards;             // id, date
  std::vector<std::pair<std::string, std::string>> objections;  // id, period
  std::vector<std::pair<uint64_t, std::string>> snapshots;
  int day_of_year = 0, serial = 0, posted_month = 0;
  Date last_recorded_day = Date::FromCivil(2022, 1, 1);
  auto recorded_on = [&](Date day) {
    last_recorded_day = std::max(last_recorded_day, day);
    char text[64];
    std::snprintf(text, sizeof text, "%sT%02d:%02d:%02d+08:00",
                  last_recorded_day.ToString().c_str(), 8 + serial / 3600 % 12, serial / 60 % 60,
                  serial % 60);
    ++serial;
    return std::string(text);
  };
  for (int batch = 0; batch < 45; ++batch) {
    std::vector<std::string> lines;
    for (int k = 0; k < 8; ++k) {
      day_of_year = std::min(day_of_year + pick(3), 360);
      Date date = Date::FromCivil(2022, 1, 1).AddDays(day_of_year);
      std::string recorded = recorded_on(date.AddDays(pick(4) == 0 ? pick(12) : 0));
      std::string id = "e" + std::to_string(serial);
      int h = 1 + pick(5);
      std::string person = "P" + std::to_string(h) + (pick(2) ? "a" : "b");
      std::string scorer = pick(3) ? "S1" : "S2";
      int kind = pick(24);
      if (kind < 8) {
        lines.push_back(AwardLine("G", id, date.ToString(), person, "A1", recorded, "", scorer));
        awards.emplace_back(id, date);
      } else if (kind < 10) {
        lines.push_back(AwardLine("G", id, date.ToString(), "H" + std::to_string(h), "A2", recorded,
                                  "", scorer));
        awards.emplace_back(id, date);
      } else if (kind < 12) {
        std::string qty = std::to_string(1 + pick(4)) + (pick(2) ? ".25" : ".5");
        lines.push_back(AwardLine("G", id, date.ToString(), person, "U1", recorded,
                                  "\"qty\":" + qty + ",", scorer));
        awards.emplace_back(id, date);
      } else if (kind < 13) {
        lines.push_back(AwardLine("G", id, date.ToString(), person, "N1", recorded, "", scorer));
        awards.emplace_back(id, date);
      } else if (kind < 15) {
        lines.push_back(
            RedeemLine("G", id, date.ToString(), "H" + std::to_string(h), "R1", 1, recorded));
      } else if (kind < 19 && !awards.empty()) {
        lines.push_back(ApproveLine("G", awards[pick(static_cast<int>(awards.size()))].first,
                                    pick(2) ? "S2" : "S3", recorded));
      } else if (kind < 20 && !awards.empty()) {
        lines.push_back(
            RevokeLine("G", awards[pick(static_cast<int>(awards.size()))].first, recorded, "S2"));
      } else if (kind < 21 && date.month() > posted_month + 1) {
        // Post the month before, on its last day or a little later.
        ++posted_month;
        Period month{PeriodKind::kMonth, 2022, posted_month};
        lines.push_back(PostLine("G", "post" + std::to_string(serial), month.ToString(),
                                 pick(4) ? "S2" : "S3",
                                 recorded_on(month.LastDay().AddDays(pick(3)))));
      } else if (kind < 23 && posted_month > 0 && !awards.empty()) {
        Period month{PeriodKind::kMonth, 2022, posted_month};
        const auto& [target, target_date] = awards[pick(static_cast<int>(awards.size()))];
        std::string oid = "obj" + std::to_string(serial);
        bool household = pick(3) == 0;
        lines.push_back(ObjectionLine("G", oid, month.ToString(), household ? "" : target,
                                      household ? "H" + std::to_string(h) : "", recorded));
        objections.emplace_back(oid, month.ToString());
      } else if (!objections.empty()) {
        lines.push_back(RulingLine("G", "rul" + std::to_string(serial),
                                   objections[pick(static_cast<int>(objections.size()))].first,
                                   pick(2) ? "upheld" : "dismissed", pick(2) ? "S2" : "S3",
                                   recorded));
      }
    }
    // Lines admission refuses (an approval of an award not pending, an objection out of its
    // window, a record for a final month, a second ruling ...) are dropped, and the rest imported.
    ImportDroppingRefused(lines);
    auto reader = ledger_->Snapshot();
    uint64_t head = (*reader)->HeadSequence();
    snapshots.emplace_back(head, Fingerprint(Load("G"), (*reader)->LatestRecorded()));
  }
  ASSERT_GT(snapshots.back().first, 200u);
  // The ledger holds every kind of workflow record, and some months are final.
  std::set<std::string> types;
  ASSERT_TRUE((*ledger_->Snapshot())
                  ->ForEachRecord(1,
                                  [&](const ledger::Record& r) {
                                    types.insert(ledger::RecordTypeName(r.type));
                                    return true;
                                  })
                  .ok());
  for (const char* type : {"approve", "post", "objection", "ruling", "revoke", "redeem"})
    EXPECT_TRUE(types.count(type)) << type;
  EXPECT_NE(snapshots.back().second.find(" final "), std::string::npos);
  EXPECT_NE(snapshots.back().second.find("pending 1"), std::string::npos);
  for (const auto& [sequence, figures] : snapshots) {
    auto record = (*ledger_->Snapshot())->Get(sequence);
    ASSERT_TRUE(record.ok());
    uint64_t as_of = SequenceAsOf(record->recorded.ToString());
    ASSERT_EQ(as_of, sequence);
    EXPECT_EQ(Fingerprint(Load("G", as_of), record->recorded), figures)
        << "as of sequence " << sequence;
  }
}

}  // namespace
}  // namespace jifen::engine::testing
