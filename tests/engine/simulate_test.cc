// The simulated township (engine/simulate.h): deterministic, complete, admissible, never overdrawn.
#include "engine/simulate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "engine/model.h"
#include "engine/replay.h"
#include "ledger/ledger.h"
#include "formats/record_json.h"
#include "tests/common/files.h"

namespace jifen::engine {
namespace {

using ledger::Record;
using ledger::RecordType;

class SimulateTest : public ::testing::Test {
 protected:
  void TearDown() override {
    ledgers_.clear();
    dirs_.clear();
  }

  ledger::Ledger& NewLedger() {
    dirs_.push_back(std::make_unique<tests::ScratchDir>("jifen-simulate"));
    auto opened = ledger::Ledger::Open(dirs_.back()->path(), true);
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    ledgers_.push_back(std::move(opened.value()));
    return *ledgers_.back();
  }

  static SimulateOptions Options(int villages, int households, uint64_t seed) {
    SimulateOptions o;
    o.villages = villages;
    o.households = households;
    o.year = 2022;
    o.seed = seed;
    o.villages_dir = JIFEN_SOURCE_DIR "/villages";
    return o;
  }

  SimulateSummary MustSimulate(ledger::Ledger& ledger, const SimulateOptions& options) {
    auto summary = Simulate(ledger, options);
    EXPECT_TRUE(summary.ok()) << summary.status().message();
    return summary.ok() ? std::move(summary.value()) : SimulateSummary{};
  }

