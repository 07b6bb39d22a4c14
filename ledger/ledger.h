// The append-only ledger: an LMDB environment in a directory (SPEC.md §4, ledger/FORMAT.md).
//
// Records are appended in one LMDB write transaction per batch and never changed or deleted.
// Every record carries a sequence number, its recorded timestamp (non-decreasing) and a chain hash
// h_n = SHA-256(h_{n-1} || canonical bytes of record n). Reads happen in snapshots (LMDB read
// transactions): a snapshot sees exactly the records committed before it began.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/index_entry.h"
#include "ledger/record.h"
#include "util/status.h"

namespace jifen::ledger {

// Read access shared by snapshots and by the write batch (which also sees its own appends).
// Every Record handed out was validated against its stored hash when read (Status::Corruption
// otherwise); callbacks return false to stop early.
class Reader {
 public:
  virtual ~Reader() = default;
  // Sequence of the newest record (0 for an empty ledger).
  virtual uint64_t HeadSequence() const = 0;
  virtual Hash HeadHash() const = 0;
  // Recorded time of the newest record, if any.
  virtual std::optional<Timestamp> LatestRecorded() const = 0;
  // Largest sequence whose recorded time is at or before `t` (0 if none). Recorded times never
  // go backwards, so the records visible "as of t" are exactly the sequences 1..SequenceAsOf(t).
  virtual uint64_t SequenceAsOf(Timestamp t) const = 0;
  virtual Result<Record> Get(uint64_t sequence) const = 0;
  // Sequence of the record with this key in `village`: the `id` of an award/redeem, or for
  // registrations the key "household:CODE", "person:CODE", "scorer:CODE" (see KeyOf).
  virtual std::optional<uint64_t> FindKey(std::string_view village, std::string_view key) const = 0;
  // Village codes that have any record, ascending.
  virtual std::vector<std::string> Villages() const = 0;
  // Every record of `village` that is not an award or redemption (rules, household, person,
  // move, scorer, revoke and the workflow's records) with sequence <= sequence_max, in sequence
  // order.
  virtual Status ForEachStructural(std::string_view village, uint64_t sequence_max,
                                   const std::function<bool(const Record&)>& fn) const = 0;
  // The records ForEachStructural gives that have sequence_min <= sequence <= sequence_max:
  // what a village's structure gained after a sequence, read from its own range of the index
  // (not from every record since, which other villages' writes may be most of).
  virtual Status ForEachStructuralSince(std::string_view village, uint64_t sequence_min,
                                        uint64_t sequence_max,
                                        const std::function<bool(const Record&)>& fn) const = 0;
  // The same records as ForEachStructural, but each revocation and approval goes to
  // `target_fn` as a view of its index entry, read without building a Record (a village under
  // review has an approval for nearly every award); every other record goes to `record_fn`, in
  // one sequence order. A damaged entry fails as it does in ForEachStructural.
  virtual Status ForEachStructuralView(
      std::string_view village, uint64_t sequence_max,
      const std::function<bool(const Record&)>& record_fn,
      const std::function<bool(const TargetView&)>& target_fn) const = 0;
  // Awards and redemptions of `village` with from <= date <= to and sequence <= sequence_max,
  // in (date, sequence) order. Reads only the index range, never the whole ledger.
  virtual Status ForEachEvent(std::string_view village, Date from, Date to, uint64_t sequence_max,
                              const std::function<bool(const Record&)>& fn) const = 0;
  // The same events as ForEachEvent, read from the events index alone (one sequential scan, no
  // record lookups): what replay needs. Each entry's checksum is checked; the views are valid
  // only during the call.
  virtual Status ForEachEventView(std::string_view village, Date from, Date to,
                                  uint64_t sequence_max,
                                  const std::function<bool(const EventView&)>& fn) const = 0;
  // How many events ForEachEventView would hand out (a walk over the keys only), so that callers
  // can reserve room for them.
  virtual size_t CountEvents(std::string_view village, Date from, Date to,
                             uint64_t sequence_max) const = 0;
  // All records with from <= sequence, in sequence order (export, audit).
  virtual Status ForEachRecord(uint64_t from_sequence,
                               const std::function<bool(const Record&)>& fn) const = 0;
  // The Merkle tree over the records (ledger/FORMAT.md "Merkle tree"): appends to `out` the
  // hashes of the complete subtrees at `level` (0: the leaf hashes; or 8, 16, …, a multiple of
  // kStoredLevelStep in ledger/merkle.h) with indexes first .. first + count - 1. Every one must
  // be complete in this snapshot's tree (InvalidInput otherwise); a hash missing from the store
  // is Status::Corruption.
  virtual Status TreeHashes(unsigned level, uint64_t first, uint64_t count,
                            std::vector<Hash>* out) const = 0;
  // Lets go of the ledger's pages this process has mapped once files take more than 128 MiB of
  // its resident set (LedgerOptions::mapped_bytes_kept), unless this process is writing to the
  // ledger; they stay in the page cache and what is read next is mapped again. Reads
  // that go through much of the ledger (compare, between villages) call it as they go, so that
  // their resident set stays small. Views handed out earlier stay valid.
  virtual void ReleaseMappedPages() const = 0;
};

// The idempotency key of a record in its village: its `id` for awards and redemptions,
// "household:CODE" / "person:CODE" / "scorer:CODE" for registrations, "revoke:TARGET" for a
// revocation (a record is revoked at most once), "move:PERSON:DATE" for a move (one a person a
// day); empty for rules and for awards and redemptions without an id.
std::string KeyOf(const Record& record);

class WriteBatch : public Reader {
 public:
  // Appends one record: assigns its sequence and chain hash. `record.recorded` must be at or after
  // LatestRecorded() and its key (KeyOf) new in its village; callers validate first, and a
  // violation is Status::InvalidInput (as is a record failing ValidateRecord), never a crash.
  virtual Status Append(Record& record) = 0;
};

struct VerifyReport {
  uint64_t records = 0;               // records that passed, all of them when first_bad is unset
  Hash head{};                        // chain hash of the last record that passed
  std::optional<uint64_t> first_bad;  // set when the chain or a record fails
  std::string reason;                 // why first_bad is bad
};

struct LedgerOptions {
  // The LMDB map size a newly opened environment starts with (at least twice the pages in use).
  // Write doubles it whenever it fills up; tests start tiny to exercise that.
  size_t initial_map_bytes = size_t{1} << 30;
  // A write batch holds its events index entries back and writes them sorted by key when they
  // reach this many bytes, before the batch reads the events index, and at commit, so that each
  // village's entries fill consecutive pages (ledger/FORMAT.md "Where pages lie"). Tests set it
  // small to exercise the writes in between.
  size_t pending_event_bytes = size_t{32} << 20;
  // Reader::ReleaseMappedPages lets go of the ledger's mapped pages once files take more than
  // this many bytes of the process's resident set. Tests set it to 0.
  uint64_t mapped_bytes_kept = uint64_t{128} << 20;
};

class Ledger {
 public:
  // Opens (and with `create`, creates) the ledger in directory `dir`. Without `create` a missing
  // ledger is Status::InvalidInput("ledger DIR: not found"). Ledgers of one directory opened in
  // one process share one LMDB environment (LMDB forbids opening a file twice per process).
  static Result<std::unique_ptr<Ledger>> Open(const std::string& dir, bool create);
  static Result<std::unique_ptr<Ledger>> Open(const std::string& dir, bool create,
                                              const LedgerOptions& options);
  virtual ~Ledger() = default;

