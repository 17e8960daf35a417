// Offline evaluation of explicit rating prediction (RMSE / MAE, formulas in eval/metrics.h),
// e.g. movielens-100k 5-fold. Model-agnostic: the caller passes a prediction function, so any
// rating model (and baselines) can be evaluated without a rating interface in models/.
#ifndef TAILOR_EVAL_RATING_EVALUATOR_H_
#define TAILOR_EVAL_RATING_EVALUATOR_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "dataset/splits.h"
#include "tailor/status.h"

namespace tailor {

// Predicted stars for (user_idx, item_idx). Called sequentially from the calling thread.
using RatingPredictFn = std::function<float(int32_t user, int32_t item)>;

struct RatingEvalResult {
  double rmse = 0.0;
  double mae = 0.0;
  int64_t count = 0;  // test ratings evaluated
  double eval_seconds = 0.0;
};

// Predicts every test triple and compares with its rating. Errors: kInvalidArgument for an
// empty test set or an empty `predict`, or a NaN/infinite prediction (names user, item and
// the triple's position).
StatusOr<RatingEvalResult> EvaluateRatings(const RatingPredictFn& predict,
                                           const std::vector<RatingTriple>& test);

}  // namespace tailor

#endif  // TAILOR_EVAL_RATING_EVALUATOR_H_
