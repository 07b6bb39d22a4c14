#include "ledger/index_entry.h"

#include <xxhash.h>

#include <cassert>
#include <cstring>

#include "ledger/codec.h"
#include "ledger/fields.h"
#include "ledger/record_type.h"

namespace jifen::ledger {
namespace {

// Layout: checksum (8, big-endian; see Checksum), type (1), recorded seconds (8),
// offset minutes (2), qty in hundredths (4), then id, subject, item, reward, household, scorer,
// each a one-byte length (codes and ids are at most kCodeBytesMax bytes) and its bytes.
constexpr size_t kChecksumBytes = 8;
constexpr size_t kEntryFixedBytes = kChecksumBytes + 1 + 8 + 2 + 4;
static_assert(kCodeBytesMax < 256);

// XXH3-64 of the rest, seeded with XXH3-64 of the key.
uint64_t Checksum(std::string_view key, std::string_view rest) {
  return XXH3_64bits_withSeed(rest.data(), rest.size(), XXH3_64bits(key.data(), key.size()));
}

void PutShort(const std::string& s, std::string* out) {
  out->push_back(static_cast<char>(static_cast<uint8_t>(s.size())));
  out->append(s);
}

// Where the strings a revocation or an approval uses lie among the canonical bytes' strings.
constexpr size_t kVillageString = 0, kScorerString = 10, kReasonString = 12, kTargetString = 13;
static_assert(kEncodedStrings[kVillageString] == &Record::village);
static_assert(kEncodedStrings[kScorerString] == &Record::scorer);
static_assert(kEncodedStrings[kReasonString] == &Record::reason);
static_assert(kEncodedStrings[kTargetString] == &Record::target);

// The fixed head of a revoke or approve record's canonical bytes, checked as DecodeRecord and
// ValidateRecord check it: a known version, the sequence of the key, a recorded time in range,
// and the defaults of the date, qty and shares these types do not use. Fills the view's
// sequence, type and recorded time.
bool TargetHeadMatches(const char* p, uint64_t sequence, TargetView* view) {
  uint8_t version = static_cast<uint8_t>(p[kVersionOffset]);
  uint8_t type = static_cast<uint8_t>(p[kTypeOffset]);
  if (version < kOldestFormatVersion || version > kFormatVersion) return false;
  if (type != static_cast<uint8_t>(RecordType::kRevoke) &&
      (version == 1 || type != static_cast<uint8_t>(RecordType::kApprove))) {
    return false;
  }
  uint32_t qty_default = version == 1 ? 1 : static_cast<uint32_t>(Quantity().hundredths());
  if (GetBigEndian64(p + kSequenceOffset) != sequence || GetBigEndian32(p + kDateOffset) != 0 ||
      GetBigEndian32(p + kQtyOffset) != qty_default || GetBigEndian32(p + kSharesOffset) != 0) {
    return false;
  }
  view->sequence = sequence;
  view->type = static_cast<RecordType>(type);
  view->recorded.utc_seconds = static_cast<int64_t>(GetBigEndian64(p + kRecordedSecondsOffset));
  view->recorded.offset_minutes = static_cast<int16_t>(
      static_cast<uint16_t>((static_cast<uint8_t>(p[kRecordedOffsetMinutesOffset]) << 8) |
                            static_cast<uint8_t>(p[kRecordedOffsetMinutesOffset + 1])));
  return RecordedInRange(view->recorded);
}

// Takes one string (its length and bytes) from the front of `rest`.
bool TakeString(std::string_view* rest, std::string_view* out) {
  size_t length;
  if (!TakeLength(rest, &length) || length > rest->size()) return false;
  *out = rest->substr(0, length);
  rest->remove_prefix(length);
  return true;
}

// Takes `count` empty strings from the front of `rest`: as many zero bytes, the one encoding of
// a zero length.
bool TakeEmpty(std::string_view* rest, size_t count) {
  static constexpr char kZeros[std::size(kEncodedStrings) + 1] = {};
  assert(count <= sizeof kZeros);
  if (rest->size() < count || std::memcmp(rest->data(), kZeros, count) != 0) return false;
  rest->remove_prefix(count);
  return true;
}

// CheckString(kCode, code) passes: at once for printable ASCII (ids and codes nearly always are),
// else by the full check.
bool IsCode(std::string_view code) {
  if (code.empty() || code.size() > kCodeBytesMax) return false;
  for (char c : code) {
    if (c < 0x20 || c > 0x7e) return CheckString(FieldKind::kCode, code).empty();
  }
  return true;
}

// The strings after the fixed head: the village, target, scorer and (a revocation's) reason as
// the field table wants them, every other string empty, no evidence, nothing after.
bool TargetStringsMatch(std::string_view rest, size_t strings, std::string_view village,
                        TargetView* view) {
  static_assert(kVillageString == 0 && kVillageString < kScorerString);
  static_assert(kScorerString < kReasonString && kReasonString + 1 == kTargetString);
  std::string_view stored_village;
  if (!TakeString(&rest, &stored_village) || stored_village != village ||
      !TakeEmpty(&rest, kScorerString - kVillageString - 1) || !TakeString(&rest, &view->scorer) ||
      !TakeEmpty(&rest, kReasonString - kScorerString - 1)) {
    return false;
  }
  view->reason = {};
  bool revoke = view->type == RecordType::kRevoke;
  if (revoke ? !TakeString(&rest, &view->reason) : !TakeEmpty(&rest, 1)) return false;
  // The strings after the target, then an evidence count of zero, end the bytes.
  if (!TakeString(&rest, &view->target) || !TakeEmpty(&rest, strings - kTargetString) ||
      !rest.empty()) {
    return false;
  }
  if (!IsCode(village) || !IsCode(view->target) || !IsCode(view->scorer)) return false;
  return !revoke || (!view->reason.empty() && CheckString(FieldKind::kName, view->reason).empty());
}

}  // namespace

void EncodeEventEntry(std::string_view key, const Record& record, std::string* out) {
  out->assign(kEntryFixedBytes, '\0');
  char* p = out->data() + kChecksumBytes;
  p[0] = static_cast<char>(record.type);
  PutBigEndian64(static_cast<uint64_t>(record.recorded.utc_seconds), p + 1);
  uint16_t offset = static_cast<uint16_t>(static_cast<int16_t>(record.recorded.offset_minutes));
  p[9] = static_cast<char>(offset >> 8);
  p[10] = static_cast<char>(offset & 0xff);
  PutBigEndian32(static_cast<uint32_t>(record.qty.hundredths()), p + 11);
  for (const std::string* s : {&record.id, &record.subject, &record.item, &record.reward,
                               &record.household, &record.scorer}) {
    PutShort(*s, out);
  }
  uint64_t sum = Checksum(key, std::string_view(*out).substr(kChecksumBytes));
  PutBigEndian64(sum, out->data());
}

Status DecodeEventEntry(std::string_view key, std::string_view value, uint64_t sequence, Date date,
                        EventView* view) {
  auto bad = [&](const char* why) {
    return Status::Corruption("event index entry of record " + std::to_string(sequence) + ": " +
                              why + " (run `jifen verify`)");
  };
  if (value.size() < kEntryFixedBytes) return bad("too short");
  if (Checksum(key, value.substr(kChecksumBytes)) != GetBigEndian64(value.data())) {
    return bad("checksum does not match");
  }
  const char* p = value.data() + kChecksumBytes;
  view->sequence = sequence;
  view->date = date;
  view->type = static_cast<RecordType>(p[0]);
  if (view->type != RecordType::kAward && view->type != RecordType::kRedeem) {
    return bad("not an award or redemption");
  }
  view->recorded.utc_seconds = static_cast<int64_t>(GetBigEndian64(p + 1));
  view->recorded.offset_minutes = static_cast<int16_t>(
      static_cast<uint16_t>((static_cast<uint8_t>(p[9]) << 8) | static_cast<uint8_t>(p[10])));
  view->qty = Quantity::FromHundredths(GetBigEndian32(p + 11));
  const char* at = value.data() + kEntryFixedBytes;
  const char* end = value.data() + value.size();
  for (std::string_view* s :
       {&view->id, &view->subject, &view->item, &view->reward, &view->household, &view->scorer}) {
    if (at == end) return bad("truncated");
    size_t length = static_cast<uint8_t>(*at++);
    if (length > static_cast<size_t>(end - at)) return bad("truncated");
    *s = std::string_view(at, length);
    at += length;
  }
  if (at != end) return bad("trailing bytes");
  return Status::Ok();
}

uint64_t StoredEntryChecksum(std::string_view value) {
  return value.size() < kChecksumBytes ? 0 : GetBigEndian64(value.data());
}

bool EntryChecksumMatches(std::string_view key, std::string_view value) {
  return value.size() >= kChecksumBytes &&
         Checksum(key, value.substr(kChecksumBytes)) == GetBigEndian64(value.data());
}

void EncodeStructuralEntry(std::string_view key, std::string_view canonical, std::string* out) {
  out->assign(kChecksumBytes, '\0');
  out->append(canonical);
  PutBigEndian64(Checksum(key, canonical), out->data());
}

Status DecodeStructuralEntry(std::string_view key, std::string_view value, uint64_t sequence,
                             std::string_view village, Record* record) {
  auto bad = [&](const std::string& why) {
    return Status::Corruption("structural index entry of record " + std::to_string(sequence) +
                              ": " + why + " (run `jifen verify`)");
  };
  if (value.size() < kChecksumBytes) return bad("too short");
  std::string_view canonical = value.substr(kChecksumBytes);
  if (Checksum(key, canonical) != GetBigEndian64(value.data())) {
    return bad("checksum does not match");
  }
  if (Status s = DecodeRecord(canonical, record); !s.ok()) return bad(s.message());
  if (record->sequence != sequence || record->village != village ||
      RecordTypeInfo(record->type).event) {
    return bad("does not match its key");
  }
  if (Status s = ValidateRecord(*record); !s.ok()) return bad(s.message());
  return Status::Ok();
}

TargetView TargetViewOf(const Record& record) {
  assert(record.type == RecordType::kRevoke || record.type == RecordType::kApprove);
  return TargetView{record.sequence, record.type,   record.recorded,
                    record.target,   record.scorer, record.reason};
}

bool DecodeTargetEntry(std::string_view key, std::string_view value, uint64_t sequence,
                       std::string_view village, TargetView* view) {
  if (value.size() < kChecksumBytes + kFixedBytes) return false;
  std::string_view canonical = value.substr(kChecksumBytes);
  if (!TargetHeadMatches(canonical.data(), sequence, view)) return false;
  if (Checksum(key, canonical) != GetBigEndian64(value.data())) return false;
  size_t strings = canonical[kVersionOffset] == 1 ? kVersion1Strings : std::size(kEncodedStrings);
  return TargetStringsMatch(canonical.substr(kFixedBytes), strings, village, view);
}

}  // namespace jifen::ledger
