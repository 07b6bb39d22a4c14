#include "cli/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>

namespace jifen::cli {

// Why huge pages: the first touch of a 4 KiB page costs 5-15 us on a virtual machine whose host
// backs guest memory lazily (the project's benchmark and CI machines are such; so are many
// servers a township rents), and a report fills tens of MB of fresh heap: a village's events, its
// approvals, the figures. At 4 KiB a page those faults were a third of `score`'s CPU time; a 2 MiB
// page is one fault.
AddressRange SetUpHeap() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#if defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  constexpr size_t kRange = size_t{256} << 20;
  auto low = reinterpret_cast<uintptr_t>(sbrk(0));
  mallopt(M_TOP_PAD, static_cast<int>(kRange));
  // A block larger than all the heap's free memory, so the heap must grow, and by kRange more.
  // `volatile`: a malloc and free of a block never used are otherwise optimised away.
  void* volatile block = std::malloc(mallinfo2().fordblks + (size_t{1} << 20));
  std::free(block);
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default, for any growth after this
  auto high = reinterpret_cast<uintptr_t>(sbrk(0));
  if (block == nullptr || high < low + kRange) return {};
  AddressRange range{(low + kHuge - 1) & ~(kHuge - 1), high & ~(kHuge - 1)};
  if (madvise(reinterpret_cast<void*>(range.begin), range.size(), MADV_HUGEPAGE) != 0) return {};
  return range;
#else
  return {};
#endif
}

}  // namespace jifen::cli
