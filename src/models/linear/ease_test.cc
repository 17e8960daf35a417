#include "models/linear/ease.h"

#include <cblas.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

Interaction At(int32_t item, float weight = 1.0f) {
  return Interaction{.item = item, .weight = weight};
}

// 8 items: item 6 co-occurs only with 5, item 7 has no interactions, so the greedy independent
// set eliminates some items in closed form and the rest go through LAPACK. Item 4 is repeated
// (summed with binary = false).
UserHistories Sparse() {
  return UserHistories::FromLists(8, {{At(0), At(1), At(2)},
                                      {At(1), At(2), At(3)},
                                      {At(2), At(3), At(4, 2.0f), At(4, 0.5f)},
                                      {At(0), At(2), At(5)},
                                      {At(5), At(6, 3.0f)},
                                      {At(1), At(3)},
                                      {At(2)}});
}

// Every pair of the 4 items co-occurs: only one item can be eliminated.
UserHistories Complete() {
  return UserHistories::FromLists(
      4,
      {{At(0), At(1), At(2), At(3)}, {At(0), At(1)}, {At(2), At(3), At(0)}, {At(1), At(3), At(2)}});
}

// The reference: B = I - P diag(1/diag(P)), P = (X^T X + lambda I)^-1 by Gauss-Jordan with
// partial pivoting in double precision, straight from the paper's formula.
std::vector<std::vector<double>> ReferenceB(const UserHistories& train, double lambda,
                                            bool binary) {
  const int n = train.num_items;
  std::vector<std::vector<double>> x(train.num_users, std::vector<double>(n, 0.0));
  for (int32_t user_idx = 0; user_idx < train.num_users; ++user_idx) {
    for (const Interaction& interaction : train.user(user_idx)) {
      double& cell = x[user_idx][interaction.item];
      cell = binary ? 1.0 : cell + interaction.weight;
    }
  }
  std::vector<std::vector<double>> a(n, std::vector<double>(2 * n, 0.0));
  for (int row = 0; row < n; ++row) {
    for (int col = 0; col < n; ++col) {
      for (const auto& user : x) a[row][col] += user[row] * user[col];
    }
    a[row][row] += lambda;
    a[row][n + row] = 1.0;
  }
  for (int col = 0; col < n; ++col) {
    int best = col;
    for (int row = col + 1; row < n; ++row)
      if (std::fabs(a[row][col]) > std::fabs(a[best][col])) best = row;
    std::swap(a[col], a[best]);
    const double pivot = a[col][col];
    for (double& value : a[col]) value /= pivot;
    for (int row = 0; row < n; ++row) {
      if (row == col) continue;
      const double factor = a[row][col];
      for (int k = 0; k < 2 * n; ++k) a[row][k] -= factor * a[col][k];
    }
  }
  std::vector<std::vector<double>> b(n, std::vector<double>(n, 0.0));
  for (int row = 0; row < n; ++row) {
    for (int col = 0; col < n; ++col) {
      b[row][col] = row == col ? 0.0 : -a[row][n + col] / a[col][n + col];
    }
  }
  return b;
}

void ExpectMatchesReference(const UserHistories& train, const EaseOptions& options) {
  EaseRecommender model(options);
  FitOptions two_threads;
  two_threads.threads = 2;
  ASSERT_TRUE(model.Fit(train, two_threads).ok());
  ASSERT_TRUE(model.dense());
  const auto reference = ReferenceB(train, options.lambda, options.binary);
  for (int32_t from = 0; from < train.num_items; ++from) {
    for (int32_t to = 0; to < train.num_items; ++to) {
      EXPECT_NEAR(model.Weight(from, to), reference[from][to], 2e-5)
          << "B[" << from << "][" << to << "] lambda " << options.lambda;
    }
  }
}

