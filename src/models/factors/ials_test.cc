// Tests of the ials model and its solver: the CG sweep against the exact (Cholesky) solution,
// thread-count independence, a two-block fixture with a known answer, fold-in at request
// time, determinism, params.
#include "models/factors/ials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "models/model_testing.h"
#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Lt;

Interaction At(int32_t item, float weight = 1.0f) {
  return Interaction{.item = item, .weight = weight};
}

// Two disjoint blocks: users 0..5 use items 0..5, users 6..11 use items 6..11; user u has
// every item of their block but one (item u % 12, the held-out diagonal), so each user's best
// unseen item is the missing one of their block.
constexpr int32_t kBlockUsers = 12;
constexpr int32_t kBlockItems = 12;
UserHistories TwoBlocks() {
  std::vector<std::vector<Interaction>> lists(kBlockUsers);
  for (int32_t user_idx = 0; user_idx < kBlockUsers; ++user_idx) {
    const int32_t first = user_idx < 6 ? 0 : 6;
    for (int32_t item_idx = first; item_idx < first + 6; ++item_idx) {
      if (item_idx != user_idx) lists[user_idx].push_back(At(item_idx));
    }
  }
  return UserHistories::FromLists(kBlockItems, lists);
}

IalsOptions SmallOptions() {
  IalsOptions options;
  options.factors = 8;
  options.iterations = 10;
  return options;
}

std::unique_ptr<IalsRecommender> Fitted(const UserHistories& train, const IalsOptions& options,
                                        int threads = 1, uint64_t seed = 42) {
  return FitModel<IalsRecommender>(train, options, threads, seed);
}

int32_t ArgMaxExcluding(const std::vector<float>& scores, std::span<const Interaction> seen) {
  int32_t best = -1;
  for (int32_t item_idx = 0; item_idx < static_cast<int32_t>(scores.size()); ++item_idx) {
    bool is_seen = false;
    for (const Interaction& interaction : seen) is_seen |= interaction.item == item_idx;
    if (!is_seen && (best < 0 || scores[item_idx] > scores[best])) best = item_idx;
  }
  return best;
}

// A random sparse problem for the solver: `rows` rows over `cols` fixed rows of k factors.
struct SolverProblem {
  FactorMatrix fixed;
  CsrMatrix rows;
  AlignedFloats gram;
};

SolverProblem RandomProblem(int32_t rows, int32_t cols, int32_t k, uint64_t seed) {
  SolverProblem problem;
  problem.fixed = FactorMatrix(cols, k);
  problem.fixed.FillNormal(0.5f, seed);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<float> weight(0.5f, 20.0f);
  problem.rows.rows = rows;
  problem.rows.cols = cols;
  for (int32_t row = 0; row < rows; ++row) {
    for (int32_t col = 0; col < cols; ++col) {
      if ((rng() % 4) == 0 || col == row % cols) {
        problem.rows.indices.push_back(col);
        problem.rows.values.push_back(weight(rng));
      }
    }
    problem.rows.indptr.push_back(problem.rows.nnz());
  }
  ThreadPool pool(1);
  ComputeGram(problem.fixed, {}, pool, problem.gram);
  return problem;
}

float Distance(const float* a, const float* b, int32_t n) {
  double sum = 0.0;
  for (int32_t pos = 0; pos < n; ++pos) sum += (a[pos] - b[pos]) * (a[pos] - b[pos]);
  return static_cast<float>(std::sqrt(sum));
}

TEST(IalsSolverTest, GramMatchesTheDefinitionAndIgnoresThreads) {
  FactorMatrix factors(3000, 20);  // several chunks, k not a multiple of 16
  factors.FillNormal(1.0f, 3);
  std::vector<float> weights(3000, 2.0f);
  AlignedFloats one, two;
  ThreadPool single(1), pair(2);
  const double weighted_one = ComputeGram(factors, weights, single, one);
  const double weighted_two = ComputeGram(factors, weights, pair, two);
  ASSERT_EQ(one.size(), 32u * 32u);
  EXPECT_EQ(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)), 0);
  EXPECT_EQ(weighted_one, weighted_two);
  double norms = 0.0;
  for (int32_t a = 0; a < 20; ++a) {
    for (int32_t b = 0; b < 20; ++b) {
      double dot = 0.0;
      for (int32_t row = 0; row < 3000; ++row) dot += factors.row(row)[a] * factors.row(row)[b];
      EXPECT_NEAR(one[a * 32 + b], dot, 1e-3 * (1 + std::abs(dot))) << a << "," << b;
    }
    norms += one[a * 32 + a];
  }
  EXPECT_NEAR(weighted_one, 2.0 * norms, 1e-6 * norms);
  for (int32_t a = 0; a < 32; ++a) {
    for (int32_t b = 20; b < 32; ++b) EXPECT_EQ(one[a * 32 + b], 0.0f) << "padding";
  }
}

