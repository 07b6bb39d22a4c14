// A period as Chinese text says it: "2022年6月", "2022年第二季度" (the board and the web pages).
#pragma once

#include <string>

#include "util/date.h"

namespace jifen {

std::string ChinesePeriodLabel(const Period& period);

}  // namespace jifen
