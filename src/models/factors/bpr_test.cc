// Tests of the bpr model: the negative sampler (never a positive, every negative equally
// likely, at any density), a two-block fixture with a known answer, real-time scoring from
// the current history, determinism under a seed, the epoch callbacks, params.
#include "models/factors/bpr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "models/model_testing.h"
#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

Interaction At(int32_t item) { return Interaction{.item = item, .weight = 1.0f}; }

// Counts SampleNegative's answers over `draws` draws (seeded, so deterministic).
std::vector<int64_t> NegativeCounts(const std::vector<int32_t>& positives, int32_t num_items,
                                    int64_t draws, uint64_t seed = 7) {
  BprRng rng(seed);
  std::vector<int64_t> counts(static_cast<size_t>(num_items), 0);
  for (int64_t draw = 0; draw < draws; ++draw) {
    const int32_t item = SampleNegative(positives, num_items, rng);
    EXPECT_GE(item, 0);
    EXPECT_LT(item, num_items);
    if (item >= 0 && item < num_items) ++counts[item];
  }
  return counts;
}

// Every positive is never drawn; every negative about draws / negatives times (within 10%:
// the binomial standard deviation is ~1% of the mean at these sizes, so this is > 9 sigma).
void ExpectUniformOverNegatives(const std::vector<int32_t>& positives, int32_t num_items,
                                int64_t draws) {
  const std::vector<int64_t> counts = NegativeCounts(positives, num_items, draws);
  const std::set<int32_t> positive_set(positives.begin(), positives.end());
  const double expected = static_cast<double>(draws) / (num_items - positives.size());
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    if (positive_set.count(item_idx)) {
      EXPECT_EQ(counts[item_idx], 0) << "positive " << item_idx << " drawn as a negative";
    } else {
      EXPECT_NEAR(counts[item_idx], expected, 0.1 * expected) << "negative " << item_idx;
    }
  }
}

