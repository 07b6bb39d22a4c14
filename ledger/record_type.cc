#include "ledger/record_type.h"

namespace jifen::ledger {
namespace {

using K = KeyKind;
using N = NameKind;
using T = RecordType;

constexpr RecordTypeRow kRules{T::kRules, "rules", "rules", "细则", K::kNone, false, {}};
constexpr RecordTypeRow kHousehold{T::kHousehold, "household", "household", "户", K::kCode, false,
                                   {}};
constexpr RecordTypeRow kPerson{T::kPerson,  "person", "person", "人员", K::kCode, false,
                                {{{"household", N::kHousehold}}}};
constexpr RecordTypeRow kMove{
    T::kMove, "move", "move", "迁户", K::kPersonDay, false,
    {{{"person", N::kPerson}, {"household", N::kHousehold}}}};
constexpr RecordTypeRow kScorer{T::kScorer, "scorer", "scorer", "采集人", K::kCode, false,
                                {{{"person", N::kPerson}}}};
constexpr RecordTypeRow kAward{
    T::kAward, "award", "award", "积分", K::kId, true,
    {{{"item", N::kItem}, {"subject", N::kSubject}, {"scorer", N::kScorer}}}};
constexpr RecordTypeRow kRevoke{T::kRevoke, "revoke", "revoke", "撤销", K::kTarget, false,
                                {{{"scorer", N::kScorer}}}};
constexpr RecordTypeRow kRedeem{
    T::kRedeem, "redeem", "redeem", "兑换", K::kId, true,
    {{{"household", N::kHousehold}, {"reward", N::kReward}, {"scorer", N::kScorer}}}};
constexpr RecordTypeRow kApprove{T::kApprove, "approve", "approve", "审核", K::kTarget, false,
                                 {{{"scorer", N::kScorer}}}};
constexpr RecordTypeRow kPost{T::kPost, "post", "post", "公示", K::kId, false,
                              {{{"scorer", N::kScorer}}}};
constexpr RecordTypeRow kObjection{
    T::kObjection, "objection", "objection", "异议", K::kId, false,
    {{{"household", N::kHousehold}, {"scorer", N::kScorer}}}};
constexpr RecordTypeRow kRuling{T::kRuling, "ruling", "ruling", "裁定", K::kId, false,
                                {{{"scorer", N::kScorer}}}};
constexpr RecordTypeRow kUnknown{T::kRules, "unknown", "unknown", "未知", K::kNone, false, {}};

}  // namespace

const RecordTypeRow& RecordTypeInfo(RecordType type) {
  switch (type) {
    case T::kRules:
      return kRules;
    case T::kHousehold:
      return kHousehold;
    case T::kPerson:
      return kPerson;
    case T::kMove:
      return kMove;
    case T::kScorer:
      return kScorer;
    case T::kAward:
      return kAward;
    case T::kRevoke:
      return kRevoke;
    case T::kRedeem:
      return kRedeem;
    case T::kApprove:
      return kApprove;
    case T::kPost:
      return kPost;
    case T::kObjection:
      return kObjection;
    case T::kRuling:
      return kRuling;
  }
  return kUnknown;
}

std::array<RecordType, static_cast<size_t>(kLastRecordType)> AllRecordTypes() {
  std::array<RecordType, static_cast<size_t>(kLastRecordType)> all{};
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<RecordType>(i + 1);
  return all;
}

}  // namespace jifen::ledger
