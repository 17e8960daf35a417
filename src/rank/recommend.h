// Turning model scores into a recommendation list: filters, top-k, explanations. The one
// place where business filters are applied, for every model.
#ifndef TAILOR_RANK_RECOMMEND_H_
#define TAILOR_RANK_RECOMMEND_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/recommender.h"
#include "rank/catalog.h"
#include "rank/new_items.h"
#include "rank/review_signals.h"
#include "tailor/status.h"

namespace tailor {

struct Filters {
  std::vector<int32_t> exclude_items;          // never return these
  std::vector<std::string> categories;         // when non-empty: only items in one of these
  std::vector<std::string> exclude_categories; // never items in these
  bool in_stock_only = false;
  bool exclude_seen = false;                   // drop items in the query's history
  // Review features (review_signals.h); they need ReviewSignals with scores.
  std::optional<double> min_review_score;      // drop items scored below (unreviewed stay)
  double review_weight = 0.0;                  // re-rank the best candidates by reviews (>= 0)
  // Up to this many of the k places go to items the model was not trained on (added since),
  // placed by their text's likeness to the history (rank/new_items.h); needs a
  // NewItemIndex. 0 = none (>= 0).
  int new_item_slots = 0;

  bool uses_reviews() const { return min_review_score.has_value() || review_weight != 0.0; }
};


struct Recommendation {
  int32_t item = 0;
  float score = 0.0f;
  std::string reason;  // human-readable, with item labels filled in
};

// The mask of catalog items that pass `filters` (1 = may be listed), with `seen` (when
// filters.exclude_seen is meant; pass {} otherwise) and `rejected` excluded. `reviews` may be
// null unless filters.uses_reviews(). Errors: kInvalidArgument naming an unknown category;
// kFailedPrecondition when the filters use reviews and `reviews` has no scores.
StatusOr<std::vector<uint8_t>> AllowedMask(const Catalog& catalog, const Filters& filters,
                                           std::span<const Interaction> seen,
                                           std::span<const int32_t> rejected,
                                           const ReviewSignals* reviews = nullptr);

// Top-k items for the query after filters. `rejected` are items the user reacted to with a
// negative event type: always excluded. Items beyond the model's num_items (added after
// training) are scored by the model's fallback (lowest score). k <= 0 or an empty catalog give
// an empty list. With filters.review_weight the list is re-ranked by reviews and each reason
// says what the reviews are. With filters.new_item_slots = S > 0 and `new_items`, the S best
// new items by text (those sharing words with the history) take the last places of the list,
// their score the text score. Errors: as AllowedMask; kInvalidArgument for S < 0.
StatusOr<std::vector<Recommendation>> Recommend(const Recommender& model, const Catalog& catalog,
                                                const Query& query,
                                                std::span<const int32_t> rejected,
                                                const Filters& filters, int k,
                                                const ReviewSignals* reviews = nullptr,
                                                const NewItemIndex* new_items = nullptr);

// Items most similar to `item_idx` (itself excluded) after filters (exclude_seen ignored).
// Errors: kNotFound when item_idx is not in the catalog; else as AllowedMask.
StatusOr<std::vector<Recommendation>> Similar(const Recommender& model, const Catalog& catalog,
                                              int32_t item_idx, const Filters& filters, int k,
                                              const ReviewSignals* reviews = nullptr);

}  // namespace tailor

#endif  // TAILOR_RANK_RECOMMEND_H_
