// EaseRecommender ("ease"): Embarrassingly Shallow Autoencoder (Steck 2019, "Embarrassingly
// Shallow Autoencoders for Sparse Data", WWW). One closed-form item x item weight matrix:
//
//   G = X^T X + lambda I,   P = G^-1,   B = I - P diag(1 / diag(P)),   score(u) = x_u B
//
// X is the binary user x item matrix (or summed event weights with binary = false). B solves
// min ||X - X B||^2 + lambda ||B||^2 subject to diag(B) = 0, so an item never recommends
// itself. Invariants: B[i][i] = 0; B[i][j] = -P[i][j] / P[j][j].
//
// The inverse is exact, in float32 (gram_inverse.h): a greedy independent set of rarely
// co-bought items is eliminated in closed form first and only the rest (about 87% of the
// items on Amazon Beauty, 66% of the flops) goes through OpenBLAS LAPACK (spotrf + spotri).
// Memory while fitting: about n^2 floats; above max_items Fit refuses before allocating.
//
// Storage: the dense n x n B (keep = 0), or, for serving, the `keep` largest-magnitude
// weights of each row (sparse). Row i of B holds what item i adds to every other item's
// score, i.e. "shoppers who chose i also choose j": SimilarItems(i) is row i.
// Score: sum of the B rows of the distinct history items (weighted by their summed event
// weights with binary = false); read at request time, so a new event changes the next result.
// Items no history item has a weight for (most items once rows are pruned) follow, ordered
// by popularity. Empty history, or only items the model never saw: popularity.
// Immutable after Fit/LoadPayload; Score/SimilarItems/Explain are thread-safe. Fit changes
// OpenBLAS's global thread count while it factorises and restores it afterwards, so two Fits
// must not run at the same time.
#ifndef TAILOR_MODELS_LINEAR_EASE_H_
#define TAILOR_MODELS_LINEAR_EASE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "models/knn/neighbors.h"
#include "models/linear/dense_matrix.h"
#include "models/params.h"
#include "models/popularity/item_popularity.h"
#include "models/recommender.h"

namespace tailor {

struct EaseOptions {
  // Defaults from a grid on the Amazon Beauty validation split (leave-one-out, NDCG@10 with
  // seen items excluded, the server's default): lambda 50..100 is best excluded (0.0516 at
  // 50, 0.0515 at 70, 0.0510 at 100) while seen-kept ranking prefers larger lambda; pruning
  // rows to 20 weights costs nothing excluded and gains kept (0.0387 vs 0.0350 dense at 70).
  double lambda = 70.0;   // L2 regularisation added to the Gram diagonal (>= 0; 0 usually
                          // fails: X^T X alone is rarely positive definite)
  bool binary = true;     // X holds 1 per interacted (user, item); false = summed weights
  int max_items = 30000;  // refuse to fit more items (the dense n x n float matrix: 3.4 GiB
                          // at 30000); 1..65536
  int keep = 20;          // weights kept per item row (largest magnitude); 0 = all (dense:
                          // n^2 floats in memory and in the artifact, and n^2 more while
                          // fitting)

  // Errors: kInvalidArgument naming the bad or unknown param.
  static StatusOr<EaseOptions> FromJson(const nlohmann::json& params);
  static std::vector<ParamRange> SearchSpace() { return {{"lambda", 1, 20000, true}}; }
  nlohmann::json ToJson() const;
};

class EaseRecommender final : public Recommender {
 public:
  using Options = EaseOptions;
  static constexpr char kName[] = "ease";

  explicit EaseRecommender(const EaseOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  // Errors: kInvalidArgument for bad params or a Gram matrix that is not positive definite
  // (lambda too small); kResourceExhausted, before allocating anything large, when the
  // training data has more than max_items items.
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return num_items_; }
  // Unknown items get the lowest score of the known ones.
  void Score(const Query& query, std::span<float> scores) const override;
  // Row item_idx of B (zeros ordered by popularity; the lowest of it for items the model
  // never saw); all 0 for an unknown item_idx.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "similar to {item:H} in your history" for the history item H adding most to the item's
  // score (the most recent on ties); the popularity reason when none adds a positive weight.
  std::string Explain(const Query& query, int32_t item_idx) const override;
  // {items, eliminated, factorised, gram_seconds, inverse_seconds, gflops, ...} of the last Fit.
  nlohmann::json fit_stats() const override { return fit_stats_; }
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // B[from][to] as stored (0 for pruned weights and unknown items).
  float Weight(int32_t from, int32_t to) const;
  // True when all of B is stored densely (keep = 0 or keep >= num_items - 1).
  bool dense() const { return dense_.rows() > 0; }

 private:
  // Items no history item has a weight for (score exactly 0; most items once rows are
  // pruned) are ordered by popularity instead of by index: they get -kZeroTieBreak * (1 -
  // shoppers / most shoppers), below every positive score and above any real negative one.
  static constexpr double kZeroTieBreak = 1e-9;

  // The weights of row `from`: calls fn(to, weight) for every stored weight.
  template <typename Fn>
  void ForEachWeight(int32_t from, Fn fn) const;
  void BreakZeroTies(std::span<float> scores) const;
  void SetZeroTieBreak();

  EaseOptions options_;
  int32_t num_items_ = 0;
  DenseMatrix dense_;                   // num_items_ x num_items_ when dense, else empty
  std::vector<int64_t> offsets_ = {0};  // sparse: [item] -> range in weights_, by index
  std::vector<Neighbor> weights_;
  ItemPopularity popularity_;
  std::vector<float> zero_tie_break_;  // [item], from popularity_
  nlohmann::json fit_stats_ = nlohmann::json::object();
};

}  // namespace tailor

#endif  // TAILOR_MODELS_LINEAR_EASE_H_
