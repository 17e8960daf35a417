#include "serve/list_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serve/serve_test_util.h"

namespace tailor {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Query = std::multimap<std::string, std::string>;

Catalog MakeCatalog() {
  Catalog catalog;
  catalog.item_ids = {"a", "b", "c,d"};
  for (int32_t item_idx = 0; item_idx < 3; ++item_idx) {
    catalog.item_index[catalog.item_ids[static_cast<size_t>(item_idx)]] = item_idx;
  }
  catalog.category_names = {"Home", "Toys, Kids", "Garden"};
  for (int32_t category_idx = 0; category_idx < 3; ++category_idx) {
    catalog.category_index[catalog.category_names[static_cast<size_t>(category_idx)]] =
        category_idx;
  }
  return catalog;
}

TEST(ListParamsTest, DefaultsWhenNothingIsGiven) {
  auto params = ListParamsFromQuery({}, true);
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->n, 10);
  EXPECT_TRUE(params->exclude_seen);
  EXPECT_FALSE(params->in_stock);
  EXPECT_THAT(params->categories, IsEmpty());
}

TEST(ListParamsTest, ReadsQueryParameters) {
  auto params = ListParamsFromQuery(Query{{"n", "25"},
                                          {"exclude_seen", "false"},
                                          {"in_stock", "1"},
                                          {"category", "Home"},
                                          {"category", "Garden"},
                                          {"exclude", "a,b"}},
                                    true);
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  EXPECT_EQ(params->n, 25);
  EXPECT_FALSE(params->exclude_seen);
  EXPECT_TRUE(params->in_stock);
  EXPECT_THAT(params->categories, ElementsAre("Home", "Garden"));
  EXPECT_THAT(params->exclude_ids, ElementsAre("a,b"));
}

TEST(ListParamsTest, RejectsBadValuesNamingTheParameter) {
  for (const char* n : {"0", "1001", "ten", "5x", ""}) {
    EXPECT_THAT(ListParamsFromQuery(Query{{"n", n}}, true),
                StatusIs(StatusCode::kInvalidArgument,
                         HasSubstr("query parameter 'n': expected an integer in 1..1000")))
        << n;
  }
  EXPECT_THAT(ListParamsFromQuery(Query{{"in_stock", "yes"}}, true),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("query parameter 'in_stock': expected true or false")));
  EXPECT_THAT(ListParamsFromQuery(Query{{"num", "5"}}, true),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown query parameter 'num'")));
  // /similar has no history, so exclude_seen is not one of its parameters.
  EXPECT_THAT(
      ListParamsFromQuery(Query{{"exclude_seen", "true"}}, false),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown query parameter 'exclude_seen'")));
}

TEST(ListParamsTest, ReviewFeaturesFromQueryAndJson) {
  auto params = ListParamsFromQuery(Query{{"min_review_score", "-0.25"}, {"review_weight", "1.5"}},
                                    true);
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  EXPECT_EQ(params->min_review_score, -0.25);
  EXPECT_EQ(params->review_weight, 1.5);
  auto filters = ResolveFilters(*params, MakeCatalog());
  ASSERT_TRUE(filters.ok());
  EXPECT_EQ(filters->min_review_score, -0.25);
  EXPECT_EQ(filters->review_weight, 1.5);
  EXPECT_FALSE(ListParamsFromQuery(Query{}, true)->min_review_score.has_value());
  for (const char* bad : {"2", "-1.5", "x", "nan"}) {
    EXPECT_THAT(ListParamsFromQuery(Query{{"min_review_score", bad}}, true),
                StatusIs(StatusCode::kInvalidArgument,
                         HasSubstr("'min_review_score': expected a number in -1..1")))
        << bad;
  }
  EXPECT_THAT(ListParamsFromQuery(Query{{"review_weight", "-1"}}, true),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("'review_weight': expected a number in 0..10")));
  auto from_json = ListParamsFromJson(json{{"review_weight", 2}, {"min_review_score", 0.5}}, {});
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_EQ(from_json->review_weight, 2.0);
  EXPECT_EQ(from_json->min_review_score, 0.5);
  EXPECT_THAT(ListParamsFromJson(json{{"review_weight", "2"}}, {}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("field 'review_weight': expected a number in 0..10, got \"2\"")));
}

