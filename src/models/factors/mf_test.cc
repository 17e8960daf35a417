#include "models/factors/mf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include "status_matchers.h"
#include "tailor/store.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

Interaction Rated(int32_t item, float stars, int64_t timestamp = 0) {
  return {.item = item,
          .type = RatingEventType(),
          .weight = 1.0f,
          .value = stars,
          .timestamp = timestamp};
}

Interaction Viewed(int32_t item) { return {.item = item, .type = 0, .weight = 1.0f}; }

TEST(MfTest, RatingEventTypeIsTheStoresRatingType) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto types = (*store)->EventTypes();
  ASSERT_TRUE(types.ok()) << types.status().ToString();
  ASSERT_GT(types->size(), static_cast<size_t>(RatingEventType()));
  EXPECT_EQ((*types)[RatingEventType()].name, "rating");
}

// A rank-2 rating matrix with biases: r(u, i) = 3 + 0.4 a_u + 0.4 c_i + p_u . q_i, entries in
// about [1, 5]. 80% of the entries train (a fixed pattern), the rest are held out.
struct LowRankFixture {
  static constexpr int32_t kUsers = 40;
  static constexpr int32_t kItems = 30;
  std::vector<std::vector<float>> truth;
  UserHistories train;
  std::vector<std::pair<int32_t, int32_t>> held_out;

  LowRankFixture() {
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<std::array<float, 3>> users(kUsers), items(kItems);
    for (auto& row : users) row = {normal(rng), 0.7f * normal(rng), 0.7f * normal(rng)};
    for (auto& row : items) row = {normal(rng), 0.7f * normal(rng), 0.7f * normal(rng)};
    std::vector<std::vector<Interaction>> lists(kUsers);
    truth.assign(kUsers, std::vector<float>(kItems));
    for (int32_t user_idx = 0; user_idx < kUsers; ++user_idx) {
      for (int32_t item_idx = 0; item_idx < kItems; ++item_idx) {
        const float stars = 3.0f + 0.4f * users[user_idx][0] + 0.4f * items[item_idx][0] +
                            users[user_idx][1] * items[item_idx][1] +
                            users[user_idx][2] * items[item_idx][2];
        truth[user_idx][item_idx] = stars;
        if ((user_idx * 7 + item_idx * 3) % 5 == 0) {
          held_out.emplace_back(user_idx, item_idx);
        } else {
          lists[user_idx].push_back(Rated(item_idx, stars));
        }
      }
    }
    train = UserHistories::FromLists(kItems, lists);
  }
};

MfOptions LowRankOptions() {
  MfOptions options;
  options.factors = 2;
  options.epochs = 400;
  options.learning_rate = 0.02;
  options.lr_decay = 0.995;
  options.reg_bias = 0.001;
  options.reg_factors = 0.001;
  options.init_std = 0.1;
  options.implicit = false;
  // The fold-in penalty of the training objective (no extra shrinkage on exact data).
  options.fold_in_reg = 0.001;
  options.fold_in_prior = 0.0;
  return options;
}

TEST(MfTest, LearnsAKnownLowRankMatrix) {
  LowRankFixture fixture;
  MfRecommender model(LowRankOptions());
  ASSERT_TRUE(model.Fit(fixture.train, {.seed = 3}).ok());
  EXPECT_TRUE(model.explicit_ratings());
  EXPECT_LT(model.fit_stats()["train_rmse"].get<double>(), 0.05);
  double squared = 0.0;
  for (const auto& [user_idx, item_idx] : fixture.held_out) {
    const float predicted = model.PredictRating({user_idx, fixture.train.user(user_idx)}, item_idx);
    const float expected = fixture.truth[user_idx][item_idx];
    squared += (predicted - expected) * (predicted - expected);
    EXPECT_NEAR(predicted, expected, 0.5) << "user " << user_idx << " item " << item_idx;
  }
  EXPECT_LT(std::sqrt(squared / fixture.held_out.size()), 0.15);
}

TEST(MfTest, SvdppAlsoLearnsTheMatrix) {
  LowRankFixture fixture;
  MfOptions options = LowRankOptions();
  options.implicit = true;
  MfRecommender model(options);
  ASSERT_TRUE(model.Fit(fixture.train, {.seed = 3}).ok());
  EXPECT_LT(model.fit_stats()["train_rmse"].get<double>(), 0.08);
  double squared = 0.0;
  for (const auto& [user_idx, item_idx] : fixture.held_out) {
    const float error = model.PredictRating({user_idx, fixture.train.user(user_idx)}, item_idx) -
                        fixture.truth[user_idx][item_idx];
    squared += error * error;
  }
  EXPECT_LT(std::sqrt(squared / fixture.held_out.size()), 0.2);
}

