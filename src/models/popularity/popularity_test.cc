#include "models/popularity/popularity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::FloatEq;

Interaction At(int32_t item, float weight, int64_t timestamp = 0) {
  return Interaction{.item = item, .weight = weight, .timestamp = timestamp};
}

// Item 0: two users, weights 1 + 1; item 1: one user, a purchase (5) and a view (1);
// item 2: never seen.
UserHistories Shop() {
  return UserHistories::FromLists(3, {{At(0, 1), At(1, 5), At(1, 1)}, {At(0, 1)}});
}

TEST(PopularityTest, WeightedSumsEventWeights) {
  PopularityRecommender model;
  ASSERT_TRUE(model.Fit(Shop(), {}).ok());
  EXPECT_EQ(model.num_items(), 3);
  std::vector<float> scores(3);
  model.Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatEq(2), FloatEq(6), FloatEq(0)));
}

TEST(PopularityTest, UnweightedCountsDistinctShoppers) {
  PopularityRecommender model({.weighted = false});
  ASSERT_TRUE(model.Fit(Shop(), {}).ok());
  std::vector<float> scores(3);
  model.Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatEq(2), FloatEq(1), FloatEq(0)));
}

TEST(PopularityTest, SameForEveryQueryAndLowestForNewItems) {
  PopularityRecommender model;
  ASSERT_TRUE(model.Fit(Shop(), {}).ok());
  std::vector<Interaction> history = {At(2, 1)};
  std::vector<float> anonymous(5), known(5);
  model.Score({}, anonymous);
  model.Score({0, history}, known);
  EXPECT_EQ(anonymous, known);
  EXPECT_THAT(anonymous, ElementsAre(FloatEq(2), FloatEq(6), FloatEq(0), FloatEq(0), FloatEq(0)));
}

TEST(PopularityTest, ExplainCountsShoppers) {
  PopularityRecommender model;
  ASSERT_TRUE(model.Fit(Shop(), {}).ok());
  EXPECT_EQ(model.Explain({}, 0), "popular in the shop (2 shoppers)");
  EXPECT_EQ(model.Explain({}, 1), "popular in the shop (1 shopper)");
  EXPECT_EQ(model.Explain({}, 7), "new in the shop");
}

}  // namespace
}  // namespace tailor
