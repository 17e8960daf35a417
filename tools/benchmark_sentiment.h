// tailor benchmark --protocol sentiment: review sentiment measured by stratified k-fold
// cross-validation (eval/sentiment_data.h) on labelled sentences (UCI: negative / positive) or
// star-rated reviews (1-2 negative, 3 neutral, 4-5 positive). Per fold, on the other folds:
//   tailor    hybrid (text/sentiment_model.h): the class probabilities of the text encoder
//             fine-tuned with a classification head (FineTuneSentiment) and of a fastText
//             classifier, mixed with params.lexical_weight (0.5); the encoder channel alone is
//             reported as the "encoder" baseline;
//             the encoder is --text-model, or a new one: a sentencepiece vocabulary of the
//             dataset's texts (labels unused) and BERT's random initialisation, trained on
//             each fold's training part only. params.encoder.epochs > 0 first pretrains it by
//             masked-language modelling on every text (transductive, labels never seen); on
//             the 3,000 UCI sentences that pretraining collapsed the encoder (fine-tuning then
//             stayed at chance, docs/benchmarks.md), hence no pretraining by default.
//   fasttext  fastText supervised, word bigrams (text/fasttext_classifier.h), the baseline
//             (the hybrid's own lexical channel, so the comparison shows what the encoder adds)
// Metrics: accuracy and macro F1, mean and sample std over the folds, plus pooled accuracy
// per group (UCI's amazon / imdb / yelp files). With --checkpoint-dir a pretraining resumes
// from its last epoch and finished folds are not run again.
#ifndef TAILOR_TOOLS_BENCHMARK_SENTIMENT_H_
#define TAILOR_TOOLS_BENCHMARK_SENTIMENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tailor/status.h"
#include "text/sentiment_training.h"
#include "tools/cli.h"

namespace tailor::cli {

struct SentimentBenchmarkArgs {
  std::string dataset;         // folder or file (eval/sentiment_data.h)
  std::string text_model;      // encoder to fine-tune; empty = pretrain one on the texts
  std::string checkpoint_dir;  // empty = no resume
  int folds = 10;
  uint64_t seed = 42;          // folds, pretraining, fine-tuning, fastText
  // SentimentTrainOptions fields for the fine-tuning; under "encoder", TextPretrainOptions
  // fields for the pretraining (text_pretrain.h). {} = the defaults.
  nlohmann::json params = nlohmann::json::object();
  std::string json_out;
};

// The encoder tailor's sentiment fine-tunes, shared with `tailor sentiment-model`:
// `text_model` when given, else a new one for `texts` as described above (params "encoder":
// TextPretrainOptions fields; checkpoints in checkpoint_dir when it pretrains). `stats` gets
// the pretraining statistics. Errors: TextModel::Load's or PretrainTextModel's.
StatusOr<std::unique_ptr<TextModel>> SentimentEncoder(const std::vector<std::string>& texts,
                                                      const std::string& text_model,
                                                      const nlohmann::json& params,
                                                      const std::string& checkpoint_dir, int threads,
                                                      uint64_t seed, nlohmann::json* stats);
// The model options: "lexical_weight" (the fastText channel's weight, 0.5 by default; 0 =
// encoder only) and SentimentTrainOptions fields for the fine-tuning (params without
// "encoder"). Errors: kInvalidArgument naming a bad field.
StatusOr<SentimentModelOptions> SentimentTuneOptions(const nlohmann::json& params, int threads,
                                                     uint64_t seed);

// Runs the protocol above, prints the table to stderr and the JSON to stdout. Errors: the
// dataset's (file:line), kInvalidArgument for folds < 2 or more folds than texts or a bad
// param.
Status RunSentimentBenchmark(const GlobalOptions& global, const SentimentBenchmarkArgs& args);

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_BENCHMARK_SENTIMENT_H_
