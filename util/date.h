// Civil dates, recorded timestamps and scoring periods (SPEC.md §3 "Periods").
// Pure value types: nothing here reads the clock or the locale except Timestamp::Now().
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jifen {

// A proleptic Gregorian day, stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days) { return Date(days); }
  static Date FromCivil(int year, int month, int day);
  // Strict `YYYY-MM-DD`, year 1..9999, real calendar day (2022-02-30 is refused).
  static std::optional<Date> Parse(std::string_view text);

  constexpr int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  std::string ToString() const;
  Date AddDays(int32_t n) const { return Date(days_ + n); }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

// A moment as recorded: UTC seconds plus the offset it was written in, so that the "recorded
// day" of the late-record rule is counted in the record's own offset (SPEC.md §4).
struct Timestamp {
  int64_t utc_seconds = 0;
  int32_t offset_minutes = 0;

  // RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`; fractions are dropped.
  static std::optional<Timestamp> Parse(std::string_view text);
  // The current time in the machine's local offset.
  static Timestamp Now();
  // The local calendar day in the timestamp's own offset.
  Date LocalDate() const;
  std::string ToString() const;  // RFC 3339 in its own offset
  // The same instant in another offset (minutes east of UTC).
  Timestamp InOffset(int32_t minutes) const { return Timestamp{utc_seconds, minutes}; }
  // Ordering is by the instant only.
  bool operator<(const Timestamp& o) const { return utc_seconds < o.utc_seconds; }
  bool operator<=(const Timestamp& o) const { return utc_seconds <= o.utc_seconds; }
};

// `--as-of` accepts a full timestamp or a date, which means the end of that day at +08:00
// (the offset of every township using jifen), so that a date reads the way a clerk means it.
std::optional<Timestamp> ParseAsOf(std::string_view text);

// China Standard Time (Asia/Shanghai, UTC+8, no daylight saving): the offset a bare date of
// `--as-of` is read in, and the one the web pages show recorded times in.
constexpr int32_t kChinaOffsetMinutes = 8 * 60;

enum class PeriodKind : uint8_t { kMonth, kQuarter };

// A month (`YYYY-MM`) or a quarter (`YYYY-Qn`).
struct Period {
  PeriodKind kind = PeriodKind::kMonth;
  int year = 1970;
  int index = 1;  // 1..12 or 1..4

  static std::optional<Period> Parse(std::string_view text);
  static Period Containing(Date date, PeriodKind kind);
  static Period FirstOfYear(int year, PeriodKind kind) { return Period{kind, year, 1}; }
  static int PerYear(PeriodKind kind) { return kind == PeriodKind::kMonth ? 12 : 4; }

  Date FirstDay() const;
  Date LastDay() const;
  Period Next() const;
  Period Previous() const;
  bool IsLastOfYear() const { return index == PerYear(kind); }
  std::string ToString() const;
  auto operator<=>(const Period&) const = default;
};

}  // namespace jifen
