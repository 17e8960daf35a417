// K-fold evaluation of explicit rating prediction (RMSE / MAE, eval/metrics.h), e.g. the
// movielens-100k u1..u5 protocol: for each fold, a model is fit on the fold's training
// ratings and predicts every test rating; the result is the per-fold values and their mean.
// Model-agnostic: the caller fits whatever it evaluates through FitRatingFoldFn, so baselines
// without a rating interface can be evaluated too; ModelRatingPredictions adapts a
// RatingPredictor (querying it with each user's fold-training history).
// Thread-safety: CrossValidateRatings calls `fit` sequentially from the calling thread and the
// returned predictors from up to `threads` threads at once.
#ifndef TAILOR_EVAL_RATING_CROSS_VALIDATION_H_
#define TAILOR_EVAL_RATING_CROSS_VALIDATION_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/progress.h"
#include "dataset/histories.h"
#include "dataset/splits.h"
#include "models/recommender.h"
#include "tailor/status.h"

namespace tailor {

// Predicted stars of `items` for `user` into out[n] (out.size() == items.size()). Must be
// safe to call from several threads at once.
using RatingBatchPredictFn =
    std::function<void(int32_t user, std::span<const int32_t> items, std::span<float> out)>;

// Fits a model on `fold.train` (fold_idx is 0-based) and returns its predictor, which may own
// the model. Errors are passed through.
using FitRatingFoldFn =
    std::function<StatusOr<RatingBatchPredictFn>(int fold_idx, const RatingFold& fold)>;

struct RatingFoldResult {
  double rmse = 0.0;
  double mae = 0.0;
  int64_t train_ratings = 0;
  int64_t test_ratings = 0;
  double train_seconds = 0.0;  // the fit call, wall clock
  double eval_seconds = 0.0;   // predicting the test ratings
};

struct RatingCrossValidationResult {
  std::vector<RatingFoldResult> folds;
  double rmse = 0.0;           // mean over folds (the published protocol averages fold RMSEs)
  double mae = 0.0;            // mean over folds
  double train_seconds = 0.0;  // sum over folds
  double eval_seconds = 0.0;   // sum over folds
};

struct RatingCrossValidationOptions {
  int threads = 0;      // 0 = all cores; users' predictions are spread over them
  ProgressFn progress;  // "rating fold f/k" after each fold; may be empty
};

// Fits and evaluates every fold. Test ratings are predicted grouped by user (one predictor
// call per user and fold). Errors: kInvalidArgument when there are no folds, a fold has no
// test ratings, or a prediction is not finite (names fold, user and item); errors of `fit`.
StatusOr<RatingCrossValidationResult> CrossValidateRatings(
    const std::vector<RatingFold>& folds, const FitRatingFoldFn& fit,
    const RatingCrossValidationOptions& options = {});

// The predictor of a fitted rating model: user u is queried as {u, train.user(u)} (users
// beyond train.num_users get an empty history). Borrows both; they must outlive the result.
RatingBatchPredictFn ModelRatingPredictions(const RatingPredictor& model,
                                            const UserHistories& train);

}  // namespace tailor

#endif  // TAILOR_EVAL_RATING_CROSS_VALIDATION_H_
