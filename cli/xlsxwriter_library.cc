#include "cli/xlsxwriter_library.h"

#include <dlfcn.h>

namespace jifen::cli {

Result<Xlsxwriter> LoadXlsxwriter(const std::string& soname, const std::string& caller) {
  const std::string install = " (install the Debian package libxlsxwriter" LXW_SOVERSION ")";
  // RTLD_NOW: a library that cannot be bound fails here, before any file is written.
  void* handle = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return Status::IOError(caller + ": cannot load libxlsxwriter: " + dlerror() +
                           install);
  }
  Xlsxwriter x;
  const char* missing = nullptr;
#define JIFEN_XLSXWRITER_LOAD(name)                                  \
  x.name = reinterpret_cast<decltype(x.name)>(dlsym(handle, #name)); \
  if (x.name == nullptr && missing == nullptr) missing = #name;
  JIFEN_XLSXWRITER_FUNCTIONS(JIFEN_XLSXWRITER_LOAD)
#undef JIFEN_XLSXWRITER_LOAD
  if (missing != nullptr) {
    dlclose(handle);
    return Status::IOError(caller + ": " + soname + " has no function " + missing + install);
  }
  return x;
}

}  // namespace jifen::cli
