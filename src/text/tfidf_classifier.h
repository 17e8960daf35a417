// TfidfClassifier: a linear classifier over sparse TF-IDF features, the lexical channel of
// review sentiment (sentiment_model.h). Features of a text, after FastTextClassifier::Normalize
// (lower-cased, punctuation dropped except '!' and '?', which become words):
//   word block  the words and the word bigrams;
//   char block  the character 2- to 5-grams of every word padded with one space each side
//               (" good " -> " g", "go", ..., "ood ") -- they carry misspellings and word
//               stems ("disappoint" in "disappointed"/"disappointing").
// Each block is weighted like index/tfidf_vectors.h ((1 + ln tf) * (ln((1 + N) / (1 + df)) + 1),
// df over the training texts) and scaled to unit length on its own; features never seen in
// training are dropped. The classes: p(c | x) = softmax(W x + b), W fit by multinomial logistic
// regression: minimise mean cross-entropy + ||W||^2 / (2 C N) (scikit-learn's L2 objective,
// C = 10), full-batch Adam. (On the UCI sentences this feature set with scikit-learn's solver
// scored 0.856 in 10-fold cross-validation against fastText's 0.826; docs/benchmarks.md.)
// Deterministic: no randomness in training. Immutable after Train/Load; thread-safe.
#ifndef TAILOR_TEXT_TFIDF_CLASSIFIER_H_
#define TAILOR_TEXT_TFIDF_CLASSIFIER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tailor/status.h"

namespace tailor {

struct TfidfClassifierOptions {
  double c = 10.0;         // inverse L2 strength (> 0)
  int iterations = 300;    // full-batch Adam steps (>= 1)
  double learning_rate = 0.1;
};

class TfidfClassifier {
 public:
  // labels[i] in [0, num_classes) is the class of texts[i]. Errors: kInvalidArgument for
  // sizes that differ, fewer than 2 classes, a label out of range, no texts or bad options.
  static StatusOr<TfidfClassifier> Train(const std::vector<std::string>& texts,
                                         const std::vector<int32_t>& labels, int32_t num_classes,
                                         const TfidfClassifierOptions& options = {});

  // The probability of every class into out (num_classes() floats; softmax(b) for a text
  // without a known feature). Errors: kInvalidArgument for a wrong out size.
  Status Probabilities(std::string_view text, std::span<float> out) const;
  // The most probable class (the first one on ties).
  int32_t Predict(std::string_view text) const;
  int32_t num_classes() const { return num_classes_; }
  int32_t num_features() const { return static_cast<int32_t>(terms_.size()); }

  // Two files: `<prefix>.safetensors` (tensors "lexical.weight" [classes][features],
  // "lexical.bias" [classes], "lexical.idf" [features]) and `<prefix>_terms.txt` (feature
  // f's term on line f: "w <word or bigram>" or "c <n-gram>"). Save errors: kUnavailable
  // naming the path. Load errors: kNotFound for a missing file, kDataLoss / kInvalidArgument
  // naming the file for one that does not fit.
  Status Save(const std::string& prefix) const;
  static StatusOr<TfidfClassifier> Load(const std::string& prefix);

 private:
  using SparseRow = std::vector<std::pair<int32_t, float>>;
  // The features of `text` with the vocabulary (unknown ones dropped), unit per block.
  SparseRow Features(std::string_view text) const;
  void Scores(const SparseRow& row, std::span<double> out) const;

  int32_t num_classes_ = 0;
  std::vector<std::string> terms_;              // [feature] "w ..." / "c ..."
  std::unordered_map<std::string, int32_t> ids_;
  std::vector<float> idf_;                      // [feature]
  std::vector<float> weight_;                   // [class][feature]
  std::vector<float> bias_;                     // [class]
};

}  // namespace tailor

#endif  // TAILOR_TEXT_TFIDF_CLASSIFIER_H_
