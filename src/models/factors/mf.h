// MfRecommender ("mf"): biased matrix factorisation for explicit ratings (Koren, Bell &
// Volinsky 2009, "Matrix factorization techniques for recommender systems"), optionally with
// the SVD++ implicit terms (Koren 2008, "Factorization meets the neighborhood"):
//   r(u, i) = mu + b_u + b_i + q_i . (p_u + |N(u)|^-1/2 sum_{j in N(u)} y_j)
// where N(u) is every distinct item in u's history (any event type) and the y_j term is on
// only with the `implicit` param.
//
// Training targets: the interactions of the built-in "rating" event type with value > 0
// (stars; RatingEventType()); a user who re-rated an item counts with the latest rating.
// Fit is SGD over the shuffled ratings with L2 penalties applied at every sample (reg_bias on
// b_u and b_i, reg_factors on p_u and q_i, reg_implicit on the y_j) and a learning rate
// multiplied by lr_decay after every epoch. With `implicit` the samples are visited user by
// user (users shuffled, each user's ratings shuffled) and the y_j gradient of a user's ratings
// is applied once after them (Koren 2008, section 4).
// Implicit fallback: when the training data holds no rating at all (a shop with views and
// purchases only), the targets are 1 for every distinct interacted (user, item) pair and 0
// for `negatives` items per positive drawn uniformly each epoch among the user's unobserved
// items, so the same model still ranks (a pointwise one-class objective, Pan et al. 2008,
// "One-class collaborative filtering"); ials, bpr and ease are the better choice there.
//
// Fold-in (real time): Score and PredictRating re-solve the user's bias and factors from
// query.history at request time, with the item side (mu, b_i, q_i, y_j) fixed: the
// (k+1) x (k+1) regularised least-squares problem of the training objective for one user
// (in the fallback mode every unobserved item counts with the weight the negative sampling
// gives it in expectation). Its penalties are reg_bias per sample on b_u and
// fold_in_prior + fold_in_reg per sample on p_u. So a new user, or a new rating of a known
// one, changes the next prediction without retraining, and a known user and an anonymous
// query with the same history get the same answer. With fold_in = false a user known at
// training time keeps the trained b_u, p_u (only the SVD++ term follows the current history);
// on movielens-100k that is within 0.001 RMSE of fold-in (docs/benchmarks.md).
// No usable history (no rating and no SVD++ term; no known item in the fallback mode):
// ranking falls back to item popularity and PredictRating to mu + b_i.
// Deterministic under FitOptions.seed; training is single-threaded (SGD's sample order is the
// method; a 100k-rating epoch takes tens of milliseconds).
// Immutable after Fit/LoadPayload; Score/PredictRating/SimilarItems/Explain are thread-safe.
#ifndef TAILOR_MODELS_FACTORS_MF_H_
#define TAILOR_MODELS_FACTORS_MF_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "models/factors/factor_matrix.h"
#include "models/params.h"
#include "models/popularity/item_popularity.h"
#include "models/recommender.h"

namespace tailor {

struct MfOptions {
  // Defaults: tuned on validation folds carved from u1.base only (5 random folds of it); on
  // the movielens-100k u1..u5 folds they reach RMSE 0.897 (docs/benchmarks.md).
  int factors = 200;            // k, the factor dimension (1..1024)
  int epochs = 50;              // SGD passes over the ratings (1..10000)
  double learning_rate = 0.01;  // initial SGD step (> 0)
  double lr_decay = 0.96;       // learning rate multiplier after each epoch (0..1]
  double reg_bias = 0.02;       // L2 penalty on b_u and b_i, per sample (>= 0)
  double reg_factors = 0.07;    // L2 penalty on p_u and q_i, per sample (>= 0)
  double reg_implicit = 0.004;  // SVD++: L2 penalty on the y_j, per sample of the user (>= 0)
  double init_std = 0.02;       // stddev of the random initial factors (>= 0)
  bool implicit = true;         // SVD++: add the y_j terms of the user's history items
  int negatives = 4;            // fallback mode only: sampled 0-targets per positive (0..100)
  bool fold_in = true;          // re-solve known users too (false: their trained factors)
  // The fold-in's L2 penalty on the user factors: fold_in_prior + fold_in_reg * (the user's
  // samples). Stronger than training's reg_factors: the exact solve has no early stopping
  // (the lr decay) to hold it back.
  double fold_in_reg = 0.105;  // per sample (>= 0)
  double fold_in_prior = 3.0;  // constant (>= 0)

