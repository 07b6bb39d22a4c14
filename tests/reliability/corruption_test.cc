// A damaged ledger through the real binary: flipped bytes in records, in index pages and in page
// headers, torn (zeroed) 4 KiB pages and truncated files of data.mdb. jifen never crashes or hangs
// on them; when a report prints figures that differ from the undamaged ledger's, `verify` refuses
// the ledger (exit 3); a record failing its hash makes every report exit 3 with nothing on stdout.
//
// LMDB has no page checksums. Bytes of a page's node offset array (just after its 16-byte header)
// steer LMDB's own reads, and damage there can crash LMDB itself (SIGSEGV/SIGBUS); that is outside
// what jifen can promise and is not tested here (docs/RELIABILITY.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/reliability/harness.h"

namespace jifen::reliability {
namespace {

namespace fs = std::filesystem;

constexpr size_t kPageBytes = 4096;

// The commands whose figures people's rewards depend on.
const std::vector<std::vector<std::string>> kReadCommands = {
    {"score", "--village", "SYS", "--period", "2022-03", "--format", "json"},
    {"annual", "--village", "SYS", "--year", "2022", "--format", "json"},
    {"explain", "--village", "SYS", "--period", "2022-03", "--household", "H01"},
};

class Corruption : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = scratch_.Path("ledger");
    SetUpSampleVillage(scratch_, ledger_);
    std::string text;
    for (int i = 0; i < 40; ++i) {
      char recorded[40];
      std::snprintf(recorded, sizeof recorded, "2022-03-%02dT20:00:00+08:00", 1 + i % 28);
      std::string date = std::string(recorded).substr(0, 10);
      text += AwardLine("c" + std::to_string(i), date, i % 3 == 0 ? "P2" : "P1",
                        "CORRUPT-MARK-" + std::to_string(1000 + i), recorded);
    }
    // Sorted by recorded time: i % 28 repeats days, so order the lines by day.
    std::vector<std::string> lines;
    for (size_t at = 0; at < text.size();) {
      size_t end = text.find('\n', at);
      lines.push_back(text.substr(at, end + 1 - at));
      at = end + 1;
    }
    std::stable_sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
      return a.substr(a.find("\"recorded\"")) < b.substr(b.find("\"recorded\""));
    });
    text.clear();
    for (const std::string& line : lines) text += line;
    Outcome r = Jifen(scratch_, ledger_, {"import", scratch_.Write("march.jsonl", text)});
    ASSERT_EQ(r.rc, 0) << r.err;
    ASSERT_EQ(Jifen(scratch_, ledger_, {"verify"}).rc, 0);
    for (const auto& command : kReadCommands) {
      Outcome good = Jifen(scratch_, ledger_, command);
      ASSERT_EQ(good.rc, 0) << good.err;
      good_outputs_.push_back(good.out);
    }
    pristine_ = ReadFile(ledger_ + "/data.mdb");
    ASSERT_GE(pristine_.size(), 4 * kPageBytes);
  }

  // A fresh copy of the ledger with data.mdb replaced by `bytes`.
  std::string Damaged(const std::string& bytes) {
    std::string dir = scratch_.Path("damaged");
    fs::remove_all(dir);
    fs::create_directory(dir);
    WriteFile(dir + "/data.mdb", bytes);
    return dir;
  }

  // Checks the promises on a damaged copy; returns verify's exit code. Counts in `hidden` the
  // reports that printed other figures (an index page damaged: only verify can see that).
  // `reports`: how many of kReadCommands to run (score first).
  int Check(const std::string& bytes, const std::string& what, int* hidden = nullptr,
            size_t reports = kReadCommands.size()) {
    SCOPED_TRACE(what);
    std::string dir = Damaged(bytes);
    Outcome verify = Jifen(scratch_, dir, {"verify"}, std::chrono::seconds(60));
    EXPECT_EQ(Misbehaved(verify), "");
    EXPECT_TRUE(verify.rc == 0 || verify.rc == 3) << verify.rc << "\n" << verify.err;
    if (verify.rc == 3) {
      EXPECT_NE(verify.err, "");
    }
    for (size_t i = 0; i < reports; ++i) {
      Outcome r = Jifen(scratch_, dir, kReadCommands[i], std::chrono::seconds(60));
      EXPECT_EQ(Misbehaved(r), "") << kReadCommands[i][0];
      if (r.rc == 0) {
        // Figures other than the true ones only from a ledger that verify refuses.
        if (r.out != good_outputs_[i]) {
          EXPECT_EQ(verify.rc, 3) << kReadCommands[i][0]
                                  << " printed other figures and verify passed:\n"
                                  << r.out << "\ninstead of\n"
                                  << good_outputs_[i];
          if (hidden != nullptr) ++*hidden;
        }
      } else {
        // Refused: integrity failure, or (an index page lost the village) "not in the ledger".
        EXPECT_TRUE(r.rc == 3 || r.rc == 1) << kReadCommands[i][0] << ": " << r.rc << " " << r.err;
        EXPECT_EQ(r.out, "") << kReadCommands[i][0];
        EXPECT_NE(r.err, "") << kReadCommands[i][0];
      }
    }
    return verify.rc;
  }

  ScratchDir scratch_;
  std::string ledger_;
  std::string pristine_;
  std::vector<std::string> good_outputs_;
};

