#include "serve/json_io.h"

namespace tailor {

using nlohmann::json;

StatusOr<json> ParseJsonBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgumentError("request body is not valid JSON: the body is empty");
  }
  try {
    return json::parse(body.begin(), body.end());
  } catch (const json::parse_error& e) {
    return InvalidArgumentError("request body is not valid JSON: " + std::string(e.what()));
  }
}

StatusOr<std::vector<const json*>> BatchRows(const json& body, std::string_view key) {
  const json* rows = nullptr;
  if (body.is_array()) {
    rows = &body;
  } else if (body.is_object()) {
    auto it = body.find(key);
    if (it == body.end()) return std::vector<const json*>{&body};  // a single row
    if (body.size() != 1) {
      return InvalidArgumentError("a body with '" + std::string(key) +
                                  "' must have no other fields");
    }
    if (!it->is_array()) {
      return InvalidArgumentError("field '" + std::string(key) + "': expected an array, got " +
                                  std::string(it->type_name()));
    }
    rows = &*it;
  } else {
    return InvalidArgumentError("expected a JSON object or {\"" + std::string(key) +
                                "\": [...]}, got " + std::string(body.type_name()));
  }
  if (rows->size() > kMaxRowsPerRequest) {
    return ResourceExhaustedError(std::to_string(rows->size()) + " " + std::string(key) +
                                  " in one request; at most " + std::to_string(kMaxRowsPerRequest) +
                                  " (use `tailor import` for bulk loads)");
  }
  std::vector<const json*> out;
  out.reserve(rows->size());
  for (const json& row : *rows) out.push_back(&row);
  return out;
}

json RecommendationsToJson(const std::vector<Recommendation>& list, const Catalog& catalog) {
  json items = json::array();
  for (const Recommendation& rec : list) {
    const auto item_idx = static_cast<size_t>(rec.item);
    items.push_back({{"id", catalog.item_ids[item_idx]},
                     {"title", catalog.titles[item_idx]},
                     {"score", rec.score},
                     {"reason", rec.reason}});
  }
  return items;
}

std::string DumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace tailor
