// SentimentModel: review sentiment from a fine-tuned text encoder, optionally hybrid with a
// lexical channel. The encoder channel is a TextModel (tokenizer + BERT encoder) and a linear
// head over its mean-pooled last layer (not scaled to unit length):
//   p_enc(class | text) = softmax(W pool(text) + b),  W: [classes][dim], b: [classes],
// trained by FineTuneSentiment (text_pretrain.h), which updates the encoder and the head
// together. The lexical channel (optional) is a logistic regression over TF-IDF words, word
// bigrams and character n-grams (tfidf_classifier.h); with it
//   p(class | text) = (1 - w) p_enc + w p_lexical,   w = lexical_weight()
// (TrainSentimentModel in sentiment_training.h chooses w on held-out texts).
// As in the hybrid search, the exact words and the encoder's reading of them make fewer
// mistakes together than apart (docs/benchmarks.md). Labels are names ("negative", "neutral",
// "positive"); their order is the head's row order.
//
// On disk: the TextModel directory (text_model.h) plus classifier.safetensors with the tensors
// "classifier.weight" and "classifier.bias" (the names of Hugging Face's
// BertForSequenceClassification) and the labels in its metadata ("labels": comma list), and
// for the lexical channel lexical.safetensors + lexical_terms.txt (tfidf_classifier.h) with
// "lexical_weight" and "lexical_kind": "tfidf" in the same metadata. Models saved before
// 2026-12-07 have a fastText channel instead (fasttext.bin, no "lexical_kind"); they load and
// save as they are.
// Immutable after creation; every method is const and thread-safe.
#ifndef TAILOR_TEXT_SENTIMENT_MODEL_H_
#define TAILOR_TEXT_SENTIMENT_MODEL_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tailor/status.h"
#include "text/fasttext_classifier.h"
#include "text/tfidf_classifier.h"
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

  // The same model with a lexical channel of weight `weight` in [0, 1].
  // Errors: kInvalidArgument for a weight outside [0, 1] or a channel of another class count.
  static StatusOr<std::unique_ptr<SentimentModel>> WithLexical(std::unique_ptr<SentimentModel> model,
                                                               TfidfClassifier lexical, double weight);

  const TextModel& text() const { return *text_; }
  // The TF-IDF channel (null for none, and for a model with the older fastText channel).
  const TfidfClassifier* lexical() const { return lexical_.get(); }
  double lexical_weight() const { return lexical_ || fasttext_ ? lexical_weight_ : 0.0; }
  const std::vector<std::string>& labels() const { return labels_; }
  int32_t num_classes() const { return static_cast<int32_t>(labels_.size()); }

  // Class probabilities of `text` into out (num_classes() floats): both channels mixed.
  // Errors: kInvalidArgument for a wrong out size.
  Status Probabilities(std::string_view text, std::span<float> out) const;
  // The encoder channel alone.
  Status EncoderProbabilities(std::string_view text, std::span<float> out) const;
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
  std::unique_ptr<TfidfClassifier> lexical_;      // null = encoder only (or fasttext_)
  std::unique_ptr<FastTextClassifier> fasttext_;  // the channel of models saved before it
  double lexical_weight_ = 0.0;
};

}  // namespace tailor

#endif  // TAILOR_TEXT_SENTIMENT_MODEL_H_
