// Training of the text stage (libtorch inside text_pretrain_torch.cc; this header is
// torch-free):
//
// PretrainTextModel: tailor's own text encoder, learned from the shop's text. A sentencepiece
// vocabulary is trained on the texts, then a BERT encoder (bert_encoder.h) by masked-language
// modelling (Devlin et al. 2019): 15% of the non-special tokens of each text are chosen, 80%
// of them replaced by [MASK], 10% by a random piece, 10% kept, and the encoder predicts them
// through a transform + LayerNorm head whose output matrix is the word embedding (tied).
// Batches group texts of similar length (little padding); AdamW with linear warm-up; after
// every epoch a progress line (loss, held-out masked-token loss and accuracy, tokens/s, ETA),
// a checkpoint in options.checkpoint_dir that a later call with the same texts and options
// resumes from, and early stopping on the held-out loss (the best epoch's weights are kept).
// The export is checked against the torch forward (kInternal on a mismatch).
//
// TrainTextProjection: the InfoNCE projection of text_projection.h.
//
// FineTuneSentiment: a SentimentModel (sentiment_model.h) from labelled texts: the encoder of
// `base` and a new linear head over its mean-pooled last layer are trained together with
// cross-entropy (AdamW, linear warm-up then linear decay; the head at 10x the encoder's
// learning rate, as it starts from scratch), and early-stopped on the accuracy of a seeded
// held-out share of the texts (the best epoch's weights are kept). Progress line per epoch.
#ifndef TAILOR_TEXT_TEXT_PRETRAIN_H_
#define TAILOR_TEXT_TEXT_PRETRAIN_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/progress.h"
#include "models/factors/factor_matrix.h"
#include "tailor/status.h"
#include "text/sentiment_model.h"
#include "text/text_model.h"
#include "text/text_projection.h"

namespace tailor {

struct TextPretrainOptions {
  int32_t hidden = 256;         // encoder width
  int32_t layers = 4;
  int32_t heads = 4;
  int32_t intermediate = 1024;  // feed-forward width
  int32_t max_tokens = 64;      // longest input, [CLS] and [SEP] included
  int32_t vocab_size = 8000;    // sentencepiece vocabulary, an upper bound for small corpora
  double mask_probability = 0.15;
  double dropout = 0.1;         // on embeddings and both residual branches
  int epochs = 30;              // 0 = the vocabulary and BERT's random initialisation only
  int patience = 3;             // epochs without a better held-out loss before stopping
  int batch_texts = 64;
  double learning_rate = 1e-3;
  double weight_decay = 0.01;
  int warmup_steps = 200;
  double validation_share = 0.05;  // of the texts, at most 1000, held out for the loss
  int threads = 0;                 // 0 = all cores
  uint64_t seed = 42;
  std::string checkpoint_dir;      // empty = no checkpoints
  ProgressFn progress;

  // Reads the fields above that `params` names (same names); the rest keep their defaults.
  // Errors: kInvalidArgument naming an unknown field or a value out of range.
  static StatusOr<TextPretrainOptions> FromJson(const nlohmann::json& params);
  nlohmann::json ToJson() const;
};

struct TextPretrainResult {
  std::unique_ptr<TextModel> model;
  // {epochs, best_epoch, best_validation_loss, validation_accuracy, tokens_per_second,
  //  gflops_per_second, train_seconds, texts, tokens, export_max_abs_diff, ...}
  nlohmann::json stats = nlohmann::json::object();
};

// Errors: kInvalidArgument when fewer than 2 texts have a piece to mask, kInternal for a
// libtorch or sentencepiece failure (its message).
StatusOr<TextPretrainResult> PretrainTextModel(const std::vector<std::string>& texts,
                                               const TextPretrainOptions& options);

struct TextProjectionOptions {
  int32_t hidden = 512;        // MLP width
  double temperature = 0.05;   // InfoNCE temperature over cosine similarities
  int epochs = 200;
  int patience = 10;           // on the held-out InfoNCE loss
  int batch_rows = 256;
  double learning_rate = 1e-3;
  double weight_decay = 1e-4;
  double validation_share = 0.1;
  int threads = 0;
  uint64_t seed = 42;
  ProgressFn progress;
};

// Trains the projection on `rows` (the warm items): input row r of `inputs` should land on row
// r of `targets`. Errors: kInvalidArgument for row counts that differ, a row out of range or
// fewer than 4 rows, kInternal for a libtorch failure.
StatusOr<TextProjection> TrainTextProjection(const FactorMatrix& inputs, const FactorMatrix& targets,
                                             std::span<const int32_t> rows,
                                             const TextProjectionOptions& options,
                                             nlohmann::json* stats = nullptr);

// The same projection trained on item pairs with one shared tower: for pairs (a, b) (e.g. an
// item and the item bought next), P(text a) must be closer to P(text b) than to the other
// pairs' b in the batch, and the other way round. out_dim: the projected width.
// Errors: kInvalidArgument for a pair out of range, fewer than 4 pairs or out_dim <= 0.
StatusOr<TextProjection> TrainTextPairProjection(const FactorMatrix& inputs,
                                                 std::span<const std::pair<int32_t, int32_t>> pairs,
                                                 int32_t out_dim, const TextProjectionOptions& options,
                                                 nlohmann::json* stats = nullptr);

struct SentimentTrainOptions {
  int epochs = 12;
  int patience = 4;              // epochs without a better held-out accuracy before stopping
  int batch_texts = 32;
  double learning_rate = 1e-3;   // the encoder's, for tailor's small encoder (a pretrained
                                 // BERT-base wants about 3e-5); the head's is 10x
  double weight_decay = 0.01;
  double warmup_share = 0.1;     // of all steps
  double dropout = 0.1;          // encoder dropout and dropout on the pooled vector
  double validation_share = 0.1; // of the texts held out for early stopping (0 = none)
  int threads = 0;               // 0 = all cores
  uint64_t seed = 42;
  ProgressFn progress;

  // Reads the fields above that `params` names (same names); the rest keep their defaults.
  // Errors: kInvalidArgument naming an unknown field or a value out of range.
  static StatusOr<SentimentTrainOptions> FromJson(const nlohmann::json& params);
  nlohmann::json ToJson() const;
};

// How FineTuneSentiment splits `count` texts: `held_out` (for early stopping) is the first
// ceil(validation_share * count) (at most half) of a shuffle seeded by options.seed, `train`
// the rest; both ascending.
struct SentimentSplit {
  std::vector<int32_t> train;
  std::vector<int32_t> held_out;
};
SentimentSplit SplitSentimentTexts(size_t count, const SentimentTrainOptions& options);

// labels[i] in [0, label_names.size()) is the class of texts[i]. `stats` (optional) gets
// {epochs, best_epoch, validation_accuracy, train_seconds, texts_per_second, ...}.
// Errors: kInvalidArgument for sizes that differ, a label out of range, fewer than 2 label
// names or fewer than 2 texts; kInternal for a libtorch failure or an export that does not
// reproduce the trained network.
StatusOr<std::unique_ptr<SentimentModel>> FineTuneSentiment(
    const TextModel& base, const std::vector<std::string>& texts, const std::vector<int32_t>& labels,
    const std::vector<std::string>& label_names, const SentimentTrainOptions& options,
    nlohmann::json* stats = nullptr);

}  // namespace tailor

#endif  // TAILOR_TEXT_TEXT_PRETRAIN_H_