// A full 3 x 3 matrix: without factors (init_std 0 keeps them at 0) and without penalties the
// least-squares biases are the row and column means' deviations from the global mean.
//   ratings      row mean
//   5 3 1        3
//   4 4 1        3
//   2 5 5        4        column means 11/3, 4, 7/3; global mean 10/3
TEST(MfTest, BiasesAloneReproduceRowAndColumnMeans) {
  const float ratings[3][3] = {{5, 3, 1}, {4, 4, 1}, {2, 5, 5}};
  std::vector<std::vector<Interaction>> lists(3);
  for (int32_t user_idx = 0; user_idx < 3; ++user_idx) {
    for (int32_t item_idx = 0; item_idx < 3; ++item_idx) {
      lists[user_idx].push_back(Rated(item_idx, ratings[user_idx][item_idx]));
    }
  }
  const UserHistories train = UserHistories::FromLists(3, lists);
  MfOptions options;
  options.factors = 4;
  options.init_std = 0.0;
  options.reg_bias = 0.0;
  options.reg_factors = 0.0;
  options.implicit = false;
  // The step decays to ~1e-6, so the last epochs leave no SGD noise.
  options.epochs = 1000;
  options.learning_rate = 0.05;
  options.lr_decay = 0.99;
  MfRecommender model(options);
  ASSERT_TRUE(model.Fit(train, {}).ok());
  const float mu = 10.0f / 3.0f;
  EXPECT_NEAR(model.global_mean(), mu, 1e-5);
  const float column_means[3] = {11.0f / 3.0f, 4.0f, 7.0f / 3.0f};
  const float row_means[3] = {3.0f, 3.0f, 4.0f};
  for (int32_t item_idx = 0; item_idx < 3; ++item_idx) {
    EXPECT_NEAR(model.item_biases()[item_idx], column_means[item_idx] - mu, 1e-3) << item_idx;
  }
  for (int32_t user_idx = 0; user_idx < 3; ++user_idx) {
    for (int32_t item_idx = 0; item_idx < 3; ++item_idx) {
      // Fold-in solves b_u = mean over the row of (r - mu - b_i) = row mean - mu.
      EXPECT_NEAR(model.PredictRating({user_idx, train.user(user_idx)}, item_idx),
                  row_means[user_idx] + column_means[item_idx] - mu, 1e-3)
          << user_idx << ", " << item_idx;
    }
  }
  // No ratings at all: the global mean plus the item bias.
  EXPECT_NEAR(model.PredictRating({}, 1), 4.0f, 1e-3);
}

// Two tastes: users 0..9 rate items 0..4 with 5 and items 5..9 with 1, users 10..19 the
// opposite; every user leaves out two items of each group.
UserHistories TwoTastes() {
  std::vector<std::vector<Interaction>> lists(20);
  for (int32_t user_idx = 0; user_idx < 20; ++user_idx) {
    const bool likes_first = user_idx < 10;
    for (int32_t item_idx = 0; item_idx < 10; ++item_idx) {
      if (item_idx % 5 == user_idx % 5 || (item_idx + 1) % 5 == user_idx % 5) continue;
      const bool first = item_idx < 5;
      lists[user_idx].push_back(Rated(item_idx, first == likes_first ? 5.0f : 1.0f, item_idx));
    }
  }
  return UserHistories::FromLists(10, lists);
}

MfOptions SmallOptions() {
  MfOptions options;
  options.factors = 8;
  options.epochs = 100;
  options.learning_rate = 0.02;
  options.lr_decay = 0.99;
  options.reg_factors = 0.02;
  options.init_std = 0.1;
  options.implicit = false;
  return options;
}

