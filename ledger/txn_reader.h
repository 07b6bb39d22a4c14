// Reads inside one LMDB transaction (a snapshot's read transaction or the write batch's write
// transaction): index keys, the head, and records validated against their chain hash. Internal to
// the ledger module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/lmdb_env.h"
#include "ledger/merkle.h"
#include "ledger/sha256.h"

namespace jifen::ledger {

// Separates a village code from the rest of an index key; codes never hold control characters.
inline constexpr char kKeySeparator = '\x1f';

std::string RecordKey(uint64_t sequence);
std::string KeyIndexKey(std::string_view village, std::string_view key);
std::string EventIndexKey(std::string_view village, Date date, uint64_t sequence);
// What follows the village prefix in an events index key: the biased date (4 bytes, big-endian),
// a separator, the sequence (8 bytes, big-endian).
inline constexpr size_t kEventKeySuffixBytes = 4 + 1 + 8;
std::string StructuralIndexKey(std::string_view village, uint64_t sequence);
bool IsEvent(RecordType type);

// The entry `record` has in `events` (awards and redemptions) or `structural` (every other
// record): its key and value (ledger/FORMAT.md "Index entries"). `canonical` is the record's
// canonical bytes. Returns whether it is an `events` entry. Append writes it; verify and the
// upgrade of older ledgers derive it the same way.
bool IndexEntryOf(const Record& record, std::string_view canonical, std::string* key,
                  std::string* value);

// The newest record as kept under meta "head".
struct HeadState {
  uint64_t sequence = 0;
  Hash hash{};
  std::optional<Timestamp> latest;
};
inline constexpr std::string_view kHeadKey = "head";
inline constexpr size_t kHeadBytes = 8 + 32 + 8 + 2;
// Scans of a whole database ask EnvState::ReleaseMappedPages every this many entries.
inline constexpr uint64_t kReleaseEvery = 4096;
std::string EncodeHead(const HeadState& head);
// Reads meta "head" and checks it names the last stored record; Corruption otherwise.
Status ReadHead(const EnvState& env, MDB_txn* txn, HeadState* head);

// The right edge of the Merkle tree, kept under meta "tree" (absent in an empty ledger).
inline constexpr std::string_view kTreeKey = "tree";
// Reads meta "tree" and checks that its size is `sequence`, the head's; Corruption otherwise.
Status ReadFrontier(const EnvState& env, MDB_txn* txn, uint64_t sequence,
                    MerkleFrontier* frontier);

// The Reader operations over one transaction. Every record handed out was checked: stored hash ==
// SHA-256(previous stored hash || bytes), bytes decode, sequence matches, ValidateRecord passes.
class TxnReadCore {
 public:
  TxnReadCore(const EnvState* env, MDB_txn* txn) : env_(env), txn_(txn) {}

  Status Load(uint64_t sequence, Record* record) const;
  uint64_t SequenceAsOf(uint64_t head, Timestamp t) const;
  std::optional<uint64_t> FindKey(std::string_view village, std::string_view key) const;
  std::vector<std::string> Villages() const;
  Status ForEachStructural(std::string_view village, uint64_t sequence_max,
                           const std::function<bool(const Record&)>& fn) const;
  // With a null target_fn, every record goes to record_fn. From sequence_min on.
  Status ForEachStructuralView(std::string_view village, uint64_t sequence_max,
                               const std::function<bool(const Record&)>& record_fn,
                               const std::function<bool(const TargetView&)>& target_fn,
                               uint64_t sequence_min = 1) const;
  Status ForEachEvent(std::string_view village, Date from, Date to, uint64_t sequence_max,
                      const std::function<bool(const Record&)>& fn) const;
  Status ForEachEventView(std::string_view village, Date from, Date to, uint64_t sequence_max,
                          const std::function<bool(const EventView&)>& fn) const;
  size_t CountEvents(std::string_view village, Date from, Date to, uint64_t sequence_max) const;
  Status ForEachRecord(uint64_t from_sequence, const std::function<bool(const Record&)>& fn) const;
  Status TreeHashes(unsigned level, uint64_t first, uint64_t count, std::vector<Hash>* out) const;
  // Checks one stored value against the previous record's hash and decodes it.
  Status Check(uint64_t sequence, std::string_view value, const Hash& previous,
               Record* record) const;

