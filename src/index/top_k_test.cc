#include "index/top_k.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace tailor {
namespace {

std::vector<int32_t> Items(const std::vector<ScoredItem>& scored) {
  std::vector<int32_t> items;
  for (const ScoredItem& entry : scored) items.push_back(entry.item);
  return items;
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TopKTest, BestFirst) {
  std::vector<float> scores = {0.1f, 0.9f, 0.5f, 0.7f};
  auto top = TopK(scores, 2);
  EXPECT_THAT(Items(top), ElementsAre(1, 3));
  EXPECT_EQ(top[0].score, 0.9f);
  EXPECT_EQ(top[1].score, 0.7f);
}

TEST(TopKTest, TiesGoToTheLowerIndex) {
  std::vector<float> scores = {1.0f, 2.0f, 2.0f, 1.0f, 2.0f};
  EXPECT_THAT(Items(TopK(scores, 4)), ElementsAre(1, 2, 4, 0));
  EXPECT_THAT(Items(TopK(scores, 2)), ElementsAre(1, 2));
}

TEST(TopKTest, AllowedMaskSkipsItems) {
  std::vector<float> scores = {5, 4, 3, 2, 1};
  std::vector<uint8_t> allowed = {0, 1, 0, 1, 1};
  EXPECT_THAT(Items(TopK(scores, 2, allowed)), ElementsAre(1, 3));
  // Fewer allowed than k: all of them.
  EXPECT_THAT(Items(TopK(scores, 10, allowed)), ElementsAre(1, 3, 4));
  std::vector<uint8_t> none(5, 0);
  EXPECT_THAT(TopK(scores, 3, none), IsEmpty());
}

TEST(TopKTest, NanIsLowestAndInfinitiesOrder) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> scores = {nan, -inf, 0.0f, inf, nan};
  EXPECT_THAT(Items(TopK(scores, 5)), ElementsAre(3, 2, 1, 0, 4));
  EXPECT_THAT(Items(TopK(scores, 3)), ElementsAre(3, 2, 1));
}

TEST(TopKTest, DegenerateInputs) {
  std::vector<float> scores = {1, 2, 3};
  EXPECT_THAT(TopK(scores, 0), IsEmpty());
  EXPECT_THAT(TopK(scores, -3), IsEmpty());
  EXPECT_THAT(TopK({}, 5), IsEmpty());
  EXPECT_THAT(Items(TopK(scores, 100)), ElementsAre(2, 1, 0));
}

TEST(TopKTest, AgreesWithAFullSortOnRandomScores) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> coarse(0, 20);  // many ties
  for (int round = 0; round < 20; ++round) {
    std::vector<float> scores(1000);
    std::vector<uint8_t> allowed(1000);
    for (size_t item_idx = 0; item_idx < scores.size(); ++item_idx) {
      scores[item_idx] = static_cast<float>(coarse(rng));
      allowed[item_idx] = coarse(rng) > 3 ? 1 : 0;
    }
    std::vector<int32_t> expected;
    for (int32_t item_idx = 0; item_idx < 1000; ++item_idx) {
      if (allowed[item_idx]) expected.push_back(item_idx);
    }
    std::stable_sort(expected.begin(), expected.end(),
                     [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
    for (int k : {1, 7, 50, 5000}) {
      std::vector<int32_t> want(expected.begin(),
                                expected.begin() + std::min<size_t>(k, expected.size()));
      ASSERT_EQ(Items(TopK(scores, k, allowed)), want) << "round " << round << " k " << k;
    }
  }
}

}  // namespace
}  // namespace tailor
