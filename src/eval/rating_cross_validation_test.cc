#include "eval/rating_cross_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <mutex>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// Fold 1: train ratings 4 and 2 (mean 3); test 3, 5, 1 -> errors 0, -2, 2 of the mean:
//   RMSE sqrt(8/3), MAE 4/3.
// Fold 2: train 5 (mean 5); test 4 -> RMSE 1, MAE 1.
std::vector<RatingFold> TwoFolds() {
  return {{{{0, 0, 4.0f}, {1, 1, 2.0f}}, {{0, 1, 3.0f}, {1, 0, 5.0f}, {0, 2, 1.0f}}},
          {{{0, 0, 5.0f}}, {{1, 1, 4.0f}}}};
}

// Predicts the mean of the fold's training ratings for everything.
StatusOr<RatingBatchPredictFn> FitMean(int, const RatingFold& fold) {
  double sum = 0.0;
  for (const RatingTriple& triple : fold.train) sum += triple.rating;
  const auto mean = static_cast<float>(sum / static_cast<double>(fold.train.size()));
  return RatingBatchPredictFn([mean](int32_t, std::span<const int32_t>, std::span<float> out) {
    std::fill(out.begin(), out.end(), mean);
  });
}

TEST(CrossValidateRatingsTest, PerFoldAndMeanOfAMeanPredictor) {
  auto result = CrossValidateRatings(TwoFolds(), FitMean, {.threads = 2});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->folds.size(), 2u);
  EXPECT_THAT(result->folds[0].rmse, DoubleNear(std::sqrt(8.0 / 3.0), 1e-6));
  EXPECT_THAT(result->folds[0].mae, DoubleNear(4.0 / 3.0, 1e-6));
  EXPECT_EQ(result->folds[0].train_ratings, 2);
  EXPECT_EQ(result->folds[0].test_ratings, 3);
  EXPECT_THAT(result->folds[1].rmse, DoubleNear(1.0, 1e-6));
  EXPECT_THAT(result->folds[1].mae, DoubleNear(1.0, 1e-6));
  EXPECT_THAT(result->rmse, DoubleNear((std::sqrt(8.0 / 3.0) + 1.0) / 2.0, 1e-6));
  EXPECT_THAT(result->mae, DoubleNear((4.0 / 3.0 + 1.0) / 2.0, 1e-6));
  EXPECT_GE(result->train_seconds, 0.0);
}

TEST(CrossValidateRatingsTest, PredictsEachUsersTestItemsInOneCall) {
  std::mutex mu;
  std::vector<std::pair<int32_t, std::vector<int32_t>>> calls;
  std::vector<int> fitted_folds;
  auto fit = [&](int fold_idx, const RatingFold&) -> StatusOr<RatingBatchPredictFn> {
    fitted_folds.push_back(fold_idx);
    return RatingBatchPredictFn(
        [&, fold_idx](int32_t user, std::span<const int32_t> items, std::span<float> out) {
          std::lock_guard<std::mutex> lock(mu);
          if (fold_idx == 0)
            calls.emplace_back(user, std::vector<int32_t>(items.begin(), items.end()));
          // user + item: fold 1 predicts 1, 1, 2 for ratings 3, 5, 1.
          for (size_t pos = 0; pos < items.size(); ++pos) out[pos] = user + items[pos];
        });
  };
  auto result = CrossValidateRatings(TwoFolds(), fit, {.threads = 1});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(fitted_folds, ElementsAre(0, 1));
  EXPECT_THAT(calls, ElementsAre(Pair(0, ElementsAre(1, 2)), Pair(1, ElementsAre(0))));
  // Errors -2, -4, 1: RMSE sqrt(21/3), MAE 7/3.
  EXPECT_THAT(result->folds[0].rmse, DoubleNear(std::sqrt(7.0), 1e-6));
  EXPECT_THAT(result->folds[0].mae, DoubleNear(7.0 / 3.0, 1e-6));
}

TEST(CrossValidateRatingsTest, Errors) {
  EXPECT_THAT(CrossValidateRatings({}, FitMean),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no folds")));
  std::vector<RatingFold> no_test = TwoFolds();
  no_test[1].test.clear();
  EXPECT_THAT(CrossValidateRatings(no_test, FitMean),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("fold 2 has no test ratings")));
  auto nan_for_user_one = [](int, const RatingFold&) -> StatusOr<RatingBatchPredictFn> {
    return RatingBatchPredictFn([](int32_t user, std::span<const int32_t>, std::span<float> out) {
      std::fill(out.begin(), out.end(), user == 1 ? std::nanf("") : 3.0f);
    });
  };
  EXPECT_THAT(
      CrossValidateRatings(TwoFolds(), nan_for_user_one),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("fold 1, test rating 1 (user 1, item 0): prediction is not finite")));
  auto failing = [](int fold_idx, const RatingFold&) -> StatusOr<RatingBatchPredictFn> {
    return InternalError("fit failed on fold " + std::to_string(fold_idx));
  };
  EXPECT_THAT(CrossValidateRatings(TwoFolds(), failing),
              StatusIs(StatusCode::kInternal, HasSubstr("fit failed on fold 0")));
}

// Predicts 10 * (query history length) + item, to show what the query held.
class HistoryLengthPredictor final : public RatingPredictor {
 public:
  float PredictRating(const Query& query, int32_t item_idx) const override {
    return 10.0f * static_cast<float>(query.history.size()) + static_cast<float>(item_idx);
  }
};

TEST(ModelRatingPredictionsTest, QueriesWithTheUsersTrainingHistory) {
  const UserHistories train =
      UserHistories::FromLists(4, {{{.item = 0}, {.item = 1}, {.item = 2}}, {{.item = 3}}});
  HistoryLengthPredictor model;
  RatingBatchPredictFn predict = ModelRatingPredictions(model, train);
  std::vector<int32_t> items = {2, 3};
  std::vector<float> out(2);
  predict(0, items, out);
  EXPECT_THAT(out, ElementsAre(32.0f, 33.0f));
  predict(1, items, out);
  EXPECT_THAT(out, ElementsAre(12.0f, 13.0f));
  predict(7, items, out);  // a user without training ratings
  EXPECT_THAT(out, ElementsAre(2.0f, 3.0f));
}

}  // namespace
}  // namespace tailor
