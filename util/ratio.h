// Exact fractions, for every figure that must not be rounded before it is compared: ranking
// values (a year's mean), bonus conditions, a village's mean and median. Rounding happens once,
// half away from zero (SPEC.md §3 "Rounding"), when a figure is shown or stored as points.
#pragma once

#include <compare>
#include <cstdint>

#include "util/points.h"

namespace jifen {

// num/den with den > 0. The parts are 128 bits wide: products of two int64 values (a sum of
// cents times a count of periods, cross-multiplied to compare) never overflow, and bonus
// expressions, which are a few operations deep, do not in practice.
class Ratio {
 public:
  constexpr Ratio() = default;  // 0
  // `den` must not be 0; a negative `den` gives its sign to `num`. Kept in lowest terms, so that
  // a long sum of points (each 1/100) does not multiply its denominators past 128 bits.
  constexpr Ratio(__int128 num, __int128 den)
      : num_(den < 0 ? -num : num), den_(den < 0 ? -den : den) {
    __int128 divisor = Gcd(num_ < 0 ? -num_ : num_, den_);
    if (divisor > 1) num_ /= divisor, den_ /= divisor;
  }
  static constexpr Ratio Whole(int64_t n) { return Ratio(n, 1); }
  // A number of points: cents / 100.
  static constexpr Ratio OfPoints(Points p) { return Ratio(p.cents(), 100); }

  constexpr __int128 num() const { return num_; }
  constexpr __int128 den() const { return den_; }

  constexpr Ratio operator-() const { return Ratio(-num_, den_); }
  friend constexpr Ratio operator+(const Ratio& a, const Ratio& b) {
    return Ratio(a.num_ * b.den_ + b.num_ * a.den_, a.den_ * b.den_);
  }
  friend constexpr Ratio operator-(const Ratio& a, const Ratio& b) { return a + -b; }
  friend constexpr Ratio operator*(const Ratio& a, const Ratio& b) {
    return Ratio(a.num_ * b.num_, a.den_ * b.den_);
  }
  // a / b; b must not be 0.
  friend constexpr Ratio operator/(const Ratio& a, const Ratio& b) {
    return Ratio(a.num_ * b.den_, a.den_ * b.num_);
  }
  constexpr bool IsZero() const { return num_ == 0; }

  // Compared exactly, by cross-multiplying: 1/3 == 2/6 < 34/100.
  friend constexpr std::strong_ordering operator<=>(const Ratio& a, const Ratio& b) {
    return a.num_ * b.den_ <=> b.num_ * a.den_;
  }
  friend constexpr bool operator==(const Ratio& a, const Ratio& b) {
    return a.num_ * b.den_ == b.num_ * a.den_;
  }

  // The nearest integer, halves away from zero.
  constexpr __int128 RoundHalfAway() const {
    __int128 n = num_ < 0 ? -num_ : num_;
    __int128 q = n / den_;
    if ((n % den_) * 2 >= den_) ++q;
    return num_ < 0 ? -q : q;
  }
  // As points, rounded half away from zero to the cent.
  constexpr Points ToPoints() const {
    return Points::FromCents(static_cast<int64_t>(Ratio(num_ * 100, den_).RoundHalfAway()));
  }

 private:
  // Euclid's algorithm (std::gcd takes no __int128 in strict C++20).
  static constexpr __int128 Gcd(__int128 a, __int128 b) {
    while (b != 0) {
      __int128 r = a % b;
      a = b;
      b = r;
    }
    return a;
  }

  __int128 num_ = 0;
  __int128 den_ = 1;
};

}  // namespace jifen