TEST(IalsSolverTest, ConjugateGradientApproachesTheExactSolution) {
  constexpr int32_t kFactors = 12;
  const SolverProblem problem = RandomProblem(40, 30, kFactors, 5);
  std::vector<float> lambda(40, 0.5f);
  FactorMatrix start(40, kFactors);
  start.FillNormal(0.1f, 9);
  ThreadPool pool(1);
  std::vector<float> error_by_steps;
  for (int steps : {1, 3, 6, 40}) {
    FactorMatrix x = start;
    CgSweep(problem.rows, problem.fixed, problem.gram, lambda, steps, pool, x);
    double total = 0.0;
    for (int32_t row = 0; row < 40; ++row) {
      std::vector<float> exact(16);
      auto cols = problem.rows.row_indices(row);
      auto weights = problem.rows.row_values(row);
      ASSERT_TRUE(SolveRowExact(problem.fixed, problem.gram, 0.5f, cols, weights, exact.data()));
      EXPECT_EQ(exact[kFactors], 0.0f);
      total += Distance(x.row(row), exact.data(), kFactors);
      if (steps == 40) {
        for (int32_t c = 0; c < kFactors; ++c) {
          EXPECT_NEAR(x.row(row)[c], exact[c], 2e-3f * (1.0f + std::abs(exact[c])))
              << "row " << row << " factor " << c;
        }
      }
    }
    error_by_steps.push_back(static_cast<float>(total));
  }
  // CG's error shrinks with every step (Hestenes-Stiefel); many steps reach the exact solve.
  EXPECT_GT(error_by_steps[0], error_by_steps[1]);
  EXPECT_GT(error_by_steps[1], error_by_steps[2]);
  EXPECT_GT(error_by_steps[2], error_by_steps[3]);
}

TEST(IalsSolverTest, SweepIsBitIdenticalForAnyThreadCount) {
  // More rows than one block, k = 70 (five registers, the last one partly padding).
  const SolverProblem problem = RandomProblem(100, 50, 70, 11);
  std::vector<float> lambda(100, 1.0f);
  FactorMatrix one(100, 70);
  one.FillNormal(0.1f, 1);
  FactorMatrix two = one;
  ThreadPool single(1), pair(2);
  CgSweepResult a = CgSweep(problem.rows, problem.fixed, problem.gram, lambda, 3, single, one);
  CgSweepResult b = CgSweep(problem.rows, problem.fixed, problem.gram, lambda, 3, pair, two);
  EXPECT_EQ(a.observed_loss, b.observed_loss);
  EXPECT_EQ(a.regularization, b.regularization);
  for (int32_t row = 0; row < 100; ++row) {
    ASSERT_EQ(std::memcmp(one.row(row), two.row(row), sizeof(float) * one.stride()), 0) << row;
    for (int32_t c = 70; c < one.stride(); ++c) ASSERT_EQ(one.row(row)[c], 0.0f) << "padding";
  }
}

TEST(IalsSolverTest, SweepReportsTheLossTermsAtEntry) {
  // One row, one entry: x = (1, 0), y = (0.5, 0), w = 3 -> d = 0.5, c = 4:
  // observed = 4 * 0.25 - 0.25 = 0.75; regularization = 2 * |x|^2 = 2.
  FactorMatrix fixed(1, 2);
  fixed.row(0)[0] = 0.5f;
  CsrMatrix rows;
  rows.rows = 1;
  rows.cols = 1;
  rows.indptr = {0, 1};
  rows.indices = {0};
  rows.values = {3.0f};
  FactorMatrix x(1, 2);
  x.row(0)[0] = 1.0f;
  AlignedFloats gram;
  ThreadPool pool(1);
  ComputeGram(fixed, {}, pool, gram);
  std::vector<float> lambda = {2.0f};
  CgSweepResult result = CgSweep(rows, fixed, gram, lambda, 2, pool, x);
  EXPECT_NEAR(result.observed_loss, 0.75, 1e-6);
  EXPECT_NEAR(result.regularization, 2.0, 1e-6);
  // A = 0.25 + 2 + 3 * 0.25 = 3, b = 4 * 0.5 = 2: x = 2/3 on the first factor.
  EXPECT_NEAR(x.row(0)[0], 2.0f / 3.0f, 1e-6);
  EXPECT_EQ(x.row(0)[1], 0.0f);
}

