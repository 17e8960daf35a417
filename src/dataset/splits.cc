#include "dataset/splits.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace tailor {
namespace {

// Builds a Split whose train part keeps the first keep(u) interactions and whose targets are
// the items of interactions [keep(u), keep(u) + take(u)).
template <typename KeepFn, typename TakeFn>
Split PrefixSplit(const UserHistories& h, KeepFn keep, TakeFn take) {
  Split split;
  split.train = h.Prefixes(keep);
  split.targets.resize(static_cast<size_t>(h.num_users));
  for (int32_t user_idx = 0; user_idx < h.num_users; ++user_idx) {
    auto events = h.user(user_idx);
    int64_t begin = keep(user_idx);
    int64_t end = begin + take(user_idx);
    for (int64_t pos = begin; pos < end && pos < static_cast<int64_t>(events.size()); ++pos) {
      split.targets[user_idx].push_back(events[pos].item);
    }
  }
  return split;
}

}  // namespace

LeaveOneOutSplit SplitLeaveOneOut(const UserHistories& h) {
  auto size = [&](int32_t user_idx) { return static_cast<int64_t>(h.user(user_idx).size()); };
  auto evaluated = [&](int32_t user_idx) { return size(user_idx) >= 3; };
  LeaveOneOutSplit out;
  out.valid = PrefixSplit(
      h, [&](int32_t u) { return evaluated(u) ? size(u) - 2 : size(u); },
      [&](int32_t u) { return evaluated(u) ? 1 : 0; });
  out.test = PrefixSplit(
      h, [&](int32_t u) { return evaluated(u) ? size(u) - 1 : size(u); },
      [&](int32_t u) { return evaluated(u) ? 1 : 0; });
  return out;
}

Split SplitTemporal(const UserHistories& h, double train_fraction) {
  std::vector<int64_t> times;
  times.reserve(h.interactions.size());
  for (const auto& x : h.interactions) times.push_back(x.timestamp);
  int64_t cutoff = 0;
  if (!times.empty()) {
    size_t pos = static_cast<size_t>(train_fraction * static_cast<double>(times.size()));
    pos = std::min(pos, times.size() - 1);
    std::nth_element(times.begin(), times.begin() + static_cast<int64_t>(pos), times.end());
    cutoff = times[pos];
  }
  Split split;
  split.train.num_users = h.num_users;
  split.train.num_items = h.num_items;
  split.targets.resize(static_cast<size_t>(h.num_users));
  for (int32_t user_idx = 0; user_idx < h.num_users; ++user_idx) {
    auto& targets = split.targets[user_idx];
    for (const auto& x : h.user(user_idx)) {
      if (x.timestamp < cutoff) {
        split.train.interactions.push_back(x);
      } else if (std::find(targets.begin(), targets.end(), x.item) == targets.end()) {
        targets.push_back(x.item);
      }
    }
    split.train.offsets.push_back(static_cast<int64_t>(split.train.interactions.size()));
  }
  return split;
}

Split SplitRandomRatio(const UserHistories& h, double train_fraction, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Split split;
  split.train.num_users = h.num_users;
  split.train.num_items = h.num_items;
  split.targets.resize(static_cast<size_t>(h.num_users));
  std::vector<size_t> order;
  for (int32_t user_idx = 0; user_idx < h.num_users; ++user_idx) {
    auto events = h.user(user_idx);
    order.resize(events.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    size_t n_train = static_cast<size_t>(train_fraction * static_cast<double>(events.size()));
    n_train = std::clamp<size_t>(n_train, std::min<size_t>(1, events.size()), events.size());
    // Training interactions stay in chronological order.
    std::vector<size_t> train_pos(order.begin(), order.begin() + static_cast<int64_t>(n_train));
    std::sort(train_pos.begin(), train_pos.end());
    for (size_t pos : train_pos) split.train.interactions.push_back(events[pos]);
    for (size_t rank = n_train; rank < order.size(); ++rank) {
      int32_t item = events[order[rank]].item;
      auto& targets = split.targets[user_idx];
      if (std::find(targets.begin(), targets.end(), item) == targets.end()) targets.push_back(item);
    }
    split.train.offsets.push_back(static_cast<int64_t>(split.train.interactions.size()));
  }
  return split;
}

std::vector<RatingTriple> RatingTriples(const UserHistories& h, int16_t rating_type) {
  std::vector<RatingTriple> out;
  for (int32_t user_idx = 0; user_idx < h.num_users; ++user_idx) {
    for (const auto& x : h.user(user_idx)) {
      if (x.type == rating_type) out.push_back({user_idx, x.item, x.value, x.timestamp});
    }
  }
  return out;
}

std::vector<RatingFold> KFoldRatings(const std::vector<RatingTriple>& ratings, int k,
                                     uint64_t seed) {
  std::vector<size_t> order(ratings.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<RatingFold> folds(static_cast<size_t>(std::max(k, 1)));
  for (size_t rank = 0; rank < order.size(); ++rank) {
    size_t fold_of_row = rank % folds.size();
    for (size_t fold_idx = 0; fold_idx < folds.size(); ++fold_idx) {
      auto& dst = fold_idx == fold_of_row ? folds[fold_idx].test : folds[fold_idx].train;
      dst.push_back(ratings[order[rank]]);
    }
  }
  return folds;
}

}  // namespace tailor
