#include "util/time_label.h"

#include <cstdio>

namespace jifen {

std::string ClockLabel(const Timestamp& moment, bool english) {
  Timestamp local = moment.InOffset(kChinaOffsetMinutes);
  Date day = local.LocalDate();
  int64_t seconds = local.utc_seconds + int64_t{kChinaOffsetMinutes} * 60 - int64_t{day.days()} * 86400;
  int hour = static_cast<int>(seconds / 3600), minute = static_cast<int>(seconds / 60 % 60);
  char text[64];
  if (english) {
    std::snprintf(text, sizeof text, "%s %02d:%02d (UTC+8)", day.ToString().c_str(), hour, minute);
  } else {
    std::snprintf(text, sizeof text, "%d年%d月%d日 %02d:%02d", day.year(), day.month(), day.day(),
                  hour, minute);
  }
  return text;
}

}  // namespace jifen
