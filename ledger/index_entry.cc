#include "ledger/index_entry.h"

#include <xxhash.h>

#include <cstring>

#include "ledger/codec.h"
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

}  // namespace jifen::ledger
