// How a `jifen` process keeps its heap (docs/PERFORMANCE.md "Fresh memory in huge pages").
#pragma once

#include <cstddef>
#include <cstdint>

namespace jifen::cli {

struct AddressRange {
  uintptr_t begin = 0, end = 0;
  size_t size() const { return end - begin; }
};

// Called first thing in main. Blocks up to 256 MiB come from the heap, and freed memory stays
// there for the next village instead of going back to the kernel to be faulted in again. Then
// the heap grows by 256 MiB of address space once (only the pages touched become memory) and
// that range is advised MADV_HUGEPAGE, as glibc's tunable glibc.malloc.hugetlb=1 would do, which
// a process cannot set for itself. Returns the range advised: empty when the heap did not grow
// (another allocator, as under AddressSanitizer), on systems without MADV_HUGEPAGE, or when the
// kernel refused. Where transparent huge pages are off, or none is free at a fault, the range
// gets 4 KiB pages as any heap does.
AddressRange SetUpHeap();

}  // namespace jifen::cli
