// The village's workflow in the ledger (SPEC.md §3 "Decimal quantities", "Review", "Posting"):
// every rule and every refusal, on a real ledger through admission and replay.
#include <gmock/gmock.h>

#include "engine/workflow.h"
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

using ::testing::HasSubstr;

const char* kRules = R"(village W "工作流村" {
  late 10 days
  review by "村两委" | "驻村干部"
  notice 3 days
}
category A "好事" {
  item A1 "升旗" +2 per person, cap 4
  item U1 "志愿服务" +0.5 per person, unit "小时"
  item H1 "庭院整洁" +3 per household
  item N1 "违约" -0.5 per person, unit "次"
}
reward R1 "毛巾" cost 1
)";

class Workflow : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(kRules, "2022-01-01"), "");
    // S1 grid worker and S4 villagers' representative wait for review; S2 (a member of H1) and S3
    // review.
    MustImport({HouseholdLine("W", "H1"), HouseholdLine("W", "H2"), PersonLine("W", "P1", "H1"),
                PersonLine("W", "P2", "H2"), ScorerLine("W", "S1", "网格员"),
                ScorerLine("W", "S2", "村两委", "P1"), ScorerLine("W", "S3", "驻村干部"),
                ScorerLine("W", "S4", "村民代表")});
  }
  // The one refusal of importing `line`, or "" when it was written.
  std::string Refusal(const std::string& line) {
    auto errors = Import({line});
    return errors.empty() ? "" : errors.front();
  }
  PeriodStatus Status(const std::string& period, const std::string& at) {
    models_.push_back(std::make_unique<VillageModel>(Load("W", SequenceAsOf(at))));
    return StatusOf(*models_.back(), *Period::Parse(period), *Timestamp::Parse(at));
  }
  std::vector<EventResult> Events(const std::string& period, const std::string& household) {
    models_.push_back(std::make_unique<VillageModel>(Load("W")));
    ReplayOptions options;
    options.detail_household = household;
    Period p = *Period::Parse(period);
    auto figures = Replay(*models_.back(), p, p, options);
    EXPECT_TRUE(figures.ok());
    for (const auto& f : figures->back().households) {
      if (f.household == household) return f.events;
    }
    return {};
  }
  uint64_t Head() { return (*ledger_->Snapshot())->HeadSequence(); }
  std::string HeadHex() { return ledger::HashToHex((*ledger_->Snapshot())->HeadHash()); }
};

TEST_F(Workflow, DecimalQuantitiesCountPointsTimesQtyRoundedHalfAwayFromZero) {
  MustImport({AwardLine("W", "u1", "2022-06-03", "P1", "U1", "", R"("qty":2.01,)", "S3"),
              AwardLine("W", "n1", "2022-06-03", "P2", "N1", "", R"("qty":2.01,)", "S3"),
              AwardLine("W", "u2", "2022-06-04", "P2", "U1", "", R"("qty":0.75,)", "S3")});
  PeriodFigures june = Score("W", "2022-06");
  EXPECT_EQ(Row(june, "H1").earned, *Points::Parse("1.01"));   // +0.5 x 2.01 = 1.005
  EXPECT_EQ(Row(june, "H2").earned, *Points::Parse("-0.63"));  // -1.01 + 0.38 (0.375)
  auto stored = (*ledger_->Snapshot())->Get(Head() - 2);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->qty.ToString(), "2.01");
  EXPECT_EQ(formats::RecordToJson(*stored).find(R"("qty":2.01,)") != std::string::npos, true);
  // A decimal on an item without a unit, and a decimal redemption, are refused.
  EXPECT_THAT(Refusal(AwardLine("W", "a9", "2022-06-05", "P1", "A1", "", R"("qty":2.5,)", "S3")),
              HasSubstr("qty 2.5: item A1 has no unit"));
  EXPECT_THAT(
      Import(
          {R"({"type":"redeem","village":"W","household":"H1","reward":"R1","qty":1.5,"date":"2022-06-05","scorer":"S3"})"})
          .front(),
      HasSubstr("field \"qty\": not a positive integer"));
}

