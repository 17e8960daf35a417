// TrainSentimentModel: tailor's review-sentiment model, hybrid (sentiment_model.h): the
// encoder fine-tuned with a classification head (FineTuneSentiment) and a TF-IDF logistic
// regression (tfidf_classifier.h) trained on the same labelled texts, mixed with weight options.lexical_weight.
#ifndef TAILOR_TEXT_SENTIMENT_TRAINING_H_
#define TAILOR_TEXT_SENTIMENT_TRAINING_H_

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tailor/status.h"
#include "text/tfidf_classifier.h"
#include "text/sentiment_model.h"
#include "text/text_pretrain.h"

namespace tailor {

struct SentimentModelOptions {
  SentimentTrainOptions encoder;   // the fine-tuning
  TfidfClassifierOptions lexical;  // the lexical channel
  double lexical_weight = 0.5;     // 0 = encoder only (no lexical channel is trained)
};

// `stats` (optional) gets {"fine_tune": FineTuneSentiment's stats, "lexical_seconds": s}.
// Errors: FineTuneSentiment's and TfidfClassifier::Train's; kInvalidArgument for a
// lexical weight outside [0, 1].
StatusOr<std::unique_ptr<SentimentModel>> TrainSentimentModel(
    const TextModel& base, const std::vector<std::string>& texts, const std::vector<int32_t>& labels,
    const std::vector<std::string>& label_names, const SentimentModelOptions& options,
    nlohmann::json* stats = nullptr);

}  // namespace tailor

#endif  // TAILOR_TEXT_SENTIMENT_TRAINING_H_
