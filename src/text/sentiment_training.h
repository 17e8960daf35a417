// TrainSentimentModel: tailor's review-sentiment model, hybrid (sentiment_model.h): the
// encoder fine-tuned with a classification head (FineTuneSentiment) and a TF-IDF logistic
// regression (tfidf_classifier.h) trained on the same labelled texts, their class
// probabilities mixed as (1 - w) p_encoder + w p_lexical.
//
// The weight w, unless given, is chosen on the texts the fine-tuning holds out for early
// stopping (SplitSentimentTexts): a second regression is trained without them, both
// channels classify them, and ChooseMixWeight picks the w of the grid 0, 0.05, ..., 1 that
// classifies the most of them right. The two channels are calibrated differently (the
// regression's probabilities are less extreme than a fine-tuned network's), so a fixed w
// lets whichever is more confident decide; on the UCI sentences w = 0.5 fell below the
// regression alone (docs/benchmarks.md).
#ifndef TAILOR_TEXT_SENTIMENT_TRAINING_H_
#define TAILOR_TEXT_SENTIMENT_TRAINING_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tailor/status.h"
#include "text/sentiment_model.h"
#include "text/text_pretrain.h"
#include "text/tfidf_classifier.h"

namespace tailor {

struct SentimentModelOptions {
  SentimentTrainOptions encoder;         // the fine-tuning
  TfidfClassifierOptions lexical;        // the lexical channel
  std::optional<double> lexical_weight;  // unset = chosen on the held-out texts (0.5 when the
                                         // fine-tuning holds none out); 0 = encoder only
};

// What ChooseMixWeight found: the weight and the held-out accuracy at it, of the encoder alone
// (w = 0) and of the lexical channel alone (w = 1).
struct MixChoice {
  double weight = 0.5;
  double accuracy = 0.0;
  double encoder_accuracy = 0.0;
  double lexical_accuracy = 0.0;
};

// encoder and lexical hold labels.size() rows of `classes` probabilities each. Picks the w in
// {0, 0.05, ..., 1} whose mix (1 - w) encoder + w lexical has the most rows whose largest
// class (the first on ties) is the label; among those, the lowest mean -ln p(label), then the w
// nearest 0.5. Errors: kInvalidArgument for no rows or sizes that do not fit.
StatusOr<MixChoice> ChooseMixWeight(std::span<const float> encoder, std::span<const float> lexical,
                                    std::span<const int32_t> labels, int32_t classes);

// `stats` (optional) gets {"fine_tune": FineTuneSentiment's stats, "lexical_seconds": s,
// "lexical_weight": w, "mix_choice": {texts, accuracy, encoder_accuracy, lexical_accuracy}
// when w was chosen}. Errors: FineTuneSentiment's and TfidfClassifier::Train's;
// kInvalidArgument for a lexical weight outside [0, 1].
StatusOr<std::unique_ptr<SentimentModel>> TrainSentimentModel(
    const TextModel& base, const std::vector<std::string>& texts, const std::vector<int32_t>& labels,
    const std::vector<std::string>& label_names, const SentimentModelOptions& options,
    nlohmann::json* stats = nullptr);

}  // namespace tailor

#endif  // TAILOR_TEXT_SENTIMENT_TRAINING_H_
