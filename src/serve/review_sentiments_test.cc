#include "serve/review_sentiments.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "status_matchers.h"
#include "text/sentiment_test_util.h"

namespace tailor {
namespace {

class ReviewSentimentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    WriteBatch batch;
    batch.items.resize(2);
    batch.items[0].id = "a";
    batch.items[1].id = "b";
    ASSERT_TRUE(store_->Write(batch).ok());
    AddReview("u1", "a", "the strap is great", 1);
    AddReview("u2", "a", "the hat was bad", 2);
  }
  void AddReview(const std::string& user, const std::string& item, const std::string& text, int64_t ts) {
    WriteBatch batch;
    Event event;
    event.user_id = user;
    event.item_id = item;
    event.type = "review";
    event.text = text;
    event.timestamp = ts;
    batch.events.push_back(event);
    ASSERT_TRUE(store_->Write(batch).ok());
  }
  std::unique_ptr<Store> store_;
};

TEST_F(ReviewSentimentsTest, ClassifiesEachItemsReviewsOnceUntilANewOneArrives) {
  ReviewSentiments reviews(*store_, TrainTinySentimentModel());
  ASSERT_TRUE(reviews.has_model());
  ASSERT_OK_AND_ASSIGN(ItemReviewSummary first, reviews.Summarize(0));
  EXPECT_EQ(first.reviews, 2);
  EXPECT_THAT(first.per_label, ::testing::ElementsAre(1, 1));
  ASSERT_TRUE(first.score.has_value());
  EXPECT_GT(*first.score, -0.5);
  EXPECT_LT(*first.score, 0.5);
  EXPECT_EQ(reviews.classified_reviews(), 2);
  // Unchanged: served from the cache.
  ASSERT_OK_AND_ASSIGN(ItemReviewSummary again, reviews.Summarize(0));
  EXPECT_EQ(again.per_label, first.per_label);
  EXPECT_EQ(reviews.classified_reviews(), 2);
  // A new review: recomputed.
  AddReview("u3", "a", "love the color", 3);
  ASSERT_OK_AND_ASSIGN(ItemReviewSummary third, reviews.Summarize(0));
  EXPECT_EQ(third.reviews, 3);
  EXPECT_THAT(third.per_label, ::testing::ElementsAre(1, 2));
  EXPECT_GT(*third.score, *first.score);
  EXPECT_EQ(reviews.classified_reviews(), 5);
  // An item without reviews has no score.
  ASSERT_OK_AND_ASSIGN(ItemReviewSummary none, reviews.Summarize(1));
  EXPECT_EQ(none.reviews, 0);
  EXPECT_FALSE(none.score.has_value());
  EXPECT_EQ(reviews.ToJson(none), nlohmann::json({{"count", 0},
                                                  {"sentiment", {{"negative", 0}, {"positive", 0}}},
                                                  {"score", nullptr}}));
}

TEST_F(ReviewSentimentsTest, RefreshSummarizesOnlyTheItemsWhoseReviewsChanged) {
  ReviewSentiments reviews(*store_, TrainTinySentimentModel());
  EXPECT_TRUE(reviews.Signals()->has_scores);
  EXPECT_TRUE(reviews.Signals()->counts.empty());  // before the first refresh
  ASSERT_OK_AND_ASSIGN(int64_t first, reviews.Refresh());
  EXPECT_EQ(first, 1);  // item a; b has no review
  std::shared_ptr<const ReviewSignals> before = reviews.Signals();
  EXPECT_EQ(before->count(0), 2);
  EXPECT_EQ(before->count(1), 0);
  EXPECT_TRUE(std::isnan(before->score(1)));
  ASSERT_OK_AND_ASSIGN(ItemReviewSummary summary, reviews.Summarize(0));
  EXPECT_FLOAT_EQ(before->score(0), static_cast<float>(*summary.score));
  // Nothing changed: nothing summarized again.
  ASSERT_OK_AND_ASSIGN(int64_t again, reviews.Refresh());
  EXPECT_EQ(again, 0);
  // A glowing review of b: only b is summarized; a keeps its signal.
  AddReview("u3", "b", "love the color", 4);
  const int64_t classified = reviews.classified_reviews();
  ASSERT_OK_AND_ASSIGN(int64_t after_new, reviews.Refresh());
  EXPECT_EQ(after_new, 1);
  EXPECT_EQ(reviews.classified_reviews(), classified + 1);
  std::shared_ptr<const ReviewSignals> after = reviews.Signals();
  EXPECT_EQ(after->count(1), 1);
  EXPECT_GT(after->score(1), 0.0f);
  EXPECT_FLOAT_EQ(after->score(0), before->score(0));
  EXPECT_EQ(before->count(1), 0);  // a held snapshot does not change
}

TEST_F(ReviewSentimentsTest, WithoutAModelOnlyCounts) {
  ReviewSentiments reviews(*store_, nullptr);
  ASSERT_OK_AND_ASSIGN(int64_t refreshed, reviews.Refresh());
  EXPECT_EQ(refreshed, 1);
  EXPECT_FALSE(reviews.Signals()->has_scores);
  EXPECT_EQ(reviews.Signals()->count(0), 2);
  ASSERT_OK_AND_ASSIGN(ItemReviewSummary summary, reviews.Summarize(0));
  EXPECT_EQ(summary.reviews, 2);
  EXPECT_TRUE(summary.per_label.empty());
  EXPECT_EQ(reviews.ToJson(summary), nlohmann::json({{"count", 2}}));
  EXPECT_EQ(reviews.classified_reviews(), 0);
}

}  // namespace
}  // namespace tailor
