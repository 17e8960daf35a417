#include "models/popularity/popularity.h"

#include "models/params.h"

namespace tailor {

StatusOr<PopularityOptions> PopularityOptions::FromJson(const nlohmann::json& params) {
  PopularityOptions options;
  ParamReader reader(PopularityRecommender::kName, params);
  RETURN_IF_ERROR(reader.Bool("weighted", &options.weighted));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json PopularityOptions::ToJson() const { return {{"weighted", weighted}}; }

Status PopularityRecommender::Fit(const UserHistories& train, const FitOptions& options) {
  popularity_ = ItemPopularity::Count(train);
  return OkStatus();
}

void PopularityRecommender::Score(const Query& query, std::span<float> scores) const {
  popularity_.Score(options_.weighted, scores);
}

void PopularityRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  popularity_.Score(options_.weighted, scores);
}

std::string PopularityRecommender::Explain(const Query& query, int32_t item_idx) const {
  return popularity_.Explain(item_idx);
}

Status PopularityRecommender::SavePayload(BinaryWriter& out) const {
  popularity_.Save(out);
  return OkStatus();
}

Status PopularityRecommender::LoadPayload(BinaryReader& in) { return popularity_.Load(in); }

}  // namespace tailor
