#include "eval/rating_evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace tailor {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;

TEST(EvaluateRatingsTest, RmseAndMaeOfAConstantPredictor) {
  // Predict 3.5 for ratings 4, 3, 5: errors -0.5, 0.5, -1.5.
  // RMSE = sqrt((0.25 + 0.25 + 2.25) / 3) = sqrt(0.9166667) = 0.9574271; MAE = 2.5 / 3.
  std::vector<RatingTriple> test = {{0, 1, 4.0f}, {1, 2, 3.0f}, {2, 0, 5.0f}};
  auto result = EvaluateRatings([](int32_t, int32_t) { return 3.5f; }, test);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->rmse, DoubleNear(std::sqrt(2.75 / 3.0), 1e-9));
  EXPECT_THAT(result->mae, DoubleNear(2.5 / 3.0, 1e-9));
  EXPECT_EQ(result->count, 3);
}

TEST(EvaluateRatingsTest, PredictionGetsUserAndItem) {
  // Predict user + item: (0+1=1 vs 1), (2+3=5 vs 4) -> errors 0, 1: RMSE sqrt(1/2), MAE 1/2.
  std::vector<RatingTriple> test = {{0, 1, 1.0f}, {2, 3, 4.0f}};
  auto result = EvaluateRatings(
      [](int32_t user, int32_t item) { return static_cast<float>(user + item); }, test);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->rmse, DoubleNear(std::sqrt(0.5), 1e-9));
  EXPECT_THAT(result->mae, DoubleNear(0.5, 1e-9));
}

TEST(EvaluateRatingsTest, Errors) {
  auto empty = EvaluateRatings([](int32_t, int32_t) { return 1.0f; }, {});
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("test set is empty"));
  std::vector<RatingTriple> test = {{0, 1, 4.0f}, {2, 7, 3.0f}};
  auto nan =
      EvaluateRatings([](int32_t user, int32_t) { return user == 2 ? std::nanf("") : 1.0f; }, test);
  EXPECT_EQ(nan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(nan.status().message(), HasSubstr("test rating 1 (user 2, item 7)"));
  auto no_fn = EvaluateRatings(RatingPredictFn(), test);
  EXPECT_THAT(no_fn.status().message(), HasSubstr("no prediction function"));
}

}  // namespace
}  // namespace tailor
