// ItemKnnRecommender ("item-knn"): item-based collaborative filtering (Sarwar et al. 2001,
// "Item-based collaborative filtering recommendation algorithms"; Deshpande & Karypis 2004).
//
// Fit: for every item i, the shrunk cosine (neighbors.h) to every co-occurring item j over the
// user x item matrix (binary or summed weights), keeping the `neighbors` best j per item.
// Co-occurrences are accumulated sparsely, item by item, into a dense per-thread accumulator:
// cost O(sum over users of |history|^2), parallel over items, result independent of threads.
// Score: score(i) = sum over the distinct history items h of w_h * sim(h, i), where i is among
// h's kept neighbours (w_h = 1, or h's summed weights with weight_history). When no history
// item has a neighbour (empty history, unknown user, only new items) it ranks by popularity.
// Immutable after Fit/LoadPayload; Score/SimilarItems/Explain are thread-safe.
#ifndef TAILOR_MODELS_KNN_ITEM_KNN_H_
#define TAILOR_MODELS_KNN_ITEM_KNN_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "models/knn/neighbors.h"
#include "models/popularity/item_popularity.h"
#include "models/params.h"
#include "models/recommender.h"

namespace tailor {

struct ItemKnnOptions {
  int neighbors = 100;   // similar items kept per item (1..100000)
  double shrink = 10.0;  // added to the cosine denominator (>= 0)
  bool binary = true;    // each interacted (user, item) pair counts 1; false = summed weights
  bool weight_history = false;  // Score: weight each history item by its summed event weights

  // Errors: kInvalidArgument naming the bad or unknown param.
  static StatusOr<ItemKnnOptions> FromJson(const nlohmann::json& params);
  static std::vector<ParamRange> SearchSpace() {
    return {{"neighbors", 5, 2000, true, true}, {"shrink", 0, 1000}};
  }
  nlohmann::json ToJson() const;
};

class ItemKnnRecommender final : public Recommender {
 public:
  using Options = ItemKnnOptions;
  static constexpr char kName[] = "item-knn";

  explicit ItemKnnRecommender(const ItemKnnOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  // Errors: kInvalidArgument for neighbors < 1 or shrink < 0.
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return num_items_; }
  void Score(const Query& query, std::span<float> scores) const override;
  // sim(item_idx, j) for j among item_idx's neighbours, 0 elsewhere; popularity when the item
  // has no neighbours or is unknown.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "similar to {item:H} in your history" for the history item H contributing most (the most
  // recent one on ties); the popularity reason when none contributes.
  std::string Explain(const Query& query, int32_t item_idx) const override;
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // The kept neighbours of an item, best first (empty for unknown items).
  std::span<const Neighbor> neighbors(int32_t item_idx) const;
  // sim(a, b) when b is among a's kept neighbours, else 0.
  float Similarity(int32_t item_a, int32_t item_b) const;

 private:
  ItemKnnOptions options_;
  int32_t num_items_ = 0;
  std::vector<int64_t> offsets_ = {0};  // [item_idx] -> range in neighbors_, size num_items_ + 1
  std::vector<Neighbor> neighbors_;
  ItemPopularity popularity_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_KNN_ITEM_KNN_H_
