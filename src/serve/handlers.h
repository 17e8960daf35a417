// Handlers: what every endpoint does, independent of HTTP. Each method takes an ApiRequest
// and returns the JSON answer or a Status (mapped to HTTP by status_http.h). The route table
// (routes.h) lists them; the JSON shapes are documented in the README's HTTP API section.
//
// Reads use the model and catalog generations in service at the start of the request, and the
// user's history as stored at request time, so an event stored a moment ago changes the next
// recommendation. Thread-safety: all methods may run concurrently; the store, model holder and
// catalog holder are thread-safe and borrowed (they must outlive the Handlers).
#ifndef TAILOR_SERVE_HANDLERS_H_
#define TAILOR_SERVE_HANDLERS_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "serve/catalog_holder.h"
#include "serve/model_holder.h"
#include "serve/review_sentiments.h"
#include "serve/routes.h"
#include "serve/search_holder.h"
#include "tailor/status.h"
#include "tailor/store.h"

namespace tailor {

class Handlers {
 public:
  static constexpr int kHealthCountsMaxAgeSeconds = 10;

  // `history_limit`: most recent events read per user request (>= 1); `new_item_slots`: the
  // lists' new_items when a request does not say (>= 0).
  Handlers(Store& store, ModelHolder& models, CatalogHolder& catalogs, SearchHolder& searches,
           ReviewSentiments& reviews, int history_limit, int new_item_slots, LogFn log);

  // GET /health. The store counts are cached for kHealthCountsMaxAgeSeconds: counting a large
  // store takes a while, and health checks come often.
  StatusOr<ApiResponse> Health(const ApiRequest& request);
  // GET /recommend/{user}. Unknown users get cold-start recommendations.
  StatusOr<ApiResponse> RecommendUser(const ApiRequest& request);
  // POST /recommend: {"history": [...], "n": 10, filters...}.
  StatusOr<ApiResponse> RecommendSession(const ApiRequest& request);
  // GET /search?q=...&user=...&n=...: shopping search (rank/product_search.h), personal when
  // `user` is given and a model is loaded; list filters as /recommend, exclude_seen false by
  // default. kInvalidArgument without q or for an empty or contradictory query.
  StatusOr<ApiResponse> Search(const ApiRequest& request);
  // GET /similar/{item}. kNotFound for an unknown item.
  StatusOr<ApiResponse> SimilarItems(const ApiRequest& request);
  // GET /items/{item}: the stored item and its "reviews" (review_sentiments.h: count, and
  // sentiment counts and score with a sentiment model). kNotFound for an unknown item.
  StatusOr<ApiResponse> GetItem(const ApiRequest& request);
  // POST /events: validated as a whole, stored in one transaction, 201.
  StatusOr<ApiResponse> PostEvents(const ApiRequest& request);
  // POST /items: upserted in one transaction; the catalog is rebuilt.
  StatusOr<ApiResponse> PostItems(const ApiRequest& request);
  // POST /users: upserted in one transaction.
  StatusOr<ApiResponse> PostUsers(const ApiRequest& request);
  // POST /admin/reload: brings the review ranking signals up to date and loads the newest
  // artifact now.
  StatusOr<ApiResponse> AdminReload(const ApiRequest& request);

 private:
  // The generation in service; kUnavailable (telling to run `tailor train`) when none.
  StatusOr<std::shared_ptr<const ModelGeneration>> CurrentModel() const;

  // A stored user's recent history (empty for an unknown user), as the model reads it.
  struct UserHistory {
    std::optional<int32_t> user_idx;
    std::vector<Interaction> history;
    std::vector<int32_t> rejected;
  };
  StatusOr<UserHistory> ReadUserHistory(const std::string& user_id, const Catalog& catalog);
  // The store's Stats(), recomputed when older than kHealthCountsMaxAgeSeconds.
  StatusOr<StoreStats> CachedStats();

  Store& store_;
  ModelHolder& models_;
  CatalogHolder& catalogs_;
  SearchHolder& searches_;
  ReviewSentiments& reviews_;
  const int history_limit_;
  const int new_item_slots_;
  const LogFn log_;

  std::mutex stats_mu_;  // guards the cache below; held while recomputing (one at a time)
  std::optional<StoreStats> stats_;
  std::chrono::steady_clock::time_point stats_at_;
};

}  // namespace tailor

#endif  // TAILOR_SERVE_HANDLERS_H_
