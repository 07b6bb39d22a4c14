#include "tlog/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace jifen::tlog {

std::optional<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status WriteAtomically(const std::filesystem::path& path, std::string_view text, int mode) {
  std::string temporary = path.string() + ".new";
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::IOError(path.string() + ": " + std::strerror(errno));
  bool ok =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(temporary.c_str(), path.c_str()) != 0) {
    unlink(temporary.c_str());
    return Status::IOError(path.string() + ": cannot write");
  }
  return Status::Ok();
}

DirLock::DirLock(const std::filesystem::path& dir)
    : fd_(open((dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
  if (fd_ >= 0) (void)flock(fd_, LOCK_EX);
}

DirLock::~DirLock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace jifen::tlog
