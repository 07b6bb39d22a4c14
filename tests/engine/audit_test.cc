// The fairness audit (engine/audit.h, docs/AUDIT.md) on a real ledger, one finding kind per test.
#include "engine/audit.h"

#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

const char* kRules = R"(
village AUD "审计村" {
  period month
  late 10 days
}
category A "好事" {
  item A.01 "帮助邻里" +2 per person
  item A.02 "庭院整洁" +1 per household
}
category B "坏事" {
  item B.01 "乱倒垃圾" -3 per household
}
reward R1 "肥皂" cost 5
rate 0.5 yuan per point
title "最美家庭" period top 1
)";

class AuditTest : public LedgerTest {
 protected:
  // Households H01..Hnn, each with one person P01..Pnn; scorers S1 (linked to P01), S2, S3.
  void SetUpVillage(int households) {
    ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
    std::vector<std::string> lines;
    for (int i = 1; i <= households; ++i) {
      std::string n = (i < 10 ? "0" : "") + std::to_string(i);
      lines.push_back(HouseholdLine("AUD", "H" + n));
      lines.push_back(PersonLine("AUD", "P" + n, "H" + n));
    }
    lines.push_back(ScorerLine("AUD", "S1", "网格员", "P01"));
    lines.push_back(ScorerLine("AUD", "S2", "村两委"));
    lines.push_back(ScorerLine("AUD", "S3", "村民代表"));
    MustImport(lines);
  }

  AuditReport Run(const std::string& period, std::optional<Timestamp> as_of = std::nullopt) {
    auto report = Audit(*ledger_, "AUD", ReportWindow{Period::Parse(period), std::nullopt}, as_of);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? std::move(report.value()) : AuditReport{};
  }
};

TEST_F(AuditTest, FindsAnAwardTheScorerRecordedOnTheirOwnHousehold) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "a1", "2022-03-05", "P01", "A.01", "", "", "S1"),
              AwardLine("AUD", "a2", "2022-03-05", "H01", "A.02", "", "", "S2"),
              AwardLine("AUD", "a3", "2022-03-06", "P02", "A.01", "", "", "S1")});
  AuditReport r = Run("2022-03");
  ASSERT_EQ(r.self_scoring.size(), 1u);
  const RecordRef& a = r.self_scoring[0].award;
  EXPECT_EQ(a.id, "a1");
  EXPECT_EQ(a.scorer, "S1");
  EXPECT_EQ(a.subject, "P01");
  EXPECT_EQ(a.household, "H01");
  EXPECT_EQ(a.date.ToString(), "2022-03-05");
  EXPECT_EQ(a.counted, Points::FromWhole(2));
  EXPECT_GT(a.sequence, 0u);
  EXPECT_EQ(r.self_scoring[0].scorer_person, "P01");
}

TEST_F(AuditTest, FlagsTheScorerWhoFavoursOneHouseholdAndNotTheEvenHandedOnes) {
  SetUpVillage(10);
  std::vector<std::string> lines;
  // S1 and S2 give every household 2 points on each of three days; S3 gives 80% of their
  // points (8 awards of 10) to H01.
  for (std::string day : {"02", "03", "04"}) {
    for (std::string s : {"S1", "S2"}) {
      for (int i = 1; i <= 10; ++i) {
        std::string n = (i < 10 ? "0" : "") + std::to_string(i);
        lines.push_back(AwardLine("AUD", s + "-" + day + "-" + n, "2022-03-" + day, "P" + n, "A.01",
                                  "", "", s));
      }
    }
  }
  for (int i = 1; i <= 8; ++i) {
    lines.push_back(AwardLine("AUD", "s3-" + std::to_string(i), "2022-03-1" + std::to_string(i),
                              "P01", "A.01", "", "", "S3"));
  }
  lines.push_back(AwardLine("AUD", "s3-9", "2022-03-20", "P02", "A.01", "", "", "S3"));
  lines.push_back(AwardLine("AUD", "s3-10", "2022-03-21", "P02", "A.01", "", "", "S3"));
  MustImport(lines);
  AuditReport r = Run("2022-03");
  ASSERT_EQ(r.concentration.size(), 1u);
  const ConcentrationFinding& c = r.concentration[0];
  EXPECT_EQ(c.scorer, "S3");
  EXPECT_EQ(c.household, "H01");
  EXPECT_EQ(c.scorer_awards, 10);
  EXPECT_EQ(c.scorer_points, Points::FromWhole(20));
  EXPECT_EQ(c.household_awards, 8);
  EXPECT_EQ(c.household_points, Points::FromWhole(16));
  EXPECT_EQ(c.household_points_others, Points::FromWhole(12));
  EXPECT_EQ(c.points_others, Points::FromWhole(120));
  EXPECT_NEAR(c.share, 0.8, 1e-9);
  ASSERT_TRUE(c.lift.has_value());
  EXPECT_NEAR(*c.lift, 8.0, 1e-9);  // 0.8 / (12 / 120)
  ASSERT_EQ(c.awards.size(), 8u);
  EXPECT_EQ(c.awards[0].id, "s3-1");
}

