// Points: exact fixed-point decimal with two fractional digits (SPEC.md §3). No floating point
// ever reaches a score; the only doubles are produced at the JSON boundary for printing.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jifen {

class Quantity;

class Points {
 public:
  constexpr Points() = default;
  static constexpr Points FromCents(int64_t cents) { return Points(cents); }
  static constexpr Points FromWhole(int64_t whole) { return Points(whole * 100); }

  // Parses `[+-]DIGITS[.D[D]]`. Returns nullopt on anything else, including more than two
  // fractional digits or a magnitude above kWholeMax.
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
  // Points x a decimal quantity, rounded half away from zero to the cent (SPEC.md §3).
  Points Times(Quantity qty) const;
  constexpr Points Abs() const { return Points(cents_ < 0 ? -cents_ : cents_); }
  constexpr auto operator<=>(const Points&) const = default;

  static constexpr int64_t kWholeMax = 1'000'000'000;  // far above any real score

 private:
  constexpr explicit Points(int64_t cents) : cents_(cents) {}
  Points TimesFraction(Quantity qty) const;
  int64_t cents_ = 0;
};

// A quantity of a unit item or a reward (SPEC.md §3, §4): a positive decimal with at most two
// fractional digits ("2.5" hours, "0.75" kg), held exactly in hundredths. Redemptions take whole
// quantities only.
class Quantity {
 public:
  constexpr Quantity() = default;  // 1
  static constexpr Quantity FromHundredths(int64_t hundredths) { return Quantity(hundredths); }
  static constexpr Quantity FromWhole(int64_t whole) { return Quantity(whole * 100); }
  // Parses `DIGITS[.D[D]]` (no sign, no exponent, no leading zeros but "0."). nullopt on anything
  // else, including three or more fractional digits; the range is the caller's to check.
  static std::optional<Quantity> Parse(std::string_view text);

  constexpr int64_t hundredths() const { return hundredths_; }
  constexpr bool IsWhole() const { return hundredths_ % 100 == 0; }
  constexpr int64_t whole() const { return hundredths_ / 100; }  // truncated
  // Shortest exact decimal form: "2.5", "3", "0.75".
  std::string ToString() const;
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  constexpr explicit Quantity(int64_t hundredths) : hundredths_(hundredths) {}
  int64_t hundredths_ = 100;
};

// Whole quantities (nearly every award) multiply exactly without the 128-bit rounding path.
inline Points Points::Times(Quantity qty) const {
  return qty.IsWhole() ? Points(cents_ * qty.whole()) : TimesFraction(qty);
}

}  // namespace jifen
