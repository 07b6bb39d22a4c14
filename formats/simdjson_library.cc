#include "formats/simdjson_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace jifen::formats {

void CopySimdjsonTables(const void* library_table,
                        const void* library_negated);  // simdjson_tables.cc

namespace {

using ActiveImplementation = simdjson::internal::atomic_ptr<const simdjson::implementation>& (*)();
using FromChars = double (*)(const char*);
using FromCharsTo = double (*)(const char*, const char*);

ActiveImplementation active_implementation = nullptr;
FromChars from_chars = nullptr;
FromCharsTo from_chars_to = nullptr;
std::string load_error;

void Load() {
  void* handle = dlopen(kSimdjsonSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    load_error = std::string("cannot load simdjson: ") + dlerror() +
                 " (install the Debian package libsimdjson14)";
    return;
  }
  // simdjson::get_active_implementation(), mangled.
  void* f = dlsym(handle, "_ZN8simdjson25get_active_implementationEv");
  if (f == nullptr) {
    load_error = std::string(kSimdjsonSoname) + " has no simdjson::get_active_implementation()";
    return;
  }
  // simdjson::internal::structural_or_whitespace and ..._negated, mangled.
  const void* table = dlsym(handle, "_ZN8simdjson8internal24structural_or_whitespaceE");
  const void* negated = dlsym(handle, "_ZN8simdjson8internal32structural_or_whitespace_negatedE");
  if (table == nullptr || negated == nullptr) {
    load_error = std::string(kSimdjsonSoname) +
                 " has no simdjson::internal::structural_or_whitespace tables";
    return;
  }
  // simdjson::internal::from_chars(const char*) and (const char*, const char*), mangled: the slow
  // path of its floating-point parsing, which unoptimised builds keep a reference to.
  void* chars = dlsym(handle, "_ZN8simdjson8internal10from_charsEPKc");
  void* chars_to = dlsym(handle, "_ZN8simdjson8internal10from_charsEPKcS2_");
  if (chars == nullptr || chars_to == nullptr) {
    load_error = std::string(kSimdjsonSoname) + " has no simdjson::internal::from_chars";
    return;
  }
  from_chars = reinterpret_cast<FromChars>(chars);
  from_chars_to = reinterpret_cast<FromCharsTo>(chars_to);
  CopySimdjsonTables(table, negated);
  active_implementation = reinterpret_cast<ActiveImplementation>(f);
}

}  // namespace

Status LoadSimdjson() {
  static std::once_flag once;
  std::call_once(once, Load);
  if (active_implementation == nullptr) return Status::IOError(load_error);
  return Status::Ok();
}

}  // namespace jifen::formats

namespace simdjson {

// The declaration is simdjson.h's. Only called once LoadSimdjson() has succeeded.
internal::atomic_ptr<const implementation>& get_active_implementation() {
  return jifen::formats::active_implementation();
}

namespace internal {
double from_chars(const char* first) noexcept { return jifen::formats::from_chars(first); }
double from_chars(const char* first, const char* end) noexcept {
  return jifen::formats::from_chars_to(first, end);
}
}  // namespace internal

}  // namespace simdjson
