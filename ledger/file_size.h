// How a process leaves data.mdb's size between its writes (ledger/FORMAT.md "The data file").
#pragma once

#include <string>

#include "util/status.h"

namespace jifen::ledger {

// For the ledger in `dir`, open in this process (Ledger::Open): from now on the file is not cut
// back to the pages in use after each write transaction; it keeps the map's length and its
// reserved blocks until the ledger is closed, when it is cut back. `jifen serve` asks for this:
// cutting freed the blocks that its next award allocated again, and each such change cost a
// journal commit of the file system at the next sync, about half of one award's time
// (docs/PERFORMANCE.md "Where one award's time goes"). Durability is unchanged: every commit
// still syncs. InvalidInput when the ledger is not open in this process.
Status KeepFileBetweenWrites(const std::string& dir);

}  // namespace jifen::ledger
