#include "dataset/rating_folds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

// Users "u7", "u9"; items "a", "b", "c"; the built-in event types (rating = index 5).
Dataset SmallDataset() {
  Dataset dataset;
  dataset.user_ids = {"u7", "u9"};
  dataset.item_ids = {"a", "b", "c"};
  dataset.event_types = BuiltinEventTypes();
  dataset.histories.num_users = 2;
  dataset.histories.num_items = 3;
  dataset.histories.offsets = {0, 0, 0};
  return dataset;
}

TEST(RatingFoldsTest, MapsIdsToIndexes) {
  const Dataset dataset = SmallDataset();
  std::vector<RatingRow> rows = {{"u9", "c", 4.0f, 100, 1}, {"u7", "a", 2.5f, 50, 2}};
  auto triples = MapRatingRows(rows, "u1.base", dataset);
  ASSERT_TRUE(triples.ok()) << triples.status().ToString();
  ASSERT_EQ(triples->size(), 2u);
  EXPECT_EQ((*triples)[0].user, 1);
  EXPECT_EQ((*triples)[0].item, 2);
  EXPECT_EQ((*triples)[0].rating, 4.0f);
  EXPECT_EQ((*triples)[0].timestamp, 100);
  EXPECT_EQ((*triples)[1].user, 0);
  EXPECT_EQ((*triples)[1].item, 0);
}

TEST(RatingFoldsTest, UnknownIdsNameFileAndLine) {
  const Dataset dataset = SmallDataset();
  std::vector<RatingRow> unknown_user = {{"u7", "a", 1, 0, 1}, {"u8", "a", 1, 0, 17}};
  EXPECT_THAT(MapRatingRows(unknown_user, "u2.test", dataset),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("u2.test:17: unknown user 'u8'")));
  std::vector<RatingRow> unknown_item = {{"u7", "z", 1, 0, 3}};
  EXPECT_THAT(MapRatingRows(unknown_item, "u2.test", dataset),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("u2.test:3: unknown item 'z'")));
}

TEST(RatingFoldsTest, HistoriesAreRatingEventsInTimeOrder) {
  const Dataset dataset = SmallDataset();
  std::vector<RatingTriple> ratings = {
      {1, 2, 4.0f, 300}, {1, 0, 5.0f, 100}, {0, 1, 2.0f, 50}, {1, 1, 3.0f, 100}};
  auto histories = RatingHistories(ratings, dataset);
  ASSERT_TRUE(histories.ok()) << histories.status().ToString();
  EXPECT_EQ(histories->num_users, 2);
  EXPECT_EQ(histories->num_items, 3);
  ASSERT_EQ(histories->user(0).size(), 1u);
  auto second = histories->user(1);
  ASSERT_EQ(second.size(), 3u);
  // Time order; the tie at 100 keeps the input order (item 0 before item 1).
  EXPECT_EQ(second[0].item, 0);
  EXPECT_EQ(second[1].item, 1);
  EXPECT_EQ(second[2].item, 2);
  EXPECT_EQ(second[2].value, 4.0f);
  EXPECT_EQ(second[2].type, 5);
  EXPECT_EQ(dataset.event_types[second[2].type].name, "rating");
  EXPECT_EQ(second[2].weight, 1.0f);

  std::vector<RatingTriple> out_of_range = {{0, 3, 1.0f, 0}};
  EXPECT_THAT(RatingHistories(out_of_range, dataset),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("item 3")));
  Dataset no_rating = SmallDataset();
  no_rating.event_types.resize(2);
  EXPECT_THAT(RatingHistories(ratings, no_rating),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("'rating'")));
}

}  // namespace
}  // namespace tailor
