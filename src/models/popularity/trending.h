// TrendingRecommender ("trending"): time-decayed popularity, the same ranking for everyone.
// Each interaction counts weight * 0.5^((t_ref - t) / half_life), where t_ref is the latest
// timestamp in the training data: an interaction one half-life older counts half as much.
// Immutable after Fit/LoadPayload; Score/Explain are thread-safe.
#ifndef TAILOR_MODELS_POPULARITY_TRENDING_H_
#define TAILOR_MODELS_POPULARITY_TRENDING_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "models/params.h"
#include "models/recommender.h"

namespace tailor {

struct TrendingOptions {
  double half_life_days = 7.0;  // days after which an interaction counts half (> 0)

  // Errors: kInvalidArgument naming the bad or unknown param.
  static StatusOr<TrendingOptions> FromJson(const nlohmann::json& params);
  static std::vector<ParamRange> SearchSpace() { return {{"half_life_days", 0.5, 365, true}}; }
  nlohmann::json ToJson() const;
};

class TrendingRecommender final : public Recommender {
 public:
  using Options = TrendingOptions;
  static constexpr char kName[] = "trending";

  explicit TrendingRecommender(const TrendingOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return static_cast<int32_t>(scores_.size()); }
  // The decayed popularity of each item, whatever the query; 0 for items it never saw.
  void Score(const Query& query, std::span<float> scores) const override;
  // Same as Score: trending items are the best guess without a notion of similarity.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "trending now".
  std::string Explain(const Query& query, int32_t item_idx) const override;
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // The reference time t_ref (unix seconds) of the last Fit.
  int64_t reference_time() const { return reference_time_; }

 private:
  TrendingOptions options_;
  int64_t reference_time_ = 0;
  std::vector<float> scores_;  // [item_idx]
};

}  // namespace tailor

#endif  // TAILOR_MODELS_POPULARITY_TRENDING_H_
