#include "eval/ranking_evaluator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "eval/metrics.h"
#include "index/top_k.h"

namespace tailor {
namespace {

// The users to evaluate and their (deduplicated, possibly seen-filtered) targets, flat.
struct EvalUsers {
  std::vector<int32_t> users;
  std::vector<int64_t> offsets = {0};  // users[slot] owns targets[offsets[slot]..offsets[slot+1])
  std::vector<int32_t> targets;
  int64_t users_with_targets = 0;
};

// Per-user seed so sampled negatives do not depend on which thread scores the user.
uint64_t MixSeed(uint64_t seed, uint64_t user) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (user + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string BucketLabel(int32_t min_length, int32_t max_length) {
  if (max_length < 0) return std::to_string(min_length) + "+";
  if (max_length == min_length) return std::to_string(min_length);
  return std::to_string(min_length) + "-" + std::to_string(max_length);
}

Status ValidateOptions(const RankingEvalOptions& options) {
  if (options.ks.empty()) return InvalidArgumentError("evaluation: ks must not be empty");
  for (int k : options.ks) {
    if (k <= 0) return InvalidArgumentError("evaluation: k must be > 0, got " + std::to_string(k));
  }
  if (options.sampled_negatives < 0) {
    return InvalidArgumentError("evaluation: sampled_negatives must be >= 0, got " +
                                std::to_string(options.sampled_negatives));
  }
  if (options.curve_max_k < 0) {
    return InvalidArgumentError("evaluation: curve_max_k must be >= 0, got " +
                                std::to_string(options.curve_max_k));
  }
  if (options.threads < 0) {
    return InvalidArgumentError("evaluation: threads must be >= 0, got " +
                                std::to_string(options.threads));
  }
  if (options.max_users < 0) {
    return InvalidArgumentError("evaluation: max_users must be >= 0, got " +
                                std::to_string(options.max_users));
  }
  const auto& bounds = options.history_buckets;
  if (bounds.empty() || bounds.front() != 0) {
    return InvalidArgumentError("evaluation: history_buckets must start with 0");
  }
  for (size_t bucket_idx = 1; bucket_idx < bounds.size(); ++bucket_idx) {
    if (bounds[bucket_idx] <= bounds[bucket_idx - 1]) {
      return InvalidArgumentError("evaluation: history_buckets must be strictly ascending");
    }
  }
  return OkStatus();
}

StatusOr<EvalUsers> CollectUsers(const Split& split, const RankingEvalOptions& options) {
  const UserHistories& train = split.train;
  EvalUsers out;
  std::vector<uint8_t> seen(static_cast<size_t>(train.num_items), 0);
  std::vector<int32_t> targets;
  for (int32_t user_idx = 0; user_idx < train.num_users; ++user_idx) {
    const auto& user_targets = split.targets[static_cast<size_t>(user_idx)];
    if (user_targets.empty()) continue;
    targets.assign(user_targets.begin(), user_targets.end());
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    if (targets.front() < 0 || targets.back() >= train.num_items) {
      const int32_t bad = targets.front() < 0 ? targets.front() : targets.back();
      return InvalidArgumentError("evaluation: split.targets[user " + std::to_string(user_idx) +
                                  "]: item " + std::to_string(bad) + " is out of range [0, " +
                                  std::to_string(train.num_items) + ")");
    }
    ++out.users_with_targets;
    if (options.skip_seen_targets) {
      auto history = train.user(user_idx);
      for (const Interaction& event : history) seen[static_cast<size_t>(event.item)] = 1;
      std::erase_if(targets, [&](int32_t item) { return seen[static_cast<size_t>(item)] != 0; });
      for (const Interaction& event : history) seen[static_cast<size_t>(event.item)] = 0;
      if (targets.empty()) continue;
    }
    out.users.push_back(user_idx);
    out.targets.insert(out.targets.end(), targets.begin(), targets.end());
    out.offsets.push_back(static_cast<int64_t>(out.targets.size()));
  }
  return out;
}

// Keeps a seeded sample of `max_users` users (in user order, for cache-friendly scoring).
EvalUsers SampleUsers(const EvalUsers& all, int64_t max_users, uint64_t seed) {
  const auto count = static_cast<int64_t>(all.users.size());
  if (max_users <= 0 || max_users >= count) return all;
  std::vector<int64_t> slots(static_cast<size_t>(count));
  for (int64_t slot = 0; slot < count; ++slot) slots[static_cast<size_t>(slot)] = slot;
  std::mt19937_64 rng(seed);
  for (int64_t pick = 0; pick < max_users; ++pick) {
    std::uniform_int_distribution<int64_t> dist(pick, count - 1);
    std::swap(slots[static_cast<size_t>(pick)], slots[static_cast<size_t>(dist(rng))]);
  }
  slots.resize(static_cast<size_t>(max_users));
  std::sort(slots.begin(), slots.end());
  EvalUsers out;
  out.users_with_targets = all.users_with_targets;
  for (int64_t slot : slots) {
    out.users.push_back(all.users[static_cast<size_t>(slot)]);
    out.targets.insert(out.targets.end(),
                       all.targets.begin() + all.offsets[static_cast<size_t>(slot)],
                       all.targets.begin() + all.offsets[static_cast<size_t>(slot) + 1]);
    out.offsets.push_back(static_cast<int64_t>(out.targets.size()));
  }
  return out;
}

// #distinct training users per item (novelty's popularity).
std::vector<int64_t> UserPopularity(const UserHistories& train) {
  std::vector<int64_t> popularity(static_cast<size_t>(train.num_items), 0);
  std::vector<int32_t> last_user(static_cast<size_t>(train.num_items), -1);
  for (int32_t user_idx = 0; user_idx < train.num_users; ++user_idx) {
    for (const Interaction& event : train.user(user_idx)) {
      const auto item = static_cast<size_t>(event.item);
      if (last_user[item] == user_idx) continue;
      last_user[item] = user_idx;
      ++popularity[item];
    }
  }
  return popularity;
}

// Scratch space of one worker thread; buffers are restored to their resting state per user.
struct WorkerState {
  std::vector<float> scores;
  std::vector<uint8_t> full_mask;    // all 1 at rest (exclude_seen only)
  std::vector<uint8_t> sample_mask;  // all 0 at rest (sampled only)
  std::vector<uint8_t> interacted;   // all 0 at rest (sampled only)
  std::vector<int32_t> touched;
  std::vector<int32_t> pool;
  std::vector<std::vector<int64_t>> rec_counts;  // [k idx][item]
};

class Evaluation {
 public:
  Evaluation(const Recommender& model, const Split& split, const RankingEvalOptions& options,
             const EvalUsers& users)
      : model_(model),
        split_(split),
        options_(options),
        users_(users),
        num_items_(split.train.num_items),
        max_k_(*std::max_element(options.ks.begin(), options.ks.end())),
        ranks_(users.targets.size(), kUnranked),
        aucs_(users.users.size(), 0.0) {}

  // Scores every user on `num_threads` threads; returns the merged top-K counts per k.
  std::vector<std::vector<int64_t>> Run(int num_threads) {
    std::vector<WorkerState> states(static_cast<size_t>(num_threads));
    std::vector<std::thread> threads;
    for (int thread_idx = 1; thread_idx < num_threads; ++thread_idx) {
      threads.emplace_back(
          [this, &states, thread_idx] { Work(states[static_cast<size_t>(thread_idx)]); });
    }
    Work(states[0]);
    for (auto& thread : threads) thread.join();
    std::vector<std::vector<int64_t>> counts = std::move(states[0].rec_counts);
    for (size_t thread_idx = 1; thread_idx < states.size(); ++thread_idx) {
      for (size_t k_idx = 0; k_idx < counts.size(); ++k_idx) {
        for (size_t item_idx = 0; item_idx < counts[k_idx].size(); ++item_idx) {
          counts[k_idx][item_idx] += states[thread_idx].rec_counts[k_idx][item_idx];
        }
      }
    }
    return counts;
  }

  const std::vector<int64_t>& ranks() const { return ranks_; }
  const std::vector<double>& aucs() const { return aucs_; }

 private:
  void Work(WorkerState& state) {
    const auto n = static_cast<size_t>(num_items_);
    state.scores.assign(n, 0.0f);
    if (options_.exclude_seen) state.full_mask.assign(n, 1);
    if (options_.sampled_negatives > 0) {
      state.sample_mask.assign(n, 0);
      state.interacted.assign(n, 0);
    }
    state.rec_counts.assign(options_.ks.size(), std::vector<int64_t>(n, 0));
    const size_t total = users_.users.size();
    const size_t report_every = std::max<size_t>(1, total / 200);
    constexpr size_t kChunk = 16;
    while (true) {
      const size_t begin = next_.fetch_add(kChunk);
      if (begin >= total) break;
      const size_t end = std::min(total, begin + kChunk);
      for (size_t slot = begin; slot < end; ++slot) EvaluateUser(slot, state);
      const size_t done_before = done_.fetch_add(end - begin);
      if (options_.progress &&
          (done_before / report_every != (done_before + end - begin) / report_every)) {
        std::lock_guard<std::mutex> lock(progress_mu_);
        options_.progress({"evaluate " + model_.name(), static_cast<int64_t>(done_.load()),
                           static_cast<int64_t>(total), ""});
      }
    }
  }

  void EvaluateUser(size_t slot, WorkerState& state) {
    const int32_t user = users_.users[slot];
    const auto history = split_.train.user(user);
    const std::span<const int32_t> targets(
        users_.targets.data() + users_.offsets[slot],
        static_cast<size_t>(users_.offsets[slot + 1] - users_.offsets[slot]));
    model_.Score(Query{user, history}, state.scores);

    std::span<const uint8_t> full_mask;
    if (options_.exclude_seen) {
      for (const Interaction& event : history) state.full_mask[static_cast<size_t>(event.item)] = 0;
      full_mask = state.full_mask;
    }
    std::span<const uint8_t> rank_mask = full_mask;
    if (options_.sampled_negatives > 0) {
      BuildSampleMask(user, history, targets, state);
      rank_mask = state.sample_mask;
    }

    RelevantRanks ranked = RankRelevant(state.scores, targets, rank_mask);
    std::copy(ranked.ranks.begin(), ranked.ranks.end(), ranks_.begin() + users_.offsets[slot]);
    aucs_[slot] = Auc(ranked);

    std::vector<ScoredItem> top = TopK(state.scores, max_k_, full_mask);
    for (size_t k_idx = 0; k_idx < options_.ks.size(); ++k_idx) {
      const size_t limit = std::min(top.size(), static_cast<size_t>(options_.ks[k_idx]));
      for (size_t pos = 0; pos < limit; ++pos) {
        ++state.rec_counts[k_idx][static_cast<size_t>(top[pos].item)];
      }
    }

    if (options_.exclude_seen) {
      for (const Interaction& event : history) state.full_mask[static_cast<size_t>(event.item)] = 1;
    }
    if (options_.sampled_negatives > 0) {
      for (int32_t item : state.touched) {
        state.sample_mask[static_cast<size_t>(item)] = 0;
        state.interacted[static_cast<size_t>(item)] = 0;
      }
    }
  }

  // sample_mask = targets + N uniformly drawn items the user never interacted with (minus the
  // training items when exclude_seen). Every item it sets is listed in state.touched.
  void BuildSampleMask(int32_t user, std::span<const Interaction> history,
                       std::span<const int32_t> targets, WorkerState& state) {
    state.touched.clear();
    int64_t num_interacted = 0;
    auto mark = [&](int32_t item) {
      auto& flag = state.interacted[static_cast<size_t>(item)];
      if (flag == 0) {
        flag = 1;
        ++num_interacted;
        state.touched.push_back(item);
      }
    };
    for (const Interaction& event : history) mark(event.item);
    for (int32_t item : targets) {
      mark(item);
      state.sample_mask[static_cast<size_t>(item)] = 1;
    }
    if (options_.exclude_seen) {
      for (const Interaction& event : history)
        state.sample_mask[static_cast<size_t>(event.item)] = 0;
    }
    const int64_t available = num_items_ - num_interacted;
    const int64_t wanted = std::min<int64_t>(options_.sampled_negatives, available);
    std::mt19937_64 rng(MixSeed(options_.seed, static_cast<uint64_t>(user)));
    auto take = [&](int32_t item) {
      state.interacted[static_cast<size_t>(item)] = 2;
      state.sample_mask[static_cast<size_t>(item)] = 1;
      state.touched.push_back(item);
    };
    if (wanted * 2 >= available) {
      // Dense case: draw from the explicit pool of non-interacted items.
      state.pool.clear();
      for (int32_t item_idx = 0; item_idx < num_items_; ++item_idx) {
        if (state.interacted[static_cast<size_t>(item_idx)] == 0) state.pool.push_back(item_idx);
      }
      for (int64_t pick = 0; pick < wanted; ++pick) {
        std::uniform_int_distribution<int64_t> dist(pick, available - 1);
        std::swap(state.pool[static_cast<size_t>(pick)],
                  state.pool[static_cast<size_t>(dist(rng))]);
        take(state.pool[static_cast<size_t>(pick)]);
      }
      return;
    }
    // Sparse case: rejection sampling needs < 2 draws per negative on average.
    std::uniform_int_distribution<int32_t> dist(0, num_items_ - 1);
    for (int64_t taken = 0; taken < wanted;) {
      const int32_t item = dist(rng);
      if (state.interacted[static_cast<size_t>(item)] != 0) continue;
      take(item);
      ++taken;
    }
  }

  const Recommender& model_;
  const Split& split_;
  const RankingEvalOptions& options_;
  const EvalUsers& users_;
  const int32_t num_items_;
  const int max_k_;
  std::vector<int64_t> ranks_;  // parallel to users_.targets
  std::vector<double> aucs_;    // [slot]
  std::atomic<size_t> next_{0};
  std::atomic<size_t> done_{0};
  std::mutex progress_mu_;
};

// Per-user metric names in a fixed order, and their values for one user.
std::vector<std::string> UserMetricNames(const std::vector<int>& ks) {
  std::vector<std::string> names;
  for (int k : ks) {
    const std::string at = "@" + std::to_string(k);
    for (const char* metric : {"recall", "ndcg", "hr", "precision", "map"})
      names.push_back(metric + at);
  }
  names.push_back("mrr");
  names.push_back("auc");
  return names;
}

void UserMetricValues(std::span<const int64_t> ranks, double auc, const std::vector<int>& ks,
                      std::vector<double>& values) {
  values.clear();
  for (int k : ks) {
    values.push_back(RecallAtK(ranks, k));
    values.push_back(NdcgAtK(ranks, k));
    values.push_back(HitRateAtK(ranks, k));
    values.push_back(PrecisionAtK(ranks, k));
    values.push_back(AveragePrecisionAtK(ranks, k));
  }
  values.push_back(ReciprocalRank(ranks));
  values.push_back(auc);
}

}  // namespace

std::string DescribeProtocol(const RankingEvalOptions& options, int32_t num_items,
                             int64_t users_evaluated, int64_t users_with_targets) {
  std::string text;
  if (options.sampled_negatives > 0) {
    text = "sampled-" + std::to_string(options.sampled_negatives) + ": targets ranked against " +
           std::to_string(options.sampled_negatives) +
           " random items the user has not interacted with (seed " + std::to_string(options.seed) +
           ")";
  } else {
    text = "full ranking over " + std::to_string(num_items) + " items";
  }
  text += options.exclude_seen ? ", seen items excluded" : ", seen items kept";
  if (options.skip_seen_targets) text += ", targets already seen dropped";
  if (users_evaluated < users_with_targets) {
    text += ", " + std::to_string(users_evaluated) + " of " + std::to_string(users_with_targets) +
            " users (seeded sample, seed " + std::to_string(options.seed) + ")";
  } else {
    text += ", " + std::to_string(users_evaluated) + " users";
  }
  return text;
}

StatusOr<RankingEvalResult> EvaluateRanking(const Recommender& model, const Split& split,
                                            const RankingEvalOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(ValidateOptions(options));
  const UserHistories& train = split.train;
  if (split.targets.size() != static_cast<size_t>(train.num_users)) {
    return InvalidArgumentError("evaluation: split has targets for " +
                                std::to_string(split.targets.size()) + " users but " +
                                std::to_string(train.num_users) + " training users");
  }
  if (model.num_items() <= 0 && train.num_items > 0) {
    return FailedPreconditionError("evaluation: model '" + model.name() +
                                   "' knows no items (not fitted?)");
  }
  if (model.num_items() > train.num_items) {
    return FailedPreconditionError("evaluation: model '" + model.name() + "' was fit on " +
                                   std::to_string(model.num_items()) + " items but the split has " +
                                   std::to_string(train.num_items) + " (different data?)");
  }
  ASSIGN_OR_RETURN(EvalUsers all_users, CollectUsers(split, options));
  const EvalUsers users = SampleUsers(all_users, options.max_users, options.seed);

  RankingEvalResult result;
  result.model = model.name();
  result.model_params = model.params();
  result.ks = options.ks;
  result.num_items = train.num_items;
  result.users_with_targets = users.users_with_targets;
  result.users_evaluated = static_cast<int64_t>(users.users.size());
  result.protocol =
      DescribeProtocol(options, train.num_items, result.users_evaluated, result.users_with_targets);

  int num_threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  num_threads = std::max(
      1,
      std::min<int>(num_threads, static_cast<int>(std::max<size_t>(1, users.users.size() / 16))));
  Evaluation evaluation(model, split, options, users);
  const std::vector<std::vector<int64_t>> rec_counts = evaluation.Run(num_threads);
  if (options.progress) {
    options.progress(
        {"evaluate " + model.name(), result.users_evaluated, result.users_evaluated, ""});
  }

  // Sequential reduction in user order: the means do not depend on the thread count.
  const std::vector<std::string> names = UserMetricNames(options.ks);
  const auto& bounds = options.history_buckets;
  std::vector<double> sums(names.size(), 0.0);
  std::vector<std::vector<double>> bucket_sums(bounds.size(),
                                               std::vector<double>(names.size(), 0.0));
  std::vector<int64_t> bucket_users(bounds.size(), 0);
  std::vector<double> recall_curve(static_cast<size_t>(options.curve_max_k), 0.0);
  std::vector<double> ndcg_curve(static_cast<size_t>(options.curve_max_k), 0.0);
  std::vector<double> values;
  for (size_t slot = 0; slot < users.users.size(); ++slot) {
    const std::span<const int64_t> ranks(
        evaluation.ranks().data() + users.offsets[slot],
        static_cast<size_t>(users.offsets[slot + 1] - users.offsets[slot]));
    for (int64_t rank : ranks) result.targets_not_ranked += rank == kUnranked;
    UserMetricValues(ranks, evaluation.aucs()[slot], options.ks, values);
    const auto length = static_cast<int32_t>(train.user(users.users[slot]).size());
    const size_t bucket_idx =
        static_cast<size_t>(std::upper_bound(bounds.begin(), bounds.end(), length) -
                            bounds.begin()) -
        1;
    ++bucket_users[bucket_idx];
    for (size_t metric_idx = 0; metric_idx < names.size(); ++metric_idx) {
      sums[metric_idx] += values[metric_idx];
      bucket_sums[bucket_idx][metric_idx] += values[metric_idx];
    }
    for (int k = 1; k <= options.curve_max_k; ++k) {
      recall_curve[static_cast<size_t>(k - 1)] += RecallAtK(ranks, k);
      ndcg_curve[static_cast<size_t>(k - 1)] += NdcgAtK(ranks, k);
    }
  }
  const double num_users = std::max<double>(1.0, static_cast<double>(result.users_evaluated));
  for (size_t metric_idx = 0; metric_idx < names.size(); ++metric_idx) {
    result.metrics[names[metric_idx]] = sums[metric_idx] / num_users;
  }
  for (double& value : recall_curve) value /= num_users;
  for (double& value : ndcg_curve) value /= num_users;
  result.recall_curve = std::move(recall_curve);
  result.ndcg_curve = std::move(ndcg_curve);
  for (size_t bucket_idx = 0; bucket_idx < bounds.size(); ++bucket_idx) {
    if (bucket_users[bucket_idx] == 0) continue;
    HistoryBucket bucket;
    bucket.min_length = bounds[bucket_idx];
    bucket.max_length = bucket_idx + 1 < bounds.size() ? bounds[bucket_idx + 1] - 1 : -1;
    bucket.label = BucketLabel(bucket.min_length, bucket.max_length);
    bucket.users = bucket_users[bucket_idx];
    for (size_t metric_idx = 0; metric_idx < names.size(); ++metric_idx) {
      bucket.metrics[names[metric_idx]] =
          bucket_sums[bucket_idx][metric_idx] / static_cast<double>(bucket.users);
    }
    result.buckets.push_back(std::move(bucket));
  }

  const std::vector<int64_t> popularity = UserPopularity(train);
  for (size_t k_idx = 0; k_idx < options.ks.size(); ++k_idx) {
    const std::string at = "@" + std::to_string(options.ks[k_idx]);
    result.metrics["coverage" + at] = ItemCoverage(rec_counts[k_idx]);
    result.metrics["gini" + at] = GiniIndex(rec_counts[k_idx]);
    result.metrics["novelty" + at] = Novelty(rec_counts[k_idx], popularity, train.num_users);
  }
  result.eval_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace tailor
