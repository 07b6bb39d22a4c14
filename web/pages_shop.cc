#include "web/page_util.h"
#include "web/routes.h"

namespace jifen::web {

std::vector<Route> ShopRoutes() { return {}; }

}  // namespace jifen::web
