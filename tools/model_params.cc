#include "tools/model_params.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tailor::cli {
namespace {

// Merges `layer` into `resolved` and records `source` for each of its fields.
void Apply(const nlohmann::json& layer, const std::string& source, ResolvedParams& resolved) {
  if (!layer.is_object()) return;
  resolved.params.merge_patch(layer);
  for (const auto& [name, value] : layer.items()) {
    if (value.is_null()) {
      resolved.sources.erase(name);  // merge_patch: null removes the field
    } else {
      resolved.sources[name] = source;
    }
  }
}

}  // namespace

std::string TunedParamsPath(const Config& config, const std::string& model) {
  return config.data_dir + "/tuned/" + model + ".json";
}

StatusOr<nlohmann::json> ReadTunedParams(const std::string& path, const std::string& model) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("no tuned params at '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& what) {
    return InvalidArgumentError("tuned params '" + path + "': " + what +
                                " (re-run `tailor tune` or delete the file)");
  };
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  if (!doc.contains("params") || !doc["params"].is_object()) return bad("no \"params\" object");
  if (doc.contains("model") && doc["model"] != model) {
    return bad("written for model " + doc["model"].dump() + ", not '" + model + "'");
  }
  return doc["params"];
}

StatusOr<ResolvedParams> ResolveModelParamsWithSources(const Config& config,
                                                       const std::string& model,
                                                       const std::string& params_json) {
  ResolvedParams resolved;
  const std::string tuned_path = TunedParamsPath(config, model);
  if (std::filesystem::exists(tuned_path)) {
    ASSIGN_OR_RETURN(nlohmann::json tuned, ReadTunedParams(tuned_path, model));
    Apply(tuned, "tuned", resolved);
    resolved.tuned_path = tuned_path;
  }
  Apply(config.ModelParams(model), "config models." + model, resolved);
  if (params_json.empty()) return resolved;
  auto given = nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false);
  if (given.is_discarded() || !given.is_object()) {
    return InvalidArgumentError("--params: expected a JSON object like '{\"neighbors\": 50}', got '" +
                                params_json + "'");
  }
  Apply(given, "--params", resolved);
  return resolved;
}

StatusOr<nlohmann::json> ResolveModelParams(const Config& config, const std::string& model,
                                            const std::string& params_json) {
  ASSIGN_OR_RETURN(ResolvedParams resolved,
                   ResolveModelParamsWithSources(config, model, params_json));
  return std::move(resolved.params);
}

std::string DescribeParams(const nlohmann::json& effective, const ResolvedParams& resolved) {
  std::string out;
  if (!effective.is_object()) return out;
  for (const auto& [name, value] : effective.items()) {
    auto source = resolved.sources.find(name);
    out += (out.empty() ? "" : ", ") + name + "=" + value.dump() + " (" +
           (source == resolved.sources.end() ? "default" : source->second) + ")";
  }
  if (!resolved.tuned_path.empty()) out += "; tuned = " + resolved.tuned_path;
  return out;
}

}  // namespace tailor::cli
