// RAII over the LMDB C API (after hoytech/lmdbxx): one shared environment per ledger directory,
// transactions that abort unless committed, cursors that close when they leave scope. Internal to
// the ledger module.
#pragma once

#include <lmdb.h>

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
};

inline MDB_val ToVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view FromVal(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

class MdbTxn;

// One open environment. LMDB must not open one file twice in a process, so Open hands out the
// same EnvState to every Ledger of a directory while any is alive. Counts the transactions this
// process has open, because the map may only be resized while there are none.
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

  // Begins a transaction into `txn`, adopting a map that another process has grown.
  Status Begin(bool write, MdbTxn* txn);
  // Doubles the map after MDB_MAP_FULL. Fails while this process has transactions open.
  Status Grow();
  size_t MapBytes() const;
  // An LMDB return code as a Status naming the ledger and the operation.
  Status Error(int rc, const char* what) const;

 private:
  friend class MdbTxn;
  EnvState() = default;
  Status OpenDatabases(bool create);
  void Ended();

  MDB_env* env_ = nullptr;
  Dbis dbis_;
  std::string dir_;
  std::mutex mutex_;
  int active_ = 0;  // transactions begun and not yet ended, guarded by mutex_
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
