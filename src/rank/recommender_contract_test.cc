// THE contract suite: every model in the registry (RecommenderNames(), so future models join
// automatically) is fit on a checkerboard with a known answer and run through ranking.
//
// Checkerboard: 20 users x 20 items; even users interact with even items, odd users with odd
// items, and user u never sees item u (the held-out diagonal). Items 0..3 get a second,
// earlier interaction from each of their users, so a global ranking has a known top 4.
// Each history walks its parity class in order starting after u (u+2, u+4, ... wrapping to
// u-2), so for the sequential models (which predict what comes next) the held-out u is also
// the natural next step; order-free models see the same sets as a plain checkerboard.
// Personalized models must rank item u first among user u's unseen items. Models that declare
// themselves non-personalized in the registry (popularity, trending) are checked instead for
// giving every query the same scores, with items 0..3 on top.
// The catalog has two more items (20, 21) than the training data: items added after training.
//
// It lives in rank/ rather than models/ because it exercises the models through Recommend /
// Similar / TopK, which are later stages than models/.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "models/recommender.h"
#include "models/registry.h"
#include "rank/recommend.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr int32_t kUsers = 20;
constexpr int32_t kItems = 20;
constexpr int32_t kNewItems = 2;
constexpr int32_t kCatalogSize = kItems + kNewItems;
constexpr int64_t kStart = 1'700'000'000;

UserHistories Checkerboard() {
  std::vector<std::vector<Interaction>> lists(kUsers);
  for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
    int64_t timestamp = kStart + user_idx;
    auto add = [&](int32_t item_idx) {
      lists[user_idx].push_back({.item = item_idx, .weight = 1.0f, .timestamp = timestamp});
      timestamp += 3600;
    };
    for (int32_t item_idx = user_idx % 2; item_idx < 4; item_idx += 2) {
      if (item_idx != user_idx) add(item_idx);
    }
    for (int32_t step = 1; step < kItems / 2; ++step) add((user_idx + 2 * step) % kItems);
  }
  return UserHistories::FromLists(kItems, lists);
}

bool IsKitchen(int32_t item_idx) { return item_idx % 4 == 0; }
bool InStock(int32_t item_idx) { return item_idx % 5 != 3; }

Catalog CheckerboardCatalog() {
  Catalog catalog;
  auto category = [&](const std::string& name) {
    auto [it, inserted] = catalog.category_index.emplace(name, catalog.category_names.size());
    if (inserted) catalog.category_names.push_back(name);
    return it->second;
  };
  for (int32_t item_idx = 0; item_idx < kCatalogSize; ++item_idx) {
    std::string id = "sku-" + std::to_string(item_idx);
    catalog.item_ids.push_back(id);
    catalog.titles.push_back("Item " + std::to_string(item_idx));
    catalog.brands.push_back("");
    catalog.prices.push_back(9.99);
    catalog.in_stock.push_back(InStock(item_idx) ? 1 : 0);
    std::vector<std::string> path =
        IsKitchen(item_idx) ? std::vector<std::string>{"Home", "Kitchen", "Home > Kitchen"}
                            : std::vector<std::string>{"Beauty", "Skin", "Beauty > Skin"};
    catalog.categories.emplace_back();
    for (const std::string& name : path) catalog.categories.back().push_back(category(name));
    catalog.item_index[id] = item_idx;
  }
  return catalog;
}

std::vector<int32_t> Items(const std::vector<Recommendation>& list) {
  std::vector<int32_t> items;
  for (const Recommendation& entry : list) items.push_back(entry.item);
  return items;
}

bool BitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

class RecommenderContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto info = FindRecommender(GetParam());
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    info_ = *info;
    auto model = Fitted(FitOptionsWith(2, 42));
    ASSERT_NE(model, nullptr);
    model_ = std::move(model);
  }

  static FitOptions FitOptionsWith(int threads, uint64_t seed) {
    FitOptions options;
    options.threads = threads;
    options.seed = seed;
    return options;
  }

  std::unique_ptr<Recommender> Fitted(const FitOptions& options) {
    auto model = MakeRecommender(GetParam());
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    if (!model.ok()) return nullptr;
    Status fit = (*model)->Fit(train_, options);
    EXPECT_TRUE(fit.ok()) << fit.ToString();
    if (!fit.ok()) return nullptr;
    return std::move(*model);
  }

  Query UserQuery(int32_t user_idx) const { return {user_idx, train_.user(user_idx)}; }

  std::vector<float> Scores(const Recommender& model, const Query& query,
                            size_t size = kCatalogSize) const {
    std::vector<float> scores(size, std::nanf(""));
    model.Score(query, scores);
    return scores;
  }

  std::vector<Recommendation> MustRecommend(const Query& query, const Filters& filters, int k,
                                            std::span<const int32_t> rejected = {}) const {
    auto list = Recommend(*model_, catalog_, query, rejected, filters, k);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? *list : std::vector<Recommendation>{};
  }

  UserHistories train_ = Checkerboard();
  Catalog catalog_ = CheckerboardCatalog();
  RecommenderInfo info_;
  std::unique_ptr<Recommender> model_;
};

