#include "eval/cold_item_scorers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace tailor {
namespace {

constexpr std::string_view kCategoryPrefix = "category:";
constexpr std::string_view kBrandPrefix = "brand:";

std::string HalfLifeText(double half_life) {
  if (half_life <= 0.0) return "every history interaction weighs 1";
  char buf[96];
  std::snprintf(buf, sizeof(buf), "history weights 0.5^(age / %g), age 0 = the last interaction",
                half_life);
  return buf;
}

}  // namespace

std::vector<double> HistoryWeights(std::span<const Interaction> history, double half_life) {
  std::vector<double> weights(history.size(), 1.0);
  if (half_life <= 0.0) return weights;
  for (size_t pos = 0; pos < history.size(); ++pos) {
    const double age = static_cast<double>(history.size() - 1 - pos);
    weights[pos] = std::pow(0.5, age / half_life);
  }
  return weights;
}

PopularityColdScorer::PopularityColdScorer(const UserHistories& train) {
  const std::vector<int64_t> counts = TrainingCounts(train);
  counts_.assign(counts.begin(), counts.end());
}

std::string PopularityColdScorer::description() const {
  return "training interactions per item (cold items score 0; ties by item index)";
}

void PopularityColdScorer::Score(std::span<const Interaction> history,
                                 std::span<double> scores) const {
  std::copy(counts_.begin(), counts_.end(), scores.begin());
}

StatusOr<std::unique_ptr<AttributeOverlapScorer>> AttributeOverlapScorer::Create(
    const ItemFeatures& features, const AttributeScorerOptions& options) {
  if (options.recency_half_life < 0.0) {
    return InvalidArgumentError("recency_half_life: expected >= 0, got " +
                                std::to_string(options.recency_half_life));
  }
  const int32_t num_items = features.num_items();
  std::vector<int64_t> df(static_cast<size_t>(features.num_features()), 0);
  for (int32_t feature : features.ids) ++df[feature];  // FromNames keeps ids distinct per item
  // New ids for the brand and category features that carry a signal (idf > 0).
  std::unique_ptr<AttributeOverlapScorer> scorer(new AttributeOverlapScorer());
  scorer->options_ = options;
  std::vector<int32_t> remap(df.size(), -1);
  for (int32_t feature = 0; feature < features.num_features(); ++feature) {
    const std::string& name = features.names[feature];
    if (!name.starts_with(kCategoryPrefix) && !name.starts_with(kBrandPrefix)) continue;
    if (df[feature] == 0) continue;
    const double idf = std::log(static_cast<double>(num_items) / static_cast<double>(df[feature]));
    if (idf <= 0.0) continue;  // on every item, e.g. the category root
    remap[feature] = static_cast<int32_t>(scorer->names_.size());
    scorer->names_.push_back(name);
    scorer->idf_.push_back(idf);
  }
  scorer->offsets_.assign(1, 0);
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    for (int32_t feature : features.item(item_idx)) {
      if (remap[feature] >= 0) scorer->ids_.push_back(remap[feature]);
    }
    scorer->offsets_.push_back(static_cast<int64_t>(scorer->ids_.size()));
  }
  return scorer;
}

std::string AttributeOverlapScorer::description() const {
  return "idf-weighted overlap of the item's brand and categories with the history's: sum "
         "over history items h of sum over shared features f of ln(items / items with f); " +
         HalfLifeText(options_.recency_half_life) + "; ties by popularity, then item index";
}

void AttributeOverlapScorer::Score(std::span<const Interaction> history,
                                   std::span<double> scores) const {
  const int32_t num_items = static_cast<int32_t>(offsets_.size()) - 1;
  std::fill(scores.begin(), scores.end(), 0.0);
  // profile[f] = sum of w_h over the history items carrying f.
  std::unordered_map<int32_t, double> profile;
  const std::vector<double> weights = HistoryWeights(history, options_.recency_half_life);
  for (size_t pos = 0; pos < history.size(); ++pos) {
    const int32_t item_idx = history[pos].item;
    if (item_idx < 0 || item_idx >= num_items) continue;
    for (int64_t at = offsets_[item_idx]; at < offsets_[item_idx + 1]; ++at) {
      profile[ids_[at]] += weights[pos];
    }
  }
  if (profile.empty()) return;
  const int32_t scored = std::min<int32_t>(num_items, static_cast<int32_t>(scores.size()));
  for (int32_t item_idx = 0; item_idx < scored; ++item_idx) {
    double score = 0.0;
    for (int64_t at = offsets_[item_idx]; at < offsets_[item_idx + 1]; ++at) {
      const auto found = profile.find(ids_[at]);
      if (found != profile.end()) score += idf_[ids_[at]] * found->second;
    }
    scores[item_idx] = score;
  }
}

