// Points: exact fixed-point decimal with two fractional digits (SPEC.md §3). No floating point
// ever reaches a score; the only doubles are produced at the JSON boundary for printing.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jifen {

class Points {
 public:
  constexpr Points() = default;
  static constexpr Points FromCents(int64_t cents) { return Points(cents); }
  static constexpr Points FromWhole(int64_t whole) { return Points(whole * 100); }

  // Parses `[+-]DIGITS[.D[D]]`. Returns nullopt on anything else, including more than two
  // fractional digits or a magnitude above kMaxWhole.
  static std::optional<Points> Parse(std::string_view text);

  constexpr int64_t cents() const { return cents_; }
  // Shortest decimal form: "12.5", "-3", "0.05".
  std::string ToString() const;
  // With an explicit sign for non-negative values: "+2", "-10", "+0.5".
  std::string ToSignedString() const;
  // Value as a double for JSON numbers; exact for |cents| < 2^53.
  double ToDouble() const { return static_cast<double>(cents_) / 100.0; }

  constexpr Points operator+(Points o) const { return Points(cents_ + o.cents_); }
  constexpr Points operator-(Points o) const { return Points(cents_ - o.cents_); }
  constexpr Points operator-() const { return Points(-cents_); }
  Points& operator+=(Points o) {
    cents_ += o.cents_;
    return *this;
  }
  Points& operator-=(Points o) {
    cents_ -= o.cents_;
    return *this;
  }
  constexpr Points Times(int64_t qty) const { return Points(cents_ * qty); }
  constexpr Points Abs() const { return Points(cents_ < 0 ? -cents_ : cents_); }
  constexpr auto operator<=>(const Points&) const = default;

  static constexpr int64_t kMaxWhole = 1'000'000'000;  // far above any real score

 private:
  constexpr explicit Points(int64_t cents) : cents_(cents) {}
  int64_t cents_ = 0;
};

// Integer division rounding half away from zero (SPEC.md §3 rounding).
int64_t DivideRoundHalfAway(int64_t numerator, int64_t denominator);

}  // namespace jifen
