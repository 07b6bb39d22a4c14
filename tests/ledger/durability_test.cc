// The ledger on disk: tampering, killed writers, a full map, concurrent writers.
#include <gtest/gtest.h>
#include <lmdb.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "ledger/codec.h"
#include "ledger/file_size.h"
#include "ledger/ledger.h"
#include "ledger/sha256.h"
#include "tests/common/files.h"
#include "tests/common/run_binary.h"
#include "tests/common/small_disk.h"
#include "tests/ledger/ledger_test_util.h"

namespace jifen::ledger {
namespace {

using testing::AppendAll;
using testing::Award;
using testing::OpenOrDie;
using testing::VerifiedRecords;

using jifen::tests::ReadFile;
using jifen::tests::WriteFile;

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

std::vector<Record> TenAwards(const std::string& marker_reason) {
  std::vector<Record> records;
  for (int i = 1; i <= 10; ++i) {
    records.push_back(
        Award("SYS", "a" + std::to_string(i), "2022-03-05", i == 5 ? marker_reason : "x"));
  }
  return records;
}

TEST(Durability, AFlippedByteOnDiskIsNamedByVerifyAndRefusedByReads) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  const std::string marker = "TAMPER-MARK-0123456789";
  {
    auto ledger = OpenOrDie(dir);
    // One transaction, so that each page is written once and the marker appears once on disk.
    ASSERT_TRUE(AppendAll(*ledger, TenAwards(marker)).ok());
  }
  std::string bytes = ReadFile(dir + "/data.mdb");
  ASSERT_EQ(Count(bytes, marker), 1u);
  bytes[bytes.find(marker) + 7] ^= 0x01;  // 'M' -> 'L'
  WriteFile(dir + "/data.mdb", bytes);

  auto ledger = OpenOrDie(dir, false);
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_TRUE(report->first_bad);
  EXPECT_EQ(*report->first_bad, 5u);
  EXPECT_EQ(report->records, 4u);
  EXPECT_EQ(report->reason, "record 5: hash does not match its bytes and the previous hash");
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_TRUE(snap->Get(4).ok());
  EXPECT_EQ(snap->Get(5).status().code(), Status::Code::kCorruption);
  EXPECT_TRUE(snap->Get(6).ok());  // its own hash still follows from the stored hash of 5
  Status s = snap->ForEachRecord(1, [](const Record&) { return true; });
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  s = snap->ForEachEvent("SYS", Date::FromCivil(2022, 3, 1), Date::FromCivil(2022, 3, 31),
                         UINT64_MAX, [](const Record&) { return true; });
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(), "record 5: hash does not match its bytes and the previous hash");
}

// Rewrites the records database with raw LMDB as someone holding the file could: `edit` changes
// the decoded records (or drops one by clearing its village), then the chain and head are
// recomputed so that only the semantic checks of Verify can notice.
void RewriteLedger(const std::string& dir, const std::function<void(std::vector<Record>&)>& edit) {
  testing::WithRawWriteTxn(dir, [&](MDB_txn* txn) {
    MDB_dbi records, meta;
    ASSERT_EQ(mdb_dbi_open(txn, "records", 0, &records), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    std::vector<Record> all;
    MDB_cursor* cursor;
    ASSERT_EQ(mdb_cursor_open(txn, records, &cursor), 0);
    MDB_val key, value;
    for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
      Record r;
      std::string_view v(static_cast<const char*>(value.mv_data), value.mv_size);
      ASSERT_TRUE(DecodeRecord(v.substr(kStoredHashBytes), &r).ok());
      all.push_back(r);
    }
    mdb_cursor_close(cursor);
    edit(all);
    ASSERT_EQ(mdb_drop(txn, records, 0), 0);
    Hash hash{};
    for (const Record& r : all) {
      if (r.village.empty()) continue;
      std::string bytes;
      EncodeRecord(r, &bytes);
      hash = ChainHash(hash, bytes);
      std::string stored(reinterpret_cast<const char*>(hash.data()), hash.size());
      stored += bytes;
      char k[8];
      PutBigEndian64(r.sequence, k);
      MDB_val mk{8, k}, mv{stored.size(), stored.data()};
      ASSERT_EQ(mdb_put(txn, records, &mk, &mv, 0), 0);
    }
  });
}

