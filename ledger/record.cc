#include "ledger/record.h"

#include <tuple>

#include "ledger/fields.h"
#include "ledger/ledger.h"
#include "ledger/record_type.h"

namespace jifen::ledger {
namespace {

struct NamedString {
  std::string Record::*member;
  const char* name;
};
// Every string member of Record, for the "left empty" check and for messages about them.
constexpr NamedString kStringMembers[] = {
    {&Record::village, "village"},     {&Record::id, "id"},
    {&Record::code, "code"},           {&Record::name, "name"},
    {&Record::household, "household"}, {&Record::resident, "resident"},
    {&Record::role, "role"},           {&Record::person, "person"},
    {&Record::subject, "subject"},     {&Record::item, "item"},
    {&Record::scorer, "scorer"},       {&Record::place, "place"},
    {&Record::reason, "reason"},       {&Record::target, "target"},
    {&Record::reward, "reward"},       {&Record::text, "text"},
    {&Record::sha256, "sha256"},       {&Record::approved_by, "approved_by"},
    {&Record::period, "period"},       {&Record::outcome, "outcome"},
};

const std::string kQtyRange =
    "not a positive decimal up to " + std::to_string(kQtyMax) + " with at most 2 fractional digits";
const std::string kWholeQtyRange = "not a positive integer up to " + std::to_string(kQtyMax);

constexpr int32_t kOffsetMinutesMax = 14 * 60 + 59;  // what Timestamp::Parse accepts

auto ContentTie(const Record& r) {
  return std::tie(r.type, r.village, r.id, r.code, r.name, r.household, r.date, r.shares,
                  r.resident, r.role, r.person, r.subject, r.item, r.qty, r.scorer, r.place,
                  r.reason, r.evidence, r.target, r.reward, r.text, r.sha256, r.approved_by,
                  r.period, r.outcome);
}

Status FieldError(const char* field, const std::string& reason) {
  return Status::InvalidInput(std::string("field \"") + field + "\": " + reason);
}

bool DateInRange(Date date) {
  static const Date kFirst = Date::FromCivil(1, 1, 1);
  static const Date kLast = Date::FromCivil(9999, 12, 31);
  return kFirst <= date && date <= kLast;
}

Status CheckSpec(const FieldSpec& spec, const Record& record) {
  switch (spec.kind) {
    case FieldKind::kDate:
      if (!DateInRange(record.date)) return FieldError(spec.json_name, "date out of range");
      return Status::Ok();
    case FieldKind::kQty:
      if (record.qty.hundredths() < 1 || record.qty > Quantity::FromWhole(kQtyMax)) {
        return FieldError(spec.json_name, kQtyRange);
      }
      return Status::Ok();
    case FieldKind::kWholeQty:
      if (!record.qty.IsWhole() || record.qty.whole() < 1 || record.qty.whole() > kQtyMax) {
        return FieldError(spec.json_name, kWholeQtyRange);
      }
      return Status::Ok();
    case FieldKind::kShares:
      if (record.shares < 0 || record.shares > kSharesMax) {
        return FieldError(spec.json_name, "not an integer from 0 to " + std::to_string(kSharesMax));
      }
      return Status::Ok();
    case FieldKind::kEvidence:
      if (record.evidence.size() > kEvidenceCountMax) {
        return FieldError(spec.json_name,
                          "more than " + std::to_string(kEvidenceCountMax) + " items");
      }
      for (const auto& e : record.evidence) {
        std::string why = e.empty() ? "empty item" : CheckString(FieldKind::kName, e);
        if (!why.empty()) return FieldError(spec.json_name, why);
      }
      return Status::Ok();
    default:
      break;
  }
  const std::string& value = record.*spec.member;
  if (value.empty()) return spec.required ? FieldError(spec.json_name, "missing") : Status::Ok();
  std::string why = CheckString(spec.kind, value);
  return why.empty() ? Status::Ok() : FieldError(spec.json_name, why);
}

// Fields the type does not use keep their defaults, so that one content has one encoding.
Status CheckUnused(const Record& record, std::span<const FieldSpec> specs) {
  bool date = false, qty = false, shares = false, evidence = false;
  for (const auto& spec : specs) {
    date |= spec.kind == FieldKind::kDate;
    qty |= spec.kind == FieldKind::kQty || spec.kind == FieldKind::kWholeQty;
    shares |= spec.kind == FieldKind::kShares;
    evidence |= spec.kind == FieldKind::kEvidence;
  }
  std::string type = RecordTypeName(record.type);
  auto unused = [&](const char* field) {
    return FieldError(field, "not used by " + type + " records");
  };
  for (const auto& named : kStringMembers) {
    if ((record.*named.member).empty()) continue;
    bool used = false;
    for (const auto& spec : specs) used |= spec.member == named.member;
    if (!used) return unused(named.name);
  }
  if (!date && record.date != Date()) return unused("date");
  if (!qty && record.qty != Quantity()) return unused("qty");
  if (!shares && record.shares != 0) return unused("shares");
  if (!evidence && !record.evidence.empty()) return unused("evidence");
  return Status::Ok();
}

}  // namespace

bool Record::operator==(const Record& other) const {
  return ContentTie(*this) == ContentTie(other) && sequence == other.sequence &&
         recorded.utc_seconds == other.recorded.utc_seconds &&
         recorded.offset_minutes == other.recorded.offset_minutes;
}

bool SameContent(const Record& a, const Record& b) { return ContentTie(a) == ContentTie(b); }

std::string KeyOf(const Record& record) {
  const RecordTypeRow& row = RecordTypeInfo(record.type);
  switch (row.key) {
    case KeyKind::kNone:
      return "";
    case KeyKind::kId:
      return record.id;
    case KeyKind::kCode:
      return std::string(row.name) + ":" + record.code;
    case KeyKind::kTarget:
      return std::string(row.name) + ":" + record.target;
    case KeyKind::kPersonDay:
      return std::string(row.name) + ":" + record.code + ":" + record.date.ToString();
  }
  return "";
}

bool RecordedInRange(const Timestamp& t) {
  static const int64_t kFirstSecond = (int64_t{Date::FromCivil(1, 1, 1).days()} - 1) * 86400;
  static const int64_t kLastSecond = (int64_t{Date::FromCivil(9999, 12, 31).days()} + 2) * 86400;
  return t.utc_seconds >= kFirstSecond && t.utc_seconds <= kLastSecond &&
         t.offset_minutes >= -kOffsetMinutesMax && t.offset_minutes <= kOffsetMinutesMax;
}

Status ValidateRecord(const Record& record) {
  if (record.type < RecordType::kRules || record.type > kLastRecordType) {
    return Status::InvalidInput("record: unknown type " + std::to_string(int(record.type)));
  }
  if (!RecordedInRange(record.recorded)) return FieldError("recorded", "timestamp out of range");
  auto specs = FieldsOf(record.type);
  for (const auto& spec : specs) {
    if (Status s = CheckSpec(spec, record); !s.ok()) return s;
  }
  if (Status s = CheckUnused(record, specs); !s.ok()) return s;
  if (const char* reserved = ReservedKeyPrefix(record.id)) {
    return FieldError("id", std::string("may not start with \"") + reserved + "\"");
  }
  if (record.type == RecordType::kRules && record.sha256 != Sha256Hex(record.text)) {
    return FieldError("sha256", "not the SHA-256 of the text");
  }
  if (!record.period.empty()) {
    auto period = Period::Parse(record.period);
    if (!period || period->ToString() != record.period) {
      return FieldError("period", "not a period (2022-03 or 2022-Q1): " + record.period);
    }
  }
  if (record.type == RecordType::kObjection && record.target.empty() == record.household.empty()) {
    return Status::InvalidInput(
        "objection: give either \"target\" (a record's id) or \"household\", not both or neither");
  }
  if (record.type == RecordType::kRuling && record.outcome != "upheld" &&
      record.outcome != "dismissed") {
    return FieldError("outcome", "not \"upheld\" or \"dismissed\": " + record.outcome);
  }
  return Status::Ok();
}

const char* ReservedKeyPrefix(std::string_view id) {
  for (const char* reserved :
       {"household:", "person:", "scorer:", "revoke:", "move:", "approve:"}) {
    if (id.starts_with(reserved)) return reserved;
  }
  return nullptr;
}

}  // namespace jifen::ledger
