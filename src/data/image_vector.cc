#include "data/image_vector.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/parse_number.h"
#include "tailor/types.h"

namespace tailor {
namespace {

bool IsSeparator(char ch) { return ch == ' ' || ch == ',' || ch == ';' || ch == '\t'; }

}  // namespace

Status CheckImageVector(std::span<const float> values) {
  if (values.size() > static_cast<size_t>(kMaxImageVectorDim)) {
    return InvalidArgumentError("image vector has more than " +
                                std::to_string(kMaxImageVectorDim) + " entries");
  }
  for (size_t entry = 0; entry < values.size(); ++entry) {
    if (!std::isfinite(values[entry])) {
      return InvalidArgumentError("image vector entry " + std::to_string(entry) +
                                  " is not a finite float");
    }
  }
  return OkStatus();
}

StatusOr<std::vector<float>> ParseImageVector(std::string_view text) {
  text = TrimSpaces(text);
  if (!text.empty() && text.front() == '[') {
    if (text.back() != ']') return InvalidArgumentError("image vector: '[' without a closing ']'");
    text = text.substr(1, text.size() - 2);
  }
  std::vector<float> values;
  size_t pos = 0;
  while (true) {
    while (pos < text.size() && IsSeparator(text[pos])) ++pos;
    if (pos >= text.size()) break;
    size_t end = pos;
    while (end < text.size() && !IsSeparator(text[end])) ++end;
    const std::string_view token = text.substr(pos, end - pos);
    const std::optional<double> value = ParseDouble(token);
    if (!value) {
      return InvalidArgumentError("image vector entry " + std::to_string(values.size()) +
                                  " is not a number ('" + std::string(token) + "')");
    }
    values.push_back(static_cast<float>(*value));
    if (values.size() > static_cast<size_t>(kMaxImageVectorDim)) break;
    pos = end;
  }
  RETURN_IF_ERROR(CheckImageVector(values));
  return values;
}

StatusOr<std::vector<float>> ImageVectorFromJson(const nlohmann::json& value) {
  if (value.is_null()) return std::vector<float>();
  if (value.is_string()) return ParseImageVector(value.get_ref<const std::string&>());
  if (!value.is_array()) {
    return InvalidArgumentError("image vector: expected an array of numbers, got " +
                                std::string(value.type_name()));
  }
  std::vector<float> values;
  values.reserve(value.size());
  for (const nlohmann::json& element : value) {
    if (!element.is_number()) {
      return InvalidArgumentError("image vector entry " + std::to_string(values.size()) +
                                  " is not a number (" + element.dump() + ")");
    }
    values.push_back(element.get<float>());
    if (values.size() > static_cast<size_t>(kMaxImageVectorDim)) break;
  }
  RETURN_IF_ERROR(CheckImageVector(values));
  return values;
}

}  // namespace tailor
