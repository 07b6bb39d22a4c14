#include "ledger/ledger.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <map>
#include <set>
#include <vector>

#include <spdlog/spdlog.h>

#include "ledger/codec.h"
#include "ledger/lmdb_env.h"
#include "ledger/merkle.h"
#include "ledger/txn_reader.h"

namespace jifen::ledger {
namespace {

// What the events and structural indexes hold, as counts and order-free sums of each entry's
// checksum (ledger/FORMAT.md "Index entries", which covers its key and value), so that Verify can
// compare the indexes with the records in constant memory.
struct IndexDigest {
  struct Part {
    uint64_t entries = 0;
    uint64_t checksum_sum = 0;
    void Add(uint64_t checksum) {
      checksum_sum += checksum;
      ++entries;
    }
    bool operator==(const Part&) const = default;
  };
  Part events, structural;
};

// Recomputes the Merkle tree from the records as Verify walks them, and compares every hash the
// store keeps (the subtrees at levels 8, 16, …, the right edge in meta) with it.
class TreeCheck {
 public:
  TreeCheck(const EnvState& env, MDB_txn* txn) : env_(env), txn_(txn) {}

  // Adds record `record` (canonical bytes `stored`); sets `why` when its stored hashes differ.
  Status Add(const Record& record, std::string_view stored, std::string* why) {
    Status status;
    frontier_.Append(MerkleLeafHash(LeafData(record, stored, &scratch_)),
                     [&](unsigned level, uint64_t index, const Hash& h) {
                       if (!status.ok() || !why->empty()) return;
                       status = Compare(level, index, h, why);
                     });
    return status;
  }

  // After the last record: the edge in meta and the number of stored hashes.
  Status Finish(std::string* why) {
    MerkleFrontier stored;
    if (Status s = ReadFrontier(env_, txn_, frontier_.size(), &stored); !s.ok()) {
      if (s.code() != Status::Code::kCorruption) return s;
      *why = s.message();
      return Status::Ok();
    }
    MDB_stat nodes;
    if (int rc = mdb_stat(txn_, env_.dbis().tree_nodes, &nodes); rc != 0)
      return env_.Error(rc, "tree statistics");
    if (!(stored == frontier_)) {
      *why = "Merkle tree: the edge in meta does not match the records";
    } else if (nodes.ms_entries != nodes_) {
      *why = "Merkle tree: " + std::to_string(nodes.ms_entries) + " subtree hashes stored, " +
             std::to_string(nodes_) + " expected";
    }
    return Status::Ok();
  }

 private:
  Status Compare(unsigned level, uint64_t index, const Hash& expected, std::string* why) {
    if (level == 0) return Status::Ok();  // leaves are hashed from the records, not stored
    std::string key = TreeKey(level, index);
    MDB_val k = ToVal(key), v;
    int rc = mdb_get(txn_, env_.dbis().tree_nodes, &k, &v);
    if (rc != 0 && rc != MDB_NOTFOUND) return env_.Error(rc, "read tree");
    ++nodes_;
    bool same = rc == 0 && v.mv_size == expected.size() &&
                std::memcmp(v.mv_data, expected.data(), expected.size()) == 0;
    if (!same) {
      *why = "Merkle tree: stored hash at level " + std::to_string(level) + ", index " +
             std::to_string(index) + " does not match the records";
    }
    return Status::Ok();
  }

  const EnvState& env_;
  MDB_txn* txn_;
  MerkleFrontier frontier_;
  uint64_t nodes_ = 0;  // subtree hashes above level 0 the records imply
  std::string scratch_;
};

class SnapshotReader : public TxnReader<Reader> {
 public:
  SnapshotReader(std::shared_ptr<EnvState> env, std::unique_ptr<MdbTxn> txn, const HeadState& head)
      : TxnReader<Reader>(env.get(), txn->get(), head),
        env_(std::move(env)),
        txn_(std::move(txn)) {}

