#include "web/page_util.h"
#include "web/routes.h"

namespace jifen::web {

std::vector<Route> OfficeRoutes() { return {}; }

}  // namespace jifen::web