TEST_F(Workflow, PendingAwardsCountNowhereUntilApprovedAndKeepTheirPlaceInCapOrder) {
  MustImport({AwardLine("W", "a1", "2022-06-01", "P1", "A1", "", "", "S1"),    // pending
              AwardLine("W", "a2", "2022-06-02", "P1", "A1", "", "", "S3"),    // counts: 2
              AwardLine("W", "a3", "2022-06-03", "P1", "A1", "", "", "S3")});  // counts: 2 (cap 4)
  uint64_t before = Head();
  PeriodFigures june = Score("W", "2022-06");
  EXPECT_EQ(Row(june, "H1").person_points, Points::FromWhole(4));
  EXPECT_EQ(Row(june, "H1").pending, 1);
  MustImport({ApproveLine("W", "a1", "S3", "2022-06-10T09:00:00+08:00")});
  june = Score("W", "2022-06");
  EXPECT_EQ(Row(june, "H1").person_points, Points::FromWhole(4));
  EXPECT_EQ(Row(june, "H1").pending, 0);
  // a1 counts where its date puts it: first; a3 now finds the cap full.
  auto events = Events("2022-06", "H1");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].outcome, Outcome::kCounted);
  EXPECT_EQ(events[2].outcome, Outcome::kCapped);
  EXPECT_EQ(events[2].counted, Points());
  // As of before the approval, a1 was pending.
  EXPECT_EQ(Row(Score("W", "2022-06", before), "H1").pending, 1);
}

TEST_F(Workflow, APendingAwardReachesNoBonusVetoOrBalance) {
  MustImport(
      {AwardLine("W", "n1", "2022-06-01", "P1", "N1", "", R"("qty":4,)", "S1")});  // -2, pending
  PeriodFigures june = Score("W", "2022-06");
  EXPECT_EQ(Row(june, "H1").earned, Points());
  EXPECT_EQ(Row(june, "H1").balance, Points());
  // A redemption is checked against the balance without it.
  MustImport({AwardLine("W", "h1", "2022-06-02", "H1", "H1", "", "", "S3"),
              RedeemLine("W", "r1", "2022-06-03", "H1", "R1", 3)});
  EXPECT_THAT(Refusal(RedeemLine("W", "r2", "2022-06-03", "H1", "R1", 1)),
              HasSubstr("has 0 points"));
}

TEST_F(Workflow, ApprovalsAreRefusedWithTheirReasons) {
  MustImport({AwardLine("W", "b1", "2022-06-01", "P2", "A1", "", "", "S3"),
              AwardLine("W", "c1", "2022-06-01", "P1", "A1", "", "", "S1"),
              AwardLine("W", "d1", "2022-06-01", "P2", "A1", "", "", "S1"),
              AwardLine("W", "h1", "2022-06-02", "H1", "H1", "", "", "S3"),
              RedeemLine("W", "r1", "2022-06-03", "H1", "R1", 1),
              RevokeLine("W", "d1", "2022-06-04T09:00:00+08:00", "S3")});
  const std::string at = "2022-06-05T09:00:00+08:00";
  EXPECT_THAT(Refusal(ApproveLine("W", "nope", "S3", at)),
              HasSubstr("target nope: no award with this id in village W"));
  EXPECT_THAT(Refusal(ApproveLine("W", "b1", "S2", at)), HasSubstr("target b1: never pending"));
  EXPECT_THAT(Refusal(ApproveLine("W", "r1", "S3", at)),
              HasSubstr("a redemption is never pending"));
  EXPECT_THAT(Refusal(ApproveLine("W", "d1", "S3", at)), HasSubstr("target d1: revoked"));
  EXPECT_THAT(Refusal(ApproveLine("W", "c1", "S4", at)),
              HasSubstr("scorer S4 (村民代表): only 村两委 | 驻村干部 may approve"));
  EXPECT_THAT(Refusal(ApproveLine("W", "c1", "S9", at)), HasSubstr("scorer S9: not registered"));
  // S2 belongs to H1, the household of c1's subject P1.
  EXPECT_THAT(Refusal(ApproveLine("W", "c1", "S2", at)),
              HasSubstr("may not approve a record for their own household H1"));
  MustImport({ApproveLine("W", "c1", "S3", at)});
  uint64_t head = Head();
  MustImport({ApproveLine("W", "c1", "S3", at)});  // the same line again: skipped
  EXPECT_EQ(Head(), head);
  EXPECT_THAT(Refusal(ApproveLine("W", "c1", "S2", "2022-06-06T09:00:00+08:00")),
              HasSubstr("target c1: already approved"));
  // Under review an award that waits for approval needs an id to be approved by.
  EXPECT_THAT(
      Refusal(
          R"({"type":"award","village":"W","date":"2022-06-07","subject":"P1","item":"A1","scorer":"S1","recorded":"2022-06-07T10:00:00+08:00"})"),
      HasSubstr("needs an id"));
}

