// Offline recommendation metrics as pure functions, each checked against hand-computed values.
//
// Rank convention (shared with index/top_k.h): among the candidate items, the 0-based rank of
// item t with score s_t is
//     rank(t) = #{candidates c : s_c > s_t} + #{candidates c : s_c == s_t and c < t}
// so ties go to the lower item index, and a NaN score ranks below every number (NaNs among
// themselves by index). Only candidates count; a relevant item that is not a candidate (e.g.
// excluded because the user has seen it) has rank kUnranked and is a miss for every metric.
//
// Per-user ranking metrics take `ranks`: the ranks of the user's distinct relevant items, any
// order, kUnranked allowed. |rel| = ranks.size(); hits@K = #{r in ranks : r < K}.
//   HitRate@K   = 1 if hits@K > 0 else 0            (== Recall@K with one relevant item)
//   Recall@K    = hits@K / |rel|
//   Precision@K = hits@K / K
//   NDCG@K      = DCG@K / IDCG@K, DCG@K = sum_{r in ranks, r < K} 1 / log2(r + 2),
//                 IDCG@K = sum_{i = 0}^{min(|rel|, K) - 1} 1 / log2(i + 2)   (binary relevance)
//   MRR         = 1 / (min(ranks) + 1), 0 when every relevant item is unranked
//   MAP@K       = (1 / min(|rel|, K)) * sum_{j-th hit (1-based, by rank) at rank r < K} j / (r + 1)
//   AUC         = (1 / (|rel| * N)) * sum_{relevant t} (#non-relevant candidates scored below t
//                 + 0.5 * #non-relevant candidates scored equal to t), N = #non-relevant
//                 candidates; an unranked relevant item scores 0 pairs. 0.5 when N == 0.
// All return 0 for an empty `ranks` or k <= 0.
// Thread-safety: all functions are pure.
#ifndef TAILOR_EVAL_METRICS_H_
#define TAILOR_EVAL_METRICS_H_

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace tailor {

// Rank of a relevant item that is not among the candidates.
inline constexpr int64_t kUnranked = std::numeric_limits<int64_t>::max();

// Where the relevant items of one user sit in the ranking of the candidates.
struct RelevantRanks {
  std::vector<int64_t> ranks;               // [relevant idx] 0-based rank or kUnranked
  std::vector<int64_t> non_relevant_above;  // [relevant idx] non-relevant candidates scored higher
  std::vector<int64_t> non_relevant_tied;   // [relevant idx] non-relevant candidates scored equal
  int64_t num_candidates = 0;
  int64_t num_non_relevant = 0;  // candidates that are not relevant
};

// Ranks `relevant` (distinct item indexes) among the candidates: every item < scores.size()
// when `allowed` is empty, else the items with allowed[item] != 0 (`allowed` must then be as
// long as `scores`). A relevant item outside [0, scores.size()) or not allowed is kUnranked.
// Cost: O(items * |relevant|) for few relevant items, O(items log items) for many.
RelevantRanks RankRelevant(std::span<const float> scores, std::span<const int32_t> relevant,
                           std::span<const uint8_t> allowed = {});

double HitRateAtK(std::span<const int64_t> ranks, int k);
double RecallAtK(std::span<const int64_t> ranks, int k);
double PrecisionAtK(std::span<const int64_t> ranks, int k);
double NdcgAtK(std::span<const int64_t> ranks, int k);
double ReciprocalRank(std::span<const int64_t> ranks);
double AveragePrecisionAtK(std::span<const int64_t> ranks, int k);
// AUC of one user from RankRelevant's pair counts (formula above).
double Auc(const RelevantRanks& ranked);

// Rating error over paired predictions and truths (same length; 0 when empty).
//   RMSE = sqrt(mean((p - y)^2)),  MAE = mean(|p - y|)
double Rmse(std::span<const float> predicted, std::span<const float> actual);
double Mae(std::span<const float> predicted, std::span<const float> actual);

// Catalogue metrics over every user's top-K list. `rec_counts[item]` = how many lists contain
// the item, over the whole catalogue (zeros included; size = catalogue size).
//   Coverage = #{items : rec_counts > 0} / catalogue size
//   Gini     = sum_{i=1}^{n} (2i - n - 1) c_(i) / (n * sum c), c_(1) <= ... <= c_(n) sorted
//              ascending: 0 when every item is recommended equally often, (n-1)/n when one
//              item takes every slot. 0 when nothing was recommended.
//   Novelty  = (1 / sum c) * sum_i c_i * -log2(max(pop_i, 1) / num_users)  (Zhou et al. 2010,
//              mean self-information per recommended slot) where pop_i = #training users who
//              interacted with item i; an item no one interacted with counts as one user.
double ItemCoverage(std::span<const int64_t> rec_counts);
double GiniIndex(std::span<const int64_t> rec_counts);
double Novelty(std::span<const int64_t> rec_counts, std::span<const int64_t> item_popularity,
               int64_t num_users);
// Helper: rec_counts from top-K lists (item indexes < num_items; others are ignored).
std::vector<int64_t> RecommendationCounts(const std::vector<std::vector<int32_t>>& lists,
                                          int32_t num_items);

// Classification quality over paired labels (same length, each in [0, classes)):
//   accuracy = #{i : predicted_i == truth_i} / n
//   macro F1 = mean over the classes that occur in truth or predictions of
//              F1_c = 2 tp_c / (2 tp_c + fp_c + fn_c)
// Both 0 when there are no pairs.
struct ClassificationScores {
  double accuracy = 0.0;
  double macro_f1 = 0.0;
};
ClassificationScores ScoreClassification(std::span<const int32_t> truth,
                                         std::span<const int32_t> predicted, int32_t classes);

}  // namespace tailor

#endif  // TAILOR_EVAL_METRICS_H_