TEST(ListParamsTest, NewItemPlacesFromQueryAndJsonForRecommendOnly) {
  EXPECT_FALSE(ListParamsFromQuery(Query{}, true)->new_items.has_value());
  auto params = ListParamsFromQuery(Query{{"new_items", "3"}}, true);
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  EXPECT_EQ(params->new_items, 3);
  EXPECT_EQ(ResolveFilters(*params, MakeCatalog())->new_item_slots, 3);
  EXPECT_EQ(ListParamsFromQuery(Query{{"new_items", "0"}}, true)->new_items, 0);
  for (const char* bad : {"-1", "1001", "x", "1.5"}) {
    EXPECT_THAT(ListParamsFromQuery(Query{{"new_items", bad}}, true),
                StatusIs(StatusCode::kInvalidArgument,
                         HasSubstr("'new_items': expected an integer in 0..1000")))
        << bad;
  }
  EXPECT_THAT(ListParamsFromQuery(Query{{"new_items", "1"}}, false),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown query parameter 'new_items'")));
  EXPECT_EQ(ListParamsFromJson(json{{"new_items", 2}}, {})->new_items, 2);
  EXPECT_THAT(ListParamsFromJson(json{{"new_items", -2}}, {}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("field 'new_items': expected an integer in 0..1000, got -2")));
}

TEST(ListParamsTest, ReadsJsonFieldsAndSkipsTheCallersKeys) {
  auto params = ListParamsFromJson(
      json::parse(R"({"history": [], "n": 3, "category": "Home", "exclude": ["a", "b"],
                      "in_stock": true, "exclude_seen": false})"),
      {"history"});
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  EXPECT_EQ(params->n, 3);
  EXPECT_THAT(params->categories, ElementsAre("Home"));
  EXPECT_THAT(params->exclude_ids, ElementsAre("a", "b"));
  EXPECT_TRUE(params->in_stock);
  EXPECT_FALSE(params->exclude_seen);
  EXPECT_THAT(ListParamsFromJson(json::parse(R"({"n": "3"})"), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'n'")));
  EXPECT_THAT(ListParamsFromJson(json::parse(R"({"histroy": []})"), {"history"}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown field 'histroy'")));
}

TEST(ResolveFiltersTest, SplitsCommaListsUnlessTheWholeNameIsKnown) {
  Catalog catalog = MakeCatalog();
  ListParams params;
  params.categories = {"Toys, Kids", "Home,Garden"};
  params.exclude_ids = {"c,d", "a, b"};
  params.in_stock = true;
  auto filters = ResolveFilters(params, catalog);
  ASSERT_TRUE(filters.ok()) << filters.status().ToString();
  EXPECT_THAT(filters->categories, ElementsAre("Toys, Kids", "Home", "Garden"));
  EXPECT_THAT(filters->exclude_items, ElementsAre(2, 0, 1));
  EXPECT_TRUE(filters->in_stock_only);
  EXPECT_TRUE(filters->exclude_seen);
}

TEST(ResolveFiltersTest, UnknownNamesAreErrors) {
  Catalog catalog = MakeCatalog();
  ListParams params;
  params.exclude_ids = {"a,zzz"};
  EXPECT_THAT(ResolveFilters(params, catalog),
              StatusIs(StatusCode::kNotFound, HasSubstr("exclude: unknown item 'zzz'")));
  params.exclude_ids.clear();
  params.exclude_categories = {"Shoes"};
  EXPECT_THAT(ResolveFilters(params, catalog),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("exclude_category: unknown category 'Shoes'")));
}

}  // namespace
}  // namespace tailor
