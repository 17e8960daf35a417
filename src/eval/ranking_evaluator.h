// Offline top-K evaluation of a Recommender on a Split.
//
// For every evaluated user (non-empty targets) the model scores every item for
// Query{user, split.train.user(user)}; the targets (deduplicated) are ranked among the
// candidates by counting higher scores (rank convention and formulas in eval/metrics.h), and
// per-user metrics are averaged over users. Protocols:
//   full ranking      candidates = every item (minus the user's training items when
//                     exclude_seen) -- the S3-Rec / RecBole protocol.
//   sampled-N         candidates = the targets + N items drawn uniformly (seeded per user)
//                     from the items the user never interacted with (SASRec, ICDM 2018).
//                     Report it only beside full ranking: sampled metrics can reorder models.
//   seen items kept   the user's training items stay in the ranking (RecBole's default for
//                     sequential models); a target the user has already seen can then hit.
//   seen excluded     training items are removed; a target that is also a training item is
//                     then a miss (the BSARec/FMLP-Rec code family), unless
//                     skip_seen_targets drops those targets (eSASRec).
// Catalogue metrics (coverage/gini/novelty@K) use each user's top-K over the full ranking
// (with the exclude_seen mask) in both protocols; novelty's popularity = #training users per
// item.
// Results are deterministic for a given seed regardless of the thread count.
#ifndef TAILOR_EVAL_RANKING_EVALUATOR_H_
#define TAILOR_EVAL_RANKING_EVALUATOR_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/progress.h"
#include "dataset/splits.h"
#include "models/recommender.h"
#include "tailor/status.h"

namespace tailor {

struct RankingEvalOptions {
  std::vector<int> ks = {5, 10, 20};  // cut-offs for recall/ndcg/hr/precision/map/catalogue
  bool exclude_seen = false;          // remove the user's training items from the ranking
  bool skip_seen_targets = false;     // drop targets that are training items (users left
                                      // without targets are not evaluated)
  int sampled_negatives = 0;          // 0 = full ranking; N = target vs N unseen items
  int curve_max_k = 20;               // recall@k / ndcg@k recorded for k = 1..curve_max_k
  int threads = 0;                    // 0 = all cores
  int64_t max_users = 0;              // 0 = every user with targets; else a seeded sample
  uint64_t seed = 42;                 // negatives and the user sample
  // Lower bounds of the training-history-length buckets: {0,1,5,10,20,50} gives "0", "1-4",
  // "5-9", "10-19", "20-49", "50+". Must be ascending; the first must be 0.
  std::vector<int32_t> history_buckets = {0, 1, 5, 10, 20, 50};
  ProgressFn progress;  // may be empty; called from one thread at a time
};

// Users whose training history length falls in [min_length, max_length] (max_length -1 = no
// upper bound). `metrics` holds the per-user means ("recall@10", "ndcg@10", "mrr", ...).
struct HistoryBucket {
  std::string label;  // "5-9", "50+"
  int32_t min_length = 0;
  int32_t max_length = -1;
  int64_t users = 0;
  std::map<std::string, double> metrics;
};

struct RankingEvalResult {
  std::string model;            // label (model.name() by default; callers may rename)
  nlohmann::json model_params;  // model.params()
  std::string protocol;         // e.g. "full ranking over 12101 items, seen items kept"
  std::vector<int> ks;
  // Means over evaluated users: "recall@K", "ndcg@K", "hr@K", "precision@K", "map@K" for each
  // K in ks, "mrr", "auc"; and catalogue metrics "coverage@K", "gini@K", "novelty@K".
  std::map<std::string, double> metrics;
  std::vector<double> recall_curve;    // [k - 1] = recall@k, k = 1..curve_max_k
  std::vector<double> ndcg_curve;      // [k - 1] = ndcg@k
  std::vector<HistoryBucket> buckets;  // non-empty buckets only, ascending
  int64_t users_evaluated = 0;
  int64_t users_with_targets = 0;  // before max_users sampling
  int64_t targets_not_ranked = 0;  // targets removed from the ranking (seen + excluded)
  int32_t num_items = 0;
  double eval_seconds = 0.0;
};

// Evaluates `model` (fit on split.train) on split.targets. Thread-safe as long as the model
// is (Recommender's contract). Errors: kInvalidArgument for bad options (empty ks, k <= 0,
// negative counts, bad buckets), a split whose targets size differs from train.num_users, or
// a target item out of range (names the user); kFailedPrecondition when the model has 0
// items (not fitted) or more items than the split.
StatusOr<RankingEvalResult> EvaluateRanking(const Recommender& model, const Split& split,
                                            const RankingEvalOptions& options);

// The protocol sentence EvaluateRanking writes into RankingEvalResult::protocol.
std::string DescribeProtocol(const RankingEvalOptions& options, int32_t num_items,
                             int64_t users_evaluated, int64_t users_with_targets);

}  // namespace tailor

#endif  // TAILOR_EVAL_RANKING_EVALUATOR_H_
