#include "eval/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace tailor {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;

constexpr double kEps = 1e-9;

// Five items with a tie:   item:  0    1    2    3    4
//                          score: 0.1  0.9  0.5  0.9  0.3
// Order: item1 (0.9), item3 (0.9, tie -> higher index second), item2, item4, item0.
// Ranks: item1=0, item3=1, item2=2, item4=3, item0=4.
const std::vector<float> kFiveScores = {0.1f, 0.9f, 0.5f, 0.9f, 0.3f};

TEST(RankRelevantTest, RanksFollowTheTieBreakByLowerIndex) {
  std::vector<int32_t> relevant = {0, 1, 2, 3, 4};
  for (int32_t item : relevant) {
    RelevantRanks single = RankRelevant(kFiveScores, std::vector<int32_t>{item});
    EXPECT_EQ(single.num_candidates, 5);
    EXPECT_EQ(single.num_non_relevant, 4);
    static const int64_t kExpected[] = {4, 0, 2, 1, 3};
    EXPECT_EQ(single.ranks[0], kExpected[item]) << "item " << item;
  }
}

TEST(RankRelevantTest, OnlyCandidatesCount) {
  // Item 1 removed: candidates {0, 2, 3, 4}; order item3, item2, item4, item0.
  std::vector<uint8_t> allowed = {1, 0, 1, 1, 1};
  RelevantRanks ranked = RankRelevant(kFiveScores, std::vector<int32_t>{3, 2, 1}, allowed);
  EXPECT_THAT(ranked.ranks, ElementsAre(0, 1, kUnranked));
  EXPECT_EQ(ranked.num_candidates, 4);
  EXPECT_EQ(ranked.num_non_relevant, 2);  // items 4 and 0
  // Out-of-range items are unranked, not a crash.
  RelevantRanks outside = RankRelevant(kFiveScores, std::vector<int32_t>{7, -1});
  EXPECT_THAT(outside.ranks, ElementsAre(kUnranked, kUnranked));
}

TEST(RankRelevantTest, NanRanksBelowEveryNumber) {
  // scores [NaN, 1, NaN, 0]: order item1, item3, item0, item2 (NaNs tie, lower index first).
  const float nan = std::nanf("");
  std::vector<float> scores = {nan, 1.0f, nan, 0.0f};
  RelevantRanks ranked = RankRelevant(scores, std::vector<int32_t>{0});
  EXPECT_EQ(ranked.ranks[0], 2);
  EXPECT_EQ(RankRelevant(scores, std::vector<int32_t>{2}).ranks[0], 3);
  EXPECT_EQ(RankRelevant(scores, std::vector<int32_t>{3}).ranks[0], 1);
  // AUC of item0: non-relevant {1, 2, 3}: 1 and 3 above, 2 tied -> 0.5 / 3.
  EXPECT_THAT(Auc(ranked), DoubleNear(0.5 / 3.0, kEps));
}

// The counting path (<= 32 relevant) and the sorting path (> 32) must agree with the definition.
TEST(RankRelevantTest, CountingAndSortingAgreeWithTheDefinition) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> level(0, 9);  // few levels -> many ties
  const int32_t num_items = 300;
  std::vector<float> scores(num_items);
  std::vector<uint8_t> allowed(num_items);
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    scores[item_idx] = static_cast<float>(level(rng));
    allowed[item_idx] = level(rng) < 8;
  }
  for (int num_relevant : {1, 5, 32, 33, 80}) {
    std::vector<int32_t> relevant;
    for (int rel_idx = 0; rel_idx < num_relevant; ++rel_idx) relevant.push_back(rel_idx * 3 + 1);
    RelevantRanks ranked = RankRelevant(scores, relevant, allowed);
    for (size_t rel_idx = 0; rel_idx < relevant.size(); ++rel_idx) {
      const int32_t target = relevant[rel_idx];
      if (!allowed[target]) {
        EXPECT_EQ(ranked.ranks[rel_idx], kUnranked);
        continue;
      }
      int64_t rank = 0, above = 0, tied = 0;
      for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
        if (!allowed[item_idx] || item_idx == target) continue;
        const bool higher = scores[item_idx] > scores[target];
        const bool equal = scores[item_idx] == scores[target];
        rank += higher || (equal && item_idx < target);
        const bool is_relevant =
            std::find(relevant.begin(), relevant.end(), item_idx) != relevant.end();
        if (!is_relevant) {
          above += higher;
          tied += equal;
        }
      }
      EXPECT_EQ(ranked.ranks[rel_idx], rank) << num_relevant << " relevant, item " << target;
      EXPECT_EQ(ranked.non_relevant_above[rel_idx], above) << "item " << target;
      EXPECT_EQ(ranked.non_relevant_tied[rel_idx], tied) << "item " << target;
    }
  }
}