TEST(BprSampler, SparseUserEveryNegativeEquallyLikely) {
  ExpectUniformOverNegatives({0, 3, 7, 8, 19}, 20, 150'000);
}

TEST(BprSampler, UserWithAlmostEveryItem) {
  // 997 of 1000 items taken: the three negatives sit at the start, the middle and the end.
  std::vector<int32_t> positives;
  for (int32_t item_idx = 0; item_idx < 1000; ++item_idx) {
    if (item_idx != 0 && item_idx != 500 && item_idx != 999) positives.push_back(item_idx);
  }
  ExpectUniformOverNegatives(positives, 1000, 30'000);
  // Exactly one negative: always it.
  std::vector<int32_t> all_but_one;
  for (int32_t item_idx = 0; item_idx < 50; ++item_idx) {
    if (item_idx != 17) all_but_one.push_back(item_idx);
  }
  const std::vector<int64_t> counts = NegativeCounts(all_but_one, 50, 1000);
  EXPECT_EQ(counts[17], 1000);
}

TEST(BprSampler, NoPositivesAndNoNegatives) {
  ExpectUniformOverNegatives({}, 10, 100'000);
  BprRng rng(1);
  EXPECT_EQ(SampleNegative(std::vector<int32_t>{0, 1, 2}, 3, rng), -1);
}

TEST(BprRng, UniformCoversTheRangeEvenly) {
  BprRng rng(3);
  std::vector<int64_t> counts(3, 0);
  for (int draw = 0; draw < 30'000; ++draw) ++counts[rng.Uniform(3)];
  for (int64_t count : counts) EXPECT_NEAR(count, 10'000, 500);
  BprRng same_a(99), same_b(99);
  for (int draw = 0; draw < 10; ++draw) EXPECT_EQ(same_a.Next(), same_b.Next());
}

// Two disjoint blocks of 8 items: users of block A (the first half) use items 0..7, users of
// block B items 8..15; user u lacks items u % 8 and (u + 1) % 8 of their block, so both
// missing block items must rank above every item of the other block.
constexpr int32_t kUsers = 16;
constexpr int32_t kItems = 16;
bool InBlockA(int32_t idx) { return idx < 8; }  // an item, or a user of the 16-user fixture
UserHistories TwoBlocks(int32_t users = kUsers) {
  std::vector<std::vector<Interaction>> lists(users);
  for (int32_t user_idx = 0; user_idx < users; ++user_idx) {
    const int32_t first = user_idx < users / 2 ? 0 : 8;
    const int32_t missing_a = first + user_idx % 8;
    const int32_t missing_b = first + (user_idx + 1) % 8;
    for (int32_t item_idx = first; item_idx < first + 8; ++item_idx) {
      if (item_idx != missing_a && item_idx != missing_b) lists[user_idx].push_back(At(item_idx));
    }
  }
  return UserHistories::FromLists(kItems, lists);
}

BprOptions SmallOptions() {
  BprOptions options;
  options.factors = 8;
  options.epochs = 200;
  options.learning_rate = 0.05;
  options.init_stddev = 0.1;
  return options;
}

std::unique_ptr<BprRecommender> Fitted(const UserHistories& train, const BprOptions& options,
                                       int threads = 1, uint64_t seed = 42) {
  return FitModel<BprRecommender>(train, options, threads, seed);
}

std::vector<float> Scores(const Recommender& model, const Query& query, size_t size = kItems) {
  std::vector<float> scores(size, std::nanf(""));
  model.Score(query, scores);
  return scores;
}

// Every unseen item of the user's own block scores above every item of the other block.
void ExpectOwnBlockFirst(const Recommender& model, const Query& query, bool block_a,
                         const std::string& what) {
  const std::vector<float> scores = Scores(model, query);
  std::set<int32_t> seen;
  for (const Interaction& interaction : query.history) seen.insert(interaction.item);
  float worst_own = INFINITY;
  float best_other = -INFINITY;
  for (int32_t item_idx = 0; item_idx < kItems; ++item_idx) {
    if (seen.count(item_idx)) continue;
    if (InBlockA(item_idx) == block_a) {
      worst_own = std::min(worst_own, scores[item_idx]);
    } else {
      best_other = std::max(best_other, scores[item_idx]);
    }
  }
  EXPECT_GT(worst_own, best_other) << what;
}

TEST(BprRecommender, TwoBlocksKnownAnswer) {
  const UserHistories train = TwoBlocks();
  // The default (users are their history), BPR-MF plus the history term, plain BPR-MF.
  BprOptions hybrid = SmallOptions();
  hybrid.user_factors = true;
  BprOptions plain = SmallOptions();
  plain.user_factors = true;
  plain.history_factors = false;
  for (const BprOptions& options : {SmallOptions(), hybrid, plain}) {
    auto model = Fitted(train, options);
    const std::string variant = options.ToJson().dump();
    for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
      ExpectOwnBlockFirst(*model, {user_idx, train.user(user_idx)}, InBlockA(user_idx),
                          "user " + std::to_string(user_idx) + " " + variant);
      if (options.history_factors) {
        ExpectOwnBlockFirst(*model, {-1, train.user(user_idx)}, InBlockA(user_idx),
                            "anonymous with user " + std::to_string(user_idx) + " " + variant);
      }
    }
    // Similar items and explanations stay within the block.
    std::vector<float> similar(kItems);
    model->SimilarItems(2, similar);
    for (int32_t item_idx = 8; item_idx < kItems; ++item_idx) {
      EXPECT_LT(similar[item_idx], similar[3]) << item_idx << " " << variant;
    }
    EXPECT_THAT(model->Explain({3, train.user(3)}, 3),
                ::testing::MatchesRegex("similar to \\{item:[0-7]\\} in your history"));
  }
}

TEST(BprRecommender, TwoThreadsMergeTheirReplicasIntoOneModel) {
  // With 2 threads each trains a private copy of the item side on its blocks of users (128
  // users a block); the merged model must still put every user's own block first.
  constexpr int32_t kManyUsers = 512;
  const UserHistories train = TwoBlocks(kManyUsers);
  BprOptions options = SmallOptions();
  options.epochs = 40;
  auto model = Fitted(train, options, /*threads=*/2);
  EXPECT_EQ(model->fit_stats()["threads"], 2);
  for (int32_t user_idx = 0; user_idx < kManyUsers; user_idx += 7) {
    ExpectOwnBlockFirst(*model, {-1, train.user(user_idx)}, user_idx < kManyUsers / 2,
                        "2 threads, user " + std::to_string(user_idx));
  }
}

TEST(BprRecommender, ANewEventChangesTheNextScores) {
  const UserHistories train = TwoBlocks();
  auto model = Fitted(train, SmallOptions());
  // User 0 (block A) starts buying block-B items: the history read at request time moves
  // the scores towards block B without retraining.
  std::vector<Interaction> history(train.user(0).begin(), train.user(0).end());
  const std::vector<float> before = Scores(*model, {0, history});
  std::vector<float> user_before;
  ASSERT_TRUE(model->UserVector({0, history}, &user_before));
  for (int32_t item_idx : {8, 9, 10, 11, 12}) history.push_back(At(item_idx));
  const std::vector<float> after = Scores(*model, {0, history});
  std::vector<float> user_after;
  ASSERT_TRUE(model->UserVector({0, history}, &user_after));
  EXPECT_NE(user_before, user_after);
  EXPECT_GT(after[14] - after[1], before[14] - before[1])
      << "block-B item 14 must gain on block-A item 1";
  // An anonymous shopper with only block-B items gets block B first.
  std::vector<Interaction> anonymous = {At(9), At(10), At(11)};
  ExpectOwnBlockFirst(*model, {-1, anonymous}, /*block_a=*/false, "anonymous block-B shopper");
}

TEST(BprRecommender, EmptyHistoryRanksByPopularityAndUnknownItemsLast) {
  std::vector<std::vector<Interaction>> lists = {{At(2)}, {At(2), At(1)}, {At(2), At(0)}};
  const UserHistories train = UserHistories::FromLists(4, lists);
  auto model = Fitted(train, SmallOptions());
  const std::vector<float> popular = Scores(*model, {1, {}}, 6);
  EXPECT_GT(popular[2], popular[1]);
  EXPECT_GT(popular[1], popular[3]);  // item 3: never bought
  EXPECT_EQ(popular[4], popular[3]);  // unknown items: the lowest score
  // Only unknown items in the history: popularity too.
  std::vector<Interaction> unknown = {At(4), At(5)};
  EXPECT_EQ(Scores(*model, {-1, unknown}, 6), popular);
  // A known history: unknown items get the lowest score written.
  std::vector<Interaction> history = {At(1)};
  const std::vector<float> scores = Scores(*model, {-1, history}, 6);
  const float lowest = *std::min_element(scores.begin(), scores.begin() + 4);
  EXPECT_EQ(scores[4], lowest);
  EXPECT_EQ(scores[5], lowest);
}

TEST(BprRecommender, DeterministicUnderTheSameSeedWithOneThread) {
  const UserHistories train = TwoBlocks();
  auto first = Fitted(train, SmallOptions(), /*threads=*/1, /*seed=*/7);
  auto second = Fitted(train, SmallOptions(), /*threads=*/1, /*seed=*/7);
  auto other = Fitted(train, SmallOptions(), /*threads=*/1, /*seed=*/8);
  bool seed_matters = false;
  for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
    const Query query{user_idx, train.user(user_idx)};
    const std::vector<float> a = Scores(*first, query);
    const std::vector<float> b = Scores(*second, query);
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0) << user_idx;
    seed_matters |= a != Scores(*other, query);
  }
  EXPECT_TRUE(seed_matters);
}

TEST(BprRecommender, EpochCallbacksAndFitStats) {
  const UserHistories train = TwoBlocks();
  BprRecommender model(SmallOptions());
  FitOptions fit;
  fit.threads = 2;
  std::vector<int> epochs_seen;
  int progress_calls = 0;
  fit.progress = [&](const ProgressUpdate& update) {
    ++progress_calls;
    EXPECT_THAT(update.stage, HasSubstr("bpr epoch"));
    EXPECT_THAT(update.detail, HasSubstr("loss"));
  };
  fit.on_epoch = [&](int epoch, const Recommender& current) {
    epochs_seen.push_back(epoch);
    std::vector<float> scores(kItems);
    current.Score({0, train.user(0)}, scores);  // usable mid-training
    return epoch < 3;
  };
  ASSERT_TRUE(model.Fit(train, fit).ok());
  EXPECT_EQ(epochs_seen, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(progress_calls, 3);
  const nlohmann::json stats = model.fit_stats();
  EXPECT_EQ(stats["epochs"], 3);
  EXPECT_EQ(stats["threads"], 2);
  EXPECT_EQ(stats["factors"], 8);
  // 16 users x 6 distinct items = 96 training pairs, one sample each per epoch.
  EXPECT_GT(stats["samples_per_second"].get<double>(), 0.0);
  EXPECT_GE(stats["seconds_per_epoch"].get<double>(), 0.0);
}

TEST(BprOptions, BadParamsAreRejectedByName) {
  EXPECT_THAT(BprOptions::FromJson({{"factors", 0}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'factors'")));
  EXPECT_THAT(BprOptions::FromJson({{"learning_rate", -0.1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'learning_rate'")));
  EXPECT_THAT(BprOptions::FromJson({{"regularization", "high"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'regularization'")));
  EXPECT_THAT(BprOptions::FromJson({{"history_exponent", 2}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'history_exponent'")));
  EXPECT_THAT(BprOptions::FromJson({{"negatives", 5}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'negatives'")));
  EXPECT_THAT(BprOptions::FromJson({{"user_factors", false}, {"history_factors", false}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'history_factors'")));
  // Options built in code are checked by Fit.
  BprOptions options;
  options.epochs = 0;
  BprRecommender model(options);
  EXPECT_THAT(model.Fit(TwoBlocks(), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'epochs'")));
  // Round trip of the defaults.
  auto parsed = BprOptions::FromJson(BprOptions{}.ToJson());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ToJson(), BprOptions{}.ToJson());
}

}  // namespace
}  // namespace tailor
