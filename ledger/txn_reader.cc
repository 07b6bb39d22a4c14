#include "ledger/txn_reader.h"

#include <algorithm>
#include <cstring>

#include "ledger/codec.h"
#include "ledger/record_type.h"

namespace jifen::ledger {
namespace {

std::string VillagePrefix(std::string_view village) {
  std::string prefix(village);
  prefix.push_back(kKeySeparator);
  return prefix;
}

// Dates sort as unsigned big-endian once biased by 2^31.
uint32_t BiasedDays(Date date) { return static_cast<uint32_t>(date.days()) ^ 0x80000000u; }

Hash HashAt(const char* bytes) {
  Hash hash;
  std::memcpy(hash.data(), bytes, hash.size());
  return hash;
}

Status RecordCorruption(uint64_t sequence, const std::string& reason) {
  return Status::Corruption("record " + std::to_string(sequence) + ": " + reason);
}

}  // namespace

std::string RecordKey(uint64_t sequence) {
  std::string key(8, '\0');
  PutBigEndian64(sequence, key.data());
  return key;
}

std::string KeyIndexKey(std::string_view village, std::string_view key) {
  return VillagePrefix(village).append(key);
}

std::string EventIndexKey(std::string_view village, Date date, uint64_t sequence) {
  std::string key = VillagePrefix(village);
  size_t at = key.size();
  key.resize(at + kEventKeySuffixBytes);
  PutBigEndian32(BiasedDays(date), key.data() + at);
  key[at + 4] = kKeySeparator;
  PutBigEndian64(sequence, key.data() + at + 5);
  return key;
}

std::string StructuralIndexKey(std::string_view village, uint64_t sequence) {
  std::string key = VillagePrefix(village);
  size_t at = key.size();
  key.resize(at + 8);
  PutBigEndian64(sequence, key.data() + at);
  return key;
}

bool IsEvent(RecordType type) { return RecordTypeInfo(type).event; }

bool IndexEntryOf(const Record& record, std::string_view canonical, std::string* key,
                  std::string* value) {
  if (IsEvent(record.type)) {
    *key = EventIndexKey(record.village, record.date, record.sequence);
    EncodeEventEntry(*key, record, value);
    return true;
  }
  *key = StructuralIndexKey(record.village, record.sequence);
  EncodeStructuralEntry(*key, canonical, value);
  return false;
}

std::string EncodeHead(const HeadState& head) {
  std::string out(kHeadBytes, '\0');
  PutBigEndian64(head.sequence, out.data());
  std::memcpy(out.data() + 8, head.hash.data(), head.hash.size());
  Timestamp latest = head.latest.value_or(Timestamp{});
  PutBigEndian64(static_cast<uint64_t>(latest.utc_seconds), out.data() + 40);
  uint16_t offset = static_cast<uint16_t>(static_cast<int16_t>(latest.offset_minutes));
  out[48] = static_cast<char>(offset >> 8);
  out[49] = static_cast<char>(offset & 0xff);
  return out;
}

Status ReadHead(const EnvState& env, MDB_txn* txn, HeadState* head) {
  *head = HeadState{};
  MDB_val key = ToVal(kHeadKey), value;
  int rc = mdb_get(txn, env.dbis().meta, &key, &value);
  if (rc != 0 && rc != MDB_NOTFOUND) return env.Error(rc, "read head");
  if (rc == 0) {
    std::string_view bytes = FromVal(value);
    if (bytes.size() != kHeadBytes) return Status::Corruption("ledger " + env.dir() + ": bad head");
    head->sequence = GetBigEndian64(bytes.data());
    head->hash = HashAt(bytes.data() + 8);
    uint16_t offset = static_cast<uint16_t>((static_cast<uint8_t>(bytes[48]) << 8) |
                                            static_cast<uint8_t>(bytes[49]));
    head->latest = Timestamp{static_cast<int64_t>(GetBigEndian64(bytes.data() + 40)),
                             static_cast<int16_t>(offset)};
  }
  // The head must name the last stored record, with its hash.
  MdbCursor cursor;
  if (rc = cursor.Open(txn, env.dbis().records); rc != 0) return env.Error(rc, "open cursor");
  MDB_val last_key, last_value;
  rc = mdb_cursor_get(cursor.get(), &last_key, &last_value, MDB_LAST);
  if (rc != 0 && rc != MDB_NOTFOUND) return env.Error(rc, "read last record");
  bool matches =
      rc == MDB_NOTFOUND
          ? head->sequence == 0
          : last_key.mv_size == 8 && last_value.mv_size >= kStoredHashBytes &&
                GetBigEndian64(static_cast<const char*>(last_key.mv_data)) == head->sequence &&
                HashAt(static_cast<const char*>(last_value.mv_data)) == head->hash;
  if (!matches) {
    return Status::Corruption("ledger " + env.dir() + ": head does not match the last record");
  }
  return Status::Ok();
}

Status TxnReadCore::StoredHash(uint64_t sequence, Hash* hash) const {
  if (sequence == 0) {
    *hash = Hash{};
    return Status::Ok();
  }
  std::string k = RecordKey(sequence);
  MDB_val key = ToVal(k), value;
  int rc = mdb_get(txn_, env_->dbis().records, &key, &value);
  if (rc == MDB_NOTFOUND) return RecordCorruption(sequence, "missing");
  if (rc != 0) return env_->Error(rc, "read record");
  if (value.mv_size < kStoredHashBytes) return RecordCorruption(sequence, "value too short");
  *hash = HashAt(static_cast<const char*>(value.mv_data));
  return Status::Ok();
}

Status TxnReadCore::Check(uint64_t sequence, std::string_view value, const Hash& previous,
                          Record* record) const {
  if (value.size() < kStoredHashBytes) return RecordCorruption(sequence, "value too short");
  std::string_view bytes = value.substr(kStoredHashBytes);
  if (ChainHash(previous, bytes) != HashAt(value.data())) {
    return RecordCorruption(sequence, "hash does not match its bytes and the previous hash");
  }
  if (Status s = DecodeRecord(bytes, record); !s.ok()) {
    return RecordCorruption(sequence, "undecodable: " + s.message());
  }
  if (record->sequence != sequence) return RecordCorruption(sequence, "holds another sequence");
  if (Status s = ValidateRecord(*record); !s.ok()) {
    return RecordCorruption(sequence, "invalid: " + s.message());
  }
  return Status::Ok();
}

Status TxnReadCore::Load(uint64_t sequence, Record* record) const {
  Hash previous;
  if (Status s = StoredHash(sequence - 1, &previous); !s.ok()) return s;
  std::string k = RecordKey(sequence);
  MDB_val key = ToVal(k), value;
  int rc = mdb_get(txn_, env_->dbis().records, &key, &value);
  if (rc == MDB_NOTFOUND) return RecordCorruption(sequence, "missing");
  if (rc != 0) return env_->Error(rc, "read record");
  return Check(sequence, FromVal(value), previous, record);
}

// Binary search on recorded times, which never go backwards. Probed records are checked like any
// read; a probe that fails counts as "at or before t", so the bad record falls inside the range
// the caller goes on to read, and that read reports the corruption.
uint64_t TxnReadCore::SequenceAsOf(uint64_t head, Timestamp t) const {
  uint64_t low = 0, high = head;  // answer in [low, high]
  Record record;
  while (low < high) {
    uint64_t mid = low + (high - low + 1) / 2;
    bool at_or_before = !Load(mid, &record).ok() || record.recorded <= t;
    if (at_or_before) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}

std::optional<uint64_t> TxnReadCore::FindKey(std::string_view village, std::string_view key) const {
  std::string k = KeyIndexKey(village, key);
  MDB_val mkey = ToVal(k), value;
  if (mdb_get(txn_, env_->dbis().keys, &mkey, &value) != 0 || value.mv_size != 8) {
    return std::nullopt;
  }
  return GetBigEndian64(static_cast<const char*>(value.mv_data));
}

std::vector<std::string> TxnReadCore::Villages() const {
  std::vector<std::string> villages;
  MdbCursor cursor;
  if (cursor.Open(txn_, env_->dbis().villages) != 0) return villages;
  MDB_val key, value;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT)) {
    villages.emplace_back(FromVal(key));
  }
  return villages;
}