 private:
  std::shared_ptr<EnvState> env_;  // declared first: outlives the transaction below
  std::unique_ptr<MdbTxn> txn_;
};

class LmdbWriteBatch : public TxnReader<WriteBatch> {
 public:
  LmdbWriteBatch(EnvState* env, MDB_txn* txn, const HeadState& head,
                 const MerkleFrontier& frontier)
      : TxnReader<WriteBatch>(env, txn, head),
        env_(env),
        start_sequence_(head.sequence),
        frontier_(frontier) {}

  Status Append(Record& record) override;

  // Reads of the events index see the batch's own entries: the pending ones are written first.
  Status ForEachEvent(std::string_view village, Date from, Date to, uint64_t sequence_max,
                      const std::function<bool(const Record&)>& fn) const override {
    if (Status s = FlushEvents(); !s.ok()) return s;
    return TxnReader<WriteBatch>::ForEachEvent(village, from, to, sequence_max, fn);
  }
  Status ForEachEventView(std::string_view village, Date from, Date to, uint64_t sequence_max,
                          const std::function<bool(const EventView&)>& fn) const override {
    if (Status s = FlushEvents(); !s.ok()) return s;
    return TxnReader<WriteBatch>::ForEachEventView(village, from, to, sequence_max, fn);
  }
  size_t CountEvents(std::string_view village, Date from, Date to,
                     uint64_t sequence_max) const override {
    if (!FlushEvents().ok()) return 0;  // the batch has failed and will not commit
    return TxnReader<WriteBatch>::CountEvents(village, from, to, sequence_max);
  }

  // Writes the events index entries still pending, in key order. Called before any read of the
  // events index and before commit; a failure also fails the batch.
  Status FlushEvents() const;

  // Set by the first failed Append; a failed batch is never committed.
  const Status& failure() const { return failure_; }
  bool map_full() const { return map_full_; }
  bool appended() const { return head_.sequence != start_sequence_; }
  const HeadState& head() const { return head_; }
  const MerkleFrontier& frontier() const { return frontier_; }

 private:
  Status Fail(Status status) {
    failure_ = std::move(status);
    return failure_;
  }
  Status Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags,
             const char* what);
  // An LMDB result as the batch's Status; any failure fails the batch.
  Status Checked(int rc, const char* what);
  Status HoldEventEntry(std::string_view key, std::string_view value);
  // Adds the record's leaf to the Merkle tree and puts the subtree hashes it completes.
  Status AppendLeaf(std::string_view leaf_data);

  EnvState* env_;  // for the disk reservation before each put
  uint64_t start_sequence_;
  MerkleFrontier frontier_;
  Status failure_;
  bool map_full_ = false;
  std::string value_;                   // reused encoding buffer
  std::string entry_;                   // reused index value
  std::set<std::string> villages_put_;  // villages already in the `villages` database

