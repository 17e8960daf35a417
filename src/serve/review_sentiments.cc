#include "serve/review_sentiments.h"

#include <algorithm>

namespace tailor {

ReviewSentiments::ReviewSentiments(Store& store, std::unique_ptr<SentimentModel> model, int max_reviews)
    : store_(store), model_(std::move(model)), max_reviews_(std::max(1, max_reviews)) {
  if (model_ == nullptr) return;
  const std::vector<std::string>& labels = model_->labels();
  for (size_t label = 0; label < labels.size(); ++label) {
    if (labels[label] == "positive") positive_ = static_cast<int>(label);
    if (labels[label] == "negative") negative_ = static_cast<int>(label);
  }
}

StatusOr<ItemReviewSummary> ReviewSentiments::Summarize(int32_t item_idx) {
  ASSIGN_OR_RETURN(std::vector<std::string> reviews, store_.ItemReviews(item_idx, max_reviews_));
  const int32_t count = static_cast<int32_t>(reviews.size());
  const std::string newest = reviews.empty() ? std::string() : reviews.front();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = cache_.find(item_idx);
    if (found != cache_.end() && found->second.count == count && found->second.newest == newest) {
      return found->second.summary;
    }
  }
  ItemReviewSummary summary;
  summary.reviews = count;
  if (model_ != nullptr) {
    summary.per_label.assign(model_->labels().size(), 0);
    std::vector<float> probabilities(model_->labels().size());
    double score_sum = 0.0;
    for (const std::string& review : reviews) {
      RETURN_IF_ERROR(model_->Probabilities(review, probabilities));
      const auto top = std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin();
      ++summary.per_label[top];
      if (positive_ >= 0 && negative_ >= 0) score_sum += probabilities[positive_] - probabilities[negative_];
    }
    if (positive_ >= 0 && negative_ >= 0 && count > 0) summary.score = score_sum / count;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (model_ != nullptr) classified_ += count;
  cache_[item_idx] = {count, newest, summary};
  return summary;
}

nlohmann::json ReviewSentiments::ToJson(const ItemReviewSummary& summary) const {
  nlohmann::json out = {{"count", summary.reviews}};
  if (model_ == nullptr) return out;
  nlohmann::json per_label = nlohmann::json::object();
  for (size_t label = 0; label < summary.per_label.size(); ++label) {
    per_label[model_->labels()[label]] = summary.per_label[label];
  }
  out["sentiment"] = per_label;
  out["score"] = summary.score ? nlohmann::json(*summary.score) : nlohmann::json(nullptr);
  return out;
}

int64_t ReviewSentiments::classified_reviews() const {
  std::lock_guard<std::mutex> lock(mu_);
  return classified_;
}

}  // namespace tailor
