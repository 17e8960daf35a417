#include "eval/tune_trial.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

// An "iterative model" whose quality per epoch is scripted: after epoch e it ranks item 0
// (every user's validation target) at position rank_after_epoch[e - 1] among the 4 items, so
// NDCG@10 after epoch e is 1 / log2(rank + 2): rank 0 -> 1, 1 -> 0.631, 2 -> 0.5, 3 -> 0.431.
// With no script it is a one-shot model ranking item 0 second.
class ScriptedModel : public Recommender {
 public:
  explicit ScriptedModel(std::vector<int> rank_after_epoch)
      : rank_after_epoch_(std::move(rank_after_epoch)) {}

  std::string name() const override { return "scripted"; }
  nlohmann::json params() const override {
    return {{"epochs", rank_after_epoch_.size()}, {"factors", 8}};
  }
  Status Fit(const UserHistories& train, const FitOptions& options) override {
    num_items_ = train.num_items;
    if (rank_after_epoch_.empty()) {
      rank_ = 1;
      return OkStatus();
    }
    for (size_t epoch = 1; epoch <= rank_after_epoch_.size(); ++epoch) {
      rank_ = rank_after_epoch_[epoch - 1];
      ++epochs_trained_;
      if (options.on_epoch && !options.on_epoch(static_cast<int>(epoch), *this)) break;
    }
    return OkStatus();
  }
  int32_t num_items() const override { return num_items_; }
  void Score(const Query&, std::span<float> scores) const override {
    // Items 1, 2, 3 in that order, item 0 inserted at position rank_.
    int position = 0;
    for (size_t item_idx = 1; item_idx < scores.size(); ++item_idx) {
      if (position == rank_) ++position;
      scores[item_idx] = -static_cast<float>(position++);
    }
    scores[0] = -static_cast<float>(rank_);
  }
  void SimilarItems(int32_t, std::span<float> scores) const override {
    std::fill(scores.begin(), scores.end(), 0.0f);
  }
  std::string Explain(const Query&, int32_t) const override { return ""; }
  Status SavePayload(BinaryWriter&) const override { return OkStatus(); }
  Status LoadPayload(BinaryReader&) override { return OkStatus(); }

  int epochs_trained() const { return epochs_trained_; }

 private:
  std::vector<int> rank_after_epoch_;
  int rank_ = 0;
  int epochs_trained_ = 0;
  int32_t num_items_ = 0;
};

// Two users over 4 items, both with validation target item 0.
Split TwoUserSplit() {
  Split split;
  std::vector<Interaction> history = {{1, 0, 1.0f, 0.0f, 100}, {2, 0, 1.0f, 0.0f, 101}};
  split.train = UserHistories::FromLists(4, {history, history});
  split.targets = {{0}, {0}};
  return split;
}

TrialOptions Options(int patience, int eval_every) {
  TrialOptions options;
  options.early_stopping.patience = patience;
  options.early_stopping.eval_every = eval_every;
  options.eval.threads = 1;
  options.fit.threads = 1;
  return options;
}

TEST(ParseTuneMetricTest, AcceptsTheEvaluatorsPerUserMetrics) {
  ASSERT_TRUE(ParseTuneMetric("ndcg@10").ok());
  EXPECT_EQ(ParseTuneMetric("ndcg@10")->k, 10);
  EXPECT_EQ(ParseTuneMetric("recall@20")->name, "recall@20");
  EXPECT_EQ(ParseTuneMetric("recall@20")->k, 20);
  EXPECT_EQ(ParseTuneMetric("mrr")->name, "mrr");
  for (const char* bad : {"ndcg", "ndcg@", "ndcg@0", "ndcg@10x", "coverage@10", "NDCG@10", ""}) {
    EXPECT_THAT(ParseTuneMetric(bad).status(),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("--metric"))) << bad;
  }
}

TEST(RunTrialTest, StopsEarlyAndRecordsTheBestEpochInTheParams) {
  const Split split = TwoUserSplit();
  // NDCG by epoch: 0.431, 0.631, 1.0 (best), 0.5, 0.5 -> stop after epoch 5 with patience 2.
  ScriptedModel model({3, 1, 0, 2, 2, 0, 0, 0, 0, 0});
  StatusOr<TrialOutcome> outcome = RunTrial(model, split, Options(2, 1));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_DOUBLE_EQ(outcome->metric, 1.0);
  EXPECT_EQ(outcome->best_epoch, 3);
  EXPECT_EQ(outcome->epochs_run, 5);
  EXPECT_TRUE(outcome->stopped_early);
  EXPECT_EQ(model.epochs_trained(), 5);
  EXPECT_EQ(outcome->params["epochs"], 3);
  EXPECT_EQ(outcome->params["factors"], 8);
}

TEST(RunTrialTest, EvalEveryMeasuresEveryNthEpochAndTheLastOne) {
  const Split split = TwoUserSplit();
  // Measured after epochs 2 (0.431), 4 (0.631) and the last, 5 (0.5); epoch 1's perfect
  // ranking is never measured.
  ScriptedModel model({0, 3, 3, 1, 2});
  StatusOr<TrialOutcome> outcome = RunTrial(model, split, Options(0, 2));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_NEAR(outcome->metric, 1.0 / std::log2(3.0), 1e-9);
  EXPECT_EQ(outcome->best_epoch, 4);
  EXPECT_EQ(outcome->epochs_run, 5);
  EXPECT_FALSE(outcome->stopped_early);
  EXPECT_EQ(outcome->params["epochs"], 4);
}

TEST(RunTrialTest, OneShotModelIsMeasuredOnceAfterFit) {
  const Split split = TwoUserSplit();
  ScriptedModel model({});
  TrialOptions options = Options(3, 1);
  options.metric = *ParseTuneMetric("mrr");
  StatusOr<TrialOutcome> outcome = RunTrial(model, split, options);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_DOUBLE_EQ(outcome->metric, 0.5);  // item 0 ranked second
  EXPECT_EQ(outcome->best_epoch, 0);
  EXPECT_EQ(outcome->epochs_run, 0);
  EXPECT_EQ(outcome->params["epochs"], 0);  // untouched
}

TEST(RunTrialTest, EvaluatorErrorsEndTheTrial) {
  Split split = TwoUserSplit();
  split.targets.pop_back();  // targets for 1 user, 2 training users
  ScriptedModel model({0, 0, 0});
  EXPECT_THAT(RunTrial(model, split, Options(2, 1)).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("validation after an epoch")));
  EXPECT_EQ(model.epochs_trained(), 1);
}

}  // namespace
}  // namespace tailor
