// Files for tests: whole-file reads and writes, and the scratch directory that removes itself
// (every test that needs a directory makes it with ScratchDir).
#pragma once

#include <filesystem>
#include <string>

namespace jifen::tests {

// The bytes of the file at `path`; "" when it cannot be read (the test's assertions on the
// contents then say what is missing).
std::string ReadFile(const std::filesystem::path& path);

// Replaces the file at `path` with `bytes`; a failure (a full disk) fails the test, naming the
// free space left.
void WriteFile(const std::filesystem::path& path, const std::string& bytes);

// A fresh directory $TMPDIR/PREFIX-XXXXXX (/tmp without TMPDIR), removed with everything in it when
// this goes away.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "jifen-test");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return dir_; }
  // NAME inside the directory (which need not exist yet).
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  // Writes `bytes` to NAME inside the directory; returns its path.
  std::string Write(const std::string& name, const std::string& bytes) const;

 private:
  std::string dir_;
};

}  // namespace jifen::tests
