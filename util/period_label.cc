#include "util/period_label.h"

namespace jifen {

std::string ChinesePeriodLabel(const Period& period) {
  static const char* const kQuarters[] = {"一", "二", "三", "四"};
  if (period.kind == PeriodKind::kQuarter && period.index >= 1 && period.index <= 4) {
    return std::to_string(period.year) + "年第" + kQuarters[period.index - 1] + "季度";
  }
  return std::to_string(period.year) + "年" + std::to_string(period.index) + "月";
}

}  // namespace jifen
