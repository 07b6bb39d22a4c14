// A real small file system, for tests in which the disk must run out: a tmpfs of a few MB mounted
// on a fresh directory /tmp/jifen-small-disk-XXXXXX, unmounted with everything on it when this goes
// away. Mounting needs root (CAP_SYS_ADMIN). Where it is refused, why_not() says why, and the test
// skips with that message (ctest then lists it as not run, never as passed).
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace jifen::tests {

class SmallDisk {
 public:
  explicit SmallDisk(uint64_t bytes) {
    std::string pattern = "/tmp/jifen-small-disk-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      why_not_ =
          "cannot make a directory to mount a tmpfs on: " + std::string(std::strerror(errno));
      return;
    }
    path_ = pattern;
    std::string options = "size=" + std::to_string(bytes) + ",mode=0755";
    if (mount("jifen-small-disk", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) !=
        0) {
      why_not_ = "cannot mount a tmpfs of " + std::to_string(bytes) + " bytes on " + path_ + " (" +
                 std::strerror(errno) + "): this test needs root with CAP_SYS_ADMIN";
      return;
    }
    mounted_ = true;
  }
  ~SmallDisk() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
    if (!path_.empty()) rmdir(path_.c_str());
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }
  const std::string& path() const { return path_; }

  uint64_t FreeBytes() const {
    struct statvfs vfs;
    if (statvfs(path_.c_str(), &vfs) != 0) return 0;
    return static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  }

  // Takes the free space down to `left` bytes (a multiple of 4 KiB) with a file of its own; false
  // when it cannot.
  bool FillLeaving(uint64_t left) {
    uint64_t free = FreeBytes();
    if (free < left) return false;
    int fd = open(Filler().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    struct stat st;
    off_t size = fstat(fd, &st) == 0 ? st.st_size : 0;
    bool filled = free == left || fallocate(fd, 0, size, static_cast<off_t>(free - left)) == 0;
    close(fd);
    return filled && FreeBytes() == left;
  }
  // Removes what FillLeaving wrote.
  void Unfill() { unlink(Filler().c_str()); }

 private:
  std::string Filler() const { return path_ + "/filler"; }

  std::string path_;
  bool mounted_ = false;
  std::string why_not_;
};

}  // namespace jifen::tests
