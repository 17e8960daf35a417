#include "serve/list_params.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "common/parse_number.h"

namespace tailor {
namespace {

using nlohmann::json;

constexpr const char* kQueryKeys[] = {"n",       "exclude_seen",     "in_stock",
                                      "category", "exclude_category", "exclude",
                                      "min_review_score", "review_weight", "new_items"};

// A number in [low, high], or nullopt.
std::optional<double> InRange(std::optional<double> value, double low, double high) {
  if (!value || !(*value >= low && *value <= high)) return std::nullopt;
  return value;
}

std::optional<double> JsonNumber(const nlohmann::json& value) {
  if (!value.is_number()) return std::nullopt;
  return value.get<double>();
}

std::string KnownKeys(bool allow_exclude_seen) {
  std::string known;
  for (const char* key : kQueryKeys) {
    if (!allow_exclude_seen &&
        (std::string_view(key) == "exclude_seen" || std::string_view(key) == "new_items")) {
      continue;
    }
    if (!known.empty()) known += ", ";
    known += key;
  }
  return known;
}

std::optional<int> ParseN(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < 1 || value > kMaxListSize) return std::nullopt;
  return value;
}

// "true"/"1" or "false"/"0" only (stricter than common's ParseBool, which also takes yes/no).
std::optional<bool> ParseFlag(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

std::string Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return std::string(text);
}

// Splits a comma list unless `entry` is itself a known name.
template <typename Known>
std::vector<std::string> SplitUnlessKnown(const std::string& entry, const Known& known) {
  if (known.count(entry) > 0 || entry.find(',') == std::string::npos) return {entry};
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= entry.size()) {
    size_t end = std::min(entry.find(',', start), entry.size());
    std::string part = Trim(std::string_view(entry).substr(start, end - start));
    if (!part.empty()) parts.push_back(std::move(part));
    start = end + 1;
  }
  return parts;
}

Status CheckCategories(const std::vector<std::string>& entries, const Catalog& catalog,
                       std::string_view param, std::vector<std::string>* out) {
  for (const auto& entry : entries) {
    for (auto& name : SplitUnlessKnown(entry, catalog.category_index)) {
      if (catalog.category_index.count(name) == 0) {
        return InvalidArgumentError(std::string(param) + ": unknown category '" + name + "'");
      }
      out->push_back(std::move(name));
    }
  }
  return OkStatus();
}

StatusOr<std::vector<std::string>> StringList(const json& value, std::string_view key) {
  if (value.is_string()) return std::vector<std::string>{value.get<std::string>()};
  if (value.is_null()) return std::vector<std::string>();
  if (value.is_array()) {
    std::vector<std::string> out;
    for (const json& element : value) {
      if (!element.is_string()) {
        return InvalidArgumentError("field '" + std::string(key) + "': expected strings, got " +
                                    element.dump());
      }
      out.push_back(element.get<std::string>());
    }
    return out;
  }
  return InvalidArgumentError("field '" + std::string(key) +
                              "': expected a string or an array of strings, got " +
                              std::string(value.type_name()));
}

StatusOr<bool> JsonBool(const json& value, std::string_view key) {
  if (value.is_boolean()) return value.get<bool>();
  return InvalidArgumentError("field '" + std::string(key) + "': expected true or false, got " +
                              value.dump());
}

}  // namespace

