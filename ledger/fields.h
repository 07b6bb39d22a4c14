// The field table: which Record fields each record type uses, under which JSON name, of which
// kind and whether required (ledger/FORMAT.md "Fields"). ValidateRecord, the JSON Lines form and
// the CSV form all read this one table, so they cannot disagree.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ledger/record.h"

namespace jifen::ledger {

enum class FieldKind : uint8_t {
  kCode,      // non-empty when present, no control characters, <= kCodeBytesMax bytes
  kName,      // no control characters, <= kNameBytesMax bytes
  kText,      // tabs and line breaks allowed, <= kTextBytesMax bytes
  kHex64,     // 64 lowercase hex digits
  kDate,      // Record::date
  kQty,       // Record::qty, a decimal > 0 and <= kQtyMax with <= 2 fractional digits, default 1
  kWholeQty,  // Record::qty, a whole number 1..kQtyMax, default 1
  kShares,    // Record::shares, 0..kSharesMax, default 0
  kEvidence,  // Record::evidence, up to kEvidenceCountMax names
};

struct FieldSpec {
  const char* json_name;
  FieldKind kind;
  bool required;
  std::string Record::*member;  // for string kinds; nullptr for the others
  const char* default_value;    // string kinds: the value an absent optional field takes
};

std::span<const FieldSpec> FieldsOf(RecordType type);
std::optional<RecordType> RecordTypeFromName(std::string_view name);

// Checks one string value against its kind; the reason, without the field name, or empty.
std::string CheckString(FieldKind kind, std::string_view value);

}  // namespace jifen::ledger
