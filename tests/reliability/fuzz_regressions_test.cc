// Replays every input under tests/fuzz/regressions/TARGET/ (crashers the fuzzers found, kept after
// the fix) and the seed corpora through the fuzz target bodies in the normal build, so that a
// crash that came back fails ctest without clang or libFuzzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/common/files.h"
#include "tests/fuzz/targets.h"

namespace {

namespace fs = std::filesystem;

using TargetFn = const char* (*)(const uint8_t*, size_t);

// Runs `fn` on every file of tests/fuzz/{regressions,corpus}/TARGET; returns how many it ran.
size_t Replay(const std::string& target, TargetFn fn) {
  size_t count = 0;
  for (const char* kind : {"regressions", "corpus"}) {
    fs::path dir = fs::path(JIFEN_SOURCE_DIR) / "tests/fuzz" / kind / target;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      SCOPED_TRACE(file.string());
      std::string bytes = jifen::tests::ReadFile(file);
      const char* broken = fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      EXPECT_EQ(broken, nullptr) << file << ": " << broken;
      ++count;
    }
  }
  return count;
}

TEST(FuzzRegressions, RulesParserInputsGiveRulesOrDiagnostics) {
  EXPECT_GT(Replay("rules", jifen::fuzz::FuzzRules), 0u);
}

TEST(FuzzRegressions, JsonRecordInputsAreReadOrRefusedAndRoundTrip) {
  EXPECT_GT(Replay("record_json", jifen::fuzz::FuzzRecordJson), 0u);
}

TEST(FuzzRegressions, CsvInputsAreReadOrRefused) {
  EXPECT_GT(Replay("csv", jifen::fuzz::FuzzCsv), 0u);
}

TEST(FuzzRegressions, FmtOfAParsingFileParsesToTheSameRules) {
  EXPECT_GT(Replay("fmt", jifen::fuzz::FuzzFmt), 0u);
}

}  // namespace
