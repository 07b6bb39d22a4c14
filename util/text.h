// Text: UTF-8 validation, code-point columns and terminal display width (utf8proc), and the
// few ways a report writes lists and decimal numbers (shared by the CLI and the web pages).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

// `parts` with `separator` between them.
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
// `value` with exactly `digits` decimals ("%.*f": 0.125 to 2 digits is "0.13" or "0.12" as the
// binary value falls). For shares and coefficients, never for points (Points is exact).
std::string Fixed(double value, int digits);
// A share (0.256) as a percentage with one decimal ("25.6%").
std::string Percent(double share);
// `value` rounded to `digits` decimals, for a JSON number (0.123456 to 3 digits is 0.123).
double RoundDecimals(double value, int digits);

// Text made safe for HTML element content and attribute values (& < > " ' escaped), for the
// HTML and SVG jifen writes itself (the board, the cards, the web's charts).
std::string HtmlEscape(std::string_view text);

}  // namespace jifen
