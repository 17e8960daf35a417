#include "index/tfidf_vectors.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace tailor {
namespace {

// N = 3; "red" and "hat" (from "hat" and "hats") in 2 documents, "shoe" and "blue" in 1.
TfidfVectors ThreeDocs() { return TfidfVectors::Build({"red shoe", "Red red hat", "blue hats", ""}); }

double Weight(const TfidfVectors& vectors, int32_t doc, const std::string& term) {
  for (const TfidfVectors::Entry& entry : vectors.row(doc)) {
    if (vectors.term(entry.term) == term) return entry.weight;
  }
  return 0.0;
}

TEST(TfidfVectorsTest, SublinearTfSmoothedIdfUnitRowsByHand) {
  const TfidfVectors vectors = ThreeDocs();
  ASSERT_EQ(vectors.num_documents(), 4);
  EXPECT_EQ(vectors.num_terms(), 4);  // red, shoe, hat, blue
  const double idf1 = std::log(5.0 / 2.0) + 1.0;  // df 1 of N = 4 documents
  const double idf2 = std::log(5.0 / 3.0) + 1.0;  // df 2
  // doc 0: red tf 1 (idf2), shoe tf 1 (idf1).
  const double norm0 = std::sqrt(idf2 * idf2 + idf1 * idf1);
  EXPECT_NEAR(Weight(vectors, 0, "red"), idf2 / norm0, 1e-6);
  EXPECT_NEAR(Weight(vectors, 0, "shoe"), idf1 / norm0, 1e-6);
  // doc 1: red tf 2 -> (1 + ln 2) idf2; hat tf 1.
  const double red1 = (1.0 + std::log(2.0)) * idf2;
  const double norm1 = std::sqrt(red1 * red1 + idf2 * idf2);
  EXPECT_NEAR(Weight(vectors, 1, "red"), red1 / norm1, 1e-6);
  EXPECT_NEAR(Weight(vectors, 1, "hat"), idf2 / norm1, 1e-6);
  EXPECT_NEAR(Weight(vectors, 2, "hat"), idf2 / norm0, 1e-6);  // "hats" stemmed
  EXPECT_TRUE(vectors.row(3).empty());

  std::vector<double> similarities(4, 0.0);
  vectors.AddSimilarities(0, similarities);
  EXPECT_NEAR(similarities[0], 1.0, 1e-6);
  EXPECT_NEAR(similarities[1], (idf2 / norm0) * (red1 / norm1), 1e-6);
  EXPECT_EQ(similarities[2], 0.0);  // no shared term
  EXPECT_EQ(similarities[3], 0.0);
  vectors.AddSimilarities(2, similarities);  // adds on top
  EXPECT_NEAR(similarities[1], (idf2 / norm0) * (red1 / norm1) + (idf2 / norm0) * (idf2 / norm1),
              1e-6);
  vectors.AddSimilarities(7, similarities);  // out of range: no-op
  EXPECT_NEAR(similarities[0], 1.0, 1e-6);
}

}  // namespace
}  // namespace tailor
