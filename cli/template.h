// `jifen template`: the workbook a clerk fills in and imports as it is (docs/IMPORT.md
// "Templates"). Its first sheet has the headers of formats/headers.h, drop-down lists (data
// validation) of the village's items, households, persons and scorers from the rules in force and
// the ledger, and an example row (示例, skipped by import); the second sheet explains each column.
// Headers are Chinese unless --lang en.
#pragma once

#include <string>

#include "cli/commands.h"

namespace jifen::cli {

// `kind`: "awards" (积分登记) or "roster" (花名册: households and persons).
int RunTemplate(const Globals& g, const std::string& village, const std::string& kind,
                const std::string& out);

}  // namespace jifen::cli