TEST_F(Workflow, ARevokedPendingAwardIsRejected) {
  MustImport({AwardLine("W", "c1", "2022-06-01", "P1", "A1", "", "", "S1"),
              RevokeLine("W", "c1", "2022-06-04T09:00:00+08:00", "S3")});
  PeriodFigures june = Score("W", "2022-06");
  EXPECT_EQ(Row(june, "H1").pending, 0);
  EXPECT_EQ(Row(june, "H1").earned, Points());
  EXPECT_EQ(Events("2022-06", "H1").front().outcome, Outcome::kRevoked);
}

TEST_F(Workflow, WithoutReviewNothingIsPendingAndApprovalsAreRefused) {
  ASSERT_EQ(Adopt(R"(village N "无审核村" {}
category A "好事" {
  item A1 "升旗" +2 per person
}
)",
                  "2022-01-01", "2022-01-01T08:00:00+08:00"),
            "");
  MustImport({HouseholdLine("N", "H1"), PersonLine("N", "P1", "H1"),
              ScorerLine("N", "S1", "网格员"), ScorerLine("N", "S2", "村两委"),
              AwardLine("N", "n1", "2022-06-01", "P1", "A1")});
  EXPECT_EQ(Row(Score("N", "2022-06"), "H1").earned, Points::FromWhole(2));
  EXPECT_EQ(Row(Score("N", "2022-06"), "H1").pending, 0);
  EXPECT_THAT(Refusal(ApproveLine("N", "n1", "S2", "2022-06-05T09:00:00+08:00")),
              HasSubstr("has no review"));
}

TEST_F(Workflow, APostNeedsTheMonthEndedAReviewerAndTheHeadTheBoardShowed) {
  MustImport({AwardLine("W", "a1", "2022-06-01", "P1", "A1", "", "", "S3")});
  EXPECT_THAT(Refusal(PostLine("W", "P06", "2022-06", "S3", "2022-06-29T17:00:00+08:00")),
              HasSubstr("before the period's last day 2022-06-30"));
  EXPECT_THAT(Refusal(PostLine("W", "P06", "2022-06", "S1", "2022-06-30T17:00:00+08:00")),
              HasSubstr("only a reviewer may post"));
  EXPECT_THAT(Refusal(PostLine("W", "P06", "2022-Q2", "S3", "2022-06-30T17:00:00+08:00")),
              HasSubstr("period 2022-Q2: village W counts by month"));
  std::string wrong(64, 'a');
  EXPECT_THAT(Refusal(PostLine("W", "P06", "2022-06", "S3", "2022-06-30T17:00:00+08:00", wrong)),
              HasSubstr("the posted board showed another state"));
  std::string head = HeadHex();
  MustImport({PostLine("W", "P06", "2022-06", "S3", "2022-06-30T17:00:00+08:00", head)});
  auto post = (*ledger_->Snapshot())->Get(Head());
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->sha256, head);
  // The same post without a head is the same post: skipped, whatever head import would fill in.
  uint64_t before = Head();
  MustImport({PostLine("W", "P06", "2022-06", "S3", "2022-06-30T17:00:00+08:00")});
  EXPECT_EQ(Head(), before);
  // A post without a head gets the chain head before it.
  MustImport({AwardLine("W", "a2", "2022-07-01", "P1", "A1", "", "", "S3")});
  std::string head_before = HeadHex();
  MustImport({PostLine("W", "P06b", "2022-06", "S3", "2022-07-01T21:00:00+08:00")});
  EXPECT_EQ((*ledger_->Snapshot())->Get(Head())->sha256, head_before);
}

