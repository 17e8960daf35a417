#include "text/tfidf_classifier.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

#include "text/fasttext_classifier.h"
#include "text/safetensors.h"

namespace tailor {
namespace {

constexpr char kWeightName[] = "lexical.weight";
constexpr char kBiasName[] = "lexical.bias";
constexpr char kIdfName[] = "lexical.idf";

// The terms of `text` with their counts: "w " + word / bigram, "c " + character n-gram.
std::map<std::string, int32_t> TermCounts(std::string_view text) {
  std::vector<std::string> words;
  const std::string normalized = FastTextClassifier::Normalize(text);
  size_t at = 0;
  while (at < normalized.size()) {
    while (at < normalized.size() && normalized[at] == ' ') ++at;
    size_t end = at;
    while (end < normalized.size() && normalized[end] != ' ') ++end;
    if (end > at) words.emplace_back(normalized.substr(at, end - at));
    at = end;
  }
  std::map<std::string, int32_t> counts;
  for (size_t pos = 0; pos < words.size(); ++pos) {
    ++counts["w " + words[pos]];
    if (pos + 1 < words.size()) ++counts["w " + words[pos] + " " + words[pos + 1]];
    const std::string padded = " " + words[pos] + " ";
    for (size_t n = 2; n <= 5; ++n) {
      for (size_t start = 0; start + n <= padded.size(); ++start) {
        ++counts["c " + padded.substr(start, n)];
      }
    }
  }
  return counts;
}

double SublinearTf(int32_t count) { return 1.0 + std::log(static_cast<double>(count)); }

// Scales the entries of each block (the term's first letter) to unit length.
void NormalizeBlocks(const std::vector<std::string>& terms,
                     std::vector<std::pair<int32_t, float>>* row) {
  double squares[2] = {0.0, 0.0};
  for (const auto& [feature, value] : *row) squares[terms[feature][0] == 'c'] += value * value;
  for (auto& [feature, value] : *row) {
    const double total = squares[terms[feature][0] == 'c'];
    if (total > 0.0) value = static_cast<float>(value / std::sqrt(total));
  }
}

}  // namespace

StatusOr<TfidfClassifier> TfidfClassifier::Train(const std::vector<std::string>& texts,
                                                 const std::vector<int32_t>& labels,
                                                 int32_t num_classes,
                                                 const TfidfClassifierOptions& options) {
  if (texts.size() != labels.size()) {
    return InvalidArgumentError("tfidf classifier: " + std::to_string(texts.size()) + " texts but " +
                                std::to_string(labels.size()) + " labels");
  }
  if (texts.empty()) return InvalidArgumentError("tfidf classifier: no texts");
  if (num_classes < 2) return InvalidArgumentError("tfidf classifier: fewer than 2 classes");
  if (!(options.c > 0.0) || options.iterations < 1 || !(options.learning_rate > 0.0)) {
    return InvalidArgumentError("tfidf classifier: c and learning_rate must be > 0, iterations >= 1");
  }
  for (size_t idx = 0; idx < labels.size(); ++idx) {
    if (labels[idx] < 0 || labels[idx] >= num_classes) {
      return InvalidArgumentError("tfidf classifier: label " + std::to_string(labels[idx]) +
                                  " of text " + std::to_string(idx) + " is outside [0, " +
                                  std::to_string(num_classes) + ")");
    }
  }
  TfidfClassifier model;
  model.num_classes_ = num_classes;
  std::vector<std::map<std::string, int32_t>> counts;
  counts.reserve(texts.size());
  std::vector<int64_t> df;
  for (const std::string& text : texts) {
    counts.push_back(TermCounts(text));
    for (const auto& [term, count] : counts.back()) {
      const auto [found, inserted] =
          model.ids_.try_emplace(term, static_cast<int32_t>(model.terms_.size()));
      if (inserted) {
        model.terms_.push_back(term);
        df.push_back(0);
      }
      ++df[found->second];
    }
  }
  const double n = static_cast<double>(texts.size());
  const int32_t features = model.num_features();
  model.idf_.resize(features);
  for (int32_t feature = 0; feature < features; ++feature) {
    model.idf_[feature] = static_cast<float>(std::log((1.0 + n) / (1.0 + df[feature])) + 1.0);
  }
  std::vector<SparseRow> rows(texts.size());
  for (size_t doc = 0; doc < texts.size(); ++doc) {
    for (const auto& [term, count] : counts[doc]) {
      const int32_t feature = model.ids_.at(term);
      rows[doc].emplace_back(feature, static_cast<float>(SublinearTf(count) * model.idf_[feature]));
    }
    NormalizeBlocks(model.terms_, &rows[doc]);
  }
  counts.clear();

  // Full-batch Adam on mean cross-entropy + lambda / 2 ||W||^2 (the bias is not penalised).
  const size_t params = static_cast<size_t>(num_classes) * (features + 1);  // W rows, then b
  std::vector<double> theta(params, 0.0), grad(params), m(params, 0.0), v(params, 0.0);
  const double lambda = 1.0 / (options.c * n);
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  std::vector<double> logits(num_classes);
  const size_t bias_at = static_cast<size_t>(num_classes) * features;
  for (int step = 1; step <= options.iterations; ++step) {
    for (size_t at = 0; at < bias_at; ++at) grad[at] = lambda * theta[at];
    std::fill(grad.begin() + bias_at, grad.end(), 0.0);
    for (size_t doc = 0; doc < rows.size(); ++doc) {
      for (int32_t c = 0; c < num_classes; ++c) {
        double z = theta[bias_at + c];
        const double* w = theta.data() + static_cast<size_t>(c) * features;
        for (const auto& [feature, value] : rows[doc]) z += w[feature] * value;
        logits[c] = z;
      }
      const double top = *std::max_element(logits.begin(), logits.end());
      double total = 0.0;
      for (double& z : logits) total += (z = std::exp(z - top));
      for (int32_t c = 0; c < num_classes; ++c) {
        const double delta = (logits[c] / total - (labels[doc] == c ? 1.0 : 0.0)) / n;
        double* g = grad.data() + static_cast<size_t>(c) * features;
        for (const auto& [feature, value] : rows[doc]) g[feature] += delta * value;
        grad[bias_at + c] += delta;
      }
    }
    const double correction1 = 1.0 - std::pow(beta1, step);
    const double correction2 = 1.0 - std::pow(beta2, step);
    for (size_t at = 0; at < params; ++at) {
      m[at] = beta1 * m[at] + (1.0 - beta1) * grad[at];
      v[at] = beta2 * v[at] + (1.0 - beta2) * grad[at] * grad[at];
      theta[at] -= options.learning_rate * (m[at] / correction1) /
                   (std::sqrt(v[at] / correction2) + eps);
    }
  }
  model.weight_.assign(theta.begin(), theta.begin() + bias_at);
  model.bias_.assign(theta.begin() + bias_at, theta.end());
  return model;
}

TfidfClassifier::SparseRow TfidfClassifier::Features(std::string_view text) const {
  SparseRow row;
  for (const auto& [term, count] : TermCounts(text)) {
    const auto found = ids_.find(term);
    if (found == ids_.end()) continue;
    row.emplace_back(found->second, static_cast<float>(SublinearTf(count) * idf_[found->second]));
  }
  NormalizeBlocks(terms_, &row);
  return row;
}

void TfidfClassifier::Scores(const SparseRow& row, std::span<double> out) const {
  const size_t features = terms_.size();
  for (int32_t c = 0; c < num_classes_; ++c) {
    double z = bias_[c];
    const float* w = weight_.data() + static_cast<size_t>(c) * features;
    for (const auto& [feature, value] : row) z += static_cast<double>(w[feature]) * value;
    out[c] = z;
  }
}

Status TfidfClassifier::Probabilities(std::string_view text, std::span<float> out) const {
  if (static_cast<int32_t>(out.size()) != num_classes_) {
    return InvalidArgumentError("tfidf classifier: " + std::to_string(out.size()) +
                                " outputs for " + std::to_string(num_classes_) + " classes");
  }
  std::vector<double> logits(num_classes_);
  Scores(Features(text), logits);
  const double top = *std::max_element(logits.begin(), logits.end());
  double total = 0.0;
  for (double& z : logits) total += (z = std::exp(z - top));
  for (int32_t c = 0; c < num_classes_; ++c) out[c] = static_cast<float>(logits[c] / total);
  return OkStatus();
}

int32_t TfidfClassifier::Predict(std::string_view text) const {
  std::vector<double> logits(num_classes_);
  Scores(Features(text), logits);
  return static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

Status TfidfClassifier::Save(const std::string& prefix) const {
  const std::string terms_path = prefix + "_terms.txt";
  {
    std::ofstream out(terms_path, std::ios::binary | std::ios::trunc);
    for (const std::string& term : terms_) out << term << '\n';
    if (!out.flush()) return UnavailableError(terms_path + ": cannot be written");
  }
  const int64_t classes = num_classes_, features = num_features();
  return WriteSafeTensors(prefix + ".safetensors",
                          {{kWeightName, {classes, features}, weight_},
                           {kBiasName, {classes}, bias_},
                           {kIdfName, {features}, idf_}},
                          {{"classes", std::to_string(num_classes_)}, {"written_by", "tailor"}});
}

StatusOr<TfidfClassifier> TfidfClassifier::Load(const std::string& prefix) {
  const std::string terms_path = prefix + "_terms.txt";
  std::ifstream in(terms_path, std::ios::binary);
  if (!in) return NotFoundError(terms_path + ": cannot be opened");
  TfidfClassifier model;
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 3 || (line[0] != 'w' && line[0] != 'c') || line[1] != ' ') {
      return DataLossError(terms_path + ":" + std::to_string(model.terms_.size() + 1) +
                           ": expected 'w TERM' or 'c NGRAM'");
    }
    if (!model.ids_.try_emplace(line, model.num_features()).second) {
      return DataLossError(terms_path + ":" + std::to_string(model.terms_.size() + 1) +
                           ": repeated term");
    }
    model.terms_.push_back(std::move(line));
  }
  const std::string path = prefix + ".safetensors";
  ASSIGN_OR_RETURN(SafeTensors tensors, SafeTensors::Read(path));
  const int64_t features = model.num_features();
  ASSIGN_OR_RETURN(model.idf_, tensors.Floats(kIdfName, {features}));
  const auto classes = tensors.metadata().find("classes");
  model.num_classes_ = classes == tensors.metadata().end() ? 0 : std::atoi(classes->second.c_str());
  if (model.num_classes_ < 2) {
    return DataLossError(path + ": metadata 'classes' is missing or below 2");
  }
  const int64_t num_classes = model.num_classes_;
  ASSIGN_OR_RETURN(model.bias_, tensors.Floats(kBiasName, {num_classes}));
  ASSIGN_OR_RETURN(model.weight_, tensors.Floats(kWeightName, {num_classes, features}));
  return model;
}

}  // namespace tailor
