#include "models/popularity/trending.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::FloatEq;

Interaction At(int32_t item, float weight, int64_t timestamp) {
  return Interaction{.item = item, .weight = weight, .timestamp = timestamp};
}

TEST(TrendingTest, HalvesPerHalfLife) {
  constexpr int64_t kDay = 86400;
  constexpr int64_t kNow = 1'700'000'000;
  // Item 0: one event now (1); item 1: weight 4 two days ago (4 * 0.25 = 1) and weight 2 one
  // day ago (2 * 0.5 = 1); item 2: weight 1 three days ago (0.125).
  UserHistories train =
      UserHistories::FromLists(3, {{At(1, 4, kNow - 2 * kDay), At(2, 1, kNow - 3 * kDay)},
                                   {At(1, 2, kNow - kDay), At(0, 1, kNow)}});
  TrendingRecommender model({.half_life_days = 1.0});
  ASSERT_TRUE(model.Fit(train, {}).ok());
  EXPECT_EQ(model.reference_time(), kNow);
  std::vector<float> scores(4);
  model.Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatEq(1.0f), FloatEq(2.0f), FloatEq(0.125f), FloatEq(0.0f)));
  EXPECT_EQ(model.Explain({}, 1), "trending now");
}

TEST(TrendingTest, DefaultHalfLifeIsAWeek) {
  constexpr int64_t kWeek = 7 * 86400;
  UserHistories train = UserHistories::FromLists(2, {{At(0, 1, 0), At(1, 1, kWeek)}});
  TrendingRecommender model;
  EXPECT_EQ(model.params()["half_life_days"], 7.0);
  ASSERT_TRUE(model.Fit(train, {}).ok());
  std::vector<float> scores(2);
  model.Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatEq(0.5f), FloatEq(1.0f)));
}

TEST(TrendingTest, EmptyTrainingDataScoresZero) {
  TrendingRecommender model;
  ASSERT_TRUE(model.Fit(UserHistories::FromLists(2, {{}, {}}), {}).ok());
  std::vector<float> scores(2, 9.0f);
  model.Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(0.0f, 0.0f));
}

}  // namespace
}  // namespace tailor
