#include "rank/recommend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Scores are fixed per item; Explain refers to the item before it, to test label filling.
class FixedModel final : public Recommender {
 public:
  explicit FixedModel(std::vector<float> scores) : scores_(std::move(scores)) {}
  std::string name() const override { return "fixed"; }
  nlohmann::json params() const override { return nlohmann::json::object(); }
  Status Fit(const UserHistories&, const FitOptions&) override { return OkStatus(); }
  int32_t num_items() const override { return static_cast<int32_t>(scores_.size()); }
  void Score(const Query&, std::span<float> scores) const override {
    for (size_t item_idx = 0; item_idx < scores.size(); ++item_idx) {
      scores[item_idx] = item_idx < scores_.size() ? scores_[item_idx] : -100.0f;
    }
  }
  void SimilarItems(int32_t item_idx, std::span<float> scores) const override {
    Score(Query{}, scores);
  }
  std::string Explain(const Query&, int32_t item_idx) const override {
    return "after {item:" + std::to_string(item_idx == 0 ? 0 : item_idx - 1) + "} and {item:x}";
  }
  Status SavePayload(BinaryWriter&) const override { return OkStatus(); }
  Status LoadPayload(BinaryReader&) override { return OkStatus(); }

 private:
  std::vector<float> scores_;
};

// Five items: 0,1 "Beauty > Skin"; 2 "Beauty > Hair"; 3,4 "Home"; item 4 out of stock.
Catalog FiveItems() {
  Catalog catalog;
  auto category = [&](const std::string& name) {
    auto [it, inserted] = catalog.category_index.emplace(name, catalog.category_names.size());
    if (inserted) catalog.category_names.push_back(name);
    return it->second;
  };
  std::vector<std::vector<std::string>> paths = {{"Beauty", "Skin", "Beauty > Skin"},
                                                 {"Beauty", "Skin", "Beauty > Skin"},
                                                 {"Beauty", "Hair", "Beauty > Hair"},
                                                 {"Home"},
                                                 {"Home"}};
  for (int32_t item_idx = 0; item_idx < 5; ++item_idx) {
    std::string id = "sku" + std::to_string(item_idx);
    catalog.item_ids.push_back(id);
    catalog.titles.push_back(item_idx == 1 ? "" : "Title " + std::to_string(item_idx));
    catalog.brands.push_back("");
    catalog.prices.push_back(std::nullopt);
    catalog.in_stock.push_back(item_idx == 4 ? 0 : 1);
    catalog.categories.emplace_back();
    for (const std::string& name : paths[item_idx]) {
      catalog.categories.back().push_back(category(name));
    }
    catalog.item_index[id] = item_idx;
  }
  return catalog;
}

std::vector<int32_t> Items(const std::vector<Recommendation>& list) {
  std::vector<int32_t> items;
  for (const Recommendation& entry : list) items.push_back(entry.item);
  return items;
}

class RecommendTest : public ::testing::Test {
 protected:
  Catalog catalog_ = FiveItems();
  FixedModel model_{{0.5f, 0.4f, 0.3f, 0.2f, 0.1f}};
  std::vector<Interaction> history_ = {{.item = 0}, {.item = 2}};
  Query query_{7, history_};
};

TEST_F(RecommendTest, NoFiltersRanksEverything) {
  auto list = Recommend(model_, catalog_, query_, {}, {}, 10);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_THAT(Items(*list), ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ((*list)[0].score, 0.5f);
}

TEST_F(RecommendTest, ReasonsGetCatalogLabels) {
  auto list = Recommend(model_, catalog_, query_, {}, {}, 3);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)[0].reason, "after Title 0 (sku0) and {item:x}");
  EXPECT_EQ((*list)[2].reason, "after sku1 and {item:x}");  // no title: the id
}

TEST_F(RecommendTest, FiltersCombine) {
  Filters filters;
  filters.categories = {"Skin", "Home"};
  filters.in_stock_only = true;
  filters.exclude_items = {1, 99, -4};  // out-of-range ids are ignored
  auto list = Recommend(model_, catalog_, query_, {}, filters, 10);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_THAT(Items(*list), ElementsAre(0, 3));
}

TEST_F(RecommendTest, CategoryPathAndExclusion) {
  Filters filters;
  filters.categories = {"Beauty > Hair"};
  auto hair = Recommend(model_, catalog_, query_, {}, filters, 10);
  ASSERT_TRUE(hair.ok());
  EXPECT_THAT(Items(*hair), ElementsAre(2));
  Filters no_beauty;
  no_beauty.exclude_categories = {"Beauty"};
  auto rest = Recommend(model_, catalog_, query_, {}, no_beauty, 10);
  ASSERT_TRUE(rest.ok());
  EXPECT_THAT(Items(*rest), ElementsAre(3, 4));
}

TEST_F(RecommendTest, SeenAndRejected) {
  Filters filters;
  filters.exclude_seen = true;
  std::vector<int32_t> rejected = {3};
  auto list = Recommend(model_, catalog_, query_, rejected, filters, 10);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(Items(*list), ElementsAre(1, 4));
  auto seen_kept = Recommend(model_, catalog_, query_, rejected, {}, 10);
  ASSERT_TRUE(seen_kept.ok());
  EXPECT_THAT(Items(*seen_kept), ElementsAre(0, 1, 2, 4));
}

