#include "util/points.h"

#include <cassert>
#include <cstdlib>

namespace jifen {

std::optional<Points> Points::Parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  int64_t whole = 0;
  size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    whole = whole * 10 + (text[i++] - '0');
    if (whole > kWholeMax) return std::nullopt;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  int64_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t fraction_digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++fraction_digits > 2) return std::nullopt;
      fraction = fraction * 10 + (text[i++] - '0');
    }
    if (fraction_digits == 0) return std::nullopt;
    if (fraction_digits == 1) fraction *= 10;
  }
  if (i != text.size()) return std::nullopt;
  int64_t cents = whole * 100 + fraction;
  return Points(negative ? -cents : cents);
}

std::string Points::ToString() const {
  int64_t magnitude = cents_ < 0 ? -cents_ : cents_;
  std::string out = cents_ < 0 ? "-" : "";
  out += std::to_string(magnitude / 100);
  int64_t fraction = magnitude % 100;
  if (fraction != 0) {
    out += '.';
    out += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) out += static_cast<char>('0' + fraction % 10);
  }
  return out;
}

Points Points::TimesFraction(Quantity qty) const {
  __int128 product = static_cast<__int128>(cents_) * qty.hundredths();
  __int128 magnitude = product < 0 ? -product : product;
  __int128 rounded = (magnitude + 50) / 100;
  return Points(static_cast<int64_t>(product < 0 ? -rounded : rounded));
}

std::optional<Quantity> Quantity::Parse(std::string_view text) {
  // Points' form without a sign, and no leading zero but "0" or "0.x".
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  if (text.size() > 1 && text[0] == '0' && text[1] != '.') return std::nullopt;
  auto points = Points::Parse(text);
  if (!points) return std::nullopt;
  return Quantity(points->cents());
}

std::string Quantity::ToString() const { return Points::FromCents(hundredths_).ToString(); }

std::string Points::ToSignedString() const { return cents_ >= 0 ? "+" + ToString() : ToString(); }

}  // namespace jifen
