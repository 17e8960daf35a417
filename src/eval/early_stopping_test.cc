#include "eval/early_stopping.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tailor {
namespace {

// Feeds metrics for epochs 1, 2, ... until Observe says stop; returns the epochs observed.
int Feed(EarlyStopping& stopping, const std::vector<double>& metrics) {
  int epoch = 0;
  for (double metric : metrics) {
    ++epoch;
    if (!stopping.Observe(epoch, metric)) break;
  }
  return epoch;
}

TEST(EarlyStoppingTest, StopsAfterPatienceMeasurementsWithoutImprovement) {
  EarlyStopping stopping({.patience = 2, .eval_every = 1});
  // Epoch 3 is the best; 4 and 5 do not beat it (an equal value is not an improvement).
  EXPECT_EQ(Feed(stopping, {0.1, 0.3, 0.4, 0.4, 0.35, 0.9}), 5);
  EXPECT_TRUE(stopping.stopped());
  EXPECT_EQ(stopping.best_epoch(), 3);
  EXPECT_DOUBLE_EQ(stopping.best_metric(), 0.4);
  EXPECT_EQ(stopping.evaluations(), 5);
  EXPECT_EQ(stopping.last_epoch(), 5);
}

TEST(EarlyStoppingTest, ImprovementResetsThePatience) {
  EarlyStopping stopping({.patience = 2, .eval_every = 1});
  EXPECT_EQ(Feed(stopping, {0.1, 0.05, 0.2, 0.1, 0.3, 0.2}), 6);
  EXPECT_FALSE(stopping.stopped());  // ran out of epochs first
  EXPECT_EQ(stopping.best_epoch(), 5);
}

TEST(EarlyStoppingTest, ZeroPatienceNeverStopsButTracksTheBest) {
  EarlyStopping stopping({.patience = 0, .eval_every = 1});
  EXPECT_EQ(Feed(stopping, {0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}), 7);
  EXPECT_FALSE(stopping.stopped());
  EXPECT_EQ(stopping.best_epoch(), 1);
}

TEST(EarlyStoppingTest, NanNeverImproves) {
  EarlyStopping stopping({.patience = 2, .eval_every = 1});
  EXPECT_TRUE(stopping.Observe(1, std::nan("")));  // a diverged epoch counts against patience
  EXPECT_EQ(stopping.best_epoch(), 0);
  EXPECT_TRUE(std::isnan(stopping.best_metric()));
  EXPECT_TRUE(stopping.Observe(2, 0.2));
  EXPECT_TRUE(stopping.Observe(3, std::nan("")));
  EXPECT_FALSE(stopping.Observe(4, std::nan("")));
  EXPECT_EQ(stopping.best_epoch(), 2);
  EXPECT_DOUBLE_EQ(stopping.best_metric(), 0.2);
}

TEST(EarlyStoppingTest, EvaluatesEveryNthEpoch) {
  EarlyStopping every_third({.patience = 3, .eval_every = 3});
  std::vector<int> evaluated;
  for (int epoch = 1; epoch <= 10; ++epoch) {
    if (every_third.ShouldEvaluate(epoch)) evaluated.push_back(epoch);
  }
  EXPECT_EQ(evaluated, (std::vector<int>{3, 6, 9}));
  EarlyStopping every({.patience = 3, .eval_every = 1});
  EXPECT_TRUE(every.ShouldEvaluate(1));
  EXPECT_TRUE(every.ShouldEvaluate(2));
}

}  // namespace
}  // namespace tailor
