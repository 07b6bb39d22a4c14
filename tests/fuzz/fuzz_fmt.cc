// libFuzzer entry point for jifen::fuzz::FuzzFmt (tests/fuzz/targets.h): a broken promise aborts,
// so that libFuzzer keeps the input.
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (const char* broken = jifen::fuzz::FuzzFmt(data, size)) {
    std::fprintf(stderr, "fuzz: broken promise: %s\n", broken);
    std::abort();
  }
  return 0;
}
