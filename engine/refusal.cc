#include "engine/refusal.h"

#include <algorithm>
#include <cassert>

namespace jifen::engine {
namespace {

using F = RefusalField;
using C = RefusalCode;

struct RefusalRow {
  RefusalCode code;
  std::string_view name;
  RefusalField field;
  std::string_view english;
  std::string_view chinese;
};

// One row per code, in number order (checked by RowsInOrder below). The English texts are the words
// `jifen import` has always printed; tests/engine/refusal_test.cc checks that both texts of a row
// use the same arguments.
constexpr RefusalRow kRows[] = {
    {C::kLineUnparsed, "line_unparsed", F::kGeneral, "{0}", "{0}"},
    {C::kCheckFailed, "check_failed", F::kGeneral, "{0}", "无法核对：{0}"},
    {C::kIdTaken, "id_taken", F::kId,
     "id {0}: already in the ledger with other content (sequence {1})",
     "编号 {0}：账本里已有这个编号的记录，内容不同（序号 {1}）"},
    {C::kHouseholdTaken, "household_taken", F::kCode,
     "household {0}: already in the ledger with other content (sequence {1})",
     "户 {0}：这个户号已经登记过了，内容不同（序号 {1}）"},
    {C::kPersonTaken, "person_taken", F::kCode,
     "person {0}: already in the ledger with other content (sequence {1})",
     "人员 {0}：这个编号已经登记过了，内容不同（序号 {1}）"},
    {C::kScorerTaken, "scorer_taken", F::kCode,
     "scorer {0}: already in the ledger with other content (sequence {1})",
     "采集人 {0}：这个编号已经登记过了，内容不同（序号 {1}）"},
    {C::kMoveTaken, "move_taken", F::kDate,
     "move of {0} on {1}: already in the ledger with other content (sequence {2})",
     "{0} 在 {1} 的迁户：账本里已有，内容不同（序号 {2}）"},
    {C::kAlreadyRevoked, "already_revoked", F::kTarget,
     "target {0}: already revoked (sequence {1})", "记录 {0}：已经撤销过了（序号 {1}）"},
    {C::kAlreadyApproved, "already_approved", F::kTarget,
     "target {0}: already approved (sequence {1})", "记录 {0}：已经审核通过了（序号 {1}）"},
    {C::kRecordedBeforeLatest, "recorded_before_latest", F::kRecorded,
     "recorded {0}: before the ledger's latest record ({1}); recorded times never go backwards",
     "录入时间 {0}：早于账本里最后一条记录的录入时间（{1}）；录入时间不能倒退"},
    {C::kRecordedInFuture, "recorded_in_future", F::kRecorded, "recorded {0}: in the future",
     "录入时间 {0}：晚于现在"},
    {C::kNoRulesAdopted, "no_rules_adopted", F::kGeneral,
     "village {0}: no rules adopted (run `jifen rules adopt` first)",
     "村 {0}：还没有通过细则（请先运行 `jifen rules adopt`）"},
    {C::kRulesNotImported, "rules_not_imported", F::kGeneral,
     "rules: adopt rule files with `jifen rules adopt`, not import",
     "细则：细则文件要用 `jifen rules adopt` 通过，不能导入"},
    {C::kSharesNegative, "shares_negative", F::kShares,
     "household {0}: shares must not be negative", "户 {0}：股份不能是负数"},
    {C::kPersonNotRegistered, "person_not_registered", F::kCode, "person {0}: not registered",
     "人员 {0}：没有登记"},
    {C::kMoveBeforeRegistering, "move_before_registering", F::kDate,
     "person {0}: moves on {1}, before registering on {2}",
     "人员 {0}：迁户日期 {1} 早于登记日期 {2}"},
    {C::kHomeNotRegistered, "home_not_registered", F::kHousehold,
     "person {0}: household {1} not registered", "人员 {0}：户 {1} 没有登记"},
    {C::kHomeNotYet, "home_not_yet", F::kDate, "person {0}: household {1} exists only from {2}",
     "人员 {0}：户 {1} 从 {2} 起才有"},
    {C::kScorerPersonNotRegistered, "scorer_person_not_registered", F::kPerson,
     "scorer {0}: person {1} not registered", "采集人 {0}：人员 {1} 没有登记"},
    {C::kDatedAfterRecorded, "dated_after_recorded", F::kDate,
     "dated {0}, after its recorded day {1}", "日期 {0} 晚于录入那天 {1}"},
    {C::kNoRulesInForce, "no_rules_in_force", F::kDate, "no rules in force for village {0} on {1}",
     "村 {0} 在 {1} 没有生效的细则"},
    {C::kTooLate, "too_late", F::kDate,
     "recorded {0}, {1} days after period {2} ended (late limit {3} days)",
     "录入于 {0}，{2} 期已结束 {1} 天，超过补记期限（{3} 天）"},
    {C::kDatedInLocked, "dated_in_locked", F::kDate,
     "dated in {0}: period {0} was posted on {1} and its notice window ended on {2}; it takes no "
     "more records that change it",
     "日期在 {0}：这一期已公示（{1} 公示，公示期到 {2} 结束），期满后不再接受改动它的记录"},
    {C::kDatedInLockedNoNotice, "dated_in_locked_no_notice", F::kDate,
     "dated in {0}: period {0} was posted on {1} with no notice window; it takes no more records "
     "that change it",
     "日期在 {0}：这一期已公示（{1} 公示，没有公示期），不再接受改动它的记录"},
    {C::kScorerNotRegistered, "scorer_not_registered", F::kScorer, "scorer {0}: not registered",
     "采集人 {0}：没有登记"},
    {C::kAwardNeedsId, "award_needs_id", F::kId,
     "award by {0}: needs an id, since it waits for review and an approval names it by id",
     "{0} 记的分要有编号：它要等审核，审核时按编号找它"},
    {C::kItemNotInRules, "item_not_in_rules", F::kItem,
     "item {0}: not in the rules in force for {1}", "项目 {0}：{1} 的现行细则里没有这个项目"},
    {C::kSubjectNotRegistered, "subject_not_registered", F::kSubject, "subject {0}: not registered",
     "对象 {0}：本村没有这个户号或人员编号"},
    {C::kItemPerHousehold, "item_per_household", F::kSubject,
     "item {0} is per household: subject {1} is a person",
     "项目 {0} 按户记分，对象 {1} 是人：按户的项目要选户"},
    {C::kItemPerPerson, "item_per_person", F::kSubject,
     "item {0} is per person: subject {1} is a household",
     "项目 {0} 按人记分，对象 {1} 是户：按人的项目要选人"},
    {C::kHouseholdNotYet, "household_not_yet", F::kDate, "household {0}: not registered on {1}",
     "户 {0}：{1} 还没有登记"},
    {C::kPersonNotYet, "person_not_yet", F::kDate, "person {0}: not registered on {1}",
     "人员 {0}：{1} 还没有登记"},
    {C::kQtyWithoutUnit, "qty_without_unit", F::kQty, "qty {0}: item {1} has no unit",
     "数量 {0}：项目 {1} 按次记，没有单位，数量只能是 1"},
    {C::kEvidenceMissing, "evidence_missing", F::kPhotos, "item {0}: needs evidence",
     "项目 {0}：要附照片或文件作证据"},
    {C::kItemRole, "item_role", F::kItem, "scorer {0} ({1}): item {2} is recorded only by {3}",
     "采集人 {0}（{1}）：项目 {2} 只能由 {3} 记"},
    {C::kSelfDeny, "self_deny", F::kSubject,
     "scorer {0}: may not score own household {1} (self deny)",
     "采集人 {0}：不能给自己家 {1} 记分（细则禁止自评）"},
    {C::kNoAwardOrRedemption, "no_award_or_redemption", F::kTarget,
     "target {0}: no award or redemption with this id in village {1}",
     "记录 {0}：村 {1} 没有这个编号的记分或兑换记录"},
    {C::kNoAward, "no_award", F::kTarget, "target {0}: no award with this id in village {1}",
     "记录 {0}：村 {1} 没有这个编号的记分记录"},
    {C::kRedemptionNeverPending, "redemption_never_pending", F::kTarget,
     "target {0}: a redemption is never pending", "记录 {0}：兑换记录不用审核"},
    {C::kNoReview, "no_review", F::kTarget,
     "target {0}: village {1} has no review in the rules in force on {2} (nothing waits for "
     "approval)",
     "记录 {0}：村 {1} 在 {2} 生效的细则没有审核（没有等审核的记录）"},
    {C::kTargetRevoked, "target_revoked", F::kTarget, "target {0}: revoked",
     "记录 {0}：已经退回或撤销了"},
    {C::kNeverPending, "never_pending", F::kTarget,
     "target {0}: never pending (recorded by {1}, who holds a review role)",
     "记录 {0}：不用审核，已经直接计入（由有审核权的 {1} 记）"},
    {C::kApproverRole, "approver_role", F::kScorer, "scorer {0} ({1}): only {2} may approve",
     "采集人 {0}（{1}）：只有 {2} 才能审核"},
    {C::kApproveOwnRecord, "approve_own_record", F::kScorer,
     "scorer {0}: may not approve their own record {1}",
     "采集人 {0}：不能审核自己记的分 {1}，请另一位审核人审核"},
    {C::kApproveOwnHousehold, "approve_own_household", F::kScorer,
     "scorer {0}: may not approve a record for their own household {1}",
     "采集人 {0}：不能审核给自己家 {1} 记的分，请另一位审核人审核"},
    {C::kNotAPeriod, "not_a_period", F::kPeriod, "period {0}: not a period",
     "期 {0}：不是期（写成 2024-03 或 2024-Q1 这样）"},
    {C::kPeriodWithoutRules, "period_without_rules", F::kPeriod,
     "period {0}: no rules in force for village {1}", "期 {0}：村 {1} 没有生效的细则"},
    {C::kPeriodNotMonth, "period_not_month", F::kPeriod, "period {0}: village {1} counts by month",
     "期 {0}：村 {1} 按月计分"},
    {C::kPeriodNotQuarter, "period_not_quarter", F::kPeriod,
     "period {0}: village {1} counts by quarter", "期 {0}：村 {1} 按季度计分"},
    {C::kPosterRole, "poster_role", F::kScorer,
     "scorer {0} ({1}): only a reviewer may post a period",
     "采集人 {0}（{1}）：只有审核人才能公示"},
    {C::kPostBeforeEnd, "post_before_end", F::kPeriod,
     "post of {0} recorded {1}, before the period's last day {2}",
     "{0} 的公示录入于 {1}：这一期要到 {2} 才过完，那天起才能公示"},
    {C::kPostLocked, "post_locked", F::kPeriod,
     "post of {0}: period {1} was posted on {2} and its notice window ended on {3}; it takes no "
     "more records that change it",
     "{0} 的公示：{1} 期已于 {2} 公示，公示期到 {3} 结束，账目已定，不再接受改动它的记录"},
    {C::kPostLockedNoNotice, "post_locked_no_notice", F::kPeriod,
     "post of {0}: period {1} was posted on {2} with no notice window; it takes no more records "
     "that change it",
     "{0} 的公示：{1} 期已于 {2} 公示（没有公示期），账目已定，不再接受改动它的记录"},
    {C::kHeadChanged, "head_changed", F::kHead,
     "head {0}: the ledger's head before this post is {1} (the posted board showed another state)",
     "账本头 {0}：公示前的账本头是 {1}；打开本页以后又有新的记录，公示的内容会不一样"},
    {C::kTargetNotInPeriod, "target_not_in_period", F::kTarget,
     "target {0}: dated {1}, not in period {2}",
     "记录 {0} 的日期是 {1}：这条记录不在这一期里（{2}）"},
    {C::kHouseholdNotRegistered, "household_not_registered", F::kHousehold,
     "household {0}: not registered", "户 {0}：本村没有这个户号"},
    {C::kNotPosted, "not_posted", F::kPeriod,
     "period {0}: not posted yet; objections are taken during its notice window",
     "期 {0}：还没有公示；公示期内才能登记异议"},
    {C::kObjectionLocked, "objection_locked", F::kPeriod,
     "objection to {0}: period {1} was posted on {2} and its notice window ended on {3}; it takes "
     "no more records that change it",
     "对 {0} 的异议：{1} 期已于 {2} 公示，公示期到 {3} 结束，账目已定，不再接受改动它的记录"},
    {C::kObjectionLockedNoNotice, "objection_locked_no_notice", F::kPeriod,
     "objection to {0}: period {1} was posted on {2} with no notice window; it takes no more "
     "records that change it",
     "对 {0} 的异议：{1} 期已于 {2} 公示（没有公示期），账目已定，不再接受改动它的记录"},
    {C::kNoObjection, "no_objection", F::kTarget,
     "target {0}: no objection with this id in village {1}", "异议 {0}：村 {1} 没有这个编号的异议"},
    {C::kAlreadyRuled, "already_ruled", F::kTarget, "objection {0}: already ruled (sequence {1})",
     "异议 {0}：已经裁定过了（序号 {1}），不能再裁定"},
    {C::kRulerRole, "ruler_role", F::kScorer,
     "scorer {0} ({1}): only a reviewer may rule on an objection",
     "采集人 {0}（{1}）：只有审核人才能裁定异议"},
    {C::kRewardNotInRules, "reward_not_in_rules", F::kReward,
     "reward {0}: not in the rules in force for {1}", "奖品 {0}：{1} 的现行细则里没有这样物品"},
    {C::kStockExceeded, "stock_exceeded", F::kReward,
     "reward {0}: stock {1} exceeded ({2} already redeemed, asked {3})",
     "奖品 {0}：这样物品库存不够了（共 {1}，已兑换 {2}，这次要 {3}）"},
    {C::kStockPerPeriodExceeded, "stock_per_period_exceeded", F::kReward,
     "reward {0}: stock {1} per period exceeded ({2} already redeemed, asked {3})",
     "奖品 {0}：这样物品本期库存不够了（每期 {1}，已兑换 {2}，这次要 {3}）"},
    {C::kBalanceShort, "balance_short", F::kQty,
     "redemption {0}: household {1} has {2} points on {3}, {4} x {5} costs {6}",
     "兑换 {0}：户 {1} 在 {3} 有 {2} 分，{4} × {5} 要 {6} 分，积分不够兑换这么多"},
    {C::kEffectiveNotMonthStart, "effective_not_month_start", F::kEffective,
     "effective date {0} is not the first day of a month", "生效日期 {0} 不是一个月的第一天"},
    {C::kEffectiveNotQuarterStart, "effective_not_quarter_start", F::kEffective,
     "effective date {0} is not the first day of a quarter", "生效日期 {0} 不是一个季度的第一天"},
    {C::kAdoptionRecordedBeforeLatest, "adoption_recorded_before_latest", F::kRecorded,
     "recorded {0}: before the ledger's latest record ({1})",
     "录入时间 {0}：早于账本里最后一条记录的录入时间（{1}）"},
    {C::kEffectiveInsidePeriod, "effective_inside_period", F::kEffective,
     "effective date {0} falls inside a period of the rules in force before it",
     "生效日期 {0} 落在之前生效的细则的一期中间"},
    {C::kEffectiveLocked, "effective_locked", F::kEffective,
     "effective date {0} would change period {1} was posted on {2} and its notice window ended on "
     "{3}; it takes no more records that change it",
     "生效日期 {0} 会改动 {1} 期：这一期已于 {2} 公示，公示期到 {3} 结束，账目已定"},
    {C::kEffectiveLockedNoNotice, "effective_locked_no_notice", F::kEffective,
     "effective date {0} would change period {1} was posted on {2} with no notice window; it takes "
     "no more records that change it",
     "生效日期 {0} 会改动 {1} 期：这一期已于 {2} 公示（没有公示期），账目已定"},
    {C::kLaterAdoptionInside, "later_adoption_inside", F::kEffective,
     "the adoption effective {0} would fall inside a period of these rules",
     "{0} 起生效的另一份细则会落在这份细则的一期中间"},
    {C::kCitedObjectionUnknown, "cited_objection_unknown", F::kTarget,
     "objection {0}: no objection with this id in village {1}", "异议 {0}：村 {1} 没有这条异议"},
    {C::kCitedObjectionNotFigures, "cited_objection_not_figures", F::kTarget,
     "objection {0}: disputes a record, not a household's figures; only a household's missed "
     "record is added under an objection",
     "异议 {0}：针对的是某一条记录，不是某户的积分；只有对某户积分（漏记）的异议才能补记"},
    {C::kCitedObjectionOtherHousehold, "cited_objection_other_household", F::kSubject,
     "objection {0}: is about household {1}; subject {2} does not count for it",
     "异议 {0}：说的是户 {1}，对象 {2} 不算这一户"},
    {C::kCitedObjectionOtherPeriod, "cited_objection_other_period", F::kDate,
     "objection {0}: is about period {1}; the award is dated {2}",
     "异议 {0}：说的是 {1} 这一期，这一笔的日期是 {2}"},
    {C::kCitedObjectionNotUpheld, "cited_objection_not_upheld", F::kTarget,
     "objection {0}: has no upheld ruling recorded before this award",
     "异议 {0}：还没有裁定异议成立，不能据此补记"},
    {C::kCitedObjectionTooLate, "cited_objection_too_late", F::kDate,
     "objection {0}: upheld on {1}; the missed record is added within {2} days of the ruling",
     "异议 {0}：{1} 裁定成立；补记要在裁定后 {2} 天内"},
};
static_assert(sizeof(kRows) / sizeof(kRows[0]) == kRefusalCodes,
              "every RefusalCode needs its row in kRows");

constexpr bool RowsInOrder() {
  for (size_t i = 0; i < kRefusalCodes; ++i) {
    if (static_cast<size_t>(kRows[i].code) != i + 1) return false;
    if (kRows[i].name.empty() || kRows[i].english.empty() || kRows[i].chinese.empty()) return false;
  }
  return true;
}
static_assert(RowsInOrder(), "kRows: one row per code, in number order, with both texts");

const RefusalRow& Row(RefusalCode code) {
  size_t n = static_cast<size_t>(code);
  assert(n >= 1);
  assert(n <= kRefusalCodes);
  return kRows[n - 1];
}

}  // namespace

std::string_view RefusalFieldName(RefusalField field) {
  switch (field) {
    case F::kGeneral:
      return "general";
    case F::kId:
      return "id";
    case F::kCode:
      return "code";
    case F::kSubject:
      return "subject";
    case F::kItem:
      return "item";
    case F::kQty:
      return "qty";
    case F::kDate:
      return "date";
    case F::kPhotos:
      return "photos";
    case F::kTarget:
      return "target";
    case F::kHousehold:
      return "household";
    case F::kPerson:
      return "person";
    case F::kShares:
      return "shares";
    case F::kScorer:
      return "scorer";
    case F::kPeriod:
      return "period";
    case F::kHead:
      return "head";
    case F::kReward:
      return "reward";
    case F::kRecorded:
      return "recorded";
    case F::kEffective:
      return "effective";
  }
  return "general";
}

std::string_view RefusalName(RefusalCode code) { return Row(code).name; }
RefusalField RefusalFieldOf(RefusalCode code) { return Row(code).field; }

std::string_view RefusalTemplate(RefusalCode code, grammar::Language language) {
  const RefusalRow& row = Row(code);
  return language == grammar::Language::kChinese ? row.chinese : row.english;
}

size_t RefusalArity(RefusalCode code) {
  std::string_view text = Row(code).english;
  size_t arity = 0;
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '{' && text[i + 2] == '}' && text[i + 1] >= '0' && text[i + 1] <= '9')
      arity = std::max<size_t>(arity, text[i + 1] - '0' + 1);
  }
  return arity;
}

std::string Refusal::Text(grammar::Language language) const {
  assert(args.size() == RefusalArity(code));
  std::string_view pattern = RefusalTemplate(code, language);
  std::string out;
  out.reserve(pattern.size() + 32);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      size_t n = pattern[i + 1] - '0';
      if (n < args.size()) out += args[n];
      i += 2;
      continue;
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace jifen::engine
