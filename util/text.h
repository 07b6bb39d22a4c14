// UTF-8 helpers: validation, code-point columns and terminal display width (utf8proc).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jifen {

// True if `text` is well-formed UTF-8 without NUL bytes.
bool IsValidUtf8(std::string_view text);
// Byte offset of the first invalid UTF-8 sequence or NUL, or npos.
size_t FindInvalidUtf8(std::string_view text);
// Number of code points in `text` (invalid bytes count one each).
size_t CodePointCount(std::string_view text);
// Columns a terminal uses to show `text` (CJK characters take two).
size_t DisplayWidth(std::string_view text);
// `text` padded with spaces to `width` display columns, on the right or on the left.
std::string PadRight(std::string_view text, size_t width);
std::string PadLeft(std::string_view text, size_t width);

}  // namespace jifen
