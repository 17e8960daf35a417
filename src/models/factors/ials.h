// IalsRecommender ("ials"): implicit-feedback ALS (Hu, Koren, Volinsky 2008, "Collaborative
// filtering for implicit feedback datasets") solved with a few conjugate-gradient steps per
// row and sweep (Takacs, Pilaszy, Tikk 2011), float32, on every core (ials_solver.h).
//
// Data: a user's interactions with one item are aggregated into r = the sum of their event
// weights (a purchase counts 5, a view 1, ...). Preference p = 1 for every such pair, 0
// elsewhere; confidence c = 1 + alpha * f(r) with f(r) = log(1 + r) (log_confidence, the
// default: repeat views grow the confidence slowly) or f(r) = r. Loss:
//   sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + sum_u lambda_u |x_u|^2 + sum_i lambda_i |y_i|^2
// with lambda_row = regularization * C_row^reg_exponent, C_row = the sum of the confidences c
// of the row's observed pairs (reg_exponent 0: the plain ridge of the paper; 1: frequency-scaled
// regularization as in Rendle et al. 2022, "Revisiting the performance of iALS on item
// recommendation benchmarks", with confidences instead of counts, so that the shrinkage does
// not depend on the scale of alpha and of the event weights).
// Fit alternates a user sweep and an item sweep `iterations` times, each row warm-started from
// its previous value; Y starts ~ N(0, init_stddev^2) from FitOptions.seed, X at 0. The result
// does not depend on the thread count.
// Defaults (64 factors, 15 iterations, 3 CG steps, alpha 10, lambda 0.25, reg_exponent 1) were
// chosen on amazon-beauty and amazon-sports and checked on a generated shop; with
// reg_exponent 1 a lambda above about 0.5 shrinks every factor towards 0 on those data.
//
// Serving (fold-in, real time): Score re-solves the user's factors from query.history at
// request time, known and unknown users alike, exactly (k x k Cholesky of Y^T Y + lambda_u I +
// sum_h (c_h - 1) y_h y_h^T, Y^T Y precomputed at fit/load), then scores every item by
// x . y_i. So an event stored a moment ago changes the next recommendation; the trained user
// factors are not kept. A history with no item known to the model ranks by popularity.
// Similar items: cosine of item factors. Explain: the history item most similar to the
// recommended one, else the popularity reason.
// Immutable after Fit/LoadPayload; Score/SimilarItems/Explain are thread-safe.
#ifndef TAILOR_MODELS_FACTORS_IALS_H_
#define TAILOR_MODELS_FACTORS_IALS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "models/factors/factor_matrix.h"
#include "models/factors/ials_solver.h"
#include "models/params.h"
#include "models/popularity/item_popularity.h"
#include "models/recommender.h"

namespace tailor {

struct IalsOptions {
  int factors = 64;              // k, the factor dimension (1..1024)
  int iterations = 15;           // user + item sweeps (1..1000)
  double regularization = 0.25;  // lambda (> 0)
  double alpha = 10.0;           // confidence slope: c = 1 + alpha * f(r) (>= 0)
  int cg_steps = 3;              // conjugate-gradient steps per row and sweep (1..256)
  bool log_confidence = true;    // f(r) = log(1 + r); false: f(r) = r
  double reg_exponent = 1.0;     // lambda_row = lambda * (sum of the row's c)^reg_exponent (0..2)
  double init_stddev = 0.01;     // stddev of the random initial factors (> 0)

  // Errors: kInvalidArgument naming the bad or unknown param.
  static StatusOr<IalsOptions> FromJson(const nlohmann::json& params);
  static std::vector<ParamRange> SearchSpace() {
    return {{"factors", 16, 256, true, true},
            {"regularization", 0.01, 100, true},
            {"alpha", 0.1, 100, true},
            {"reg_exponent", 0.0, 1.0},
            {"iterations", 5, 30, false, true}};
  }
  nlohmann::json ToJson() const;
};

// What the last Fit measured (fit_stats()).
struct IalsFitStats {
  int iterations = 0;                      // sweeps run (fewer than asked when on_epoch stopped)
  double setup_seconds = 0.0;              // matrices, confidences, initial factors
  double seconds_per_iteration = 0.0;      // mean over the iterations run, setup excluded
  double cpu_seconds_per_iteration = 0.0;  // the same in process CPU time (all threads)
  double flops_per_iteration = 0.0;        // nominal arithmetic (ials_solver.h formulas)
  double loss = 0.0;                       // after the last iteration's user sweep
  int threads = 0;
};

class IalsRecommender final : public Recommender {
 public:
  using Options = IalsOptions;
  static constexpr char kName[] = "ials";

  explicit IalsRecommender(const IalsOptions& options = {}) : options_(options) {}

  std::string name() const override { return kName; }
  nlohmann::json params() const override { return options_.ToJson(); }
  // Errors: kInvalidArgument for params out of range (set without FromJson).
  Status Fit(const UserHistories& train, const FitOptions& options) override;
  int32_t num_items() const override { return items_.rows(); }
  void Score(const Query& query, std::span<float> scores) const override;
  // Cosine of item factors; popularity for an item the model never saw.
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override;
  std::string Explain(const Query& query, int32_t item_idx) const override;
  // {"iterations", "seconds_per_iteration", "cpu_seconds_per_iteration", "gflops" (per
  //  wall second), "flops_per_iteration", "threads", "factors", "cg_steps", "setup_seconds",
  //  "loss"}.
  nlohmann::json fit_stats() const override;
  Status SavePayload(BinaryWriter& out) const override;
  Status LoadPayload(BinaryReader& in) override;

  // The user factors fold-in computes for `history` (items the model does not know are
  // ignored), k = factors floats; false when the history has no known item.
  bool FoldIn(std::span<const Interaction> history, std::vector<float>* user) const;
  const FactorMatrix& item_factors() const { return items_; }
  const IalsFitStats& stats() const { return stats_; }

 private:
  // c - 1 for an aggregated weight sum r.
  float ExtraConfidence(float weight_sum) const;
  // lambda for a row whose entries have these c - 1.
  float RowLambda(std::span<const float> extra_confidences) const;
  // Serving state derived from items_: the Gram matrix and the inverse norms.
  void PrepareServing(ThreadPool& pool);

  IalsOptions options_;
  FactorMatrix items_;
  AlignedFloats gram_;  // items_^T items_, stride x stride
  std::vector<float> inverse_norms_;
  ItemPopularity popularity_;
  IalsFitStats stats_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_FACTORS_IALS_H_
