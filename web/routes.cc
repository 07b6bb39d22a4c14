#include "web/routes.h"

namespace jifen::web {

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> all;
    for (auto area : {PublicRoutes, RecordRoutes, MonthRoutes, OfficeRoutes, ShopRoutes,
                      TownshipRoutes, TransparencyRoutes}) {
      for (Route& r : area()) all.push_back(std::move(r));
    }
    return all;
  }();
  return routes;
}

}  // namespace jifen::web
