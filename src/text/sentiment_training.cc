#include "text/sentiment_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tailor {
namespace {

constexpr int kMixSteps = 20;  // the grid 0, 1/20, ..., 1

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The mix weight for `model`'s encoder channel and a regression trained without the rows the
// fine-tuning held out, chosen on those rows.
StatusOr<MixChoice> ChooseOnHeldOut(const SentimentModel& model, const std::vector<std::string>& texts,
                                    const std::vector<int32_t>& labels,
                                    const SentimentSplit& split, int32_t classes,
                                    const TfidfClassifierOptions& options) {
  const std::vector<int32_t>& held_out = split.held_out;
  std::vector<std::string> train_texts;
  std::vector<int32_t> train_labels;
  for (int32_t row : split.train) {
    train_texts.push_back(texts[row]);
    train_labels.push_back(labels[row]);
  }
  ASSIGN_OR_RETURN(TfidfClassifier probe,
                   TfidfClassifier::Train(train_texts, train_labels, classes, options));
  const size_t width = static_cast<size_t>(classes);
  std::vector<float> encoder(held_out.size() * width), lexical(held_out.size() * width);
  std::vector<int32_t> held_labels;
  for (size_t pos = 0; pos < held_out.size(); ++pos) {
    const std::string& text = texts[held_out[pos]];
    RETURN_IF_ERROR(model.EncoderProbabilities(text, {encoder.data() + pos * width, width}));
    RETURN_IF_ERROR(probe.Probabilities(text, {lexical.data() + pos * width, width}));
    held_labels.push_back(labels[held_out[pos]]);
  }
  return ChooseMixWeight(encoder, lexical, held_labels, classes);
}

}  // namespace

StatusOr<MixChoice> ChooseMixWeight(std::span<const float> encoder, std::span<const float> lexical,
                                    std::span<const int32_t> labels, int32_t classes) {
  const size_t rows = labels.size();
  const size_t width = static_cast<size_t>(std::max(classes, 0));
  if (rows == 0 || classes < 2 || encoder.size() != rows * width || lexical.size() != rows * width) {
    return InvalidArgumentError("sentiment mix: expected " + std::to_string(rows) + " rows of " +
                                std::to_string(classes) + " probabilities per channel (at least 1 row, "
                                "2 classes), got " + std::to_string(encoder.size()) + " and " +
                                std::to_string(lexical.size()) + " floats");
  }
  for (int32_t label : labels) {
    if (label < 0 || label >= classes) {
      return InvalidArgumentError("sentiment mix: label " + std::to_string(label) + " is outside [0, " +
                                  std::to_string(classes) + ")");
    }
  }
  MixChoice best;
  int64_t best_correct = -1;
  double best_loss = 0.0;
  std::vector<double> mixed(width);
  for (int step = 0; step <= kMixSteps; ++step) {
    const double w = static_cast<double>(step) / kMixSteps;
    int64_t correct = 0;
    double loss = 0.0;
    for (size_t row = 0; row < rows; ++row) {
      for (size_t label = 0; label < width; ++label) {
        mixed[label] = (1.0 - w) * encoder[row * width + label] + w * lexical[row * width + label];
      }
      correct += std::max_element(mixed.begin(), mixed.end()) - mixed.begin() == labels[row];
      loss -= std::log(std::max(mixed[labels[row]], 1e-12));
    }
    const double accuracy = static_cast<double>(correct) / static_cast<double>(rows);
    if (step == 0) best.encoder_accuracy = accuracy;
    if (step == kMixSteps) best.lexical_accuracy = accuracy;
    const bool better =
        correct > best_correct ||
        (correct == best_correct &&
         (loss < best_loss - 1e-9 ||
          (loss <= best_loss + 1e-9 && std::abs(w - 0.5) < std::abs(best.weight - 0.5))));
    if (better) {
      best_correct = correct;
      best_loss = loss;
      best.weight = w;
      best.accuracy = accuracy;
    }
  }
  return best;
}

StatusOr<std::unique_ptr<SentimentModel>> TrainSentimentModel(
    const TextModel& base, const std::vector<std::string>& texts, const std::vector<int32_t>& labels,
    const std::vector<std::string>& label_names, const SentimentModelOptions& options,
    nlohmann::json* stats) {
  if (options.lexical_weight && !(*options.lexical_weight >= 0.0 && *options.lexical_weight <= 1.0)) {
    return InvalidArgumentError("sentiment: lexical_weight " + std::to_string(*options.lexical_weight) +
                                " is outside [0, 1]");
  }
  nlohmann::json fine_tune;
  ASSIGN_OR_RETURN(std::unique_ptr<SentimentModel> model,
                   FineTuneSentiment(base, texts, labels, label_names, options.encoder, &fine_tune));
  if (stats != nullptr) *stats = {{"fine_tune", fine_tune}};
  if (options.lexical_weight && *options.lexical_weight <= 0.0) return model;
  const auto start = std::chrono::steady_clock::now();
  const int32_t classes = static_cast<int32_t>(label_names.size());
  double weight = options.lexical_weight.value_or(0.5);
  const SentimentSplit split = SplitSentimentTexts(texts.size(), options.encoder);
  if (!options.lexical_weight && !split.held_out.empty()) {
    ASSIGN_OR_RETURN(MixChoice choice,
                     ChooseOnHeldOut(*model, texts, labels, split, classes, options.lexical));
    weight = choice.weight;
    if (stats != nullptr) {
      (*stats)["mix_choice"] = {{"texts", split.held_out.size()},
                                {"accuracy", choice.accuracy},
                                {"encoder_accuracy", choice.encoder_accuracy},
                                {"lexical_accuracy", choice.lexical_accuracy}};
    }
  }
  if (stats != nullptr) (*stats)["lexical_weight"] = weight;
  if (weight <= 0.0) return model;  // the held-out texts preferred the encoder alone
  ASSIGN_OR_RETURN(TfidfClassifier lexical,
                   TfidfClassifier::Train(texts, labels, classes, options.lexical));
  if (stats != nullptr) (*stats)["lexical_seconds"] = SecondsSince(start);
  return SentimentModel::WithLexical(std::move(model), std::move(lexical), weight);
}

}  // namespace tailor