TEST_F(RecommendTest, ReviewFeaturesFilterAndReRank) {
  // Scores 0.5 .. 0.1. Item 1 is panned, item 3 praised by many, item 0 unreviewed.
  ReviewSignals reviews;
  reviews.counts = {0, 10, 3, 50, 0};
  reviews.scores = {NAN, -0.7f, 0.2f, 0.9f, NAN};
  reviews.has_scores = true;
  Filters at_least_zero;
  at_least_zero.min_review_score = 0.0;
  ASSERT_OK_AND_ASSIGN(auto kept, Recommend(model_, catalog_, query_, {}, at_least_zero, 10, &reviews));
  EXPECT_THAT(Items(kept), ElementsAre(0, 2, 3, 4));  // unreviewed items stay
  EXPECT_THAT(kept[2].reason, HasSubstr("; reviews: positive (score 0.90 over 50)"));
  EXPECT_EQ(kept[0].reason, "after Title 0 (sku0) and {item:x}");  // nothing to say

  // Weight 2: the std of 0.5..0.1 is 0.1414, so item 3 gains 2 * 0.1414 * 0.9 * 50 / 55 = 0.231
  // (0.431, past items 1 and 2) and item 1 loses 2 * 0.1414 * 0.7 * 10 / 15 = 0.132.
  Filters weighted;
  weighted.review_weight = 2.0;
  ASSERT_OK_AND_ASSIGN(auto boosted, Recommend(model_, catalog_, query_, {}, weighted, 3, &reviews));
  EXPECT_THAT(Items(boosted), ElementsAre(0, 3, 2));
  EXPECT_NEAR(boosted[1].score, 0.2 + 2 * std::sqrt(0.02) * 0.9 * 50 / 55, 1e-5);
  ASSERT_OK_AND_ASSIGN(auto similar, Similar(model_, catalog_, 0, weighted, 2, &reviews));
  EXPECT_THAT(Items(similar), ElementsAre(3, 2));
}

TEST_F(RecommendTest, ReviewFeaturesNeedScores) {
  Filters filters;
  filters.review_weight = 1.0;
  EXPECT_THAT(Recommend(model_, catalog_, query_, {}, filters, 3).status(),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("server.sentiment_model")));
  ReviewSignals counts_only;
  counts_only.counts = {1, 2, 3, 4, 5};
  Filters bound;
  bound.min_review_score = 0.5;
  EXPECT_THAT(Recommend(model_, catalog_, query_, {}, bound, 3, &counts_only).status(),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("sentiment")));
  ReviewSignals scored = counts_only;
  scored.has_scores = true;
  Filters negative;
  negative.review_weight = -1.0;
  EXPECT_THAT(Recommend(model_, catalog_, query_, {}, negative, 3, &scored).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("review_weight")));
}

TEST_F(RecommendTest, UnknownCategoryIsNamed) {
  Filters filters;
  filters.categories = {"Skin", "Garden"};
  auto list = Recommend(model_, catalog_, query_, {}, filters, 10);
  ASSERT_EQ(list.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(list.status().message(), HasSubstr("categories: unknown category 'Garden'"));
  Filters exclude;
  exclude.exclude_categories = {"Toys"};
  auto excluded = Recommend(model_, catalog_, query_, {}, exclude, 0);
  ASSERT_EQ(excluded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(excluded.status().message(),
              HasSubstr("exclude_categories: unknown category 'Toys'"));
}

TEST_F(RecommendTest, NothingToReturn) {
  auto zero = Recommend(model_, catalog_, query_, {}, {}, 0);
  ASSERT_TRUE(zero.ok());
  EXPECT_THAT(*zero, IsEmpty());
  Catalog empty;
  auto from_empty = Recommend(model_, empty, query_, {}, {}, 5);
  ASSERT_TRUE(from_empty.ok());
  EXPECT_THAT(*from_empty, IsEmpty());
}

TEST_F(RecommendTest, ItemsNewerThanTheModelGetItsLowestScore) {
  FixedModel small({0.5f, 0.4f});
  auto list = Recommend(small, catalog_, query_, {}, {}, 10);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(Items(*list), ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(list->back().score, -100.0f);
}

TEST_F(RecommendTest, SimilarExcludesTheItemAndIgnoresSeen) {
  Filters filters;
  filters.exclude_seen = true;
  filters.in_stock_only = true;
  auto list = Similar(model_, catalog_, 0, filters, 10);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_THAT(Items(*list), ElementsAre(1, 2, 3));
  EXPECT_EQ((*list)[0].reason, "after Title 0 (sku0) and {item:x}");
}

TEST_F(RecommendTest, SimilarOfAnUnknownItemIsNotFound) {
  for (int32_t item_idx : {-1, 5}) {
    auto list = Similar(model_, catalog_, item_idx, {}, 3);
    ASSERT_EQ(list.status().code(), StatusCode::kNotFound);
    EXPECT_THAT(list.status().message(), HasSubstr("item index " + std::to_string(item_idx)));
  }
}

}  // namespace
}  // namespace tailor