TEST(MfTest, FoldInOfANewUserMovesPredictionsTheRightWay) {
  MfRecommender model(SmallOptions());
  ASSERT_TRUE(model.Fit(TwoTastes(), {.seed = 5}).ok());
  // Nothing known: every item gets mu + b_i (about 3).
  const float unknown_first = model.PredictRating({}, 1);
  EXPECT_NEAR(unknown_first, 3.0f, 0.5f);
  // A new user who loves item 0 and hates item 6 likes the other first-group items.
  std::vector<Interaction> history = {Rated(0, 5.0f), Rated(6, 1.0f)};
  const float first = model.PredictRating({-1, history}, 1);
  const float second = model.PredictRating({-1, history}, 7);
  EXPECT_GT(first, unknown_first + 0.5f);
  EXPECT_LT(second, 2.5f);
  EXPECT_GT(first, 4.0f);
  // One more 5 in the first group strengthens the taste.
  history.push_back(Rated(2, 5.0f));
  EXPECT_GT(model.PredictRating({-1, history}, 1), first);
  // The same user changing their mind (re-rating: the latest counts) flips the prediction.
  std::vector<Interaction> flipped = {Rated(0, 5.0f, 1), Rated(6, 1.0f, 2), Rated(0, 1.0f, 3),
                                      Rated(6, 5.0f, 4)};
  EXPECT_LT(model.PredictRating({-1, flipped}, 1), 2.5f);
  EXPECT_GT(model.PredictRating({-1, flipped}, 7), 3.5f);
  // A known user index beyond the trained users is just another fold-in.
  EXPECT_EQ(model.PredictRating({500, history}, 1), model.PredictRating({-1, history}, 1));
  // PredictRatings is PredictRating per item.
  std::vector<int32_t> items = {1, 7, 42};
  std::vector<float> out(3);
  model.PredictRatings({-1, history}, items, out);
  for (size_t pos = 0; pos < items.size(); ++pos) {
    EXPECT_EQ(out[pos], model.PredictRating({-1, history}, items[pos])) << items[pos];
  }
  // Ranking follows the same taste: the unseen first-group items lead.
  std::vector<float> scores(10);
  model.Score({-1, history}, scores);
  EXPECT_GT(scores[3], scores[8]);
  EXPECT_GT(scores[4], scores[9]);
}

TEST(MfTest, KnownUsersKeepTrainedFactorsWithoutFoldIn) {
  MfOptions options = SmallOptions();
  options.fold_in = false;
  MfRecommender model(options);
  const UserHistories train = TwoTastes();
  ASSERT_TRUE(model.Fit(train, {.seed = 5}).ok());
  // User 2 (first taste) with an empty query history still gets their personal prediction.
  EXPECT_GT(model.PredictRating({2, {}}, 2), 4.0f);
  EXPECT_LT(model.PredictRating({2, {}}, 7), 2.0f);
  // Unknown users still fold in.
  std::vector<Interaction> history = {Rated(5, 5.0f), Rated(0, 1.0f)};
  EXPECT_GT(model.PredictRating({-1, history}, 7), 4.0f);
}

TEST(MfTest, ImplicitFallbackWithoutRatings) {
  // Views only: users 0..9 see items 0..4, users 10..19 items 5..9, each missing one.
  std::vector<std::vector<Interaction>> lists(20);
  for (int32_t user_idx = 0; user_idx < 20; ++user_idx) {
    const int32_t first = user_idx < 10 ? 0 : 5;
    for (int32_t item_idx = first; item_idx < first + 5; ++item_idx) {
      if (item_idx - first != user_idx % 5) lists[user_idx].push_back(Viewed(item_idx));
    }
  }
  MfOptions options = SmallOptions();
  options.epochs = 60;
  MfRecommender model(options);
  ASSERT_TRUE(model.Fit(UserHistories::FromLists(10, lists), {.seed = 1}).ok());
  EXPECT_FALSE(model.explicit_ratings());
  EXPECT_EQ(model.fit_stats()["mode"], "implicit fallback");
  for (int32_t user_idx : {0, 3, 12, 19}) {
    std::vector<float> scores(10);
    model.Score({user_idx, lists[user_idx]}, scores);
    const int32_t held_out = (user_idx < 10 ? 0 : 5) + user_idx % 5;
    const int32_t other_first = user_idx < 10 ? 5 : 0;
    for (int32_t item_idx = other_first; item_idx < other_first + 5; ++item_idx) {
      EXPECT_GT(scores[held_out], scores[item_idx]) << "user " << user_idx;
    }
  }
  // An anonymous visitor who viewed one item of the second group.
  std::vector<Interaction> history = {Viewed(6)};
  std::vector<float> scores(10);
  model.Score({-1, history}, scores);
  EXPECT_GT(scores[7], scores[2]);
  EXPECT_EQ(model.Explain({-1, history}, 7), "similar to {item:6} in your history");
}

