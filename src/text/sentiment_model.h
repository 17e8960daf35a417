// SentimentModel: review sentiment from a fine-tuned text encoder. A TextModel (tokenizer +
// BERT encoder) and a linear head over its mean-pooled last layer (not scaled to unit length):
//   p(class | text) = softmax(W pool(text) + b),  W: [classes][dim], b: [classes].
// Trained by FineTuneSentiment (text_pretrain.h), which updates the encoder and the head
// together. Labels are names ("negative", "neutral", "positive"); their order is the head's
// row order.
//
// On disk: the TextModel directory (text_model.h) plus classifier.safetensors with the tensors
// "classifier.weight" and "classifier.bias" (the names of Hugging Face's
// BertForSequenceClassification) and the labels in its metadata ("labels": comma list).
// Immutable after creation; every method is const and thread-safe.
#ifndef TAILOR_TEXT_SENTIMENT_MODEL_H_
#define TAILOR_TEXT_SENTIMENT_MODEL_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tailor/status.h"
#include "text/text_model.h"

namespace tailor {

class SentimentModel {
 public:
  // Errors: kInvalidArgument for fewer than 2 labels, a label that is empty or holds a comma,
  // or a weight/bias size that does not match labels x text->dim().
  static StatusOr<std::unique_ptr<SentimentModel>> Create(std::unique_ptr<TextModel> text,
                                                          std::vector<std::string> labels,
                                                          std::vector<float> weight,
                                                          std::vector<float> bias);

  // Errors: TextModel::Load's, kNotFound for a missing classifier.safetensors, and
  // kInvalidArgument / kDataLoss naming the file for a head that does not fit the encoder.
  static StatusOr<std::unique_ptr<SentimentModel>> Load(const std::string& dir);
  // Errors: kUnavailable naming the path that could not be written.
  Status Save(const std::string& dir) const;

  const TextModel& text() const { return *text_; }
  const std::vector<std::string>& labels() const { return labels_; }
  int32_t num_classes() const { return static_cast<int32_t>(labels_.size()); }

  // Class probabilities of `text` into out (num_classes() floats).
  // Errors: kInvalidArgument for a wrong out size.
  Status Probabilities(std::string_view text, std::span<float> out) const;
  // The most probable class (the first one on ties).
  StatusOr<int32_t> Predict(std::string_view text) const;

 private:
  SentimentModel(std::unique_ptr<TextModel> text, std::vector<std::string> labels,
                 std::vector<float> weight, std::vector<float> bias)
      : text_(std::move(text)), labels_(std::move(labels)), weight_(std::move(weight)),
        bias_(std::move(bias)) {}
  std::unique_ptr<TextModel> text_;
  std::vector<std::string> labels_;
  std::vector<float> weight_;  // [classes][dim]
  std::vector<float> bias_;    // [classes]
};

}  // namespace tailor

#endif  // TAILOR_TEXT_SENTIMENT_MODEL_H_
