#include "rank/review_signals.h"

#include <algorithm>
#include <cstdio>

namespace tailor {

float ReviewSignals::Shrunk(int32_t item_idx) const {
  const float value = score(item_idx);
  if (std::isnan(value)) return 0.0f;
  const double n = count(item_idx);
  return static_cast<float>(value * n / (n + kReviewPrior));
}

void BoostByReviews(const ReviewSignals& reviews, double weight,
                    std::vector<ScoredItem>& candidates) {
  if (candidates.empty()) return;
  double mean = 0.0;
  for (const ScoredItem& c : candidates) mean += c.score;
  mean /= static_cast<double>(candidates.size());
  double variance = 0.0;
  for (const ScoredItem& c : candidates) variance += (c.score - mean) * (c.score - mean);
  const double spread = std::sqrt(variance / static_cast<double>(candidates.size()));
  // With equal scores the reviews alone decide: one unit per unit of weight.
  const double unit = spread > 0.0 ? spread : 1.0;
  for (ScoredItem& c : candidates) {
    c.score = static_cast<float>(c.score + weight * unit * reviews.Shrunk(c.item));
  }
  std::sort(candidates.begin(), candidates.end(), [](const ScoredItem& a, const ScoredItem& b) {
    return a.score != b.score ? a.score > b.score : a.item < b.item;
  });
}

std::vector<ScoredItem> TopKByReviews(std::span<const float> scores, int k,
                                      std::span<const uint8_t> allowed,
                                      const ReviewSignals* reviews, double weight) {
  if (weight == 0.0 || reviews == nullptr) return TopK(scores, k, allowed);
  std::vector<ScoredItem> best =
      TopK(scores, std::max(kReviewCandidatesPerItem * k, kMinReviewCandidates), allowed);
  BoostByReviews(*reviews, weight, best);
  if (best.size() > static_cast<size_t>(std::max(k, 0))) best.resize(static_cast<size_t>(k));
  return best;
}

std::string ReviewReason(const ReviewSignals& reviews, int32_t item_idx) {
  const float value = reviews.score(item_idx);
  if (std::isnan(value)) return {};
  const char* tone = value >= 0.34f ? "positive" : value <= -0.34f ? "negative" : "mixed";
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "reviews: %s (score %.2f over %d)", tone, value,
                reviews.count(item_idx));
  return buffer;
}

void AppendReviewReason(const ReviewSignals& reviews, int32_t item_idx, std::string& reason) {
  const std::string part = ReviewReason(reviews, item_idx);
  if (!part.empty()) reason += (reason.empty() ? "" : "; ") + part;
}

}  // namespace tailor
