#include "ledger/lmdb_env.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

#include "ledger/codec.h"
#include "ledger/file_size.h"
#include "ledger/ledger.h"

namespace jifen::ledger {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kDbsMax = 8;
constexpr size_t kMapBytesLimit = size_t{1} << 40;  // 1 TiB of address space
constexpr std::string_view kFormatKey = "format";
// How many pages one put can take besides the overflow pages of its value: LMDB copies the path
// to the leaf it changes (a tree is at most 32 deep, CURSOR_STACK in mdb.c) and the path to the
// database's record in the main tree, and a split adds at most one page a level and a new root.
constexpr uint64_t kPagesPerPut = 3 * 32 + 4;
// A write transaction first reserves this much past the pages in use; each later step adds this
// much or a quarter of what the batch has written so far, whichever is more.
constexpr uint64_t kMarginBytesMin = 1 << 20;
constexpr uint64_t kMarginDivisor = 4;

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

// LMDB 0.9 has no call that tells how far a write transaction has got into the file. Its MDB_txn
// (mdb.c) begins with two pointers (the parent and child transactions), then the number of the
// next page it will take from the end of the file, its id and its environment, in that order in
// every 0.9 release. EnvState::ReserveToBegin checks that layout against mdb_txn_id, mdb_env_info
// and the environment at the start of each write transaction before counting on it.
struct TxnHead {
  const void* parent;
  const void* child;
  size_t next_pgno;
  size_t txnid;
  const MDB_env* env;
};

TxnHead ReadTxnHead(MDB_txn* txn) {
  TxnHead head;
  std::memcpy(&head, static_cast<const void*>(txn), sizeof head);
  return head;
}

uint64_t NextPage(MDB_txn* txn) {
  size_t next = 0;
  std::memcpy(&next, reinterpret_cast<const char*>(txn) + offsetof(TxnHead, next_pgno),
              sizeof next);
  return next;
}

std::string MiB(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

// Holds the flock(2) of data.mdb under which its size changes (see EnvState). flock locks are
// independent of the fcntl locks LMDB takes on lock.mdb.
class FileSizeLock {
 public:
  explicit FileSizeLock(int fd) : fd_(fd) {
    while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~FileSizeLock() { flock(fd_, LOCK_UN); }
  FileSizeLock(const FileSizeLock&) = delete;
  FileSizeLock& operator=(const FileSizeLock&) = delete;

 private:
  int fd_;
};

}  // namespace

Result<std::shared_ptr<EnvState>> EnvState::Open(const std::string& dir, bool create,
                                                 const LedgerOptions& options) {
  std::error_code ec;
  fs::path path(dir);
  if (!fs::exists(path, ec) || (!create && !fs::exists(path / "data.mdb", ec))) {
    if (!create) return Status::InvalidInput("ledger " + dir + ": not found");
    fs::create_directories(path, ec);
    if (ec) return Status::IOError("ledger " + dir + ": cannot create: " + ec.message());
    // The ledger names households and people: its owner's alone (evidence/ is 0750, for a
    // backup group).
    fs::permissions(path, fs::perms::owner_all, ec);
  }
  if (!fs::is_directory(path, ec))
    return Status::InvalidInput("ledger " + dir + ": not a directory");
  std::string canonical = fs::canonical(path, ec).string();
  if (ec) return Status::IOError("ledger " + dir + ": " + ec.message());

  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (auto live = Registry()[canonical].lock()) return live;

  std::shared_ptr<EnvState> state(new EnvState());
  state->dir_ = dir;
  state->pending_event_bytes_ = options.pending_event_bytes;
  state->mapped_bytes_kept_ = options.mapped_bytes_kept;
  state->file_fd_ = ::open((path / "data.mdb").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (state->file_fd_ < 0) {
    return Status::IOError("ledger " + dir + ": cannot open data.mdb: " + std::strerror(errno));
  }
  if (int rc = mdb_env_create(&state->env_); rc != 0) return state->Error(rc, "create environment");
  mdb_env_set_assert(state->env_, DamagedDataFile);
  // Start with room to grow: twice the pages in use, or the configured size if larger. Address
  // space is cheap, and the file keeps its size (below).
  int rc = mdb_env_set_maxdbs(state->env_, kDbsMax);
  if (rc == 0) rc = state->OpenMap(options.initial_map_bytes);
  if (rc != 0) return state->Error(rc, "open environment");
  // Reader slots left behind by killed processes would pin old pages forever.
  int dead = 0;
  if (rc = mdb_reader_check(state->env_, &dead); rc != 0) return state->Error(rc, "reader check");
  MDB_stat stat;
  if (rc = mdb_env_stat(state->env_, &stat); rc != 0) return state->Error(rc, "page size");
  state->page_bytes_ = stat.ms_psize;
  if (Status s = state->OpenDatabases(); !s.ok()) return s;
  Registry()[canonical] = state;
  return state;
}

Status KeepFileBetweenWrites(const std::string& dir) {
  std::error_code ec;
  std::string canonical = fs::canonical(dir, ec).string();
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto it = ec ? Registry().end() : Registry().find(canonical);
  std::shared_ptr<EnvState> state = it == Registry().end() ? nullptr : it->second.lock();
  if (!state) return Status::InvalidInput("ledger " + dir + ": not open");
  state->KeepFileBetweenWrites();
  return Status::Ok();
}

EnvState::~EnvState() {
  if (env_ != nullptr && untrimmed_) TrimFile();
  if (env_ != nullptr) mdb_env_close(env_);
  if (file_fd_ >= 0) close(file_fd_);
}

// Opens the environment with a map of twice the pages in use, or `initial_bytes` if larger, and
// never smaller than the file (LMDB would cut it to the map). The file keeps its size: LMDB sizes
// it to the map, and it is put back (a new file keeps the two meta pages LMDB wrote). A writer
// killed during a write leaves the file as long as its map; sizing the next map by the pages in
// use rather than by the file keeps maps from doubling with every such kill.
constexpr unsigned kReadersMax = 1024;

int EnvState::OpenMap(size_t initial_bytes) {
  FileSizeLock lock(file_fd_);
  uint64_t file_bytes = FileBytes();
  size_t map_bytes = std::max(initial_bytes, RoundUpToMiB(file_bytes));
  int rc = mdb_env_set_mapsize(env_, map_bytes);
  // Snapshots open at once: LMDB's default of 126 is too few for `jifen serve`, whose 64 request
  // threads may each hold two or three (a page loads a village, then its period). A slot is 64
  // bytes of lock.mdb.
  if (rc == 0) rc = mdb_env_set_maxreaders(env_, kReadersMax);
  if (rc == 0) rc = mdb_env_open(env_, dir_.c_str(), MDB_NOTLS | MDB_WRITEMAP, 0600);
  uint64_t keep_bytes = file_bytes != 0 || rc != 0 ? file_bytes : UsedBytes();
  if (FileBytes() != keep_bytes && ftruncate(file_fd_, keep_bytes) != 0 && rc == 0) rc = errno;
  // A new file: the map asked for (tests start tiny to exercise growing it).
  if (rc == 0 && file_bytes != 0) {
    if (size_t room = RoundUpToMiB(UsedBytes() * 2); room > map_bytes) rc = SetMapBytes(room);
  }
  return rc;
}

uint64_t EnvState::FileBytes() const {
  struct stat st;
  return fstat(file_fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// The pages up to the newest meta page's last page: what the file must keep.
uint64_t EnvState::UsedBytes() const {
  MDB_envinfo info;
  MDB_stat stat;
  if (mdb_env_info(env_, &info) != 0 || mdb_env_stat(env_, &stat) != 0) return 0;
  return (static_cast<uint64_t>(info.me_last_pgno) + 1) * stat.ms_psize;
}

int EnvState::SetMapBytes(size_t bytes) {
  // Below the file's size LMDB would cut off pages that a writer in another process has been
  // given (ReserveMap); the file's size is put back after LMDB sized it to the map.
  uint64_t file_bytes = FileBytes();
  int rc = mdb_env_set_mapsize(env_, std::max<uint64_t>(bytes, file_bytes));
  if (FileBytes() != file_bytes && ftruncate(file_fd_, file_bytes) != 0 && rc == 0) rc = errno;
  return rc;
}

Status EnvState::ReserveToBegin(MDB_txn* txn) {
  TxnHead head = ReadTxnHead(txn);
  MDB_envinfo info;
  counted_ = mdb_env_info(env_, &info) == 0 && head.parent == nullptr && head.child == nullptr &&
             head.env == env_ && head.txnid == mdb_txn_id(txn) &&
             head.next_pgno == info.me_last_pgno + 1;
  FileSizeLock lock(file_fd_);
  const uint64_t map_bytes = MapBytes();
  reserved_bytes_ = 0;
  if (!counted_) {
    // An LMDB whose transactions are laid out otherwise: blocks for the whole map.
    begin_bytes_ = UsedBytes();
    return Allocate(map_bytes, map_bytes);
  }
  // The file is as long as the map, as LMDB sizes it, and sparse past the reservation. (Cut at the
  // reservation, the kernel maps new pages of the file one or two a page fault instead of many,
  // which made a large import 10% slower.)
  begin_bytes_ = head.next_pgno * page_bytes_;
  if (FileBytes() < map_bytes && ftruncate(file_fd_, static_cast<off_t>(map_bytes)) != 0) {
    return Status::IOError("ledger " + dir_ +
                           ": cannot size data.mdb for writing: " + std::strerror(errno));
  }
  // Margins end on a MiB: a writer that keeps the file between writes (KeepFileBetweenWrites)
  // then finds the blocks there for most of its writes instead of adding a few pages each time.
  return Allocate(std::min(begin_bytes_ + kPagesPerPut * page_bytes_, map_bytes),
                  std::min<uint64_t>(RoundUpToMiB(begin_bytes_ + kMarginBytesMin), map_bytes));
}

Status EnvState::Room(MDB_txn* txn, size_t value_bytes) {
  if (!counted_) return Status::Ok();
  uint64_t need = (NextPage(txn) + kPagesPerPut) * page_bytes_ + value_bytes;
  return need <= reserved_bytes_ ? Status::Ok() : Reserve(need);
}

// The commit writes the root of every changed database into the main tree, then the numbers of
// the pages the transaction freed and of the free pages it took (8 bytes a page, no page twice,
// rewritten while the lists change as it writes them) into LMDB's free-page database, one record a
// page of them or fewer. Each of those trees has every page copied at most once, and each put
// splits at most one page a level and the root.
Status EnvState::RoomToCommit(MDB_txn* txn) {
  if (!counted_) return Status::Ok();
  MDB_stat free_db{}, main_db{};
  int rc = mdb_stat(txn, 0, &free_db);           // FREE_DBI
  if (rc == 0) rc = mdb_stat(txn, 1, &main_db);  // MAIN_DBI
  if (rc != 0) return Error(rc, "free pages");
  auto pages_of = [](const MDB_stat& db) {
    return uint64_t{db.ms_branch_pages} + db.ms_leaf_pages + db.ms_overflow_pages;
  };
  const uint64_t next = NextPage(txn);
  const uint64_t id_pages = next / (page_bytes_ / sizeof(size_t)) + 1;
  const uint64_t puts = kDbsMax + 4 + id_pages;
  const uint64_t depth = std::max(free_db.ms_depth, main_db.ms_depth) + 1;
  const uint64_t pages = pages_of(free_db) + pages_of(main_db) + puts * (depth + 1) + 4 * id_pages;
  const uint64_t need = (next + pages) * page_bytes_;
  return need <= reserved_bytes_ ? Status::Ok() : Reserve(need);
}

Status EnvState::Reserve(uint64_t need) {
  FileSizeLock lock(file_fd_);
  const uint64_t map_bytes = MapBytes();
  // LMDB takes no page past the map (MDB_MAP_FULL).
  need = std::min(need, map_bytes);
  if (need <= reserved_bytes_) return Status::Ok();
  uint64_t batch = need - std::min(need, begin_bytes_);
  uint64_t margin = std::max(kMarginBytesMin, batch / kMarginDivisor);
  uint64_t want = RoundUpToMiB(need + margin);  // on a MiB, as in ReserveToBegin
  return Allocate(need, std::min(want, map_bytes));
}

Status EnvState::Allocate(uint64_t need, uint64_t want) {
  const uint64_t from = reserved_bytes_;
  auto allocate = [&](uint64_t to) {
    if (fallocate(file_fd_, 0, static_cast<off_t>(from), static_cast<off_t>(to - from)) == 0) {
      return true;
    }
    // A failed fallocate may keep blocks it took. Past the pages in use and the reservation so
    // far nothing has been written: give them back.
    int error = errno;
    uint64_t at = std::max(from, begin_bytes_);
    if (to > at) {
      (void)fallocate(file_fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(at),
                      static_cast<off_t>(to - at));
    }
    errno = error;
    return false;
  };
  if (allocate(want)) {
    reserved_bytes_ = want;
    return Status::Ok();
  }
  int error = errno;
  if (error == EOPNOTSUPP || error == ENOSYS) {
    // A file system without fallocate: a sparse file, as LMDB itself would leave it.
    const uint64_t map_bytes = MapBytes();
    if (FileBytes() >= map_bytes || ftruncate(file_fd_, static_cast<off_t>(map_bytes)) == 0) {
      counted_ = false;
      reserved_bytes_ = map_bytes;
      return Status::Ok();
    }
    error = errno;
  }
  // Without room for the margin, room for what the work needs is enough.
  if (error == ENOSPC && need < want) {
    if (allocate(need)) {
      reserved_bytes_ = need;
      return Status::Ok();
    }
    error = errno;
  }
  if (error != ENOSPC) {
    return Status::IOError("ledger " + dir_ + ": cannot reserve " + std::to_string(need) +
                           " bytes of disk for writing: " + std::strerror(error));
  }
  struct stat st {};
  const uint64_t has = fstat(file_fd_, &st) == 0 ? uint64_t(st.st_blocks) * 512 : 0;
  return Status::IOError("ledger " + dir_ + ": disk full: data.mdb needs " + std::to_string(need) +
                         " bytes of disk (" + MiB(need) + ") for this write so far; it has " +
                         std::to_string(has) + " and the disk " + std::to_string(FreeDiskBytes()) +
                         " more free");
}

void EnvState::TrimFile() {
  // Inside a write transaction: no other process is writing pages past the ones in use.
  MDB_txn* txn = nullptr;
  if (mdb_txn_begin(env_, nullptr, 0, &txn) != 0) return;
  {
    FileSizeLock lock(file_fd_);
    uint64_t used = UsedBytes();
    // Also when the size is right: a failed fallocate may have left blocks past the end.
    if (used != 0 && FileBytes() >= used) (void)!ftruncate(file_fd_, used);
  }
  mdb_txn_abort(txn);
}

// Opens the named databases read-only if they all exist, so that opening a ledger never waits
// for another process's import; creates them in a write transaction otherwise.
Status EnvState::OpenDatabases() {
  static const char* kNames[] = {"records",  "keys", "events",    "structural",
                                 "villages", "meta", "tree_nodes"};
  MDB_dbi* handles[] = {&dbis_.records,  &dbis_.keys, &dbis_.events,     &dbis_.structural,
                        &dbis_.villages, &dbis_.meta, &dbis_.tree_nodes};
  static_assert(std::size(kNames) == std::size(handles));
  for (bool write : {false, true}) {
    MdbTxn txn;
    if (Status s = Begin(write, &txn); !s.ok()) return s;
    int rc = 0;
    for (size_t i = 0; i < std::size(kNames) && rc == 0; ++i) {
      if (write) {
        if (Status s = Room(txn.get(), 0); !s.ok()) return s;
      }
      rc = mdb_dbi_open(txn.get(), kNames[i], write ? MDB_CREATE : 0, handles[i]);
    }
    if (rc == MDB_NOTFOUND && !write) continue;
    if (rc != 0) return Error(rc, "open databases");
    MDB_val key = ToVal(kFormatKey), value;
    rc = mdb_get(txn.get(), dbis_.meta, &key, &value);
    if (rc == MDB_NOTFOUND && write) {
      char version = static_cast<char>(kStoreFormatVersion);
      value = MDB_val{1, &version};
      if (Status s = Room(txn.get(), value.mv_size); !s.ok()) return s;
      rc = mdb_put(txn.get(), dbis_.meta, &key, &value, 0);
      if (rc != 0) return Error(rc, "write format version");
      format_ = kStoreFormatVersion;
    } else if (rc == MDB_NOTFOUND) {
      continue;
    } else if (rc != 0) {
      return Error(rc, "read format version");
    } else if (value.mv_size != 1 || *static_cast<const uint8_t*>(value.mv_data) > kStoreFormatVersion ||
               *static_cast<const uint8_t*>(value.mv_data) < kOldestFormatVersion) {
      return Status::Corruption("ledger " + dir_ + ": unknown format version");
    } else {
      format_ = *static_cast<const uint8_t*>(value.mv_data);
    }
    if (write) {
      if (Status s = RoomToCommit(txn.get()); !s.ok()) return s;
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
      txn->write_ = write;
      if (!write) return Status::Ok();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++writing_;
      }
      Status reserved = ReserveToBegin(txn->txn_);
      if (!reserved.ok()) txn->Abort();
      return reserved;
    }
    txn->txn_ = nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    --active_;
    if (rc != MDB_MAP_RESIZED) return Error(rc, "begin transaction");
    // Another process grew the map; adopt its size (allowed only with no transaction open here).
    if (active_ != 0) return Error(rc, "begin transaction with snapshots open");
    FileSizeLock size_lock(file_fd_);
    if (rc = SetMapBytes(0); rc != 0) return Error(rc, "adopt map size");
  }
  return Error(MDB_MAP_RESIZED, "begin transaction");
}

void EnvState::Ended(bool write) {
  // Every page a committed transaction took had blocks: it never went past its reservation. (A
  // write transaction of another thread may have begun since; it starts past these pages.)
  assert(!write || !counted_ || UsedBytes() <= std::max(reserved_bytes_, begin_bytes_));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --active_;
    if (write) --writing_;
  }
  if (write && trim_after_write_) TrimFile();
  if (write && !trim_after_write_) untrimmed_ = true;
}

void EnvState::ReleaseMappedPages() const {
  static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (writing_ != 0) return;  // its dirty pages are the transaction's until it commits
  }
  // statm's third field: resident pages backed by files (RssFile + RssShmem).
  uint64_t size = 0, resident = 0, shared = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "re")) {
    if (std::fscanf(statm, "%" SCNu64 " %" SCNu64 " %" SCNu64, &size, &resident, &shared) != 3)
      shared = 0;
    std::fclose(statm);
  }
  if (shared * page <= mapped_bytes_kept_) return;
  // LMDB does not tell where it mapped the file (mdb_env_info's me_mapaddr is for MDB_FIXEDMAP
  // only): find the mapping of data.mdb by device and inode.
  struct stat st;
  if (fstat(file_fd_, &st) != 0) return;
  std::FILE* maps = std::fopen("/proc/self/maps", "re");
  if (maps == nullptr) return;
  char* line = nullptr;
  size_t capacity = 0;
  while (getline(&line, &capacity, maps) > 0) {
    uintptr_t begin = 0, end = 0;
    unsigned major = 0, minor = 0;
    unsigned long long inode = 0;
    if (std::sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %*s %x:%x %llu", &begin, &end, &major,
                    &minor, &inode) == 5 &&
        inode == st.st_ino && makedev(major, minor) == st.st_dev) {
      madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
    }
  }
  std::free(line);
  std::fclose(maps);
}

size_t EnvState::MapBytes() const {
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

uint64_t EnvState::FreeDiskBytes() const {
  struct statvfs vfs;
  if (fstatvfs(file_fd_, &vfs) != 0) return 0;
  return static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
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
  // Address space only: disk is reserved as a write goes (Room).
  FileSizeLock size_lock(file_fd_);
  if (int rc = SetMapBytes(bytes); rc != 0) return Error(rc, "grow map");
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
  env_->Ended(write_);
  env_ = nullptr;
  return rc;
}

void MdbTxn::Abort() {
  if (txn_ == nullptr) return;
  mdb_txn_abort(txn_);
  txn_ = nullptr;
  env_->Ended(write_);
  env_ = nullptr;
}

}  // namespace jifen::ledger
