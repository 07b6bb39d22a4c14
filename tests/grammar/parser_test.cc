// Parsing rule files into the AST: the SPEC example, Chinese keywords, and hostile input.
#include "grammar/parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "grammar/diagnostic.h"

namespace jifen::grammar {
namespace {

std::string RulesPath(const std::string& name) {
  return std::string(JIFEN_SOURCE_DIR) + "/tests/rules/" + name;
}

TEST(Parser, SpecExampleParsesToTheExpectedRules) {
  ParseOutcome outcome = ParseRulesFile(RulesPath("good_sample.rules"));
  ASSERT_TRUE(outcome.diagnostics.empty());
  ASSERT_TRUE(outcome.rules);
  const RuleFile& r = *outcome.rules;
  EXPECT_EQ(r.language, Language::kEnglish);
  EXPECT_EQ(r.village.code, "SYS");
  EXPECT_EQ(r.village.name, "双杨树村");
  EXPECT_EQ(r.village.township, "别山镇");
  EXPECT_EQ(r.village.period, PeriodKind::kMonth);
  EXPECT_EQ(r.village.clearing, Clearing::kPeriod);
  EXPECT_EQ(r.village.late_days_max, 5);
  EXPECT_EQ(r.village.location.line, 2u);
  EXPECT_EQ(r.village.location.column, 1u);

  ASSERT_EQ(r.categories.size(), 3u);
  EXPECT_EQ(r.categories[0].items, (std::vector<std::string>{"C1.01", "C1.02"}));
  ASSERT_EQ(r.items.size(), 5u);
  const Item* c101 = r.FindItem("C1.01");
  ASSERT_NE(c101, nullptr);
  EXPECT_EQ(c101->category, "C1");
  EXPECT_EQ(c101->points, Points::FromWhole(2));
  EXPECT_EQ(c101->per, Per::kPerson);
  ASSERT_TRUE(c101->cap);
  EXPECT_EQ(c101->cap->points, Points::FromWhole(4));
  EXPECT_EQ(c101->cap->window, CapWindow::kPeriod);
  EXPECT_EQ(c101->location.line, 9u);
  EXPECT_EQ(c101->location.column, 3u);
  EXPECT_TRUE(r.FindItem("C1.02")->evidence);
  EXPECT_EQ(r.FindItem("C1.02")->per, Per::kHousehold);
  EXPECT_FALSE(r.FindItem("C1.02")->cap);
  EXPECT_TRUE(r.FindItem("C2.02")->veto);
  const Item* c501 = r.FindItem("C5.01");
  EXPECT_EQ(c501->unit, "小时");
  EXPECT_EQ(c501->cap->points, Points::FromWhole(8));
  EXPECT_EQ(c501->roles, (std::vector<std::string>{"网格员", "村两委"}));
  EXPECT_EQ(r.FindCategory("C5")->name, "公益美德");
  EXPECT_EQ(r.FindItem("C9"), nullptr);

  ASSERT_EQ(r.rewards.size(), 2u);
  EXPECT_EQ(r.FindReward("R01")->cost, Points::FromWhole(20));
  EXPECT_FALSE(r.FindReward("R01")->stock);
  EXPECT_EQ(r.FindReward("R02")->stock, 10);
  EXPECT_TRUE(r.FindReward("R02")->stock_per_period);

  ASSERT_TRUE(r.rate);
  EXPECT_EQ(r.rate->yuan_per_point, Points::FromCents(50));

  ASSERT_EQ(r.bonuses.size(), 1u);
  const Cond& when = *r.bonuses[0].when;
  EXPECT_EQ(r.bonuses[0].points, Points::FromWhole(3));
  ASSERT_EQ(when.kind, Cond::Kind::kAnd);
  ASSERT_EQ(when.operands.size(), 2u);
  const Cond& first = *when.operands[0];
  EXPECT_EQ(first.kind, Cond::Kind::kCompare);
  EXPECT_EQ(first.op, Cond::Op::kEq);
  EXPECT_EQ(first.left->kind, Expr::Kind::kCount);
  EXPECT_EQ(first.left->selector.kind, SelectorKind::kNegative);
  EXPECT_EQ(first.right->kind, Expr::Kind::kNumber);
  EXPECT_EQ(first.right->number, Points());
  EXPECT_EQ(when.operands[1]->op, Cond::Op::kGt);
  EXPECT_EQ(when.operands[1]->left->selector.kind, SelectorKind::kPositive);

  ASSERT_EQ(r.titles.size(), 2u);
  EXPECT_EQ(r.titles[0].name, "最美家庭");
  EXPECT_EQ(r.titles[0].scope, TitleScope::kPeriod);
  EXPECT_EQ(r.titles[0].top, 3);
  EXPECT_FALSE(r.titles[0].top_percent);
  EXPECT_TRUE(r.titles[0].no_veto);
  EXPECT_EQ(r.titles[1].scope, TitleScope::kAnnual);
  EXPECT_EQ(r.titles[1].top, 10);
  EXPECT_TRUE(r.titles[1].top_percent);
  EXPECT_EQ(r.titles[1].min, Points::FromWhole(5));

  ASSERT_TRUE(r.dividend);
  EXPECT_EQ(r.dividend->shares_percent, 70);
  EXPECT_EQ(r.dividend->points_percent, 30);
}

TEST(Parser, ChineseKeywordsAndFullwidthPunctuationGiveTheSameKindOfRules) {
  ParseOutcome outcome = ParseRulesFile(RulesPath("good_chinese.rules"));
  ASSERT_TRUE(outcome.diagnostics.empty()) << FormatDiagnostic(outcome.diagnostics[0]);
  const RuleFile& r = *outcome.rules;
  EXPECT_EQ(r.language, Language::kChinese);
  EXPECT_EQ(r.village.period, PeriodKind::kQuarter);
  EXPECT_EQ(r.village.clearing, Clearing::kYear);
  EXPECT_EQ(r.village.base, Points::FromWhole(5));
  EXPECT_EQ(r.village.rank, RankBy::kBalance);
  EXPECT_EQ(r.village.annual, AnnualBy::kSum);
  EXPECT_EQ(r.village.self, SelfScoringPolicy::kDeny);
  EXPECT_EQ(r.FindItem("C1.01")->cap->window, CapWindow::kYear);
  EXPECT_EQ(r.FindItem("C5.01")->roles, (std::vector<std::string>{"网格员", "村两委"}));
  EXPECT_TRUE(r.FindReward("R02")->stock_per_period);
  EXPECT_FALSE(r.FindReward("R03")->stock_per_period);
  EXPECT_EQ(r.FindReward("R03")->stock, 100);
  EXPECT_EQ(r.titles[1].top, 10);
  EXPECT_TRUE(r.titles[1].top_percent);
  const Cond& b2 = *r.bonuses[1].when;
  ASSERT_EQ(b2.kind, Cond::Kind::kOr);
  EXPECT_EQ(b2.operands[0]->left->selector.kind, SelectorKind::kCategory);
  EXPECT_EQ(b2.operands[0]->right->kind, Expr::Kind::kMul);
  EXPECT_EQ(b2.operands[1]->kind, Cond::Kind::kNot);
  EXPECT_EQ(b2.operands[1]->operands[0]->kind, Cond::Kind::kAnd);
  // Columns count code points: `项目` starts at column 3 after two spaces.
  EXPECT_EQ(r.FindItem("C1.02")->location.column, 3u);
}

TEST(Parser, FirstKeywordDecidesTheLanguage) {
  EXPECT_EQ(KeywordLanguage("# 注释\n村 A \"a\" {}"), Language::kChinese);
  EXPECT_EQ(KeywordLanguage("\xEF\xBB\xBF  village A \"a\" { 镇 \"x\" }"), Language::kEnglish);
  EXPECT_EQ(KeywordLanguage(""), Language::kEnglish);
  auto outcome = ParseRules("村 A \"a\" { township \"x\" }", "t.rules");
  ASSERT_TRUE(outcome.rules);
  EXPECT_EQ(outcome.rules->language, Language::kChinese);
}

TEST(Parser, ConditionPrecedenceIsNotThenAndThenOr) {
  auto outcome = ParseRules(
      "village V \"v\" {}\nbonus B \"b\" +1 per household when earned > 1 or members > 2 and "
      "not earned > 3",
      "t.rules");
  ASSERT_TRUE(outcome.rules);
  const Cond& c = *outcome.rules->bonuses[0].when;
  ASSERT_EQ(c.kind, Cond::Kind::kOr);
  ASSERT_EQ(c.operands.size(), 2u);
  EXPECT_EQ(c.operands[0]->kind, Cond::Kind::kCompare);
  ASSERT_EQ(c.operands[1]->kind, Cond::Kind::kAnd);
  EXPECT_EQ(c.operands[1]->operands[1]->kind, Cond::Kind::kNot);
}

TEST(Parser, ArithmeticIsLeftAssociativeWithProductsFirst) {
  auto outcome = ParseRules(
      "village V \"v\" {}\nbonus B \"b\" +1 per household when 1 - 2 - 3 * 4 > -5", "t.rules");
  ASSERT_TRUE(outcome.rules);
  const Expr& e = *outcome.rules->bonuses[0].when->left;
  ASSERT_EQ(e.kind, Expr::Kind::kSub);  // (1 - 2) - (3 * 4)
  EXPECT_EQ(e.left->kind, Expr::Kind::kSub);
  EXPECT_EQ(e.right->kind, Expr::Kind::kMul);
  const Expr& right = *outcome.rules->bonuses[0].when->right;
  EXPECT_EQ(right.kind, Expr::Kind::kNeg);
  EXPECT_EQ(right.left->number, Points::FromWhole(5));
}

TEST(Parser, EmptyFileNeedsAVillage) {
  auto outcome = ParseRules("", "empty.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(outcome.diagnostics[0]),
            "empty.rules:1:1: error: no village block: a rule file needs exactly one\n\n^\n");
}

TEST(Parser, UnreadableFileIsOneDiagnosticAtLineZero) {
  auto outcome = ParseRulesFile("/nonexistent/x.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(outcome.diagnostics[0]),
            "/nonexistent/x.rules: error: cannot read: No such file or directory\n");
  auto directory = ParseRulesFile(std::string(JIFEN_SOURCE_DIR) + "/tests/rules");
  ASSERT_EQ(directory.diagnostics.size(), 1u);
  EXPECT_EQ(directory.diagnostics[0].location.line, 0u);
}

TEST(Parser, InvalidUtf8IsReportedAtItsLineAndColumn) {
  auto outcome = ParseRules("village V \"v\" {\n  township \"镇\xC3\"\n}\n", "t.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(outcome.diagnostics[0].location.line, 2u);
  EXPECT_EQ(outcome.diagnostics[0].location.column, 14u);
  EXPECT_EQ(outcome.diagnostics[0].message, "invalid UTF-8 (byte 0xC3); save the file as UTF-8");
}

TEST(Parser, NulByteIsReported) {
  std::string text = "village V \"v\" {}\n";
  text += '\0';
  auto outcome = ParseRules(text, "t.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(outcome.diagnostics[0].location.line, 2u);
  EXPECT_EQ(outcome.diagnostics[0].location.column, 1u);
  EXPECT_EQ(outcome.diagnostics[0].message, "NUL byte in the text");
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  std::string head = "village V \"v\" {}\nbonus B \"b\" +1 per household when ";
  for (std::string open : {"(", "not ", "-", "((", "(-"}) {
    std::string text = head;
    for (int i = 0; i < 100000; ++i) text += open;
    auto outcome = ParseRules(text, "t.rules");
    ASSERT_FALSE(outcome.diagnostics.empty());
    EXPECT_EQ(outcome.diagnostics[0].message,
              "condition: nested too deeply or too long (at most 100 levels)");
  }
}

TEST(Parser, LongChainsOfOperatorsAreBounded) {
  std::string text = "village V \"v\" {}\nbonus B \"b\" +1 per household when 1";
  for (int i = 0; i < 100000; ++i) text += " + 1";
  text += " > 0\n";
  auto outcome = ParseRules(text, "t.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(outcome.diagnostics[0].message,
            "condition: nested too deeply or too long (at most 100 levels)");
  // The source line of a very long line is a window around the column.
  EXPECT_LT(outcome.diagnostics[0].source_line.size(), 1000u);
}

TEST(Parser, AnAndChainOfAnyLengthIsFine) {
  std::string text = "village V \"v\" {}\nbonus B \"b\" +1 per household when earned > 0";
  for (int i = 0; i < 10000; ++i) text += " and earned > 0";
  auto outcome = ParseRules(text, "t.rules");
  ASSERT_TRUE(outcome.rules);
  EXPECT_EQ(outcome.rules->bonuses[0].when->operands.size(), 10001u);
}

TEST(Parser, TenMegabyteLineIsParsedInLinearTime) {
  // A 10 MB comment, a 10 MB string and 10 MB of items on one line; no time is asserted, but a
  // quadratic parser would not finish.
  std::string big(10 * 1024 * 1024, 'x');
  auto comment = ParseRules("village V \"v\" {} #" + big + "\n", "t.rules");
  EXPECT_TRUE(comment.rules);
  auto name = ParseRules("village V \"" + big + "\" {}\n", "t.rules");
  ASSERT_TRUE(name.rules);
  EXPECT_EQ(name.rules->village.name.size(), big.size());

  // Items are slower to build than a comment; two megabytes of them make the point.
  std::string items = "village V \"v\" {}\ncategory C \"c\" {";
  for (int i = 0; items.size() < 2 * 1024 * 1024; ++i) {
    items += " item I" + std::to_string(i) + " \"名\" 0 per person";
  }
  items += " }\n";
  auto errors = ParseRules(items, "t.rules");
  // Every item has points 0: the first kDiagnosticsMax are reported, then a summary.
  ASSERT_EQ(errors.diagnostics.size(), kDiagnosticsMax + 1);
  EXPECT_EQ(errors.diagnostics.back().message, "too many errors; stopped after 500");
  const Diagnostic& last = errors.diagnostics[kDiagnosticsMax - 1];
  EXPECT_GT(last.location.column, 10000u);
  EXPECT_LT(last.source_line.size(), 1000u);
  EXPECT_GT(last.source_line_column, 1u);
  // The caret still sits under the offending "0".
  std::string formatted = FormatDiagnostic(last);
  EXPECT_NE(formatted.find("^"), std::string::npos);

  std::string garbage(10 * 1024 * 1024, '(');
  auto deep = ParseRules("village V \"v\" {}\n" + garbage, "t.rules");
  EXPECT_EQ(deep.diagnostics.size(), 1u);
}

TEST(Parser, FilesAboveTheLimitAreRefused) {
  std::string huge(kRuleFileBytesMax + 1, ' ');
  auto outcome = ParseRules(huge, "huge.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(outcome.diagnostics[0]),
            "huge.rules: error: file too large: 16777217 bytes (at most 16777216)\n");
}

TEST(Parser, WindowsLineEndingsAndByteOrderMarkAreFine) {
  auto outcome =
      ParseRules("\xEF\xBB\xBFvillage V \"v\" {\r\n  late x days # c\r\n}\r\n", "t.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(outcome.diagnostics[0]),
            "t.rules:2:8: error: late: expected a number of days\n  late x days # c\n       ^\n");
}

TEST(Parser, RecoveryInsideABlockKeepsTheRestOfTheBlock) {
  auto outcome = ParseRules(
      "village V \"v\" {\n  period weekly\n  late 3 days\n}\n"
      "category C \"c\" {\n  item C.1 \"a\" +1 per persons\n  item C.2 \"b\" 0 per person\n}\n"
      "bonus B \"b\" +1 per household when count(C.2) > 0\n",
      "t.rules");
  ASSERT_EQ(outcome.diagnostics.size(), 3u);
  EXPECT_EQ(outcome.diagnostics[0].location.line, 2u);
  EXPECT_EQ(outcome.diagnostics[1].location.line, 6u);
  EXPECT_EQ(outcome.diagnostics[2].location.line, 7u);  // the next item was still read
}

}  // namespace
}  // namespace jifen::grammar
