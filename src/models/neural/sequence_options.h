// SequenceModelOptions: the hyperparameters of the sequential models ("sasrec", "gru4rec"),
// shared by both architectures and by one training loop (sequence_trainer.h). Defaults are
// the models' documented defaults, the same on every dataset (nothing per dataset in code).
#ifndef TAILOR_MODELS_NEURAL_SEQUENCE_OPTIONS_H_
#define TAILOR_MODELS_NEURAL_SEQUENCE_OPTIONS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/neural/sequence_encoder.h"
#include "models/params.h"
#include "tailor/status.h"

namespace tailor {

struct SequenceModelOptions {
  SequenceArch arch = SequenceArch::kTransformer;  // fixed by the model name, not a param
  int dim = 64;              // d: item embedding and hidden width (8..1024)
  int layers = 2;            // transformer blocks or GRU layers (1..16)
  int heads = 1;             // attention heads (transformer; divides dim)
  int ffn_dim = 256;         // transformer feed-forward width
  int max_len = 50;          // the most recent items read per history (2..1024)
  double dropout = 0.5;      // on embeddings, attention weights and residual branches (0..0.9)
  int epochs = 200;          // upper bound; early stopping usually ends sooner (1..10000)
  int patience = 10;         // epochs without a better validation NDCG@10 before stopping
                             // (0 = no early stopping: train all epochs, keep the last)
  int lr_patience = 3;       // halve the learning rate after this many epochs without a
                             // better validation NDCG@10, again after as many more (0 = never)
  int batch_tokens = 512;    // target positions per optimizer step (64..1000000)
  double learning_rate = 1e-3;  // AdamW peak step (> 0)
  double weight_decay = 0.3;    // AdamW decoupled weight decay (>= 0)
  int warmup_steps = 100;       // linear warm-up from 0 to learning_rate (>= 0)
  bool item_features = true;    // add the mean embedding of each item's side features
                                // (categories, brand, price bucket; FitOptions.item_features)
                                // to its id embedding, at the input and the tied output
  bool item_vectors = true;     // add a learnt linear projection of each item's content
                                // vector (image and/or text: FitOptions.item_vectors). An item
                                // with a vector but no training events is placed by its
                                // content alone (no id row, not in the training softmax)
  double id_dropout = 0.5;      // item_vectors: in each training step, the share of the items
                                // with a content vector whose id part is dropped, so the
                                // content alone must score them (how cold items are scored;
                                // DropoutNet, Volkovs et al. 2017) (0..1)
  int negatives = 0;            // 0 = full softmax over every item; N > 0 = sampled softmax
                                // with N shared uniform negatives per batch and logQ correction
  int validation_users = 10000;  // users whose last training item validates each epoch (a
                                 // seeded sample; 0 = no validation, train all epochs)
  int threads = 0;               // 0 = FitOptions.threads

  // `defaults` with the fields present in params replaced (defaults.arch is kept).
  // Errors: kInvalidArgument naming the model and the bad or unknown param.
  static StatusOr<SequenceModelOptions> FromJson(const nlohmann::json& params,
                                                 const SequenceModelOptions& defaults,
                                                 const std::string& model);
  static std::vector<ParamRange> SearchSpace() {
    return {{"dim", 32, 256, true, true},
            {"layers", 1, 4, false, true},
            {"dropout", 0.1, 0.7},
            {"learning_rate", 2e-4, 1e-2, true},
            {"batch_tokens", 256, 8192, true, true}};
  }
  nlohmann::json ToJson() const;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_SEQUENCE_OPTIONS_H_
