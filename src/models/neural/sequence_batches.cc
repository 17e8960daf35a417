#include "models/neural/sequence_batches.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace tailor {

std::vector<int32_t> HistorySteps(std::span<const Interaction> history, int32_t num_items,
                                  int32_t max_steps) {
  std::vector<int32_t> steps;
  steps.reserve(history.size());
  for (const Interaction& interaction : history) {
    if (interaction.item < 0 || interaction.item >= num_items) continue;
    if (!steps.empty() && steps.back() == interaction.item) continue;
    steps.push_back(interaction.item);
  }
  if (max_steps > 0 && static_cast<int32_t>(steps.size()) > max_steps) {
    steps.erase(steps.begin(), steps.end() - max_steps);
  }
  return steps;
}

int64_t SequenceTrainingData::total_targets() const {
  return static_cast<int64_t>(steps.size()) - num_windows();
}

SequenceTrainingData BuildSequenceTrainingData(const UserHistories& histories, int max_len,
                                               int validation_users, uint64_t seed) {
  std::vector<std::vector<int32_t>> sequences(histories.num_users);
  std::vector<int32_t> candidates;
  for (int32_t user_idx = 0; user_idx < histories.num_users; ++user_idx) {
    sequences[user_idx] = HistorySteps(histories.user(user_idx), histories.num_items);
    if (sequences[user_idx].size() >= 3) candidates.push_back(user_idx);
  }
  std::vector<bool> validates(histories.num_users, false);
  SequenceTrainingData data;
  if (validation_users > 0) {
    std::mt19937_64 rng(seed ^ 0x5eed5eedULL);
    std::shuffle(candidates.begin(), candidates.end(), rng);
    if (static_cast<int>(candidates.size()) > validation_users) candidates.resize(validation_users);
    std::sort(candidates.begin(), candidates.end());
    for (int32_t user_idx : candidates) {
      std::vector<int32_t>& sequence = sequences[user_idx];
      ValidationCase validation;
      validation.user = user_idx;
      validation.target = sequence.back();
      sequence.pop_back();
      const size_t keep = std::min(sequence.size(), static_cast<size_t>(max_len));
      validation.history.assign(sequence.end() - keep, sequence.end());
      for (const Interaction& interaction : histories.user(user_idx)) {
        validation.seen.push_back(interaction.item);
      }
      // The held-out target's own events are not "seen" before it.
      std::erase(validation.seen, validation.target);
      std::sort(validation.seen.begin(), validation.seen.end());
      validation.seen.erase(std::unique(validation.seen.begin(), validation.seen.end()),
                            validation.seen.end());
      data.validation.push_back(std::move(validation));
    }
  }
  for (const std::vector<int32_t>& sequence : sequences) {
    if (sequence.size() < 2) continue;
    const size_t keep = std::min(sequence.size(), static_cast<size_t>(max_len) + 1);
    data.steps.insert(data.steps.end(), sequence.end() - keep, sequence.end());
    data.offsets.push_back(static_cast<int64_t>(data.steps.size()));
  }
  return data;
}

std::vector<std::vector<int32_t>> PlanBatches(const SequenceTrainingData& data, int batch_tokens,
                                              uint64_t seed, int epoch) {
  std::vector<int32_t> order(data.num_windows());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(epoch));
  std::shuffle(order.begin(), order.end(), rng);
  // Pools of ~64 batches: sorted inside, so batches pad little yet differ between epochs.
  const size_t average = std::max<int64_t>(
      1, data.total_targets() / std::max<int64_t>(1, data.num_windows()));
  const size_t pool = std::max<size_t>(64, 64 * static_cast<size_t>(batch_tokens) / average);
  for (size_t begin = 0; begin < order.size(); begin += pool) {
    const auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), begin + pool));
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(begin), end,
                     [&](int32_t a, int32_t b) { return data.targets(a) < data.targets(b); });
  }
  std::vector<std::vector<int32_t>> batches;
  std::vector<int32_t> current;
  int32_t longest = 0;
  for (int32_t window_idx : order) {
    const int32_t length = data.targets(window_idx);
    const int32_t new_longest = std::max(longest, length);
    if (!current.empty() &&
        static_cast<int64_t>(new_longest) * static_cast<int64_t>(current.size() + 1) >
            batch_tokens) {
      batches.push_back(std::move(current));
      current.clear();
      longest = 0;
    }
    current.push_back(window_idx);
    longest = std::max(longest, length);
  }
  if (!current.empty()) batches.push_back(std::move(current));
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

}  // namespace tailor