  // Events index entries not yet written (LedgerOptions::pending_event_bytes, ledger/FORMAT.md
  // "Where pages lie"). Written one at a time as records come, a village's entries would take
  // the next free page wherever the batch's other writes had got to: one village's index would
  // lie scattered over the file among records and other villages' entries, and a report reading
  // one village would fault in a page for every few dozen entries. Written sorted in runs, each
  // village's new entries fill consecutive pages.
  struct PendingEntry {
    size_t offset;  // into pending_bytes_: the key, then the value
    uint32_t key_bytes, value_bytes;
  };
  mutable std::string pending_bytes_;
  mutable std::vector<PendingEntry> pending_;
};

// Keeps an events index entry for FlushEvents, which runs when the entries held reach the limit.
Status LmdbWriteBatch::HoldEventEntry(std::string_view key, std::string_view value) {
  const size_t limit = core_.env().pending_event_bytes();
  // Room for the limit, once: the pages are touched only as entries fill them, so a short batch
  // costs nothing, and the buffers are never copied or left behind by growing.
  if (pending_bytes_.capacity() < limit + 4096) {
    pending_bytes_.reserve(limit + 4096);
    pending_.reserve(limit / 64 + 16);
  }
  pending_.push_back({pending_bytes_.size(), static_cast<uint32_t>(key.size()),
                      static_cast<uint32_t>(value.size())});
  pending_bytes_.append(key).append(value);
  return pending_bytes_.size() >= limit ? FlushEvents() : Status::Ok();
}

Status LmdbWriteBatch::FlushEvents() const {
  if (pending_.empty()) return Status::Ok();
  const std::string_view bytes(pending_bytes_);
  auto key = [&](uint32_t i) { return bytes.substr(pending_[i].offset, pending_[i].key_bytes); };
  // Key order without sorting the whole batch: entries are grouped by village (the key's prefix
  // up to its first separator), the villages sorted, and each village's entries sorted only if
  // they did not come in order (an import is usually in date order, so they do).
  std::map<std::string_view, std::vector<uint32_t>> villages;
  std::vector<uint32_t>* last = nullptr;
  std::string_view last_village;
  for (uint32_t i = 0; i < pending_.size(); ++i) {
    std::string_view k = key(i);
    std::string_view village = k.substr(0, k.find(kKeySeparator));
    if (last == nullptr || village != last_village) {
      last = &villages[village];
      last_village = village;
    }
    last->push_back(i);
  }
  // Within a village the key is its date (4 bytes), a separator and its sequence (8 bytes), all
  // big-endian: compared as integers.
  auto less = [&](uint32_t a, uint32_t b) {
    const char* x =
        bytes.data() + pending_[a].offset + pending_[a].key_bytes - kEventKeySuffixBytes;
    const char* y =
        bytes.data() + pending_[b].offset + pending_[b].key_bytes - kEventKeySuffixBytes;
    uint32_t dx = GetBigEndian32(x), dy = GetBigEndian32(y);
    return dx != dy ? dx < dy : GetBigEndian64(x + 5) < GetBigEndian64(y + 5);
  };
  auto* self = const_cast<LmdbWriteBatch*>(this);
  Status s;
  for (auto& [village, order] : villages) {
    if (!std::is_sorted(order.begin(), order.end(), less))
      std::sort(order.begin(), order.end(), less);
    for (uint32_t i : order) {
      const PendingEntry& e = pending_[i];
      s = self->Put(core_.env().dbis().events, key(i),
                    bytes.substr(e.offset + e.key_bytes, e.value_bytes), 0, "index event");
      if (!s.ok()) break;
    }
    if (!s.ok()) break;
  }
  spdlog::debug("ledger: {} events index entries of {} villages written in key order",
                pending_.size(), villages.size());
  pending_.clear();
  pending_bytes_.clear();
  return s;
}

Status LmdbWriteBatch::Put(MDB_dbi dbi, std::string_view key, std::string_view value,
                           unsigned flags, const char* what) {
  if (Status s = env_->Room(core_.txn(), value.size()); !s.ok()) return Fail(std::move(s));
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_put(core_.txn(), dbi, &k, &v, flags);
  if (rc == MDB_KEYEXIST && dbi == core_.env().dbis().villages) return Status::Ok();
  return Checked(rc, what);
}

Status LmdbWriteBatch::Checked(int rc, const char* what) {
  if (rc == 0) return Status::Ok();
  if (rc == MDB_MAP_FULL) map_full_ = true;
  return Fail(core_.env().Error(rc, what));
}

Status LmdbWriteBatch::Append(Record& record) {
  if (!failure_.ok()) return failure_;
  const uint64_t sequence = head_.sequence + 1;
  auto refuse = [&](const std::string& why) {
    return Fail(Status::InvalidInput("record " + std::to_string(sequence) + " (" +
                                     RecordTypeName(record.type) + "): " + why));
  };
  if (Status s = ValidateRecord(record); !s.ok()) return refuse(s.message());
  if (head_.latest && record.recorded < *head_.latest) {
    return refuse("recorded " + record.recorded.ToString() + " is before the latest record's " +
                  head_.latest->ToString());
  }
  record.sequence = sequence;
  value_.assign(kStoredHashBytes, '\0');
  EncodeRecord(record, &value_);
  Hash hash = ChainHash(head_.hash, std::string_view(value_).substr(kStoredHashBytes));
  std::memcpy(value_.data(), hash.data(), hash.size());

  const Dbis& dbis = core_.env().dbis();
  std::string seq_be = RecordKey(sequence);
  // The key first: MDB_NOOVERWRITE is the duplicate check, before anything else is written.
  if (std::string key = KeyOf(record); !key.empty()) {
    std::string index_key = KeyIndexKey(record.village, key);
    if (Status s = env_->Room(core_.txn(), seq_be.size()); !s.ok()) return Fail(std::move(s));
    MDB_val k = ToVal(index_key), v = ToVal(seq_be);
    int rc = mdb_put(core_.txn(), dbis.keys, &k, &v, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) return refuse("key " + key + " already in village " + record.village);
    if (Status s = Checked(rc, "index key"); !s.ok()) return s;
  }
  if (Status s = Put(dbis.records, seq_be, value_, MDB_APPEND, "append record"); !s.ok()) return s;
  std::string index_key;
  Status s =
      IndexEntryOf(record, std::string_view(value_).substr(kStoredHashBytes), &index_key, &entry_)
          ? HoldEventEntry(index_key, entry_)
          : Put(dbis.structural, index_key, entry_, 0, "index record");
  if (!s.ok()) return s;
  if (!villages_put_.contains(record.village)) {
    if (s = Put(dbis.villages, record.village, {}, MDB_NOOVERWRITE, "index village"); !s.ok())
      return s;
    villages_put_.insert(record.village);
  }
  if (s = AppendLeaf(std::string_view(value_).substr(kStoredHashBytes)); !s.ok()) return s;
  head_ = HeadState{sequence, hash, record.recorded};
  return Status::Ok();
}

Status LmdbWriteBatch::AppendLeaf(std::string_view leaf_data) {
  Status s;
  frontier_.Append(MerkleLeafHash(leaf_data), [&](unsigned level, uint64_t index, const Hash& h) {
    if (!s.ok()) return;
    std::string_view value(reinterpret_cast<const char*>(h.data()), h.size());
    if (level != 0)
      s = Put(core_.env().dbis().tree_nodes, TreeKey(level, index), value, 0, "tree node");
  });
  return s;
}

class LmdbLedger : public Ledger {
 public:
  explicit LmdbLedger(std::shared_ptr<EnvState> env) : env_(std::move(env)) {}

