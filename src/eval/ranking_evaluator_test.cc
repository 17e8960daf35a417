#include "eval/ranking_evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <nlohmann/json.hpp>

namespace tailor {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;

constexpr double kEps = 1e-9;

// Scores from a fixed table (or a function of user and item); checks that the evaluator
// passes the user's training history as the query.
class FakeRecommender : public Recommender {
 public:
  FakeRecommender(const UserHistories& train, std::function<float(int32_t, int32_t)> score,
                  int32_t num_items)
      : train_(train), score_(std::move(score)), num_items_(num_items) {}

  std::string name() const override { return "fake"; }
  nlohmann::json params() const override { return {{"kind", "table"}}; }
  Status Fit(const UserHistories&, const FitOptions&) override { return OkStatus(); }
  int32_t num_items() const override { return num_items_; }
  void Score(const Query& query, std::span<float> scores) const override {
    auto expected = train_.user(query.user);
    if (query.history.data() != expected.data() || query.history.size() != expected.size()) {
      ++wrong_queries_;
    }
    ++calls_;
    for (size_t item_idx = 0; item_idx < scores.size(); ++item_idx) {
      scores[item_idx] = score_(query.user, static_cast<int32_t>(item_idx));
    }
  }
  void SimilarItems(int32_t, std::span<float> scores) const override {
    std::fill(scores.begin(), scores.end(), 0.0f);
  }
  std::string Explain(const Query&, int32_t) const override { return ""; }
  Status SavePayload(BinaryWriter&) const override { return OkStatus(); }
  Status LoadPayload(BinaryReader&) override { return OkStatus(); }

  int wrong_queries() const { return wrong_queries_; }
  int calls() const { return calls_; }