TEST_P(RecommenderContractTest, CheckerboardKnownAnswer) {
  EXPECT_EQ(model_->num_items(), kItems);
  Filters unseen;
  unseen.exclude_seen = true;
  if (info_.personalized) {
    for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
      auto list = MustRecommend(UserQuery(user_idx), unseen, 1);
      ASSERT_EQ(list.size(), 1u);
      EXPECT_EQ(list[0].item, user_idx)
          << "user " << user_idx << ": the held-out item must come first";
      // The same history without a known user (anonymous or unknown) gives the same answer.
      auto anonymous = MustRecommend({-1, train_.user(user_idx)}, unseen, 1);
      ASSERT_EQ(anonymous.size(), 1u);
      EXPECT_EQ(anonymous[0].item, user_idx) << "anonymous with user " << user_idx << "'s history";
    }
    return;
  }
  // A global ranking: every query gets the same scores, and the items with the most (and the
  // latest) interactions lead.
  std::vector<float> reference = Scores(*model_, Query{});
  for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
    EXPECT_TRUE(BitIdentical(Scores(*model_, UserQuery(user_idx)), reference))
        << "user " << user_idx;
  }
  EXPECT_THAT(Items(MustRecommend(Query{}, {}, 4)), UnorderedElementsAre(0, 1, 2, 3));
}

TEST_P(RecommenderContractTest, ExcludeItemsFilter) {
  Filters filters;
  filters.exclude_seen = true;
  std::vector<int32_t> all = Items(MustRecommend(UserQuery(0), filters, 100));
  ASSERT_FALSE(all.empty());
  filters.exclude_items = {all[0], 21};
  std::vector<int32_t> rest = Items(MustRecommend(UserQuery(0), filters, 100));
  std::vector<int32_t> expected;
  for (int32_t item_idx : all) {
    if (item_idx != all[0] && item_idx != 21) expected.push_back(item_idx);
  }
  EXPECT_EQ(rest, expected);
}