  Result<std::unique_ptr<Reader>> Snapshot() override;
  Status Write(const std::function<Status(WriteBatch&)>& fn) override;
  Result<VerifyReport> Verify(const VerifyProgress& progress) override;

 private:
  enum class Attempt { kDone, kGrow };
  Result<Attempt> TryWrite(const std::function<Status(WriteBatch&)>& fn);
  Status VerifyChain(const TxnReadCore& core, VerifyReport* report, IndexDigest* digest,
                     TreeCheck* tree, const VerifyProgress& progress);
  Status VerifyIndexes(const TxnReadCore& core, VerifyReport* report, const IndexDigest& expected);
  Status DigestIndex(MDB_txn* txn, MDB_dbi dbi, IndexDigest::Part* part);

  std::shared_ptr<EnvState> env_;
};

Result<std::unique_ptr<Reader>> LmdbLedger::Snapshot() {
  auto txn = std::make_unique<MdbTxn>();
  if (Status s = env_->Begin(false, txn.get()); !s.ok()) return s;
  HeadState head;
  if (Status s = ReadHead(*env_, txn->get(), &head); !s.ok()) return s;
  // Reports read through the indexes, so check at least their sizes (constant time): a damaged
  // index page must not silently hide records. Verify compares their contents.
  MDB_stat records, events, structural;
  int rc = mdb_stat(txn->get(), env_->dbis().records, &records);
  if (rc == 0) rc = mdb_stat(txn->get(), env_->dbis().events, &events);
  if (rc == 0) rc = mdb_stat(txn->get(), env_->dbis().structural, &structural);
  if (rc != 0) return env_->Error(rc, "index statistics");
  if (records.ms_entries != head.sequence ||
      events.ms_entries + structural.ms_entries != head.sequence) {
    return Status::Corruption("ledger " + env_->dir() + ": " + std::to_string(records.ms_entries) +
                              " records and " +
                              std::to_string(events.ms_entries + structural.ms_entries) +
                              " index entries for head sequence " + std::to_string(head.sequence));
  }
  return std::unique_ptr<Reader>(new SnapshotReader(env_, std::move(txn), head));
}

Status LmdbLedger::Write(const std::function<Status(WriteBatch&)>& fn) {
  // Each failed attempt doubles the map, so the number of attempts is bounded by Grow's limit.
  for (;;) {
    Result<Attempt> attempt = TryWrite(fn);
    if (!attempt.ok()) return attempt.status();
    if (*attempt == Attempt::kDone) return Status::Ok();
    if (Status s = env_->Grow(); !s.ok()) return s;
  }
}

// One run of `fn` in one write transaction; kGrow when the map filled up (nothing was written).
Result<LmdbLedger::Attempt> LmdbLedger::TryWrite(const std::function<Status(WriteBatch&)>& fn) {
  MdbTxn txn;
  if (Status s = env_->Begin(true, &txn); !s.ok()) return s;
  // Read inside the write transaction: another process may have appended since any snapshot.
  HeadState head;
  if (Status s = ReadHead(*env_, txn.get(), &head); !s.ok()) return s;
  MerkleFrontier frontier;
  if (Status s = ReadFrontier(*env_, txn.get(), head.sequence, &frontier); !s.ok()) return s;
  LmdbWriteBatch batch(env_.get(), txn.get(), head, frontier);
  Status result;
  try {
    result = fn(batch);
  } catch (const std::exception& e) {
    return Status::IOError("ledger " + env_->dir() + ": write aborted: " + e.what());
  }
  if (result.ok()) (void)batch.FlushEvents();  // a failure is the batch's, checked below
  if (batch.map_full()) return Attempt::kGrow;
  if (!result.ok()) return result;
  if (!batch.failure().ok()) return batch.failure();
  if (!batch.appended()) return Attempt::kDone;
  std::string head_value = EncodeHead(batch.head());
  std::string tree_value = batch.frontier().Encode();
  if (Status s = env_->Room(txn.get(), head_value.size()); !s.ok()) return s;
  MDB_val key = ToVal(kHeadKey), value = ToVal(head_value);
  int rc = mdb_put(txn.get(), env_->dbis().meta, &key, &value, 0);
  if (rc == 0) {
    if (Status s = env_->Room(txn.get(), tree_value.size()); !s.ok()) return s;
    MDB_val tree_key = ToVal(kTreeKey), tree = ToVal(tree_value);
    rc = mdb_put(txn.get(), env_->dbis().meta, &tree_key, &tree, 0);
  }
  if (rc == 0) {
    if (Status s = env_->RoomToCommit(txn.get()); !s.ok()) return s;
    rc = txn.Commit();
  }
  if (rc == MDB_MAP_FULL) return Attempt::kGrow;
  if (rc != 0) return env_->Error(rc, "commit");
  return Attempt::kDone;
}

Result<VerifyReport> LmdbLedger::Verify(const VerifyProgress& progress) {
  MdbTxn txn;
  if (Status s = env_->Begin(false, &txn); !s.ok()) return s;
  TxnReadCore core(env_.get(), txn.get());
  VerifyReport report;
  IndexDigest expected;
  TreeCheck tree(*env_, txn.get());
  if (Status s = VerifyChain(core, &report, &expected, &tree, progress); !s.ok()) return s;
  if (!report.first_bad) {
    if (Status s = VerifyIndexes(core, &report, expected); !s.ok()) return s;
  }
  if (!report.first_bad) {
    std::string why;
    if (Status s = tree.Finish(&why); !s.ok()) return s;
    if (!why.empty()) {
      report.first_bad = report.records;
      report.reason = why;
    }
  }
  return report;
}

// Walks `records` in key order, recomputing every hash from the previous stored one.
// Adds the index key each record must have to `digest`.
Status LmdbLedger::VerifyChain(const TxnReadCore& core, VerifyReport* report, IndexDigest* digest,
                               TreeCheck* tree, const VerifyProgress& progress) {
  MDB_stat stat;
  uint64_t total = mdb_stat(core.txn(), env_->dbis().records, &stat) == 0 ? stat.ms_entries : 0;
  MdbCursor cursor;
  if (int rc = cursor.Open(core.txn(), env_->dbis().records); rc != 0)
    return env_->Error(rc, "open cursor");
  MDB_val key, value;
  Record record;
  std::string index_key, entry;
  Hash previous{};
  std::optional<Timestamp> latest;
  uint64_t expected = 1;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST);;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT), ++expected) {
    if (rc == MDB_NOTFOUND) break;
    if (rc != 0) return env_->Error(rc, "read records");
    auto bad = [&](std::string reason) {
      report->first_bad = expected;
      report->reason = std::move(reason);
      return Status::Ok();
    };
    if (key.mv_size != 8) return bad("record key of " + std::to_string(key.mv_size) + " bytes");
    uint64_t stored = GetBigEndian64(static_cast<const char*>(key.mv_data));
    if (stored != expected)
      return bad("missing: sequence gap, next stored is " + std::to_string(stored));
    if (Status s = core.Check(expected, FromVal(value), previous, &record); !s.ok())
      return bad(s.message());
    if (latest && record.recorded < *latest) {
      return bad("recorded " + record.recorded.ToString() + " goes back before " +
                 latest->ToString());
    }
    latest = record.recorded;
    bool event = IndexEntryOf(record, FromVal(value).substr(kStoredHashBytes), &index_key, &entry);
    (event ? digest->events : digest->structural).Add(StoredEntryChecksum(entry));
    std::string why;
    if (Status s = tree->Add(record, FromVal(value).substr(kStoredHashBytes), &why); !s.ok())
      return s;
    if (!why.empty()) return bad(why);
    std::memcpy(previous.data(), value.mv_data, previous.size());
    if (progress && expected % 4096 == 0) progress(expected, total);
    if (expected % kReleaseEvery == 0) env_->ReleaseMappedPages();
    report->records = expected;
    report->head = previous;
  }
  return Status::Ok();
}

