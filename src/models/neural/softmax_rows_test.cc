#include "models/neural/softmax_rows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace tailor {
namespace {

TEST(SoftmaxCrossEntropyRowTest, HandComputedTwoItems) {
  // logits (0, ln 3): p = (1/4, 3/4); target 1: loss = -ln(3/4).
  std::vector<float> row = {0.0f, static_cast<float>(std::log(3.0))};
  EXPECT_NEAR(SoftmaxCrossEntropyRow(row, 1), -std::log(0.75), 1e-6);
  EXPECT_NEAR(row[0], 0.25, 1e-6);
  EXPECT_NEAR(row[1], 0.75 - 1.0, 1e-6);
}

TEST(SoftmaxCrossEntropyRowTest, MatchesDoublePrecisionOnWideRows) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 8.0);
  for (size_t size : {1u, 7u, 16u, 12101u}) {
    std::vector<float> row(size);
    for (float& value : row) value = static_cast<float>(normal(rng));
    const int32_t target = static_cast<int32_t>(size / 2);
    double max = row[0], sum = 0.0;
    for (float value : row) max = std::max(max, static_cast<double>(value));
    for (float value : row) sum += std::exp(value - max);
    std::vector<double> expected(size);
    for (size_t col = 0; col < size; ++col) expected[col] = std::exp(row[col] - max) / sum;
    const double expected_loss = -std::log(expected[target]);
    expected[target] -= 1.0;
    EXPECT_NEAR(SoftmaxCrossEntropyRow(row, target), expected_loss, 1e-4 * (1 + expected_loss));
    for (size_t col = 0; col < size; ++col) {
      ASSERT_NEAR(row[col], expected[col], 1e-6 * std::fabs(expected[col]) + 1e-9) << col;
    }
  }
}

TEST(SoftmaxCrossEntropyRowTest, HugeGapsUnderflowToZeroNotNan) {
  std::vector<float> row = {0.0f, -1000.0f, 500.0f};
  const double loss = SoftmaxCrossEntropyRow(row, 0);
  EXPECT_NEAR(loss, 500.0, 1e-3);
  EXPECT_FALSE(std::isnan(row[1]));
  EXPECT_LT(std::fabs(row[1]), 1e-30);
  EXPECT_NEAR(row[2], 1.0, 1e-6);
}

}  // namespace
}  // namespace tailor
