#include "ledger/lmdb_env.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "ledger/codec.h"
#include "ledger/ledger.h"

namespace jifen::ledger {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kMaxDbs = 8;
constexpr size_t kMapBytesLimit = size_t{1} << 40;  // 1 TiB of address space
constexpr std::string_view kFormatKey = "format";

// Live environments by canonical directory (see EnvState).
std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<std::string, std::weak_ptr<EnvState>>& Registry() {
  static std::map<std::string, std::weak_ptr<EnvState>> registry;
  return registry;
}

size_t RoundUpToMiB(uintmax_t bytes) {
  constexpr uintmax_t kMiB = 1 << 20;
  return static_cast<size_t>((bytes + kMiB - 1) / kMiB * kMiB);
}

// LMDB has no page checksums; it checks page structure with assertions and aborts when one fails,
// which only a damaged data file can cause. Say so and exit with the integrity failure code of
// SPEC.md §5 (3) rather than dump core. Nothing is lost: a process stopped inside LMDB has not
// committed its transaction.
[[noreturn]] void DamagedDataFile(MDB_env* env, const char* message) {
  const char* path = nullptr;
  if (env == nullptr || mdb_env_get_path(env, &path) != 0 || path == nullptr) path = "?";
  std::fprintf(stderr, "jifen: ledger %s: data file damaged (LMDB: %s)\n", path, message);
  std::_Exit(3);
}

}  // namespace

Result<std::shared_ptr<EnvState>> EnvState::Open(const std::string& dir, bool create,
                                                 const LedgerOptions& options) {
  std::error_code ec;
  fs::path path(dir);
  if (!fs::exists(path, ec) || (!create && !fs::exists(path / "data.mdb", ec))) {
    if (!create) return Status::InvalidInput("ledger " + dir + ": not found");
    fs::create_directories(path, ec);
    if (ec) return Status::IOError("ledger " + dir + ": cannot create: " + ec.message());
  }
  if (!fs::is_directory(path, ec))
    return Status::InvalidInput("ledger " + dir + ": not a directory");
  std::string canonical = fs::canonical(path, ec).string();
  if (ec) return Status::IOError("ledger " + dir + ": " + ec.message());

  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (auto live = Registry()[canonical].lock()) return live;

  std::shared_ptr<EnvState> state(new EnvState());
  state->dir_ = dir;
  if (int rc = mdb_env_create(&state->env_); rc != 0) return state->Error(rc, "create environment");
  mdb_env_set_assert(state->env_, DamagedDataFile);
  // Start with room to grow: twice the data file, or the configured size if larger. Address space
  // is cheap and on Linux the file only grows as pages are written.
  uintmax_t file_bytes = fs::file_size(path / "data.mdb", ec);
  if (ec) file_bytes = 0;
  size_t map_bytes = std::max(options.initial_map_bytes, RoundUpToMiB(file_bytes * 2));
  int rc = mdb_env_set_maxdbs(state->env_, kMaxDbs);
  if (rc == 0) rc = mdb_env_set_mapsize(state->env_, map_bytes);
  if (rc == 0) rc = mdb_env_open(state->env_, dir.c_str(), MDB_NOTLS, 0644);
  if (rc != 0) return state->Error(rc, "open environment");
  // Reader slots left behind by killed processes would pin old pages forever.
  int dead = 0;
  if (rc = mdb_reader_check(state->env_, &dead); rc != 0) return state->Error(rc, "reader check");
  if (Status s = state->OpenDatabases(create); !s.ok()) return s;
  Registry()[canonical] = state;
  return state;
}

EnvState::~EnvState() {
  if (env_ != nullptr) mdb_env_close(env_);
}