TEST_F(Workflow, TheNoticeWindowObjectionsRulingsAndStates) {
  MustImport({AwardLine("W", "m1", "2022-05-20", "P2", "A1", "", "", "S3"),
              AwardLine("W", "a1", "2022-06-01", "P1", "A1", "", "", "S3"),
              AwardLine("W", "a2", "2022-06-02", "P2", "A1", "", "", "S3")});
  EXPECT_EQ(Status("2022-06", "2022-06-30T16:00:00+08:00").state, PeriodState::kOpen);
  EXPECT_THAT(Refusal(ObjectionLine("W", "O0", "2022-06", "a1", "", "2022-06-30T16:00:00+08:00")),
              HasSubstr("not posted yet"));
  MustImport({PostLine("W", "P06", "2022-06", "S3", "2022-06-30T17:00:00+08:00")});
  PeriodStatus status = Status("2022-06", "2022-06-30T18:00:00+08:00");
  EXPECT_EQ(status.state, PeriodState::kNotice);
  EXPECT_EQ(status.notice_until, Date::FromCivil(2022, 7, 3));
  EXPECT_THAT(Refusal(ObjectionLine("W", "O0", "2022-06", "m1", "", "2022-07-01T10:00:00+08:00")),
              HasSubstr("target m1: dated 2022-05-20, not in period 2022-06"));
  EXPECT_THAT(Refusal(ObjectionLine("W", "O0", "2022-06", "zz", "", "2022-07-01T10:00:00+08:00")),
              HasSubstr("target zz: no award or redemption"));
  EXPECT_THAT(Refusal(ObjectionLine("W", "O0", "2022-06", "", "H9", "2022-07-01T10:00:00+08:00")),
              HasSubstr("household H9: not registered"));
  MustImport({ObjectionLine("W", "O1", "2022-06", "a2", "", "2022-07-01T10:00:00+08:00"),
              ObjectionLine("W", "O2", "2022-06", "", "H1", "2022-07-03T22:00:00+08:00")});
  // The window's last day is 07-03; the 4th is too late.
  EXPECT_THAT(Refusal(ObjectionLine("W", "O3", "2022-06", "a1", "", "2022-07-04T08:00:00+08:00")),
              HasSubstr("its notice window ended on 2022-07-03"));
  status = Status("2022-06", "2022-07-04T09:00:00+08:00");
  EXPECT_EQ(status.state, PeriodState::kAwaitingRulings);
  EXPECT_EQ(status.objections, 2);
  EXPECT_EQ(status.open_objections, 2);
  // Rulings come after the window; only a reviewer rules, once per objection.
  EXPECT_THAT(Refusal(RulingLine("W", "D1", "O1", "upheld", "S4", "2022-07-05T10:00:00+08:00")),
              HasSubstr("only a reviewer may rule"));
  EXPECT_THAT(Refusal(RulingLine("W", "D1", "O9", "upheld", "S3", "2022-07-05T10:00:00+08:00")),
              HasSubstr("target O9: no objection"));
  MustImport({RulingLine("W", "D1", "O1", "upheld", "S3", "2022-07-05T10:00:00+08:00")});
  EXPECT_THAT(Refusal(RulingLine("W", "D1b", "O1", "dismissed", "S3", "2022-07-05T11:00:00+08:00")),
              HasSubstr("objection O1: already ruled"));
  EXPECT_EQ(Status("2022-06", "2022-07-05T12:00:00+08:00").state, PeriodState::kAwaitingRulings);
  // An upheld household objection changes no figure by itself.
  MustImport({RulingLine("W", "D2", "O2", "upheld", "S3", "2022-07-05T12:00:00+08:00")});
  status = Status("2022-06", "2022-07-05T13:00:00+08:00");
  EXPECT_EQ(status.state, PeriodState::kFinal);
  EXPECT_EQ(status.upheld, 2);
  PeriodFigures june = Score("W", "2022-06");
  EXPECT_EQ(Row(june, "H1").earned, Points::FromWhole(2));
  EXPECT_EQ(Row(june, "H2").earned, Points());  // a2 revoked by the upheld ruling
  // As of before the ruling, a2 counted.
  EXPECT_EQ(Row(Score("W", "2022-06", SequenceAsOf("2022-07-05T09:00:00+08:00")), "H2").earned,
            Points::FromWhole(2));
  EXPECT_EQ(Events("2022-06", "H2").front().outcome, Outcome::kRevoked);
}

TEST_F(Workflow, ALaterPostRestartsTheWindowOnlyWhileItIsOpen) {
  MustImport({PostLine("W", "P06", "2022-06", "S3", "2022-06-30T17:00:00+08:00"),
              PostLine("W", "P06b", "2022-06", "S3", "2022-07-02T17:00:00+08:00")});
  EXPECT_EQ(Status("2022-06", "2022-07-04T09:00:00+08:00").state, PeriodState::kNotice);
  EXPECT_EQ(Status("2022-06", "2022-07-04T09:00:00+08:00").notice_until,
            Date::FromCivil(2022, 7, 5));
  EXPECT_THAT(Refusal(PostLine("W", "P06c", "2022-06", "S3", "2022-07-06T17:00:00+08:00")),
              HasSubstr("post of 2022-06: period 2022-06 was posted on 2022-07-02"));
}