Status TxnReadCore::ForEachStructural(std::string_view village, uint64_t sequence_max,
                                      const std::function<bool(const Record&)>& fn) const {
  return ForEachStructuralView(village, sequence_max, fn, nullptr);
}

Status TxnReadCore::ForEachStructuralView(
    std::string_view village, uint64_t sequence_max,
    const std::function<bool(const Record&)>& record_fn,
    const std::function<bool(const TargetView&)>& target_fn, uint64_t sequence_min) const {
  std::string prefix = VillagePrefix(village);
  std::string start = StructuralIndexKey(village, std::max<uint64_t>(sequence_min, 1));
  MdbCursor cursor;
  if (int rc = cursor.Open(txn_, env_->dbis().structural); rc != 0)
    return env_->Error(rc, "open cursor");
  MDB_val key = ToVal(start), value;
  Record record;
  TargetView target;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_SET_RANGE);;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT)) {
    if (rc == MDB_NOTFOUND) break;
    if (rc != 0) return env_->Error(rc, "read structural index");
    std::string_view k = FromVal(key);
    if (!k.starts_with(prefix)) break;
    if (k.size() != prefix.size() + 8) return Status::Corruption("structural index: bad key");
    uint64_t sequence = GetBigEndian64(k.data() + prefix.size());
    if (sequence > sequence_max) break;
    if (target_fn && DecodeTargetEntry(k, FromVal(value), sequence, village, &target)) {
      if (!target_fn(target)) break;
      continue;
    }
    if (Status s = DecodeStructuralEntry(k, FromVal(value), sequence, village, &record); !s.ok())
      return s;
    if (!record_fn(record)) break;
  }
  return Status::Ok();
}

