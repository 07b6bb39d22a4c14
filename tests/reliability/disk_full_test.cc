// A full disk through the real binary, on a real small file system (a tmpfs of a few MB, so that
// the disk really runs out): `jifen import` that runs out of disk part way through its batch is
// refused with exit 1 and a message naming the ledger and the bytes it needed, never a crash
// (SIGBUS); nothing of it is written; with room again the same import goes in whole.
#include <gtest/gtest.h>

#include <string>

#include "tests/common/small_disk.h"
#include "tests/reliability/harness.h"

namespace jifen::reliability {
namespace {

using tests::SmallDisk;

TEST(DiskFull, AnImportThatRunsOutOfDiskIsRefusedWholeAndGoesInOnceThereIsRoom) {
  SmallDisk disk(24 << 20);
  if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
  ScratchDir scratch;  // the input and the output, off the small disk
  const std::string ledger = disk.path() + "/ledger";
  SetUpSampleVillage(scratch, ledger);
  Outcome before = Jifen(scratch, ledger, {"verify"});
  ASSERT_EQ(before.rc, 0) << before.err;

  // 20,000 awards of over 300 bytes each: more than 8 MB in the ledger.
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += AwardLine("d" + std::to_string(i), "2022-03-05", i % 2 == 0 ? "P1" : "P2",
                      std::string(300, 'r'), "2022-03-06T10:00:00+08:00");
  }
  const std::string file = scratch.Write("awards.jsonl", text);
  ASSERT_TRUE(disk.FillLeaving(4 << 20)) << disk.FreeBytes();
  Outcome r = Jifen(scratch, ledger, {"import", file});
  ASSERT_EQ(Misbehaved(r), "");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("ledger " + ledger + ": disk full: data.mdb needs "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" bytes of disk ("), std::string::npos) << r.err;
  EXPECT_EQ(Jifen(scratch, ledger, {"verify"}).out, before.out);
  EXPECT_EQ(disk.FreeBytes(), uint64_t{4} << 20) << "the refused import left blocks claimed";

  disk.Unfill();
  r = Jifen(scratch, ledger, {"import", file});
  ASSERT_EQ(r.rc, 0) << r.err << Misbehaved(r);
  Outcome log = Jifen(scratch, ledger, {"log"});
  ASSERT_EQ(log.rc, 0) << log.err;
  EXPECT_EQ(CountOf(log.out, "\"type\":\"award\""), 20000u);
  EXPECT_EQ(Jifen(scratch, ledger, {"verify"}).rc, 0);
}

}  // namespace
}  // namespace jifen::reliability