// The head in meta and the indexes must agree with the chain just walked: an index entry lost,
// added or changed (a damaged page) would hide a record from, or add one to, every report.
Status LmdbLedger::VerifyIndexes(const TxnReadCore& core, VerifyReport* report,
                                 const IndexDigest& expected) {
  HeadState head;
  if (Status s = ReadHead(*env_, core.txn(), &head); !s.ok() || head.sequence != report->records) {
    report->first_bad = report->records;
    report->reason = s.ok() ? "head in meta names another record" : s.message();
    return Status::Ok();
  }
  MDB_stat events, structural;
  int rc = mdb_stat(core.txn(), env_->dbis().events, &events);
  if (rc == 0) rc = mdb_stat(core.txn(), env_->dbis().structural, &structural);
  if (rc != 0) return env_->Error(rc, "index statistics");
  if (events.ms_entries + structural.ms_entries != report->records) {
    report->first_bad = report->records;
    report->reason = "indexes hold " + std::to_string(events.ms_entries + structural.ms_entries) +
                     " entries for " + std::to_string(report->records) + " records";
    return Status::Ok();
  }
  IndexDigest actual;
  if (Status s = DigestIndex(core.txn(), env_->dbis().events, &actual.events); !s.ok()) return s;
  if (Status s = DigestIndex(core.txn(), env_->dbis().structural, &actual.structural); !s.ok())
    return s;
  if (!(actual.events == expected.events) || !(actual.structural == expected.structural)) {
    report->first_bad = report->records;
    report->reason = std::string(actual.events == expected.events ? "structural" : "event") +
                     " index does not match the records";
  }
  return Status::Ok();
}

