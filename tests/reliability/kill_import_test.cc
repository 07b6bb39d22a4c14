// Crash safety through the real binary: `jifen import` of batch files is SIGKILLed at random
// moments, many times; afterwards the chain verifies and every batch is wholly in the ledger or
// wholly absent (SPEC.md §4: "after a crash the ledger holds every committed record and nothing of
// an uncommitted one"). JIFEN_KILL_ROUNDS sets the number of kills (default 100).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/statvfs.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

#include "tests/reliability/harness.h"

namespace jifen::reliability {
namespace {

constexpr int kAwardsPerBatch = 150;

int Rounds() {
  const char* given = std::getenv("JIFEN_KILL_ROUNDS");
  return given != nullptr && std::atoi(given) > 0 ? std::atoi(given) : 100;
}

std::string FreeSpace(const std::string& path) {
  struct statvfs fs;
  if (statvfs(path.c_str(), &fs) != 0) return " (free space unknown)";
  return " (free space under " + path + ": " + std::to_string(fs.f_bavail * fs.f_frsize >> 20) +
         " MiB)";
}

std::string BatchMarker(int batch) {
  char marker[32];
  std::snprintf(marker, sizeof marker, "kill-batch-%05d", batch);
  return marker;
}

// Batch `batch`: kAwardsPerBatch awards with distinct ids and the batch's marker as reason,
// recorded a second apart after every earlier batch.
std::string BatchText(int batch) {
  std::string text;
  for (int i = 0; i < kAwardsPerBatch; ++i) {
    int second = batch * kAwardsPerBatch + i;  // < 86400 for any sane round count
    char recorded[40];
    std::snprintf(recorded, sizeof recorded, "2022-03-06T%02d:%02d:%02d+08:00", second / 3600 % 24,
                  second / 60 % 60, second % 60);
    text += AwardLine("b" + std::to_string(batch) + "-" + std::to_string(i), "2022-03-05",
                      i % 2 == 0 ? "P1" : "P2", BatchMarker(batch), recorded);
  }
  return text;
}

TEST(KillImport, EveryBatchIsWhollyPresentOrWhollyAbsentAfterRandomKills) {
  ScratchDir scratch;
  const std::string ledger = scratch.Path("ledger");
  SetUpSampleVillage(scratch, ledger);
  const int rounds = Rounds();
  ASSERT_LT(rounds * kAwardsPerBatch, 86400) << "recorded times would wrap";

  // How long one import takes here (sanitizer builds are slower), to spread the kills over it.
  auto start = std::chrono::steady_clock::now();
  Outcome first = Jifen(scratch, ledger, {"import", scratch.Write("batch0.jsonl", BatchText(0))});
  ASSERT_EQ(first.rc, 0) << first.err;
  auto import_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();

  std::mt19937 random(20220306);
  std::uniform_int_distribution<int64_t> delay_us(0, import_us * 3 / 2);
  int killed = 0, finished = 0;
  for (int batch = 1; batch <= rounds; ++batch) {
    std::string file = scratch.Write("batch.jsonl", BatchText(batch));
    std::string out = scratch.Path("kill.out"), err = scratch.Path("kill.err");
    pid_t pid = StartJifen({"--ledger", ledger, "import", file}, out, err);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    kill(pid, SIGKILL);
    Outcome r = WaitJifen(pid, std::chrono::seconds(120), out, err);
    if (r.rc == kSignalled && r.signal == SIGKILL) {
      ++killed;
    } else {
      ASSERT_EQ(r.rc, 0) << "batch " << batch << ": " << r.err << Misbehaved(r);
      ++finished;
    }
  }
  std::printf("kill-import: %d rounds, %d killed, %d finished first (one import: %lld us)\n",
              rounds, killed, finished, static_cast<long long>(import_us));

  // Free space is named when a command fails: the machines this runs on are shared, and a full
  // disk makes even reading commands fail (they cannot write their output).
  Outcome verify = Jifen(scratch, ledger, {"verify"});
  ASSERT_EQ(verify.rc, 0) << verify.out << verify.err << FreeSpace(scratch.Path(""));
  Outcome log = Jifen(scratch, ledger, {"log"});
  ASSERT_EQ(log.rc, 0) << log.err << FreeSpace(scratch.Path(""));
  int present = 0;
  for (int batch = 0; batch <= rounds; ++batch) {
    size_t count = CountOf(log.out, "\"" + BatchMarker(batch) + "\"");
    EXPECT_TRUE(count == 0 || count == kAwardsPerBatch)
        << "batch " << batch << ": " << count << " records";
    if (count == kAwardsPerBatch) ++present;
  }
  EXPECT_EQ(CountOf(log.out, "\n"), 6u + static_cast<size_t>(present) * kAwardsPerBatch);

  // The ledger still takes writes after all that: the next batch goes in whole.
  Outcome after =
      Jifen(scratch, ledger, {"import", scratch.Write("last.jsonl", BatchText(rounds + 1))});
  ASSERT_EQ(after.rc, 0) << after.err;
  EXPECT_EQ(Jifen(scratch, ledger, {"verify"}).rc, 0);
}

}  // namespace
}  // namespace jifen::reliability
