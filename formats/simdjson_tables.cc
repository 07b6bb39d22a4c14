// Two lookup tables of libsimdjson that the ondemand code of simdjson.h reads
// (simdjson::internal::structural_or_whitespace[_negated], `const bool[256]` in the header): the
// executable defines them, since it does not link the library (formats/simdjson_library.h), and
// LoadSimdjson() fills them with the library's own before anything is parsed. This file does not
// include simdjson.h, whose declarations say const; the symbols are the same.
#include <cstring>

namespace simdjson::internal {
bool structural_or_whitespace[256];
bool structural_or_whitespace_negated[256];
}  // namespace simdjson::internal

namespace jifen::formats {

// Copies the library's tables (`library_table` and `library_negated`, 256 bytes each) into ours.
void CopySimdjsonTables(const void* library_table, const void* library_negated) {
  std::memcpy(simdjson::internal::structural_or_whitespace, library_table, 256);
  std::memcpy(simdjson::internal::structural_or_whitespace_negated, library_negated, 256);
}

}  // namespace jifen::formats