TEST_F(AuditTest, TheConcentrationThresholdDecides) {
  SetUpVillage(10);
  std::vector<std::string> lines;
  for (std::string s : {"S1", "S2"}) {
    for (int i = 1; i <= 10; ++i) {
      std::string n = (i < 10 ? "0" : "") + std::to_string(i);
      lines.push_back(AwardLine("AUD", s + "-" + n, "2022-03-02", "P" + n, "A.01", "", "", s));
    }
  }
  // S3: 10 of 40 points to H01, 6 each to H02..H06. The others gave H01 4 of their 40: lift 2.5.
  for (int i = 1; i <= 5; ++i) {
    lines.push_back(
        AwardLine("AUD", "s3-01-" + std::to_string(i), "2022-03-10", "P01", "A.01", "", "", "S3"));
  }
  for (int h = 2; h <= 6; ++h) {
    for (int i = 1; i <= 3; ++i) {
      std::string id = "s3-0" + std::to_string(h) + "-" + std::to_string(i);
      lines.push_back(
          AwardLine("AUD", id, "2022-03-11", "P0" + std::to_string(h), "A.01", "", "", "S3"));
    }
  }
  MustImport(lines);
  auto flagged = Audit(*ledger_, "AUD", ReportWindow{Period::Parse("2022-03"), std::nullopt},
                       std::nullopt, AuditOptions{Points::FromWhole(2)});
  ASSERT_TRUE(flagged.ok());
  ASSERT_EQ(flagged->concentration.size(), 1u);
  EXPECT_EQ(flagged->concentration[0].household, "H01");
  EXPECT_NEAR(*flagged->concentration[0].lift, 2.5, 1e-9);
  EXPECT_TRUE(Run("2022-03").concentration.empty());
}

TEST_F(AuditTest, AHouseholdNoOtherScorerGavePointsHasInfiniteLift) {
  SetUpVillage(3);
  MustImport({AwardLine("AUD", "s1-1", "2022-03-02", "P01", "A.01", "", "", "S1"),
              AwardLine("AUD", "s1-2", "2022-03-02", "P02", "A.01", "", "", "S1"),
              AwardLine("AUD", "s3-0", "2022-03-09", "P01", "A.01", "", "", "S3")});
  std::vector<std::string> lines;
  for (int i = 1; i <= 5; ++i) {
    lines.push_back(
        AwardLine("AUD", "s3-" + std::to_string(i), "2022-03-10", "H03", "A.02", "", "", "S3"));
  }
  MustImport(lines);
  AuditReport r = Run("2022-03");
  ASSERT_EQ(r.concentration.size(), 1u);
  EXPECT_EQ(r.concentration[0].scorer, "S3");
  EXPECT_EQ(r.concentration[0].household, "H03");
  EXPECT_EQ(r.concentration[0].household_points_others, Points());
  EXPECT_FALSE(r.concentration[0].lift.has_value());
}

