#include "serve/json_rows.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "common/timestamp.h"
#include "data/image_vector.h"

namespace tailor {
namespace {

using nlohmann::json;

constexpr size_t kMaxIdBytes = 256;                // as the importers
constexpr int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z, as common/timestamp

Status FieldError(std::string_view where, std::string_view field, const std::string& reason) {
  return InvalidArgumentError(std::string(where) + ": field '" + std::string(field) +
                              "': " + reason);
}

Status RequireObject(const json& row, std::string_view where) {
  if (row.is_object()) return OkStatus();
  return InvalidArgumentError(std::string(where) + ": expected a JSON object, got " +
                              std::string(row.type_name()));
}

// An id: a non-empty string or an integer (written in decimal), at most kMaxIdBytes.
StatusOr<std::string> IdField(const json& row, std::string_view where, std::string_view field) {
  auto it = row.find(field);
  if (it == row.end() || it->is_null()) return FieldError(where, field, "required");
  std::string id;
  if (it->is_string()) {
    id = it->get<std::string>();
  } else if (it->is_number_integer()) {
    id = it->dump();
  } else {
    return FieldError(where, field, "expected a string, got " + std::string(it->type_name()));
  }
  if (id.empty()) return FieldError(where, field, "empty");
  if (id.size() > kMaxIdBytes) {
    return FieldError(where, field, "longer than " + std::to_string(kMaxIdBytes) + " bytes");
  }
  return id;
}

// An optional string; null and absent give "".
StatusOr<std::string> StringField(const json& value, std::string_view where,
                                  std::string_view field) {
  if (value.is_null()) return std::string();
  if (!value.is_string()) {
    return FieldError(where, field, "expected a string, got " + std::string(value.type_name()));
  }
  return value.get<std::string>();
}

StatusOr<std::optional<double>> NumberField(const json& value, std::string_view where,
                                            std::string_view field) {
  if (value.is_null()) return std::optional<double>();
  if (!value.is_number()) {
    return FieldError(where, field, "expected a number, got " + std::string(value.type_name()));
  }
  double number = value.get<double>();
  if (!std::isfinite(number)) return FieldError(where, field, "not a finite number");
  return std::optional<double>(number);
}

StatusOr<bool> BoolField(const json& value, std::string_view where, std::string_view field) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer() && (value == 0 || value == 1)) return value == 1;
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
  }
  return FieldError(where, field, "expected true or false, got " + value.dump());
}

std::vector<std::string> SplitCategoryPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(" > ", start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.pop_back();
    size_t first = 0;
    while (first < part.size() && std::isspace(static_cast<unsigned char>(part[first]))) ++first;
    if (first < part.size()) parts.push_back(part.substr(first));
    start = end + 3;
  }
  return parts;
}

StatusOr<std::vector<std::string>> CategoriesField(const json& value, std::string_view where) {
  if (value.is_null()) return std::vector<std::string>();
  if (value.is_string()) return SplitCategoryPath(value.get<std::string>());
  if (!value.is_array()) {
    return FieldError(
        where, "categories",
        "expected an array of strings or an \"A > B\" path, got " + std::string(value.type_name()));
  }
  std::vector<std::string> categories;
  for (const json& level : value) {
    if (!level.is_string() || level.get_ref<const std::string&>().empty()) {
      return FieldError(where, "categories",
                        "every level must be a non-empty string, got " + level.dump());
    }
    categories.push_back(level.get<std::string>());
  }
  return categories;
}

}  // namespace

StatusOr<int64_t> TimestampFromJson(const json& value) {
  if (value.is_number()) {
    double seconds = value.get<double>();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > static_cast<double>(kMaxUnixSeconds)) {
      return InvalidArgumentError("not a date or unix time (" + value.dump() + ")");
    }
    return value.is_number_integer() ? value.get<int64_t>()
                                     : static_cast<int64_t>(std::floor(seconds));
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::optional<int64_t> seconds = ParseTimestamp(text);
    if (!seconds) return InvalidArgumentError("not a date or unix time ('" + text + "')");
    return *seconds;
  }
  return InvalidArgumentError("expected unix seconds or an ISO 8601 date, got " +
                              std::string(value.type_name()));
}