Status LmdbLedger::DigestIndex(MDB_txn* txn, MDB_dbi dbi, IndexDigest::Part* part) {
  MdbCursor cursor;
  if (int rc = cursor.Open(txn, dbi); rc != 0) return env_->Error(rc, "open cursor");
  MDB_val key, value;
  for (int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST);;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT)) {
    if (rc == MDB_NOTFOUND) break;
    if (rc != 0) return env_->Error(rc, "read index");
    // An entry whose value no longer matches its checksum counts as a different entry.
    uint64_t checksum = StoredEntryChecksum(FromVal(value));
    part->Add(EntryChecksumMatches(FromVal(key), FromVal(value)) ? checksum : ~checksum);
    if (part->entries % kReleaseEvery == 0) env_->ReleaseMappedPages();
  }
  return Status::Ok();
}

// Ledgers written before the index entries carried values (ledger/FORMAT.md "Indexes") have
// empty values in `events` and `structural`; ledgers of format 1 hold whole quantities in their
// events entries. Rebuilds both from the records in one write transaction, once, and sets the
// format to the current one.
Status UpgradeIndexes(EnvState& env) {
  {
    MdbTxn txn;
    if (Status s = env.Begin(false, &txn); !s.ok()) return s;
    bool old = false;
    for (MDB_dbi dbi : {env.dbis().events, env.dbis().structural}) {
      MdbCursor cursor;
      if (int rc = cursor.Open(txn.get(), dbi); rc != 0) return env.Error(rc, "open cursor");
      MDB_val key, value;
      int rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST);
      if (rc != 0 && rc != MDB_NOTFOUND) return env.Error(rc, "read index");
      if (rc == 0 && value.mv_size == 0) old = true;
    }
    if (!old && env.format() >= 2) return Status::Ok();
    MDB_stat records;
    if (mdb_stat(txn.get(), env.dbis().records, &records) == 0) {
      spdlog::info("ledger {}: adding the index entries reports read to {} records (once)",
                   env.dir(), records.ms_entries);
    }
  }
  for (;;) {
    MdbTxn txn;
    if (Status s = env.Begin(true, &txn); !s.ok()) return s;
    int rc = mdb_drop(txn.get(), env.dbis().events, 0);
    if (rc == 0) rc = mdb_drop(txn.get(), env.dbis().structural, 0);
    if (rc != 0) return env.Error(rc, "empty indexes");
    char version = static_cast<char>(kFormatVersion);
    MDB_val format_key{6, const_cast<char*>("format")}, format_value{1, &version};
    if (Status s = env.Room(txn.get(), format_value.mv_size); !s.ok()) return s;
    if (rc = mdb_put(txn.get(), env.dbis().meta, &format_key, &format_value, 0); rc != 0) {
      return env.Error(rc, "write format version");
    }
    {
      MdbCursor cursor;
      if (rc = cursor.Open(txn.get(), env.dbis().records); rc != 0)
        return env.Error(rc, "open cursor");
      TxnReadCore core(&env, txn.get());
      Hash previous{};
      Record record;
      std::string index_key, entry;
      MDB_val key, value;
      uint64_t expected = 1;
      for (rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST); rc == 0;
           rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT), ++expected) {
        if (Status s = core.Check(expected, FromVal(value), previous, &record); !s.ok()) return s;
        std::memcpy(previous.data(), value.mv_data, previous.size());
        bool event =
            IndexEntryOf(record, FromVal(value).substr(kStoredHashBytes), &index_key, &entry);
        MDB_dbi dbi = event ? env.dbis().events : env.dbis().structural;
        if (Status s = env.Room(txn.get(), entry.size()); !s.ok()) return s;
        MDB_val k = ToVal(index_key), v = ToVal(entry);
        if (rc = mdb_put(txn.get(), dbi, &k, &v, 0); rc != 0) break;
      }
    }  // the cursor closes before the commit
    if (rc == MDB_NOTFOUND) {
      if (Status s = env.RoomToCommit(txn.get()); !s.ok()) return s;
      rc = txn.Commit();
    }
    if (rc == 0) return Status::Ok();
    if (rc != MDB_MAP_FULL) return env.Error(rc, "upgrade indexes");
    txn.Abort();
    if (Status grown = env.Grow(); !grown.ok()) return grown;
  }
}

