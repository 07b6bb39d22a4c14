// Why admission refuses a record or an adoption (SPEC.md §4 "Refusal codes"): a stable code, the
// form field it concerns, and its text in English and Chinese, one table row per code. Callers
// decide by the code and show Text() in their reader's language; none reads the words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.h"

namespace jifen::engine {

// The form field a refusal belongs to ("general" when it is about the record as a whole).
enum class RefusalField : uint8_t {
  kGeneral,
  kId,
  kCode,
  kSubject,
  kItem,
  kQty,
  kDate,
  kPhotos,
  kTarget,
  kHousehold,
  kPerson,
  kShares,
  kScorer,
  kPeriod,
  kHead,
  kReward,
  kRecorded,
  kEffective,
};

// "general", "subject", ...: the name a form and the JSON output use.
std::string_view RefusalFieldName(RefusalField field);

// Stable numbers: a code is never renumbered or reused (listed in SPEC.md §4). A new code takes
// the next number, before kCount_, with its row in refusal.cc.
enum class RefusalCode : uint16_t {
  kLineUnparsed = 1,
  kCheckFailed = 2,
  kIdTaken = 3,
  kHouseholdTaken = 4,
  kPersonTaken = 5,
  kScorerTaken = 6,
  kMoveTaken = 7,
  kAlreadyRevoked = 8,
  kAlreadyApproved = 9,
  kRecordedBeforeLatest = 10,
  kRecordedInFuture = 11,
  kNoRulesAdopted = 12,
  kRulesNotImported = 13,
  kSharesNegative = 14,
  kPersonNotRegistered = 15,
  kMoveBeforeRegistering = 16,
  kHomeNotRegistered = 17,
  kHomeNotYet = 18,
  kScorerPersonNotRegistered = 19,
  kDatedAfterRecorded = 20,
  kNoRulesInForce = 21,
  kTooLate = 22,
  kDatedInLocked = 23,
  kDatedInLockedNoNotice = 24,
  kScorerNotRegistered = 25,
  kAwardNeedsId = 26,
  kItemNotInRules = 27,
  kSubjectNotRegistered = 28,
  kItemPerHousehold = 29,
  kItemPerPerson = 30,
  kHouseholdNotYet = 31,
  kPersonNotYet = 32,
  kQtyWithoutUnit = 33,
  kEvidenceMissing = 34,
  kItemRole = 35,
  kSelfDeny = 36,
  kNoAwardOrRedemption = 37,
  kNoAward = 38,
  kRedemptionNeverPending = 39,
  kNoReview = 40,
  kTargetRevoked = 41,
  kNeverPending = 42,
  kApproverRole = 43,
  kApproveOwnRecord = 44,
  kApproveOwnHousehold = 45,
  kNotAPeriod = 46,
  kPeriodWithoutRules = 47,
  kPeriodNotMonth = 48,
  kPeriodNotQuarter = 49,
  kPosterRole = 50,
  kPostBeforeEnd = 51,
  kPostLocked = 52,
  kPostLockedNoNotice = 53,
  kHeadChanged = 54,
  kTargetNotInPeriod = 55,
  kHouseholdNotRegistered = 56,
  kNotPosted = 57,
  kObjectionLocked = 58,
  kObjectionLockedNoNotice = 59,
  kNoObjection = 60,
  kAlreadyRuled = 61,
  kRulerRole = 62,
  kRewardNotInRules = 63,
  kStockExceeded = 64,
  kStockPerPeriodExceeded = 65,
  kBalanceShort = 66,
  kEffectiveNotMonthStart = 67,
  kEffectiveNotQuarterStart = 68,
  kAdoptionRecordedBeforeLatest = 69,
  kEffectiveInsidePeriod = 70,
  kEffectiveLocked = 71,
  kEffectiveLockedNoNotice = 72,
  kLaterAdoptionInside = 73,
  kCitedObjectionUnknown = 74,
  kCitedObjectionNotFigures = 75,
  kCitedObjectionOtherHousehold = 76,
  kCitedObjectionOtherPeriod = 77,
  kCitedObjectionNotUpheld = 78,
  kCitedObjectionTooLate = 79,
  kCount_,  // not a code: one more than the last
};

inline constexpr size_t kRefusalCodes = static_cast<size_t>(RefusalCode::kCount_) - 1;

// The code's stable name, "self_deny" (the JSON output's "code").
std::string_view RefusalName(RefusalCode code);
RefusalField RefusalFieldOf(RefusalCode code);
// The text in `language`; "{0}", "{1}" … mark the arguments, in the order Refusal::args holds
// them (a language may use them in another order, or one twice).
std::string_view RefusalTemplate(RefusalCode code, grammar::Language language);
// How many arguments the code's texts use.
size_t RefusalArity(RefusalCode code);

struct Refusal {
  RefusalCode code{};
  std::vector<std::string> args;  // codes, dates, figures: the same in every language

  // The template with its arguments filled in.
  std::string Text(grammar::Language language) const;
  std::string English() const { return Text(grammar::Language::kEnglish); }
  RefusalField Field() const { return RefusalFieldOf(code); }
  std::string_view FieldName() const { return RefusalFieldName(Field()); }
  std::string_view Name() const { return RefusalName(code); }
  uint16_t Number() const { return static_cast<uint16_t>(code); }
};

}  // namespace jifen::engine
