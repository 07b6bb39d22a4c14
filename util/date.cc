#include "util/date.h"

#include <cstdio>
#include <ctime>

namespace jifen {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int32_t z, int* y, int* m, int* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly `n` ASCII digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Date Date::FromCivil(int year, int month, int day) { return Date(DaysFromCivil(year, month, day)); }

std::optional<Date> Date::Parse(std::string_view text) {
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!Digits(text, 0, 4, &y) || !Digits(text, 5, 2, &m) || !Digits(text, 8, 2, &d))
    return std::nullopt;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return FromCivil(y, m, d);
}

int Date::year() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return y;
}
int Date::month() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return m;
}
int Date::day() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  return d;
}

std::string Date::ToString() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

std::optional<Timestamp> Timestamp::Parse(std::string_view text) {
  if (text.size() < 20 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  auto date = Date::Parse(text.substr(0, 10));
  int hh, mm, ss;
  if (!date || !Digits(text, 11, 2, &hh) || text[13] != ':' || !Digits(text, 14, 2, &mm) ||
      text[16] != ':' || !Digits(text, 17, 2, &ss) || hh > 23 || mm > 59 || ss > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
  }
  int offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!Digits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !Digits(text, pos + 4, 2, &om) || oh > 14 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  int64_t local = int64_t{date->days()} * 86400 + hh * 3600 + mm * 60 + ss;
  return Timestamp{local - int64_t{offset} * 60, offset};
}

Timestamp Timestamp::Now() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Timestamp{static_cast<int64_t>(now), static_cast<int32_t>(local.tm_gmtoff / 60)};
}

Date Timestamp::LocalDate() const {
  int64_t local = utc_seconds + int64_t{offset_minutes} * 60;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  return Date::FromDays(static_cast<int32_t>(days));
}

std::string Timestamp::ToString() const {
  int64_t local = utc_seconds + int64_t{offset_minutes} * 60;
  Date date = LocalDate();
  int64_t secs = local - int64_t{date.days()} * 86400;
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", date.ToString().c_str(),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::optional<Timestamp> ParseAsOf(std::string_view text) {
  if (auto ts = Timestamp::Parse(text)) return ts;
  auto date = Date::Parse(text);
  if (!date) return std::nullopt;
  int64_t end_local = int64_t{date->days()} * 86400 + 86399;
  return Timestamp{end_local - kChinaOffsetMinutes * 60, kChinaOffsetMinutes};
}

std::optional<Period> Period::Parse(std::string_view text) {
  int y, n;
  if (text.size() == 7 && text[4] == '-' && Digits(text, 0, 4, &y) && Digits(text, 5, 2, &n)) {
    if (y >= 1 && n >= 1 && n <= 12) return Period{PeriodKind::kMonth, y, n};
  }
  if (text.size() == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q') &&
      Digits(text, 0, 4, &y) && Digits(text, 6, 1, &n)) {
    if (y >= 1 && n >= 1 && n <= 4) return Period{PeriodKind::kQuarter, y, n};
  }
  return std::nullopt;
}

Period Period::Containing(Date date, PeriodKind kind) {
  int m = date.month();
  return Period{kind, date.year(), kind == PeriodKind::kMonth ? m : (m - 1) / 3 + 1};
}

Date Period::FirstDay() const {
  int month = kind == PeriodKind::kMonth ? index : (index - 1) * 3 + 1;
  return Date::FromCivil(year, month, 1);
}

Date Period::LastDay() const { return Next().FirstDay().AddDays(-1); }

Period Period::Next() const {
  if (index == PerYear(kind)) return Period{kind, year + 1, 1};
  return Period{kind, year, index + 1};
}

Period Period::Previous() const {
  if (index == 1) return Period{kind, year - 1, PerYear(kind)};
  return Period{kind, year, index - 1};
}

std::string Period::ToString() const {
  char buf[16];
  if (kind == PeriodKind::kMonth) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index);
  }
  return buf;
}

}  // namespace jifen
