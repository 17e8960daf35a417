#include "text/sentiment_model.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "text/safetensors.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

constexpr char kClassifierFile[] = "classifier.safetensors";
constexpr char kWeightName[] = "classifier.weight";
constexpr char kBiasName[] = "classifier.bias";
constexpr char kFastTextFile[] = "fasttext.bin";  // the channel of models saved before tfidf
constexpr char kLexicalPrefix[] = "lexical";         // lexical.safetensors, lexical_terms.txt

std::vector<std::string> SplitLabels(const std::string& joined) {
  std::vector<std::string> labels;
  size_t begin = 0;
  while (begin <= joined.size()) {
    const size_t comma = std::min(joined.find(',', begin), joined.size());
    labels.push_back(joined.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return labels;
}

}  // namespace

StatusOr<std::unique_ptr<SentimentModel>> SentimentModel::Create(std::unique_ptr<TextModel> text,
                                                                 std::vector<std::string> labels,
                                                                 std::vector<float> weight,
                                                                 std::vector<float> bias) {
  if (text == nullptr) return InvalidArgumentError("sentiment model: no text model");
  if (labels.size() < 2) {
    return InvalidArgumentError("sentiment model: " + std::to_string(labels.size()) +
                                " labels, need at least 2");
  }
  for (const std::string& label : labels) {
    if (label.empty() || label.find(',') != std::string::npos) {
      return InvalidArgumentError("sentiment model: label '" + label +
                                  "' must be non-empty and hold no comma");
    }
  }
  const size_t classes = labels.size();
  const size_t dim = static_cast<size_t>(text->dim());
  if (weight.size() != classes * dim || bias.size() != classes) {
    return InvalidArgumentError("sentiment model: head of " + std::to_string(weight.size()) +
                                " weights and " + std::to_string(bias.size()) +
                                " biases does not fit " + std::to_string(classes) + " labels x " +
                                std::to_string(dim) + " dims");
  }
  return std::unique_ptr<SentimentModel>(
      new SentimentModel(std::move(text), std::move(labels), std::move(weight), std::move(bias)));
}

StatusOr<std::unique_ptr<SentimentModel>> SentimentModel::Load(const std::string& dir) {
  ASSIGN_OR_RETURN(std::unique_ptr<TextModel> text, TextModel::Load(dir));
  const std::string path = (fs::path(dir) / kClassifierFile).string();
  if (!fs::exists(path)) return NotFoundError(path + ": no sentiment head in this directory");
  ASSIGN_OR_RETURN(SafeTensors tensors, SafeTensors::Read(path));
  const auto labels_entry = tensors.metadata().find("labels");
  if (labels_entry == tensors.metadata().end()) {
    return InvalidArgumentError(path + ": metadata 'labels' is missing");
  }
  std::vector<std::string> labels = SplitLabels(labels_entry->second);
  const int64_t classes = static_cast<int64_t>(labels.size());
  ASSIGN_OR_RETURN(std::vector<float> weight, tensors.Floats(kWeightName, {classes, text->dim()}));
  ASSIGN_OR_RETURN(std::vector<float> bias, tensors.Floats(kBiasName, {classes}));
  auto model = Create(std::move(text), std::move(labels), std::move(weight), std::move(bias));
  if (!model.ok()) return InvalidArgumentError(path + ": " + std::string(model.status().message()));
  const auto lexical_weight = tensors.metadata().find("lexical_weight");
  if (lexical_weight == tensors.metadata().end()) return model;
  const double mix = std::atof(lexical_weight->second.c_str());
  const auto kind = tensors.metadata().find("lexical_kind");
  if (kind != tensors.metadata().end()) {
    if (kind->second != "tfidf") {
      return InvalidArgumentError(path + ": unknown lexical_kind '" + kind->second + "'");
    }
    ASSIGN_OR_RETURN(TfidfClassifier lexical,
                     TfidfClassifier::Load((fs::path(dir) / kLexicalPrefix).string()));
    return WithLexical(std::move(*model), std::move(lexical), mix);
  }
  const auto fallback = tensors.metadata().find("lexical_fallback");
  ASSIGN_OR_RETURN(FastTextClassifier fasttext,
                   FastTextClassifier::Load((fs::path(dir) / kFastTextFile).string(),
                                            static_cast<int32_t>(classes),
                                            fallback == tensors.metadata().end()
                                                ? 0
                                                : std::atoi(fallback->second.c_str())));
  if (fasttext.num_classes() != classes || !(mix >= 0.0 && mix <= 1.0)) {
    return InvalidArgumentError(path + ": the fastText channel does not fit the head");
  }
  (*model)->fasttext_ = std::make_unique<FastTextClassifier>(std::move(fasttext));
  (*model)->lexical_weight_ = mix;
  return model;
}

StatusOr<std::unique_ptr<SentimentModel>> SentimentModel::WithLexical(std::unique_ptr<SentimentModel> model,
                                                                      TfidfClassifier lexical,
                                                                      double weight) {
  if (!(weight >= 0.0 && weight <= 1.0)) {
    return InvalidArgumentError("sentiment model: lexical weight " + std::to_string(weight) +
                                " is outside [0, 1]");
  }
  if (lexical.num_classes() != model->num_classes()) {
    return InvalidArgumentError("sentiment model: the lexical channel has " +
                                std::to_string(lexical.num_classes()) + " classes, the head " +
                                std::to_string(model->num_classes()));
  }
  model->lexical_ = std::make_unique<TfidfClassifier>(std::move(lexical));
  model->lexical_weight_ = weight;
  return model;
}

Status SentimentModel::Save(const std::string& dir) const {
  // Text model and head are written into a temporary directory that replaces `dir` whole.
  const fs::path target(dir);
  const fs::path temp = target.string() + ".sentiment-" + std::to_string(::getpid());
  RETURN_IF_ERROR(text_->Save(temp.string()));
  std::string joined;
  for (const std::string& label : labels_) joined += (joined.empty() ? "" : ",") + label;
  const int64_t classes = num_classes();
  std::map<std::string, std::string> metadata = {{"labels", joined}, {"written_by", "tailor"}};
  if (lexical_) {
    RETURN_IF_ERROR(lexical_->Save((temp / kLexicalPrefix).string()));
    metadata["lexical_weight"] = std::to_string(lexical_weight_);
    metadata["lexical_kind"] = "tfidf";
  } else if (fasttext_) {
    RETURN_IF_ERROR(fasttext_->Save((temp / kFastTextFile).string()));
    metadata["lexical_weight"] = std::to_string(lexical_weight_);
    metadata["lexical_fallback"] = std::to_string(fasttext_->fallback_class());
  }
  RETURN_IF_ERROR(WriteSafeTensors((temp / kClassifierFile).string(),
                                   {{kWeightName, {classes, text_->dim()}, weight_},
                                    {kBiasName, {classes}, bias_}},
                                   metadata));
  return ReplaceDirectory(temp.string(), dir);
}

Status SentimentModel::Probabilities(std::string_view text, std::span<float> out) const {
  RETURN_IF_ERROR(EncoderProbabilities(text, out));
  if ((!lexical_ && !fasttext_) || lexical_weight_ <= 0.0) return OkStatus();
  std::vector<float> lexical(out.size());
  RETURN_IF_ERROR(lexical_ ? lexical_->Probabilities(text, lexical)
                           : fasttext_->Probabilities(text, lexical));
  for (size_t label = 0; label < out.size(); ++label) {
    out[label] = static_cast<float>((1.0 - lexical_weight_) * out[label] + lexical_weight_ * lexical[label]);
  }
  return OkStatus();
}

Status SentimentModel::EncoderProbabilities(std::string_view text, std::span<float> out) const {
  if (out.size() != labels_.size()) {
    return InvalidArgumentError("sentiment: out holds " + std::to_string(out.size()) +
                                " floats, need " + std::to_string(labels_.size()));
  }
  const size_t dim = static_cast<size_t>(text_->dim());
  std::vector<float> pooled(dim);
  RETURN_IF_ERROR(text_->encoder().Embed(text_->Tokens(text), BertPooling::kMean,
                                         /*normalize=*/false, pooled));
  float top = -INFINITY;
  for (size_t label = 0; label < labels_.size(); ++label) {
    double logit = bias_[label];
    for (size_t d = 0; d < dim; ++d) logit += static_cast<double>(weight_[label * dim + d]) * pooled[d];
    out[label] = static_cast<float>(logit);
    top = std::max(top, out[label]);
  }
  double total = 0.0;
  for (float& value : out) {
    value = std::exp(value - top);
    total += value;
  }
  for (float& value : out) value = static_cast<float>(value / total);
  return OkStatus();
}

StatusOr<int32_t> SentimentModel::Predict(std::string_view text) const {
  std::vector<float> probabilities(labels_.size());
  RETURN_IF_ERROR(Probabilities(text, probabilities));
  return static_cast<int32_t>(std::max_element(probabilities.begin(), probabilities.end()) -
                              probabilities.begin());
}

}  // namespace tailor
