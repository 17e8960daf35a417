// tailor's own JSONL formats: items.jsonl, users.jsonl, events.jsonl (docs/formats.md). Each
// scalar value is handed to native_rows.h as text, so both encodings share one set of rules.
#include <algorithm>
#include <array>

#include "data/importers/format_importers.h"
#include "data/importers/jsonl_reader.h"
#include "data/importers/native_rows.h"

namespace tailor {
namespace {

using Json = nlohmann::json;

// Sets *out to the text of object[key]: strings as they are, numbers as written, booleans as
// "true"/"false"; absent keys and null give "". Objects and arrays reject the row.
bool ScalarText(const Json& object, std::string_view key, std::string& storage,
                std::string_view* out, RowCheck& check) {
  *out = {};
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return true;
  const Json& value = *found;
  switch (value.type()) {
    case Json::value_t::string:
      *out = value.get_ref<const std::string&>();
      return true;
    case Json::value_t::number_integer:
      storage = std::to_string(value.get<int64_t>());
      break;
    case Json::value_t::number_unsigned:
      storage = std::to_string(value.get<uint64_t>());
      break;
    case Json::value_t::boolean:
      storage = value.get<bool>() ? "true" : "false";
      break;
    case Json::value_t::number_float:
      storage = value.dump();
      break;
    default:
      return check.Fail(key,
                        std::string("expected a string or a number, got ") + value.type_name());
  }
  *out = storage;
  return true;
}

bool RequireKeys(const Json& object, std::initializer_list<std::string_view> keys,
                 RowCheck& check) {
  for (std::string_view key : keys) {
    if (!object.contains(key)) return check.Fail(key, "missing (a required key)");
  }
  return true;
}

}  // namespace

Status ImportEventsJsonl(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  JsonlReader jsonl(*lines, context);
  const std::vector<std::string_view>& columns = EventColumns();
  std::string expected;
  for (std::string_view column : columns)
    expected += (expected.empty() ? "" : ", ") + std::string(column);
  std::array<std::string, 8> storage;
  std::array<std::string_view, 8> values;
  while (jsonl.Next()) {
    const Json& object = jsonl.object();
    RowCheck check(context, jsonl.line(), jsonl.raw());
    if (!RequireKeys(object, {"user_id", "item_id", "type", "timestamp"}, check)) continue;
    for (const auto& [key, value] : object.items()) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) {
        check.Fail(key, "unknown key (events have: " + expected + ")");
        break;
      }
    }
    for (size_t column_idx = 0; column_idx < columns.size() && check.ok(); ++column_idx) {
      ScalarText(object, columns[column_idx], storage[column_idx], &values[column_idx], check);
    }
    if (!check.ok()) continue;
    EventFields fields{values[0], values[1], values[2], values[3],
                       values[4], values[5], values[6], values[7]};
    AddEventRow(fields, check, context);
  }
  RETURN_IF_ERROR(jsonl.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

Status ImportItemsJsonl(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  JsonlReader jsonl(*lines, context);
  const std::vector<std::string_view>& columns = ItemColumns();
  std::array<std::string, 11> storage;
  std::array<std::string_view, 11> values;
  while (jsonl.Next()) {
    const Json& object = jsonl.object();
    RowCheck check(context, jsonl.line(), jsonl.raw());
    if (!RequireKeys(object, {"id"}, check)) continue;
    ItemFields fields;
    const auto image_vector = object.find("image_vector");
    if (image_vector != object.end()) fields.image_vector_array = &*image_vector;
    std::vector<std::string> category_list;
    const auto categories = object.find("categories");
    if (categories != object.end() && categories->is_array()) {
      for (const Json& category : *categories) {
        if (!category.is_string()) {
          check.Fail("categories", "expected an array of strings or a \" > \" path");
          break;
        }
        category_list.push_back(category.get<std::string>());
      }
      fields.category_list = &category_list;
    }
    const auto attributes = object.find("attributes");
    if (attributes != object.end() && !attributes->is_null()) {
      if (!attributes->is_object()) check.Fail("attributes", "expected a JSON object");
      fields.attributes_object = &*attributes;
    }
    for (size_t column_idx = 0; column_idx < columns.size() && check.ok(); ++column_idx) {
      const std::string_view key = columns[column_idx];
      if ((key == "categories" && fields.category_list != nullptr) || key == "attributes" ||
          key == "image_vector") {
        continue;
      }
      ScalarText(object, key, storage[column_idx], &values[column_idx], check);
    }
    if (!check.ok()) continue;
    fields.id = values[0];
    fields.title = values[1];
    fields.description = values[2];
    fields.categories = values[3];
    fields.brand = values[4];
    fields.price = values[5];
    fields.currency = values[6];
    fields.in_stock = values[7];
    fields.created_at = values[8];
    for (const auto& [key, value] : object.items()) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) {
        fields.extra[key] = value;
      }
    }
    AddItemRow(fields, check, context);
  }
  RETURN_IF_ERROR(jsonl.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

Status ImportUsersJsonl(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  JsonlReader jsonl(*lines, context);
  std::string storage;
  while (jsonl.Next()) {
    const Json& object = jsonl.object();
    RowCheck check(context, jsonl.line(), jsonl.raw());
    std::string_view id;
    if (!RequireKeys(object, {"id"}, check) || !ScalarText(object, "id", storage, &id, check)) {
      continue;
    }
    Json attributes = Json::object();
    const auto nested = object.find("attributes");
    if (nested != object.end() && !nested->is_null()) {
      if (!nested->is_object()) {
        check.Fail("attributes", "expected a JSON object");
        continue;
      }
      attributes = *nested;
    }
    for (const auto& [key, value] : object.items()) {
      if (key != "id" && key != "attributes") attributes[key] = value;
    }
    AddUserRow(id, attributes, check, context);
  }
  RETURN_IF_ERROR(jsonl.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

}  // namespace tailor
