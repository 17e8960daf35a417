// Model hyperparameters for the CLI, from four sources, later ones overriding earlier ones
// field by field:
//   1. the model's defaults (models/<family>/<model>.h)
//   2. tuned params: <data_dir>/tuned/<model>.json, written by `tailor tune`
//   3. the config file's models.<name>
//   4. a --params JSON object given on the command line
// The tuned file is {"model": "<name>", "params": {...}, ...} (the rest describes the search
// and is not read here). Thread-compatible: functions read files, nothing is cached.
#ifndef TAILOR_TOOLS_MODEL_PARAMS_H_
#define TAILOR_TOOLS_MODEL_PARAMS_H_

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/config.h"
#include "tailor/status.h"

namespace tailor::cli {

struct ResolvedParams {
  nlohmann::json params = nlohmann::json::object();  // merged sources 2-4 (defaults not added)
  std::map<std::string, std::string> sources;  // param -> "tuned", "config models.<name>",
                                               // "--params"
  std::string tuned_path;                      // the tuned file read; "" when there is none
};

// Where `tailor tune` writes and `tailor train` reads the tuned params of `model`.
std::string TunedParamsPath(const Config& config, const std::string& model);

// Errors: kInvalidArgument when `params_json` is not a JSON object (names --params) or the
// tuned file is not valid (names the file).
StatusOr<ResolvedParams> ResolveModelParamsWithSources(const Config& config,
                                                       const std::string& model,
                                                       const std::string& params_json);
// The merged params only.
StatusOr<nlohmann::json> ResolveModelParams(const Config& config, const std::string& model,
                                            const std::string& params_json);

// "neighbors=120 (tuned), shrink=3.0 (--params), binary=true (default); tuned =
// tailor-data/tuned/item-knn.json": every field of `effective` (the model's params() with
// defaults filled in) with its source, then the tuned file when one was read.
std::string DescribeParams(const nlohmann::json& effective, const ResolvedParams& resolved);

// The params object of a tuned file. Errors: kNotFound when the file does not exist,
// kInvalidArgument naming the file when it is not valid JSON, has no "params" object, or was
// written for another model.
StatusOr<nlohmann::json> ReadTunedParams(const std::string& path, const std::string& model);

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_MODEL_PARAMS_H_
