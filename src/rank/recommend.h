// Turning model scores into a recommendation list: filters, top-k, explanations. The one
// place where business filters are applied, for every model.
#ifndef TAILOR_RANK_RECOMMEND_H_
#define TAILOR_RANK_RECOMMEND_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/recommender.h"
#include "rank/catalog.h"
#include "tailor/status.h"

namespace tailor {

struct Filters {
  std::vector<int32_t> exclude_items;          // never return these
  std::vector<std::string> categories;         // when non-empty: only items in one of these
  std::vector<std::string> exclude_categories; // never items in these
  bool in_stock_only = false;
  bool exclude_seen = false;                   // drop items in the query's history
};

struct Recommendation {
  int32_t item = 0;
  float score = 0.0f;
  std::string reason;  // human-readable, with item labels filled in
};

// The mask of catalog items that pass `filters` (1 = may be listed), with `seen` (when
// filters.exclude_seen is meant; pass {} otherwise) and `rejected` excluded. Errors:
// kInvalidArgument naming an unknown category.
StatusOr<std::vector<uint8_t>> AllowedMask(const Catalog& catalog, const Filters& filters,
                                           std::span<const Interaction> seen,
                                           std::span<const int32_t> rejected);

// Top-k items for the query after filters. `rejected` are items the user reacted to with a
// negative event type: always excluded. Items beyond the model's num_items (added after
// training) are scored by the model's fallback (lowest score). k <= 0 or an empty catalog give
// an empty list. Errors: kInvalidArgument for an unknown category name.
StatusOr<std::vector<Recommendation>> Recommend(const Recommender& model, const Catalog& catalog,
                                                const Query& query,
                                                std::span<const int32_t> rejected,
                                                const Filters& filters, int k);

// Items most similar to `item_idx` (itself excluded) after filters (exclude_seen ignored).
// Errors: kNotFound when item_idx is not in the catalog.
StatusOr<std::vector<Recommendation>> Similar(const Recommender& model, const Catalog& catalog,
                                              int32_t item_idx, const Filters& filters, int k);

}  // namespace tailor

#endif  // TAILOR_RANK_RECOMMEND_H_
