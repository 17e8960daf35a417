// Model hyperparameters for the CLI: config file models.<name>, overridden by a --params JSON
// object given on the command line.
#ifndef TAILOR_TOOLS_MODEL_PARAMS_H_
#define TAILOR_TOOLS_MODEL_PARAMS_H_

#include <string>

#include <nlohmann/json.hpp>

#include "common/config.h"
#include "tailor/status.h"

namespace tailor::cli {

// Errors: kInvalidArgument when `params_json` is not a JSON object (names --params).
StatusOr<nlohmann::json> ResolveModelParams(const Config& config, const std::string& model,
                                            const std::string& params_json);

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_MODEL_PARAMS_H_
