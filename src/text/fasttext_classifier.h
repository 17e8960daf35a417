// FastTextClassifier: the fastText supervised text classifier (Joulin et al. 2017, "Bag of
// Tricks for Efficient Text Classification", Debian's libfasttext): the average of word and
// word-n-gram embeddings into a linear softmax layer. tailor's baseline for review sentiment.
//
// Text is normalised before training and prediction the same way: lower-cased (ASCII), and
// every character that is not a letter, digit or apostrophe becomes a space, except that
// '!' and '?' stay as words of their own (they carry sentiment).
// Training writes the examples to a temporary file (fastText trains from a file) that is
// removed afterwards. With threads = 1 the result is deterministic in the seed.
// Thread-safety: immutable after Train/Load; Predict and Probabilities are const and
// thread-safe.
#ifndef TAILOR_TEXT_FASTTEXT_CLASSIFIER_H_
#define TAILOR_TEXT_FASTTEXT_CLASSIFIER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tailor/status.h"

namespace fasttext {
class FastText;
}

namespace tailor {

struct FastTextOptions {
  int dim = 50;
  int epochs = 25;
  double learning_rate = 0.5;
  int word_ngrams = 2;
  int min_count = 1;
  int threads = 1;
  uint64_t seed = 42;
};

class FastTextClassifier {
 public:
  FastTextClassifier(FastTextClassifier&&) noexcept;
  FastTextClassifier& operator=(FastTextClassifier&&) noexcept;
  ~FastTextClassifier();

  // labels[i] in [0, num_classes) is the class of texts[i]. Errors: kInvalidArgument for sizes
  // that differ, a label out of range or no text with a word; kUnavailable when the temporary
  // training file cannot be written; kInternal for a fastText failure.
  static StatusOr<FastTextClassifier> Train(const std::vector<std::string>& texts,
                                            const std::vector<int32_t>& labels, int32_t num_classes,
                                            const FastTextOptions& options);

  // The most probable class; the most frequent training class for a text without known words.
  int32_t Predict(std::string_view text) const;
  // The probability of every class into out (num_classes() floats; uniform for a text
  // without known words). Errors: kInvalidArgument for a wrong out size.
  Status Probabilities(std::string_view text, std::span<float> out) const;
  int32_t num_classes() const { return num_classes_; }

  // fastText's own binary model file. Save errors: kUnavailable naming the path. Load errors:
  // kNotFound for a missing file, kDataLoss for one fastText cannot read.
  Status Save(const std::string& path) const;
  // `fallback_class`: what fallback_class() said when the model was saved.
  static StatusOr<FastTextClassifier> Load(const std::string& path, int32_t num_classes,
                                           int32_t fallback_class);
  int32_t fallback_class() const { return fallback_; }

  // The normalisation described above (exposed for tests).
  static std::string Normalize(std::string_view text);

 private:
  FastTextClassifier(std::unique_ptr<fasttext::FastText> model, int32_t num_classes, int32_t fallback);
  // Whether any word of the normalised text is in the vocabulary.
  bool KnowsAWord(const std::string& words) const;
  std::unique_ptr<fasttext::FastText> model_;
  int32_t num_classes_ = 0;
  int32_t fallback_ = 0;
};

}  // namespace tailor

#endif  // TAILOR_TEXT_FASTTEXT_CLASSIFIER_H_