TEST(IalsTest, UsersGetTheMissingItemOfTheirBlock) {
  const UserHistories train = TwoBlocks();
  auto model = Fitted(train, SmallOptions());
  for (int32_t user_idx = 0; user_idx < kBlockUsers; ++user_idx) {
    std::vector<float> scores(kBlockItems);
    model->Score({user_idx, train.user(user_idx)}, scores);
    EXPECT_EQ(ArgMaxExcluding(scores, train.user(user_idx)), user_idx) << "user " << user_idx;
    // Every item of the user's block outscores every item of the other block.
    const int32_t first = user_idx < 6 ? 0 : 6;
    float lowest_in_block = scores[first];
    float highest_outside = scores[(first + 6) % 12];
    for (int32_t offset = 0; offset < 6; ++offset) {
      lowest_in_block = std::min(lowest_in_block, scores[first + offset]);
      highest_outside = std::max(highest_outside, scores[(first + 6 + offset) % 12]);
    }
    EXPECT_GT(lowest_in_block, highest_outside) << "user " << user_idx;
  }
  std::vector<float> similar(kBlockItems);
  model->SimilarItems(7, similar);
  for (int32_t item_idx = 0; item_idx < 6; ++item_idx) {
    for (int32_t other = 6; other < 12; ++other) {
      if (other != 7) EXPECT_GT(similar[other], similar[item_idx]) << other << " vs " << item_idx;
    }
  }
}

TEST(IalsTest, FoldInUsesTheHistoryAtRequestTime) {
  auto model = Fitted(TwoBlocks(), SmallOptions());
  std::vector<float> scores(kBlockItems + 2);
  // An unknown user: nothing known -> popularity (every trained item has 5 shoppers).
  model->Score({-1, {}}, scores);
  EXPECT_THAT(std::vector<float>(scores.begin(), scores.begin() + kBlockItems), Each(5.0f));
  // One event in the second block: that block leads, and the new items rank last.
  std::vector<Interaction> history = {At(8)};
  model->Score({-1, history}, scores);
  EXPECT_GE(ArgMaxExcluding(scores, history), 6);
  EXPECT_LT(scores[2], scores[9]);
  const float lowest = *std::min_element(scores.begin(), scores.begin() + kBlockItems);
  EXPECT_LE(scores[kBlockItems], lowest);
  EXPECT_LE(scores[kBlockItems + 1], lowest);
  // A known user of the first block whose latest events are in the second: fold-in follows
  // the current history, not the user's training rows.
  std::vector<Interaction> moved = {At(1), At(7), At(8), At(9), At(10), At(11)};
  model->Score({1, moved}, scores);
  EXPECT_EQ(ArgMaxExcluding(scores, moved), 6);
  // Scores are x . y_i for the folded-in x.
  std::vector<float> user;
  ASSERT_TRUE(model->FoldIn(moved, &user));
  ASSERT_EQ(user.size(), 8u);
  for (int32_t item_idx = 0; item_idx < kBlockItems; ++item_idx) {
    EXPECT_FLOAT_EQ(scores[item_idx], Dot(model->item_factors().row(item_idx), user.data(), 8));
  }
  EXPECT_EQ(model->Explain({-1, history}, 9), "similar to {item:8} in your history");
  EXPECT_EQ(model->Explain({-1, {}}, 9), "popular in the shop (5 shoppers)");
}

TEST(IalsTest, HeavierEventsWeighMore) {
  auto model = Fitted(TwoBlocks(), SmallOptions());
  std::vector<float> light(kBlockItems), heavy(kBlockItems);
  // A view in each block; then the same with a purchase (weight 5) on the second-block item.
  model->Score({-1, std::vector<Interaction>{At(0), At(6)}}, light);
  model->Score({-1, std::vector<Interaction>{At(0), At(6, 5.0f)}}, heavy);
  EXPECT_GT(heavy[7] - heavy[1], light[7] - light[1]);
}