// Opens the named databases read-only if they all exist, so that opening a ledger never waits
// for another process's import; creates them in a write transaction otherwise.
Status EnvState::OpenDatabases(bool create) {
  static const char* kNames[] = {"records", "keys", "events", "structural", "villages", "meta"};
  MDB_dbi* handles[] = {&dbis_.records,    &dbis_.keys,     &dbis_.events,
                        &dbis_.structural, &dbis_.villages, &dbis_.meta};
  static_assert(std::size(kNames) == std::size(handles));
  for (bool write : {false, true}) {
    MdbTxn txn;
    if (Status s = Begin(write, &txn); !s.ok()) return s;
    int rc = 0;
    for (size_t i = 0; i < std::size(kNames) && rc == 0; ++i) {
      rc = mdb_dbi_open(txn.get(), kNames[i], write ? MDB_CREATE : 0, handles[i]);
    }
    if (rc == MDB_NOTFOUND && !write) continue;
    if (rc != 0) return Error(rc, "open databases");
    MDB_val key = ToVal(kFormatKey), value;
    rc = mdb_get(txn.get(), dbis_.meta, &key, &value);
    if (rc == MDB_NOTFOUND && write) {
      char version = static_cast<char>(kFormatVersion);
      value = MDB_val{1, &version};
      rc = mdb_put(txn.get(), dbis_.meta, &key, &value, 0);
      if (rc != 0) return Error(rc, "write format version");
    } else if (rc == MDB_NOTFOUND) {
      continue;
    } else if (rc != 0) {
      return Error(rc, "read format version");
    } else if (value.mv_size != 1 ||
               *static_cast<const uint8_t*>(value.mv_data) != kFormatVersion) {
      return Status::Corruption("ledger " + dir_ + ": unknown format version");
    }
    if (rc = txn.Commit(); rc != 0) return Error(rc, "open databases");
    return Status::Ok();
  }
  return Status::Corruption("ledger " + dir_ + ": databases missing");
}

Status EnvState::Begin(bool write, MdbTxn* txn) {
  assert(txn->txn_ == nullptr);
  for (int attempt = 0; attempt < 3; ++attempt) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++active_;
    }
    // Outside the mutex: a write begin waits for other processes' writers.
    int rc = mdb_txn_begin(env_, nullptr, write ? 0 : MDB_RDONLY, &txn->txn_);
    if (rc == 0) {
      txn->env_ = this;
      return Status::Ok();
    }
    txn->txn_ = nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    --active_;
    if (rc != MDB_MAP_RESIZED) return Error(rc, "begin transaction");
    // Another process grew the map; adopt its size (allowed only with no transaction open here).
    if (active_ != 0) return Error(rc, "begin transaction with snapshots open");
    if (rc = mdb_env_set_mapsize(env_, 0); rc != 0) return Error(rc, "adopt map size");
  }
  return Error(MDB_MAP_RESIZED, "begin transaction");
}

void EnvState::Ended() {
  std::lock_guard<std::mutex> lock(mutex_);
  --active_;
}

size_t EnvState::MapBytes() const {
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

Status EnvState::Grow() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (active_ != 0) {
    return Status::IOError("ledger " + dir_ + ": map full while " + std::to_string(active_) +
                           " snapshots are open; close them and retry");
  }
  size_t bytes = MapBytes() * 2;
  if (bytes > kMapBytesLimit)
    return Status::IOError("ledger " + dir_ + ": ledger larger than 1 TiB");
  if (int rc = mdb_env_set_mapsize(env_, bytes); rc != 0) return Error(rc, "grow map");
  return Status::Ok();
}

Status EnvState::Error(int rc, const char* what) const {
  std::string message = "ledger " + dir_ + ": " + what + ": " + mdb_strerror(rc);
  if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_INVALID ||
      rc == MDB_VERSION_MISMATCH) {
    return Status::Corruption(message);
  }
  return Status::IOError(message);
}

int MdbTxn::Commit() {
  assert(txn_ != nullptr);
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;
  env_->Ended();
  env_ = nullptr;
  return rc;
}

void MdbTxn::Abort() {
  if (txn_ == nullptr) return;
  mdb_txn_abort(txn_);
  txn_ = nullptr;
  env_->Ended();
  env_ = nullptr;
}

}  // namespace jifen::ledger