TEST(EaseTest, MatchesGaussJordanWithEliminatedItems) {
  for (double lambda : {0.5, 2.0, 50.0})
    ExpectMatchesReference(Sparse(), {.lambda = lambda, .keep = 0});
  EaseRecommender model({.lambda = 2.0, .keep = 0});
  ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
  // Both halves of the solver ran: items 6 and 7 (at least) in closed form, some by Cholesky.
  EXPECT_GE(model.fit_stats()["eliminated"].get<int>(), 2);
  EXPECT_GT(model.fit_stats()["factorised"].get<int>(), 0);
  EXPECT_EQ(model.fit_stats()["items"].get<int>(), 8);
}

TEST(EaseTest, MatchesGaussJordanOnACompleteCooccurrenceGraph) {
  ExpectMatchesReference(Complete(), {.lambda = 1.0, .keep = 0});
  EaseRecommender model({.lambda = 1.0, .keep = 0});
  ASSERT_TRUE(model.Fit(Complete(), {}).ok());
  EXPECT_EQ(model.fit_stats()["eliminated"].get<int>(), 1);
}

TEST(EaseTest, WeightedUsesSummedEventWeights) {
  ExpectMatchesReference(Sparse(), {.lambda = 2.0, .binary = false, .keep = 0});
}

TEST(EaseTest, DiagonalIsZeroAndUnseenItemIsIsolated) {
  EaseRecommender model({.lambda = 2.0, .keep = 0});
  ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
  for (int32_t item_idx = 0; item_idx < 8; ++item_idx) {
    EXPECT_EQ(model.Weight(item_idx, item_idx), 0.0f) << item_idx;
    EXPECT_EQ(model.Weight(7, item_idx), 0.0f);
    EXPECT_EQ(model.Weight(item_idx, 7), 0.0f);
  }
}

TEST(EaseTest, ScoreSumsTheRowsOfTheDistinctHistoryItems) {
  EaseRecommender model({.lambda = 2.0, .keep = 0});
  ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
  // Item 2 twice counts once (binary); item 9 is unknown to the model and ignored.
  std::vector<Interaction> history = {At(2), At(9), At(5), At(2)};
  std::vector<float> scores(10, -1.0f);
  model.Score({-1, history}, scores);
  float lowest = scores[0];
  for (int32_t item_idx = 0; item_idx < 7; ++item_idx) {
    EXPECT_FLOAT_EQ(scores[item_idx], model.Weight(2, item_idx) + model.Weight(5, item_idx));
    lowest = std::min(lowest, scores[item_idx]);
  }
  // Item 7 has no weights: the popularity tie-break for 0, no shoppers -> -1e-9.
  EXPECT_FLOAT_EQ(scores[7], -1e-9f);
  lowest = std::min(lowest, scores[7]);
  EXPECT_EQ(scores[8], lowest);  // items added after training rank last
  EXPECT_EQ(scores[9], lowest);
  EXPECT_EQ(model.Explain({-1, history}, 0), "similar to {item:2} in your history");
}

TEST(EaseTest, ItemsWithoutWeightsFollowInPopularityOrder) {
  // keep = 1: item 6's row holds only item 5, so every other item scores 0 for history {6}.
  EaseRecommender model({.lambda = 2.0, .keep = 1});
  ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
  ASSERT_NE(model.Weight(6, 5), 0.0f);
  std::vector<Interaction> history = {At(6)};
  std::vector<float> scores(8);
  model.Score({-1, history}, scores);
  EXPECT_EQ(scores[5], model.Weight(6, 5));
  // Shoppers: item 2 has 5 (the most, tie-break 0), items 1 and 3 have 3, item 0 has 2,
  // items 4 and 6 have 1, item 7 none.
  EXPECT_EQ(scores[2], 0.0f);
  EXPECT_FLOAT_EQ(scores[1], -1e-9f * (1.0f - 3.0f / 5.0f));
  EXPECT_EQ(scores[1], scores[3]);
  EXPECT_LT(scores[0], scores[1]);
  EXPECT_LT(scores[4], scores[0]);
  EXPECT_LT(scores[7], scores[4]);
  EXPECT_GT(scores[5], 0.0f);
  model.SimilarItems(6, scores);
  EXPECT_EQ(scores[5], model.Weight(6, 5));
  EXPECT_LT(scores[0], scores[1]);
}

