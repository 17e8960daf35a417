#include "text/text_alignment.h"

#include <vector>

namespace tailor {
namespace {

FactorMatrix Centered(const FactorMatrix& rows) {
  FactorMatrix out(rows);
  std::vector<double> mean(static_cast<size_t>(out.cols()), 0.0);
  for (int32_t row = 0; row < out.rows(); ++row) {
    for (int32_t col = 0; col < out.cols(); ++col) mean[col] += out.row(row)[col];
  }
  for (int32_t row = 0; row < out.rows(); ++row) {
    for (int32_t col = 0; col < out.cols(); ++col) {
      out.row(row)[col] -= static_cast<float>(mean[col] / out.rows());
    }
  }
  return out;
}

}  // namespace

StatusOr<TextAlignTarget> ParseTextAlignTarget(std::string_view name) {
  if (name == "none") return TextAlignTarget::kNone;
  if (name == "center") return TextAlignTarget::kCenter;
  if (name == "ials") return TextAlignTarget::kIals;
  if (name == "transitions") return TextAlignTarget::kTransitions;
  return InvalidArgumentError("--text-align: expected transitions, ials, center or none, got '" +
                              std::string(name) + "'");
}

StatusOr<FactorMatrix> AlignTextToBehaviour(const FactorMatrix& text_embeddings,
                                            const UserHistories& train,
                                            const TextAlignmentOptions& options,
                                            nlohmann::json* stats) {
  if (text_embeddings.rows() != train.num_items) {
    return InvalidArgumentError("text alignment: " + std::to_string(text_embeddings.rows()) +
                                " text embeddings for " + std::to_string(train.num_items) +
                                " items");
  }
  if (options.target == TextAlignTarget::kNone || options.target == TextAlignTarget::kCenter) {
    const bool center = options.target == TextAlignTarget::kCenter;
    if (stats != nullptr) *stats = {{"target", center ? "center" : "none"}};
    return center ? Centered(text_embeddings) : FactorMatrix(text_embeddings);
  }
  std::vector<int32_t> counts(static_cast<size_t>(train.num_items), 0);
  for (const Interaction& interaction : train.interactions) ++counts[interaction.item];
  std::vector<int32_t> warm;
  for (int32_t item_idx = 0; item_idx < train.num_items; ++item_idx) {
    if (counts[item_idx] > 0) warm.push_back(item_idx);
  }
  if (warm.size() < 4) {
    return InvalidArgumentError("text alignment: " + std::to_string(warm.size()) +
                                " items with interactions, need at least 4");
  }
  TextProjectionOptions projection_options = options.projection;
  projection_options.threads = options.threads;
  projection_options.seed = options.seed;
  nlohmann::json projection_stats;
  if (options.target == TextAlignTarget::kTransitions) {
    std::vector<std::pair<int32_t, int32_t>> pairs;
    for (int32_t user_idx = 0; user_idx < train.num_users; ++user_idx) {
      const auto history = train.user(user_idx);
      for (size_t step = 1; step < history.size(); ++step) {
        if (history[step - 1].item != history[step].item) {
          pairs.emplace_back(history[step - 1].item, history[step].item);
        }
      }
    }
    ASSIGN_OR_RETURN(TextProjection projection,
                     TrainTextPairProjection(text_embeddings, pairs, options.transition_dim,
                                             projection_options, &projection_stats));
    if (stats != nullptr) {
      *stats = {{"target", "transitions"},
                {"projection", projection_stats},
                {"warm_items", warm.size()},
                {"pairs", pairs.size()}};
    }
    return projection.ApplyAll(text_embeddings);
  }
  IalsRecommender ials(options.ials);
  FitOptions fit;
  fit.threads = options.threads;
  fit.seed = options.seed;
  RETURN_IF_ERROR(ials.Fit(train, fit).WithContext("text alignment: fitting ials"));
  ASSIGN_OR_RETURN(TextProjection projection,
                   TrainTextProjection(text_embeddings, ials.item_factors(), warm,
                                       projection_options, &projection_stats));
  if (stats != nullptr) {
    *stats = {{"target", "ials"},
              {"ials", ials.fit_stats()},
              {"projection", projection_stats},
              {"warm_items", warm.size()}};
  }
  return projection.ApplyAll(text_embeddings);
}

}  // namespace tailor
