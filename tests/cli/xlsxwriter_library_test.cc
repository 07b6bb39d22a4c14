// cli/xlsxwriter_library.h: libxlsxwriter is loaded on demand, and a missing library is an
// operating error that says which package to install.
#include "cli/xlsxwriter_library.h"

#include <gtest/gtest.h>

namespace {

using jifen::Status;
using jifen::cli::LoadXlsxwriter;

TEST(XlsxwriterLibrary, LoadsEveryFunctionOfTheInstalledLibrary) {
  auto library = LoadXlsxwriter();
  ASSERT_TRUE(library.ok()) << library.status().message();
  EXPECT_NE(library->workbook_new, nullptr);
  EXPECT_NE(library->lxw_strerror, nullptr);
  EXPECT_STREQ(library->lxw_strerror(LXW_NO_ERROR), "No error.");
}

TEST(XlsxwriterLibrary, MissingLibraryNamesThePackageToInstall) {
  auto library = LoadXlsxwriter("libjifen-no-such-library.so.0");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.status().code(), Status::Code::kIOError);
  EXPECT_NE(library.status().message().find("libjifen-no-such-library.so.0"), std::string::npos);
  EXPECT_NE(library.status().message().find("libxlsxwriter4"), std::string::npos);
}

TEST(XlsxwriterLibrary, LibraryWithoutTheFunctionsIsRefused) {
  // libz is loaded by every Debian system and has none of libxlsxwriter's functions.
  auto library = LoadXlsxwriter("libz.so.1");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.status().message().find("has no function workbook_new"), std::string::npos);
}

}  // namespace