 private:
  const UserHistories& train_;
  std::function<float(int32_t, int32_t)> score_;
  int32_t num_items_;
  mutable std::atomic<int> wrong_queries_{0};
  mutable std::atomic<int> calls_{0};
};

std::vector<Interaction> Items(std::initializer_list<int32_t> items) {
  std::vector<Interaction> out;
  int64_t timestamp = 100;
  for (int32_t item : items) out.push_back({item, 0, 1.0f, 0.0f, timestamp++});
  return out;
}

// Four users, five items.
//   user  history  target  scores (items 0..4)          order (seen kept)
//   0     {1}      {2}     0.1 0.9 0.5 0.9 0.3          1, 3, 2, 4, 0   -> rank(2) = 2
//   1     {3,4}    {0}     0.8 0.2 0.4 0.9 0.1          3, 0, 2, 1, 4   -> rank(0) = 1
//   2     {2}      {}      (not evaluated)
//   3     {2,4}    {4}     0.0 0.1 0.2 0.3 0.4          4, 3, 2, 1, 0   -> rank(4) = 0
// Seen excluded: user0 candidates {0,2,3,4} -> rank(2) = 1; user1 {0,1,2} -> rank(0) = 0;
// user3's target 4 was seen -> unranked (a miss).
class SmallSplitTest : public ::testing::Test {
 protected:
  SmallSplitTest() {
    split_.train =
        UserHistories::FromLists(5, {Items({1}), Items({3, 4}), Items({2}), Items({2, 4})});
    split_.targets = {{2}, {0, 0}, {}, {4}};  // user1's duplicate target counts once
  }
  static float TableScore(int32_t user, int32_t item) {
    static const float kTable[4][5] = {{0.1f, 0.9f, 0.5f, 0.9f, 0.3f},
                                       {0.8f, 0.2f, 0.4f, 0.9f, 0.1f},
                                       {0.0f, 0.0f, 0.0f, 0.0f, 0.0f},
                                       {0.0f, 0.1f, 0.2f, 0.3f, 0.4f}};
    return kTable[user][item];
  }
  RankingEvalOptions Options() const {
    RankingEvalOptions options;
    options.ks = {1, 2};
    options.curve_max_k = 3;
    options.threads = 1;
    options.history_buckets = {0, 2};
    return options;
  }
  Split split_;
  FakeRecommender model_{split_.train, TableScore, 5};
};

TEST_F(SmallSplitTest, SeenItemsKept) {
  auto result = EvaluateRanking(model_, split_, Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(model_.wrong_queries(), 0);
  EXPECT_EQ(model_.calls(), 3);
  EXPECT_EQ(result->users_evaluated, 3);
  EXPECT_EQ(result->targets_not_ranked, 0);
  EXPECT_EQ(result->protocol, "full ranking over 5 items, seen items kept, 3 users");
  const auto& m = result->metrics;
  // ranks 2, 1, 0.
  EXPECT_THAT(m.at("recall@1"), DoubleNear(1.0 / 3.0, kEps));
  EXPECT_THAT(m.at("recall@2"), DoubleNear(2.0 / 3.0, kEps));
  EXPECT_THAT(m.at("hr@2"), DoubleNear(2.0 / 3.0, kEps));
  // ndcg@2 = (0 + 1/log2(3) + 1/log2(2)) / 3 = (0.6309298 + 1) / 3.
  EXPECT_THAT(m.at("ndcg@2"), DoubleNear((1.0 / std::log2(3.0) + 1.0) / 3.0, kEps));
  // precision@2 = (0 + 1/2 + 1/2) / 3; map@2 = (0 + 1/2 + 1) / 3.
  EXPECT_THAT(m.at("precision@2"), DoubleNear(1.0 / 3.0, kEps));
  EXPECT_THAT(m.at("map@2"), DoubleNear(0.5, kEps));
  // mrr = (1/3 + 1/2 + 1) / 3.
  EXPECT_THAT(m.at("mrr"), DoubleNear((1.0 / 3 + 0.5 + 1.0) / 3.0, kEps));
  // auc: user0 item2 beats {4, 0} of 4 non-relevant = 0.5; user1 item0 beats {1, 2, 4} = 0.75;
  // user3 item4 beats all 4 = 1. Mean 0.75.
  EXPECT_THAT(m.at("auc"), DoubleNear(0.75, kEps));
  // Curves: recall@3 = 1, ndcg@3 = (1/log2(4) + 1/log2(3) + 1) / 3.
  ASSERT_EQ(result->recall_curve.size(), 3u);
  EXPECT_THAT(result->recall_curve[0], DoubleNear(1.0 / 3.0, kEps));
  EXPECT_THAT(result->recall_curve[2], DoubleNear(1.0, kEps));
  EXPECT_THAT(result->ndcg_curve[2], DoubleNear((0.5 + 1.0 / std::log2(3.0) + 1.0) / 3.0, kEps));
  EXPECT_THAT(result->ndcg_curve[1], DoubleNear(m.at("ndcg@2"), kEps));
  // Top-1 lists: user0 item1 (tie with item3, lower index wins), user1 item3, user3 item4.
  // counts [0,1,0,1,1]: coverage 3/5; gini sorted [0,0,1,1,1] -> (0*-4 + 0*-2 + 0 + 2 + 4)
  // / (5 * 3) = 0.4. Training-user popularity: item1 1, item3 1, item4 2 of 4 users ->
  // novelty (2 + 2 + 1) / 3.
  EXPECT_THAT(m.at("coverage@1"), DoubleNear(0.6, kEps));
  EXPECT_THAT(m.at("gini@1"), DoubleNear(0.4, kEps));
  EXPECT_THAT(m.at("novelty@1"), DoubleNear(5.0 / 3.0, kEps));
  // Buckets by history length with bounds {0, 2}: user0 (1 item) in "0-1", users 1 and 3 in "2+".
  ASSERT_EQ(result->buckets.size(), 2u);
  EXPECT_EQ(result->buckets[0].label, "0-1");
  EXPECT_EQ(result->buckets[0].users, 1);
  EXPECT_THAT(result->buckets[0].metrics.at("recall@2"), DoubleNear(0.0, kEps));
  EXPECT_EQ(result->buckets[1].label, "2+");
  EXPECT_EQ(result->buckets[1].users, 2);
  EXPECT_THAT(result->buckets[1].metrics.at("ndcg@2"),
              DoubleNear((1.0 / std::log2(3.0) + 1.0) / 2.0, kEps));
  EXPECT_EQ(result->model, "fake");
  EXPECT_EQ(result->model_params["kind"], "table");
}

TEST_F(SmallSplitTest, SeenItemsExcluded) {
  RankingEvalOptions options = Options();
  options.exclude_seen = true;
  auto result = EvaluateRanking(model_, split_, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->protocol, "full ranking over 5 items, seen items excluded, 3 users");
  EXPECT_EQ(result->targets_not_ranked, 1);
  const auto& m = result->metrics;
  // ranks 1, 0, unranked.
  EXPECT_THAT(m.at("recall@1"), DoubleNear(1.0 / 3.0, kEps));
  EXPECT_THAT(m.at("recall@2"), DoubleNear(2.0 / 3.0, kEps));
  EXPECT_THAT(m.at("mrr"), DoubleNear((0.5 + 1.0 + 0.0) / 3.0, kEps));
  // auc: user0 beats {0, 4} of {0, 3, 4} = 2/3; user1 beats {1, 2} of {1, 2} = 1; user3 0.
  EXPECT_THAT(m.at("auc"), DoubleNear((2.0 / 3.0 + 1.0) / 3.0, kEps));
  // Top-1 without seen items: user0 item3, user1 item0, user3 item3 -> counts [1,0,0,2,0]:
  // coverage 2/5; gini (1*2 + 2*4) / (5 * 3) = 2/3; novelty item0 (0 users -> 1) -log2(1/4) = 2,
  // item3 2 twice -> 2.
  EXPECT_THAT(m.at("coverage@1"), DoubleNear(0.4, kEps));
  EXPECT_THAT(m.at("gini@1"), DoubleNear(2.0 / 3.0, kEps));
  EXPECT_THAT(m.at("novelty@1"), DoubleNear(2.0, kEps));
}

TEST_F(SmallSplitTest, SkipSeenTargetsDropsThoseUsers) {
  RankingEvalOptions options = Options();
  options.exclude_seen = true;
  options.skip_seen_targets = true;
  auto result = EvaluateRanking(model_, split_, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->users_evaluated, 2);
  EXPECT_THAT(result->protocol, HasSubstr("targets already seen dropped"));
  // ranks 1, 0: recall@1 = 1/2, mrr = (1/2 + 1) / 2.
  EXPECT_THAT(result->metrics.at("recall@1"), DoubleNear(0.5, kEps));
  EXPECT_THAT(result->metrics.at("mrr"), DoubleNear(0.75, kEps));
}

TEST_F(SmallSplitTest, SampledNegativesNeverIncludeInteractedItems) {
  // 100 negatives > what is available, so every non-interacted item is a candidate:
  // user0 {0,2,3,4} (item1 was interacted) -> rank(2) = 1; user1 {0,1,2} -> 0;
  // user3 {0,1,3,4} -> rank(4) = 0. If item1 were sampled for user0, rank(2) would be 2.
  RankingEvalOptions options = Options();
  options.sampled_negatives = 100;
  auto result = EvaluateRanking(model_, split_, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->protocol, HasSubstr("sampled-100"));
  EXPECT_THAT(result->protocol, HasSubstr("seen items kept"));
  EXPECT_THAT(result->metrics.at("recall@1"), DoubleNear(2.0 / 3.0, kEps));
  EXPECT_THAT(result->metrics.at("recall@2"), DoubleNear(1.0, kEps));
  // Seen excluded: user3's target 4 is a training item -> a miss.
  options.exclude_seen = true;
  auto excluded = EvaluateRanking(model_, split_, options);
  ASSERT_TRUE(excluded.ok());
  EXPECT_THAT(excluded->metrics.at("recall@2"), DoubleNear(2.0 / 3.0, kEps));
  EXPECT_EQ(excluded->targets_not_ranked, 1);
}

TEST_F(SmallSplitTest, BadInputNamesTheProblem) {
  RankingEvalOptions options = Options();
  options.ks = {};
  auto no_ks = EvaluateRanking(model_, split_, options);
  EXPECT_EQ(no_ks.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_ks.status().message(), HasSubstr("ks must not be empty"));
  options.ks = {10, 0};
  EXPECT_THAT(EvaluateRanking(model_, split_, options).status().message(),
              HasSubstr("k must be > 0, got 0"));
  options = Options();
  options.history_buckets = {1, 5};
  EXPECT_THAT(EvaluateRanking(model_, split_, options).status().message(),
              HasSubstr("history_buckets must start with 0"));

  Split bad_target = split_;
  bad_target.targets[1] = {9};
  auto out_of_range = EvaluateRanking(model_, bad_target, Options());
  EXPECT_EQ(out_of_range.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(out_of_range.status().message(), HasSubstr("split.targets[user 1]: item 9"));

  Split short_targets = split_;
  short_targets.targets.pop_back();
  EXPECT_THAT(EvaluateRanking(model_, short_targets, Options()).status().message(),
              HasSubstr("targets for 3 users but 4 training users"));

  FakeRecommender unfitted(split_.train, TableScore, 0);
  auto not_fitted = EvaluateRanking(unfitted, split_, Options());
  EXPECT_EQ(not_fitted.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(not_fitted.status().message(), HasSubstr("not fitted"));
  FakeRecommender bigger(split_.train, TableScore, 6);
  EXPECT_EQ(EvaluateRanking(bigger, split_, Options()).status().code(),
            StatusCode::kFailedPrecondition);
}

// A larger split: 300 users, 400 items; the score of an item falls with its distance to a
// per-user centre, and the target is near that centre for most users.
class LargeSplitTest : public ::testing::Test {
 protected:
  static constexpr int32_t kUsers = 300, kItems = 400;
  LargeSplitTest() {
    std::vector<std::vector<Interaction>> lists(kUsers);
    split_.targets.resize(kUsers);
    for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
      const int32_t length = 1 + user_idx % 60;
      for (int32_t event_idx = 0; event_idx < length; ++event_idx) {
        lists[user_idx].push_back({(user_idx * 7 + event_idx * 13) % kItems, 0, 1, 0, event_idx});
      }
      if (user_idx % 10 != 0) split_.targets[user_idx] = {(user_idx + user_idx % 7) % kItems};
    }
    split_.train = UserHistories::FromLists(kItems, lists);
  }
  static float Score(int32_t user, int32_t item) {
    const int32_t centre = user % kItems;
    return -static_cast<float>(std::abs(item - centre)) + 0.01f * static_cast<float>(item % 3);
  }
  Split split_;
  FakeRecommender model_{split_.train, Score, kItems};
};

TEST_F(LargeSplitTest, ThreadCountDoesNotChangeTheResult) {
  RankingEvalOptions options;
  options.threads = 1;
  auto one = EvaluateRanking(model_, split_, options);
  options.threads = 3;
  auto three = EvaluateRanking(model_, split_, options);
  ASSERT_TRUE(one.ok() && three.ok());
  EXPECT_EQ(one->users_evaluated, 270);
  EXPECT_EQ(one->metrics, three->metrics);
  EXPECT_EQ(one->ndcg_curve, three->ndcg_curve);
  EXPECT_GT(one->metrics.at("recall@20"), one->metrics.at("recall@5"));
  EXPECT_EQ(model_.wrong_queries(), 0);
  // Default buckets: lengths 1..60 fill "1-4", "5-9", "10-19", "20-49", "50+".
  ASSERT_EQ(one->buckets.size(), 5u);
  EXPECT_EQ(one->buckets[0].label, "1-4");
  EXPECT_EQ(one->buckets[4].label, "50+");
  int64_t bucket_users = 0;
  for (const auto& bucket : one->buckets) bucket_users += bucket.users;
  EXPECT_EQ(bucket_users, 270);
}

TEST_F(LargeSplitTest, SampledProtocolIsSeededAndDeterministic) {
  RankingEvalOptions options;
  options.sampled_negatives = 50;
  options.threads = 1;
  auto first = EvaluateRanking(model_, split_, options);
  options.threads = 2;
  auto again = EvaluateRanking(model_, split_, options);
  options.seed = 7;
  auto other_seed = EvaluateRanking(model_, split_, options);
  ASSERT_TRUE(first.ok() && again.ok() && other_seed.ok());
  EXPECT_EQ(first->metrics, again->metrics);
  EXPECT_NE(first->metrics.at("auc"), other_seed->metrics.at("auc"));
  // Against 50 random items the target near the centre is easy: sampled recall@10 is far
  // above full-ranking recall@10.
  RankingEvalOptions full;
  auto full_result = EvaluateRanking(model_, split_, full);
  ASSERT_TRUE(full_result.ok());
  EXPECT_GT(first->metrics.at("recall@10"), full_result->metrics.at("recall@10"));
}

TEST_F(LargeSplitTest, MaxUsersTakesASeededSampleAndReportsProgress) {
  RankingEvalOptions options;
  options.max_users = 50;
  int64_t last_done = -1, last_total = -1;
  options.progress = [&](const ProgressUpdate& update) {
    last_done = update.done;
    last_total = update.total;
  };
  auto result = EvaluateRanking(model_, split_, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->users_evaluated, 50);
  EXPECT_EQ(result->users_with_targets, 270);
  EXPECT_THAT(result->protocol, HasSubstr("50 of 270 users (seeded sample, seed 42)"));
  EXPECT_EQ(last_done, 50);
  EXPECT_EQ(last_total, 50);
}

}  // namespace
}  // namespace tailor