TEST(EaseTest, EmptyOrUnknownHistoryFallsBackToPopularity) {
  EaseRecommender model({.lambda = 2.0});
  ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
  std::vector<Interaction> unknown_only = {At(12)};
  for (std::span<const Interaction> history :
       {std::span<const Interaction>(), std::span<const Interaction>(unknown_only)}) {
    std::vector<float> scores(8);
    model.Score({-1, history}, scores);
    EXPECT_EQ(scores[2], 5.0f);  // the most shoppers: 5 interactions of weight 1
    EXPECT_EQ(scores[7], 0.0f);
    EXPECT_THAT(model.Explain({-1, history}, 2), HasSubstr("popular"));
  }
}

TEST(EaseTest, SimilarItemsIsTheItemsRow) {
  EaseRecommender model({.lambda = 2.0, .keep = 0});
  ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
  std::vector<float> scores(9);
  model.SimilarItems(5, scores);
  for (int32_t item_idx = 0; item_idx < 8; ++item_idx) {
    if (item_idx == 5 || item_idx == 7) {  // no weight: the popularity tie-break, below 0
      EXPECT_LE(scores[item_idx], 0.0f);
      EXPECT_GT(scores[item_idx], -1e-8f);
    } else {
      EXPECT_EQ(scores[item_idx], model.Weight(5, item_idx));
    }
  }
  EXPECT_GT(scores[6], 0.0f);  // 6 was only ever chosen with 5
  model.SimilarItems(8, scores);
  EXPECT_EQ(scores, std::vector<float>(9, 0.0f));
}

TEST(EaseTest, KeepPrunesEachRowToItsLargestWeights) {
  EaseRecommender full({.lambda = 2.0, .keep = 0});
  EaseRecommender pruned({.lambda = 2.0, .keep = 2});
  ASSERT_TRUE(full.Fit(Sparse(), {}).ok());
  ASSERT_TRUE(pruned.Fit(Sparse(), {}).ok());
  EXPECT_FALSE(pruned.dense());
  for (int32_t from = 0; from < 8; ++from) {
    std::vector<float> magnitudes;
    for (int32_t to = 0; to < 8; ++to) magnitudes.push_back(std::fabs(full.Weight(from, to)));
    std::sort(magnitudes.rbegin(), magnitudes.rend());
    int kept = 0;
    for (int32_t to = 0; to < 8; ++to) {
      float weight = pruned.Weight(from, to);
      if (weight == 0.0f) continue;
      ++kept;
      EXPECT_EQ(weight, full.Weight(from, to)) << from << " -> " << to;
      EXPECT_GE(std::fabs(weight), magnitudes[1]) << from << " -> " << to;
    }
    EXPECT_EQ(kept, std::min(2, static_cast<int>(std::count_if(magnitudes.begin(), magnitudes.end(),
                                                               [](float m) { return m > 0.0f; }))))
        << "row " << from;
  }
  // keep >= items - 1 keeps everything, densely.
  EaseRecommender all({.lambda = 2.0, .keep = 7});
  ASSERT_TRUE(all.Fit(Sparse(), {}).ok());
  EXPECT_TRUE(all.dense());
}

TEST(EaseTest, RestoresOpenBlasThreadCount) {
  const int before = openblas_get_num_threads();
  openblas_set_num_threads(1);
  EaseRecommender model({.lambda = 2.0});
  FitOptions two_threads;
  two_threads.threads = 2;
  ASSERT_TRUE(model.Fit(Complete(), two_threads).ok());
  EXPECT_EQ(openblas_get_num_threads(), 1);
  openblas_set_num_threads(before);
}

