#include "text/sentiment_training.h"

#include <chrono>

namespace tailor {

StatusOr<std::unique_ptr<SentimentModel>> TrainSentimentModel(
    const TextModel& base, const std::vector<std::string>& texts, const std::vector<int32_t>& labels,
    const std::vector<std::string>& label_names, const SentimentModelOptions& options,
    nlohmann::json* stats) {
  if (!(options.lexical_weight >= 0.0 && options.lexical_weight <= 1.0)) {
    return InvalidArgumentError("sentiment: lexical_weight " + std::to_string(options.lexical_weight) +
                                " is outside [0, 1]");
  }
  nlohmann::json fine_tune;
  ASSIGN_OR_RETURN(std::unique_ptr<SentimentModel> model,
                   FineTuneSentiment(base, texts, labels, label_names, options.encoder, &fine_tune));
  if (stats != nullptr) *stats = {{"fine_tune", fine_tune}};
  if (options.lexical_weight <= 0.0) return model;
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(TfidfClassifier lexical,
                   TfidfClassifier::Train(texts, labels, static_cast<int32_t>(label_names.size()),
                                          options.lexical));
  if (stats != nullptr) {
    (*stats)["lexical_seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return SentimentModel::WithLexical(std::move(model), std::move(lexical), options.lexical_weight);
}

}  // namespace tailor
