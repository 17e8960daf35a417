#include "index/bm25_index.h"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Three documents of lengths 2, 3, 2 (mean 7/3).
Bm25Index ThreeDocs() { return Bm25Index::Build({"red shoe", "Red red hat", "blue hats"}); }

TEST(Bm25IndexTest, HandComputedScores) {
  const Bm25Index index = ThreeDocs();
  // "red": df 2 of 3, idf = ln(1 + 1.5 / 2.5) = ln 1.6.
  // doc 0: tf 1, |d|/avg = 6/7: 2.2 / (1 + 1.2 (0.25 + 0.75 * 6/7)) = 1.0620690
  // doc 1: tf 2, |d|/avg = 9/7: 4.4 / (2 + 1.2 (0.25 + 0.75 * 9/7)) = 1.2727273
  EXPECT_NEAR(index.Score("red", 0), std::log(1.6) * 1.0620690, 1e-5);
  EXPECT_NEAR(index.Score("red", 1), std::log(1.6) * 1.2727273, 1e-5);
  EXPECT_EQ(index.Score("red", 2), 0.0f);
  const auto results = index.Search("red", 10);
  ASSERT_EQ(results.size(), 2u);  // doc 2 holds no query term
  EXPECT_EQ(results[0].item, 1);
  EXPECT_EQ(results[1].item, 0);
  EXPECT_NEAR(results[0].score, index.Score("red", 1), 1e-6);
}

TEST(Bm25IndexTest, RareTermsWeighMoreAndRepeatsInTheQueryCountOnce) {
  const Bm25Index index = ThreeDocs();
  // "shoe" (df 1) outweighs "hat" (df 2): doc 0 wins "shoe hat" although both match once.
  const auto results = index.Search("shoe hat", 10);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].item, 0);
  EXPECT_FLOAT_EQ(index.Score("red red red", 1), index.Score("red", 1));
}

TEST(Bm25IndexTest, MatchedTermsAreNormalizedAndInQueryOrder) {
  const Bm25Index index = ThreeDocs();
  EXPECT_THAT(index.MatchedTerms("Hats in Blue", 2), ElementsAre("hat", "blue"));
  EXPECT_THAT(index.MatchedTerms("green", 2), IsEmpty());
  EXPECT_THAT(index.MatchedTerms("blue", 7), IsEmpty());
}

TEST(Bm25IndexTest, KLimitsAndUnknownTerms) {
  const Bm25Index index = ThreeDocs();
  EXPECT_EQ(index.Search("red hat", 1).size(), 1u);
  EXPECT_EQ(index.Search("red hat", 0).size(), 3u);
  EXPECT_THAT(index.Search("unknown words", 10), IsEmpty());
  EXPECT_THAT(Bm25Index::Build({}).Search("red", 5), IsEmpty());
}

TEST(Bm25IndexTest, WithoutLengthNormalizationLengthDoesNotMatter) {
  const Bm25Index index = Bm25Index::Build({"lamp", "lamp desk chair table"}, {.k1 = 1.2f, .b = 0});
  EXPECT_FLOAT_EQ(index.Score("lamp", 0), index.Score("lamp", 1));
}

}  // namespace
}  // namespace tailor
