// simdjson (Debian's libsimdjson-dev), which reads the JSON Lines form (formats/flat_json.cc).
//
// Its ondemand front end is inline code in the header; what it needs of the library itself is
// one function, simdjson::get_active_implementation(), which hands out the parsing kernels
// chosen for this CPU (stage 1: structure and UTF-8 validation, AVX2 on most machines), two
// 256-byte lookup tables, and (in unoptimised builds) the slow path of its number parsing,
// simdjson::internal::from_chars. jifen does not link libsimdjson.so: that would make every jifen
// process load it and the shared libstdc++ it needs, about a millisecond of each command's start
// (docs/PERFORMANCE.md "Process start"). formats/simdjson_library.cc defines
// get_active_implementation() and from_chars() itself, as calls to the library's, and
// formats/simdjson_tables.cc
// the tables, filled from the library's; the library is loaded with dlopen the first time JSON
// is read.
#pragma once

// Every file that includes simdjson.h includes it through here, with the same settings.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include "util/status.h"

namespace jifen::formats {

// The soname of the libsimdjson whose header this is compiled against (Debian 12: 3.0.1 in
// package libsimdjson14, installed with libsimdjson-dev by scripts/setup.sh).
inline constexpr const char* kSimdjsonSoname = "libsimdjson.so.14";
static_assert(simdjson::SIMDJSON_VERSION_MAJOR == 3 && simdjson::SIMDJSON_VERSION_MINOR == 0,
              "kSimdjsonSoname names the library of simdjson 3.0");

// Loads the library once; Status::IOError naming the package when it cannot. Call it before
// any simdjson parser is used.
Status LoadSimdjson();

}  // namespace jifen::formats
