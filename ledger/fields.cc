#include "ledger/fields.h"

#include "ledger/record_type.h"

#include <cstring>

namespace jifen::ledger {
namespace {

using K = FieldKind;
constexpr bool kReq = true;
constexpr bool kOpt = false;

constexpr FieldSpec kRulesFields[] = {
    {"village", K::kCode, kReq, &Record::village, ""},
    {"effective", K::kDate, kReq, nullptr, ""},
    {"text", K::kText, kReq, &Record::text, ""},
    {"sha256", K::kHex64, kReq, &Record::sha256, ""},
    {"approved_by", K::kName, kOpt, &Record::approved_by, ""},
    {"file", K::kName, kOpt, &Record::name, ""},  // the file it was adopted from
};
constexpr FieldSpec kHouseholdFields[] = {
    {"village", K::kCode, kReq, &Record::village, ""},
    {"household", K::kCode, kReq, &Record::code, ""},
    {"name", K::kName, kReq, &Record::name, ""},
    {"since", K::kDate, kReq, nullptr, ""},
    {"shares", K::kShares, kOpt, nullptr, ""},
};
constexpr FieldSpec kPersonFields[] = {
    {"village", K::kCode, kReq, &Record::village, ""},
    {"person", K::kCode, kReq, &Record::code, ""},
    {"name", K::kName, kReq, &Record::name, ""},
    {"household", K::kCode, kReq, &Record::household, ""},
    {"since", K::kDate, kReq, nullptr, ""},
    {"resident", K::kCode, kOpt, &Record::resident, "villager"},
};
constexpr FieldSpec kMoveFields[] = {
    {"village", K::kCode, kReq, &Record::village, ""},
    {"person", K::kCode, kReq, &Record::code, ""},
    {"household", K::kCode, kReq, &Record::household, ""},
    {"date", K::kDate, kReq, nullptr, ""},
};
constexpr FieldSpec kScorerFields[] = {
    {"village", K::kCode, kReq, &Record::village, ""},
    {"scorer", K::kCode, kReq, &Record::code, ""},
    {"name", K::kName, kReq, &Record::name, ""},
    {"role", K::kCode, kReq, &Record::role, ""},
    {"person", K::kCode, kOpt, &Record::person, ""},
};
constexpr FieldSpec kAwardFields[] = {
    {"id", K::kCode, kOpt, &Record::id, ""},
    {"village", K::kCode, kReq, &Record::village, ""},
    {"date", K::kDate, kReq, nullptr, ""},
    {"subject", K::kCode, kReq, &Record::subject, ""},
    {"item", K::kCode, kReq, &Record::item, ""},
    {"qty", K::kQty, kOpt, nullptr, ""},
    {"scorer", K::kCode, kReq, &Record::scorer, ""},
    {"place", K::kName, kOpt, &Record::place, ""},
    {"reason", K::kName, kOpt, &Record::reason, ""},
    {"evidence", K::kEvidence, kOpt, nullptr, ""},
    // An upheld objection to the household's figures that this award corrects (a missed record).
    {"objection", K::kCode, kOpt, &Record::target, ""},
};
constexpr FieldSpec kRevokeFields[] = {
    {"village", K::kCode, kReq, &Record::village, ""},
    {"target", K::kCode, kReq, &Record::target, ""},
    {"scorer", K::kCode, kReq, &Record::scorer, ""},
    {"reason", K::kName, kReq, &Record::reason, ""},
};
constexpr FieldSpec kRedeemFields[] = {
    {"id", K::kCode, kOpt, &Record::id, ""},
    {"village", K::kCode, kReq, &Record::village, ""},
    {"household", K::kCode, kReq, &Record::household, ""},
    {"reward", K::kCode, kReq, &Record::reward, ""},
    {"qty", K::kWholeQty, kOpt, nullptr, ""},
    {"date", K::kDate, kReq, nullptr, ""},
    {"scorer", K::kCode, kReq, &Record::scorer, ""},
};
constexpr FieldSpec kApproveFields[] = {
    {"village", K::kCode, kReq, &Record::village, ""},
    {"target", K::kCode, kReq, &Record::target, ""},
    {"scorer", K::kCode, kReq, &Record::scorer, ""},
};
constexpr FieldSpec kPostFields[] = {
    {"id", K::kCode, kReq, &Record::id, ""},
    {"village", K::kCode, kReq, &Record::village, ""},
    {"period", K::kCode, kReq, &Record::period, ""},
    {"scorer", K::kCode, kReq, &Record::scorer, ""},
    {"head", K::kHex64, kOpt, &Record::sha256, ""},  // filled in by import when absent
};
constexpr FieldSpec kObjectionFields[] = {
    {"id", K::kCode, kReq, &Record::id, ""},
    {"village", K::kCode, kReq, &Record::village, ""},
    {"period", K::kCode, kReq, &Record::period, ""},
    {"target", K::kCode, kOpt, &Record::target, ""},
    {"household", K::kCode, kOpt, &Record::household, ""},
    {"reason", K::kName, kReq, &Record::reason, ""},
    {"filed_by", K::kName, kReq, &Record::name, ""},
    {"scorer", K::kCode, kOpt, &Record::scorer, ""},
};
constexpr FieldSpec kRulingFields[] = {
    {"id", K::kCode, kReq, &Record::id, ""},
    {"village", K::kCode, kReq, &Record::village, ""},
    {"target", K::kCode, kReq, &Record::target, ""},
    {"outcome", K::kCode, kReq, &Record::outcome, ""},
    {"reason", K::kName, kReq, &Record::reason, ""},
    {"scorer", K::kCode, kReq, &Record::scorer, ""},
};

// Control characters are refused everywhere but in rule texts, which hold tabs and line breaks.
bool IsControl(unsigned char c, bool text) {
  if (text && (c == '\t' || c == '\n' || c == '\r')) return false;
  return c < 0x20 || c == 0x7f;
}

// Finds the first byte that breaks UTF-8 or is a control character; npos if none.
size_t FindBadByte(std::string_view s, bool text, bool* control) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      if (IsControl(c, text)) {
        *control = true;
        return i;
      }
      ++i;
      continue;
    }
    size_t len;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2, min = 0x80, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, min = 0x800, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

std::span<const FieldSpec> FieldsOf(RecordType type) {
  switch (type) {
    case RecordType::kRules:
      return kRulesFields;
    case RecordType::kHousehold:
      return kHouseholdFields;
    case RecordType::kPerson:
      return kPersonFields;
    case RecordType::kMove:
      return kMoveFields;
    case RecordType::kScorer:
      return kScorerFields;
    case RecordType::kAward:
      return kAwardFields;
    case RecordType::kRevoke:
      return kRevokeFields;
    case RecordType::kRedeem:
      return kRedeemFields;
    case RecordType::kApprove:
      return kApproveFields;
    case RecordType::kPost:
      return kPostFields;
    case RecordType::kObjection:
      return kObjectionFields;
    case RecordType::kRuling:
      return kRulingFields;
  }
  return {};
}

const char* RecordTypeName(RecordType type) { return RecordTypeInfo(type).name; }

std::optional<RecordType> RecordTypeFromName(std::string_view name) {
  for (RecordType type : AllRecordTypes()) {
    if (name == RecordTypeInfo(type).name) return type;
  }
  return std::nullopt;
}

std::string CheckString(FieldKind kind, std::string_view value) {
  size_t max = kind == FieldKind::kCode    ? kCodeBytesMax
               : kind == FieldKind::kText  ? kTextBytesMax
               : kind == FieldKind::kHex64 ? 64
                                           : kNameBytesMax;
  if (kind == FieldKind::kCode && value.empty()) return "empty";
  if (value.size() > max) return "longer than " + std::to_string(max) + " bytes";
  if (kind == FieldKind::kHex64) {
    bool hex = value.size() == 64;
    for (char c : value) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    return hex ? "" : "not 64 lowercase hex digits";
  }
  bool control = false;
  size_t bad = FindBadByte(value, kind == FieldKind::kText, &control);
  if (bad == std::string_view::npos) return "";
  return (control ? "control character at byte " : "invalid UTF-8 at byte ") + std::to_string(bad);
}

}  // namespace jifen::ledger
