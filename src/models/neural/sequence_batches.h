// The data side of sequential training, free of libtorch: which items each user's training
// sequence holds, which users validate, and how sequences are grouped into batches.
//
// A user's sequence is their history's item indexes, oldest first, with consecutive repeats
// of one item collapsed (a view, a cart and a purchase of the same product are one step).
// Validation (early stopping): for a seeded sample of users with at least 3 steps, the last
// step is held out as the validation target and their training sequence is the rest; every
// other user trains on the whole sequence. Training reads each sequence's most recent
// max_len + 1 steps: inputs = steps[0..n-2], targets = steps[1..n-1] (loss at every position).
#ifndef TAILOR_MODELS_NEURAL_SEQUENCE_BATCHES_H_
#define TAILOR_MODELS_NEURAL_SEQUENCE_BATCHES_H_

#include <cstdint>
#include <span>
#include <vector>

#include "dataset/histories.h"

namespace tailor {

// Item indexes of a history with consecutive repeats collapsed, keeping only items in
// [0, num_items); at most the last `max_steps` steps (0 = all).
std::vector<int32_t> HistorySteps(std::span<const Interaction> history, int32_t num_items,
                                  int32_t max_steps = 0);

struct ValidationCase {
  int32_t user = 0;
  int32_t target = 0;
  std::vector<int32_t> history;  // the last max_len steps before the target
  std::vector<int32_t> seen;     // every item of the user's training history, sorted unique
};

struct SequenceTrainingData {
  // Training windows, flat: window w is steps[offsets[w] .. offsets[w+1]), 2..max_len+1 steps.
  std::vector<int64_t> offsets = {0};
  std::vector<int32_t> steps;
  std::vector<ValidationCase> validation;

  int32_t num_windows() const { return static_cast<int32_t>(offsets.size()) - 1; }
  std::span<const int32_t> window(int32_t window_idx) const {
    return {steps.data() + offsets[window_idx],
            static_cast<size_t>(offsets[window_idx + 1] - offsets[window_idx])};
  }
  // Target positions (= inputs) of a window: its length - 1.
  int32_t targets(int32_t window_idx) const {
    return static_cast<int32_t>(offsets[window_idx + 1] - offsets[window_idx]) - 1;
  }
  int64_t total_targets() const;
};

// `validation_users` 0 = no validation. Deterministic for a seed.
SequenceTrainingData BuildSequenceTrainingData(const UserHistories& histories, int max_len,
                                               int validation_users, uint64_t seed);

// Groups windows into batches for one epoch: windows are shuffled (seeded by seed and
// epoch), sorted by length within pools of consecutive windows so a batch pads little, cut
// into batches whose padded size (windows x longest targets) stays within batch_tokens (a
// window longer than batch_tokens gets a batch of its own), and the batch order is shuffled.
// Every window appears in exactly one batch.
std::vector<std::vector<int32_t>> PlanBatches(const SequenceTrainingData& data, int batch_tokens,
                                              uint64_t seed, int epoch);

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_SEQUENCE_BATCHES_H_
