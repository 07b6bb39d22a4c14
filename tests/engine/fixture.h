// A real LMDB ledger in a temporary directory, with helpers to adopt rules, import JSON Lines
// records through admission and replay the figures, for the engine's tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/admission.h"
#include "engine/annual.h"
#include "engine/replay.h"
#include "ledger/ledger.h"
#include "formats/record_json.h"
#include "tests/common/files.h"

namespace jifen::engine::testing {

using tests::ReadFile;
using tests::WriteFile;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::make_unique<tests::ScratchDir>("jifen-engine");
    dir_ = scratch_->path();
    auto opened = ledger::Ledger::Open(dir_, true);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    ledger_ = std::move(opened.value());
  }
  void TearDown() override {
    ledger_.reset();
    scratch_.reset();
  }

  // Adopts `text` effective `effective`, recorded at `recorded`; returns the error or "".
  std::string Adopt(const std::string& text, const std::string& effective,
                    const std::string& recorded = "2021-12-31T09:00:00+08:00") {
    AdoptRequest request;
    request.file = "test.rules";
    request.text = text;
    request.effective = *Date::Parse(effective);
    request.recorded = Timestamp::Parse(recorded);
    auto report = AdoptRules(*ledger_, request, Now());
    if (!report.ok()) return report.status().message();
    return report->refusal ? request.file + ": " + report->refusal->English() : "";
  }

  // Imports JSON lines as one batch; returns the refusals ("batch:LINE: reason"), empty if written.
  std::vector<std::string> Import(const std::vector<std::string>& lines) {
    std::vector<ImportLine> batch;
    std::vector<std::string> errors;
    for (size_t i = 0; i < lines.size(); ++i) {
      auto r = formats::RecordFromJson(lines[i]);
      if (!r.ok()) {
        errors.push_back("batch:" + std::to_string(i + 1) + ": " + r.status().message());
        continue;
      }
      batch.push_back({"batch", static_cast<int>(i + 1), std::move(r.value())});
    }
    if (!errors.empty()) return errors;
    auto report = ImportRecords(*ledger_, batch, Now());
    if (!report.ok()) return {report.status().message()};
    return report->errors;
  }

  // Imports JSON lines as one batch; returns admission's refusals, empty if written.
  std::vector<LineRefusal> Refusals(const std::vector<std::string>& lines) {
    std::vector<ImportLine> batch;
    for (size_t i = 0; i < lines.size(); ++i) {
      auto r = formats::RecordFromJson(lines[i]);
      EXPECT_TRUE(r.ok()) << lines[i];
      if (r.ok()) batch.push_back({"batch", static_cast<int>(i + 1), std::move(r.value())});
    }
    auto report = ImportRecords(*ledger_, batch, Now());
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? report->refusals : std::vector<LineRefusal>{};
  }

  // Imports and fails the test on any refusal.
  void MustImport(const std::vector<std::string>& lines) {
    auto errors = Import(lines);
    ASSERT_TRUE(errors.empty()) << errors[0];
  }

  VillageModel Load(const std::string& village, uint64_t sequence_max = 0) {
    auto reader = ledger_->Snapshot();
    EXPECT_TRUE(reader.ok());
    if (sequence_max == 0) sequence_max = (*reader)->HeadSequence();
    auto model = LoadVillage(**reader, village, sequence_max, Date::FromCivil(1, 1, 1),
                             Date::FromCivil(9999, 12, 31));
    EXPECT_TRUE(model.ok()) << model.status().message();
    return std::move(model.value());
  }

  uint64_t SequenceAsOf(const std::string& t) {
    auto reader = ledger_->Snapshot();
    return (*reader)->SequenceAsOf(*Timestamp::Parse(t));
  }

  // The figures of one period (models are kept so the figures' pointers stay valid).
  PeriodFigures Score(const std::string& village, const std::string& period,
                      uint64_t sequence_max = 0) {
    models_.push_back(std::make_unique<VillageModel>(Load(village, sequence_max)));
    Period p = *Period::Parse(period);
    auto figures = Replay(*models_.back(), p, p);
    EXPECT_TRUE(figures.ok()) << figures.status().message();
    return figures.ok() ? std::move(figures->back()) : PeriodFigures{};
  }

  AnnualFigures Annual(const std::string& village, int year) {
    models_.push_back(std::make_unique<VillageModel>(Load(village)));
    auto annual = ComputeAnnual(*models_.back(), year);
    EXPECT_TRUE(annual.ok()) << annual.status().message();
    return annual.ok() ? std::move(annual.value()) : AnnualFigures{};
  }

  static const HouseholdFigures& Row(const PeriodFigures& p, const std::string& household) {
    for (const auto& f : p.households) {
      if (f.household == household) return f;
    }
    ADD_FAILURE() << "no household " << household;
    static HouseholdFigures none;
    return none;
  }

  static Timestamp Now() { return *Timestamp::Parse("2026-01-01T00:00:00+08:00"); }

  std::unique_ptr<tests::ScratchDir> scratch_;
  std::string dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::vector<std::unique_ptr<VillageModel>> models_;
};

// JSON line builders in the import form of SPEC.md §4.
std::string HouseholdLine(const std::string& v, const std::string& h,
                          const std::string& since = "2022-01-01", int shares = 1);
std::string PersonLine(const std::string& v, const std::string& p, const std::string& h,
                       const std::string& since = "2022-01-01");
std::string ScorerLine(const std::string& v, const std::string& s,
                       const std::string& role = "网格员", const std::string& person = "");
std::string MoveLine(const std::string& v, const std::string& p, const std::string& h,
                     const std::string& date, const std::string& recorded);
// `extra` is appended inside the object, e.g. R"("qty":3,)".
std::string AwardLine(const std::string& v, const std::string& id, const std::string& date,
                      const std::string& subject, const std::string& item,
                      const std::string& recorded = "", const std::string& extra = "",
                      const std::string& scorer = "S1");
std::string RedeemLine(const std::string& v, const std::string& id, const std::string& date,
                       const std::string& h, const std::string& reward, int qty = 1,
                       const std::string& recorded = "");
std::string RevokeLine(const std::string& v, const std::string& target, const std::string& recorded,
                       const std::string& scorer = "S1");

// The workflow records (SPEC.md §3 "Review", "Posting").
std::string ApproveLine(const std::string& v, const std::string& target, const std::string& scorer,
                        const std::string& recorded);
// `head` empty: left out (import fills it in).
std::string PostLine(const std::string& v, const std::string& id, const std::string& period,
                     const std::string& scorer, const std::string& recorded,
                     const std::string& head = "");
// Exactly one of `target` and `household` non-empty.
std::string ObjectionLine(const std::string& v, const std::string& id, const std::string& period,
                          const std::string& target, const std::string& household,
                          const std::string& recorded);
std::string RulingLine(const std::string& v, const std::string& id, const std::string& objection,
                       const std::string& outcome, const std::string& scorer,
                       const std::string& recorded);

}  // namespace jifen::engine::testing