TEST(IalsTest, DeterministicUnderASeedForAnyThreadCount) {
  const UserHistories train = TwoBlocks();
  auto one = Fitted(train, SmallOptions(), /*threads=*/1, /*seed=*/7);
  auto two = Fitted(train, SmallOptions(), /*threads=*/2, /*seed=*/7);
  auto other = Fitted(train, SmallOptions(), /*threads=*/1, /*seed=*/8);
  const FactorMatrix& a = one->item_factors();
  const FactorMatrix& b = two->item_factors();
  bool differs = false;
  for (int32_t item_idx = 0; item_idx < kBlockItems; ++item_idx) {
    EXPECT_EQ(std::memcmp(a.row(item_idx), b.row(item_idx), sizeof(float) * a.stride()), 0)
        << item_idx;
    differs |= std::memcmp(a.row(item_idx), other->item_factors().row(item_idx),
                           sizeof(float) * a.stride()) != 0;
  }
  EXPECT_TRUE(differs) << "another seed gives other factors";
  EXPECT_EQ(one->stats().loss, two->stats().loss);
}

TEST(IalsTest, LossFallsAndOnEpochCanStop) {
  IalsOptions options = SmallOptions();
  options.iterations = 6;
  IalsRecommender model(options);
  std::vector<double> losses;
  std::vector<std::string> stages;
  FitOptions fit;
  fit.threads = 1;
  fit.progress = [&](const ProgressUpdate& update) { stages.push_back(update.stage); };
  fit.on_epoch = [&](int epoch, const Recommender& fitted) {
    losses.push_back(static_cast<const IalsRecommender&>(fitted).stats().loss);
    std::vector<float> scores(kBlockItems);
    fitted.Score({-1, std::vector<Interaction>{At(0)}}, scores);  // usable mid-training
    return epoch < 4;
  };
  ASSERT_TRUE(model.Fit(TwoBlocks(), fit).ok());
  ASSERT_EQ(losses.size(), 4u);
  for (size_t pos = 1; pos < losses.size(); ++pos) {
    EXPECT_LE(losses[pos], losses[pos - 1] * (1 + 1e-6)) << "iteration " << pos + 1;
  }
  EXPECT_THAT(stages, ElementsAre("ials iteration 1/6", "ials iteration 2/6", "ials iteration 3/6",
                                  "ials iteration 4/6"));
  nlohmann::json stats = model.fit_stats();
  EXPECT_EQ(stats["iterations"], 4);
  EXPECT_EQ(stats["factors"], 8);
  EXPECT_EQ(stats["threads"], 1);
  EXPECT_GT(stats["gflops"].get<double>(), 0.0);
  // Per iteration: Gram of 12 users and 12 items (8*9*24) and two sweeps of 12 rows with 60
  // non-zeros each, s = 3: 2 * (4 * 144 * 12 + 4 * 8 * 4 * 60 + 28 * 8 * 12).
  EXPECT_DOUBLE_EQ(stats["flops_per_iteration"].get<double>(),
                   8 * 9 * 24 + 2 * (4 * 144 * 12 + 4 * 8 * 4 * 60 + 28 * 8 * 12));
}

TEST(IalsTest, BadParamsNameTheField) {
  EXPECT_THAT(IalsOptions::FromJson({{"factors", 0}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("ials: param 'factors'")));
  EXPECT_THAT(IalsOptions::FromJson({{"regularization", 0}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'regularization'")));
  EXPECT_THAT(IalsOptions::FromJson({{"alpha", -1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'alpha'")));
  EXPECT_THAT(IalsOptions::FromJson({{"cg_steps", 0}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'cg_steps'")));
  EXPECT_THAT(IalsOptions::FromJson({{"log_confidence", 1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'log_confidence'")));
  EXPECT_THAT(IalsOptions::FromJson({{"lambda", 1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'lambda'")));
  IalsOptions direct;
  direct.iterations = 0;
  IalsRecommender model(direct);
  EXPECT_THAT(model.Fit(TwoBlocks(), {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'iterations'")));
  auto parsed = IalsOptions::FromJson({{"factors", 32}, {"alpha", 2.5}});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->factors, 32);
  EXPECT_EQ(parsed->alpha, 2.5);
  EXPECT_EQ(parsed->cg_steps, 3);
}

TEST(IalsTest, LoadRejectsFactorsThatDisagreeWithTheParams) {
  auto model = Fitted(TwoBlocks(), SmallOptions());
  BinaryWriter out;
  ASSERT_TRUE(model->SavePayload(out).ok());
  IalsOptions wider = SmallOptions();
  wider.factors = 16;
  IalsRecommender loaded(wider);
  BinaryReader in(out.buffer(), "model.tmodel");
  EXPECT_THAT(loaded.LoadPayload(in),
              StatusIs(StatusCode::kDataLoss, HasSubstr("8 factors, params say 16")));
}

}  // namespace
}  // namespace tailor
