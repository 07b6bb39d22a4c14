#include "grammar/source_text.h"

#include <algorithm>
#include <cstring>

namespace jifen::grammar {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Lines longer than this many bytes are shown as a window around the column.
constexpr size_t kLongLineBytes = 4 * kWindowCodePoints;

struct LineCursor {
  std::string_view text;
  uint32_t line = 1;
  size_t start = 0;
  size_t end = std::string_view::npos;  // lazily found

  void MoveTo(uint32_t target) {
    while (line < target && start < text.size()) {
      const void* nl = std::memchr(text.data() + start, '\n', text.size() - start);
      if (nl == nullptr) {
        start = text.size();
      } else {
        start = static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
      }
      ++line;
      end = std::string_view::npos;
    }
    if (line < target) line = target;  // past the end: an empty line
  }

  size_t End() {
    if (end == std::string_view::npos) {
      if (start >= text.size()) {
        end = text.size();
      } else {
        const void* nl = std::memchr(text.data() + start, '\n', text.size() - start);
        end = nl == nullptr ? text.size()
                            : static_cast<size_t>(static_cast<const char*>(nl) - text.data());
      }
      if (end > start && text[end - 1] == '\r') --end;
    }
    return end;
  }
};

}  // namespace

uint32_t ColumnCounter::Column(size_t line_start, size_t offset) {
  size_t from = line_start;
  uint32_t column = 1;
  if (line_start == cached_line_start_ && offset < cached_offset_ &&
      cached_offset_ - offset < offset - line_start) {
    // Backtracking: walk back from the last answer rather than forward from the line start.
    column = cached_column_;
    for (size_t i = offset; i < cached_offset_; ++i) column -= !IsContinuation(text_[i]);
    from = offset;
  } else if (line_start == cached_line_start_ && offset >= cached_offset_) {
    from = cached_offset_;
    column = cached_column_;
  }
  for (size_t i = from; i < offset && i < text_.size(); ++i) column += !IsContinuation(text_[i]);
  cached_line_start_ = line_start;
  cached_offset_ = offset;
  cached_column_ = column;
  return column;
}

void SortDiagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.location.line != b.location.line)
                       return a.location.line < b.location.line;
                     return a.location.column < b.location.column;
                   });
}

void AttachSourceLines(std::string_view text, std::vector<Diagnostic>& diagnostics) {
  LineCursor cursor{text};
  size_t walk_offset = 0;  // byte offset of code point `walk_column` on the cursor's line
  uint32_t walk_column = 1;
  uint32_t walk_line = 0;
  for (Diagnostic& d : diagnostics) {
    if (d.location.line == 0) continue;
    cursor.MoveTo(d.location.line);
    size_t end = cursor.End();
    std::string_view line =
        text.substr(std::min(cursor.start, text.size()), end - std::min(cursor.start, end));
    if (line.size() <= kLongLineBytes) {
      d.source_line = std::string(line);
      d.source_line_column = 1;
      continue;
    }
    if (walk_line != d.location.line || walk_column > d.location.column) {
      walk_line = d.location.line;
      walk_offset = cursor.start;
      walk_column = 1;
    }
    while (walk_column < d.location.column && walk_offset < end) {
      ++walk_offset;
      while (walk_offset < end && IsContinuation(text[walk_offset])) ++walk_offset;
      ++walk_column;
    }
    // A window of half the width before the column and half after.
    size_t first = walk_offset;
    uint32_t first_column = walk_column;
    while (first > cursor.start && walk_column - first_column < kWindowCodePoints / 2) {
      --first;
      while (first > cursor.start && IsContinuation(text[first])) --first;
      --first_column;
    }
    size_t last = walk_offset;
    for (size_t n = 0; last < end && n < kWindowCodePoints / 2; ++n) {
      ++last;
      while (last < end && IsContinuation(text[last])) ++last;
    }
    d.source_line = std::string(text.substr(first, last - first));
    d.source_line_column = first_column;
  }
}

}  // namespace jifen::grammar
