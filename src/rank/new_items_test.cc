#include "rank/new_items.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rank/recommend.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

// Items 0-3 were known when the model trained; 4-6 were added after it.
Catalog Shop() {
  Catalog catalog;
  const std::vector<std::pair<std::string, std::string>> items = {
      {"red wool scarf", "Knit"},     {"garden hose", "Flow"},
      {"wool mittens", "Knit"},       {"steel trowel", "Dig"},
      {"blue wool scarf", "Knit"},    {"hose reel", "Flow"},
      {"espresso cups", "Brew"}};
  for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    const std::string id = "sku" + std::to_string(item_idx);
    catalog.item_ids.push_back(id);
    catalog.titles.push_back(items[item_idx].first);
    catalog.brands.push_back(items[item_idx].second);
    catalog.prices.push_back(std::nullopt);
    catalog.in_stock.push_back(1);
    catalog.categories.emplace_back();
    catalog.item_index[id] = static_cast<int32_t>(item_idx);
  }
  return catalog;
}

// Knows items 0-3 and prefers the lower index.
class FourItemModel final : public Recommender {
 public:
  std::string name() const override { return "four"; }
  nlohmann::json params() const override { return nlohmann::json::object(); }
  Status Fit(const UserHistories&, const FitOptions&) override { return OkStatus(); }
  int32_t num_items() const override { return 4; }
  void Score(const Query&, std::span<float> scores) const override {
    for (size_t item_idx = 0; item_idx < scores.size(); ++item_idx) {
      scores[item_idx] = item_idx < 4 ? 10.0f - static_cast<float>(item_idx) : -100.0f;
    }
  }
  void SimilarItems(int32_t, std::span<float> scores) const override { Score(Query{}, scores); }
  std::string Explain(const Query&, int32_t) const override { return "model"; }
  Status SavePayload(BinaryWriter&) const override { return OkStatus(); }
  Status LoadPayload(BinaryReader&) override { return OkStatus(); }
};

TEST(NewItemIndexTest, RanksNewItemsByTheirWordsAndNamesTheClosestHistoryItem) {
  const Catalog catalog = Shop();
  auto index = NewItemIndex::Build(catalog);
  const std::vector<uint8_t> allowed(7, 1);
  // A wool shopper: the blue wool scarf first (shares "wool scarf Knit" with item 0), the
  // espresso cups share no word and are left out.
  const std::vector<Interaction> history = {{.item = 2}, {.item = 0}};
  auto best = index->Best(history, 4, allowed, 3);
  ASSERT_EQ(best.size(), 1u);
  EXPECT_EQ(best[0].item, 4);
  EXPECT_EQ(best[0].anchor, 0);
  EXPECT_GT(best[0].score, 0.0);
  // A hose history finds the hose reel; both kinds of history together, both items, the
  // better match first.
  const std::vector<Interaction> both = {{.item = 1}, {.item = 0}};
  best = index->Best(both, 4, allowed, 3);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_GE(best[0].score, best[1].score);
  for (const NewItemMatch& match : best) {
    EXPECT_EQ(match.anchor, match.item == 4 ? 0 : 1) << match.item;
    EXPECT_TRUE(match.item == 4 || match.item == 5) << match.item;
  }
}

TEST(NewItemIndexTest, KeepsToTheMaskTheNewRangeAndK) {
  const Catalog catalog = Shop();
  auto index = NewItemIndex::Build(catalog);
  const std::vector<Interaction> history = {{.item = 0}, {.item = 1}};
  std::vector<uint8_t> allowed(7, 1);
  allowed[4] = 0;
  auto best = index->Best(history, 4, allowed, 3);
  ASSERT_EQ(best.size(), 1u);
  EXPECT_EQ(best[0].item, 5);
  EXPECT_TRUE(index->Best(history, 4, allowed, 0).empty());
  EXPECT_TRUE(index->Best({}, 4, allowed, 3).empty());
  // first_new 0: known items count as candidates too (item 2 shares "wool Knit").
  allowed.assign(7, 1);
  allowed[0] = allowed[1] = 0;
  best = index->Best(history, 0, allowed, 7);
  ASSERT_GE(best.size(), 3u);
  EXPECT_EQ(best[0].item, 4);
}

TEST(NewItemRecommendTest, NewItemsTakeTheLastPlacesWithTheirReason) {
  const Catalog catalog = Shop();
  auto index = NewItemIndex::Build(catalog);
  FourItemModel model;
  const std::vector<Interaction> history = {{.item = 0}};
  const Query query{.user = -1, .history = history};
  Filters filters;
  filters.exclude_seen = true;
  // Without slots the model's list stands: 1, 2, 3 (0 is seen), then the unknown items.
  auto plain = Recommend(model, catalog, query, {}, filters, 3, nullptr, index.get());
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->size(), 3u);
  EXPECT_EQ((*plain)[2].item, 3);
  filters.new_item_slots = 2;
  auto list = Recommend(model, catalog, query, {}, filters, 3, nullptr, index.get());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);  // one new item shares words with the history: one slot used
  EXPECT_EQ((*list)[0].item, 1);
  EXPECT_EQ((*list)[1].item, 2);
  EXPECT_EQ((*list)[2].item, 4);
  EXPECT_THAT((*list)[2].reason, HasSubstr("new in the catalog"));
  EXPECT_THAT((*list)[2].reason, HasSubstr("red wool scarf (sku0)"));
  filters.new_item_slots = -1;
  auto bad = Recommend(model, catalog, query, {}, filters, 3, nullptr, index.get());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("new_items"));
}

}  // namespace
}  // namespace tailor
