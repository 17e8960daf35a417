#include "models/knn/item_knn.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::FloatNear;
using ::testing::HasSubstr;

Interaction At(int32_t item, float weight = 1.0f) {
  return Interaction{.item = item, .weight = weight};
}

// users x items: u0 {0, 1}, u1 {0, 1, 2}, u2 {1, 2}.
// Item columns: |r0| = sqrt2, |r1| = sqrt3, |r2| = sqrt2; dots: <0,1> = 2, <0,2> = 1, <1,2> = 2.
// With shrink 1: sim(0,1) = sim(1,2) = 2 / (sqrt6 + 1) = 0.579796, sim(0,2) = 1 / 3.
UserHistories ThreeByThree() {
  return UserHistories::FromLists(3, {{At(0), At(1)}, {At(0), At(1), At(2)}, {At(1), At(2)}});
}
const float kSim01 = static_cast<float>(2.0 / (std::sqrt(6.0) + 1.0));
const float kSim02 = 1.0f / 3.0f;

TEST(ItemKnnTest, HandComputedSimilaritiesWithShrink) {
  ItemKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  EXPECT_NEAR(model.Similarity(0, 1), kSim01, 1e-6);
  EXPECT_NEAR(model.Similarity(1, 0), kSim01, 1e-6);
  EXPECT_NEAR(model.Similarity(0, 2), kSim02, 1e-6);
  EXPECT_NEAR(model.Similarity(1, 2), kSim01, 1e-6);
  EXPECT_EQ(model.Similarity(0, 0), 0.0f);  // an item is not its own neighbour
  // Best first; the tie between items 0 and 2 (as neighbours of 1) goes to the lower index.
  auto of_one = model.neighbors(1);
  ASSERT_EQ(of_one.size(), 2u);
  EXPECT_EQ(of_one[0].index, 0);
  EXPECT_EQ(of_one[1].index, 2);
}

TEST(ItemKnnTest, KeepsOnlyTheBestNeighbors) {
  ItemKnnRecommender model({.neighbors = 1, .shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  ASSERT_EQ(model.neighbors(0).size(), 1u);
  EXPECT_EQ(model.neighbors(0)[0].index, 1);
  EXPECT_EQ(model.neighbors(1)[0].index, 0);
  EXPECT_EQ(model.Similarity(0, 2), 0.0f);
}

TEST(ItemKnnTest, ScoreSumsSimilaritiesOfDistinctHistoryItems) {
  ItemKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<float> scores(3);
  // Item 0 twice counts once.
  std::vector<Interaction> history = {At(0), At(2), At(0)};
  model.Score({-1, history}, scores);
  EXPECT_THAT(scores, ElementsAre(FloatNear(kSim02, 1e-6), FloatNear(2 * kSim01, 1e-6),
                                  FloatNear(kSim02, 1e-6)));
}

TEST(ItemKnnTest, WeightedHistoryAndWeightedMatrix) {
  // u0 viewed item 0 twice: column 0 = (2, 1, 0), column 1 = (1, 1, 1); with shrink 0 the
  // cosine is 3 / (sqrt5 * sqrt3).
  UserHistories train = UserHistories::FromLists(
      3, {{At(0), At(0), At(1)}, {At(0), At(1), At(2)}, {At(1), At(2, 3.0f)}});
  ItemKnnRecommender model({.shrink = 0.0, .binary = false, .weight_history = true});
  ASSERT_TRUE(model.Fit(train, {}).ok());
  const float sim01 = static_cast<float>(3.0 / std::sqrt(15.0));
  EXPECT_NEAR(model.Similarity(0, 1), sim01, 1e-6);
  std::vector<float> scores(3);
  std::vector<Interaction> history = {At(0, 2.0f), At(0, 0.5f)};
  model.Score({-1, history}, scores);
  EXPECT_NEAR(scores[1], 2.5f * sim01, 1e-6);
}

TEST(ItemKnnTest, EmptyOrUnknownHistoryFallsBackToPopularity) {
  ItemKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<float> scores(4, -5.0f);
  model.Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(2.0f, 3.0f, 2.0f, 0.0f));
  std::vector<Interaction> only_new = {At(3)};
  model.Score({-1, only_new}, scores);
  EXPECT_THAT(scores, ElementsAre(2.0f, 3.0f, 2.0f, 0.0f));
  EXPECT_EQ(model.Explain({}, 1), "popular in the shop (3 shoppers)");
}

TEST(ItemKnnTest, ExplainNamesTheStrongestHistoryItemNewestOnTies) {
  ItemKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<Interaction> history = {At(0), At(2)};
  // Both contribute 0.5798 to item 1; item 2 is newer.
  EXPECT_EQ(model.Explain({-1, history}, 1), "similar to {item:2} in your history");
  // Item 0 gets 1/3 from item 2 only.
  EXPECT_EQ(model.Explain({-1, history}, 0), "similar to {item:2} in your history");
  std::vector<Interaction> first_only = {At(1), At(0)};
  EXPECT_THAT(model.Explain({-1, first_only}, 2), HasSubstr("{item:1}"));
}

TEST(ItemKnnTest, SimilarItemsAreTheNeighbourSimilarities) {
  ItemKnnRecommender model({.shrink = 1.0});
  ASSERT_TRUE(model.Fit(ThreeByThree(), {}).ok());
  std::vector<float> scores(3);
  model.SimilarItems(0, scores);
  EXPECT_THAT(scores, ElementsAre(0.0f, FloatNear(kSim01, 1e-6), FloatNear(kSim02, 1e-6)));
}

TEST(ItemKnnTest, ThreadsDoNotChangeTheResult) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> item(0, 199);
  std::vector<std::vector<Interaction>> lists(500);
  for (auto& list : lists) {
    for (int count = 0; count < 12; ++count) list.push_back(At(item(rng)));
  }
  UserHistories train = UserHistories::FromLists(200, lists);
  ItemKnnRecommender one({.neighbors = 20}), two({.neighbors = 20});
  FitOptions single;
  single.threads = 1;
  FitOptions dual;
  dual.threads = 2;
  ASSERT_TRUE(one.Fit(train, single).ok());
  ASSERT_TRUE(two.Fit(train, dual).ok());
  for (int32_t item_idx = 0; item_idx < 200; ++item_idx) {
    auto a = one.neighbors(item_idx);
    auto b = two.neighbors(item_idx);
    ASSERT_EQ(a.size(), b.size()) << item_idx;
    ASSERT_GT(a.size(), 0u) << item_idx;
    ASSERT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(Neighbor)), 0) << item_idx;
  }
}

TEST(ItemKnnTest, RejectsBadOptionsAtFit) {
  ItemKnnRecommender model({.neighbors = 0});
  Status status = model.Fit(ThreeByThree(), {});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("'neighbors'"));
}

}  // namespace
}  // namespace tailor
