// The cold-item protocol (GitHub issue 5, item 4): how well a method ranks items nobody has
// interacted with yet, from what it knows about the items (attributes, text).
//
// Split (SplitColdItems): the base is leave-one-out (dataset/splits.h: the test target is
// each user's last interaction, users with fewer than 3 interactions are not evaluated).
// round(cold_fraction * num_items) items are COLD: the first ones of a seeded Fisher-Yates
// shuffle of the item indexes 0..num_items-1 (rng = std::mt19937_64(seed); for pos =
// num_items-1 down to 1 swap pos with rng() % (pos + 1)), so the choice depends on the seed
// and the item count only. Every training interaction with a cold item is dropped from the
// training histories: no method sees a cold item's interactions, not even its popularity.
// Evaluated: the test events whose target is cold; the query history is the user's
// training history (cold items already removed, so it may be empty).
//
// Ranking (EvaluateColdItems): every item (warm and cold) is a candidate except the items of
// the query history (seen excluded; a cold target is never in it). Higher score first; ties
// go to the item with more training interactions, then to the lower item index. Per event,
// with r the 0-based rank of the target: ndcg@K = 1/log2(r + 2) if r < K else 0, recall@K =
// [r < K] (one relevant item; formulas in eval/metrics.h); metrics are means over events.
// Thread-safety: SplitColdItems and EvaluateColdItems are pure; scorers are read-only.
#ifndef TAILOR_EVAL_COLD_ITEMS_H_
#define TAILOR_EVAL_COLD_ITEMS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "dataset/histories.h"
#include "models/factors/factor_matrix.h"
#include "tailor/status.h"

namespace tailor {

struct ColdItemSplitOptions {
  double cold_fraction = 0.15;  // share of the items held out as cold, in (0, 1)
  uint64_t seed = 42;           // the shuffle that picks the cold items
};

struct ColdItemSplit {
  std::vector<uint8_t> is_cold;      // [item_idx] 1 = cold
  std::vector<int32_t> cold_items;   // ascending item indexes
  UserHistories train;               // leave-one-out training part, cold interactions dropped
  std::vector<int32_t> targets;      // [user_idx] cold test target, -1 = not evaluated
  int64_t test_events = 0;           // users with a leave-one-out test target (warm or cold)
  int64_t cold_test_events = 0;      // of those, targets that are cold (= evaluated)
  int64_t dropped_interactions = 0;  // training interactions with cold items removed
  int64_t empty_histories = 0;       // evaluated users whose query history is then empty
};

// Splits `histories` (chronological, all interactions). Errors: kInvalidArgument when
// cold_fraction is not in (0, 1) or rounds to no cold item or to every item.
StatusOr<ColdItemSplit> SplitColdItems(const UserHistories& histories,
                                       const ColdItemSplitOptions& options);

// A method of the protocol: scores every item for one query history. Implementations are
// immutable after creation and safe to call from many threads.
class ColdItemScorer {
 public:
  virtual ~ColdItemScorer() = default;
  // The method's name in reports ("popularity", "attributes", "text").
  virtual std::string name() const = 0;
  // One sentence: what the score is.
  virtual std::string description() const = 0;
  // Writes a score for every item into `scores` (size = the split's num_items; higher =
  // better). `history` is chronological and may be empty.
  virtual void Score(std::span<const Interaction> history, std::span<double> scores) const = 0;
};

// Training interactions per item (the tie-break and the popularity method).
std::vector<int64_t> TrainingCounts(const UserHistories& train);

// 0-based rank of `target` among the candidates (allowed[item] != 0) under the protocol's
// order: higher score, then higher tie_break, then lower index. kUnranked (eval/metrics.h)
// when the target is not a candidate. All spans have one entry per item.
int64_t ColdRank(std::span<const double> scores, std::span<const int64_t> tie_break,
                 std::span<const uint8_t> allowed, int32_t target);

struct ColdItemEvalOptions {
  std::vector<int> ks = {10, 20};  // cut-offs for ndcg@K and recall@K
  int threads = 0;                 // 0 = all cores; results do not depend on it
};

struct ColdItemEvalResult {
  std::string method;                     // scorer.name()
  std::string description;                // scorer.description()
  std::map<std::string, double> metrics;  // "ndcg@K", "recall@K" for each K, "mrr"
  int64_t test_events_evaluated = 0;
  double eval_seconds = 0.0;
};

// Ranks every evaluated event of `split` with `scorer` (protocol above). Errors:
// kInvalidArgument for empty ks or k <= 0; kFailedPrecondition when the split has no cold
// test event.
StatusOr<ColdItemEvalResult> EvaluateColdItems(const ColdItemScorer& scorer,
                                               const ColdItemSplit& split,
                                               const ColdItemEvalOptions& options);

// The protocol sentence of the reports: "cold items: 658 of 4385 items (15%, a seeded shuffle
// of the item indexes, seed 42) held out of training (their 7719 training interactions
// dropped); leave-one-out (last item = test), evaluated on the 1261 of 8442 test events whose
// target is cold, query = ...; full ranking over all 4385 items (warm and cold), seen items
// excluded; ties by training popularity, then item index".
std::string DescribeColdItemProtocol(const ColdItemSplit& split,
                                     const ColdItemSplitOptions& options);

// Where the `text` method's item embeddings come from: row item_idx = the embedding of item
// item_idx (FactorMatrix: rows = num_items, cols = d). `split` is the cold split being
// evaluated: a source that learns from interactions must use split.train only (it holds no
// cold item's interactions). Called once per split; may fail (the error is reported as is).
using ItemEmbeddingSource =
    std::function<StatusOr<FactorMatrix>(const ColdItemSplit& split, uint64_t seed)>;

}  // namespace tailor

#endif  // TAILOR_EVAL_COLD_ITEMS_H_
