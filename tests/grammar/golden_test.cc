// Golden files for the rules language: every tests/rules/bad_*.rules has a .expected file with the
// exact diagnostics it must produce; every good_*.rules parses without any.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "grammar/parser.h"
#include "tests/common/files.h"

namespace jifen::grammar {
namespace {

namespace fs = std::filesystem;

using tests::ReadFile;

std::vector<fs::path> RuleFiles(std::string_view prefix) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(JIFEN_SOURCE_DIR) / "tests/rules")) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && entry.path().extension() == ".rules") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string AllDiagnostics(const ParseOutcome& outcome) {
  std::string out;
  for (const Diagnostic& d : outcome.diagnostics) out += FormatDiagnostic(d);
  return out;
}

TEST(Golden, EveryBadFileProducesExactlyItsExpectedDiagnostics) {
  auto files = RuleFiles("bad_");
  ASSERT_FALSE(files.empty());
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.filename().string());
    fs::path expected_path = path;
    expected_path.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
    ParseOutcome outcome = ParseRules(ReadFile(path), path.filename().string());
    EXPECT_FALSE(outcome.rules.has_value());
    EXPECT_EQ(AllDiagnostics(outcome), ReadFile(expected_path));
  }
}

TEST(Golden, EveryGoodFileParsesWithoutDiagnostics) {
  auto files = RuleFiles("good_");
  ASSERT_FALSE(files.empty());
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.filename().string());
    ParseOutcome outcome = ParseRules(ReadFile(path), path.filename().string());
    EXPECT_EQ(AllDiagnostics(outcome), "");
    EXPECT_TRUE(outcome.rules.has_value());
  }
}

TEST(Golden, EveryVillageFileParsesWithoutDiagnostics) {
  fs::path villages = fs::path(JIFEN_SOURCE_DIR) / "villages";
  if (!fs::exists(villages)) GTEST_SKIP() << "no villages/ yet";
  for (const auto& entry : fs::directory_iterator(villages)) {
    if (entry.path().extension() != ".rules") continue;
    SCOPED_TRACE(entry.path().filename().string());
    ParseOutcome outcome = ParseRulesFile(entry.path().string());
    EXPECT_EQ(AllDiagnostics(outcome), "");
  }
}

}  // namespace
}  // namespace jifen::grammar
