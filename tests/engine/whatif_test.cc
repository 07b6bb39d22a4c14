// Replaying under a proposed rule file without adopting it (engine/whatif.h).
#include "engine/whatif.h"

#include "grammar/parser.h"
#include "tests/engine/fixture.h"

namespace jifen::engine::testing {
namespace {

// `a01`, `a02`: the points of items A.01 and A.02 ("" leaves the item out).
std::string Rules(const std::string& a01, const std::string& a02, const std::string& code = "WIF") {
  return "village " + code + R"( "假设村" { period month }
category A "好事" {
)" + (a01.empty() ? "" : "  item A.01 \"帮助邻里\" " + a01 + " per person\n") +
         (a02.empty() ? "" : "  item A.02 \"庭院整洁\" " + a02 + " per household\n") + R"(}
category B "坏事" {
  item B.01 "乱倒垃圾" -3 per household
}
reward R1 "肥皂" cost 1
title "最美家庭" period top 1
)";
}

class WhatIfTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    ASSERT_EQ(Adopt(Rules("+2", "+1"), "2022-01-01"), "");
    std::vector<std::string> lines;
    for (std::string n : {"1", "2", "3", "4"}) {
      lines.push_back(HouseholdLine("WIF", "H" + n));
      lines.push_back(PersonLine("WIF", "P" + n, "H" + n));
    }
    lines.push_back(ScorerLine("WIF", "S1"));
    MustImport(lines);
    // March: H1 4 (A.01 twice), H2 3 (A.01 and A.02), H3 1 (A.02), H4 nothing.
    MustImport({AwardLine("WIF", "w1", "2022-03-01", "P1", "A.01"),
                AwardLine("WIF", "w2", "2022-03-02", "P1", "A.01"),
                AwardLine("WIF", "w3", "2022-03-03", "P2", "A.01"),
                AwardLine("WIF", "w4", "2022-03-04", "H2", "A.02"),
                AwardLine("WIF", "w5", "2022-03-05", "H3", "A.02")});
    model_ = Load("WIF");
  }

  Result<WhatIfReport> Run(const std::string& text, ReportWindow window = ReportWindow{
                                                        Period::Parse("2022-03"), std::nullopt}) {
    auto parsed = grammar::ParseRules(text, "new.rules");
    EXPECT_TRUE(parsed.rules.has_value());
    auto proposal = std::make_shared<const grammar::RuleFile>(std::move(*parsed.rules));
    return WhatIf(model_, window, proposal, ledger::Sha256Hex(text));
  }

  static const WhatIfRow& RowOf(const WhatIfReport& r, const std::string& household) {
    for (const WhatIfRow& row : r.rows) {
      if (row.household == household) return row;
    }
    ADD_FAILURE() << "no row " << household;
    static WhatIfRow none;
    return none;
  }

  VillageModel model_;
};