template <typename Fn>
Status TxnReadCore::ScanEvents(std::string_view village, Date from, Date to, uint64_t sequence_max,
                               Fn&& fn) const {
  if (to < from) return Status::Ok();
  std::string prefix = VillagePrefix(village);
  std::string start = EventIndexKey(village, from, 0);
  MdbCursor cursor;
  if (int rc = cursor.Open(txn_, env_->dbis().events); rc != 0)
    return env_->Error(rc, "open cursor");
  MDB_val key = ToVal(start), value;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_SET_RANGE);;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT)) {
    if (rc == MDB_NOTFOUND) break;
    if (rc != 0) return env_->Error(rc, "read event index");
    std::string_view k = FromVal(key);
    if (!k.starts_with(prefix)) break;
    if (k.size() != prefix.size() + 13) return Status::Corruption("event index: bad key");
    const char* p = k.data() + prefix.size();
    Date date = Date::FromDays(static_cast<int32_t>(GetBigEndian32(p) ^ 0x80000000u));
    if (date > to) break;
    uint64_t sequence = GetBigEndian64(p + 5);
    // Later dates may still hold older sequences, so skip rather than stop.
    if (sequence > sequence_max) continue;
    bool go_on = true;
    if (Status s = fn(k, FromVal(value), sequence, date, &go_on); !s.ok()) return s;
    if (!go_on) break;
  }
  return Status::Ok();
}

Status TxnReadCore::ForEachEvent(std::string_view village, Date from, Date to,
                                 uint64_t sequence_max,
                                 const std::function<bool(const Record&)>& fn) const {
  Record record;
  return ScanEvents(
      village, from, to, sequence_max,
      [&](std::string_view, std::string_view, uint64_t sequence, Date date, bool* go_on) {
        if (Status s = Load(sequence, &record); !s.ok()) return s;
        if (record.village != village || record.date != date || !IsEvent(record.type)) {
          return RecordCorruption(sequence, "does not match its event index entry");
        }
        *go_on = fn(record);
        return Status::Ok();
      });
}

Status TxnReadCore::ForEachEventView(std::string_view village, Date from, Date to,
                                     uint64_t sequence_max,
                                     const std::function<bool(const EventView&)>& fn) const {
  EventView view;
  return ScanEvents(
      village, from, to, sequence_max,
      [&](std::string_view key, std::string_view value, uint64_t sequence, Date date, bool* go_on) {
        if (Status s = DecodeEventEntry(key, value, sequence, date, &view); !s.ok()) return s;
        *go_on = fn(view);
        return Status::Ok();
      });
}

size_t TxnReadCore::CountEvents(std::string_view village, Date from, Date to,
                                uint64_t sequence_max) const {
  size_t count = 0;
  Status s = ScanEvents(village, from, to, sequence_max,
                        [&](std::string_view, std::string_view, uint64_t, Date, bool*) {
                          ++count;
                          return Status::Ok();
                        });
  return s.ok() ? count : 0;
}

Status TxnReadCore::ForEachRecord(uint64_t from_sequence,
                                  const std::function<bool(const Record&)>& fn) const {
  uint64_t expected = from_sequence == 0 ? 1 : from_sequence;
  Hash previous;
  if (Status s = StoredHash(expected - 1, &previous); !s.ok()) return s;
  std::string start = RecordKey(expected);
  MdbCursor cursor;
  if (int rc = cursor.Open(txn_, env_->dbis().records); rc != 0)
    return env_->Error(rc, "open cursor");
  MDB_val key = ToVal(start), value;
  Record record;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_SET_RANGE);;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT), ++expected) {
    if (rc == MDB_NOTFOUND) break;
    if (rc != 0) return env_->Error(rc, "read records");
    if (key.mv_size != 8 || GetBigEndian64(static_cast<const char*>(key.mv_data)) != expected) {
      return RecordCorruption(expected, "missing (sequence gap)");
    }
    if (Status s = Check(expected, FromVal(value), previous, &record); !s.ok()) return s;
    previous = HashAt(static_cast<const char*>(value.mv_data));
    if (!fn(record)) break;
    if (expected % kReleaseEvery == 0) env_->ReleaseMappedPages();
  }
  return Status::Ok();
}

