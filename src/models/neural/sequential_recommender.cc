#include "models/neural/sequential_recommender.h"

#include "models/factors/factor_matrix.h"
#include "models/neural/sequence_batches.h"
#include "models/neural/sequence_trainer.h"

namespace tailor {

Status SequentialRecommender::Fit(const UserHistories& train, const FitOptions& options) {
  popularity_ = ItemPopularity::Count(train);
  SequenceEpochFn on_epoch;
  if (options.on_epoch) {
    // The caller judges the model as it is after each epoch; the final weights are set below.
    on_epoch = [this, &options](int epoch, SequenceEncoder encoder) {
      SetEncoder(std::move(encoder));
      return options.on_epoch(epoch, *this);
    };
  }
  ASSIGN_OR_RETURN(SequenceTrainResult result,
                   TrainSequenceModel(train, options_, options, name_, on_epoch));
  SetEncoder(std::move(result.encoder));
  fit_stats_ = std::move(result.stats);
  return OkStatus();
}

void SequentialRecommender::SetEncoder(SequenceEncoder encoder) {
  encoder_ = std::move(encoder);
  inverse_norms_ = encoder_.weights().items.InverseNorms();
}

bool SequentialRecommender::Encode(std::span<const Interaction> history,
                                   std::vector<float>* out) const {
  const std::vector<int32_t> steps = HistorySteps(history, num_items(), options_.max_len);
  out->assign(static_cast<size_t>(encoder_.dim()), 0.0f);
  return !steps.empty() && encoder_.Encode(steps, *out);
}

void SequentialRecommender::Score(const Query& query, std::span<float> scores) const {
  std::vector<float> hidden;
  if (!Encode(query.history, &hidden)) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  ScoreByDot(encoder_.weights().items, hidden.data(), {}, scores);
}

void SequentialRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  SimilarByCosineOrPopularity(encoder_.weights().items, inverse_norms_, popularity_, item_idx,
                              scores);
}

std::string SequentialRecommender::Explain(const Query& query, int32_t item_idx) const {
  return ExplainBySimilarHistoryItem(encoder_.weights().items, inverse_norms_, popularity_,
                                     query.history, item_idx);
}

Status SequentialRecommender::SavePayload(BinaryWriter& out) const {
  encoder_.Save(out);
  popularity_.Save(out);
  return OkStatus();
}

Status SequentialRecommender::LoadPayload(BinaryReader& in) {
  SequenceEncoder encoder;
  RETURN_IF_ERROR(encoder.Load(in));
  RETURN_IF_ERROR(popularity_.Load(in));
  if (encoder.dim() != options_.dim || encoder.weights().arch != options_.arch) {
    return DataLossError(name_ + ": artifact weights do not match its params");
  }
  SetEncoder(std::move(encoder));
  return OkStatus();
}

namespace {

// A model's Options (its defaults) with the params applied; errors name `model`.
template <typename Options>
StatusOr<Options> ParseSequenceOptions(const nlohmann::json& params, const char* model) {
  Options options;
  ASSIGN_OR_RETURN(SequenceModelOptions parsed,
                   SequenceModelOptions::FromJson(params, options, model));
  static_cast<SequenceModelOptions&>(options) = parsed;
  return options;
}

}  // namespace

StatusOr<SasRecOptions> SasRecOptions::FromJson(const nlohmann::json& params) {
  return ParseSequenceOptions<SasRecOptions>(params, SasRecRecommender::kName);
}

Gru4RecOptions::Gru4RecOptions() {
  arch = SequenceArch::kGru;
  layers = 1;
  dropout = 0.3;
  // The transformer's weight decay was chosen on its validation curve (docs/benchmarks.md);
  // the GRU keeps the setting it was measured with.
  weight_decay = 0.0;
}

StatusOr<Gru4RecOptions> Gru4RecOptions::FromJson(const nlohmann::json& params) {
  return ParseSequenceOptions<Gru4RecOptions>(params, Gru4RecRecommender::kName);
}

}  // namespace tailor
