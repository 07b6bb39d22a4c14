// fmt: canonical layout, translation, comments kept, and the round-trip property.
#include "grammar/format.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "grammar/parser.h"
#include "tests/common/files.h"

namespace jifen::grammar {
namespace {

namespace fs = std::filesystem;

using tests::ReadFile;

// Every good golden file, every village file and a few written here.
std::vector<std::pair<std::string, std::string>> Corpus() {
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* dir : {"tests/rules", "villages"}) {
    fs::path path = fs::path(JIFEN_SOURCE_DIR) / dir;
    if (!fs::exists(path)) continue;
    for (const auto& entry : fs::directory_iterator(path)) {
      std::string name = entry.path().filename().string();
      bool good = std::string(dir) == "villages" || name.starts_with("good_");
      if (good && entry.path().extension() == ".rules") {
        files.emplace_back(name, ReadFile(entry.path()));
      }
    }
  }
  files.emplace_back("one_line.rules",
                     "village V \"v\" { period quarter late 0 days } category C \"c\" { item C.1 "
                     "\"x\\\"y\\\\\" 1 per person, by \"a\", cap 2 per period } # end\n");
  files.emplace_back("multi_line.rules",
                     "# head\n\n\nvillage V \"v\" {\n\n  # about self\n  self deny  # why\n\n  "
                     "rank balance\n}\n\n# rewards\nreward R \"r\"\n  cost 5,   # first line\n  "
                     "stock 3  # second line\n\nbonus B \"b\" +1 per household when\n  # inside\n"
                     "  (earned > 1 and earned < 9) and (members > 1 or not not members > 5)\n"
                     "# at the end\n");
  files.emplace_back("review_notice.rules",
                     "village AC \"验收村\" {\n  period month\n  late 10 days\n"
                     "  review by \"村两委\" | \"驻村干部\"\n  notice 3 days\n}\n"
                     "category G \"公益\" {\n  item G.1 \"志愿服务\" +2 per person, unit \"小时\", "
                     "cap 10\n  item G.2 \"庭院整洁\" +3 per household\n}\n");
  files.emplace_back(
      "review_notice_zh.rules",
      "# 审核与公示\n村 V “v” {\n  公示 0 天  # 当天\n  审核 限 “a”\n  ｜ “b\\\"”\n}\n");
  return files;
}

TEST(Format, RoundTripGivesTheSameRulesInBothLanguages) {
  for (const auto& [name, text] : Corpus()) {
    SCOPED_TRACE(name);
    ParseOutcome original = ParseRules(text, name);
    ASSERT_TRUE(original.rules) << FormatDiagnostic(original.diagnostics[0]);
    for (Language keywords : {Language::kEnglish, Language::kChinese}) {
      FormatOutcome formatted = FormatRulesText(text, name, keywords);
      ASSERT_TRUE(formatted.text);
      SCOPED_TRACE(*formatted.text);
      ParseOutcome again = ParseRules(*formatted.text, name);
      ASSERT_TRUE(again.rules) << FormatDiagnostic(again.diagnostics[0]);
      EXPECT_TRUE(SameRules(*original.rules, *again.rules));
      EXPECT_EQ(again.rules->language, keywords);
    }
  }
}

TEST(Format, IsIdempotent) {
  for (const auto& [name, text] : Corpus()) {
    SCOPED_TRACE(name);
    for (std::optional<Language> keywords :
         {std::optional<Language>(), std::optional<Language>(Language::kEnglish),
          std::optional<Language>(Language::kChinese)}) {
      FormatOutcome once = FormatRulesText(text, name, keywords);
      ASSERT_TRUE(once.text);
      FormatOutcome twice = FormatRulesText(*once.text, name, std::nullopt);
      ASSERT_TRUE(twice.text);
      EXPECT_EQ(*once.text, *twice.text);
    }
  }
}

TEST(Format, CanonicalLayoutKeepsCommentsAndSingleBlankLines) {
  const std::string text =
      "# head\n\n\nvillage V \"v\" {\n\n  # about self\n  self deny  # why\n\n  "
      "rank balance\n}\n\n# rewards\nreward R \"r\"\n  cost 5,   # first line\n  "
      "stock 3  # second line\n\nbonus B \"b\" +1 per household when\n  # inside\n"
      "  (earned > 1 and earned < 9) and (members > 1 or not not members > 5)\n"
      "# at the end\n";
  FormatOutcome formatted = FormatRulesText(text, "t.rules", std::nullopt);
  ASSERT_TRUE(formatted.text);
  EXPECT_EQ(*formatted.text,
            "# head\n"
            "\n"
            "village V \"v\" {\n"
            "  rank balance\n"
            "  # about self\n"
            "  self deny  # why\n"
            "}\n"
            "\n"
            "# rewards\n"
            "reward R \"r\" cost 5, stock 3  # first line  # second line\n"
            "\n"
            "bonus B \"b\" +1 per household when (earned > 1 and earned < 9) and "
            "(members > 1 or not not members > 5)\n"
            // A whole-line comment goes before the next statement, setting, item or brace
            // that starts after it; one inside a statement spanning lines moves below it.
            "# inside\n"
            "# at the end\n");
}

TEST(Format, TranslatesTheSampleToChinese) {
  std::string sample = ReadFile(fs::path(JIFEN_SOURCE_DIR) / "tests/rules/good_sample.rules");
  FormatOutcome formatted = FormatRulesText(sample, "sample.rules", Language::kChinese);
  ASSERT_TRUE(formatted.text);
  EXPECT_EQ(*formatted.text,
            "# 双杨树村 积分细则 (example from SPEC.md)\n"
            "村 SYS \"双杨树村\" {\n"
            "  镇 \"别山镇\"\n"
            "  周期 月\n"
            "  清零 周期\n"
            "  补录 5 天\n"
            "}\n"
            "类别 C1 \"爱党爱国\" {\n"
            "  项目 C1.01 \"参加升国旗仪式\" +2 每人，上限 4\n"
            "  项目 C1.02 \"获县级以上表彰\" +10 每户，凭证\n"
            "}\n"
            "类别 C2 \"遵纪守法\" {\n"
            "  项目 C2.01 \"违反村规民约\" -5 每人\n"
            "  项目 C2.02 \"违法犯罪被依法处理\" -20 每人，否决\n"
            "}\n"
            "类别 C5 \"公益美德\" {\n"
            "  项目 C5.01 \"志愿服务\" +1 每人，单位 \"小时\"，上限 8，限 \"网格员\"｜\"村两委\"\n"
            "}\n"
            "奖品 R01 \"洗衣液\" 价 20\n"
            "奖品 R02 \"食用油 5L\" 价 60，库存 10 每周期\n"
            "折合 0.5 元每分\n"
            "加分 B1 \"当月无扣分\" +3 每户 当 计数(负) == 0 且 计数(正) > 0\n"
            "称号 \"最美家庭\" 周期 前3，无否决\n"
            "称号 \"文明家庭\" 年度 前10%，最低 5，无否决\n"
            "分红 股份 70% 积分 30%\n");
}

TEST(Format, SampleIsAlreadyCanonical) {
  std::string sample = ReadFile(fs::path(JIFEN_SOURCE_DIR) / "tests/rules/good_sample.rules");
  FormatOutcome formatted = FormatRulesText(sample, "sample.rules", std::nullopt);
  ASSERT_TRUE(formatted.text);
  EXPECT_EQ(*formatted.text, sample);
}

TEST(Format, FileWithErrorsGivesDiagnosticsAndNoText) {
  FormatOutcome formatted = FormatRulesText("village V {}", "t.rules", std::nullopt);
  EXPECT_FALSE(formatted.text);
  ASSERT_EQ(formatted.diagnostics.size(), 1u);
  EXPECT_EQ(formatted.diagnostics[0].message, "village: expected a name in double quotes");
}

TEST(Format, ExpressionsKeepTheirShape) {
  const std::string text =
      "village V \"v\" {}\nbonus B \"b\" +1 per household when "
      "1 - (2 - 3) > -(1 + 2) * -3 / (4 / 2) and ((earned > 1 and members > 2)) and members > 0\n";
  FormatOutcome formatted = FormatRulesText(text, "t.rules", std::nullopt);
  ASSERT_TRUE(formatted.text);
  EXPECT_EQ(*formatted.text,
            "village V \"v\" {\n}\nbonus B \"b\" +1 per household when 1 - (2 - 3) > "
            "-(1 + 2) * -3 / (4 / 2) and (earned > 1 and members > 2) and members > 0\n");
}

TEST(Format, PrintRulesWritesNonDefaultSettingsOnly) {
  ParseOutcome parsed =
      ParseRules("village V \"v\" { period month  rank balance  late 0 days }", "t.rules");
  ASSERT_TRUE(parsed.rules);
  EXPECT_EQ(PrintRules(*parsed.rules, Language::kEnglish),
            "village V \"v\" {\n  late 0 days\n  rank balance\n}\n");
}

}  // namespace
}  // namespace jifen::grammar
