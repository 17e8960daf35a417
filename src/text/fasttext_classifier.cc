#include "text/fasttext_classifier.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fasttext/fasttext.h>

namespace tailor {
namespace {

constexpr char kLabelPrefix[] = "__label__";
constexpr int kBuckets = 200000;  // word-n-gram hash buckets (fastText's 2M is 400 MB at dim 50)

std::string LabelName(int32_t label) { return kLabelPrefix + std::to_string(label); }

// A fresh path under the temporary directory for this process.
std::string TempPath() {
  static std::atomic<int> counter{0};
  return (std::filesystem::temp_directory_path() /
          ("tailor-fasttext-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".txt"))
      .string();
}

}  // namespace

FastTextClassifier::FastTextClassifier(std::unique_ptr<fasttext::FastText> model, int32_t num_classes,
                                       int32_t fallback)
    : model_(std::move(model)), num_classes_(num_classes), fallback_(fallback) {}
FastTextClassifier::FastTextClassifier(FastTextClassifier&&) noexcept = default;
FastTextClassifier& FastTextClassifier::operator=(FastTextClassifier&&) noexcept = default;
FastTextClassifier::~FastTextClassifier() = default;

std::string FastTextClassifier::Normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (c == '!' || c == '?') {
      out += ' ';
      out += static_cast<char>(c);
      out += ' ';
    } else if (std::isalnum(c) || c == '\'' || c >= 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else {
      out += ' ';
    }
  }
  return out;
}

StatusOr<FastTextClassifier> FastTextClassifier::Train(const std::vector<std::string>& texts,
                                                       const std::vector<int32_t>& labels,
                                                       int32_t num_classes,
                                                       const FastTextOptions& options) {
  if (texts.size() != labels.size()) {
    return InvalidArgumentError("fasttext: " + std::to_string(texts.size()) + " texts but " +
                                std::to_string(labels.size()) + " labels");
  }
  std::vector<int64_t> counts(static_cast<size_t>(std::max(0, num_classes)), 0);
  const std::string path = TempPath();
  {
    std::ofstream out(path);
    if (!out) return UnavailableError(path + ": cannot write the fastText training file");
    bool any_word = false;
    for (size_t idx = 0; idx < texts.size(); ++idx) {
      if (labels[idx] < 0 || labels[idx] >= num_classes) {
        return InvalidArgumentError("fasttext: label " + std::to_string(labels[idx]) + " of text " +
                                    std::to_string(idx) + " is outside [0, " +
                                    std::to_string(num_classes) + ")");
      }
      const std::string words = Normalize(texts[idx]);
      if (words.find_first_not_of(' ') == std::string::npos) continue;
      any_word = true;
      ++counts[static_cast<size_t>(labels[idx])];
      out << LabelName(labels[idx]) << ' ' << words << '\n';
    }
    if (!any_word) {
      out.close();
      std::filesystem::remove(path);
      return InvalidArgumentError("fasttext: no training text has a word");
    }
    if (!out.flush()) return UnavailableError(path + ": write failed");
  }
  fasttext::Args args;
  args.input = path;
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.dim = options.dim;
  args.epoch = options.epochs;
  args.lr = options.learning_rate;
  args.wordNgrams = options.word_ngrams;
  args.minCount = options.min_count;
  args.minn = 0;
  args.maxn = 0;
  args.bucket = options.word_ngrams > 1 ? kBuckets : 0;
  args.thread = std::max(1, options.threads);
  args.seed = static_cast<int>(options.seed);
  args.verbose = 0;
  auto model = std::make_unique<fasttext::FastText>();
  std::string failure;
  try {
    model->train(args);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  if (!failure.empty()) return InternalError("fasttext: training failed: " + failure);
  const int32_t fallback =
      static_cast<int32_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  return FastTextClassifier(std::move(model), num_classes, fallback);
}

bool FastTextClassifier::KnowsAWord(const std::string& words) const {
  // fastText would still answer from the end-of-line token alone.
  std::istringstream split(words);
  std::string word;
  while (split >> word) {
    if (model_->getWordId(word) >= 0) return true;
  }
  return false;
}

int32_t FastTextClassifier::Predict(std::string_view text) const {
  const std::string words = Normalize(text);
  if (!KnowsAWord(words)) return fallback_;
  std::istringstream in(words + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  if (!model_->predictLine(in, predictions, 1, 0.0) || predictions.empty()) return fallback_;
  const std::string& label = predictions.front().second;
  if (!label.starts_with(kLabelPrefix)) return fallback_;
  return static_cast<int32_t>(std::stoi(label.substr(sizeof(kLabelPrefix) - 1)));
}

Status FastTextClassifier::Probabilities(std::string_view text, std::span<float> out) const {
  if (out.size() != static_cast<size_t>(num_classes_)) {
    return InvalidArgumentError("fasttext: out holds " + std::to_string(out.size()) + " floats, need " +
                                std::to_string(num_classes_));
  }
  const std::string words = Normalize(text);
  std::fill(out.begin(), out.end(), 0.0f);
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  if (KnowsAWord(words)) {
    std::istringstream in(words + "\n");
    model_->predictLine(in, predictions, num_classes_, 0.0);
  }
  double total = 0.0;
  for (const auto& [probability, label] : predictions) {
    if (!label.starts_with(kLabelPrefix)) continue;
    const int32_t index = std::stoi(label.substr(sizeof(kLabelPrefix) - 1));
    if (index < 0 || index >= num_classes_) continue;
    out[index] = probability;
    total += probability;
  }
  if (total <= 0.0) {
    std::fill(out.begin(), out.end(), 1.0f / static_cast<float>(num_classes_));
    return OkStatus();
  }
  for (float& value : out) value = static_cast<float>(value / total);
  return OkStatus();
}

Status FastTextClassifier::Save(const std::string& path) const {
  try {
    model_->saveModel(path);
  } catch (const std::exception& e) {
    return UnavailableError(path + ": cannot write the fastText model: " + e.what());
  }
  return OkStatus();
}

StatusOr<FastTextClassifier> FastTextClassifier::Load(const std::string& path, int32_t num_classes,
                                                      int32_t fallback_class) {
  if (!std::filesystem::exists(path)) return NotFoundError(path + ": no fastText model");
  auto model = std::make_unique<fasttext::FastText>();
  try {
    model->loadModel(path);
  } catch (const std::exception& e) {
    return DataLossError(path + ": not a fastText model: " + e.what());
  }
  return FastTextClassifier(std::move(model), num_classes, fallback_class);
}

}  // namespace tailor