  MDB_txn* txn() const { return txn_; }
  const EnvState& env() const { return *env_; }

 private:
  Status StoredHash(uint64_t sequence, Hash* hash) const;
  // The leaf hashes of records first + 1 .. first + count, from the records themselves.
  Status LeafHashes(uint64_t first, uint64_t count, std::vector<Hash>* out) const;
  // Walks the events index entries of `village` dated from..to with sequence <= sequence_max in
  // key order, calling fn(key, value, sequence, date) until it returns false or fails.
  template <typename Fn>
  Status ScanEvents(std::string_view village, Date from, Date to, uint64_t sequence_max,
                    Fn&& fn) const;

  const EnvState* env_;
  MDB_txn* txn_;
};

// Implements Reader (for snapshots) or WriteBatch's Reader half over a TxnReadCore.
template <typename Base>
class TxnReader : public Base {
 public:
  TxnReader(const EnvState* env, MDB_txn* txn, const HeadState& head)
      : core_(env, txn), head_(head) {}

  uint64_t HeadSequence() const override { return head_.sequence; }
  Hash HeadHash() const override { return head_.hash; }
  std::optional<Timestamp> LatestRecorded() const override { return head_.latest; }
  uint64_t SequenceAsOf(Timestamp t) const override {
    return core_.SequenceAsOf(head_.sequence, t);
  }
  Result<Record> Get(uint64_t sequence) const override {
    if (sequence == 0 || sequence > head_.sequence) {
      return Status::InvalidInput("record " + std::to_string(sequence) + ": not in the ledger");
    }
    Record record;
    if (Status s = core_.Load(sequence, &record); !s.ok()) return s;
    return record;
  }
  std::optional<uint64_t> FindKey(std::string_view village, std::string_view key) const override {
    return core_.FindKey(village, key);
  }
  std::vector<std::string> Villages() const override { return core_.Villages(); }
  Status ForEachStructural(std::string_view village, uint64_t sequence_max,
                           const std::function<bool(const Record&)>& fn) const override {
    return core_.ForEachStructural(village, sequence_max, fn);
  }
  Status ForEachStructuralSince(std::string_view village, uint64_t sequence_min,
                                uint64_t sequence_max,
                                const std::function<bool(const Record&)>& fn) const override {
    return core_.ForEachStructuralView(village, sequence_max, fn, nullptr, sequence_min);
  }
  Status ForEachStructuralView(
      std::string_view village, uint64_t sequence_max,
      const std::function<bool(const Record&)>& record_fn,
      const std::function<bool(const TargetView&)>& target_fn) const override {
    return core_.ForEachStructuralView(village, sequence_max, record_fn, target_fn);
  }
  Status ForEachEvent(std::string_view village, Date from, Date to, uint64_t sequence_max,
                      const std::function<bool(const Record&)>& fn) const override {
    return core_.ForEachEvent(village, from, to, sequence_max, fn);
  }
  Status ForEachEventView(std::string_view village, Date from, Date to, uint64_t sequence_max,
                          const std::function<bool(const EventView&)>& fn) const override {
    return core_.ForEachEventView(village, from, to, sequence_max, fn);
  }
  size_t CountEvents(std::string_view village, Date from, Date to,
                     uint64_t sequence_max) const override {
    return core_.CountEvents(village, from, to, sequence_max);
  }
  Status ForEachRecord(uint64_t from_sequence,
                       const std::function<bool(const Record&)>& fn) const override {
    return core_.ForEachRecord(from_sequence, fn);
  }
  Status TreeHashes(unsigned level, uint64_t first, uint64_t count,
                    std::vector<Hash>* out) const override {
    // Only subtrees complete in this tree: the store may hold later ones (a write batch's own).
    if (level >= 64 || count > (head_.sequence >> level) ||
        first > (head_.sequence >> level) - count) {
      return Status::InvalidInput("tree: level " + std::to_string(level) + " has no subtrees " +
                                  std::to_string(first) + " to " +
                                  std::to_string(first + count - 1) + " in a tree of " +
                                  std::to_string(head_.sequence) + " records");
    }
    return core_.TreeHashes(level, first, count, out);
  }
  void ReleaseMappedPages() const override { core_.env().ReleaseMappedPages(); }

 protected:
  TxnReadCore core_;
  HeadState head_;
};

}  // namespace jifen::ledger
