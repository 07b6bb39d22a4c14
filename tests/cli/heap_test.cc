// cli/heap.h: the heap of a jifen process is advised into transparent huge pages.
#include "cli/heap.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

// Whether every byte of [begin, end) lies in mappings whose VmFlags (/proc/self/smaps) have `hg`
// (MADV_HUGEPAGE). A mapping's line starts "BEGIN-END perms ..."; its fields' lines "Name: ...".
bool AdvisedHugePages(uintptr_t begin, uintptr_t end) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  uintptr_t covered = begin, low = 0, high = 0;
  while (std::getline(smaps, line)) {
    std::string first = line.substr(0, line.find(' '));
    if (!first.empty() && first.back() != ':') {
      unsigned long a = 0, b = 0;
      if (std::sscanf(first.c_str(), "%lx-%lx", &a, &b) == 2) low = a, high = b;
    } else if (first == "VmFlags:" && (line + " ").find(" hg ") != std::string::npos &&
               low <= covered && covered < high) {
      covered = high;
    }
  }
  return covered >= end;
}

TEST(Heap, TheHeapIsAdvisedIntoHugePages) {
  if (std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").fail())
    GTEST_SKIP() << "this kernel has no transparent huge pages";
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's allocator keeps no sbrk heap";
#endif
  // In a child, as in a fresh jifen process: the advice and the heap's settings are for life.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    jifen::cli::AddressRange range = jifen::cli::SetUpHeap();
    if (range.size() < (size_t{200} << 20)) _exit(2);
    if (!AdvisedHugePages(range.begin, range.end)) _exit(3);
    // What the heap hands out afterwards lies in the range (but for the old heap's free end, less
    // than the 2 MiB the range's start was rounded up by and glibc's 128 KiB of padding).
    constexpr uintptr_t kBlock = 8 << 20;
    void* volatile block = std::malloc(kBlock);
    auto at = reinterpret_cast<uintptr_t>(block);
    uintptr_t inside = std::min(at + kBlock, range.end) - std::max(at, range.begin);
    _exit(at + kBlock <= range.end && inside + (4 << 20) >= kBlock ? 0 : 4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: the heap did not grow by the range; 3: the range is "
                                       "not advised MADV_HUGEPAGE; 4: blocks come from elsewhere";
}

}  // namespace
