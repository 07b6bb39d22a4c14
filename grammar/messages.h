// Every diagnostic message of the rules language, in English and Chinese (GRAMMAR.md
// "Diagnostics"). Syntax messages are bound to grammar rules in grammar.h; a rule used under
// `must` without a message does not compile.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "grammar/ast.h"

namespace jifen::grammar {

enum class Message : uint16_t {
  // Syntax: one per commit point of the grammar.
  kStatement,
  kVillageCode,
  kVillageName,
  kVillageOpen,
  kVillageClose,
  kTownshipName,
  kPeriodKind,
  kClearingKind,
  kLateDays,
  kLateDaysWord,
  kBasePoints,
  kRankBy,
  kAnnualBy,
  kSelfScoring,
  kReviewRole,
  kNoticeDays,
  kNoticeDaysWord,
  kCategoryCode,
  kCategoryName,
  kCategoryOpen,
  kCategoryClose,
  kItemCode,
  kItemName,
  kItemPoints,
  kItemPer,
  kItemSubject,
  kItemClause,
  kCapPoints,
  kCapWindow,
  kUnitName,
  kRole,
  kRewardCode,
  kRewardName,
  kRewardCostWord,
  kRewardCost,
  kStockWord,
  kStockCount,
  kStockPeriod,
  kRateValue,
  kRateYuan,
  kRatePer,
  kRatePoint,
  kTitleName,
  kTitleScope,
  kTitleTopWord,
  kTitleTop,
  kTitleClause,
  kPointsMin,
  kNoVeto,
  kBonusCode,
  kBonusName,
  kBonusPoints,
  kBonusPer,
  kBonusHousehold,
  kBonusWhen,
  kCondition,
  kConditionAfterOr,
  kConditionAfterAnd,
  kConditionAfterNot,
  kConditionClose,
  kComparisonRight,
  kOperand,
  kNegateOperand,
  kExpressionClose,
  kSelectorOpen,
  kSelector,
  kSelectorClose,
  kSelectorCategoryCode,
  kDividendShares,
  kDividendSharesPercent,
  kDividendPoints,
  kDividendPointsPercent,
  kStringEnd,
  kStringEscape,
  kTooDeep,
  // Input checked before parsing.
  kFileTooLarge,
  kInvalidUtf8,
  kNulByte,
  kCannotRead,
  kTooManyErrors,
  // Semantic checks.
  kNoVillage,
  kSecondVillage,
  kSettingTwice,
  kStatementTwice,
  kClauseTwice,
  kCodeUsed,
  kTitleUsed,
  kUnknownItem,
  kUnknownCategory,
  kSelectorIsCategory,
  kDividendRange,
  kDividendSum,
  kCapPositive,
  kTopPositive,
  kTopPercentRange,
  kStockPositive,
  kLateNegative,
  kNoticeRange,
  kReviewRoleTwice,
  kRatePositive,
  kItemZero,
  kBonusZero,
  kCostPositive,
  kNumberPrecision,
  kNumberRange,
  kDivisionByZero,
  kCount_,  // not a message: the number of messages
};

inline constexpr Message kLastSyntaxMessage = Message::kTooDeep;

// The message template in `language`; "{}" marks an argument.
std::string_view MessageTemplate(Message m, Language language);

// The template with each "{}" replaced by the next argument.
std::string RenderMessage(Message m, Language language,
                          std::initializer_list<std::string_view> args = {});

}  // namespace jifen::grammar