StatusOr<Item> ItemFromJson(const json& row, std::string_view where) {
  RETURN_IF_ERROR(RequireObject(row, where));
  Item item;
  ASSIGN_OR_RETURN(item.id, IdField(row, where, "id"));
  for (const auto& [key, value] : row.items()) {
    if (key == "id") continue;
    if (key == "title") {
      ASSIGN_OR_RETURN(item.title, StringField(value, where, key));
    } else if (key == "description") {
      ASSIGN_OR_RETURN(item.description, StringField(value, where, key));
    } else if (key == "categories") {
      ASSIGN_OR_RETURN(item.categories, CategoriesField(value, where));
    } else if (key == "brand") {
      ASSIGN_OR_RETURN(item.brand, StringField(value, where, key));
    } else if (key == "price") {
      ASSIGN_OR_RETURN(item.price, NumberField(value, where, key));
      if (item.price && *item.price < 0) return FieldError(where, key, "negative");
    } else if (key == "currency") {
      ASSIGN_OR_RETURN(item.currency, StringField(value, where, key));
    } else if (key == "in_stock") {
      if (value.is_null()) continue;
      ASSIGN_OR_RETURN(item.in_stock, BoolField(value, where, key));
    } else if (key == "created_at") {
      if (value.is_null()) continue;
      auto created = TimestampFromJson(value);
      if (!created.ok()) return FieldError(where, key, created.status().message());
      item.created_at = *created;
    } else if (key == "attributes") {
      if (value.is_null()) continue;
      if (!value.is_object()) {
        return FieldError(where, key, "expected an object, got " + std::string(value.type_name()));
      }
      item.attributes_json = value.dump();
    } else if (key == "image_vector") {
      StatusOr<std::vector<float>> image_vector = ImageVectorFromJson(value);
      if (!image_vector.ok()) return FieldError(where, key, image_vector.status().message());
      item.image_vector = std::move(*image_vector);
    } else {
      return FieldError(where, key,
                        "unknown field (known: id, title, description, categories, brand, price, "
                        "currency, in_stock, created_at, attributes, image_vector)");
    }
  }
  return item;
}

StatusOr<User> UserFromJson(const json& row, std::string_view where) {
  RETURN_IF_ERROR(RequireObject(row, where));
  User user;
  ASSIGN_OR_RETURN(user.id, IdField(row, where, "id"));
  json attributes = json::object();
  if (auto it = row.find("attributes"); it != row.end() && !it->is_null()) {
    if (!it->is_object()) {
      return FieldError(where, "attributes",
                        "expected an object, got " + std::string(it->type_name()));
    }
    attributes = *it;
  }
  for (const auto& [key, value] : row.items()) {
    if (key != "id" && key != "attributes") attributes[key] = value;
  }
  user.attributes_json = attributes.dump();
  return user;
}

StatusOr<Event> EventFromJson(const json& row, std::string_view where, int64_t now) {
  RETURN_IF_ERROR(RequireObject(row, where));
  Event event;
  event.timestamp = now;
  ASSIGN_OR_RETURN(event.user_id, IdField(row, where, "user_id"));
  ASSIGN_OR_RETURN(event.item_id, IdField(row, where, "item_id"));
  auto type = row.find("type");
  if (type == row.end() || type->is_null()) return FieldError(where, "type", "required");
  ASSIGN_OR_RETURN(event.type, StringField(*type, where, "type"));
  if (event.type.empty()) return FieldError(where, "type", "empty");
  for (const auto& [key, value] : row.items()) {
    if (key == "user_id" || key == "item_id" || key == "type") continue;
    if (key == "timestamp") {
      if (value.is_null()) continue;
      auto timestamp = TimestampFromJson(value);
      if (!timestamp.ok()) return FieldError(where, key, timestamp.status().message());
      event.timestamp = *timestamp;
    } else if (key == "value") {
      ASSIGN_OR_RETURN(event.value, NumberField(value, where, key));
    } else if (key == "text") {
      ASSIGN_OR_RETURN(event.text, StringField(value, where, key));
    } else if (key == "session_id") {
      ASSIGN_OR_RETURN(event.session_id, StringField(value, where, key));
    } else if (key == "event_id") {
      if (value.is_number_integer()) {
        event.event_id = value.dump();
      } else {
        ASSIGN_OR_RETURN(event.event_id, StringField(value, where, key));
      }
    } else {
      return FieldError(where, key,
                        "unknown field (known: user_id, item_id, type, timestamp, value, text, "
                        "session_id, event_id)");
    }
  }
  return event;
}

nlohmann::json ItemToJson(const Item& item) {
  nlohmann::json attributes = nlohmann::json::parse(item.attributes_json, nullptr, /*allow_exceptions=*/false);
  return {{"id", item.id},
          {"title", item.title},
          {"description", item.description},
          {"categories", item.categories},
          {"brand", item.brand},
          {"price", item.price ? nlohmann::json(*item.price) : nlohmann::json(nullptr)},
          {"currency", item.currency},
          {"in_stock", item.in_stock},
          {"created_at", item.created_at},
          {"attributes", attributes.is_object() ? attributes : nlohmann::json::object()},
          {"image_vector", item.image_vector}};
}

}  // namespace tailor
