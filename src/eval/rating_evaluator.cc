#include "eval/rating_evaluator.h"

#include <chrono>
#include <cmath>
#include <string>

#include "eval/metrics.h"

namespace tailor {

StatusOr<RatingEvalResult> EvaluateRatings(const RatingPredictFn& predict,
                                           const std::vector<RatingTriple>& test) {
  const auto start = std::chrono::steady_clock::now();
  if (!predict) return InvalidArgumentError("rating evaluation: no prediction function");
  if (test.empty()) return InvalidArgumentError("rating evaluation: the test set is empty");
  std::vector<float> predicted;
  std::vector<float> actual;
  predicted.reserve(test.size());
  actual.reserve(test.size());
  for (size_t triple_idx = 0; triple_idx < test.size(); ++triple_idx) {
    const RatingTriple& triple = test[triple_idx];
    const float prediction = predict(triple.user, triple.item);
    if (!std::isfinite(prediction)) {
      return InvalidArgumentError("rating evaluation: test rating " + std::to_string(triple_idx) +
                                  " (user " + std::to_string(triple.user) + ", item " +
                                  std::to_string(triple.item) + "): prediction is not finite");
    }
    predicted.push_back(prediction);
    actual.push_back(triple.rating);
  }
  RatingEvalResult result;
  result.rmse = Rmse(predicted, actual);
  result.mae = Mae(predicted, actual);
  result.count = static_cast<int64_t>(test.size());
  result.eval_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace tailor
