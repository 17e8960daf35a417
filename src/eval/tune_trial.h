// One trial of `tailor tune`: fit a model with candidate params on the validation split's
// training part and measure one ranking metric on the validation targets (eval/
// ranking_evaluator.h), stopping iterative models early (eval/early_stopping.h) through
// FitOptions::on_epoch. The test targets never reach this code: callers pass
// SplitLeaveOneOut(...).valid.
// Thread-safety: RunTrial may run concurrently on different models; it uses the threads the
// options ask for.
#ifndef TAILOR_EVAL_TUNE_TRIAL_H_
#define TAILOR_EVAL_TUNE_TRIAL_H_

#include <limits>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "dataset/splits.h"
#include "eval/early_stopping.h"
#include "eval/ranking_evaluator.h"
#include "models/recommender.h"
#include "tailor/status.h"

namespace tailor {

// The objective: one per-user ranking metric of the evaluator (higher is better).
struct TuneMetric {
  std::string name = "ndcg@10";  // key of RankingEvalResult::metrics
  int k = 10;                    // the cut-off to evaluate (10 for mrr/auc, which have none)
};

// Parses "ndcg@10", "recall@20", "hr@5", "precision@10", "map@10", "mrr" or "auc".
// Errors: kInvalidArgument naming the accepted forms.
StatusOr<TuneMetric> ParseTuneMetric(std::string_view text);

struct TrialOptions {
  TuneMetric metric;
  // The protocol: exclude_seen, max_users, seed (the user sample: keep it fixed across trials
  // so they are compared on the same users), threads. ks, curve_max_k and progress are
  // overridden.
  RankingEvalOptions eval;
  EarlyStoppingOptions early_stopping;
  FitOptions fit;  // threads, seed, progress; on_epoch is set by RunTrial
};

struct TrialOutcome {
  double metric = std::numeric_limits<double>::quiet_NaN();  // best validation value
  int best_epoch = 0;     // epoch `metric` was measured after; 0 for non-iterative models
  int epochs_run = 0;     // epochs the model reported through on_epoch (0 = not iterative)
  bool stopped_early = false;
  double seconds = 0.0;   // fitting plus validation
  // model.params(), with "epochs" or "iterations" (whichever the model has) set to best_epoch
  // for iterative models, so training with these params reproduces the measured model.
  nlohmann::json params;
};

// Fits `model` (unfitted, made with the candidate params) on valid.train and measures
// options.metric on valid.targets: after every eval_every-th epoch for iterative models (the
// best measurement counts, and the last epoch is always measured), once after Fit otherwise.
// Errors: the model's Fit errors (e.g. kInvalidArgument, kResourceExhausted) and the
// evaluator's; kInvalidArgument when the evaluator does not produce the metric.
StatusOr<TrialOutcome> RunTrial(Recommender& model, const Split& valid,
                                const TrialOptions& options);

}  // namespace tailor

#endif  // TAILOR_EVAL_TUNE_TRIAL_H_
