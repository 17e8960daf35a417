// ReviewSignals: what the reviews say about each catalog item, as ranking features: how many
// reviews it has and their mean sentiment score in [-1, 1] (mean P(positive) - P(negative) of
// a sentiment model; serve/review_sentiments.h builds them from the store). Two uses, asked
// for per request through Filters (recommend.h):
//   min_review_score  drops the items whose score is below the bound (items nobody reviewed
//                     yet stay: a new item is not a bad one);
//   review_weight     re-ranks the best candidates by
//                       score + review_weight * spread * Shrunk(item),
//                     spread = the standard deviation of the candidates' scores, so one
//                     weight means the same for every model's score scale, and Shrunk pulls
//                     the score of an item with few reviews toward 0 (n / (n + kReviewPrior)).
#ifndef TAILOR_RANK_REVIEW_SIGNALS_H_
#define TAILOR_RANK_REVIEW_SIGNALS_H_

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "index/top_k.h"

namespace tailor {

// Reviews at which Shrunk() keeps half of an item's score.
inline constexpr double kReviewPrior = 5.0;
// Candidates re-ranked by review_weight: the best max(kReviewCandidatesPerItem * k,
// kMinReviewCandidates) by score.
inline constexpr int kReviewCandidatesPerItem = 4;
inline constexpr int kMinReviewCandidates = 50;

struct ReviewSignals {
  std::vector<int32_t> counts;  // [item_idx] reviews read; items past the end have none
  std::vector<float> scores;    // [item_idx] mean sentiment score; NaN (or past the end) = none
  bool has_scores = false;      // a sentiment model scored them (counts only otherwise)

  int32_t count(int32_t item_idx) const {
    return item_idx >= 0 && static_cast<size_t>(item_idx) < counts.size() ? counts[item_idx] : 0;
  }
  // NaN when the item has no score.
  float score(int32_t item_idx) const {
    return item_idx >= 0 && static_cast<size_t>(item_idx) < scores.size() ? scores[item_idx]
                                                                           : NAN;
  }
  // score * n / (n + kReviewPrior); 0 without a score.
  float Shrunk(int32_t item_idx) const;
};

// Re-orders `candidates` (any order in, best first out) by the boosted score above and
// stores it in their `score`; ties keep the lower item index first. weight 0 only sorts.
void BoostByReviews(const ReviewSignals& reviews, double weight,
                    std::vector<ScoredItem>& candidates);

// The k best allowed items (TopK); with weight != 0, the best candidates (above) re-ranked by
// BoostByReviews and cut to k. `reviews` may be null when weight is 0.
std::vector<ScoredItem> TopKByReviews(std::span<const float> scores, int k,
                                      std::span<const uint8_t> allowed,
                                      const ReviewSignals* reviews, double weight);

// The reason's review part: "reviews: positive (score 0.84 over 25)"; empty without a score.
std::string ReviewReason(const ReviewSignals& reviews, int32_t item_idx);
// Appends ReviewReason to `reason` after "; " (nothing without a score).
void AppendReviewReason(const ReviewSignals& reviews, int32_t item_idx, std::string& reason);

}  // namespace tailor

#endif  // TAILOR_RANK_REVIEW_SIGNALS_H_
