#include "models/knn/user_knn.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::FloatNear;
using ::testing::HasSubstr;

Interaction At(int32_t item) { return Interaction{.item = item, .weight = 1.0f}; }

// users x items: u0 {0, 1}, u1 {0, 1, 2}, u2 {1, 2}; |u0| = sqrt2, |u1| = sqrt3, |u2| = sqrt2.
UserHistories ThreeByThree() {
  return UserHistories::FromLists(3, {{At(0), At(1)}, {At(0), At(1), At(2)}, {At(1), At(2)}});
}
// A query that only has item 0 (|q| = 1), shrink 1: sim(q, u0) = 1 / (sqrt2 + 1),
// sim(q, u1) = 1 / (sqrt3 + 1), sim(q, u2) = 0.
const float kSimU0 = static_cast<float>(1.0 / (std::sqrt(2.0) + 1.0));
const float kSimU1 = static_cast<float>(1.0 / (std::sqrt(3.0) + 1.0));

TEST(UserKnnTest, HandComputedNeighboursAndScores) {
  UserKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<Interaction> history = {At(0)};
  std::vector<Neighbor> neighbors = model.FindNeighbors({-1, history});
  ASSERT_EQ(neighbors.size(), 2u);
  EXPECT_EQ(neighbors[0].index, 0);
  EXPECT_NEAR(neighbors[0].sim, kSimU0, 1e-6);
  EXPECT_EQ(neighbors[1].index, 1);
  EXPECT_NEAR(neighbors[1].sim, kSimU1, 1e-6);
  std::vector<float> scores(3);
  model.Score({-1, history}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatNear(kSimU0 + kSimU1, 1e-6),
                                  FloatNear(kSimU0 + kSimU1, 1e-6), FloatNear(kSimU1, 1e-6)));
}

TEST(UserKnnTest, TheQueryUserIsNotItsOwnNeighbour) {
  UserKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<Interaction> history = {At(0)};
  std::vector<float> scores(3);
  model.Score({0, history}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatNear(kSimU1, 1e-6), FloatNear(kSimU1, 1e-6),
                                  FloatNear(kSimU1, 1e-6)));
}

TEST(UserKnnTest, KeepsOnlyTheBestNeighbours) {
  UserKnnRecommender model({.neighbors = 1, .shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<Interaction> history = {At(0)};
  std::vector<float> scores(3);
  model.Score({-1, history}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatNear(kSimU0, 1e-6), FloatNear(kSimU0, 1e-6), 0.0f));
}

TEST(UserKnnTest, EmptyHistoryFallsBackToPopularity) {
  UserKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<float> scores(4, -1.0f);
  model.Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(2.0f, 3.0f, 2.0f, 0.0f));
  EXPECT_EQ(model.Explain({}, 1), "popular in the shop (3 shoppers)");
}

TEST(UserKnnTest, ExplainNamesASharedHistoryItem) {
  UserKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<Interaction> history = {At(0)};
  EXPECT_EQ(model.Explain({-1, history}, 2),
            "shoppers like you (who also chose {item:0}) picked this");
}

TEST(UserKnnTest, SimilarItemsIsItemCosineThroughUsers) {
  UserKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<float> scores(3);
  model.SimilarItems(0, scores);
  EXPECT_NEAR(scores[1], 2.0 / (std::sqrt(6.0) + 1.0), 1e-6);
  EXPECT_NEAR(scores[2], 1.0 / 3.0, 1e-6);
}

TEST(UserKnnTest, RejectsBadOptionsAtFit) {
  UserKnnRecommender model({.shrink = -2});
  Status status = model.Fit(ThreeByThree(), {});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("'shrink'"));
}

}  // namespace
}  // namespace tailor
