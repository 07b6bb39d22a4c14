#include "util/time_label.h"

namespace jifen {

std::string ClockLabel(const Timestamp& moment, bool english) {
  Timestamp local = moment.InOffset(kChinaOffsetMinutes);
  Date day = local.LocalDate();
  std::string hh_mm = local.ToString().substr(11, 5);  // RFC 3339: YYYY-MM-DDTHH:MM:SS+08:00
  if (english) return day.ToString() + " " + hh_mm + " (UTC+8)";
  return std::to_string(day.year()) + "年" + std::to_string(day.month()) + "月" +
         std::to_string(day.day()) + "日 " + hh_mm;
}

}  // namespace jifen