TEST_F(Corruption, AFlippedByteInARecordIsRefusedByVerifyAndEveryReport) {
  for (const char* marker : {"CORRUPT-MARK-1003", "CORRUPT-MARK-1039", "王五", "张三"}) {
    // LMDB copies a page on write, so a stale copy may sit in a free page: change every copy.
    std::string bytes = pristine_;
    size_t copies = 0;
    for (size_t at = bytes.find(marker); at != std::string::npos; at = bytes.find(marker, at + 1)) {
      bytes[at + 1] ^= 0x01;
      ++copies;
    }
    ASSERT_GT(copies, 0u) << marker;
    EXPECT_EQ(Check(bytes, marker), 3) << marker;
  }
}

TEST_F(Corruption, FlippedBytesNeverCrashAndWrongFiguresAreRefusedByVerify) {
  // Page headers (page number, flags, bounds) and data in every page, both LMDB meta pages.
  const std::vector<size_t> in_page = {0, 12, 14, 1000, 4000};
  int refused = 0, harmless = 0, hidden = 0;
  for (size_t page = 0; page * kPageBytes < pristine_.size(); ++page) {
    for (size_t offset : in_page) {
      std::string bytes = pristine_;
      size_t at = page * kPageBytes + offset;
      bytes[at] = static_cast<char>(bytes[at] ^ 0x5A);
      (Check(bytes, "page " + std::to_string(page) + " byte " + std::to_string(offset), &hidden,
             1) == 3
           ? refused
           : harmless)++;
      if (HasFailure()) return;
    }
  }
  std::printf(
      "flipped bytes: verify refused %d, %d harmless; %d report(s) differed, all refused by verify\n",
      refused, harmless, hidden);
  EXPECT_GT(refused, 0);
}

TEST_F(Corruption, ATornPageNeverCrashesOrPrintsWrongFigures) {
  int refused = 0;
  for (size_t page = 0; page * kPageBytes < pristine_.size(); ++page) {
    std::string bytes = pristine_;
    std::fill(bytes.begin() + page * kPageBytes,
              bytes.begin() + std::min(bytes.size(), (page + 1) * kPageBytes), '\0');
    if (Check(bytes, "zeroed page " + std::to_string(page)) == 3) ++refused;
    if (HasFailure()) return;
  }
  EXPECT_GT(refused, 0);
}

TEST_F(Corruption, ATruncatedDataFileIsRefusedClearly) {
  // Not 0 bytes: LMDB takes an empty data.mdb for a new ledger (docs/RELIABILITY.md).
  for (size_t keep :
       {size_t{100}, kPageBytes, 2 * kPageBytes + 10, pristine_.size() - kPageBytes}) {
    Check(pristine_.substr(0, keep), "truncated to " + std::to_string(keep) + " bytes");
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace jifen::reliability
