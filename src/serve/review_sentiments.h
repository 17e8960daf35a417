// ReviewSentiments: what the reviews of an item say, for GET /items/{id}: how many reviews it
// has and, with a sentiment model (config server.sentiment_model, a SentimentModel directory
// written by `tailor sentiment-model`), how many of them fall in each sentiment class and a
// score in [-1, 1]: the mean over the reviews of P(positive) - P(negative) (labels found by
// name; no score for a model without both). The newest `max_reviews` reviews are read.
//
// Summaries are cached per item and recomputed when the item's review count or newest review
// changes, so a review POSTed a moment ago counts on the next request and unchanged items are
// not classified again.
//
// For ranking (rank/review_signals.h: min_review_score, review_weight) every item's summary is
// needed at once: Refresh() brings a catalog-wide ReviewSignals snapshot up to date, reading
// the store's review stamps in one query and summarizing only the items whose reviews changed
// since the last refresh. The server refreshes at start and on every poll (server.h), so a
// review POSTed a moment ago reaches the ranking within poll_seconds.
#ifndef TAILOR_SERVE_REVIEW_SENTIMENTS_H_
#define TAILOR_SERVE_REVIEW_SENTIMENTS_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "rank/review_signals.h"
#include "tailor/status.h"
#include "tailor/store.h"
#include "text/sentiment_model.h"

namespace tailor {

struct ItemReviewSummary {
  int32_t reviews = 0;                  // counted up to max_reviews
  std::vector<int32_t> per_label;       // reviews per sentiment label (empty without a model)
  std::optional<double> score;          // mean P(positive) - P(negative)
};

// Thread-safety: Summarize may be called from any thread. Borrows the store.
class ReviewSentiments {
 public:
  // `model` may be null: then only review counts are reported.
  ReviewSentiments(Store& store, std::unique_ptr<SentimentModel> model, int max_reviews = 200);

  bool has_model() const { return model_ != nullptr; }
  // Errors: the store's, or the model's for a review it cannot read.
  StatusOr<ItemReviewSummary> Summarize(int32_t item_idx);
  // {"count": n, "sentiment": {"negative": a, ...}, "score": s}; the last two with a model.
  nlohmann::json ToJson(const ItemReviewSummary& summary) const;
  // Reviews classified so far (all items), for logs and tests.
  int64_t classified_reviews() const;

  // Brings Signals() up to date (above). Returns how many items were summarized again.
  // Errors: the store's or the model's; the snapshot in service is kept then.
  StatusOr<int64_t> Refresh();
  // The snapshot in service: never null (empty before the first Refresh); has_scores when a
  // model is loaded. Safe to hold while a refresh swaps in the next one.
  std::shared_ptr<const ReviewSignals> Signals() const;

 private:
  struct Cached {
    int32_t count = 0;
    std::string newest;
    ItemReviewSummary summary;
  };

  Store& store_;
  const std::unique_ptr<SentimentModel> model_;
  const int max_reviews_;
  int positive_ = -1, negative_ = -1;  // label indexes, -1 when the model has none
  mutable std::mutex mu_;  // guards the two below
  std::unordered_map<int32_t, Cached> cache_;
  int64_t classified_ = 0;

  struct Signal {
    ItemReviewStamp stamp;
    int32_t count = 0;
    float score = 0.0f;  // NaN = none
  };
  std::mutex refresh_mu_;  // one Refresh at a time; guards signal_of_
  std::unordered_map<int32_t, Signal> signal_of_;
  mutable std::mutex signals_mu_;  // guards signals_ (the pointer, not the snapshot)
  std::shared_ptr<const ReviewSignals> signals_;
};

}  // namespace tailor

#endif  // TAILOR_SERVE_REVIEW_SENTIMENTS_H_