// Puts the Merkle tree of the records (ledger/FORMAT.md "Merkle tree") into `txn`: the subtrees
// at levels 8, 16, … and the edge in meta; sets the store format to 3. MDB_MAP_FULL
// comes back as its return code for the caller to grow the map.
int PutTree(EnvState& env, MDB_txn* txn, Status* status) {
  int rc = mdb_drop(txn, env.dbis().tree_nodes, 0);
  MdbCursor cursor;
  if (rc == 0) rc = cursor.Open(txn, env.dbis().records);
  if (rc != 0) return rc;
  TxnReadCore core(&env, txn);
  MerkleFrontier frontier;
  Hash previous{};
  Record record;
  std::string scratch;
  MDB_val key, value;
  uint64_t expected = 1;
  for (rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT), ++expected) {
    if (*status = core.Check(expected, FromVal(value), previous, &record); !status->ok()) return 0;
    std::memcpy(previous.data(), value.mv_data, previous.size());
    std::string_view stored = FromVal(value).substr(kStoredHashBytes);
    frontier.Append(MerkleLeafHash(LeafData(record, stored, &scratch)),
                    [&](unsigned level, uint64_t index, const Hash& h) {
                      if (level == 0 || rc != 0 || !status->ok()) return;
                      if (*status = env.Room(txn, h.size()); !status->ok()) return;
                      std::string k = TreeKey(level, index);
                      MDB_val kv = ToVal(k), hv{h.size(), const_cast<uint8_t*>(h.data())};
                      rc = mdb_put(txn, env.dbis().tree_nodes, &kv, &hv, 0);
                    });
    if (rc != 0 || !status->ok()) return rc;
  }
  if (rc != MDB_NOTFOUND) return rc;
  std::string edge = frontier.Encode();
  char version = static_cast<char>(kStoreFormatVersion);
  MDB_val tree_key = ToVal(kTreeKey), tree_value = ToVal(edge);
  MDB_val format_key{6, const_cast<char*>("format")}, format_value{1, &version};
  if (*status = env.Room(txn, edge.size()); !status->ok()) return 0;
  rc = frontier.size() == 0 ? 0 : mdb_put(txn, env.dbis().meta, &tree_key, &tree_value, 0);
  if (rc == 0) rc = mdb_put(txn, env.dbis().meta, &format_key, &format_value, 0);
  return rc;
}

