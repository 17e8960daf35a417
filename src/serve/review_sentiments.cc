#include "serve/review_sentiments.h"

#include <algorithm>
#include <cmath>

namespace tailor {

ReviewSentiments::ReviewSentiments(Store& store, std::unique_ptr<SentimentModel> model, int max_reviews)
    : store_(store),
      model_(std::move(model)),
      max_reviews_(std::max(1, max_reviews)),
      signals_(std::make_shared<const ReviewSignals>()) {
  if (model_ == nullptr) return;
  const std::vector<std::string>& labels = model_->labels();
  for (size_t label = 0; label < labels.size(); ++label) {
    if (labels[label] == "positive") positive_ = static_cast<int>(label);
    if (labels[label] == "negative") negative_ = static_cast<int>(label);
  }
  signals_ = std::make_shared<const ReviewSignals>(
      ReviewSignals{.has_scores = positive_ >= 0 && negative_ >= 0});
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

StatusOr<int64_t> ReviewSentiments::Refresh() {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  ASSIGN_OR_RETURN(std::vector<ItemReviewStamp> stamps, store_.ItemReviewStamps());
  auto next = std::make_shared<ReviewSignals>();
  next->has_scores = model_ != nullptr && positive_ >= 0 && negative_ >= 0;
  const size_t size = stamps.empty() ? 0 : static_cast<size_t>(stamps.back().item) + 1;
  next->counts.assign(size, 0);
  next->scores.assign(size, NAN);
  // Summarized into a copy so a failure half-way leaves the map in step with signals_.
  std::unordered_map<int32_t, Signal> signal_of;
  int64_t summarized = 0;
  for (const ItemReviewStamp& stamp : stamps) {
    Signal signal;
    auto known = signal_of_.find(stamp.item);
    if (known != signal_of_.end() && known->second.stamp.count == stamp.count &&
        known->second.stamp.newest == stamp.newest) {
      signal = known->second;
    } else {
      ASSIGN_OR_RETURN(ItemReviewSummary summary, Summarize(stamp.item));
      signal = {stamp, summary.reviews, summary.score ? static_cast<float>(*summary.score) : NAN};
      ++summarized;
    }
    next->counts[stamp.item] = signal.count;
    next->scores[stamp.item] = signal.score;
    signal_of.emplace(stamp.item, signal);
  }
  signal_of_ = std::move(signal_of);
  std::lock_guard<std::mutex> swap(signals_mu_);
  signals_ = std::move(next);
  return summarized;
}

std::shared_ptr<const ReviewSignals> ReviewSentiments::Signals() const {
  std::lock_guard<std::mutex> lock(signals_mu_);
  return signals_;
}

}  // namespace tailor