TEST(RankingMetricsTest, SingleRelevantItemAtRankTwo) {
  // Relevant {item2}: rank 2 (third place).
  RelevantRanks ranked = RankRelevant(kFiveScores, std::vector<int32_t>{2});
  const auto& ranks = ranked.ranks;
  EXPECT_EQ(HitRateAtK(ranks, 3), 1.0);
  EXPECT_EQ(HitRateAtK(ranks, 2), 0.0);
  EXPECT_EQ(RecallAtK(ranks, 3), 1.0);
  EXPECT_EQ(RecallAtK(ranks, 2), 0.0);
  EXPECT_THAT(PrecisionAtK(ranks, 3), DoubleNear(1.0 / 3.0, kEps));
  // NDCG@3 = (1 / log2(2 + 2)) / (1 / log2(2)) = 1/2.
  EXPECT_THAT(NdcgAtK(ranks, 3), DoubleNear(0.5, kEps));
  EXPECT_EQ(NdcgAtK(ranks, 2), 0.0);
  EXPECT_THAT(ReciprocalRank(ranks), DoubleNear(1.0 / 3.0, kEps));
  // AP@3 = (1 / min(1, 3)) * (1 / 3).
  EXPECT_THAT(AveragePrecisionAtK(ranks, 3), DoubleNear(1.0 / 3.0, kEps));
  // AUC: 4 non-relevant; below item2 (0.5): item4 (0.3), item0 (0.1) -> 2 / 4.
  EXPECT_THAT(Auc(ranked), DoubleNear(0.5, kEps));
}

TEST(RankingMetricsTest, TwoRelevantItems) {
  // Relevant {item3, item0}: ranks 1 and 4.
  RelevantRanks ranked = RankRelevant(kFiveScores, std::vector<int32_t>{3, 0});
  const auto& ranks = ranked.ranks;
  ASSERT_THAT(ranks, ElementsAre(1, 4));
  EXPECT_EQ(HitRateAtK(ranks, 3), 1.0);
  EXPECT_THAT(RecallAtK(ranks, 3), DoubleNear(0.5, kEps));
  EXPECT_THAT(RecallAtK(ranks, 5), DoubleNear(1.0, kEps));
  EXPECT_THAT(PrecisionAtK(ranks, 3), DoubleNear(1.0 / 3.0, kEps));
  // NDCG@3 = (1/log2(3)) / (1/log2(2) + 1/log2(3)) = 0.6309298 / 1.6309298 = 0.3868528.
  EXPECT_THAT(NdcgAtK(ranks, 3), DoubleNear(0.38685280723454163, 1e-9));
  // NDCG@5 = (1/log2(3) + 1/log2(6)) / (1 + 1/log2(3)) = (0.6309298 + 0.3868528) / 1.6309298.
  EXPECT_THAT(
      NdcgAtK(ranks, 5),
      DoubleNear((1 / std::log2(3.0) + 1 / std::log2(6.0)) / (1 + 1 / std::log2(3.0)), kEps));
  EXPECT_THAT(ReciprocalRank(ranks), DoubleNear(0.5, kEps));
  // AP@3 = (1 / min(2, 3)) * (1 / 2) = 0.25; AP@5 = (1/2 + 2/5) / 2 = 0.45.
  EXPECT_THAT(AveragePrecisionAtK(ranks, 3), DoubleNear(0.25, kEps));
  EXPECT_THAT(AveragePrecisionAtK(ranks, 5), DoubleNear(0.45, kEps));
  // AUC: non-relevant {1, 2, 4}. item3 (0.9): tie with item1 (0.5), above 2 and 4 (2) = 2.5;
  // item0 (0.1): below all = 0. AUC = 2.5 / (2 * 3).
  EXPECT_THAT(Auc(ranked), DoubleNear(2.5 / 6.0, kEps));
}

TEST(RankingMetricsTest, UnrankedIsAMissAndEmptyIsZero) {
  std::vector<int64_t> ranks = {kUnranked};
  EXPECT_EQ(RecallAtK(ranks, 10), 0.0);
  EXPECT_EQ(NdcgAtK(ranks, 10), 0.0);
  EXPECT_EQ(ReciprocalRank(ranks), 0.0);
  EXPECT_EQ(AveragePrecisionAtK(ranks, 10), 0.0);
  std::vector<int64_t> none;
  EXPECT_EQ(RecallAtK(none, 10), 0.0);
  EXPECT_EQ(NdcgAtK(none, 10), 0.0);
  EXPECT_EQ(PrecisionAtK(std::vector<int64_t>{0}, 0), 0.0);
  // A relevant item at rank 0 is perfect.
  EXPECT_EQ(NdcgAtK(std::vector<int64_t>{0}, 1), 1.0);
  EXPECT_EQ(ReciprocalRank(std::vector<int64_t>{0}), 1.0);
  // An unranked relevant item contributes no AUC pairs.
  std::vector<uint8_t> allowed = {1, 1, 0, 1, 1};
  EXPECT_EQ(Auc(RankRelevant(kFiveScores, std::vector<int32_t>{2}, allowed)), 0.0);
}

