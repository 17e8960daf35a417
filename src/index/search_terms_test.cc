#include "index/search_terms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::ElementsAre;

TEST(SearchTermsTest, SplitsAtPunctuationAndLowerCases) {
  EXPECT_THAT(SearchTerms("PORTER-CABLE 4 1/2-Inch, Sanding Roll."),
              ElementsAre("porter", "cable", "4", "1", "2", "inch", "sanding", "roll"));
}

TEST(SearchTermsTest, HarmanPluralRules) {
  EXPECT_THAT(SearchTerms("Rolls batteries boxes glass virus toes bus"),
              ElementsAre("roll", "battery", "boxe", "glass", "virus", "toe", "bus"));
  EXPECT_EQ(NormalizeSearchWord("Boxes"), NormalizeSearchWord("boxe"));
  EXPECT_EQ(NormalizeSearchWord("Gloves"), NormalizeSearchWord("glove"));
}

TEST(SearchTermsTest, KeepsUtf8WordsWhole) {
  EXPECT_THAT(SearchTerms("Crème brûlée!"), ElementsAre("crème", "brûlée"));
}

TEST(SearchTermsTest, EmptyAndPunctuationOnly) {
  EXPECT_TRUE(SearchTerms("").empty());
  EXPECT_TRUE(SearchTerms(" - ., !").empty());
}

}  // namespace
}  // namespace tailor
