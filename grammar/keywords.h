// The keyword table of the rules language: every English keyword and its one Chinese alias
// (GRAMMAR.md "Keywords"). The grammar builds its keyword rules from this table and fmt prints
// from it, so the two cannot drift apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "grammar/ast.h"

namespace jifen::grammar {

enum class Keyword : uint8_t {
  kVillage,
  kTownship,
  kPeriod,
  kMonth,
  kQuarter,
  kClearing,
  kYear,
  kNever,
  kLate,
  kDays,
  kBase,
  kRank,
  kEarned,
  kBalance,
  kAnnual,
  kMean,
  kSum,
  kSelf,
  kFlag,
  kDeny,
  kReview,
  kNotice,
  kCategory,
  kItem,
  kPer,
  kPerson,
  kHousehold,
  kCap,
  kUnit,
  kEvidence,
  kVeto,
  kBy,
  kReward,
  kCost,
  kStock,
  kRate,
  kYuan,
  kPoint,
  kTitle,
  kTop,
  kMin,
  kNo,
  kBonus,
  kWhen,
  kDividend,
  kShares,
  kPoints,
  kCount,
  kMembers,
  kPositive,
  kNegative,
  kAny,
  kOr,
  kAnd,
  kNot,
};

struct KeywordSpelling {
  std::string_view english;
  std::string_view chinese;
};

// Indexed by Keyword; the order above and below must match (a static_assert checks the size and
// a test checks every row).
inline constexpr KeywordSpelling kKeywordTable[] = {
    {"village", "村"},    {"township", "镇"},   {"period", "周期"},   {"month", "月"},
    {"quarter", "季度"},  {"clearing", "清零"}, {"year", "年"},       {"never", "永不"},
    {"late", "补录"},     {"days", "天"},       {"base", "底分"},     {"rank", "排名"},
    {"earned", "得分"},   {"balance", "余额"},  {"annual", "年度"},   {"mean", "平均"},
    {"sum", "合计"},      {"self", "自评"},     {"flag", "标记"},     {"deny", "禁止"},
    {"review", "审核"},   {"notice", "公示"},   {"category", "类别"}, {"item", "项目"},
    {"per", "每"},        {"person", "人"},     {"household", "户"},  {"cap", "上限"},
    {"unit", "单位"},     {"evidence", "凭证"}, {"veto", "否决"},     {"by", "限"},
    {"reward", "奖品"},   {"cost", "价"},       {"stock", "库存"},    {"rate", "折合"},
    {"yuan", "元"},       {"point", "分"},      {"title", "称号"},    {"top", "前"},
    {"min", "最低"},      {"no", "无"},         {"bonus", "加分"},    {"when", "当"},
    {"dividend", "分红"}, {"shares", "股份"},   {"points", "积分"},   {"count", "计数"},
    {"members", "人数"},  {"positive", "正"},   {"negative", "负"},   {"any", "全部"},
    {"or", "或"},         {"and", "且"},        {"not", "非"},
};
inline constexpr size_t kKeywordCount = sizeof(kKeywordTable) / sizeof(kKeywordTable[0]);
static_assert(kKeywordCount == static_cast<size_t>(Keyword::kNot) + 1);

constexpr std::string_view KeywordText(Keyword keyword, Language language) {
  const KeywordSpelling& spelling = kKeywordTable[static_cast<size_t>(keyword)];
  return language == Language::kChinese ? spelling.chinese : spelling.english;
}

}  // namespace jifen::grammar
