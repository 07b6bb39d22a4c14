#include "grammar/messages.h"

#include <cassert>

namespace jifen::grammar {
namespace {

struct MessageText {
  Message id;
  std::string_view english;
  std::string_view chinese;
};

// One row per Message, in enum order (checked in MessageTemplate).
constexpr MessageText kMessages[] = {
    {Message::kStatement,
     "expected a statement: village, category, reward, rate, title, bonus or dividend",
     "应为语句：村、类别、奖品、折合、称号、加分或分红"},
    {Message::kVillageCode, "village: expected a code (a letter, then letters, digits, _ . -)",
     "村：应为编号（字母开头，后跟字母、数字、_ . -）"},
    {Message::kVillageName, "village: expected a name in double quotes", "村：应为带引号的名称"},
    {Message::kVillageOpen, "village: expected '{' after the name", "村：名称后应为“{”"},
    {Message::kVillageClose,
     "village: expected a setting (township, period, clearing, late, base, rank, annual, self, "
     "review, notice) or '}'",
     "村：应为设置（镇、周期、清零、补录、底分、排名、年度、自评、审核、公示）或“}”"},
    {Message::kTownshipName, "township: expected a name in double quotes", "镇：应为带引号的名称"},
    {Message::kPeriodKind, "period: expected month or quarter", "周期：应为 月 或 季度"},
    {Message::kClearingKind, "clearing: expected period, year or never",
     "清零：应为 周期、年 或 永不"},
    {Message::kLateDays, "late: expected a number of days", "补录：应为天数"},
    {Message::kLateDaysWord, "late: expected 'days' after the number", "补录：数字后应为“天”"},
    {Message::kBasePoints, "base: expected points such as 5 or 2.5", "底分：应为分值，如 5 或 2.5"},
    {Message::kRankBy, "rank: expected earned or balance", "排名：应为 得分 或 余额"},
    {Message::kAnnualBy, "annual: expected mean or sum", "年度：应为 平均 或 合计"},
    {Message::kSelfScoring, "self: expected flag or deny", "自评：应为 标记 或 禁止"},
    {Message::kReviewRole, "review: expected a scorer role in double quotes",
     "审核：应为带引号的采集人角色"},
    {Message::kNoticeDays, "notice: expected a number of days", "公示：应为天数"},
    {Message::kNoticeDaysWord, "notice: expected 'days' after the number", "公示：数字后应为“天”"},
    {Message::kCategoryCode, "category: expected a code (a letter, then letters, digits, _ . -)",
     "类别：应为编号（字母开头，后跟字母、数字、_ . -）"},
    {Message::kCategoryName, "category: expected a name in double quotes",
     "类别：应为带引号的名称"},
    {Message::kCategoryOpen, "category: expected '{' after the name", "类别：名称后应为“{”"},
    {Message::kCategoryClose, "category: expected an item or '}'", "类别：应为项目或“}”"},
    {Message::kItemCode, "item: expected a code (a letter, then letters, digits, _ . -)",
     "项目：应为编号（字母开头，后跟字母、数字、_ . -）"},
    {Message::kItemName, "item: expected a name in double quotes", "项目：应为带引号的名称"},
    {Message::kItemPoints, "item: expected points such as +2 or -5", "项目：应为分值，如 +2 或 -5"},
    {Message::kItemPer, "item: expected 'per person' or 'per household' after the points",
     "项目：分值后应为“每人”或“每户”"},
    {Message::kItemSubject, "item: expected person or household after 'per'",
     "项目：“每”后应为 人 或 户"},
    {Message::kItemClause, "item: expected a clause after ',': cap, unit, evidence, veto or by",
     "项目：“，”后应为子句：上限、单位、凭证、否决 或 限"},
    {Message::kCapPoints, "cap: expected points such as 4", "上限：应为分值，如 4"},
    {Message::kCapWindow, "cap: expected period or year after 'per'",
     "上限：“每”后应为 周期 或 年"},
    {Message::kUnitName, "unit: expected a unit name in double quotes",
     "单位：应为带引号的单位名称"},
    {Message::kRole, "by: expected a scorer role in double quotes", "限：应为带引号的采集人角色"},
    {Message::kRewardCode, "reward: expected a code (a letter, then letters, digits, _ . -)",
     "奖品：应为编号（字母开头，后跟字母、数字、_ . -）"},
    {Message::kRewardName, "reward: expected a name in double quotes", "奖品：应为带引号的名称"},
    {Message::kRewardCostWord, "reward: expected 'cost' after the name", "奖品：名称后应为“价”"},
    {Message::kRewardCost, "reward: expected the cost in points", "奖品：应为所需分值"},
    {Message::kStockWord, "reward: expected 'stock' after ','", "奖品：“，”后应为“库存”"},
    {Message::kStockCount, "stock: expected a whole number", "库存：应为整数"},
    {Message::kStockPeriod, "stock: expected 'period' after 'per'", "库存：“每”后应为“周期”"},
    {Message::kRateValue, "rate: expected the money value of one point, such as 0.5",
     "折合：应为每分折合的金额，如 0.5"},
    {Message::kRateYuan, "rate: expected 'yuan' after the value", "折合：金额后应为“元”"},
    {Message::kRatePer, "rate: expected 'per point' after 'yuan'", "折合：“元”后应为“每分”"},
    {Message::kRatePoint, "rate: expected 'point' after 'per'", "折合：“每”后应为“分”"},
    {Message::kTitleName, "title: expected a name in double quotes", "称号：应为带引号的名称"},
    {Message::kTitleScope, "title: expected period or annual after the name",
     "称号：名称后应为 周期 或 年度"},
    {Message::kTitleTopWord, "title: expected 'top'", "称号：应为“前”"},
    {Message::kTitleTop, "title: expected a number or a percentage after 'top'",
     "称号：“前”后应为人数或百分比"},
    {Message::kTitleClause, "title: expected a clause after ',': min or no veto",
     "称号：“，”后应为子句：最低 或 无否决"},
    {Message::kPointsMin, "min: expected points", "最低：应为分值"},
    {Message::kNoVeto, "title: expected 'veto' after 'no'", "称号：“无”后应为“否决”"},
    {Message::kBonusCode, "bonus: expected a code (a letter, then letters, digits, _ . -)",
     "加分：应为编号（字母开头，后跟字母、数字、_ . -）"},
    {Message::kBonusName, "bonus: expected a name in double quotes", "加分：应为带引号的名称"},
    {Message::kBonusPoints, "bonus: expected points such as +3", "加分：应为分值，如 +3"},
    {Message::kBonusPer, "bonus: expected 'per household' after the points",
     "加分：分值后应为“每户”"},
    {Message::kBonusHousehold, "bonus: a bonus is per household: expected 'household'",
     "加分：加分按户计：应为“户”"},
    {Message::kBonusWhen, "bonus: expected 'when' and a condition", "加分：应为“当”和条件"},
    {Message::kCondition, "condition: expected a comparison such as count(negative) == 0",
     "条件：应为比较式，如 计数(负) == 0"},
    {Message::kConditionAfterOr, "condition: expected a comparison after 'or'",
     "条件：“或”后应为比较式"},
    {Message::kConditionAfterAnd, "condition: expected a comparison after 'and'",
     "条件：“且”后应为比较式"},
    {Message::kConditionAfterNot, "condition: expected a comparison after 'not'",
     "条件：“非”后应为比较式"},
    {Message::kConditionClose, "condition: expected ')'", "条件：应为“)”"},
    {Message::kComparisonRight, "condition: expected a value after the comparison operator",
     "条件：比较符后应为数值"},
    {Message::kOperand, "condition: expected a value after the operator", "条件：运算符后应为数值"},
    {Message::kNegateOperand, "condition: expected a value after '-'", "条件：“-”后应为数值"},
    {Message::kExpressionClose, "condition: expected ')' after the value", "条件：数值后应为“)”"},
    {Message::kSelectorOpen, "condition: expected '(' after count or points",
     "条件：计数 或 积分 后应为“(”"},
    {Message::kSelector,
     "condition: expected an item code, category CODE, positive, negative or any",
     "条件：应为项目编号、类别 编号、正、负 或 全部"},
    {Message::kSelectorClose, "condition: expected ')' after the selector",
     "条件：选择项后应为“)”"},
    {Message::kSelectorCategoryCode, "condition: expected a category code after 'category'",
     "条件：“类别”后应为类别编号"},
    {Message::kDividendShares, "dividend: expected 'shares'", "分红：应为“股份”"},
    {Message::kDividendSharesPercent, "dividend: expected the shares percentage, such as 70%",
     "分红：应为股份百分比，如 70%"},
    {Message::kDividendPoints, "dividend: expected 'points' after the shares percentage",
     "分红：股份百分比后应为“积分”"},
    {Message::kDividendPointsPercent, "dividend: expected the points percentage, such as 30%",
     "分红：应为积分百分比，如 30%"},
    {Message::kStringEnd, "string: missing closing quote before the end of the line",
     "字符串：行尾前缺少右引号"},
    {Message::kStringEscape, "string: unknown escape; only \\\" and \\\\ are allowed",
     "字符串：未知的转义；只允许 \\\" 和 \\\\"},
    {Message::kTooDeep, "condition: nested too deeply or too long (at most 100 levels)",
     "条件：嵌套过深或过长（最多 100 层）"},
    {Message::kFileTooLarge, "file too large: {} bytes (at most {})",
     "文件过大：{} 字节（最多 {}）"},
    {Message::kInvalidUtf8, "invalid UTF-8 (byte 0x{}); save the file as UTF-8",
     "无效的 UTF-8（字节 0x{}）；请以 UTF-8 保存文件"},
    {Message::kNulByte, "NUL byte in the text", "文本中有 NUL 字节"},
    {Message::kCannotRead, "cannot read: {}", "无法读取：{}"},
    {Message::kTooManyErrors, "too many errors; stopped after {}", "错误过多；已在 {} 个后停止"},
    {Message::kNoVillage, "no village block: a rule file needs exactly one",
     "缺少 村 块：细则文件必须有且只有一个"},
    {Message::kSecondVillage, "village {}: a second village block (the first is at line {})",
     "村 {}：第二个 村 块（第一个在第 {} 行）"},
    {Message::kSettingTwice, "village {}: {} given twice (first at line {})",
     "村 {}：{} 重复设置（首次在第 {} 行）"},
    {Message::kStatementTwice, "{}: given twice (first at line {})", "{}：重复（首次在第 {} 行）"},
    {Message::kClauseTwice, "{}: {} given twice", "{}：{} 重复"},
    {Message::kCodeUsed, "{}: code already used at line {}", "{}：编号已在第 {} 行使用"},
    {Message::kTitleUsed, "{}: name already used at line {}", "{}：名称已在第 {} 行使用"},
    {Message::kUnknownItem, "{}: no item {} in this file", "{}：本文件没有项目 {}"},
    {Message::kUnknownCategory, "{}: no category {} in this file", "{}：本文件没有类别 {}"},
    {Message::kSelectorIsCategory, "{}: {} is a category; write {} {}",
     "{}：{} 是类别，应写 {} {}"},
    {Message::kDividendRange, "dividend: {} {}% is not between 0% and 100%",
     "分红：{} {}% 不在 0% 到 100% 之间"},
    {Message::kDividendSum, "dividend: shares {}% + points {}% = {}%; they must add up to 100%",
     "分红：股份 {}% + 积分 {}% = {}%，合计必须为 100%"},
    {Message::kCapPositive, "{}: cap must be greater than 0", "{}：上限必须大于 0"},
    {Message::kTopPositive, "{}: top must be at least 1", "{}：前 N 名的 N 至少为 1"},
    {Message::kTopPercentRange, "{}: top {}% is not between 1% and 100%",
     "{}：前 {}% 不在 1% 到 100% 之间"},
    {Message::kStockPositive, "{}: stock must be greater than 0", "{}：库存必须大于 0"},
    {Message::kLateNegative, "village {}: late days must be 0 or more",
     "村 {}：补录天数必须大于或等于 0"},
    {Message::kNoticeRange, "village {}: notice days must be between 0 and {}, not {}",
     "村 {}：公示天数必须在 0 到 {} 之间，而不是 {}"},
    {Message::kReviewRoleTwice, "village {}: review role \"{}\" given twice",
     "村 {}：审核角色“{}”重复"},
    {Message::kRatePositive, "rate: the value of a point must be greater than 0",
     "折合：每分金额必须大于 0"},
    {Message::kItemZero, "{}: points must not be 0 (the item could never count)",
     "{}：分值不能为 0（该项目永远不会计分）"},
    {Message::kBonusZero, "{}: points must not be 0 (the bonus could never count)",
     "{}：分值不能为 0（该加分永远不会计分）"},
    {Message::kCostPositive, "{}: cost must be greater than 0", "{}：所需分值必须大于 0"},
    {Message::kNumberPrecision, "number {}: at most two decimal places", "数字 {}：最多两位小数"},
    {Message::kNumberRange, "number {}: too large (at most 1000000000)",
     "数字 {}：过大（最多 1000000000）"},
    {Message::kDivisionByZero, "{}: division by zero", "{}：除数为 0"},
};
static_assert(sizeof(kMessages) / sizeof(kMessages[0]) == static_cast<size_t>(Message::kCount_));

}  // namespace

std::string_view MessageTemplate(Message m, Language language) {
  const MessageText& text = kMessages[static_cast<size_t>(m)];
  assert(text.id == m);
  return language == Language::kChinese ? text.chinese : text.english;
}

std::string RenderMessage(Message m, Language language,
                          std::initializer_list<std::string_view> args) {
  std::string_view pattern = MessageTemplate(m, language);
  std::string out;
  const auto* arg = args.begin();
  size_t pos = 0;
  while (pos < pattern.size()) {
    size_t hole = pattern.find("{}", pos);
    if (hole == std::string_view::npos) break;
    out.append(pattern.substr(pos, hole - pos));
    assert(arg != args.end());
    if (arg != args.end()) out.append(*arg++);
    pos = hole + 2;
  }
  out.append(pattern.substr(pos));
  return out;
}

}  // namespace jifen::grammar