  // A consistent read-only view; cheap; never blocks or is blocked by a writer. It may outlive
  // the Ledger. Use one Reader from one thread at a time. Release snapshots before a long Write:
  // the map can only grow while this process has no transaction open.
  virtual Result<std::unique_ptr<Reader>> Snapshot() = 0;
  // Runs `fn` inside one write transaction and commits iff it returns OK. If the map fills up the
  // transaction is aborted, the map grown and `fn` run again from scratch, so `fn` must be
  // re-runnable (keep its effects inside the batch). Nothing of a failed batch is ever written.
  // Append errors (a bad record, a key already present, a recorded time going backwards) are
  // returned by Append and also make the whole Write fail, even if `fn` ignores them.
  virtual Status Write(const std::function<Status(WriteBatch&)>& fn) = 0;
  // Recomputes the whole chain from record 1, checks sequences are gapless, recorded times
  // non-decreasing and every record decodes and validates; then that the head in `meta` and the
  // index sizes agree with the records. An operating error (I/O) is a Status; a bad ledger is a
  // report with first_bad set. `progress`, when given, is told every 4,096 records how many have
  // been checked out of how many (for a progress bar).
  using VerifyProgress = std::function<void(uint64_t checked, uint64_t total)>;
  virtual Result<VerifyReport> Verify(const VerifyProgress& progress) = 0;
  Result<VerifyReport> Verify() { return Verify(nullptr); }
};

std::string HashToHex(const Hash& hash);
// Hex SHA-256 of arbitrary bytes (rule texts).
std::string Sha256Hex(std::string_view bytes);

}  // namespace jifen::ledger
