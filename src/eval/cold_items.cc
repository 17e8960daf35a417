#include "eval/cold_items.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "common/thread_pool.h"
#include "dataset/splits.h"
#include "eval/metrics.h"

namespace tailor {

StatusOr<ColdItemSplit> SplitColdItems(const UserHistories& histories,
                                       const ColdItemSplitOptions& options) {
  const int32_t num_items = histories.num_items;
  if (!(options.cold_fraction > 0.0 && options.cold_fraction < 1.0)) {
    return InvalidArgumentError("cold_fraction: expected in (0, 1), got " +
                                std::to_string(options.cold_fraction));
  }
  const int64_t num_cold = std::llround(options.cold_fraction * static_cast<double>(num_items));
  if (num_cold < 1 || num_cold >= num_items) {
    return InvalidArgumentError("cold_fraction " + std::to_string(options.cold_fraction) + " of " +
                                std::to_string(num_items) + " items gives " +
                                std::to_string(num_cold) +
                                " cold items; need at least one cold and one warm item");
  }
  // Written out rather than std::shuffle, whose algorithm the standard leaves open: the cold
  // set must be the same on every standard library.
  std::vector<int32_t> order(static_cast<size_t>(num_items));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  for (int64_t pos = num_items - 1; pos > 0; --pos) {
    const int64_t other = static_cast<int64_t>(rng() % static_cast<uint64_t>(pos + 1));
    std::swap(order[pos], order[other]);
  }

  ColdItemSplit split;
  split.is_cold.assign(static_cast<size_t>(num_items), 0);
  for (int64_t pos = 0; pos < num_cold; ++pos) split.is_cold[order[pos]] = 1;
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    if (split.is_cold[item_idx]) split.cold_items.push_back(item_idx);
  }

  const Split loo = SplitLeaveOneOut(histories).test;
  split.train.num_users = loo.train.num_users;
  split.train.num_items = num_items;
  split.train.offsets.assign(1, 0);
  split.train.interactions.reserve(loo.train.interactions.size());
  split.targets.assign(static_cast<size_t>(loo.train.num_users), -1);
  for (int32_t user_idx = 0; user_idx < loo.train.num_users; ++user_idx) {
    for (const Interaction& interaction : loo.train.user(user_idx)) {
      if (split.is_cold[interaction.item]) {
        ++split.dropped_interactions;
      } else {
        split.train.interactions.push_back(interaction);
      }
    }
    split.train.offsets.push_back(static_cast<int64_t>(split.train.interactions.size()));
    if (loo.targets[user_idx].empty()) continue;
    ++split.test_events;
    const int32_t target = loo.targets[user_idx].front();
    if (!split.is_cold[target]) continue;
    split.targets[user_idx] = target;
    ++split.cold_test_events;
    if (split.train.user(user_idx).empty()) ++split.empty_histories;
  }
  return split;
}

std::vector<int64_t> TrainingCounts(const UserHistories& train) {
  std::vector<int64_t> counts(static_cast<size_t>(train.num_items), 0);
  for (const Interaction& interaction : train.interactions) ++counts[interaction.item];
  return counts;
}

int64_t ColdRank(std::span<const double> scores, std::span<const int64_t> tie_break,
                 std::span<const uint8_t> allowed, int32_t target) {
  if (target < 0 || static_cast<size_t>(target) >= scores.size() || !allowed[target]) {
    return kUnranked;
  }
  const double target_score = scores[target];
  const int64_t target_tie = tie_break[target];
  int64_t rank = 0;
  for (size_t item_idx = 0; item_idx < scores.size(); ++item_idx) {
    if (!allowed[item_idx]) continue;
    const double score = scores[item_idx];
    if (score > target_score ||
        (score == target_score &&
         (tie_break[item_idx] > target_tie ||
          (tie_break[item_idx] == target_tie && static_cast<int32_t>(item_idx) < target)))) {
      ++rank;
    }
  }
  return rank;
}

