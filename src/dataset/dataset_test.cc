#include "dataset/dataset.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dataset/csr_matrix.h"
#include "dataset/splits.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

Item MakeItem(std::string id, std::vector<std::string> categories = {}) {
  Item item;
  item.id = std::move(id);
  item.title = "Title of " + item.id;
  item.categories = std::move(categories);
  item.price = 9.5;
  return item;
}

Event MakeEvent(std::string user, std::string item, std::string type, int64_t ts) {
  Event e;
  e.user_id = std::move(user);
  e.item_id = std::move(item);
  e.type = std::move(type);
  e.timestamp = ts;
  return e;
}

TEST(DatasetTest, DatasetSnapshotSeparatesRejectedItems) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a"), MakeItem("b")};
  batch.events = {MakeEvent("u", "b", "purchase", 20), MakeEvent("u", "a", "view", 10),
                  MakeEvent("u", "b", "return", 30), MakeEvent("u", "a", "remove_from_cart", 40)};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto ds = LoadDataset(**store);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->num_users(), 1);
  EXPECT_EQ(ds->num_items(), 2);
  auto history = ds->histories.user(0);
  ASSERT_EQ(history.size(), 2u);  // the view, then the purchase; return/remove left out
  EXPECT_EQ(history[0].item, 0);
  EXPECT_EQ(history[1].item, 1);
  EXPECT_EQ(history[1].weight, 5.0f);
  EXPECT_THAT(ds->rejected[0], ElementsAre(1));
}

TEST(DatasetTest, OneItemScanGivesFeaturesImageVectorsAndTexts) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a", {"Shoes"}), MakeItem("b", {"Shoes"}), MakeItem("c")};
  batch.items[1].image_vector = {3.0f, 4.0f};
  batch.events = {MakeEvent("u", "a", "purchase", 10)};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto ds = LoadDataset(**store, {.item_texts = true});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  // On two items or more: "Shoes" (a, b) and the price bucket (9.5 on every item).
  EXPECT_THAT(ds->item_features.names, UnorderedElementsAre("category:Shoes", "price:6"));
  EXPECT_THAT(ds->image_vectors.present, ElementsAre(0, 1, 0));
  EXPECT_THAT(ds->image_vectors.row(1), ElementsAre(3.0f, 4.0f));
  EXPECT_THAT(ds->item_content.row(1), ElementsAre(0.6f, 0.8f));  // unit length
  EXPECT_THAT(ds->item_texts, ElementsAre("Title of a. Shoes.", "Title of b. Shoes.", "Title of c."));
}

TEST(DatasetTest, ItemTextsOnlyWhenAskedFor) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a", {"Shoes"}), MakeItem("b")};
  batch.events = {MakeEvent("u", "a", "purchase", 10)};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto plain = LoadDataset(**store);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->item_texts.empty());
  auto with_texts = LoadDataset(**store, {.item_texts = true});
  ASSERT_TRUE(with_texts.ok());
  EXPECT_THAT(with_texts->item_texts, ElementsAre("Title of a. Shoes.", "Title of b."));
}

TEST(DatasetTest, LeaveOneOutHoldsOutTheLastTwo) {
  std::vector<std::vector<Interaction>> lists = {
      {{0}, {1}, {2}, {3}},  // user 0: train {0,1}, valid 2, test 3
      {{4}, {5}},            // user 1: too short, trained on, not evaluated
  };
  auto h = UserHistories::FromLists(6, lists);
  auto split = SplitLeaveOneOut(h);
  EXPECT_EQ(split.valid.train.user(0).size(), 2u);
  EXPECT_THAT(split.valid.targets[0], ElementsAre(2));
  EXPECT_EQ(split.test.train.user(0).size(), 3u);
  EXPECT_THAT(split.test.targets[0], ElementsAre(3));
  EXPECT_EQ(split.test.train.user(1).size(), 2u);
  EXPECT_TRUE(split.test.targets[1].empty());
}

TEST(DatasetTest, TemporalSplitCutsAtTheQuantile) {
  std::vector<std::vector<Interaction>> lists = {
      {{0, 0, 1, 0, 10}, {1, 0, 1, 0, 20}, {2, 0, 1, 0, 30}},
      {{1, 0, 1, 0, 15}, {3, 0, 1, 0, 40}},
  };
  auto split = SplitTemporal(UserHistories::FromLists(4, lists), 0.6);
  // Timestamps 10 15 20 30 40: the 0.6 quantile (position 3) is 30.
  EXPECT_EQ(split.train.user(0).size(), 2u);
  EXPECT_THAT(split.targets[0], ElementsAre(2));
  EXPECT_THAT(split.targets[1], ElementsAre(3));
}

TEST(DatasetTest, RandomRatioSplitIsSeededAndKeepsOrder) {
  std::vector<std::vector<Interaction>> lists(1);
  for (int32_t item = 0; item < 10; ++item) lists[0].push_back({item, 0, 1, 0, item});
  auto h = UserHistories::FromLists(10, lists);
  auto a = SplitRandomRatio(h, 0.8, 7);
  auto b = SplitRandomRatio(h, 0.8, 7);
  EXPECT_EQ(a.targets, b.targets);
  ASSERT_EQ(a.train.user(0).size(), 8u);
  EXPECT_EQ(a.targets[0].size(), 2u);
  for (size_t pos = 1; pos < 8; ++pos) {
    EXPECT_LT(a.train.user(0)[pos - 1].timestamp, a.train.user(0)[pos].timestamp);
  }
}

TEST(DatasetTest, KFoldCoversEveryRatingOnce) {
  std::vector<RatingTriple> ratings;
  for (int32_t row = 0; row < 10; ++row) ratings.push_back({row, row, 1.0f + row % 5});
  auto folds = KFoldRatings(ratings, 5, 1);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> seen(10, 0);
  for (const auto& fold : folds) {
    EXPECT_EQ(fold.test.size(), 2u);
    EXPECT_EQ(fold.train.size(), 8u);
    for (const auto& r : fold.test) ++seen[static_cast<size_t>(r.user)];
  }
  EXPECT_EQ(seen, std::vector<int>(10, 1));
}

TEST(DatasetTest, InteractionMatrixSumsWeights) {
  std::vector<std::vector<Interaction>> lists = {{{2, 0, 1.0f}, {0, 0, 3.0f}, {2, 0, 5.0f}}, {}};
  auto m = BuildInteractionMatrix(UserHistories::FromLists(3, lists));
  EXPECT_THAT(m.row_indices(0), ElementsAre(0, 2));
  EXPECT_THAT(m.row_values(0), ElementsAre(3.0f, 6.0f));
  EXPECT_EQ(m.row_indices(1).size(), 0u);
  auto t = m.Transpose();
  EXPECT_EQ(t.rows, 3);
  EXPECT_THAT(t.row_values(2), ElementsAre(6.0f));
  auto binary = BuildInteractionMatrix(UserHistories::FromLists(3, lists), {.binary = true});
  EXPECT_THAT(binary.row_values(0), ElementsAre(1.0f, 1.0f));
}

}  // namespace
}  // namespace tailor
