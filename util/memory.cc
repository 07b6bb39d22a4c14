#include "util/memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace jifen {

void PrefaultForWriting(const void* begin, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t start = reinterpret_cast<uintptr_t>(begin);
  uintptr_t first = (start + page - 1) & ~(page - 1), last = (start + bytes) & ~(page - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
#else
  (void)begin;
  (void)bytes;
#endif
}

}  // namespace jifen
