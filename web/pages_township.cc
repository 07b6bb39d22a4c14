#include "web/page_util.h"
#include "web/routes.h"

namespace jifen::web {

std::vector<Route> TownshipRoutes() { return {}; }

}  // namespace jifen::web
