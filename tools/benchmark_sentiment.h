// tailor benchmark --protocol sentiment: review sentiment measured by stratified k-fold
// cross-validation (eval/sentiment_data.h) on labelled sentences (UCI: negative / positive) or
// star-rated reviews (1-2 negative, 3 neutral, 4-5 positive). Per fold, on the other folds:
//   tailor    the text encoder fine-tuned with a classification head (FineTuneSentiment);
//             the encoder is --text-model, or one pretrained by masked-language modelling on
//             the dataset's own texts without their labels (every fold's text, so the
//             pretraining is transductive; the labels of the test fold are never seen)
//   fasttext  fastText supervised, word bigrams (text/fasttext_classifier.h), the baseline
// Metrics: accuracy and macro F1, mean and sample std over the folds, plus pooled accuracy
// per group (UCI's amazon / imdb / yelp files). With --checkpoint-dir the pretraining resumes
// from its last epoch and finished folds are not run again.
#ifndef TAILOR_TOOLS_BENCHMARK_SENTIMENT_H_
#define TAILOR_TOOLS_BENCHMARK_SENTIMENT_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "tailor/status.h"
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

// Runs the protocol above, prints the table to stderr and the JSON to stdout. Errors: the
// dataset's (file:line), kInvalidArgument for folds < 2 or more folds than texts or a bad
// param.
Status RunSentimentBenchmark(const GlobalOptions& global, const SentimentBenchmarkArgs& args);

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_BENCHMARK_SENTIMENT_H_
