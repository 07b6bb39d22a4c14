// The village settings `review by ROLE | ROLE` (审核) and `notice N days` (公示): parsing in both
// keyword languages, their checks and messages, and fmt's round trip (GRAMMAR.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grammar/ast.h"
#include "grammar/format.h"
#include "grammar/keywords.h"
#include "grammar/messages.h"
#include "grammar/parser.h"

namespace jifen::grammar {
namespace {

// The acceptance example of the village workflow, in canonical layout.
const std::string kEnglish =
    "village AC \"验收村\" {\n"
    "  period month\n"
    "  late 10 days\n"
    "  review by \"村两委\" | \"驻村干部\"\n"
    "  notice 3 days\n"
    "}\n"
    "category G \"公益\" {\n"
    "  item G.1 \"志愿服务\" +2 per person, unit \"小时\", cap 10\n"
    "  item G.2 \"庭院整洁\" +3 per household\n"
    "}\n";

// What `jifen fmt --keywords zh` prints of it.
const std::string kChinese =
    "村 AC \"验收村\" {\n"
    "  周期 月\n"
    "  补录 10 天\n"
    "  审核 \"村两委\"｜\"驻村干部\"\n"
    "  公示 3 天\n"
    "}\n"
    "类别 G \"公益\" {\n"
    "  项目 G.1 \"志愿服务\" +2 每人，单位 \"小时\"，上限 10\n"
    "  项目 G.2 \"庭院整洁\" +3 每户\n"
    "}\n";

const std::vector<std::string> kRoles = {"村两委", "驻村干部"};

std::string Messages(const ParseOutcome& outcome) {
  std::string out;
  for (const Diagnostic& d : outcome.diagnostics) {
    out += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
           d.message + "\n";
  }
  return out;
}

// The diagnostics of a village block holding `settings` ("" when it parses).
std::string VillageMessages(const std::string& settings,
                            MessageLanguage lang = MessageLanguage::kEnglish) {
  return Messages(ParseRules("village V \"v\" {\n" + settings + "}\n", "t.rules", lang));
}

TEST(GrammarVillageSettings, KeywordTableHasTheNewRowsInEnumOrder) {
  EXPECT_EQ(KeywordText(Keyword::kReview, Language::kEnglish), "review");
  EXPECT_EQ(KeywordText(Keyword::kReview, Language::kChinese), "审核");
  EXPECT_EQ(KeywordText(Keyword::kNotice, Language::kEnglish), "notice");
  EXPECT_EQ(KeywordText(Keyword::kNotice, Language::kChinese), "公示");
  // The rows around them and the last one did not shift.
  EXPECT_EQ(KeywordText(Keyword::kDeny, Language::kEnglish), "deny");
  EXPECT_EQ(KeywordText(Keyword::kCategory, Language::kEnglish), "category");
  EXPECT_EQ(KeywordText(Keyword::kBy, Language::kChinese), "限");
  EXPECT_EQ(KeywordText(Keyword::kNot, Language::kChinese), "非");
}

TEST(GrammarVillageSettings, AcceptanceExampleParses) {
  ParseOutcome outcome = ParseRules(kEnglish, "ac.rules");
  ASSERT_TRUE(outcome.rules) << Messages(outcome);
  const Village& v = outcome.rules->village;
  EXPECT_EQ(v.code, "AC");
  EXPECT_EQ(v.period, PeriodKind::kMonth);
  EXPECT_EQ(v.late_days_max, 10);
  EXPECT_EQ(v.review_roles, kRoles);
  EXPECT_EQ(v.notice_days, 3);
  ASSERT_EQ(outcome.rules->items.size(), 2u);
  EXPECT_EQ(outcome.rules->items[0].unit, "小时");
  EXPECT_TRUE(outcome.rules->items[0].roles.empty());
}

TEST(GrammarVillageSettings, ChineseFormParsesToTheSameRules) {
  ParseOutcome english = ParseRules(kEnglish, "ac.rules");
  ParseOutcome chinese = ParseRules(kChinese, "ac.rules");
  ASSERT_TRUE(english.rules);
  ASSERT_TRUE(chinese.rules) << Messages(chinese);
  EXPECT_EQ(chinese.rules->language, Language::kChinese);
  EXPECT_EQ(chinese.rules->village.review_roles, kRoles);
  EXPECT_EQ(chinese.rules->village.notice_days, 3);
  EXPECT_TRUE(SameRules(*english.rules, *chinese.rules));
}

TEST(GrammarVillageSettings, ByIsOptionalInEitherLanguageAndQuotesAndBarsMayBeFullwidth) {
  for (std::string review :
       {"review by \"村两委\" | \"驻村干部\"", "review \"村两委\"|\"驻村干部\"",
        "审核 “村两委” ｜ “驻村干部”", "审核“村两委”｜“驻村干部”",
        "审核 限 \"村两委\" | \"驻村干部\"", "review 限 “村两委” | \"驻村干部\"",
        "审核 by \"村两委\"\n  | \"驻村干部\"",
        "review  # who approves\n  by \"村两委\" | \"驻村干部\""}) {
    SCOPED_TRACE(review);
    ParseOutcome outcome = ParseRules("village V \"v\" {\n  " + review + "\n}\n", "t.rules");
    ASSERT_TRUE(outcome.rules) << Messages(outcome);
    EXPECT_EQ(outcome.rules->village.review_roles, kRoles);
  }
  ParseOutcome one = ParseRules("村 V “v” { 审核 “村两委” 公示 0 天 }", "t.rules");
  ASSERT_TRUE(one.rules) << Messages(one);
  EXPECT_EQ(one.rules->village.review_roles, std::vector<std::string>{"村两委"});
  EXPECT_EQ(one.rules->village.notice_days, 0);
}

TEST(GrammarVillageSettings, DefaultsAreNoReviewAndNoNotice) {
  ParseOutcome outcome = ParseRules("village V \"v\" { late 5 days }", "t.rules");
  ASSERT_TRUE(outcome.rules);
  EXPECT_TRUE(outcome.rules->village.review_roles.empty());
  EXPECT_FALSE(outcome.rules->village.notice_days.has_value());
}

TEST(GrammarVillageSettings, NoticeIsZeroToSixtyDays) {
  for (int days : {0, 1, 60}) {
    ParseOutcome outcome =
        ParseRules("village V \"v\" { notice " + std::to_string(days) + " days }", "t.rules");
    ASSERT_TRUE(outcome.rules) << days;
    EXPECT_EQ(outcome.rules->village.notice_days, days);
  }
  ParseOutcome chinese = ParseRules("村 V “v” { 公示 60 天 }", "t.rules");
  ASSERT_TRUE(chinese.rules);
  EXPECT_EQ(chinese.rules->village.notice_days, 60);

  EXPECT_EQ(VillageMessages("  notice 61 days\n"),
            "2:10: village V: notice days must be between 0 and 60, not 61\n");
  EXPECT_EQ(VillageMessages("  notice -1 days\n"),
            "2:10: village V: notice days must be between 0 and 60, not -1\n");
  EXPECT_EQ(VillageMessages("  notice 61 days\n", MessageLanguage::kChinese),
            "2:10: 村 V：公示天数必须在 0 到 60 之间，而不是 61\n");
  EXPECT_EQ(Messages(ParseRules("村 V “v” {\n  公示 -1 天\n}\n", "t.rules")),
            "2:6: 村 V：公示天数必须在 0 到 60 之间，而不是 -1\n");
  // A number too large to read is reported as such, not also as out of range.
  EXPECT_EQ(VillageMessages("  notice 99999999999 days\n"),
            "2:10: number 99999999999: too large (at most 1000000000)\n");
}

TEST(GrammarVillageSettings, NoticeNeedsANumberAndDays) {
  EXPECT_EQ(VillageMessages("  notice 3\n"), "3:1: notice: expected 'days' after the number\n");
  EXPECT_EQ(VillageMessages("  notice 3 天\n"), "");  // keywords may mix languages
  EXPECT_EQ(VillageMessages("  notice days\n"), "2:10: notice: expected a number of days\n");
  EXPECT_EQ(VillageMessages("  notice three days\n", MessageLanguage::kChinese),
            "2:10: 公示：应为天数\n");
  EXPECT_EQ(Messages(ParseRules("村 V “v” {\n  公示 3\n}\n", "t.rules")),
            "3:1: 公示：数字后应为“天”\n");
}

TEST(GrammarVillageSettings, ReviewNeedsQuotedRoles) {
  // A wrong token after `review` (or after its `by`).
  EXPECT_EQ(VillageMessages("  review grid\n"),
            "2:10: review: expected a scorer role in double quotes\n");
  EXPECT_EQ(VillageMessages("  review by 村两委\n"),
            "2:13: review: expected a scorer role in double quotes\n");
  // A missing role: nothing after `review by`, or after a `|`.
  EXPECT_EQ(VillageMessages("  review by\n"),
            "3:1: review: expected a scorer role in double quotes\n");
  EXPECT_EQ(VillageMessages("  review \"村两委\" |\n"),
            "3:1: review: expected a scorer role in double quotes\n");
  EXPECT_EQ(Messages(ParseRules("村 V “v” {\n  审核 网格员\n}\n", "t.rules")),
            "2:6: 审核：应为带引号的采集人角色\n");
  EXPECT_EQ(Messages(ParseRules("村 V “v” {\n  审核 “村两委”｜\n}\n", "t.rules")),
            "3:1: 审核：应为带引号的采集人角色\n");
  // `by` is not a role.
  EXPECT_EQ(VillageMessages("  review by by \"a\"\n"),
            "2:13: review: expected a scorer role in double quotes\n");
}

TEST(GrammarVillageSettings, ARoleGivenTwiceIsAnError) {
  EXPECT_EQ(VillageMessages("  review by \"村两委\" | \"驻村干部\" | \"村两委\"\n"),
            "2:30: village V: review role \"村两委\" given twice\n");
  // The same role in the other quotes is the same role.
  EXPECT_EQ(Messages(ParseRules("村 V “v” {\n  审核 \"村两委\"｜“村两委”\n}\n", "t.rules")),
            "2:12: 村 V：审核角色“村两委”重复\n");
}

TEST(GrammarVillageSettings, EachSettingAtMostOnce) {
  EXPECT_EQ(VillageMessages("  notice 3 days\n  notice 5 days\n"),
            "3:3: village V: notice given twice (first at line 2)\n");
  // The second list is not compared with the first: only "given twice" is reported.
  EXPECT_EQ(VillageMessages("  review by \"a\"\n  late 3 days\n  review by \"a\" | \"b\"\n"),
            "4:3: village V: review given twice (first at line 2)\n");
  EXPECT_EQ(Messages(ParseRules("村 V “v” {\n  审核 “a”\n  审核 “b”\n  公示 1 天\n  公示 1 天\n}\n",
                                "t.rules")),
            "3:3: 村 V：审核 重复设置（首次在第 2 行）\n"
            "5:3: 村 V：公示 重复设置（首次在第 4 行）\n");
}

TEST(GrammarVillageSettings, ParsingResumesAtTheNextSetting) {
  EXPECT_EQ(VillageMessages("  review grid\n  notice 99 days\n  period week\n"),
            "2:10: review: expected a scorer role in double quotes\n"
            "3:10: village V: notice days must be between 0 and 60, not 99\n"
            "4:10: period: expected month or quarter\n");
}

TEST(GrammarVillageSettings, TheNewKeywordsDoNotTakeCodesNamesOrLongerWords) {
  // English keywords end at a word boundary; codes, strings and comments are not keywords.
  ParseOutcome outcome = ParseRules(
      "village review \"审核 notice\" {  # review notice 审核 公示\n"
      "  township \"公示镇\"\n"
      "}\n"
      "category notice \"公示栏\" {\n"
      "  item review \"review by\" +1 per person, by \"审核员\"\n"
      "  item notice.1 \"notice 3 days\" +1 per person\n"
      "  item reviewed \"审核\" +1 per household\n"
      "}\n"
      "reward noticeboard \"公示牌\" cost 5\n"
      "bonus review-1 \"公示\" +1 per household when count(review) + count(notice.1) + "
      "points(category notice) > 0\n",
      "t.rules");
  ASSERT_TRUE(outcome.rules) << Messages(outcome);
  const RuleFile& r = *outcome.rules;
  EXPECT_EQ(r.village.code, "review");
  EXPECT_EQ(r.village.name, "审核 notice");
  EXPECT_TRUE(r.village.review_roles.empty());
  EXPECT_FALSE(r.village.notice_days);
  EXPECT_EQ(r.categories[0].items, (std::vector<std::string>{"review", "notice.1", "reviewed"}));
  EXPECT_EQ(r.FindItem("review")->roles, std::vector<std::string>{"审核员"});
  EXPECT_EQ(r.bonuses[0].code, "review-1");

  // A longer word is not the setting: the village block just finds no setting there.
  std::string close = "2:3: " + RenderMessage(Message::kVillageClose, Language::kEnglish) + "\n";
  EXPECT_EQ(VillageMessages("  reviewer \"a\"\n"), close);
  EXPECT_EQ(VillageMessages("  notices 3 days\n"), close);
  EXPECT_EQ(VillageMessages("  notice_3 days\n"), close);
}

TEST(GrammarVillageSettings, FmtRoundTripsTheExampleThroughChinese) {
  FormatOutcome english = FormatRulesText(kEnglish, "ac.rules", std::nullopt);
  ASSERT_TRUE(english.text);
  EXPECT_EQ(*english.text, kEnglish);  // already canonical

  FormatOutcome chinese = FormatRulesText(kEnglish, "ac.rules", Language::kChinese);
  ASSERT_TRUE(chinese.text);
  EXPECT_EQ(*chinese.text, kChinese);

  FormatOutcome back = FormatRulesText(*chinese.text, "ac.rules", Language::kEnglish);
  ASSERT_TRUE(back.text);
  EXPECT_EQ(*back.text, kEnglish);

  FormatOutcome again = FormatRulesText(*chinese.text, "ac.rules", std::nullopt);
  ASSERT_TRUE(again.text);
  EXPECT_EQ(*again.text, kChinese);
}

TEST(GrammarVillageSettings, FmtWritesCanonicalFormAndOrder) {
  // `by` / `限` after 审核 / review is dropped in Chinese and written in English; the settings
  // come in canonical order whatever order the file has.
  const std::string text = "村 V “v” { 公示 +7 天  审核 限 “a”  |  \"b\"  自评 禁止 }\n";
  FormatOutcome english = FormatRulesText(text, "t.rules", Language::kEnglish);
  ASSERT_TRUE(english.text);
  EXPECT_EQ(*english.text,
            "village V \"v\" {\n  self deny\n  review by \"a\" | \"b\"\n  notice 7 days\n}\n");
  FormatOutcome chinese = FormatRulesText(text, "t.rules", std::nullopt);
  ASSERT_TRUE(chinese.text);
  EXPECT_EQ(*chinese.text, "村 V \"v\" {\n  自评 禁止\n  审核 \"a\"｜\"b\"\n  公示 7 天\n}\n");
}

TEST(GrammarVillageSettings, PrintRulesWritesTheSettingsOnlyWhenGiven) {
  ParseOutcome given = ParseRules("village V \"v\" { notice 0 days review \"a\" }", "t.rules");
  ASSERT_TRUE(given.rules);
  EXPECT_EQ(PrintRules(*given.rules, Language::kEnglish),
            "village V \"v\" {\n  review by \"a\"\n  notice 0 days\n}\n");
  EXPECT_EQ(PrintRules(*given.rules, Language::kChinese),
            "村 V \"v\" {\n  审核 \"a\"\n  公示 0 天\n}\n");
  ParseOutcome none = ParseRules("village V \"v\" {}", "t.rules");
  ASSERT_TRUE(none.rules);
  EXPECT_EQ(PrintRules(*none.rules, Language::kEnglish), "village V \"v\" {\n}\n");
}

TEST(GrammarVillageSettings, SameRulesComparesTheNewSettings) {
  ParseOutcome a = ParseRules("village V \"v\" { review \"a\" | \"b\" notice 3 days }", "a");
  ParseOutcome b = ParseRules("village V \"v\" { review \"b\" | \"a\" notice 3 days }", "b");
  ParseOutcome c = ParseRules("village V \"v\" { review \"a\" | \"b\" notice 4 days }", "c");
  ParseOutcome d = ParseRules("village V \"v\" { review \"a\" | \"b\" }", "d");
  ASSERT_TRUE(a.rules && b.rules && c.rules && d.rules);
  EXPECT_TRUE(SameRules(*a.rules, *a.rules));
  EXPECT_FALSE(SameRules(*a.rules, *b.rules));  // the order of the roles is kept
  EXPECT_FALSE(SameRules(*a.rules, *c.rules));
  EXPECT_FALSE(SameRules(*a.rules, *d.rules));
}

}  // namespace
}  // namespace jifen::grammar
