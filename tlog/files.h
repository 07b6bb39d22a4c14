// The small files the transparency log keeps outside the chain (a witness's state, the office's
// cosigned checkpoints): read whole, written atomically, and a directory lock for a
// check-and-update. Internal to tlog/.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace jifen::tlog {

// The file's bytes; nullopt when it cannot be opened (absent).
std::optional<std::string> ReadWholeFile(const std::filesystem::path& path);

// Writes `text` to `path` through a temporary file beside it, fsynced, renamed: a reader sees the
// old file or the new one, never half of one. IOError naming the path.
Status WriteAtomically(const std::filesystem::path& path, std::string_view text, int mode);

// An flock of DIR/lock, held while the object lives.
class DirLock {
 public:
  explicit DirLock(const std::filesystem::path& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace jifen::tlog
