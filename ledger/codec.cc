#include "ledger/codec.h"

#include <cassert>
#include <cstdint>

namespace jifen::ledger {
namespace {

// LEB128 of a length: 7 bits per byte, low bits first, high bit set on all but the last byte.
void PutLength(size_t length, std::string* out) {
  assert(length <= UINT32_MAX);
  while (length >= 0x80) {
    out->push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  out->push_back(static_cast<char>(length));
}

void PutString(const std::string& s, std::string* out) {
  PutLength(s.size(), out);
  out->append(s);
}

// Reads canonical bytes front to back; every read checks the bytes left first.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes)
      : pos_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  size_t left() const { return static_cast<size_t>(end_ - pos_); }

  bool Length(size_t* length) {
    std::string_view rest(pos_, left());
    if (!TakeLength(&rest, length)) return false;
    pos_ = rest.data();
    return true;
  }

  bool String(std::string* out) {
    size_t length;
    if (!Length(&length) || length > left()) return false;
    out->assign(pos_, length);
    pos_ += length;
    return true;
  }

 private:
  const char* pos_;
  const char* end_;
};

}  // namespace

bool TakeLongLength(std::string_view* bytes, size_t* length) {
  const char* pos = bytes->data();
  const char* end = pos + bytes->size();
  uint64_t value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (pos == end) return false;
    uint8_t byte = static_cast<uint8_t>(*pos++);
    value |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) {
      if (byte == 0 && shift > 0) return false;  // overlong
      if (value > UINT32_MAX) return false;
      *length = static_cast<size_t>(value);
      bytes->remove_prefix(static_cast<size_t>(pos - bytes->data()));
      return true;
    }
  }
  return false;
}

void EncodeRecord(const Record& record, std::string* out) {
  assert(record.qty.hundredths() >= 0 && record.qty.hundredths() <= UINT32_MAX);
  assert(record.shares >= 0 && record.shares <= UINT32_MAX);
  assert(record.recorded.offset_minutes >= INT16_MIN &&
         record.recorded.offset_minutes <= INT16_MAX);
  char fixed[kFixedBytes];
  fixed[kVersionOffset] = static_cast<char>(kFormatVersion);
  fixed[kTypeOffset] = static_cast<char>(record.type);
  PutBigEndian64(record.sequence, fixed + kSequenceOffset);
  PutBigEndian64(static_cast<uint64_t>(record.recorded.utc_seconds),
                 fixed + kRecordedSecondsOffset);
  uint16_t offset = static_cast<uint16_t>(static_cast<int16_t>(record.recorded.offset_minutes));
  fixed[kRecordedOffsetMinutesOffset] = static_cast<char>(offset >> 8);
  fixed[kRecordedOffsetMinutesOffset + 1] = static_cast<char>(offset & 0xff);
  PutBigEndian32(static_cast<uint32_t>(record.date.days()), fixed + kDateOffset);
  PutBigEndian32(static_cast<uint32_t>(record.qty.hundredths()), fixed + kQtyOffset);
  PutBigEndian32(static_cast<uint32_t>(record.shares), fixed + kSharesOffset);
  out->append(fixed, kFixedBytes);
  for (auto member : kEncodedStrings) PutString(record.*member, out);
  PutLength(record.evidence.size(), out);
  for (const auto& e : record.evidence) PutString(e, out);
}

Status DecodeRecord(std::string_view bytes, Record* record) {
  if (bytes.size() < kFixedBytes) return Status::Corruption("record shorter than its fixed head");
  const char* p = bytes.data();
  uint8_t version = static_cast<uint8_t>(p[kVersionOffset]);
  if (version < kOldestFormatVersion || version > kFormatVersion) {
    return Status::Corruption("unknown record format version " + std::to_string(version));
  }
  uint8_t type = static_cast<uint8_t>(p[kTypeOffset]);
  if (type < static_cast<uint8_t>(RecordType::kRules) ||
      type > static_cast<uint8_t>(version == 1 ? RecordType::kRedeem : kLastRecordType)) {
    return Status::Corruption("unknown record type " + std::to_string(type));
  }
  record->type = static_cast<RecordType>(type);
  record->sequence = GetBigEndian64(p + kSequenceOffset);
  record->recorded.utc_seconds = static_cast<int64_t>(GetBigEndian64(p + kRecordedSecondsOffset));
  uint16_t offset =
      static_cast<uint16_t>((static_cast<uint8_t>(p[kRecordedOffsetMinutesOffset]) << 8) |
                            static_cast<uint8_t>(p[kRecordedOffsetMinutesOffset + 1]));
  record->recorded.offset_minutes = static_cast<int16_t>(offset);
  record->date = Date::FromDays(static_cast<int32_t>(GetBigEndian32(p + kDateOffset)));
  uint32_t qty = GetBigEndian32(p + kQtyOffset);
  record->qty = version == 1 ? Quantity::FromWhole(qty) : Quantity::FromHundredths(qty);
  record->shares = GetBigEndian32(p + kSharesOffset);
  record->recorded_given = true;

  ByteReader reader(bytes.substr(kFixedBytes));
  size_t strings = version == 1 ? kVersion1Strings : std::size(kEncodedStrings);
  for (size_t i = 0; i < std::size(kEncodedStrings); ++i) {
    if (i >= strings) {
      (record->*kEncodedStrings[i]).clear();
    } else if (!reader.String(&(record->*kEncodedStrings[i]))) {
      return Status::Corruption("string length out of bounds");
    }
  }
  size_t count;
  // Each evidence string takes at least one byte, which bounds the count before any allocation.
  if (!reader.Length(&count) || count > reader.left()) {
    return Status::Corruption("evidence count out of bounds");
  }
  record->evidence.resize(count);
  for (auto& e : record->evidence) {
    if (!reader.String(&e)) return Status::Corruption("evidence length out of bounds");
  }
  if (reader.left() != 0) return Status::Corruption("trailing bytes after the record");
  return Status::Ok();
}

}  // namespace jifen::ledger