TEST_F(WhatIfTest, RaisingAnItemChangesExactlyTheHouseholdsThatHaveIt) {
  auto r = Run(Rules("+5", "+1"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->rows.size(), 4u);
  EXPECT_EQ(r->rows[0].household, "H1");  // by |difference|: 6, 3, 0, 0
  EXPECT_EQ(r->rows[1].household, "H2");
  EXPECT_EQ(r->rows[2].household, "H3");
  EXPECT_EQ(r->rows[3].household, "H4");
  EXPECT_EQ(RowOf(*r, "H1").before, Points::FromWhole(4));
  EXPECT_EQ(RowOf(*r, "H1").after, Points::FromWhole(10));
  EXPECT_EQ(RowOf(*r, "H1").difference, Points::FromWhole(6));
  EXPECT_EQ(RowOf(*r, "H2").difference, Points::FromWhole(3));
  EXPECT_EQ(RowOf(*r, "H3").difference, Points());
  EXPECT_EQ(RowOf(*r, "H4").difference, Points());
  EXPECT_EQ(r->gain, 2);
  EXPECT_EQ(r->lose, 0);
  EXPECT_EQ(r->unchanged, 2);
  EXPECT_EQ(r->title_changes, 0);
  EXPECT_EQ(r->unknown_item_records, 0);
  ASSERT_EQ(r->replaced.size(), 1u);
  EXPECT_EQ(r->replaced[0].sha256, ledger::Sha256Hex(Rules("+2", "+1")));
}

TEST_F(WhatIfTest, RemovingAnItemCountsItsAwardsAsZero) {
  auto r = Run(Rules("+2", ""));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->unknown_item_records, 2);
  EXPECT_EQ(RowOf(*r, "H2").after, Points::FromWhole(2));
  EXPECT_EQ(RowOf(*r, "H2").difference, Points::FromWhole(-1));
  EXPECT_EQ(RowOf(*r, "H3").after, Points());
  EXPECT_EQ(RowOf(*r, "H3").rank_before, 3);
  EXPECT_EQ(RowOf(*r, "H3").rank_after, 3);  // tied with H4 at 0
  EXPECT_EQ(RowOf(*r, "H4").rank_before, 4);
  EXPECT_EQ(RowOf(*r, "H4").rank_after, 3);
  EXPECT_EQ(RowOf(*r, "H4").rank_change, 1);
  EXPECT_EQ(r->gain, 0);
  EXPECT_EQ(r->lose, 2);
  EXPECT_EQ(r->unchanged, 2);
}

TEST_F(WhatIfTest, SummaryCountsATitleMovingBetweenHouseholds) {
  auto r = Run(Rules("+2", "+10"));  // H2 4 + ... = 2 + 10 = 12 overtakes H1's 4
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->rows[0].household, "H2");
  EXPECT_EQ(RowOf(*r, "H2").titles_before, std::vector<std::string>{});
  EXPECT_EQ(RowOf(*r, "H2").titles_after, std::vector<std::string>{"最美家庭"});
  EXPECT_EQ(RowOf(*r, "H2").rank_change, 1);
  EXPECT_EQ(RowOf(*r, "H1").titles_after, std::vector<std::string>{});
  EXPECT_EQ(RowOf(*r, "H1").rank_change, -2);  // 1 -> 3 behind H2 and H3
  EXPECT_EQ(r->gain, 2);                       // H2 +9, H3 +9
  EXPECT_EQ(r->unchanged, 2);
  EXPECT_EQ(r->title_changes, 2);
}

TEST_F(WhatIfTest, AYearComparesTheAnnualValues) {
  auto r = Run(Rules("+5", "+1"), ReportWindow{std::nullopt, 2022});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->annual);
  // The mean over 12 months: H1 4 / 12 = 0.33 before, 10 / 12 = 0.83 after.
  EXPECT_EQ(RowOf(*r, "H1").before, Points::FromCents(33));
  EXPECT_EQ(RowOf(*r, "H1").after, Points::FromCents(83));
}

TEST_F(WhatIfTest, RulesOfAnotherVillageAreRefused) {
  auto r = Run(Rules("+5", "+1", "OTHER"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(r.status().message().find("OTHER"), std::string::npos);
}

TEST_F(WhatIfTest, QuarterlyRulesCannotStandInForOneMonth) {
  std::string quarterly = Rules("+5", "+1");
  quarterly.replace(quarterly.find("period month"), 12, "period quarter");
  auto r = Run(quarterly);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
}

TEST_F(WhatIfTest, TheLedgerIsUnchanged) {
  uint64_t head = (*ledger_->Snapshot())->HeadSequence();
  ASSERT_TRUE(Run(Rules("+5", "+1")).ok());
  EXPECT_EQ((*ledger_->Snapshot())->HeadSequence(), head);
  EXPECT_EQ(Score("WIF", "2022-03").households[0].earned, Points::FromWhole(4));
}

}  // namespace
}  // namespace jifen::engine::testing
