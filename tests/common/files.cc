#include "tests/common/files.h"

#include <gtest/gtest.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace jifen::tests {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) {
    // A test input not written in full would fail the test later for no visible reason; a full
    // disk on a shared machine is the usual cause, so the free space is named.
    int error = errno;
    std::string free = "unknown";
    struct statvfs vfs;
    if (statvfs(path.parent_path().c_str(), &vfs) == 0) {
      free = std::to_string(static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize) + " bytes";
    }
    ADD_FAILURE() << "cannot write " << bytes.size() << " bytes to " << path.string() << ": "
                  << std::strerror(error) << " (free space there: " << free << ")";
  }
}

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror(pattern.c_str());
    std::abort();  // no test can run without its directory
  }
  dir_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string ScratchDir::Write(const std::string& name, const std::string& bytes) const {
  WriteFile(Path(name), bytes);
  return Path(name);
}

}  // namespace jifen::tests
