#include "eval/search_queries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::HasSubstr;

// Item 0 "Red running shoe" by Acme in Shoes > Running; item 1 has no title; item 2 "Hat".
Catalog ThreeItems() {
  Catalog catalog;
  catalog.item_ids = {"a", "b", "c"};
  catalog.titles = {"Red running shoe", "", "Hat"};
  catalog.brands = {"Acme", "Zenith", ""};
  catalog.category_names = {"Shoes", "Running", "Shoes > Running"};
  catalog.categories = {{0, 1, 2}, {0}, {}};
  return catalog;
}

TEST(SearchQueriesTest, TitleWindowBrandAndDeepestCategory) {
  Split split;
  split.targets = {{0}, {1}, {}, {2}};
  const auto cases = BuildSearchQueries(ThreeItems(), split, {.title_words = 3});
  // User 1's target has no title and user 2 has no target.
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].user, 0);
  EXPECT_EQ(cases[0].item, 0);
  EXPECT_EQ(cases[0].query, "Red running shoe Acme Running");
  EXPECT_EQ(cases[1].query, "Hat");  // no brand, no category
  const auto vague =
      BuildSearchQueries(ThreeItems(), split, {.title_words = 1, .brand = false, .seed = 1});
  ASSERT_EQ(vague.size(), 2u);
  EXPECT_THAT(vague[0].query, ::testing::EndsWith(" Running"));
  EXPECT_THAT(vague[0].query, ::testing::Not(HasSubstr("Acme")));
  EXPECT_THAT(DescribeSearchQueries({.title_words = 1, .brand = false}, 2),
              ::testing::Not(HasSubstr("brand")));
}

TEST(SearchQueriesTest, WindowsAreConsecutiveTitleWords) {
  Split split;
  split.targets = {{0}};
  for (uint64_t seed = 0; seed < 8; ++seed) {
    const auto cases = BuildSearchQueries(ThreeItems(), split, {.title_words = 2, .seed = seed});
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_TRUE(cases[0].query == "Red running Acme Running" ||
                cases[0].query == "running shoe Acme Running")
        << cases[0].query;
  }
}

TEST(SearchQueriesTest, SampleIsDeterministicAndSorted) {
  Catalog catalog = ThreeItems();
  Split split;
  for (int user = 0; user < 50; ++user) split.targets.push_back({user % 2 == 0 ? 0 : 2});
  const auto first = BuildSearchQueries(catalog, split, {.max_queries = 10, .seed = 3});
  const auto again = BuildSearchQueries(catalog, split, {.max_queries = 10, .seed = 3});
  ASSERT_EQ(first.size(), 10u);
  for (size_t case_idx = 0; case_idx < first.size(); ++case_idx) {
    EXPECT_EQ(first[case_idx].user, again[case_idx].user);
    if (case_idx > 0) EXPECT_LT(first[case_idx - 1].user, first[case_idx].user);
  }
  EXPECT_THAT(DescribeSearchQueries({}, 10), HasSubstr("3 consecutive title words"));
}

}  // namespace
}  // namespace tailor
