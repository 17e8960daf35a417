#include "models/params.h"

#include <cmath>
#include <limits>

namespace tailor {

ParamReader::ParamReader(std::string model, const nlohmann::json& params)
    : model_(std::move(model)), params_(params) {}

Status ParamReader::Error(const std::string& name, const std::string& what) const {
  return InvalidArgumentError(model_ + ": param '" + name + "': " + what);
}

Status ParamReader::Int(const std::string& name, int* out, int min, int max) {
  known_.insert(name);
  if (!params_.is_object() || !params_.contains(name)) return OkStatus();
  const nlohmann::json& value = params_.at(name);
  auto range = std::to_string(min) + ".." + std::to_string(max);
  // 5.0 is accepted as 5 (config files written by hand or by other tools).
  if (!value.is_number())
    return Error(name, "expected an integer in " + range + ", got " + value.dump());
  double number = value.get<double>();
  if (number != std::floor(number) || number < min || number > max) {
    return Error(name, "expected an integer in " + range + ", got " + value.dump());
  }
  *out = static_cast<int>(number);
  return OkStatus();
}

Status ParamReader::Double(const std::string& name, double* out, double min, double max) {
  known_.insert(name);
  if (!params_.is_object() || !params_.contains(name)) return OkStatus();
  const nlohmann::json& value = params_.at(name);
  std::string range = max == std::numeric_limits<double>::infinity()
                          ? ">= " + nlohmann::json(min).dump()
                          : "in " + nlohmann::json(min).dump() + ".." + nlohmann::json(max).dump();
  if (!value.is_number())
    return Error(name, "expected a number " + range + ", got " + value.dump());
  double number = value.get<double>();
  if (!std::isfinite(number) || number < min || number > max) {
    return Error(name, "expected a number " + range + ", got " + value.dump());
  }
  *out = number;
  return OkStatus();
}

Status ParamReader::Bool(const std::string& name, bool* out) {
  known_.insert(name);
  if (!params_.is_object() || !params_.contains(name)) return OkStatus();
  const nlohmann::json& value = params_.at(name);
  if (!value.is_boolean()) return Error(name, "expected true or false, got " + value.dump());
  *out = value.get<bool>();
  return OkStatus();
}

Status ParamReader::Finish() const {
  if (params_.is_null()) return OkStatus();
  if (!params_.is_object()) {
    return InvalidArgumentError(model_ + ": params must be a JSON object, got " + params_.dump());
  }
  for (const auto& [name, value] : params_.items()) {
    if (known_.count(name) == 0) {
      std::string names;
      for (const std::string& known : known_) names += (names.empty() ? "" : ", ") + known;
      return Error(name, "unknown param (known: " + (names.empty() ? "none" : names) + ")");
    }
  }
  return OkStatus();
}

}  // namespace tailor