// A ledger of store format 2 or older has no Merkle tree: builds it from the chain-checked records
// in one write transaction, once (as UpgradeIndexes does for the indexes).
Status UpgradeTree(EnvState& env) {
  {
    MdbTxn txn;
    if (Status s = env.Begin(false, &txn); !s.ok()) return s;
    MDB_val key{6, const_cast<char*>("format")}, value;
    int rc = mdb_get(txn.get(), env.dbis().meta, &key, &value);
    if (rc != 0 && rc != MDB_NOTFOUND) return env.Error(rc, "read format version");
    if (rc == 0 && value.mv_size == 1 &&
        *static_cast<const uint8_t*>(value.mv_data) >= kStoreFormatVersion) {
      return Status::Ok();
    }
    MDB_stat records;
    if (mdb_stat(txn.get(), env.dbis().records, &records) == 0) {
      spdlog::info("ledger {}: building the Merkle tree over {} records (once)", env.dir(),
                   records.ms_entries);
    }
  }
  for (;;) {
    MdbTxn txn;
    if (Status s = env.Begin(true, &txn); !s.ok()) return s;
    Status status;
    int rc = PutTree(env, txn.get(), &status);
    if (!status.ok()) return status;
    if (rc == 0) {
      if (Status s = env.RoomToCommit(txn.get()); !s.ok()) return s;
      rc = txn.Commit();
    }
    if (rc == 0) return Status::Ok();
    if (rc != MDB_MAP_FULL) return env.Error(rc, "build Merkle tree");
    txn.Abort();
    if (Status grown = env.Grow(); !grown.ok()) return grown;
  }
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& dir, bool create) {
  return Open(dir, create, LedgerOptions{});
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& dir, bool create,
                                             const LedgerOptions& options) {
  try {
    auto env = EnvState::Open(dir, create, options);
    if (!env.ok()) return env.status();
    if (Status s = UpgradeIndexes(**env); !s.ok()) return s;
    if (Status s = UpgradeTree(**env); !s.ok()) return s;
    return std::unique_ptr<Ledger>(new LmdbLedger(std::move(env.value())));
  } catch (const std::exception& e) {
    return Status::IOError("ledger " + dir + ": " + e.what());
  }
}

}  // namespace jifen::ledger
