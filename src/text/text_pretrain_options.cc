#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "models/params.h"
#include "text/text_pretrain.h"

namespace tailor {

StatusOr<TextPretrainOptions> TextPretrainOptions::FromJson(const nlohmann::json& params) {
  TextPretrainOptions options;
  ParamReader reader("text encoder", params);
  RETURN_IF_ERROR(reader.Int("hidden", &options.hidden, 8, 4096));
  RETURN_IF_ERROR(reader.Int("layers", &options.layers, 1, 48));
  RETURN_IF_ERROR(reader.Int("heads", &options.heads, 1, 64));
  RETURN_IF_ERROR(reader.Int("intermediate", &options.intermediate, 1, 16384));
  RETURN_IF_ERROR(reader.Int("max_tokens", &options.max_tokens, 4, 4096));
  RETURN_IF_ERROR(reader.Int("vocab_size", &options.vocab_size, 64, 1000000));
  RETURN_IF_ERROR(reader.Double("mask_probability", &options.mask_probability, 0.01, 0.9));
  RETURN_IF_ERROR(reader.Double("dropout", &options.dropout, 0.0, 0.9));
  RETURN_IF_ERROR(reader.Int("epochs", &options.epochs, 0, 10000));
  RETURN_IF_ERROR(reader.Int("patience", &options.patience, 0, 10000));
  RETURN_IF_ERROR(reader.Int("batch_texts", &options.batch_texts, 1, 100000));
  RETURN_IF_ERROR(reader.Double("learning_rate", &options.learning_rate, 1e-9, 10.0));
  RETURN_IF_ERROR(reader.Double("weight_decay", &options.weight_decay, 0.0, 10.0));
  RETURN_IF_ERROR(reader.Int("warmup_steps", &options.warmup_steps, 0, 1000000));
  RETURN_IF_ERROR(reader.Double("validation_share", &options.validation_share, 0.0, 0.5));
  RETURN_IF_ERROR(reader.Int("threads", &options.threads, 0, 1024));
  RETURN_IF_ERROR(reader.Finish());
  if (options.hidden % options.heads != 0) {
    return InvalidArgumentError("text encoder: param 'heads': must divide hidden (" +
                                std::to_string(options.hidden) + "), got " +
                                std::to_string(options.heads));
  }
  return options;
}

nlohmann::json TextPretrainOptions::ToJson() const {
  return {{"hidden", hidden},
          {"layers", layers},
          {"heads", heads},
          {"intermediate", intermediate},
          {"max_tokens", max_tokens},
          {"vocab_size", vocab_size},
          {"mask_probability", mask_probability},
          {"dropout", dropout},
          {"epochs", epochs},
          {"patience", patience},
          {"batch_texts", batch_texts},
          {"learning_rate", learning_rate},
          {"weight_decay", weight_decay},
          {"warmup_steps", warmup_steps},
          {"validation_share", validation_share},
          {"threads", threads}};
}

StatusOr<SentimentTrainOptions> SentimentTrainOptions::FromJson(const nlohmann::json& params) {
  SentimentTrainOptions options;
  ParamReader reader("sentiment", params);
  RETURN_IF_ERROR(reader.Int("epochs", &options.epochs, 1, 10000));
  RETURN_IF_ERROR(reader.Int("patience", &options.patience, 0, 10000));
  RETURN_IF_ERROR(reader.Int("batch_texts", &options.batch_texts, 1, 100000));
  RETURN_IF_ERROR(reader.Double("learning_rate", &options.learning_rate, 1e-9, 10.0));
  RETURN_IF_ERROR(reader.Double("weight_decay", &options.weight_decay, 0.0, 10.0));
  RETURN_IF_ERROR(reader.Double("warmup_share", &options.warmup_share, 0.0, 1.0));
  RETURN_IF_ERROR(reader.Double("dropout", &options.dropout, 0.0, 0.9));
  RETURN_IF_ERROR(reader.Double("validation_share", &options.validation_share, 0.0, 0.5));
  RETURN_IF_ERROR(reader.Int("threads", &options.threads, 0, 1024));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json SentimentTrainOptions::ToJson() const {
  return {{"epochs", epochs},
          {"patience", patience},
          {"batch_texts", batch_texts},
          {"learning_rate", learning_rate},
          {"weight_decay", weight_decay},
          {"warmup_share", warmup_share},
          {"dropout", dropout},
          {"validation_share", validation_share}};
}

SentimentSplit SplitSentimentTexts(size_t count, const SentimentTrainOptions& options) {
  std::vector<int32_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 split_rng(options.seed + 101);
  std::shuffle(order.begin(), order.end(), split_rng);
  const size_t held = std::min<size_t>(
      count / 2, static_cast<size_t>(std::ceil(options.validation_share * static_cast<double>(count))));
  SentimentSplit split{{order.begin() + held, order.end()}, {order.begin(), order.begin() + held}};
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.held_out.begin(), split.held_out.end());
  return split;
}

}  // namespace tailor
