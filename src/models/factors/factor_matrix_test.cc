#include "models/factors/factor_matrix.h"

#include <cmath>

#include <gtest/gtest.h>

namespace tailor {
namespace {

FactorMatrix ThreeItems() {
  // item 0 = (1, 0), item 1 = (0, 2), item 2 = (3, 3)
  FactorMatrix items(3, 2);
  items.row(0)[0] = 1.0f;
  items.row(1)[1] = 2.0f;
  items.row(2)[0] = 3.0f;
  items.row(2)[1] = 3.0f;
  return items;
}

TEST(FactorMatrixTest, RowsAreAlignedAndPadded) {
  FactorMatrix m(3, 20);
  EXPECT_EQ(m.stride(), 32);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(m.row(1)) % 64, 0u);
}

TEST(FactorMatrixTest, DotMatchesHandComputed) {
  float a[7] = {1, 2, 3, 4, 5, 6, 7};
  float b[7] = {7, 6, 5, 4, 3, 2, 1};
  EXPECT_FLOAT_EQ(Dot(a, b, 7), 7 + 12 + 15 + 16 + 15 + 12 + 7);
}

TEST(FactorMatrixTest, ScoreByDotGivesUnknownItemsTheLowestScore) {
  FactorMatrix items = ThreeItems();
  float user[16] = {1.0f, -1.0f};
  std::vector<float> bias = {0.5f, 0.0f, 0.0f};
  std::vector<float> scores(5);
  ScoreByDot(items, user, bias, scores);
  EXPECT_FLOAT_EQ(scores[0], 1.5f);
  EXPECT_FLOAT_EQ(scores[1], -2.0f);
  EXPECT_FLOAT_EQ(scores[2], 0.0f);
  EXPECT_FLOAT_EQ(scores[3], -2.0f);
  EXPECT_FLOAT_EQ(scores[4], -2.0f);
}

TEST(FactorMatrixTest, CosineSimilarityAndExplanation) {
  FactorMatrix items = ThreeItems();
  std::vector<float> inv = items.InverseNorms();
  std::vector<float> scores(4);
  SimilarByCosine(items, inv, 2, scores);
  EXPECT_NEAR(scores[0], 1.0 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(scores[1], 1.0 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(scores[2], 1.0, 1e-6);
  EXPECT_EQ(scores[3], 0.0f);
  SimilarByCosine(items, inv, 7, scores);  // unknown anchor
  EXPECT_EQ(scores[0], 0.0f);

  std::vector<Interaction> history = {{.item = 1}, {.item = 0}};
  // Items 0 and 1 are equally similar to item 2: the most recent (0) wins.
  EXPECT_EQ(MostSimilarHistoryItem(items, inv, history, 2), 0);
  EXPECT_EQ(MostSimilarHistoryItem(items, inv, history, 1), -1);  // cos(1, 0) = 0
  EXPECT_EQ(MostSimilarHistoryItem(items, inv, {}, 2), -1);
}

TEST(FactorMatrixTest, SaveLoadRoundTrip) {
  FactorMatrix items(5, 3);
  items.FillNormal(0.1f, 7);
  BinaryWriter out;
  items.Save(out);
  BinaryReader in(out.buffer(), "test");
  FactorMatrix loaded;
  ASSERT_TRUE(loaded.Load(in).ok());
  ASSERT_EQ(loaded.rows(), 5);
  ASSERT_EQ(loaded.cols(), 3);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(loaded.row(r)[c], items.row(r)[c]);
}

TEST(FactorMatrixTest, FillNormalIsDeterministic) {
  FactorMatrix a(4, 8), b(4, 8);
  a.FillNormal(0.1f, 3);
  b.FillNormal(0.1f, 3);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 8; ++c) EXPECT_EQ(a.row(r)[c], b.row(r)[c]);
}

}  // namespace
}  // namespace tailor
