#include "models/popularity/trending.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/params.h"

namespace tailor {

StatusOr<TrendingOptions> TrendingOptions::FromJson(const nlohmann::json& params) {
  TrendingOptions options;
  ParamReader reader(TrendingRecommender::kName, params);
  RETURN_IF_ERROR(reader.Double("half_life_days", &options.half_life_days, 1e-6, 1e6));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json TrendingOptions::ToJson() const { return {{"half_life_days", half_life_days}}; }

Status TrendingRecommender::Fit(const UserHistories& train, const FitOptions& options) {
  if (!(options_.half_life_days > 0)) {
    return InvalidArgumentError("trending: param 'half_life_days' must be > 0");
  }
  int64_t latest = std::numeric_limits<int64_t>::min();
  for (const Interaction& interaction : train.interactions) {
    latest = std::max(latest, interaction.timestamp);
  }
  reference_time_ = train.interactions.empty() ? 0 : latest;
  double half_life_seconds = options_.half_life_days * 86400.0;
  std::vector<double> sums(static_cast<size_t>(train.num_items), 0.0);
  for (const Interaction& interaction : train.interactions) {
    if (interaction.item < 0 || interaction.item >= train.num_items) continue;
    double age = static_cast<double>(reference_time_ - interaction.timestamp);
    sums[interaction.item] += interaction.weight * std::exp2(-age / half_life_seconds);
  }
  scores_.assign(sums.begin(), sums.end());
  return OkStatus();
}

void TrendingRecommender::Score(const Query& query, std::span<float> scores) const {
  size_t known = std::min(scores.size(), scores_.size());
  std::copy(scores_.begin(), scores_.begin() + static_cast<std::ptrdiff_t>(known), scores.begin());
  std::fill(scores.begin() + static_cast<std::ptrdiff_t>(known), scores.end(), 0.0f);
}

void TrendingRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  Score(Query{}, scores);
}

std::string TrendingRecommender::Explain(const Query& query, int32_t item_idx) const {
  if (item_idx < 0 || item_idx >= num_items()) return "new in the shop";
  return "trending now";
}

Status TrendingRecommender::SavePayload(BinaryWriter& out) const {
  out.Put<int64_t>(reference_time_);
  out.PutVector(scores_);
  return OkStatus();
}

Status TrendingRecommender::LoadPayload(BinaryReader& in) {
  RETURN_IF_ERROR(in.Get(&reference_time_));
  return in.GetVector(&scores_);
}

}  // namespace tailor
