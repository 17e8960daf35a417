#include "eval/seed_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

constexpr double kEps = 1e-12;

TEST(SeedSummaryTest, MeanAndSampleStandardDeviation) {
  // ndcg: 0.1, 0.2, 0.3 -> mean 0.2; squared deviations 0.01 + 0 + 0.01 = 0.02; / (3 - 1)
  // = 0.01 -> std 0.1. recall: 0.5, 0.5, 0.8 -> mean 0.6; deviations -0.1, -0.1, 0.2 ->
  // 0.01 + 0.01 + 0.04 = 0.06; / 2 = 0.03 -> std sqrt(0.03).
  auto summary = SummarizeSeeds({{{"ndcg@10", 0.1}, {"recall@10", 0.5}},
                                 {{"ndcg@10", 0.2}, {"recall@10", 0.5}},
                                 {{"ndcg@10", 0.3}, {"recall@10", 0.8}}});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_NEAR(summary->mean.at("ndcg@10"), 0.2, kEps);
  EXPECT_NEAR(summary->stddev.at("ndcg@10"), 0.1, kEps);
  EXPECT_NEAR(summary->mean.at("recall@10"), 0.6, kEps);
  EXPECT_NEAR(summary->stddev.at("recall@10"), 0.17320508075688773, kEps);
  ASSERT_EQ(summary->per_seed.size(), 3u);
  EXPECT_EQ(summary->per_seed[2].at("recall@10"), 0.8);
  EXPECT_EQ(summary->mean.size(), 2u);
  EXPECT_EQ(summary->stddev.size(), 2u);
}

TEST(SeedSummaryTest, OneSeedHasZeroSpread) {
  auto summary = SummarizeSeeds({{{"hr@10", 0.42}}});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->mean.at("hr@10"), 0.42);
  EXPECT_EQ(summary->stddev.at("hr@10"), 0.0);
}

TEST(SeedSummaryTest, EqualValuesHaveExactlyZeroSpread) {
  auto summary = SummarizeSeeds({{{"mrr", 0.3}}, {{"mrr", 0.3}}, {{"mrr", 0.3}}});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->stddev.at("mrr"), 0.0);
}

TEST(SeedSummaryTest, RejectsNoSeedsAndMismatchedMetrics) {
  EXPECT_THAT(SummarizeSeeds({}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no seeds")));
  EXPECT_THAT(SummarizeSeeds({{{"a", 1.0}, {"b", 2.0}}, {{"a", 1.0}}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'b' missing for seed 1")));
  EXPECT_THAT(SummarizeSeeds({{{"a", 1.0}}, {{"a", 1.0}}, {{"a", 1.0}, {"c", 2.0}}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'c' missing for seed 0")));
}

}  // namespace
}  // namespace tailor