TEST_F(AuditTest, ReportsALateRecordAndTheBackDatedChangeToThePublishedPeriod) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "on-time", "2022-03-05", "P01", "A.01")});
  // Published on 2022-03-31: H01 2 points, first, 最美家庭. Then two awards arrive for H02.
  MustImport(
      {AwardLine("AUD", "late-1", "2022-03-30", "P02", "A.01", "2022-04-05T09:00:00+08:00"),
       AwardLine("AUD", "late-2", "2022-03-30", "H02", "A.02", "2022-04-05T09:30:00+08:00")});
  AuditReport r = Run("2022-03");
  ASSERT_EQ(r.late.size(), 2u);
  EXPECT_EQ(r.late[0].record.id, "late-1");
  EXPECT_EQ(r.late[0].days_late, 5);
  EXPECT_EQ(r.late[0].late_days_max, 10);
  EXPECT_EQ(r.late[0].record.recorded.ToString(), "2022-04-05T09:00:00+08:00");

  ASSERT_EQ(r.backdated.size(), 2u);
  const BackdatedFinding& h01 = r.backdated[0];
  EXPECT_EQ(h01.household, "H01");
  EXPECT_EQ(h01.earned_then, Points::FromWhole(2));
  EXPECT_EQ(h01.earned_now, Points::FromWhole(2));
  EXPECT_EQ(h01.rank_then, 1);
  EXPECT_EQ(h01.rank_now, 2);
  EXPECT_EQ(h01.titles_then, std::vector<std::string>{"最美家庭"});
  EXPECT_TRUE(h01.titles_now.empty());
  EXPECT_TRUE(h01.records.empty());  // it lost its place through H02's records
  const BackdatedFinding& h02 = r.backdated[1];
  EXPECT_EQ(h02.household, "H02");
  EXPECT_EQ(h02.earned_then, Points());
  EXPECT_EQ(h02.earned_now, Points::FromWhole(3));
  EXPECT_EQ(h02.titles_now, std::vector<std::string>{"最美家庭"});
  ASSERT_EQ(h02.records.size(), 2u);
  EXPECT_EQ(h02.records[0].id, "late-1");
  EXPECT_EQ(h02.records[1].id, "late-2");
  EXPECT_EQ(h02.published.ToString(), "2022-03-31T23:59:59+08:00");
}

TEST_F(AuditTest, AsOfBeforeTheLateRecordsSeesNoChange) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "on-time", "2022-03-05", "P01", "A.01")});
  MustImport(
      {AwardLine("AUD", "late-1", "2022-03-30", "P02", "A.01", "2022-04-05T09:00:00+08:00")});
  AuditReport r = Run("2022-03", ParseAsOf("2022-04-01"));
  EXPECT_TRUE(r.late.empty());
  EXPECT_TRUE(r.backdated.empty());
}

TEST_F(AuditTest, ListsARevocationWithWhoWhenAndWhy) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "a1", "2022-03-05", "P01", "A.01"),
              AwardLine("AUD", "a2", "2022-03-06", "P02", "A.01")});
  MustImport({RevokeLine("AUD", "a2", "2022-03-10T11:00:00+08:00", "S2")});
  AuditReport r = Run("2022-03");
  ASSERT_EQ(r.revocations.size(), 1u);
  const RevocationFinding& v = r.revocations[0];
  EXPECT_EQ(v.revoke.scorer, "S2");
  EXPECT_EQ(v.revoke.reason, "更正");
  EXPECT_EQ(v.revoke.recorded.ToString(), "2022-03-10T11:00:00+08:00");
  EXPECT_EQ(v.revoke.id, "a2");
  EXPECT_EQ(v.target.id, "a2");
  EXPECT_EQ(v.target.household, "H02");
  EXPECT_EQ(v.target.raw, Points::FromWhole(2));
  EXPECT_TRUE(v.target.revoked);
  EXPECT_GT(v.revoke.sequence, v.target.sequence);
}

TEST_F(AuditTest, ReportsARedemptionOverdrawnByALaterRevocation) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "a1", "2022-03-02", "P01", "A.01"),
              AwardLine("AUD", "a2", "2022-03-03", "P01", "A.01"),
              AwardLine("AUD", "a3", "2022-03-04", "P01", "A.01"),
              RedeemLine("AUD", "x1", "2022-03-20", "H01", "R1")});
  // H01 had 6 and spent 5; revoking a2 leaves 4 - 5.
  MustImport({RevokeLine("AUD", "a2", "2022-03-25T10:00:00+08:00")});
  AuditReport r = Run("2022-03");
  ASSERT_EQ(r.overdrawn.size(), 1u);
  const OverdrawnFinding& o = r.overdrawn[0];
  EXPECT_EQ(o.redemption.id, "x1");
  EXPECT_EQ(o.redemption.household, "H01");
  EXPECT_EQ(o.redemption.raw, Points::FromWhole(5));
  EXPECT_EQ(o.balance_after, Points::FromWhole(-1));
  ASSERT_EQ(o.causes.size(), 1u);
  EXPECT_EQ(o.causes[0].type, "revoke");
  EXPECT_EQ(o.causes[0].id, "a2");
  EXPECT_EQ(o.causes[0].raw, Points::FromWhole(-2));
}

