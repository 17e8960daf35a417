#include "rank/search_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Catalog SmallCatalog() {
  Catalog catalog;
  catalog.item_ids = {"a", "b", "c"};
  catalog.titles = {"Sanding roll", "Nitrile gloves", "Lab coat"};
  catalog.brands = {"PORTER-CABLE", "Ansell", "Porter"};
  catalog.category_names = {"Industrial & Scientific", "Sanding Rolls", "Gloves"};
  catalog.categories = {{0, 1}, {0, 2}, {0}};
  return catalog;
}

TEST(SearchQueryTest, PriceBounds) {
  const QueryVocabulary vocabulary = QueryVocabulary::Build(SmallCatalog());
  ASSERT_OK_AND_ASSIGN(SearchQuery under, ParseSearchQuery("gloves under $20", vocabulary));
  EXPECT_EQ(under.text, "gloves");
  EXPECT_EQ(under.max_price, 20.0);
  EXPECT_FALSE(under.min_price.has_value());
  ASSERT_OK_AND_ASSIGN(SearchQuery over, ParseSearchQuery("coat more than 15.5 dollars", vocabulary));
  EXPECT_EQ(over.text, "coat");
  EXPECT_EQ(over.min_price, 15.5);
  ASSERT_OK_AND_ASSIGN(SearchQuery between,
                       ParseSearchQuery("roll between 30 and $10.", vocabulary));
  EXPECT_EQ(between.text, "roll");
  EXPECT_EQ(between.min_price, 10.0);
  EXPECT_EQ(between.max_price, 30.0);
  // A marker without an amount is an ordinary word.
  ASSERT_OK_AND_ASSIGN(SearchQuery word, ParseSearchQuery("under armour", vocabulary));
  EXPECT_EQ(word.text, "under armour");
  EXPECT_FALSE(word.max_price.has_value());
}

TEST(SearchQueryTest, BrandsAndCategoriesLongestMatchFirst) {
  const QueryVocabulary vocabulary = QueryVocabulary::Build(SmallCatalog());
  ASSERT_OK_AND_ASSIGN(SearchQuery query,
                       ParseSearchQuery("Porter-Cable sanding roll under 20", vocabulary));
  // "porter cable" is the longer brand; "sanding roll" names the category Sanding Rolls.
  EXPECT_THAT(query.brands, ElementsAre("PORTER-CABLE"));
  EXPECT_THAT(query.categories, ElementsAre(1));
  EXPECT_FALSE(query.brand.has_value());  // named, not required
  ASSERT_OK_AND_ASSIGN(SearchQuery plain, ParseSearchQuery("blue paint", vocabulary));
  EXPECT_THAT(plain.brands, IsEmpty());
  EXPECT_THAT(plain.categories, IsEmpty());
}

TEST(SearchQueryTest, ExplicitBrandIsRequired) {
  const QueryVocabulary vocabulary = QueryVocabulary::Build(SmallCatalog());
  ASSERT_OK_AND_ASSIGN(SearchQuery query, ParseSearchQuery("gloves by ansell", vocabulary));
  EXPECT_EQ(query.brand, "Ansell");
  ASSERT_OK_AND_ASSIGN(SearchQuery brand, ParseSearchQuery("brand porter lab coat", vocabulary));
  EXPECT_EQ(brand.brand, "Porter");
  ASSERT_OK_AND_ASSIGN(SearchQuery unknown, ParseSearchQuery("coat by nobody", vocabulary));
  EXPECT_FALSE(unknown.brand.has_value());
}

TEST(SearchQueryTest, Errors) {
  const QueryVocabulary vocabulary = QueryVocabulary::Build(SmallCatalog());
  EXPECT_THAT(ParseSearchQuery("  ?! ", vocabulary),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("holds no word")));
  EXPECT_THAT(ParseSearchQuery("gloves over 50 under 20", vocabulary),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("over 50 and under 20")));
  // Only a price bound is a valid query (e.g. browsing the cheap end).
  ASSERT_OK_AND_ASSIGN(SearchQuery cheap, ParseSearchQuery("under 5", vocabulary));
  EXPECT_EQ(cheap.text, "");
  EXPECT_EQ(cheap.max_price, 5.0);
}

}  // namespace
}  // namespace tailor
