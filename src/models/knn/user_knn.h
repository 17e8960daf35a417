// UserKnnRecommender ("user-knn"): user-based collaborative filtering (Herlocker et al. 1999,
// "An algorithmic framework for performing collaborative filtering").
//
// Fit only stores the user x item matrix (binary or summed weights), its item -> users
// inverted index and the norms; neighbours are found at request time, so the history as it is
// now (events stored a moment ago) shapes the neighbourhood.
// Score(query): q = the history as a sparse item vector; sim(q, v) = shrunk cosine
// (neighbors.h) to every training user v sharing an item with q (found through the inverted
// index; the query's own training row is skipped when query.user >= 0); the `neighbors` most
// similar users vote: score(i) = sum_v sim(q, v) * r_v,i. No similar user (empty history,
// only new items) -> popularity.
// Immutable after Fit/LoadPayload; Score/SimilarItems/Explain are thread-safe.
#ifndef TAILOR_MODELS_KNN_USER_KNN_H_
#define TAILOR_MODELS_KNN_USER_KNN_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "dataset/csr_matrix.h"
#include "models/knn/neighbors.h"
#include "models/popularity/item_popularity.h"
#include "models/params.h"
#include "models/recommender.h"

namespace tailor {

struct UserKnnOptions {
  int neighbors = 50;    // most similar training users that vote (1..100000)
  double shrink = 10.0;  // added to the cosine denominator (>= 0)
  bool binary = true;    // each interacted (user, item) pair counts 1; false = summed weights

  // Errors: kInvalidArgument naming the bad or unknown param.
  static StatusOr<UserKnnOptions> FromJson(const nlohmann::json& params);
  static std::vector<ParamRange> SearchSpace() {
    return {{"neighbors", 5, 2000, true, true}, {"shrink", 0, 1000}};
  }
  nlohmann::json ToJson() const;
};

class UserKnnRecommender final : public Recommender {
 public:
  using Options = UserKnnOptions;
  static constexpr char kName[] = "user-knn";

  explicit UserKnnRecommender(const UserKnnOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  // Errors: kInvalidArgument for neighbors < 1 or shrink < 0.
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return by_user_.cols; }
  void Score(const Query& query, std::span<float> scores) const override;
  // Shrunk item-item cosine through the users (computed on the fly, O(co-occurrences));
  // popularity when the item has no co-occurring item or is unknown.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "shoppers like you (who also chose {item:H}) picked this": H is the history item most
  // shared (by similarity) with the neighbours who have the item; the popularity reason when
  // no neighbour has it.
  std::string Explain(const Query& query, int32_t item_idx) const override;
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // The query's most similar training users, best first (ties by lower user index).
  std::vector<Neighbor> FindNeighbors(const Query& query) const;

 private:
  // Rebuilds the inverted index and the norms from by_user_ (after Fit and after Load, so a
  // loaded model is bit-identical to the fitted one).
  void Prepare();

  UserKnnOptions options_;
  CsrMatrix by_user_;              // users x items
  CsrMatrix by_item_;              // items x users
  std::vector<float> user_norms_;  // [user_idx]
  std::vector<float> item_norms_;  // [item_idx]
  ItemPopularity popularity_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_KNN_USER_KNN_H_
