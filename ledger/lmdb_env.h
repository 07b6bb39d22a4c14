// RAII over the LMDB C API (after hoytech/lmdbxx): one shared environment per ledger directory,
// transactions that abort unless committed, cursors that close when they leave scope. Internal to
// the ledger module.
#pragma once

#include <lmdb.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "util/status.h"

namespace jifen::ledger {

struct LedgerOptions;

// The named databases of ledger/FORMAT.md.
struct Dbis {
  MDB_dbi records = 0;
  MDB_dbi keys = 0;
  MDB_dbi events = 0;
  MDB_dbi structural = 0;
  MDB_dbi villages = 0;
  MDB_dbi meta = 0;
  MDB_dbi tree_nodes = 0;  // the Merkle tree's complete subtrees at levels 8, 16, … (merkle.h)
};

// The version of the store in meta "format": 2 added the index entries' values, 3 the Merkle
// tree. Records keep their own version (kFormatVersion, ledger/codec.h).
inline constexpr uint8_t kStoreFormatVersion = 3;

inline MDB_val ToVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view FromVal(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

class MdbTxn;

// One open environment. LMDB must not open one file twice in a process, so Open hands out the
// same EnvState to every Ledger of a directory while any is alive. Counts the transactions this
// process has open, because the map may only be resized while there are none.
//
// The map is writable (MDB_WRITEMAP): a write transaction's pages are written in place in the
// map instead of in pages malloc'd for the transaction and copied to the file at commit. LMDB
// then sizes data.mdb to the map whenever it maps it; so that the file stays the size of its data
// at rest and no process ever shrinks it under another one's writes, every change of its size
// is made under an flock(2) of data.mdb: at open and on every resize the size found is put back.
// A write transaction has the file's blocks allocated (fallocate) ahead of the pages it writes:
// the pages in use and a margin when it begins, and more, in steps scaled to what the batch has
// written, before any put or commit that could go past them. A full disk is then an error before
// the put, not a SIGBUS when a page is first touched. Once the transaction is over, the file is
// cut back to the pages in use under LMDB's writer lock (ledger/FORMAT.md "The data file"), or,
// after KeepFileBetweenWrites (ledger/file_size.h), when the environment is closed.
class EnvState {
 public:
  static Result<std::shared_ptr<EnvState>> Open(const std::string& dir, bool create,
                                                const LedgerOptions& options);
  ~EnvState();
  EnvState(const EnvState&) = delete;
  EnvState& operator=(const EnvState&) = delete;

  MDB_env* env() const { return env_; }
  const Dbis& dbis() const { return dbis_; }
  const std::string& dir() const { return dir_; }
  // The format version in meta (kOldestFormatVersion..kStoreFormatVersion); Ledger::Open upgrades
  // an older one.
  uint8_t format() const { return format_; }
  // LedgerOptions::pending_event_bytes of the first Open of this environment in the process.
  size_t pending_event_bytes() const { return pending_event_bytes_; }

  // Begins a transaction into `txn`, adopting a map that another process has grown. A write
  // transaction gets blocks for the pages in use and a first margin (Status::IOError when the
  // disk is full).
  Status Begin(bool write, MdbTxn* txn);
  // Before a put of a value of `value_bytes` in the write transaction `txn`: makes sure the file
  // has blocks for every page the put can take, growing the reservation by a step when it does
  // not. Status::IOError naming the ledger and the bytes missing when the disk is full; the
  // transaction must then be aborted.
  Status Room(MDB_txn* txn, size_t value_bytes);
  // The same before committing `txn`: room for LMDB's list of free pages and the databases' roots.
  Status RoomToCommit(MDB_txn* txn);
  // Doubles the map after MDB_MAP_FULL. Fails while this process has transactions open.
  Status Grow();
  size_t MapBytes() const;
  // An LMDB return code as a Status naming the ledger and the operation.
  Status Error(int rc, const char* what) const;
  // When files take more than LedgerOptions::mapped_bytes_kept of this process's resident set,
  // unmaps this ledger's map (MADV_DONTNEED) unless a write transaction of this process is open.
  // The pages stay in the page cache, and pointers into the map stay valid: the next read of a
  // page maps it again from there. Long reads (verify, compare, log) call it as they go, so that
  // their resident set does not grow to the size of the file; it costs about 6% of a year's
  // compare, because a village's entries sit on consecutive pages.
  void ReleaseMappedPages() const;
  // Leaves the file uncut after each write transaction, cut when closed (ledger/file_size.h).
  void KeepFileBetweenWrites() { trim_after_write_ = false; }

 private:
  uint8_t format_ = 0;
  friend class MdbTxn;
  EnvState() = default;
  int OpenMap(size_t initial_bytes);
  Status OpenDatabases();
  void Ended(bool write);
  // Resizes the map (no transaction open in this process; the caller holds the file lock), never
  // below the file's size, and puts the file's size back.
  int SetMapBytes(size_t bytes);
  // At the start of a write transaction: blocks for the pages in use and a first margin.
  Status ReserveToBegin(MDB_txn* txn);
  // Makes the file's blocks reach `need` bytes, and a margin past them scaled to what the batch
  // has written when the disk has room for it.
  Status Reserve(uint64_t need);
  // Allocates the file's blocks from `reserved_bytes_` to `want` bytes, or to `need` when the disk
  // has no room for `want` (the caller holds the file lock). Status::IOError when it has none for
  // `need` either.
  Status Allocate(uint64_t need, uint64_t want);
  // Cuts the file back to the pages in use, after a write transaction.
  void TrimFile();
  uint64_t FileBytes() const;
  uint64_t UsedBytes() const;
  uint64_t FreeDiskBytes() const;

  MDB_env* env_ = nullptr;
  int file_fd_ = -1;  // data.mdb, for the flock that guards its size, fstat and (f)allocate
  Dbis dbis_;
  std::string dir_;
  size_t pending_event_bytes_ = 0;
  uint64_t mapped_bytes_kept_ = 0;
  std::atomic<bool> trim_after_write_{true};  // false: KeepFileBetweenWrites (ledger/file_size.h)
  std::atomic<bool> untrimmed_{false};        // a write ended without TrimFile: trimmed when closed
  mutable std::mutex mutex_;
  int active_ = 0;   // transactions begun and not yet ended, guarded by mutex_
  int writing_ = 0;  // write transactions among them, guarded by mutex_
  // The reservation of the write transaction open in this process (only its thread uses these;
  // LMDB lets one write transaction run at a time). While `counted_`, the file has blocks up to
  // `reserved_bytes_` and is sparse past them up to the map; `begin_bytes_` is where the
  // transaction's pages started. Not `counted_`: the whole map was reserved (ReserveToBegin), or
  // the file system has no fallocate and the file is sparse, as LMDB leaves it.
  bool counted_ = false;
  uint64_t reserved_bytes_ = 0;
  uint64_t begin_bytes_ = 0;
  uint64_t page_bytes_ = 4096;
};

// A transaction that aborts unless committed.
class MdbTxn {
 public:
  MdbTxn() = default;
  ~MdbTxn() { Abort(); }
  MdbTxn(const MdbTxn&) = delete;
  MdbTxn& operator=(const MdbTxn&) = delete;

  MDB_txn* get() const { return txn_; }
  // Commits; the transaction is over whatever the result (LMDB frees it either way).
  int Commit();
  void Abort();

 private:
  friend class EnvState;
  MDB_txn* txn_ = nullptr;
  EnvState* env_ = nullptr;
  bool write_ = false;
};

// A cursor that closes when it leaves scope (before its write transaction commits).
class MdbCursor {
 public:
  MdbCursor() = default;
  ~MdbCursor() {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
  }
  MdbCursor(const MdbCursor&) = delete;
  MdbCursor& operator=(const MdbCursor&) = delete;
  int Open(MDB_txn* txn, MDB_dbi dbi) { return mdb_cursor_open(txn, dbi, &cursor_); }
  MDB_cursor* get() const { return cursor_; }

 private:
  MDB_cursor* cursor_ = nullptr;
};

}  // namespace jifen::ledger
