#include "dataset/item_text.h"

#include <algorithm>

namespace tailor {
namespace {

void Append(std::string_view part, std::string* text) {
  if (part.empty()) return;
  if (!text->empty()) *text += ' ';
  *text += part;
  if (text->back() != '.') *text += '.';
}

}  // namespace

std::string ItemText(const Item& item) {
  if (!item.title.empty() && item.description.starts_with(item.title)) return item.description;
  std::string text;
  Append(item.title, &text);
  Append(item.brand, &text);
  std::string path;
  for (const std::string& category : item.categories) {
    if (category.empty()) continue;
    if (!path.empty()) path += ' ';
    path += category;
  }
  Append(path, &text);
  Append(item.description, &text);
  return text;
}

StatusOr<std::vector<std::string>> LoadItemTexts(Store& store, int32_t num_items) {
  std::vector<std::string> texts(static_cast<size_t>(std::max(0, num_items)));
  RETURN_IF_ERROR(store.ScanItems([&](int32_t item_idx, const Item& item) -> Status {
    if (item_idx >= 0 && item_idx < num_items) texts[item_idx] = ItemText(item);
    return OkStatus();
  }));
  return texts;
}

}  // namespace tailor
