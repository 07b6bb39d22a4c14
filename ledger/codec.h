// The canonical bytes of a record (ledger/FORMAT.md "Canonical bytes"): a compact, deterministic
// binary encoding of every Record field except recorded_given. These bytes are what the chain
// hash covers, so the encoding of a given Record never changes within a format version.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <tuple>

#include "ledger/record.h"
#include "util/status.h"

namespace jifen::ledger {

// Version 2: qty in hundredths, and the strings `period` and `outcome`. Version 1 records (whole
// qty, 18 strings) are still read; every record is written as version 2.
inline constexpr uint8_t kFormatVersion = 2;
inline constexpr uint8_t kOldestFormatVersion = 1;

// Byte offsets of the fixed-size head of the canonical bytes.
inline constexpr size_t kVersionOffset = 0;
inline constexpr size_t kTypeOffset = 1;
inline constexpr size_t kSequenceOffset = 2;
inline constexpr size_t kRecordedSecondsOffset = 10;
inline constexpr size_t kRecordedOffsetMinutesOffset = 18;
inline constexpr size_t kDateOffset = 20;
inline constexpr size_t kQtyOffset = 24;
inline constexpr size_t kSharesOffset = 28;
inline constexpr size_t kFixedBytes = 32;
static_assert(kTypeOffset == kVersionOffset + 1);
static_assert(kSequenceOffset == kTypeOffset + 1);
static_assert(kRecordedSecondsOffset == kSequenceOffset + sizeof(uint64_t));
static_assert(kRecordedOffsetMinutesOffset == kRecordedSecondsOffset + sizeof(int64_t));
static_assert(kDateOffset == kRecordedOffsetMinutesOffset + sizeof(int16_t));
static_assert(kQtyOffset == kDateOffset + sizeof(int32_t));
static_assert(kSharesOffset == kQtyOffset + sizeof(uint32_t));
static_assert(kFixedBytes == kSharesOffset + sizeof(uint32_t));

// A stored `records` value is the chain hash followed by the canonical bytes.
inline constexpr size_t kStoredHashBytes = 32;
static_assert(kStoredHashBytes == std::tuple_size_v<Hash>);

// The variable part: these strings in this order, each a length (LEB128) and its bytes, then
// the evidence count (LEB128) and each evidence string the same way.
inline constexpr std::string Record::*kEncodedStrings[] = {
    &Record::village,  &Record::id,     &Record::code,        &Record::name,    &Record::household,
    &Record::resident, &Record::role,   &Record::person,      &Record::subject, &Record::item,
    &Record::scorer,   &Record::place,  &Record::reason,      &Record::target,  &Record::reward,
    &Record::text,     &Record::sha256, &Record::approved_by, &Record::period,  &Record::outcome};
static_assert(std::size(kEncodedStrings) == 20);
inline constexpr size_t kVersion1Strings = 18;  // without period and outcome

// Appends the canonical bytes of `record` to `out`. The record must satisfy ValidateRecord
// (qty, shares and the offset then fit their fixed widths).
void EncodeRecord(const Record& record, std::string* out);

// Decodes canonical bytes into `record` (reusing its string capacity). Never reads outside
// `bytes`: any length or tag that does not fit is Status::Corruption. Does not run
// ValidateRecord; sets recorded_given.
Status DecodeRecord(std::string_view bytes, Record* record);

// Reads the LEB128 length at the front of `bytes` and drops it from them. Only the shortest form
// of a value below 2^32 is taken, so that one record has one encoding; false otherwise, or when
// the bytes end first.
bool TakeLength(std::string_view* bytes, size_t* length);
// TakeLength of a length over one byte (or of bytes that do not start with one).
bool TakeLongLength(std::string_view* bytes, size_t* length);
inline bool TakeLength(std::string_view* bytes, size_t* length) {
  if (bytes->empty() || static_cast<uint8_t>(bytes->front()) >= 0x80) {
    return TakeLongLength(bytes, length);
  }
  *length = static_cast<uint8_t>(bytes->front());  // most lengths: one byte
  bytes->remove_prefix(1);
  return true;
}

// Big-endian helpers shared with the index keys.
inline void PutBigEndian64(uint64_t v, char* out) {
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
}
inline void PutBigEndian32(uint32_t v, char* out) {
  for (int i = 3; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
}
// One load and a byte swap: every index entry read goes through these.
inline uint64_t GetBigEndian64(const char* in) {
  uint64_t v;
  std::memcpy(&v, in, sizeof v);
  return std::endian::native == std::endian::big ? v : __builtin_bswap64(v);
}
inline uint32_t GetBigEndian32(const char* in) {
  uint32_t v;
  std::memcpy(&v, in, sizeof v);
  return std::endian::native == std::endian::big ? v : __builtin_bswap32(v);
}

}  // namespace jifen::ledger
