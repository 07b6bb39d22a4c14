// A missed record (漏记) found by an upheld objection to a household's figures: the award that
// names the objection is admitted past `late` and the period's lock, within `late` days of the
// ruling (SPEC.md §3 "Objections and rulings"); every other award is refused as before.
#include "engine/audit.h"
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

const char* kRules = R"(village T "测试村" {
  late 5 days
  notice 3 days
}
category A "好事" {
  item A1 "升旗" +2 per person
}
)";

class Correction : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
    // 2022-03 posted on 04-01 (window to 04-04); H2 objects that a record is missing (O1), and
    // someone objects to a1 itself (O2); O1 is upheld on 04-10; O3 (H2 again) has no ruling.
    MustImport({HouseholdLine("T", "H1"), HouseholdLine("T", "H2"), PersonLine("T", "P1", "H1"),
                PersonLine("T", "P2", "H2"), ScorerLine("T", "S1"),
                ScorerLine("T", "S2", "村两委"),
                AwardLine("T", "a1", "2022-03-05", "P1", "A1", "2022-03-05T20:00:00+08:00"),
                PostLine("T", "T-P1", "2022-03", "S2", "2022-04-01T09:00:00+08:00"),
                ObjectionLine("T", "O1", "2022-03", "", "H2", "2022-04-02T09:00:00+08:00"),
                ObjectionLine("T", "O2", "2022-03", "a1", "", "2022-04-02T10:00:00+08:00"),
                ObjectionLine("T", "O3", "2022-03", "", "H2", "2022-04-03T10:00:00+08:00"),
                RulingLine("T", "D1", "O1", "upheld", "S2", "2022-04-10T09:00:00+08:00")});
  }
  // The award of P2's missed flag-raising, recorded `recorded`, citing `objection`.
  static std::string Missed(const std::string& id, const std::string& objection,
                            const std::string& recorded, const std::string& subject = "P2",
                            const std::string& date = "2022-03-20") {
    std::string cites = objection.empty() ? "" : R"("objection":")" + objection + R"(",)";
    return AwardLine("T", id, date, subject, "A1", recorded, cites);
  }
  RefusalCode CodeOf(const std::string& line) {
    auto refusals = Refusals({line});
    EXPECT_EQ(refusals.size(), 1u) << line;
    return refusals.empty() ? RefusalCode::kCheckFailed : refusals[0].refusal.code;
  }
};

TEST_F(Correction, WithoutTheObjectionTheMissedRecordIsTooLate) {
  EXPECT_EQ(CodeOf(Missed("m1", "", "2022-04-12T09:00:00+08:00")), RefusalCode::kTooLate);
}

TEST_F(Correction, CitingTheUpheldObjectionItIsAdmittedAndCountsInThePeriod) {
  auto earned_of_h2 = [&] {
    for (const auto& h : Score("T", "2022-03").households)
      if (h.household == "H2") return h.earned;
    return Points::FromWhole(-1);
  };
  EXPECT_EQ(earned_of_h2(), Points::FromWhole(0));
  MustImport({Missed("m1", "O1", "2022-04-12T09:00:00+08:00")});
  EXPECT_EQ(earned_of_h2(), Points::FromWhole(2));
  auto reader = ledger_->Snapshot();
  auto record = (*reader)->Get(*(*reader)->FindKey("T", "m1"));
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->target, "O1");  // the record names the objection it corrects
}

TEST_F(Correction, EveryConditionOfTheCitationIsChecked) {
  const std::string soon = "2022-04-12T09:00:00+08:00";
  EXPECT_EQ(CodeOf(Missed("m1", "O9", soon)), RefusalCode::kCitedObjectionUnknown);
  EXPECT_EQ(CodeOf(Missed("m1", "O2", soon)), RefusalCode::kCitedObjectionNotFigures);
  EXPECT_EQ(CodeOf(Missed("m1", "O1", soon, "P1")), RefusalCode::kCitedObjectionOtherHousehold);
  EXPECT_EQ(CodeOf(Missed("m1", "O1", soon, "P2", "2022-02-20")),
            RefusalCode::kCitedObjectionOtherPeriod);
  EXPECT_EQ(CodeOf(Missed("m1", "O3", soon)), RefusalCode::kCitedObjectionNotUpheld);
  // Five days of `late` from the ruling's day: 04-15 is the last.
  EXPECT_EQ(CodeOf(Missed("m1", "O1", "2022-04-16T09:00:00+08:00")),
            RefusalCode::kCitedObjectionTooLate);
  MustImport({Missed("m1", "O1", "2022-04-15T21:00:00+08:00")});
}

TEST_F(Correction, AnObjectionRuledOnlyAfterTheAwardDoesNotCoverIt) {
  // O3 is not ruled yet when m1 comes: refused; upheld the next day, the same award goes in.
  EXPECT_EQ(CodeOf(Missed("m1", "O3", "2022-04-11T09:00:00+08:00")),
            RefusalCode::kCitedObjectionNotUpheld);
  MustImport({RulingLine("T", "D3", "O3", "upheld", "S2", "2022-04-12T09:00:00+08:00"),
              Missed("m1", "O3", "2022-04-12T10:00:00+08:00")});
}

}  // namespace
}  // namespace jifen::engine::testing

namespace jifen::engine::testing {
namespace {

// The audit lists the correction among the late records and names the objection it cites, so an
// auditor sees why a record past `late` was taken.
TEST_F(Correction, TheAuditNamesTheObjectionALateCorrectionCites) {
  MustImport({Missed("m1", "O1", "2022-04-12T09:00:00+08:00")});
  auto report = Audit(*ledger_, "T", ReportWindow{*Period::Parse("2022-03"), std::nullopt, true},
                      std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().message();
  std::map<std::string, std::string> cites;
  for (const auto& l : report->late) cites[l.record.id] = l.cites;
  ASSERT_EQ(cites.count("m1"), 1u);
  EXPECT_EQ(cites["m1"], "O1");
}

}  // namespace
}  // namespace jifen::engine::testing