  // Errors: kInvalidArgument naming the bad or unknown param.
  static StatusOr<MfOptions> FromJson(const nlohmann::json& params);
  static std::vector<ParamRange> SearchSpace() {
    return {{"factors", 8, 256, true, true},      {"epochs", 10, 150, true, true},
            {"learning_rate", 0.001, 0.03, true}, {"lr_decay", 0.85, 1.0},
            {"reg_bias", 0.001, 0.2, true},       {"reg_factors", 0.005, 0.3, true},
            {"reg_implicit", 0.0005, 0.1, true},  {"fold_in_reg", 0.01, 0.5, true},
            {"fold_in_prior", 0.1, 30, true}};
  }
  nlohmann::json ToJson() const;
};

// The event type index of "rating" in a store: the built-in types come first, in
// BuiltinEventTypes() order, in every store.
int16_t RatingEventType();

class MfRecommender final : public Recommender, public RatingPredictor {
 public:
  using Options = MfOptions;
  static constexpr char kName[] = "mf";

  explicit MfRecommender(const MfOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  // Errors: kInvalidArgument for out-of-range params (named).
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return items_.rows(); }
  // The predicted rating (explicit mode) or preference (fallback mode) of every item, from
  // the folded-in user; item popularity when the history holds nothing usable.
  void Score(const Query& query, std::span<float> scores) const override;
  // Cosine of the item factors; popularity for an unknown item.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  // "similar to {item:H} in your history" for the history item with the most cosine-similar
  // factors; the popularity reason otherwise.
  std::string Explain(const Query& query, int32_t item_idx) const override;
  // {"mode", "epochs", "seconds_per_epoch", "train_rmse", "samples_per_epoch"} of the last
  // Fit (train_rmse: over the last epoch's samples, before each step).
  nlohmann::json fit_stats() const override;
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // Stars clipped to the training range [min, max] (explicit mode); in the fallback mode the
  // unclipped preference. Unknown items: mu + b_u.
  float PredictRating(const Query& query, int32_t item_idx) const override;
  void PredictRatings(const Query& query, std::span<const int32_t> items,
                      std::span<float> out) const override;

  // True when the last Fit found ratings (false: the implicit fallback objective).
  bool explicit_ratings() const { return explicit_; }
  float global_mean() const { return mu_; }
  std::span<const float> item_biases() const { return item_bias_; }
  const FactorMatrix& item_factors() const { return items_; }

 private:
  // A user's effective vector: bias and p_u + z (SVD++), from fold-in or training.
  struct UserVector {
    bool usable = false;         // false: nothing known about the user
    float bias = 0.0f;           // b_u
    std::vector<float> factors;  // p_u + |N(u)|^-1/2 sum y_j, size k
  };
  UserVector ResolveUser(const Query& query) const;
  // The regularised least-squares user (bias and factors) for `history`, item side fixed.
  UserVector FoldIn(std::span<const Interaction> history) const;
  float Predict(const UserVector& user, int32_t item_idx) const;
  // Everything derived from the trained parameters (norms, the item Gram matrix of the
  // fallback fold-in); called after Fit, after each epoch with on_epoch, and after Load.
  void Finalize();

  MfOptions options_;
  bool explicit_ = true;
  float mu_ = 0.0f;
  float min_rating_ = 0.0f;
  float max_rating_ = 0.0f;
  std::vector<float> item_bias_;
  std::vector<float> user_bias_;
  std::vector<uint8_t> user_trained_;  // [user_idx] 1 when the user had training samples
  FactorMatrix items_;                 // q_i
  FactorMatrix implicit_;              // y_j (rows 0 unless options_.implicit)
  FactorMatrix users_;                 // p_u of the training users
  ItemPopularity popularity_;

  // Derived (Finalize).
  std::vector<float> inverse_norms_;
  // Fallback mode: sum over items of x x^T and x (mu + b_i), x = [1, q_i]; (k+1)^2 and k+1.
  std::vector<double> gram_;
  std::vector<double> gram_bias_;

  nlohmann::json fit_stats_ = nlohmann::json::object();
};

}  // namespace tailor

#endif  // TAILOR_MODELS_FACTORS_MF_H_
