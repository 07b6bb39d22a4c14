// Replays the xlsx fuzz target's seeds and regressions (tests/fuzz/{corpus,regressions}/xlsx) in
// the normal build, as tests/reliability/fuzz_regressions_test.cc does for the other targets.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/common/files.h"
#include "tests/fuzz/targets.h"

namespace {

namespace fs = std::filesystem;

TEST(FuzzRegressions, XlsxInputsAreReadOrRefused) {
  size_t count = 0;
  for (const char* kind : {"regressions", "corpus"}) {
    fs::path dir = fs::path(JIFEN_SOURCE_DIR) / "tests/fuzz" / kind / "xlsx";
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string bytes = jifen::tests::ReadFile(entry.path());
      const char* broken =
          jifen::fuzz::FuzzXlsx(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      EXPECT_EQ(broken, nullptr) << entry.path() << ": " << broken;
      ++count;
    }
  }
  EXPECT_GT(count, 0u);
}

}  // namespace