StatusOr<std::unique_ptr<TextEmbeddingScorer>> TextEmbeddingScorer::Create(
    FactorMatrix embeddings, int32_t num_items, const TextScorerOptions& options) {
  if (embeddings.rows() != num_items) {
    return InvalidArgumentError("item embeddings: " + std::to_string(embeddings.rows()) +
                                " rows for " + std::to_string(num_items) +
                                " items (expected one row per item)");
  }
  if (embeddings.cols() < 1) return InvalidArgumentError("item embeddings: 0 columns");
  if (options.recency_half_life < 0.0) {
    return InvalidArgumentError("recency_half_life: expected >= 0, got " +
                                std::to_string(options.recency_half_life));
  }
  const int32_t dim = embeddings.cols();
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    float* row = embeddings.row(item_idx);
    double squares = 0.0;
    for (int32_t col = 0; col < dim; ++col) {
      if (!std::isfinite(row[col])) {
        return InvalidArgumentError("item embeddings: row " + std::to_string(item_idx) +
                                    ", column " + std::to_string(col) + ": not a finite number");
      }
      squares += static_cast<double>(row[col]) * row[col];
    }
    if (squares == 0.0) continue;
    const float inverse = static_cast<float>(1.0 / std::sqrt(squares));
    for (int32_t col = 0; col < dim; ++col) row[col] *= inverse;
  }
  std::unique_ptr<TextEmbeddingScorer> scorer(new TextEmbeddingScorer());
  scorer->options_ = options;
  scorer->unit_ = std::move(embeddings);
  return scorer;
}

std::string TextEmbeddingScorer::description() const {
  const std::string what = options_.name == "text" ? "text embedding" : options_.name + " vector";
  return "cosine of the item's " + what + " (d = " + std::to_string(unit_.cols()) +
         ") with the user profile = mean of the history items' L2-normalised embeddings; " +
         HalfLifeText(options_.recency_half_life) + "; ties by popularity, then item index";
}

void TextEmbeddingScorer::Score(std::span<const Interaction> history,
                                std::span<double> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0);
  const int32_t dim = unit_.cols();
  std::vector<float> profile(static_cast<size_t>(dim), 0.0f);
  const std::vector<double> weights = HistoryWeights(history, options_.recency_half_life);
  for (size_t pos = 0; pos < history.size(); ++pos) {
    const int32_t item_idx = history[pos].item;
    if (item_idx < 0 || item_idx >= unit_.rows()) continue;
    const float* row = unit_.row(item_idx);
    const float weight = static_cast<float>(weights[pos]);
    for (int32_t col = 0; col < dim; ++col) profile[col] += weight * row[col];
  }
  double squares = 0.0;
  for (int32_t col = 0; col < dim; ++col)
    squares += static_cast<double>(profile[col]) * profile[col];
  if (squares == 0.0) return;
  const double inverse = 1.0 / std::sqrt(squares);
  const int32_t scored = std::min<int32_t>(unit_.rows(), static_cast<int32_t>(scores.size()));
  for (int32_t item_idx = 0; item_idx < scored; ++item_idx) {
    scores[item_idx] = inverse * Dot(profile.data(), unit_.row(item_idx), dim);
  }
}

StatusOr<std::unique_ptr<TfidfTextScorer>> TfidfTextScorer::Create(
    const std::vector<std::string>& texts, const TfidfScorerOptions& options) {
  if (texts.empty()) return InvalidArgumentError("text-tfidf: no item texts");
  if (!(options.power > 0.0)) {
    return InvalidArgumentError("text-tfidf power: expected > 0, got " +
                                std::to_string(options.power));
  }
  if (options.recency_half_life < 0.0) {
    return InvalidArgumentError("recency_half_life: expected >= 0, got " +
                                std::to_string(options.recency_half_life));
  }
  std::unique_ptr<TfidfTextScorer> scorer(new TfidfTextScorer());
  scorer->options_ = options;
  scorer->vectors_ = TfidfVectors::Build(texts);
  return scorer;
}

std::string TfidfTextScorer::description() const {
  char power[32];
  std::snprintf(power, sizeof(power), "%g", options_.power);
  return "sum over history items h of cos(x_i, x_h)^" + std::string(power) +
         ", x = the TF-IDF vector of the item's text (" +
         std::to_string(vectors_.num_terms()) + " terms); " +
         HalfLifeText(options_.recency_half_life) + "; ties by popularity, then item index";
}

void TfidfTextScorer::Score(std::span<const Interaction> history,
                            std::span<double> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0);
  const int32_t num_items = vectors_.num_documents();
  const int32_t scored = std::min<int32_t>(num_items, static_cast<int32_t>(scores.size()));
  const std::vector<double> weights = HistoryWeights(history, options_.recency_half_life);
  std::vector<double> similarities(static_cast<size_t>(num_items));
  for (size_t pos = 0; pos < history.size(); ++pos) {
    const int32_t item_idx = history[pos].item;
    if (item_idx < 0 || item_idx >= num_items) continue;
    std::fill(similarities.begin(), similarities.end(), 0.0);
    vectors_.AddSimilarities(item_idx, similarities);
    for (int32_t other = 0; other < scored; ++other) {
      if (similarities[other] > 0.0) {
        scores[other] += weights[pos] * std::pow(similarities[other], options_.power);
      }
    }
  }
}

void RecommenderColdScorer::Score(std::span<const Interaction> history,
                                  std::span<double> scores) const {
  std::vector<float> model_scores(scores.size(), 0.0f);
  model_.Score({-1, history}, model_scores);
  std::copy(model_scores.begin(), model_scores.end(), scores.begin());
}

}  // namespace tailor