TEST_P(RecommenderContractTest, CategoryFilters) {
  Filters kitchen;
  kitchen.categories = {"Kitchen"};
  std::vector<int32_t> in_kitchen = Items(MustRecommend(UserQuery(1), kitchen, 100));
  EXPECT_EQ(in_kitchen.size(), 6u);  // 0, 4, 8, 12, 16, 20
  for (int32_t item_idx : in_kitchen) EXPECT_TRUE(IsKitchen(item_idx)) << item_idx;
  Filters by_path;
  by_path.categories = {"Home > Kitchen"};
  EXPECT_EQ(Items(MustRecommend(UserQuery(1), by_path, 100)), in_kitchen);

  Filters not_kitchen;
  not_kitchen.exclude_categories = {"Kitchen"};
  std::vector<int32_t> elsewhere = Items(MustRecommend(UserQuery(1), not_kitchen, 100));
  EXPECT_EQ(elsewhere.size(), static_cast<size_t>(kCatalogSize) - in_kitchen.size());
  for (int32_t item_idx : elsewhere) EXPECT_FALSE(IsKitchen(item_idx)) << item_idx;

  Filters unknown;
  unknown.categories = {"Garden"};
  auto list = Recommend(*model_, catalog_, UserQuery(1), {}, unknown, 5);
  ASSERT_EQ(list.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(list.status().message(), HasSubstr("'Garden'"));
}

TEST_P(RecommenderContractTest, InStockOnlyFilter) {
  Filters filters;
  filters.in_stock_only = true;
  std::vector<int32_t> items = Items(MustRecommend(UserQuery(3), filters, 100));
  EXPECT_EQ(items.size(), static_cast<size_t>(kCatalogSize - 4));  // 3, 8, 13, 18 are out
  for (int32_t item_idx : items) EXPECT_TRUE(InStock(item_idx)) << item_idx;
  EXPECT_THAT(Items(MustRecommend(UserQuery(3), {}, 100)), ::testing::Contains(3));
}

TEST_P(RecommenderContractTest, ExcludeSeenFilter) {
  std::set<int32_t> seen;
  for (const Interaction& interaction : train_.user(6)) seen.insert(interaction.item);
  Filters filters;
  filters.exclude_seen = true;
  std::vector<int32_t> items = Items(MustRecommend(UserQuery(6), filters, 100));
  EXPECT_EQ(items.size(), kCatalogSize - seen.size());
  for (int32_t item_idx : items) EXPECT_EQ(seen.count(item_idx), 0u) << item_idx;
  std::vector<int32_t> with_seen = Items(MustRecommend(UserQuery(6), {}, 100));
  EXPECT_EQ(with_seen.size(), static_cast<size_t>(kCatalogSize));
}

TEST_P(RecommenderContractTest, RejectedAreAlwaysExcluded) {
  std::vector<int32_t> rejected = {2, 7, 21};
  for (bool exclude_seen : {false, true}) {
    Filters filters;
    filters.exclude_seen = exclude_seen;
    std::vector<int32_t> items = Items(MustRecommend(UserQuery(2), filters, 100, rejected));
    EXPECT_FALSE(items.empty());
    for (int32_t item_idx : rejected) {
      EXPECT_THAT(items, Not(::testing::Contains(item_idx))) << "exclude_seen " << exclude_seen;
    }
  }
}

TEST_P(RecommenderContractTest, KLargerThanTheCatalogReturnsEveryAllowedItem) {
  auto list = MustRecommend(UserQuery(5), {}, 1000);
  ASSERT_EQ(list.size(), static_cast<size_t>(kCatalogSize));
  std::vector<int32_t> items = Items(list);
  std::set<int32_t> distinct(items.begin(), items.end());
  EXPECT_EQ(distinct.size(), list.size());
  for (size_t pos = 0; pos < list.size(); ++pos) {
    EXPECT_TRUE(std::isfinite(list[pos].score)) << list[pos].item;
    if (pos > 0) {
      EXPECT_LE(list[pos].score, list[pos - 1].score) << pos;
    }
  }
  EXPECT_THAT(MustRecommend(UserQuery(5), {}, 0), IsEmpty());
}

TEST_P(RecommenderContractTest, EmptyHistoryAndUnknownUser) {
  for (const Query& query : {Query{}, Query{5, {}}}) {
    std::vector<float> scores = Scores(*model_, query);
    for (int32_t item_idx = 0; item_idx < kCatalogSize; ++item_idx) {
      EXPECT_TRUE(std::isfinite(scores[item_idx])) << "item " << item_idx;
    }
    auto list = MustRecommend(query, {}, 5);
    ASSERT_EQ(list.size(), 5u);
    for (const Recommendation& entry : list) EXPECT_FALSE(entry.reason.empty()) << entry.item;
  }
  // An unknown user (-1) with a history that mentions items the model never saw.
  std::vector<Interaction> history = {{.item = 21}, {.item = 4}, {.item = 20}};
  auto list = MustRecommend({-1, history}, {}, 5);
  EXPECT_EQ(list.size(), 5u);
}

TEST_P(RecommenderContractTest, ItemsAddedAfterTraining) {
  for (const Query& query : {UserQuery(0), UserQuery(1), Query{}}) {
    std::vector<float> scores = Scores(*model_, query);
    float lowest_known = *std::min_element(scores.begin(), scores.begin() + kItems);
    for (int32_t item_idx = kItems; item_idx < kCatalogSize; ++item_idx) {
      EXPECT_FALSE(std::isnan(scores[item_idx])) << "item " << item_idx << " not written";
      EXPECT_LE(scores[item_idx], lowest_known) << "item " << item_idx;
    }
    // A shorter span (a catalog smaller than the model) gets the same leading scores.
    std::vector<float> prefix = Scores(*model_, query, 10);
    EXPECT_TRUE(BitIdentical(prefix, std::vector<float>(scores.begin(), scores.begin() + 10)));
  }
  auto all = MustRecommend(UserQuery(0), {}, kCatalogSize);
  EXPECT_THAT(Items(all), ::testing::IsSupersetOf({20, 21}));
  for (int32_t item_idx : {4, 21}) {
    auto similar = Similar(*model_, catalog_, item_idx, {}, 5);
    ASSERT_TRUE(similar.ok()) << similar.status().ToString();
    EXPECT_EQ(similar->size(), 5u);
    EXPECT_THAT(Items(*similar), Not(::testing::Contains(item_idx)));
  }
  EXPECT_FALSE(model_->Explain(UserQuery(0), 21).empty());
}

TEST_P(RecommenderContractTest, SaveLoadIsBitIdentical) {
  std::string path = std::string(TAILOR_BINARY_DIR) + "/contract_" + GetParam() + ".tailor";
  ASSERT_TRUE(SaveModel(*model_, path).ok());
  auto loaded = LoadModel(path);
  std::remove(path.c_str());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Recommender& copy = **loaded;
  EXPECT_EQ(copy.name(), model_->name());
  EXPECT_EQ(copy.params(), model_->params());
  EXPECT_EQ(copy.num_items(), model_->num_items());
  std::vector<Query> queries = {Query{}};
  for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
    queries.push_back(UserQuery(user_idx));
    queries.push_back({-1, train_.user(user_idx)});
  }
  for (size_t pos = 0; pos < queries.size(); ++pos) {
    EXPECT_TRUE(BitIdentical(Scores(*model_, queries[pos]), Scores(copy, queries[pos]))) << pos;
  }
  for (int32_t item_idx = 0; item_idx < kCatalogSize; ++item_idx) {
    std::vector<float> before(kCatalogSize), after(kCatalogSize);
    model_->SimilarItems(item_idx, before);
    copy.SimilarItems(item_idx, after);
    EXPECT_TRUE(BitIdentical(before, after)) << "similar to " << item_idx;
  }
  Filters filters;
  filters.exclude_seen = true;
  for (int32_t user_idx : {0, 7, 12}) {
    auto original = MustRecommend(UserQuery(user_idx), filters, 10);
    auto reloaded = Recommend(copy, catalog_, UserQuery(user_idx), {}, filters, 10);
    ASSERT_TRUE(reloaded.ok());
    ASSERT_EQ(Items(*reloaded), Items(original));
    for (size_t pos = 0; pos < original.size(); ++pos) {
      EXPECT_EQ((*reloaded)[pos].reason, original[pos].reason);
      EXPECT_EQ(std::memcmp(&(*reloaded)[pos].score, &original[pos].score, sizeof(float)), 0);
    }
  }
}