TEST_F(Workflow, AFinalPeriodRefusesEveryRecordThatWouldChangeIt) {
  MustImport({AwardLine("W", "a1", "2022-06-01", "P1", "A1", "", "", "S3"),
              AwardLine("W", "p1", "2022-06-02", "P1", "A1", "", "", "S1"),  // pending
              AwardLine("W", "h1", "2022-06-02", "H2", "H1", "", "", "S3"),
              PostLine("W", "P06", "2022-06", "S3", "2022-06-30T17:00:00+08:00")});
  const std::string at = "2022-07-05T10:00:00+08:00";  // late enough for `late 10 days`
  for (const std::string& line :
       {AwardLine("W", "a9", "2022-06-15", "P1", "A1", at, "", "S3"),
        RedeemLine("W", "r9", "2022-06-20", "H2", "R1", 1, at), RevokeLine("W", "a1", at, "S3"),
        ApproveLine("W", "p1", "S3", at), MoveLine("W", "P1", "H2", "2022-06-20", at),
        ObjectionLine("W", "O1", "2022-06", "a1", "", at),
        PostLine("W", "P06b", "2022-06", "S3", at)}) {
    std::string refusal = Refusal(line);
    EXPECT_THAT(refusal, HasSubstr("2022-06")) << line;
    EXPECT_THAT(refusal, HasSubstr("it takes no more records that change it")) << line;
  }
  std::string late_household =
      R"({"type":"household","village":"W","household":"H8","name":"新户","since":"2022-06-10","recorded":")" +
      at + R"("})";
  EXPECT_THAT(Refusal(late_household), HasSubstr("dated in 2022-06"));
  std::string late_person =
      R"({"type":"person","village":"W","person":"P8","name":"新人","household":"H2","since":"2022-06-11","recorded":")" +
      at + R"("})";
  EXPECT_THAT(Refusal(late_person), HasSubstr("dated in 2022-06"));
  // Rules may not change it either; July is open.
  EXPECT_THAT(Adopt(kRules, "2022-06-01", at), HasSubstr("would change period 2022-06"));
  EXPECT_EQ(Adopt(kRules, "2022-07-01", at), "");
  MustImport({AwardLine("W", "j1", "2022-07-05", "P1", "A1", at, "", "S3")});
  EXPECT_EQ(Status("2022-06", at).state, PeriodState::kFinal);
}

TEST_F(Workflow, WithoutANoticeWindowAPostIsFinalAtOnce) {
  ASSERT_EQ(Adopt(R"(village F "无公示村" {}
category A "好事" {
  item A1 "升旗" +2 per person
}
)",
                  "2022-01-01", "2022-01-01T08:00:00+08:00"),
            "");
  MustImport({HouseholdLine("F", "H1"), PersonLine("F", "P1", "H1"),
              ScorerLine("F", "S1", "网格员"), AwardLine("F", "f1", "2022-06-01", "P1", "A1"),
              PostLine("F", "FP06", "2022-06", "S1", "2022-06-30T17:00:00+08:00")});
  models_.push_back(std::make_unique<VillageModel>(Load("F")));
  PeriodStatus status = StatusOf(*models_.back(), *Period::Parse("2022-06"),
                                 *Timestamp::Parse("2022-06-30T17:00:00+08:00"));
  EXPECT_EQ(status.state, PeriodState::kFinal);
  EXPECT_THAT(Refusal(ObjectionLine("F", "O1", "2022-06", "f1", "", "2022-06-30T18:00:00+08:00")),
              HasSubstr("with no notice window"));
  EXPECT_THAT(Refusal(AwardLine("F", "f2", "2022-06-30", "P1", "A1", "2022-06-30T19:00:00+08:00")),
              HasSubstr("dated in 2022-06"));
}

