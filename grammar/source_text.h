// Positions in a rule file's text: code-point columns and source-line windows for diagnostics.
// Internal to grammar/. Linear in the text even for a single 10 MB line: columns are counted
// incrementally and diagnostics show a window of a long line, never the whole of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "grammar/diagnostic.h"

namespace jifen::grammar {

// Maps byte offsets to code-point columns, remembering the last answer so that offsets visited
// in increasing order on one line cost their distance, not the line length.
class ColumnCounter {
 public:
  explicit ColumnCounter(std::string_view text) : text_(text) {}
  // `line_start` is the byte offset where the line holding `offset` begins.
  uint32_t Column(size_t line_start, size_t offset);

 private:
  std::string_view text_;
  size_t cached_line_start_ = 0;
  size_t cached_offset_ = 0;
  uint32_t cached_column_ = 1;
};

// Sorts `diagnostics` by line and column, keeping the order of those at the same place.
void SortDiagnostics(std::vector<Diagnostic>& diagnostics);

// Fills each diagnostic's source line (a window of at most kWindowCodePoints around the column
// for very long lines). `diagnostics` must be sorted.
void AttachSourceLines(std::string_view text, std::vector<Diagnostic>& diagnostics);

inline constexpr size_t kWindowCodePoints = 160;

}  // namespace jifen::grammar