TEST(MfTest, OnEpochStopsTraining) {
  MfRecommender model(SmallOptions());
  int calls = 0;
  FitOptions fit;
  fit.on_epoch = [&](int epoch, const Recommender& fitted) {
    ++calls;
    EXPECT_EQ(epoch, calls);
    // The model is usable inside the hook.
    std::vector<float> scores(10);
    fitted.Score({0, {}}, scores);
    return epoch < 3;
  };
  ASSERT_TRUE(model.Fit(TwoTastes(), fit).ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(model.fit_stats()["epochs"], 3);
}

TEST(MfTest, SaveLoadRoundTrip) {
  MfOptions options = SmallOptions();
  options.implicit = true;
  MfRecommender model(options);
  const UserHistories train = TwoTastes();
  ASSERT_TRUE(model.Fit(train, {.seed = 9}).ok());
  const std::string path = std::string(TAILOR_BINARY_DIR) + "/mf_test_round_trip.tailor";
  ASSERT_TRUE(SaveModel(model, path).ok());
  auto loaded = LoadModel(path);
  std::remove(path.c_str());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->params(), model.params());
  const auto* copy = dynamic_cast<const RatingPredictor*>(loaded->get());
  ASSERT_NE(copy, nullptr);
  std::vector<Interaction> history = {Rated(0, 5.0f), Viewed(3)};
  for (const Query& query : {Query{4, train.user(4)}, Query{-1, history}, Query{}}) {
    for (int32_t item_idx = 0; item_idx < 11; ++item_idx) {
      const float before = model.PredictRating(query, item_idx);
      const float after = copy->PredictRating(query, item_idx);
      EXPECT_EQ(std::memcmp(&before, &after, sizeof(float)), 0) << item_idx;
    }
    std::vector<float> before(11), after(11);
    model.Score(query, before);
    (*loaded)->Score(query, after);
    EXPECT_EQ(std::memcmp(before.data(), after.data(), sizeof(float) * 11), 0);
  }
}

TEST(MfTest, CorruptPayloadIsDataLoss) {
  MfRecommender model(SmallOptions());
  ASSERT_TRUE(model.Fit(TwoTastes(), {}).ok());
  BinaryWriter out;
  ASSERT_TRUE(model.SavePayload(out).ok());
  // Loading into a model that expects another factor width.
  MfOptions wider = SmallOptions();
  wider.factors = 16;
  MfRecommender other(wider);
  BinaryReader in(out.buffer(), "artifact");
  EXPECT_THAT(other.LoadPayload(in), StatusIs(StatusCode::kDataLoss, HasSubstr("factors = 16")));
}

TEST(MfTest, BadParamsAreNamed) {
  EXPECT_THAT(MfOptions::FromJson({{"factors", 0}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("mf: param 'factors'")));
  EXPECT_THAT(MfOptions::FromJson({{"learning_rate", -0.1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'learning_rate'")));
  EXPECT_THAT(MfOptions::FromJson({{"lr_decay", 1.5}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'lr_decay'")));
  EXPECT_THAT(MfOptions::FromJson({{"implicit", 1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'implicit'")));
  EXPECT_THAT(MfOptions::FromJson({{"factor", 8}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'factor': unknown param")));
  auto options = MfOptions::FromJson({{"factors", 16}, {"implicit", true}});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->factors, 16);
  EXPECT_TRUE(options->implicit);
  EXPECT_EQ(MfOptions::FromJson(options->ToJson())->ToJson(), options->ToJson());
  // Fit re-checks options set in code.
  MfOptions bad;
  bad.reg_factors = -1;
  MfRecommender model(bad);
  EXPECT_THAT(model.Fit(TwoTastes(), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'reg_factors'")));
}

TEST(MfTest, DeterministicUnderASeed) {
  for (bool implicit : {false, true}) {
    MfOptions options = SmallOptions();
    options.implicit = implicit;
    MfRecommender first(options), second(options), other(options);
    const UserHistories train = TwoTastes();
    ASSERT_TRUE(first.Fit(train, {.seed = 11}).ok());
    ASSERT_TRUE(second.Fit(train, {.seed = 11}).ok());
    ASSERT_TRUE(other.Fit(train, {.seed = 12}).ok());
    const float a = first.PredictRating({-1, train.user(0)}, 3);
    const float b = second.PredictRating({-1, train.user(0)}, 3);
    const float c = other.PredictRating({-1, train.user(0)}, 3);
    EXPECT_EQ(std::memcmp(&a, &b, sizeof(float)), 0);
    EXPECT_NE(a, c) << "another seed, another model";
  }
}

}  // namespace
}  // namespace tailor
