#include "serve/routes.h"

#include "serve/handlers.h"

namespace tailor {

std::span<const Route> RouteTable() {
  // Ids in paths may contain any character; "/" is sent as %2F and decoded before matching,
  // hence (.+) rather than ([^/]+).
  static const Route kRoutes[] = {
      {"GET", "/health", "status, model in service, store counts", &Handlers::Health},
      {"GET", "/recommend/(.+)", "recommendations for a stored user", &Handlers::RecommendUser},
      {"POST", "/recommend", "recommendations for an anonymous session history",
       &Handlers::RecommendSession},
      {"GET", "/search", "shopping search: free text, price/brand constraints, personal",
       &Handlers::Search},
      {"GET", "/similar/(.+)", "items similar to an item", &Handlers::SimilarItems},
      {"GET", "/items/(.+)", "an item with its review count and review sentiment",
       &Handlers::GetItem},
      {"POST", "/events", "store events (one or {\"events\": [...]})", &Handlers::PostEvents},
      {"POST", "/items", "upsert items (one or {\"items\": [...]})", &Handlers::PostItems},
      {"POST", "/users", "upsert users (one or {\"users\": [...]})", &Handlers::PostUsers},
      {"POST", "/admin/reload", "load the newest model artifact now", &Handlers::AdminReload},
  };
  return kRoutes;
}

}  // namespace tailor
