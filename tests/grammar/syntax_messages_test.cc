// Every syntax message of the error table, each provoked by a small file (GRAMMAR.md
// "Diagnostics"), and the grammar's own soundness.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tao/pegtl/contrib/analyze.hpp>
#include <vector>

#include "grammar/grammar.h"
#include "grammar/keywords.h"
#include "grammar/messages.h"
#include "grammar/parser.h"

namespace jifen::grammar {
namespace {

const std::string kVillage = "village V \"v\" {}\n";
const std::string kCategory = kVillage + "category C \"c\" {\n";
const std::string kBonus = kVillage + "bonus B \"b\" +1 per household when ";

struct Case {
  Message message;
  std::string text;
};

std::vector<Case> Cases() {
  return {
      {Message::kStatement, kVillage + "foo"},
      {Message::kVillageCode, "village \"v\" {}"},
      {Message::kVillageName, "village V {}"},
      {Message::kVillageOpen, "village V \"v\" }"},
      {Message::kVillageClose, "village V \"v\" { foo }"},
      {Message::kTownshipName, "village V \"v\" { township X }"},
      {Message::kPeriodKind, "village V \"v\" { period week }"},
      {Message::kClearingKind, "village V \"v\" { clearing month }"},
      {Message::kLateDays, "village V \"v\" { late days }"},
      {Message::kLateDaysWord, "village V \"v\" { late 5 }"},
      {Message::kBasePoints, "village V \"v\" { base x }"},
      {Message::kRankBy, "village V \"v\" { rank sum }"},
      {Message::kAnnualBy, "village V \"v\" { annual earned }"},
      {Message::kSelfScoring, "village V \"v\" { self allow }"},
      {Message::kReviewRole, "village V \"v\" { review grid }"},
      {Message::kReviewRole, "village V \"v\" { review by }"},
      {Message::kReviewRole, "village V \"v\" { review \"a\" | }"},
      {Message::kNoticeDays, "village V \"v\" { notice days }"},
      {Message::kNoticeDaysWord, "village V \"v\" { notice 3 }"},
      {Message::kCategoryCode, kVillage + "category \"c\" {}"},
      {Message::kCategoryName, kVillage + "category C {}"},
      {Message::kCategoryOpen, kVillage + "category C \"c\" item"},
      {Message::kCategoryClose, kCategory + "reward"},
      {Message::kItemCode, kCategory + "item \"x\" +2 per person }"},
      {Message::kItemName, kCategory + "item I1 +2 per person }"},
      {Message::kItemPoints, kCategory + "item I1 \"x\" per person }"},
      {Message::kItemPer, kCategory + "item I1 \"x\" +2 person }"},
      {Message::kItemSubject, kCategory + "item I1 \"x\" +2 per village }"},
      {Message::kItemClause, kCategory + "item I1 \"x\" +2 per person, daily }"},
      {Message::kCapPoints, kCategory + "item I1 \"x\" +2 per person, cap }"},
      {Message::kCapWindow, kCategory + "item I1 \"x\" +2 per person, cap 4 per month }"},
      {Message::kUnitName, kCategory + "item I1 \"x\" +2 per person, unit hours }"},
      {Message::kRole, kCategory + "item I1 \"x\" +2 per person, by grid }"},
      {Message::kRewardCode, kVillage + "reward \"r\" cost 5"},
      {Message::kRewardName, kVillage + "reward R cost 5"},
      {Message::kRewardCostWord, kVillage + "reward R \"r\" 5"},
      {Message::kRewardCost, kVillage + "reward R \"r\" cost free"},
      {Message::kStockWord, kVillage + "reward R \"r\" cost 5, 10"},
      {Message::kStockCount, kVillage + "reward R \"r\" cost 5, stock many"},
      {Message::kStockPeriod, kVillage + "reward R \"r\" cost 5, stock 3 per year"},
      {Message::kRateValue, kVillage + "rate yuan per point"},
      {Message::kRateYuan, kVillage + "rate 0.5 per point"},
      {Message::kRatePer, kVillage + "rate 0.5 yuan point"},
      {Message::kRatePoint, kVillage + "rate 0.5 yuan per points"},
      {Message::kTitleName, kVillage + "title period top 3"},
      {Message::kTitleScope, kVillage + "title \"t\" top 3"},
      {Message::kTitleTopWord, kVillage + "title \"t\" period 3"},
      {Message::kTitleTop, kVillage + "title \"t\" period top three"},
      {Message::kTitleClause, kVillage + "title \"t\" period top 3, max 5"},
      {Message::kPointsMin, kVillage + "title \"t\" period top 3, min high"},
      {Message::kNoVeto, kVillage + "title \"t\" period top 3, no penalty"},
      {Message::kBonusCode, kVillage + "bonus \"b\" +1 per household when earned > 1"},
      {Message::kBonusName, kVillage + "bonus B +1 per household when earned > 1"},
      {Message::kBonusPoints, kVillage + "bonus B \"b\" per household when earned > 1"},
      {Message::kBonusPer, kVillage + "bonus B \"b\" +1 household when earned > 1"},
      {Message::kBonusHousehold, kVillage + "bonus B \"b\" +1 per person when earned > 1"},
      {Message::kBonusWhen, kVillage + "bonus B \"b\" +1 per household if earned > 1"},
      {Message::kCondition, kBonus + "earned"},
      {Message::kConditionAfterOr, kBonus + "earned > 1 or"},
      {Message::kConditionAfterAnd, kBonus + "earned > 1 and"},
      {Message::kConditionAfterNot, kBonus + "not"},
      {Message::kConditionClose, kBonus + "(earned > 1"},
      {Message::kComparisonRight, kBonus + "earned >"},
      {Message::kOperand, kBonus + "earned + > 1"},
      {Message::kNegateOperand, kBonus + "- > 1"},
      {Message::kExpressionClose, kBonus + "(earned + 1 ] > 2"},
      {Message::kSelectorOpen, kBonus + "count > 1"},
      {Message::kSelector, kBonus + "count() > 1"},
      {Message::kSelectorClose, kBonus + "count(C1 > 1"},
      {Message::kSelectorCategoryCode, kBonus + "count(category) > 1"},
      {Message::kDividendShares, kVillage + "dividend 70% points 30%"},
      {Message::kDividendSharesPercent, kVillage + "dividend shares 70 points 30%"},
      {Message::kDividendPoints, kVillage + "dividend shares 70% 30%"},
      {Message::kDividendPointsPercent, kVillage + "dividend shares 70% points"},
      {Message::kStringEnd, "village V \"v {}"},
      {Message::kStringEnd, "village V “v {}"},
      {Message::kStringEscape, "village V \"v\\n\" {}"},
      {Message::kTooDeep, kBonus + std::string(150, '(') + "earned > 1" + std::string(150, ')')},
      {Message::kTooDeep, kBonus + std::string(150, '-') + "earned > 1"},
      {Message::kTooDeep,
       kBonus + std::string(150, '(') + "earned" + std::string(150, ')') + " > 1"},
  };
}

bool HasMessage(const ParseOutcome& outcome, const std::string& message) {
  for (const Diagnostic& d : outcome.diagnostics) {
    if (d.message == message) return true;
  }
  return false;
}

TEST(SyntaxMessages, EachCaseProducesItsMessage) {
  for (const Case& c : Cases()) {
    std::string expected = RenderMessage(c.message, Language::kEnglish);
    SCOPED_TRACE(expected + "\n" + c.text);
    ParseOutcome outcome = ParseRules(c.text, "t.rules");
    EXPECT_FALSE(outcome.rules.has_value());
    EXPECT_TRUE(HasMessage(outcome, expected));
  }
}

TEST(SyntaxMessages, EveryMessageOfTheErrorTableIsCovered) {
  std::set<Message> covered;
  for (const Case& c : Cases()) covered.insert(c.message);
  for (uint16_t i = 0; i <= static_cast<uint16_t>(kLastSyntaxMessage); ++i) {
    EXPECT_TRUE(covered.count(static_cast<Message>(i))) << "no test for syntax message " << i;
  }
}

TEST(SyntaxMessages, EveryMessageHasEnglishAndChineseText) {
  for (uint16_t i = 0; i < static_cast<uint16_t>(Message::kCount_); ++i) {
    auto m = static_cast<Message>(i);
    EXPECT_FALSE(MessageTemplate(m, Language::kEnglish).empty()) << i;
    EXPECT_FALSE(MessageTemplate(m, Language::kChinese).empty()) << i;
    EXPECT_NE(MessageTemplate(m, Language::kEnglish), MessageTemplate(m, Language::kChinese)) << i;
  }
}

TEST(SyntaxMessages, ChineseFileGetsChineseSyntaxMessages) {
  ParseOutcome outcome = ParseRules("村 V “v” {\n  周期 周\n}\n", "t.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(outcome.diagnostics[0].message, "周期：应为 月 或 季度");
  EXPECT_EQ(outcome.diagnostics[0].location.line, 2u);
  EXPECT_EQ(outcome.diagnostics[0].location.column, 6u);
}

TEST(SyntaxMessages, MessageLanguageCanBeForced) {
  ParseOutcome english = ParseRules("村 V “v” { 周期 周 }", "t.rules", MessageLanguage::kEnglish);
  ASSERT_EQ(english.diagnostics.size(), 1u);
  EXPECT_EQ(english.diagnostics[0].message, "period: expected month or quarter");
  ParseOutcome chinese =
      ParseRules("village V \"v\" { period week }", "t.rules", MessageLanguage::kChinese);
  ASSERT_EQ(chinese.diagnostics.size(), 1u);
  EXPECT_EQ(chinese.diagnostics[0].message, "周期：应为 月 或 季度");
}

TEST(Grammar, DocumentListsEveryKeywordAndEveryMessage) {
  std::ifstream in(std::string(JIFEN_SOURCE_DIR) + "/grammar/GRAMMAR.md");
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string text = doc.str();
  for (const KeywordSpelling& k : kKeywordTable) {
    std::string row = "| `" + std::string(k.english) + "` | `" + std::string(k.chinese) + "` |";
    EXPECT_NE(text.find(row), std::string::npos) << row;
  }
  for (uint16_t i = 0; i < static_cast<uint16_t>(Message::kCount_); ++i) {
    for (Language language : {Language::kEnglish, Language::kChinese}) {
      std::string message(MessageTemplate(static_cast<Message>(i), language));
      EXPECT_NE(text.find(" " + message + " |"), std::string::npos) << message;
    }
  }
}

TEST(Grammar, AnalyzeFindsNoProblems) {
  EXPECT_EQ(tao::pegtl::analyze<peg::rule_file>(), 0u);
  EXPECT_EQ(tao::pegtl::analyze<peg::resume_in_village>(), 0u);
  EXPECT_EQ(tao::pegtl::analyze<peg::resume_in_category>(), 0u);
}

}  // namespace
}  // namespace jifen::grammar