TEST_P(RecommenderContractTest, EveryRecommendationIsExplained) {
  Filters filters;
  filters.exclude_seen = true;
  for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
    for (const Recommendation& entry : MustRecommend(UserQuery(user_idx), filters, 5)) {
      EXPECT_FALSE(entry.reason.empty()) << "user " << user_idx << " item " << entry.item;
      EXPECT_THAT(entry.reason, Not(HasSubstr("{item:"))) << "labels are filled in";
    }
  }
  auto similar = Similar(*model_, catalog_, 6, {}, 5);
  ASSERT_TRUE(similar.ok());
  for (const Recommendation& entry : *similar) EXPECT_FALSE(entry.reason.empty()) << entry.item;
}

TEST_P(RecommenderContractTest, DeterministicUnderTheSameSeed) {
  auto first = Fitted(FitOptionsWith(1, 7));
  auto second = Fitted(FitOptionsWith(1, 7));
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
    EXPECT_TRUE(
        BitIdentical(Scores(*first, UserQuery(user_idx)), Scores(*second, UserQuery(user_idx))))
        << "user " << user_idx;
  }
  std::vector<float> a(kCatalogSize), b(kCatalogSize);
  first->SimilarItems(3, a);
  second->SimilarItems(3, b);
  EXPECT_TRUE(BitIdentical(a, b));
}

TEST_P(RecommenderContractTest, SimilarItemsShareTheParity) {
  auto similar = Similar(*model_, catalog_, 4, {}, 3);
  ASSERT_TRUE(similar.ok()) << similar.status().ToString();
  ASSERT_EQ(similar->size(), 3u);
  if (!info_.personalized) {
    // A global ranking has no notion of similarity: it offers its global top (without 4).
    EXPECT_THAT(Items(*similar), ::testing::IsSubsetOf({0, 1, 2, 3}));
    return;
  }
  for (const Recommendation& entry : *similar) {
    EXPECT_EQ(entry.item % 2, 0) << "item " << entry.item << " is not like item 4";
  }
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(AllRegisteredModels, RecommenderContractTest,
                         ::testing::ValuesIn(RecommenderNames()), TestName);

}  // namespace
}  // namespace tailor
