// Memory helpers shared by the modules.
#pragma once

#include <cstddef>

namespace jifen {

// Maps in the whole pages of [begin, begin + bytes) for writing in one system call
// (MADV_POPULATE_WRITE, Linux 5.14; elsewhere a no-op), instead of taking a page fault for
// every 4 KiB as a fresh buffer fills. Page faults are slow on virtual machines, and they are a
// large part of what a short-lived process spends on memory it has just reserved.
void PrefaultForWriting(const void* begin, size_t bytes);

}  // namespace jifen