  static std::string Log(ledger::Ledger& ledger) {
    auto reader = ledger.Snapshot();
    EXPECT_TRUE(reader.ok());
    std::string log;
    Status s = (*reader)->ForEachRecord(1, [&](const Record& r) {
      log += formats::RecordToJson(r) + '\n';
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return log;
  }

  static std::map<std::string, std::map<RecordType, int>> CountByVillage(ledger::Ledger& ledger) {
    auto reader = ledger.Snapshot();
    std::map<std::string, std::map<RecordType, int>> counts;
    Status s = (*reader)->ForEachRecord(1, [&](const Record& r) {
      ++counts[r.village][r.type];
      return true;
    });
    EXPECT_TRUE(s.ok());
    return counts;
  }

  std::vector<std::unique_ptr<tests::ScratchDir>> dirs_;
  std::vector<std::unique_ptr<ledger::Ledger>> ledgers_;
};

TEST_F(SimulateTest, SameSeedGivesTheSameLedgerAndAnotherSeedAnother) {
  ledger::Ledger& a = NewLedger();
  ledger::Ledger& b = NewLedger();
  ledger::Ledger& c = NewLedger();
  MustSimulate(a, Options(2, 6, 7));
  MustSimulate(b, Options(2, 6, 7));
  MustSimulate(c, Options(2, 6, 8));
  std::string log_a = Log(a);
  EXPECT_GT(log_a.size(), 10000u);
  EXPECT_EQ(log_a, Log(b));
  EXPECT_NE(log_a, Log(c));
}

TEST_F(SimulateTest, EveryBundledVillageGetsEveryKindOfRecord) {
  ledger::Ledger& ledger = NewLedger();
  SimulateSummary summary = MustSimulate(ledger, Options(4, 30, 1));
  ASSERT_EQ(summary.villages.size(), 4u);
  auto counts = CountByVillage(ledger);
  for (const SimulatedVillage& v : summary.villages) {
    SCOPED_TRACE(v.code);
    auto& c = counts[v.code];
    EXPECT_EQ(c[RecordType::kRules], 1);
    EXPECT_EQ(c[RecordType::kHousehold], 30);
    EXPECT_EQ(c[RecordType::kPerson], v.persons);
    EXPECT_GE(c[RecordType::kScorer], 4);
    EXPECT_LE(c[RecordType::kScorer], 8);
    EXPECT_GE(c[RecordType::kMove], 1);
    EXPECT_GT(c[RecordType::kAward], 30 * 52);
    EXPECT_GT(c[RecordType::kRevoke], 0);
    if (v.rewards) {
      EXPECT_GT(c[RecordType::kRedeem], 0);
    }
  }
  EXPECT_FALSE(summary.favouring_scorer.empty());
  EXPECT_GE(summary.favoured_households.size(), 2u);
  EXPECT_FALSE(summary.self_scorers.empty());
  size_t total = 0;
  for (const auto& [village, by_type] : counts) {
    for (const auto& [type, n] : by_type) total += n;
  }
  EXPECT_EQ(total, summary.total_records);

  auto verified = ledger.Verify();
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_FALSE(verified->first_bad.has_value()) << verified->reason;
  EXPECT_EQ(verified->records, summary.total_records);
}

TEST_F(SimulateTest, ClonesVillagesBeyondTheBundledFiles) {
  ledger::Ledger& ledger = NewLedger();
  SimulateSummary summary = MustSimulate(ledger, Options(6, 3, 2));
  ASSERT_EQ(summary.villages.size(), 6u);
  std::set<std::string> codes;
  for (const auto& v : summary.villages) codes.insert(v.code);
  EXPECT_EQ(codes.size(), 6u);
  EXPECT_TRUE(codes.count("DXZ2")) << *codes.begin();
  for (const auto& v : summary.villages) {
    if (v.code == "DXZ2") {
      EXPECT_EQ(v.name, "东辛庄村二");
    }
  }
}

TEST_F(SimulateTest, RefusesALedgerThatIsNotEmpty) {
  ledger::Ledger& ledger = NewLedger();
  MustSimulate(ledger, Options(1, 2, 1));
  auto again = Simulate(ledger, Options(1, 2, 1));
  EXPECT_FALSE(again.ok());
}

// Replaying the finished ledger, every redemption is still covered: the balance just after the
// redemptions of its day (admission's view: carried + base + awards so far - redemptions so far)
// is never negative.
TEST_F(SimulateTest, RedemptionsAreNeverOverdrawn) {
  ledger::Ledger& ledger = NewLedger();
  SimulateSummary summary = MustSimulate(ledger, Options(4, 25, 3));
  auto reader = ledger.Snapshot();
  ASSERT_TRUE(reader.ok());
  int checked = 0;
  for (const SimulatedVillage& v : summary.villages) {
    auto model = LoadVillage(**reader, v.code, (*reader)->HeadSequence(), Date::FromCivil(1, 1, 1),
                             Date::FromCivil(9999, 12, 31));
    ASSERT_TRUE(model.ok()) << model.status().message();
    std::set<std::pair<Date, std::string>> days;  // (date, household) of each redemption
    for (const Event& e : model->events) {
      if (e.type == RecordType::kRedeem) days.insert({e.date, e.household});
    }
    for (const auto& [date, household] : days) {
      ReplayOptions options;
      options.events_through = date;
      Period p = *PeriodOf(*model, date);
      auto figures = Replay(*model, p, p, options);
      ASSERT_TRUE(figures.ok()) << figures.status().message();
      for (const HouseholdFigures& f : figures->back().households) {
        if (f.household != household) continue;
        Points balance = f.carried + f.base + f.person_points + f.household_points - f.redeemed;
        EXPECT_GE(balance, Points()) << v.code << " " << household << " on " << date.ToString();
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_F(SimulateTest, TheFavouringScorerGivesMostOfTheirPointsToAFewHouseholds) {
  ledger::Ledger& ledger = NewLedger();
  SimulateSummary summary = MustSimulate(ledger, Options(2, 30, 5));
  ASSERT_FALSE(summary.favouring_scorer.empty());
  auto reader = ledger.Snapshot();
  auto model = LoadVillage(**reader, summary.favouring_village, (*reader)->HeadSequence(),
                           Date::FromCivil(1, 1, 1), Date::FromCivil(9999, 12, 31));
  ASSERT_TRUE(model.ok());
  std::set<std::string> favoured(summary.favoured_households.begin(),
                                 summary.favoured_households.end());
  int to_favoured = 0, all = 0;
  for (const Event& e : model->events) {
    if (e.type != RecordType::kAward || e.scorer != summary.favouring_scorer) continue;
    ++all;
    const std::string* h = model->households.count(e.subject)
                               ? &e.subject.str()
                               : model->HouseholdOf(e.subject, e.date);
    if (h && favoured.count(*h)) ++to_favoured;
  }
  // 2-3 households of 30 would get about a tenth of a fair scorer's awards.
  EXPECT_GT(to_favoured * 3, all) << to_favoured << " of " << all;
}

}  // namespace
}  // namespace jifen::engine