StatusOr<ListParams> ListParamsFromQuery(const std::multimap<std::string, std::string>& query,
                                         bool allow_exclude_seen) {
  ListParams params;
  for (const auto& [key, value] : query) {
    auto error = [&, &key = key, &value = value](const std::string& expected) {
      return InvalidArgumentError("query parameter '" + key + "': expected " + expected +
                                  ", got '" + value + "'");
    };
    if (key == "n") {
      auto n = ParseN(value);
      if (!n) return error("an integer in 1.." + std::to_string(kMaxListSize));
      params.n = *n;
    } else if (key == "exclude_seen" && allow_exclude_seen) {
      auto flag = ParseFlag(value);
      if (!flag) return error("true or false");
      params.exclude_seen = *flag;
    } else if (key == "in_stock") {
      auto flag = ParseFlag(value);
      if (!flag) return error("true or false");
      params.in_stock = *flag;
    } else if (key == "category") {
      params.categories.push_back(value);
    } else if (key == "exclude_category") {
      params.exclude_categories.push_back(value);
    } else if (key == "exclude") {
      params.exclude_ids.push_back(value);
    } else if (key == "min_review_score") {
      params.min_review_score = InRange(ParseDouble(value), -1.0, 1.0);
      if (!params.min_review_score) return error("a number in -1..1");
    } else if (key == "review_weight") {
      auto weight = InRange(ParseDouble(value), 0.0, kMaxReviewWeight);
      if (!weight) return error("a number in 0..10");
      params.review_weight = *weight;
    } else if (key == "new_items" && allow_exclude_seen) {
      auto slots = ParseN(value);
      if (!slots && value != "0") return error("an integer in 0.." + std::to_string(kMaxListSize));
      params.new_items = slots.value_or(0);
    } else {
      return InvalidArgumentError("unknown query parameter '" + key +
                                  "' (known: " + KnownKeys(allow_exclude_seen) + ")");
    }
  }
  return params;
}

StatusOr<ListParams> ListParamsFromJson(const json& body,
                                        const std::vector<std::string>& other_keys) {
  ListParams params;
  for (const auto& [key, value] : body.items()) {
    if (std::find(other_keys.begin(), other_keys.end(), key) != other_keys.end()) continue;
    if (key == "n") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 ||
          value.get<int64_t>() > kMaxListSize) {
        return InvalidArgumentError("field 'n': expected an integer in 1.." +
                                    std::to_string(kMaxListSize) + ", got " + value.dump());
      }
      params.n = value.get<int>();
    } else if (key == "exclude_seen") {
      ASSIGN_OR_RETURN(params.exclude_seen, JsonBool(value, key));
    } else if (key == "in_stock") {
      ASSIGN_OR_RETURN(params.in_stock, JsonBool(value, key));
    } else if (key == "category") {
      ASSIGN_OR_RETURN(params.categories, StringList(value, key));
    } else if (key == "exclude_category") {
      ASSIGN_OR_RETURN(params.exclude_categories, StringList(value, key));
    } else if (key == "exclude") {
      ASSIGN_OR_RETURN(params.exclude_ids, StringList(value, key));
    } else if (key == "min_review_score") {
      params.min_review_score = InRange(JsonNumber(value), -1.0, 1.0);
      if (!params.min_review_score) {
        return InvalidArgumentError("field 'min_review_score': expected a number in -1..1, got " +
                                    value.dump());
      }
    } else if (key == "review_weight") {
      auto weight = InRange(JsonNumber(value), 0.0, kMaxReviewWeight);
      if (!weight) {
        return InvalidArgumentError("field 'review_weight': expected a number in 0..10, got " +
                                    value.dump());
      }
      params.review_weight = *weight;
    } else if (key == "new_items") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
          value.get<int64_t>() > kMaxListSize) {
        return InvalidArgumentError("field 'new_items': expected an integer in 0.." +
                                    std::to_string(kMaxListSize) + ", got " + value.dump());
      }
      params.new_items = value.get<int>();
    } else {
      std::string known;
      for (const auto& other : other_keys) known += other + ", ";
      return InvalidArgumentError("unknown field '" + key + "' (known: " + known + KnownKeys(true) +
                                  ")");
    }
  }
  return params;
}

StatusOr<Filters> ResolveFilters(const ListParams& params, const Catalog& catalog) {
  Filters filters;
  filters.exclude_seen = params.exclude_seen;
  filters.in_stock_only = params.in_stock;
  filters.min_review_score = params.min_review_score;
  filters.review_weight = params.review_weight;
  filters.new_item_slots = params.new_items.value_or(0);
  RETURN_IF_ERROR(CheckCategories(params.categories, catalog, "category", &filters.categories));
  RETURN_IF_ERROR(CheckCategories(params.exclude_categories, catalog, "exclude_category",
                                  &filters.exclude_categories));
  for (const auto& entry : params.exclude_ids) {
    for (const auto& id : SplitUnlessKnown(entry, catalog.item_index)) {
      auto it = catalog.item_index.find(id);
      if (it == catalog.item_index.end()) {
        return NotFoundError("exclude: unknown item '" + id + "'");
      }
      filters.exclude_items.push_back(it->second);
    }
  }
  return filters;
}

}  // namespace tailor