TEST(RatingMetricsTest, RmseAndMae) {
  // errors -1, 0, 2: RMSE = sqrt((1 + 0 + 4) / 3) = 1.2909944, MAE = 3 / 3 = 1.
  std::vector<float> predicted = {3, 4, 5};
  std::vector<float> actual = {4, 4, 3};
  EXPECT_THAT(Rmse(predicted, actual), DoubleNear(std::sqrt(5.0 / 3.0), kEps));
  EXPECT_THAT(Mae(predicted, actual), DoubleNear(1.0, kEps));
  EXPECT_EQ(Rmse({}, {}), 0.0);
}

TEST(CatalogueMetricsTest, CoverageGiniNovelty) {
  // Lists {2,3}, {2}, {2}: counts [0, 0, 3, 1].
  std::vector<int64_t> counts = RecommendationCounts({{2, 3}, {2}, {2, 9}}, 4);
  ASSERT_THAT(counts, ElementsAre(0, 0, 3, 1));
  EXPECT_THAT(ItemCoverage(counts), DoubleNear(0.5, kEps));
  // Sorted [0, 0, 1, 3], n = 4, sum = 4: weights 2i-n-1 = -3, -1, 1, 3 -> 1 + 9 = 10.
  // Gini = 10 / (4 * 4) = 0.625.
  EXPECT_THAT(GiniIndex(counts), DoubleNear(0.625, kEps));
  EXPECT_THAT(GiniIndex(std::vector<int64_t>{2, 2, 2}), DoubleNear(0.0, kEps));
  EXPECT_THAT(GiniIndex(std::vector<int64_t>{0, 0, 0, 5}), DoubleNear(0.75, kEps));
  EXPECT_EQ(GiniIndex(std::vector<int64_t>{0, 0}), 0.0);
  // popularity [5, 0, 2, 0] of 8 users: item2 -log2(2/8) = 2 (x3 slots), item3 (0 -> 1 user)
  // -log2(1/8) = 3 (x1). Novelty = (3*2 + 3) / 4 = 2.25.
  std::vector<int64_t> popularity = {5, 0, 2, 0};
  EXPECT_THAT(Novelty(counts, popularity, 8), DoubleNear(2.25, kEps));
}

TEST(ClassificationMetricsTest, AccuracyAndMacroF1) {
  // truth [0 0 1 1 2 2], predicted [0 1 1 1 2 0]: 4 of 6 right.
  // class 0: tp 1, 2 true, 2 predicted -> F1 = 2/4; class 1: tp 2, 2 true, 3 predicted ->
  // 4/5; class 2: tp 1, 2 true, 1 predicted -> 2/3. Macro = (0.5 + 0.8 + 0.6667) / 3.
  const std::vector<int32_t> truth = {0, 0, 1, 1, 2, 2};
  const std::vector<int32_t> predicted = {0, 1, 1, 1, 2, 0};
  ClassificationScores scores = ScoreClassification(truth, predicted, 3);
  EXPECT_THAT(scores.accuracy, DoubleNear(4.0 / 6.0, kEps));
  EXPECT_THAT(scores.macro_f1, DoubleNear((0.5 + 0.8 + 2.0 / 3.0) / 3.0, kEps));
  // A class that occurs nowhere does not count in the mean.
  EXPECT_THAT(ScoreClassification(truth, predicted, 4).macro_f1,
              DoubleNear((0.5 + 0.8 + 2.0 / 3.0) / 3.0, kEps));
  // A class that is only predicted counts with F1 0: truth [0 0], predicted [0 1] ->
  // class 0: 2*1 / (2 + 1) = 2/3, class 1: 0 -> macro 1/3.
  const std::vector<int32_t> two_truth = {0, 0};
  const std::vector<int32_t> two_predicted = {0, 1};
  EXPECT_THAT(ScoreClassification(two_truth, two_predicted, 2).macro_f1, DoubleNear(1.0 / 3.0, kEps));
  EXPECT_EQ(ScoreClassification({}, {}, 3).accuracy, 0.0);
}

}  // namespace
}  // namespace tailor
