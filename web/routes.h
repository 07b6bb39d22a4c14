// The route table of `jifen serve`, assembled from one list per area of the application.
// Each list lives with its pages (web/pages_*.cc).
#pragma once

#include <vector>

#include "ledger/ledger.h"
#include "web/server.h"

namespace jifen::web {

std::vector<Route> PublicRoutes();    // pages_public.cc: sign-in, home, public board, card page
std::vector<Route> RecordRoutes();    // pages_record.cc: the scorer's record form, own entries
std::vector<Route> MonthRoutes();     // pages_month.cc: review queue, month end, objections, audit
std::vector<Route> OfficeRoutes();    // pages_office.cc: rules editor, roster
std::vector<Route> ShopRoutes();      // pages_shop.cc: the points shop
std::vector<Route> TownshipRoutes();  // pages_township.cc: township and auditor pages
std::vector<Route> TransparencyRoutes();  // pages_tlog.cc: checkpoint, tiles, records' proofs

// The ledger's verifier key (name+keyid+base64) for checkpoints and proofs; "" when it cannot be
// read or made.
std::string LogVerifierKey(App& app);
// The signed checkpoint of the tree of `size` records of `reader` (the tree a post ends: SPEC.md
// §6), as `jifen checkpoint --size` prints it, the key made at first use; "" when it cannot be.
std::string CheckpointOfSize(App& app, const ledger::Reader& reader, uint64_t size);
// Which witnesses cosigned the ledger's latest checkpoint or a later one, for the card (SPEC.md §6
// "Witnesses"): "cosigned" [{name, size}], "none" when that list is empty, "head" the latest
// checkpoint's size, "earlier" those that cosigned only smaller trees, "damaged" when a kept
// cosigned checkpoint no longer matches the ledger.
nlohmann::json CardWitnesses(App& app);

}  // namespace jifen::web