TEST_F(Workflow, ANoticeOfZeroDaysIsThePostDayAlone) {
  ASSERT_EQ(Adopt(R"(village Z "零天村" {
  notice 0 days
}
category A "好事" {
  item A1 "升旗" +2 per person
}
)",
                  "2022-01-01", "2022-01-01T08:00:00+08:00"),
            "");
  MustImport({HouseholdLine("Z", "H1"), PersonLine("Z", "P1", "H1"),
              ScorerLine("Z", "S1", "网格员"), AwardLine("Z", "z1", "2022-06-01", "P1", "A1"),
              PostLine("Z", "ZP06", "2022-06", "S1", "2022-06-30T10:00:00+08:00"),
              ObjectionLine("Z", "O1", "2022-06", "z1", "", "2022-06-30T23:00:00+08:00")});
  EXPECT_THAT(Refusal(ObjectionLine("Z", "O2", "2022-06", "z1", "", "2022-07-01T00:30:00+08:00")),
              HasSubstr("its notice window ended on 2022-06-30"));
  // Any registered scorer may rule without review; a dismissed objection changes nothing.
  MustImport({RulingLine("Z", "D1", "O1", "dismissed", "S1", "2022-07-01T09:00:00+08:00")});
  EXPECT_EQ(Row(Score("Z", "2022-06"), "H1").earned, Points::FromWhole(2));
}

TEST_F(Workflow, WorkflowRecordsAreIdempotentByIdAndRefusedWithOtherContent) {
  MustImport({AwardLine("W", "a1", "2022-06-01", "P1", "A1", "", "", "S3"),
              PostLine("W", "P06", "2022-06", "S3", "2022-06-30T17:00:00+08:00"),
              ObjectionLine("W", "O1", "2022-06", "a1", "", "2022-07-01T10:00:00+08:00"),
              RulingLine("W", "D1", "O1", "dismissed", "S3", "2022-07-02T10:00:00+08:00")});
  uint64_t head = Head();
  MustImport({ObjectionLine("W", "O1", "2022-06", "a1", "", "2022-07-01T10:00:00+08:00"),
              RulingLine("W", "D1", "O1", "dismissed", "S3", "2022-07-02T10:00:00+08:00")});
  EXPECT_EQ(Head(), head);
  EXPECT_THAT(Refusal(ObjectionLine("W", "O1", "2022-06", "", "H1", "2022-07-02T11:00:00+08:00")),
              HasSubstr("id O1: already in the ledger with other content"));
}

TEST_F(Workflow, WorkflowRecordsWithBadFieldsDoNotParse) {
  for (
      const auto& [line, reason] : std::vector<std::pair<std::string, std::string>>{
          {R"({"type":"objection","id":"O1","village":"W","period":"2022-06","target":"a1","household":"H1","reason":"x","filed_by":"y"})",
           "give either \"target\""},
          {R"({"type":"objection","id":"O1","village":"W","period":"2022-06","reason":"x","filed_by":"y"})",
           "give either \"target\""},
          {R"({"type":"objection","id":"O1","village":"W","period":"2022-06","target":"a1","filed_by":"y"})",
           "missing field \"reason\""},
          {R"({"type":"objection","id":"O1","village":"W","period":"2022-06","target":"a1","reason":"x"})",
           "missing field \"filed_by\""},
          {R"({"type":"objection","id":"O1","village":"W","period":"2022-06","target":"a1","reason":"","filed_by":"y"})",
           "field \"reason\": empty"},
          {R"({"type":"post","id":"P1","village":"W","period":"2022-13","scorer":"S1"})",
           "field \"period\": not a period"},
          {R"({"type":"post","id":"P1","village":"W","period":"2022-06","scorer":"S1","head":"abc"})",
           "field \"head\": not 64 lowercase hex digits"},
          {R"({"type":"post","village":"W","period":"2022-06","scorer":"S1"})",
           "missing field \"id\""},
          {R"({"type":"ruling","id":"D1","village":"W","target":"O1","outcome":"maybe","reason":"x","scorer":"S1"})",
           "field \"outcome\": not \"upheld\" or \"dismissed\""},
          {R"({"type":"approve","village":"W","target":"a1"})", "missing field \"scorer\""},
          {R"({"type":"approve","id":"approve:a1","village":"W","target":"a1","scorer":"S1"})",
           "unknown field \"id\""},
      }) {
    auto parsed = formats::RecordFromJson(line);
    ASSERT_FALSE(parsed.ok()) << line;
    EXPECT_THAT(parsed.status().message(), HasSubstr(reason)) << line;
  }
  // "approve:" starts no award's id: it is the key of approvals.
  EXPECT_THAT(formats::RecordFromJson(AwardLine("W", "approve:a1", "2022-06-01", "P1", "A1"))
                  .status()
                  .message(),
              HasSubstr("may not start with \"approve:\""));
}

}  // namespace
}  // namespace jifen::engine::testing