TEST_F(AuditTest, ABalancedRedemptionIsNotReported) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "a1", "2022-03-02", "P01", "A.01"),
              AwardLine("AUD", "a2", "2022-03-03", "P01", "A.01"),
              AwardLine("AUD", "a3", "2022-03-04", "P01", "A.01"),
              RedeemLine("AUD", "x1", "2022-03-20", "H01", "R1")});
  EXPECT_TRUE(Run("2022-03").overdrawn.empty());
}

TEST_F(AuditTest, ChainIsOkAndTheRulesInForceAreNamed) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "a1", "2022-03-02", "P01", "A.01")});
  AuditReport r = Run("2022-03");
  EXPECT_TRUE(r.chain.ok);
  EXPECT_FALSE(r.chain.first_bad.has_value());
  auto reader = ledger_->Snapshot();
  EXPECT_EQ(r.chain.records, (*reader)->HeadSequence());
  EXPECT_EQ(r.chain.head, ledger::HashToHex((*reader)->HeadHash()));
  ASSERT_EQ(r.rules.size(), 1u);
  EXPECT_EQ(r.rules[0].sha256, ledger::Sha256Hex(kRules));
  EXPECT_EQ(r.rules[0].effective.ToString(), "2022-01-01");
  EXPECT_EQ(r.rules_in_force->village.name, "审计村");
}

TEST_F(AuditTest, ABrokenChainIsReportedNotAnError) {
  SetUpVillage(2);
  const std::string marker = "TAMPER-MARK-0123456789";
  MustImport({AwardLine("AUD", "a1", "2022-03-02", "P01", "A.01"),
              AwardLine("AUD", "a2", "2022-03-03", "P02", "A.01", "",
                        R"("evidence":[")" + marker + R"("],)")});
  uint64_t tampered = (*ledger_->Snapshot())->HeadSequence();
  ledger_.reset();
  std::string path = dir_ + "/data.mdb";
  std::string bytes = ReadFile(path);
  size_t at = bytes.find(marker);
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(bytes.find(marker, at + 1), std::string::npos);
  bytes[at + 7] ^= 0x01;
  WriteFile(path, bytes);
  ledger_ = std::move(ledger::Ledger::Open(dir_, false).value());

  auto r =
      Audit(*ledger_, "AUD", ReportWindow{Period::Parse("2022-03"), std::nullopt}, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->chain.ok);
  EXPECT_EQ(r->chain.first_bad, tampered);
  EXPECT_EQ(r->chain.records, tampered - 1);
  EXPECT_FALSE(r->chain.reason.empty());
  // The window is read from the events index, whose copy of the award is intact: the chain check
  // above is what names the tampered record.
  EXPECT_TRUE(r->load_error.empty()) << r->load_error;
}

TEST_F(AuditTest, AYearCoversEveryPeriod) {
  SetUpVillage(2);
  MustImport({AwardLine("AUD", "a1", "2022-03-05", "P01", "A.01", "", "", "S1"),
              AwardLine("AUD", "a2", "2022-07-05", "P01", "A.01", "", "", "S1")});
  auto r = Audit(*ledger_, "AUD", ReportWindow{std::nullopt, 2022}, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->first.ToString(), "2022-01");
  EXPECT_EQ(r->last.ToString(), "2022-12");
  EXPECT_EQ(r->self_scoring.size(), 2u);
}

TEST_F(AuditTest, UnknownVillageIsInvalidInput) {
  SetUpVillage(1);
  auto r =
      Audit(*ledger_, "NOPE", ReportWindow{Period::Parse("2022-03"), std::nullopt}, std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
}

}  // namespace
}  // namespace jifen::engine::testing
