// PopularityRecommender ("popularity"): the same ranking for everyone, by how much the shop's
// users interacted with each item. The baseline every other model must beat, and the fallback
// for brand-new visitors.
// Immutable after Fit/LoadPayload; Score/Explain are thread-safe.
#ifndef TAILOR_MODELS_POPULARITY_POPULARITY_H_
#define TAILOR_MODELS_POPULARITY_POPULARITY_H_

#include <nlohmann/json.hpp>

#include "models/popularity/item_popularity.h"
#include "models/recommender.h"

namespace tailor {

struct PopularityOptions {
  // true: score = sum of interaction weights (a purchase counts more than a view);
  // false: score = number of distinct users who interacted with the item.
  bool weighted = true;

  // Errors: kInvalidArgument naming the bad or unknown param.
  static StatusOr<PopularityOptions> FromJson(const nlohmann::json& params);
  nlohmann::json ToJson() const;
};

class PopularityRecommender final : public Recommender {
 public:
  using Options = PopularityOptions;
  static constexpr char kName[] = "popularity";

  explicit PopularityRecommender(const PopularityOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return popularity_.num_items(); }
  // The popularity of each item, whatever the query; 0 for items it never saw.
  void Score(const Query& query, std::span<float> scores) const override;
  // Popularity too: without a notion of similarity, the best "similar" guess is "popular".
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "popular in the shop (N shoppers)".
  std::string Explain(const Query& query, int32_t item_idx) const override;
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

 private:
  PopularityOptions options_;
  ItemPopularity popularity_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_POPULARITY_POPULARITY_H_