TEST(EaseTest, RefusesAboveMaxItemsBeforeAllocating) {
  // 250000 items would need 233 GiB: had Fit allocated, this test would die of it.
  UserHistories huge = UserHistories::FromLists(250000, {{At(0), At(1)}, {At(1), At(2)}});
  EaseRecommender model({.max_items = 40000});
  EXPECT_THAT(model.Fit(huge, {}),
              StatusIs(StatusCode::kResourceExhausted,
                       "ease: 250000 items would need 233 GiB for the dense item-item matrix; "
                       "the limit max_items is 40000, raise it or use ials"));
  EXPECT_EQ(model.num_items(), 0);
  EaseRecommender small({.max_items = 7});
  EXPECT_THAT(small.Fit(Sparse(), {}),
              StatusIs(StatusCode::kResourceExhausted, HasSubstr("8 items")));
}

TEST(EaseTest, NotPositiveDefiniteIsAClearError) {
  // Items 0 and 1 are always chosen together: X^T X is singular, and lambda 0 adds nothing.
  UserHistories twins = UserHistories::FromLists(3, {{At(0), At(1)}, {At(0), At(1), At(2)}});
  EaseRecommender model({.lambda = 0.0});
  EXPECT_THAT(model.Fit(twins, {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not positive definite")));
  EaseRecommender isolated({.lambda = 0.0});
  UserHistories unseen = UserHistories::FromLists(2, {{At(0)}});
  EXPECT_THAT(isolated.Fit(unseen, {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("item 1 has no interactions")));
}

TEST(EaseTest, SaveLoadRoundTripGivesIdenticalScores) {
  for (int keep : {0, 2}) {
    EaseRecommender model({.lambda = 2.0, .keep = keep});
    ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
    BinaryWriter out;
    ASSERT_TRUE(model.SavePayload(out).ok());
    BinaryReader in(out.buffer());
    EaseRecommender copy({.lambda = 2.0, .keep = keep});
    ASSERT_TRUE(copy.LoadPayload(in).ok());
    EXPECT_EQ(in.position(), out.buffer().size());
    EXPECT_EQ(copy.dense(), model.dense());
    std::vector<Interaction> history = {At(0), At(3), At(5)};
    std::vector<float> before(9), after(9);
    model.Score({-1, history}, before);
    copy.Score({-1, history}, after);
    EXPECT_EQ(std::memcmp(before.data(), after.data(), before.size() * sizeof(float)), 0)
        << "keep " << keep;
    for (int32_t from = 0; from < 8; ++from)
      for (int32_t to = 0; to < 8; ++to) EXPECT_EQ(copy.Weight(from, to), model.Weight(from, to));
  }
}

TEST(EaseTest, TruncatedPayloadIsDataLoss) {
  EaseRecommender model({.lambda = 2.0, .keep = 2});
  ASSERT_TRUE(model.Fit(Sparse(), {}).ok());
  BinaryWriter out;
  ASSERT_TRUE(model.SavePayload(out).ok());
  std::vector<uint8_t> bytes = out.buffer();
  bytes.resize(bytes.size() / 2);
  BinaryReader in(bytes);
  EaseRecommender copy;
  EXPECT_THAT(copy.LoadPayload(in), StatusIs(StatusCode::kDataLoss, HasSubstr("truncated")));
}

TEST(EaseTest, BadParamsAreRejected) {
  EXPECT_THAT(EaseOptions::FromJson({{"lambda", -1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'lambda'")));
  EXPECT_THAT(EaseOptions::FromJson({{"keep", -5}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'keep'")));
  EXPECT_THAT(EaseOptions::FromJson({{"max_items", 0}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'max_items'")));
  EXPECT_THAT(EaseOptions::FromJson({{"binary", "yes"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'binary'")));
  EXPECT_THAT(EaseOptions::FromJson({{"lamda", 10}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("lamda")));
  auto parsed = EaseOptions::FromJson({{"lambda", 250.0}, {"keep", 0}, {"max_items", 100}});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->lambda, 250.0);
  EXPECT_EQ(parsed->keep, 0);
  EXPECT_EQ(parsed->max_items, 100);
  EXPECT_EQ(EaseOptions::FromJson(parsed->ToJson())->ToJson(), parsed->ToJson());
}

}  // namespace
}  // namespace tailor
