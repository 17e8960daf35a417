#include "tools/model_params.h"

namespace tailor::cli {

StatusOr<nlohmann::json> ResolveModelParams(const Config& config, const std::string& model,
                                            const std::string& params_json) {
  nlohmann::json params = config.ModelParams(model);
  if (params_json.empty()) return params;
  auto given = nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false);
  if (given.is_discarded() || !given.is_object()) {
    return InvalidArgumentError("--params: expected a JSON object like '{\"neighbors\": 50}', got '" +
                                params_json + "'");
  }
  params.merge_patch(given);
  return params;
}

}  // namespace tailor::cli