TEST(Durability, VerifyNamesASequenceGap) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  {
    auto ledger = OpenOrDie(dir);
    ASSERT_TRUE(AppendAll(*ledger, TenAwards("x")).ok());
  }
  RewriteLedger(dir, [](std::vector<Record>& all) { all[2].village.clear(); });
  auto report = OpenOrDie(dir, false)->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->first_bad);
  EXPECT_EQ(*report->first_bad, 3u);
  EXPECT_EQ(report->reason, "missing: sequence gap, next stored is 4");
}

TEST(Durability, VerifyNamesARecordedTimeGoingBackwardsEvenWithARecomputedChain) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  {
    auto ledger = OpenOrDie(dir);
    ASSERT_TRUE(AppendAll(*ledger, TenAwards("x")).ok());
  }
  RewriteLedger(dir, [](std::vector<Record>& all) { all[6].recorded.utc_seconds -= 1; });
  auto report = OpenOrDie(dir, false)->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->first_bad);
  EXPECT_EQ(*report->first_bad, 7u);
  EXPECT_EQ(report->reason,
            "recorded 2022-03-31T19:59:59+08:00 goes back before 2022-03-31T20:00:00+08:00");
}

TEST(Durability, VerifyNamesAHeadThatNoLongerMatches) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  {
    auto ledger = OpenOrDie(dir);
    ASSERT_TRUE(AppendAll(*ledger, TenAwards("x")).ok());
  }
  // Recomputing the chain after an edit changes every later hash, the head's included.
  RewriteLedger(dir, [](std::vector<Record>& all) { all[0].reason = "y"; });
  auto ledger = OpenOrDie(dir, false);
  auto report = ledger->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->first_bad);
  EXPECT_EQ(report->records, 10u);
  EXPECT_NE(report->reason.find("head does not match the last record"), std::string::npos)
      << report->reason;
  EXPECT_EQ(ledger->Snapshot().status().code(), Status::Code::kCorruption);
}

// Ends a forked writer with `code`, saying why on stderr (a full disk on a shared machine is named
// there, not only as an exit code).
[[noreturn]] void ChildFails(int code, const Status& why) {
  std::fprintf(stderr, "writer %d: %s\n", static_cast<int>(getpid()), why.message().c_str());
  _exit(code);
}

// Appends batches of kBatch records until killed. Every record of batch K has reason "batch K".
constexpr int kBatch = 20;
[[noreturn]] void AppendBatchesForever(const std::string& dir, const std::string& prefix) {
  auto ledger = Ledger::Open(dir, false);
  if (!ledger.ok()) ChildFails(2, ledger.status());
  for (int n = 0;; ++n) {
    Status s = (*ledger)->Write([&](WriteBatch& batch) {
      uint64_t k = batch.HeadSequence() / kBatch;
      for (int i = 0; i < kBatch; ++i) {
        Record r = Award("SYS", prefix + std::to_string(k) + "-" + std::to_string(i), "2022-03-05",
                         "batch " + std::to_string(k));
        if (Status s = batch.Append(r); !s.ok()) return s;
      }
      return Status::Ok();
    });
    if (!s.ok()) ChildFails(3, s);
  }
}

