// TrainSequenceModel: the one training loop of the sequential models (libtorch inside
// sequence_trainer_torch.cc; this header is torch-free).
//
// Objective: next-item cross-entropy over the whole catalog at every position of every
// training window (the "SASRec + CE" objective of Klenitskiy & Vasilev 2023 and the BSARec
// code family, which beats SASRec's one-negative binary loss by a wide margin), the item
// embeddings tied with the output layer; optionally a sampled softmax with shared uniform
// negatives and logQ correction for very large catalogs. Batches are length-bucketed token
// budgets (sequence_batches.h), AdamW with linear warm-up, dropout on embeddings / attention /
// residual branches. After every epoch: validation NDCG@10 (seen items excluded) on the
// held-out last step of a sample of users, a progress line (loss, NDCG@10, best, s/epoch,
// ETA), FitOptions.on_epoch, and a checkpoint (FitOptions.checkpoint_dir) that a later call
// with the same data, params and seed resumes from. Early stopping keeps the weights of the
// best validation epoch. Deterministic for a seed and a thread count.
// The trained weights are exported to a SequenceEncoder (plain C++ inference) and the export
// is checked against the torch forward on validation histories (kInternal on mismatch).
#ifndef TAILOR_MODELS_NEURAL_SEQUENCE_TRAINER_H_
#define TAILOR_MODELS_NEURAL_SEQUENCE_TRAINER_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "dataset/histories.h"
#include "models/neural/sequence_encoder.h"
#include "models/neural/sequence_options.h"
#include "models/recommender.h"
#include "tailor/status.h"

namespace tailor {

struct SequenceTrainResult {
  SequenceEncoder encoder;
  // {epochs, best_epoch, best_validation_ndcg@10, seconds_per_epoch, train_targets,
  //  resumed_from_epoch, threads, export_max_abs_diff, ...}
  nlohmann::json stats = nlohmann::json::object();
};

// Called after each epoch with the current weights; returning false stops training (the
// best validation epoch's weights are still the result).
using SequenceEpochFn = std::function<bool(int epoch, SequenceEncoder encoder)>;

// `model` names the model in messages and checkpoint files. Errors: kInvalidArgument when
// there is nothing to train on (no history with 2 steps), kInternal for a libtorch failure
// (its message), kCancelled never (on_epoch returning false stops early and is not an error).
StatusOr<SequenceTrainResult> TrainSequenceModel(const UserHistories& train,
                                                 const SequenceModelOptions& options,
                                                 const FitOptions& fit, const std::string& model,
                                                 const SequenceEpochFn& on_epoch = {});

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_SEQUENCE_TRAINER_H_
