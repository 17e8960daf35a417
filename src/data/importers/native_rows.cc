#include "data/importers/native_rows.h"

#include <cmath>

#include "common/parse_number.h"
#include "common/utf8.h"
#include "data/image_vector.h"

namespace tailor {
namespace {

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }

// "-?(0|[1-9][0-9]*)(\.[0-9]+)?": numbers whose text a JSON number keeps exactly.
bool IsCanonicalNumber(std::string_view text) {
  size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') ++pos;
  if (pos >= text.size() || !IsDigit(text[pos])) return false;
  if (text[pos] == '0' && pos + 1 < text.size() && IsDigit(text[pos + 1])) return false;
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  if (pos == text.size()) return true;
  if (text[pos] != '.') return false;
  ++pos;
  if (pos == text.size()) return false;
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  return pos == text.size();
}

// Splits "Beauty > Skin > Masks" into its trimmed, non-empty parts.
std::vector<std::string> SplitCategoryPath(std::string_view path) {
  std::vector<std::string> parts;
  while (true) {
    const size_t sep = path.find(" > ");
    const std::string_view part = TrimSpaces(path.substr(0, sep));
    if (!part.empty()) parts.emplace_back(part);
    if (sep == std::string_view::npos) break;
    path.remove_prefix(sep + 3);
  }
  return parts;
}

// Checks that every string inside `value` is valid UTF-8 (text from CSV cells is unchecked).
bool CheckJsonText(std::string_view field, const nlohmann::json& value, RowCheck& check) {
  if (value.is_string()) {
    std::string ignored;
    return check.Text(field, value.get_ref<const std::string&>(), &ignored);
  }
  if (value.is_structured()) {
    for (const auto& element : value) {
      if (!CheckJsonText(field, element, check)) return false;
    }
  }
  return true;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool FillEvent(const EventFields& fields, RowCheck& check, ImportContext& context, Event& event) {
  if (!check.Id("user_id", fields.user_id, &event.user_id) ||
      !check.Id("item_id", fields.item_id, &event.item_id) ||
      !check.Id("type", fields.type, &event.type) ||
      !check.Timestamp("timestamp", fields.timestamp, &event.timestamp) ||
      !check.OptionalNumber("value", fields.value, &event.value) ||
      !check.Text("text", fields.text, &event.text)) {
    return false;
  }
  if (!fields.session_id.empty() && !check.Id("session_id", fields.session_id, &event.session_id)) {
    return false;
  }
  if (!fields.event_id.empty() && !check.Id("event_id", fields.event_id, &event.event_id)) {
    return false;
  }
  if (!check.KnownEventType("type", event.type) || !check.KnownItem("item_id", event.item_id)) {
    return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string_view>& EventColumns() {
  static const std::vector<std::string_view> kColumns = {
      "user_id", "item_id", "type", "timestamp", "value", "text", "session_id", "event_id"};
  return kColumns;
}

const std::vector<std::string_view>& ItemColumns() {
  static const std::vector<std::string_view> kColumns = {
      "id",    "title",    "description", "categories", "brand",
      "price", "currency", "in_stock",    "created_at", "attributes", "image_vector"};
  return kColumns;
}

bool AddEventRow(const EventFields& fields, RowCheck& check, ImportContext& context) {
  // Filled in place, which saves moving a ~200-byte Event per row.
  std::vector<Event>& events = context.batch().events;
  Event& event = events.emplace_back();
  if (!FillEvent(fields, check, context, event)) {
    events.pop_back();
    return false;
  }
  return true;
}

bool AddItemRow(const ItemFields& fields, RowCheck& check, ImportContext& context) {
  Item item;
  if (!check.Id("id", fields.id, &item.id) || !check.Text("title", fields.title, &item.title) ||
      !check.Text("description", fields.description, &item.description) ||
      !check.Text("brand", fields.brand, &item.brand)) {
    return false;
  }
  if (fields.category_list != nullptr) {
    for (const std::string& category : *fields.category_list) {
      std::string text;
      if (!check.Text("categories", category, &text)) return false;
      if (!TrimSpaces(text).empty()) item.categories.emplace_back(TrimSpaces(text));
    }
  } else {
    std::string path;
    if (!check.Text("categories", fields.categories, &path)) return false;
    item.categories = SplitCategoryPath(path);
  }
  if (!check.OptionalNumber("price", fields.price, &item.price)) return false;
  if (item.price && *item.price < 0) {
    return check.Fail("price", "must be >= 0 (" + QuoteValue(fields.price) + ")");
  }
  const std::string_view currency = TrimSpaces(fields.currency);
  if (!currency.empty()) {
    if (currency.size() != 3) {
      return check.Fail("currency", "not a 3-letter ISO 4217 code (" + QuoteValue(currency) + ")");
    }
    for (char ch : currency) {
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      if (ch < 'A' || ch > 'Z') {
        return check.Fail("currency",
                          "not a 3-letter ISO 4217 code (" + QuoteValue(currency) + ")");
      }
      item.currency.push_back(ch);
    }
  }
  if (!TrimSpaces(fields.in_stock).empty()) {
    const std::optional<bool> in_stock = ParseBool(fields.in_stock);
    if (!in_stock) {
      return check.Fail("in_stock", "not true/false/1/0 (" + QuoteValue(fields.in_stock) + ")");
    }
    item.in_stock = *in_stock;
  }
  if (!TrimSpaces(fields.created_at).empty() &&
      !check.Timestamp("created_at", fields.created_at, &item.created_at)) {
    return false;
  }
  nlohmann::json attributes = nlohmann::json::object();
  if (fields.attributes_object != nullptr) {
    attributes = *fields.attributes_object;
  } else if (!TrimSpaces(fields.attributes).empty()) {
    std::string text;
    if (!check.Text("attributes", fields.attributes, &text)) return false;
    attributes = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (attributes.is_discarded()) {
      return check.Fail("attributes", "not valid JSON (" + QuoteValue(text) + ")");
    }
  }
  if (!attributes.is_object()) return check.Fail("attributes", "not a JSON object");
  for (const auto& [key, value] : fields.extra.items()) {
    if (!CheckJsonText(key, value, check)) return false;
    attributes[key] = value;
  }
  item.attributes_json = DumpJson(attributes);
  StatusOr<std::vector<float>> image_vector = fields.image_vector_array != nullptr
                                                  ? ImageVectorFromJson(*fields.image_vector_array)
                                                  : ParseImageVector(fields.image_vector);
  if (!image_vector.ok()) return check.Fail("image_vector", image_vector.status().message());
  item.image_vector = std::move(*image_vector);
  context.AddItem(std::move(item));
  return true;
}

bool AddUserRow(std::string_view id, const nlohmann::json& attributes, RowCheck& check,
                ImportContext& context) {
  User user;
  if (!check.Id("id", id, &user.id)) return false;
  for (const auto& [key, value] : attributes.items()) {
    if (!CheckJsonText(key, value, check)) return false;
  }
  user.attributes_json = DumpJson(attributes);
  context.batch().users.push_back(std::move(user));
  return true;
}

nlohmann::json CellToJson(std::string_view cell) {
  if (cell == "true") return true;
  if (cell == "false") return false;
  if (IsCanonicalNumber(cell)) {
    if (cell.find('.') == std::string_view::npos) {
      if (const std::optional<int64_t> integer = ParseInt64(cell)) return *integer;
    } else if (const std::optional<double> number = ParseDouble(cell)) {
      return *number;
    }
  }
  return std::string(cell);
}

}  // namespace tailor