StatusOr<ColdItemEvalResult> EvaluateColdItems(const ColdItemScorer& scorer,
                                               const ColdItemSplit& split,
                                               const ColdItemEvalOptions& options) {
  if (options.ks.empty()) return InvalidArgumentError("ks: empty");
  for (int k : options.ks) {
    if (k <= 0) return InvalidArgumentError("ks: expected > 0, got " + std::to_string(k));
  }
  std::vector<int32_t> users;
  for (int32_t user_idx = 0; user_idx < static_cast<int32_t>(split.targets.size()); ++user_idx) {
    if (split.targets[user_idx] >= 0) users.push_back(user_idx);
  }
  if (users.empty()) {
    return FailedPreconditionError("no leave-one-out test event has a cold target");
  }
  const auto start = std::chrono::steady_clock::now();
  const int32_t num_items = split.train.num_items;
  const std::vector<int64_t> tie_break = TrainingCounts(split.train);
  std::vector<int64_t> ranks(users.size(), kUnranked);
  const int workers = ResolveThreadCount(options.threads);
  std::vector<std::vector<double>> scores(static_cast<size_t>(workers),
                                          std::vector<double>(num_items));
  std::vector<std::vector<uint8_t>> allowed(static_cast<size_t>(workers),
                                            std::vector<uint8_t>(num_items));
  ParallelFor(workers, static_cast<int64_t>(users.size()), [&](int64_t event_idx, int worker) {
    const int32_t user_idx = users[event_idx];
    const std::span<const Interaction> history = split.train.user(user_idx);
    std::vector<double>& user_scores = scores[worker];
    std::vector<uint8_t>& user_allowed = allowed[worker];
    scorer.Score(history, user_scores);
    std::fill(user_allowed.begin(), user_allowed.end(), 1);
    for (const Interaction& interaction : history) user_allowed[interaction.item] = 0;
    ranks[event_idx] = ColdRank(user_scores, tie_break, user_allowed, split.targets[user_idx]);
  });

  ColdItemEvalResult result;
  result.method = scorer.name();
  result.description = scorer.description();
  result.test_events_evaluated = static_cast<int64_t>(users.size());
  // Summed in event order so the means do not depend on the thread count.
  for (int k : options.ks) {
    double ndcg = 0.0;
    double recall = 0.0;
    for (int64_t rank : ranks) {
      ndcg += NdcgAtK({&rank, 1}, k);
      recall += RecallAtK({&rank, 1}, k);
    }
    result.metrics["ndcg@" + std::to_string(k)] = ndcg / static_cast<double>(users.size());
    result.metrics["recall@" + std::to_string(k)] = recall / static_cast<double>(users.size());
  }
  double mrr = 0.0;
  for (int64_t rank : ranks) mrr += ReciprocalRank({&rank, 1});
  result.metrics["mrr"] = mrr / static_cast<double>(users.size());
  result.eval_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::string DescribeColdItemProtocol(const ColdItemSplit& split,
                                     const ColdItemSplitOptions& options) {
  const int32_t num_items = split.train.num_items;
  char percent[32];
  std::snprintf(percent, sizeof(percent), "%g%%", 100.0 * options.cold_fraction);
  return "cold items: " + std::to_string(split.cold_items.size()) + " of " +
         std::to_string(num_items) + " items (" + percent +
         ", a seeded shuffle of the item "
         "indexes, seed " +
         std::to_string(options.seed) + ") held out of training (their " +
         std::to_string(split.dropped_interactions) +
         " training interactions dropped); leave-one-out (last item = test), evaluated on the " +
         std::to_string(split.cold_test_events) + " of " + std::to_string(split.test_events) +
         " test events whose target is cold, query = the user's training history without cold "
         "items; full ranking over all " +
         std::to_string(num_items) +
         " items (warm and cold), seen items excluded; ties by training popularity, then item "
         "index";
}

}  // namespace tailor
