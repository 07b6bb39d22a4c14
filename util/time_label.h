// A recorded moment as a person reads it on a page: in China Standard Time, to the minute,
// "2026年12月7日 13:08" in Chinese and "2026-12-07 13:08 (UTC+8)" in English. The ledger keeps
// each moment in RFC 3339 with the offset it was written in (a server on UTC writes +00:00).
#pragma once

#include <string>

#include "util/date.h"

namespace jifen {

std::string ClockLabel(const Timestamp& moment, bool english);

}  // namespace jifen
