#include "eval/rating_cross_validation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>

#include "common/thread_pool.h"
#include "eval/metrics.h"

namespace tailor {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

StatusOr<RatingCrossValidationResult> CrossValidateRatings(
    const std::vector<RatingFold>& folds, const FitRatingFoldFn& fit,
    const RatingCrossValidationOptions& options) {
  if (folds.empty()) return InvalidArgumentError("rating cross-validation: no folds");
  if (!fit) return InvalidArgumentError("rating cross-validation: no fit function");
  RatingCrossValidationResult result;
  ThreadPool pool(options.threads);
  for (size_t fold_idx = 0; fold_idx < folds.size(); ++fold_idx) {
    const RatingFold& fold = folds[fold_idx];
    const std::string fold_name = "fold " + std::to_string(fold_idx + 1);
    if (fold.test.empty()) {
      return InvalidArgumentError("rating cross-validation: " + fold_name + " has no test ratings");
    }
    RatingFoldResult fold_result;
    fold_result.train_ratings = static_cast<int64_t>(fold.train.size());
    fold_result.test_ratings = static_cast<int64_t>(fold.test.size());
    auto start = std::chrono::steady_clock::now();
    ASSIGN_OR_RETURN(RatingBatchPredictFn predict, fit(static_cast<int>(fold_idx), fold));
    fold_result.train_seconds = SecondsSince(start);

    start = std::chrono::steady_clock::now();
    // Test ratings grouped by user (stable), so each user's history is folded in once.
    std::vector<size_t> order(fold.test.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return fold.test[a].user < fold.test[b].user; });
    std::vector<size_t> group_starts;
    for (size_t pos = 0; pos < order.size(); ++pos) {
      if (pos == 0 || fold.test[order[pos]].user != fold.test[order[pos - 1]].user) {
        group_starts.push_back(pos);
      }
    }
    group_starts.push_back(order.size());
    std::vector<float> predicted(fold.test.size());
    std::vector<float> actual(fold.test.size());
    struct Scratch {
      std::vector<int32_t> items;
      std::vector<float> out;
    };
    std::vector<Scratch> scratch(static_cast<size_t>(pool.size()));
    pool.ParallelFor(static_cast<int64_t>(group_starts.size()) - 1, [&](int64_t group, int worker) {
      Scratch& state = scratch[static_cast<size_t>(worker)];
      const size_t begin = group_starts[group];
      const size_t end = group_starts[group + 1];
      state.items.clear();
      for (size_t pos = begin; pos < end; ++pos) state.items.push_back(fold.test[order[pos]].item);
      state.out.assign(state.items.size(), 0.0f);
      predict(fold.test[order[begin]].user, state.items, state.out);
      for (size_t pos = begin; pos < end; ++pos) {
        predicted[order[pos]] = state.out[pos - begin];
        actual[order[pos]] = fold.test[order[pos]].rating;
      }
    });
    for (size_t pos = 0; pos < predicted.size(); ++pos) {
      if (!std::isfinite(predicted[pos])) {
        return InvalidArgumentError(
            "rating cross-validation: " + fold_name + ", test rating " + std::to_string(pos) +
            " (user " + std::to_string(fold.test[pos].user) + ", item " +
            std::to_string(fold.test[pos].item) + "): prediction is not finite");
      }
    }
    fold_result.rmse = Rmse(predicted, actual);
    fold_result.mae = Mae(predicted, actual);
    fold_result.eval_seconds = SecondsSince(start);
    result.folds.push_back(fold_result);
    if (options.progress) {
      char detail[96];
      std::snprintf(detail, sizeof(detail), "rmse %.4f mae %.4f", fold_result.rmse,
                    fold_result.mae);
      options.progress({"rating " + fold_name + "/" + std::to_string(folds.size()),
                        static_cast<int64_t>(fold_idx + 1), static_cast<int64_t>(folds.size()),
                        detail});
    }
  }
  for (const RatingFoldResult& fold_result : result.folds) {
    result.rmse += fold_result.rmse / static_cast<double>(result.folds.size());
    result.mae += fold_result.mae / static_cast<double>(result.folds.size());
    result.train_seconds += fold_result.train_seconds;
    result.eval_seconds += fold_result.eval_seconds;
  }
  return result;
}

RatingBatchPredictFn ModelRatingPredictions(const RatingPredictor& model,
                                            const UserHistories& train) {
  return [&model, &train](int32_t user, std::span<const int32_t> items, std::span<float> out) {
    Query query;
    query.user = user;
    if (user >= 0 && user < train.num_users) query.history = train.user(user);
    model.PredictRatings(query, items, out);
  };
}

}  // namespace tailor