TEST(Durability, AWriterKilledAtRandomMomentsLeavesOnlyWholeBatches) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  OpenOrDie(dir);
  std::mt19937 random(20220305);
  // 60 kills whatever the time they take. On a loaded machine a writer may be killed before it
  // commits anything, every time: while the ledger is still empty, each writer gets twice as long
  // before it is killed, up to 16 s.
  std::chrono::microseconds floor{0};
  for (int kills = 0; kills < 60; ++kills) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) AppendBatchesForever(dir, "b");
    std::this_thread::sleep_for(
        floor + std::chrono::microseconds(std::uniform_int_distribution<int>(3000, 40000)(random)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited with " << WEXITSTATUS(status);
    if ((*OpenOrDie(dir, false)->Snapshot())->HeadSequence() == 0) {
      ASSERT_LT(floor, std::chrono::seconds(16))
          << "no writer committed a batch of " << kBatch << " records in 16 s"
          << jifen::tests::LoadAverage();
      floor = std::max<std::chrono::microseconds>(2 * floor, std::chrono::milliseconds(20));
    }
  }

  auto ledger = OpenOrDie(dir, false);
  uint64_t records = VerifiedRecords(*ledger);
  EXPECT_GT(records, 0u);
  EXPECT_EQ(records % kBatch, 0u);
  auto snap = std::move(ledger->Snapshot().value());
  Status s = snap->ForEachRecord(1, [&](const Record& r) {
    uint64_t k = (r.sequence - 1) / kBatch, i = (r.sequence - 1) % kBatch;
    EXPECT_EQ(r.reason, "batch " + std::to_string(k));
    EXPECT_EQ(r.id, "b" + std::to_string(k) + "-" + std::to_string(i));
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(Durability, TwoProcessesWritingAtOnceBothSucceedWhole) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  OpenOrDie(dir);
  constexpr int kWrites = 100, kPerWrite = 5;
  pid_t children[2];
  for (int c = 0; c < 2; ++c) {
    children[c] = fork();
    ASSERT_GE(children[c], 0);
    if (children[c] != 0) continue;
    auto ledger = Ledger::Open(dir, false);
    if (!ledger.ok()) ChildFails(2, ledger.status());
    for (int n = 0; n < kWrites; ++n) {
      Status s = (*ledger)->Write([&](WriteBatch& batch) {
        for (int i = 0; i < kPerWrite; ++i) {
          Record r = Award(
              "SYS", "p" + std::to_string(c) + "-" + std::to_string(n) + "-" + std::to_string(i),
              "2022-03-05", "writer " + std::to_string(c));
          if (Status s = batch.Append(r); !s.ok()) return s;
        }
        return Status::Ok();
      });
      if (!s.ok()) ChildFails(3, s);
    }
    _exit(0);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  auto ledger = OpenOrDie(dir, false);
  EXPECT_EQ(VerifiedRecords(*ledger), 2u * kWrites * kPerWrite);
  auto snap = std::move(ledger->Snapshot().value());
  for (int c = 0; c < 2; ++c) {
    for (int n = 0; n < kWrites; ++n) {
      auto first = snap->FindKey("SYS", "p" + std::to_string(c) + "-" + std::to_string(n) + "-0");
      ASSERT_TRUE(first);
      // A batch is contiguous: no record of the other writer inside it.
      for (int i = 1; i < kPerWrite; ++i) {
        EXPECT_EQ(snap->FindKey("SYS", "p" + std::to_string(c) + "-" + std::to_string(n) + "-" +
                                           std::to_string(i)),
                  *first + i);
      }
    }
  }
}

TEST(Durability, AFullMapGrowsAndTheBatchIsRunAgainFromScratch) {
  tests::ScratchDir tmp;
  LedgerOptions options;
  options.initial_map_bytes = 64 << 10;
  auto opened = Ledger::Open(tmp.Path("l"), true, options);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  auto& ledger = *opened;
  constexpr int kRecords = 3000;
  int runs = 0;
  Status s = ledger->Write([&](WriteBatch& batch) {
    ++runs;
    EXPECT_EQ(batch.HeadSequence(), 0u);  // every run starts from an untouched ledger
    for (int i = 0; i < kRecords; ++i) {
      Record r = Award("SYS", "a" + std::to_string(i), "2022-03-05", std::string(200, 'r'));
      if (Status s = batch.Append(r); !s.ok()) return s;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_GT(runs, 1);
  EXPECT_EQ(VerifiedRecords(*ledger), uint64_t{kRecords});
  auto snap = std::move(ledger->Snapshot().value());
  EXPECT_EQ(snap->FindKey("SYS", "a2999"), uint64_t{kRecords});
}

TEST(Durability, AFullMapWithASnapshotOpenFailsWithoutWritingAnything) {
  tests::ScratchDir tmp;
  LedgerOptions options;
  options.initial_map_bytes = 64 << 10;
  auto ledger = std::move(Ledger::Open(tmp.Path("l"), true, options).value());
  ASSERT_TRUE(AppendAll(*ledger, {Award("SYS", "first", "2022-03-05")}).ok());
  auto write_many = [&] {
    return ledger->Write([&](WriteBatch& batch) {
      for (int i = 0; i < 3000; ++i) {
        Record r = Award("SYS", "a" + std::to_string(i), "2022-03-05", std::string(200, 'r'));
        if (Status s = batch.Append(r); !s.ok()) return s;
      }
      return Status::Ok();
    });
  };
  auto snap = std::move(ledger->Snapshot().value());
  Status s = write_many();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_NE(s.message().find("map full while 1 snapshots are open"), std::string::npos)
      << s.message();
  snap.reset();
  EXPECT_EQ(ledger->Snapshot().value()->HeadSequence(), 1u);
  ASSERT_TRUE(write_many().ok());
  EXPECT_EQ(ledger->Snapshot().value()->HeadSequence(), 3001u);
}

// The bytes of disk the file at `path` holds.
uint64_t BlockBytes(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return uint64_t(st.st_blocks) * 512;
}

// The map is writable (MDB_WRITEMAP, ledger/FORMAT.md "The data file"): LMDB sizes data.mdb to the
// map, and jifen keeps it the size of its pages except during a write, when it has blocks for the
// pages in use and a margin that grows with the batch, never for the whole map.
TEST(Durability, TheDataFileHasBlocksForWhatTheBatchWritesDuringAWriteAndOnlyItsPagesAtRest) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  const std::string data = dir + "/data.mdb";
  LedgerOptions options;
  options.initial_map_bytes = 256 << 20;
  auto ledger = std::move(Ledger::Open(dir, true, options).value());
  uint64_t during = 0;
  Status s = ledger->Write([&](WriteBatch& batch) {
    Record r = Award("SYS", "a1", "2022-03-05");
    if (Status s = batch.Append(r); !s.ok()) return s;
    during = BlockBytes(data);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  // Blocks, not a sparse file (a full disk is an error before the write, never a SIGBUS in it),
  // for the pages in use and a margin of about 1 MiB: not for the map of 256 MiB.
  uint64_t at_rest = std::filesystem::file_size(data);
  EXPECT_LT(at_rest, uint64_t{1} << 20);
  EXPECT_GE(during, uint64_t{1} << 20);
  EXPECT_LE(during, uint64_t{4} << 20);

  // A batch of 20,000 records: the blocks grow in steps as it writes, never far ahead of it.
  constexpr int kRecords = 20000;
  std::vector<uint64_t> steps;
  s = ledger->Write([&](WriteBatch& batch) {
    for (int i = 0; i < kRecords; ++i) {
      Record r = Award("SYS", "b" + std::to_string(i), "2022-03-05", std::string(300, 'r'));
      if (Status s = batch.Append(r); !s.ok()) return s;
      if (i % 500 == 0 && (steps.empty() || BlockBytes(data) != steps.back())) {
        steps.push_back(BlockBytes(data));
      }
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  uint64_t written = std::filesystem::file_size(data);
  EXPECT_GT(written, uint64_t{8} << 20);
  EXPECT_GT(steps.size(), 3u);
  EXPECT_LE(steps.back(), written + written / 4 + (uint64_t{2} << 20));
  // Its pages (and the file system's own blocks for a file of many extents), no margin.
  EXPECT_GE(BlockBytes(data), written);
  EXPECT_LT(BlockBytes(data), written + (uint64_t{1} << 20));
  ledger.reset();
  auto reopened = OpenOrDie(dir, false);  // maps at least twice its pages, and keeps its size
  EXPECT_EQ(std::filesystem::file_size(data), written);
  EXPECT_EQ(VerifiedRecords(*reopened), 1u + kRecords);
}

// `jifen serve`'s writes (KeepFileBetweenWrites, ledger/file_size.h): between writes the file keeps
// its reserved blocks, so the next write allocates only the pages the last one took past them
// (no block is freed and allocated again); it is cut back to its pages when closed.
TEST(Durability, AServersLedgerKeepsItsReservedBlocksBetweenWritesAndIsCutBackWhenClosed) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  const std::string data = dir + "/data.mdb";
  LedgerOptions options;
  options.initial_map_bytes = 256 << 20;
  auto ledger = std::move(Ledger::Open(dir, true, options).value());
  ASSERT_TRUE(KeepFileBetweenWrites(dir).ok());
  std::vector<uint64_t> blocks;
  for (int i = 0; i < 3; ++i) {
    Status s = ledger->Write([&](WriteBatch& batch) {
      Record r = Award("SYS", "a" + std::to_string(i), "2022-03-05");
      return batch.Append(r);
    });
    ASSERT_TRUE(s.ok()) << s.message();
    blocks.push_back(BlockBytes(data));
  }
  EXPECT_GE(blocks[0], uint64_t{1} << 20);                  // the margin stays
  EXPECT_GE(blocks[2], blocks[0]);                          // kept, not freed
  EXPECT_LT(blocks[2], blocks[0] + (uint64_t{256} << 10));  // and a few pages more
  EXPECT_GT(std::filesystem::file_size(data), uint64_t{1} << 20);
  ledger.reset();
  EXPECT_LT(std::filesystem::file_size(data), uint64_t{1} << 20);
  EXPECT_LT(BlockBytes(data), uint64_t{1} << 20);
  EXPECT_EQ(VerifiedRecords(*OpenOrDie(dir, false)), 3u);
}

// The disk runs out at a step of the reservation, in the middle of a batch, on a real small file
// system: the batch is refused whole with a message naming the ledger and the bytes it needed,
// the process is not killed (SIGBUS) and the blocks it had taken are given back; a batch that fits
// in what is left is written; with room again, the refused batch goes in whole.
TEST(Durability, AFullDiskAtAStepOfTheReservationRefusesTheWholeBatchAndNamesTheBytes) {
  jifen::tests::SmallDisk disk(16 << 20);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  const std::string dir = disk.path() + "/l";
  const std::string data = dir + "/data.mdb";
  auto ledger = OpenOrDie(dir);
  ASSERT_TRUE(AppendAll(*ledger, {Award("SYS", "first", "2022-03-05")}).ok());
  const uint64_t at_rest = std::filesystem::file_size(data);

  int appended = 0;
  auto write = [&](const std::string& prefix, int records) {
    return ledger->Write([&](WriteBatch& batch) {
      for (appended = 0; appended < records; ++appended) {
        Record r =
            Award("SYS", prefix + std::to_string(appended), "2022-03-05", std::string(1000, 'r'));
        if (Status s = batch.Append(r); !s.ok()) return s;
      }
      return Status::Ok();
    });
  };
  // Room for the first margin of a write (1 MiB) and a few steps past it, not for 8,000 records
  // of over 1 KB each.
  ASSERT_TRUE(disk.FillLeaving(4 << 20)) << disk.FreeBytes();
  Status s = write("big", 8000);
  ASSERT_EQ(s.code(), Status::Code::kIOError) << s.message();
  EXPECT_NE(s.message().find("ledger " + dir + ": disk full: data.mdb needs "), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find(" bytes of disk ("), std::string::npos) << s.message();
  EXPECT_GT(appended, 1000) << "refused before the batch had written past its first margin";
  EXPECT_LT(appended, 8000);
  EXPECT_EQ(ledger->Snapshot().value()->HeadSequence(), 1u);
  EXPECT_EQ(std::filesystem::file_size(data), at_rest);
  EXPECT_EQ(disk.FreeBytes(), uint64_t{4} << 20);

  // The largest batch that fits is written, though the margin past it does not fit: it leaves
  // less than 1 MiB of the disk free.
  int fits = appended;
  while ((s = write("fit", fits)).code() == Status::Code::kIOError && fits > 50) fits -= 50;
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_LT(disk.FreeBytes(), uint64_t{1} << 20);
  EXPECT_EQ(VerifiedRecords(*ledger), 1u + fits);
  EXPECT_EQ(BlockBytes(data), std::filesystem::file_size(data));

  disk.Unfill();
  s = write("big", 8000);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(VerifiedRecords(*ledger), 1u + fits + 8000);
}

// A process whose map is smaller than the data another process committed adopts a larger map
// (MDB_MAP_RESIZED); with a writable map LMDB sizes the file to it, which must never cut off the
// pages a writer in a third state (its map grown since its last commit) is writing.
TEST(Durability, AReaderAdoptingAGrownMapDoesNotCutTheFileUnderAWriter) {
  tests::ScratchDir tmp;
  const std::string dir = tmp.Path("l");
  LedgerOptions small;
  small.initial_map_bytes = 1 << 20;
  int to_child[2], to_parent[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(to_parent), 0);
  constexpr int kFirst = 2000, kSecond = 16000, kPauseAt = 12000;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    char c;
    if (read(to_child[0], &c, 1) != 1) _exit(2);
    auto ledger = Ledger::Open(dir, false, small);
    if (!ledger.ok()) ChildFails(3, ledger.status());
    auto batch_of = [&](const std::string& prefix, int n, bool pause) {
      return (*ledger)->Write([&, prefix, n, pause](WriteBatch& batch) {
        for (int i = 0; i < n; ++i) {
          Record r = Award("SYS", prefix + std::to_string(i), "2022-03-05", std::string(300, 'r'));
          if (Status s = batch.Append(r); !s.ok()) return s;
          if (pause && i == kPauseAt) {
            // Well past the map of the last commit: let the parent adopt that map now.
            char go = 'p';
            if (write(to_parent[1], &go, 1) != 1 || read(to_child[0], &go, 1) != 1) _exit(4);
          }
        }
        return Status::Ok();
      });
    };
    if (Status s = batch_of("a", kFirst, false); !s.ok()) ChildFails(5, s);
    if (Status s = batch_of("b", kSecond, true); !s.ok()) ChildFails(6, s);
    _exit(0);
  }
  close(to_parent[1]);  // the child's copy closes when it exits: the end of the pauses
  // Opened while the ledger is empty: a map of 1 MiB.
  auto ledger = std::move(Ledger::Open(dir, true, small).value());
  char c = 'g';
  ASSERT_EQ(write(to_child[1], &c, 1), 1);
  // At each pause (one per run of the second batch), a snapshot adopts the map.
  int status = 0;
  for (;;) {
    if (read(to_parent[0], &c, 1) != 1) break;
    auto snap = ledger->Snapshot();
    ASSERT_TRUE(snap.ok()) << snap.status().message();
    EXPECT_EQ((*snap)->HeadSequence(), uint64_t{kFirst});
    snap.value().reset();
    ASSERT_EQ(write(to_child[1], &c, 1), 1);
  }
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "writer killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(VerifiedRecords(*ledger), uint64_t{kFirst + kSecond});
}

}  // namespace
}  // namespace jifen::ledger
