#include "web/page_util.h"
#include "web/routes.h"

namespace jifen::web {

std::vector<Route> MonthRoutes() { return {}; }

}  // namespace jifen::web
