#include "rank/review_signals.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::ElementsAre;

std::vector<int32_t> Items(const std::vector<ScoredItem>& list) {
  std::vector<int32_t> items;
  for (const ScoredItem& entry : list) items.push_back(entry.item);
  return items;
}

// Items 0..3: 0 unreviewed, 1 praised by 5, 2 panned by 15, 3 praised by 1.
ReviewSignals FourItems() {
  ReviewSignals reviews;
  reviews.counts = {0, 5, 15, 1};
  reviews.scores = {NAN, 0.8f, -0.6f, 1.0f};
  reviews.has_scores = true;
  return reviews;
}

TEST(ReviewSignalsTest, ShrunkPullsFewReviewsTowardZero) {
  ReviewSignals reviews = FourItems();
  EXPECT_FLOAT_EQ(reviews.Shrunk(0), 0.0f);                // no score
  EXPECT_FLOAT_EQ(reviews.Shrunk(1), 0.8f * 5 / 10);       // 0.4
  EXPECT_FLOAT_EQ(reviews.Shrunk(2), -0.6f * 15 / 20);     // -0.45
  EXPECT_FLOAT_EQ(reviews.Shrunk(3), 1.0f * 1 / 6);        // 0.1667
  EXPECT_FLOAT_EQ(reviews.Shrunk(9), 0.0f);                // past the end
  EXPECT_EQ(reviews.count(9), 0);
}

TEST(ReviewSignalsTest, BoostIsInUnitsOfTheCandidatesSpread) {
  ReviewSignals reviews = FourItems();
  // Scores 4, 3, 2, 1: mean 2.5, population std sqrt(1.25) = 1.1180.
  std::vector<ScoredItem> candidates = {{0, 4.0f}, {1, 3.0f}, {2, 2.0f}, {3, 1.0f}};
  BoostByReviews(reviews, 2.0, candidates);
  const double unit = 2.0 * std::sqrt(1.25);
  // 0: 4; 1: 3 + 0.4 * 2.236 = 3.894; 2: 2 - 0.45 * 2.236 = 0.994; 3: 1 + 0.1667 * 2.236 = 1.373.
  EXPECT_THAT(Items(candidates), ElementsAre(0, 1, 3, 2));
  EXPECT_FLOAT_EQ(candidates[1].score, static_cast<float>(3.0 + 0.4 * unit));
  EXPECT_FLOAT_EQ(candidates[3].score, static_cast<float>(2.0 - 0.45 * unit));
  // A larger weight lets the praised item pass the unreviewed one: 3 + 0.4 * 3 * 1.118 > 4.
  std::vector<ScoredItem> again = {{0, 4.0f}, {1, 3.0f}, {2, 2.0f}, {3, 1.0f}};
  BoostByReviews(reviews, 3.0, again);
  EXPECT_THAT(Items(again), ElementsAre(1, 0, 3, 2));
}

TEST(ReviewSignalsTest, EqualScoresAreDecidedByReviewsAndZeroWeightOnlySorts) {
  ReviewSignals reviews = FourItems();
  std::vector<ScoredItem> tied = {{0, 1.0f}, {1, 1.0f}, {2, 1.0f}, {3, 1.0f}};
  BoostByReviews(reviews, 1.0, tied);
  EXPECT_THAT(Items(tied), ElementsAre(1, 3, 0, 2));
  std::vector<ScoredItem> unsorted = {{2, 1.0f}, {3, 5.0f}, {0, 1.0f}};
  BoostByReviews(reviews, 0.0, unsorted);
  EXPECT_THAT(Items(unsorted), ElementsAre(3, 0, 2));
}

TEST(ReviewSignalsTest, TopKByReviewsReranksABiggerPoolThanK) {
  ReviewSignals reviews;
  // 60 items scored 60..1; only item 40 has reviews, all glowing (and many).
  std::vector<float> scores(60);
  for (int i = 0; i < 60; ++i) scores[i] = static_cast<float>(60 - i);
  reviews.counts.assign(60, 0);
  reviews.scores.assign(60, NAN);
  reviews.counts[40] = 1000;
  reviews.scores[40] = 1.0f;
  reviews.has_scores = true;
  EXPECT_THAT(Items(TopKByReviews(scores, 3, {}, &reviews, 0.0)), ElementsAre(0, 1, 2));
  // Item 40 is in the pool of max(4 * 3, 50) = 50: the std of 60..11 is 14.43, so weight 3
  // lifts it by ~43: 20 + 43 > 60.
  EXPECT_THAT(Items(TopKByReviews(scores, 3, {}, &reviews, 3.0)), ElementsAre(40, 0, 1));
  // Outside the pool it cannot be lifted.
  std::vector<uint8_t> allowed(60, 1);
  reviews.counts[55] = 1000;
  reviews.scores[55] = 1.0f;
  EXPECT_THAT(Items(TopKByReviews(scores, 3, allowed, &reviews, 3.0)), ElementsAre(40, 0, 1));
}

TEST(ReviewSignalsTest, ReasonNamesTheToneTheScoreAndTheCount) {
  ReviewSignals reviews = FourItems();
  EXPECT_EQ(ReviewReason(reviews, 0), "");
  EXPECT_EQ(ReviewReason(reviews, 1), "reviews: positive (score 0.80 over 5)");
  EXPECT_EQ(ReviewReason(reviews, 2), "reviews: negative (score -0.60 over 15)");
  reviews.scores[3] = 0.1f;
  EXPECT_EQ(ReviewReason(reviews, 3), "reviews: mixed (score 0.10 over 1)");
}

}  // namespace
}  // namespace tailor