Status ReadFrontier(const EnvState& env, MDB_txn* txn, uint64_t sequence,
                    MerkleFrontier* frontier) {
  *frontier = MerkleFrontier{};
  MDB_val key = ToVal(kTreeKey), value;
  int rc = mdb_get(txn, env.dbis().meta, &key, &value);
  if (rc != 0 && rc != MDB_NOTFOUND) return env.Error(rc, "read tree");
  if (rc == 0 && !MerkleFrontier::Decode(FromVal(value), frontier))
    return Status::Corruption("ledger " + env.dir() + ": bad tree edge in meta");
  if (frontier->size() != sequence) {
    return Status::Corruption("ledger " + env.dir() + ": Merkle tree of " +
                              std::to_string(frontier->size()) + " leaves for head sequence " +
                              std::to_string(sequence));
  }
  return Status::Ok();
}

// Leaf hashes are not stored: each is hashed from its record, read in one cursor scan and checked
// against its chain hash (a damaged record must not be signed into a checkpoint).
Status TxnReadCore::LeafHashes(uint64_t first, uint64_t count, std::vector<Hash>* out) const {
  Hash previous;
  if (Status s = StoredHash(first, &previous); !s.ok()) return s;
  std::string start = RecordKey(first + 1);
  MdbCursor cursor;
  if (int rc = cursor.Open(txn_, env_->dbis().records); rc != 0)
    return env_->Error(rc, "open cursor");
  MDB_val key = ToVal(start), value;
  Record record;
  std::string scratch;
  uint64_t sequence = first + 1;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_SET_KEY); sequence <= first + count;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT), ++sequence) {
    if (rc == MDB_NOTFOUND) return RecordCorruption(sequence, "missing");
    if (rc != 0) return env_->Error(rc, "read records");
    if (key.mv_size != 8 || GetBigEndian64(static_cast<const char*>(key.mv_data)) != sequence)
      return RecordCorruption(sequence, "missing (sequence gap)");
    std::string_view stored = FromVal(value);
    if (stored.size() <= kStoredHashBytes ||
        ChainHash(previous, stored.substr(kStoredHashBytes)) != HashAt(stored.data()))
      return RecordCorruption(sequence, "hash does not match its bytes and the previous hash");
    std::string_view bytes = stored.substr(kStoredHashBytes);
    if (static_cast<uint8_t>(bytes[kVersionOffset]) != kFormatVersion) {
      if (Status s = Check(sequence, stored, previous, &record); !s.ok()) return s;
    }
    out->push_back(MerkleLeafHash(LeafData(record, bytes, &scratch)));
    previous = HashAt(stored.data());
  }
  return Status::Ok();
}

Status TxnReadCore::TreeHashes(unsigned level, uint64_t first, uint64_t count,
                               std::vector<Hash>* out) const {
  if (count == 0) return Status::Ok();
  if (level == 0) return LeafHashes(first, count, out);
  const MDB_dbi dbi = env_->dbis().tree_nodes;
  const size_t key_bytes = 9;
  auto missing = [&](uint64_t index) {
    return Status::Corruption("ledger " + env_->dir() + ": Merkle tree: no hash at level " +
                              std::to_string(level) + ", index " + std::to_string(index) +
                              " (run `jifen verify`)");
  };
  std::string start = TreeKey(level, first);
  MdbCursor cursor;
  if (int rc = cursor.Open(txn_, dbi); rc != 0) return env_->Error(rc, "open cursor");
  MDB_val key = ToVal(start), value;
  uint64_t index = first;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_SET_KEY); index < first + count;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT), ++index) {
    if (rc == MDB_NOTFOUND) return missing(index);
    if (rc != 0) return env_->Error(rc, "read tree");
    const char* k = static_cast<const char*>(key.mv_data);
    if (key.mv_size != key_bytes || GetBigEndian64(k + key_bytes - 8) != index ||
        static_cast<uint8_t>(k[0]) != level) {
      return missing(index);
    }
    if (value.mv_size != sizeof(Hash)) return missing(index);
    out->push_back(HashAt(static_cast<const char*>(value.mv_data)));
  }
  return Status::Ok();
}

}  // namespace jifen::ledger
