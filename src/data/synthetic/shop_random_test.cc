#include "data/synthetic/shop_random.h"

#include <gtest/gtest.h>

#include <vector>

#include "data/synthetic/shop_population.h"

namespace tailor::synthetic {
namespace {

TEST(ShopRandomTest, SameSeedSameStream) {
  ShopRandom a(9), b(9), c(10);
  bool differs = false;
  for (int draw = 0; draw < 100; ++draw) {
    const uint64_t value = a.Next();
    EXPECT_EQ(value, b.Next());
    differs |= value != c.Next();
  }
  EXPECT_TRUE(differs);
  EXPECT_NE(DeriveSeed(1, 2), DeriveSeed(1, 3));
  EXPECT_NE(DeriveSeed(1, 2), DeriveSeed(2, 2));
}

TEST(ShopRandomTest, DistributionsHaveTheirMoments) {
  ShopRandom rng(1);
  constexpr int kDraws = 200000;
  double uniform = 0, normal = 0, normal_sq = 0, exponential = 0;
  std::vector<int> below(7, 0);
  for (int draw = 0; draw < kDraws; ++draw) {
    uniform += rng.Uniform();
    const double z = rng.Normal();
    normal += z;
    normal_sq += z * z;
    exponential += rng.Exponential(3.0);
    ++below[rng.Below(7)];
  }
  EXPECT_NEAR(uniform / kDraws, 0.5, 0.01);
  EXPECT_NEAR(normal / kDraws, 0.0, 0.01);
  EXPECT_NEAR(normal_sq / kDraws, 1.0, 0.02);
  EXPECT_NEAR(exponential / kDraws, 3.0, 0.05);
  for (int count : below) EXPECT_NEAR(count, kDraws / 7.0, kDraws / 7.0 * 0.05);
}

TEST(ZipfTableTest, RankFrequenciesFallLikeOneOverRank) {
  const ZipfTable zipf(1000, 1.0);
  ShopRandom rng(2);
  std::vector<int> counts(10, 0);
  for (int draw = 0; draw < 300000; ++draw) {
    const size_t rank = zipf.Sample(rng, 10);
    ASSERT_LT(rank, 10u);
    ++counts[rank];
  }
  // P(rank 0) / P(rank 1) = 2, P(rank 0) / P(rank 9) = 10.
  EXPECT_NEAR(static_cast<double>(counts[0]) / counts[1], 2.0, 0.1);
  EXPECT_NEAR(static_cast<double>(counts[0]) / counts[9], 10.0, 0.8);
  EXPECT_EQ(zipf.Sample(rng, 1), 0u);
}

TEST(FormatIsoDateTest, KnownDates) {
  EXPECT_EQ(FormatIsoDate(0), "1970-01-01");
  EXPECT_EQ(FormatIsoDate(1704067200), "2024-01-01");
  EXPECT_EQ(FormatIsoDate(1709164800), "2024-02-29");
  EXPECT_EQ(FormatIsoDate(1709251199), "2024-02-29");
  EXPECT_EQ(FormatIsoDate(-1), "1969-12-31");
}

}  // namespace
}  // namespace tailor::synthetic
