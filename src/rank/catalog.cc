#include "rank/catalog.h"

#include <algorithm>

namespace tailor {
namespace {

int32_t CategoryId(Catalog& catalog, const std::string& name) {
  auto [it, inserted] =
      catalog.category_index.emplace(name, static_cast<int32_t>(catalog.category_names.size()));
  if (inserted) catalog.category_names.push_back(name);
  return it->second;
}

void AddItem(Catalog& catalog, int32_t item_idx, const Item& item) {
  if (catalog.size() <= item_idx) {
    const auto size = static_cast<size_t>(item_idx) + 1;
    catalog.item_ids.resize(size);
    catalog.titles.resize(size);
    catalog.brands.resize(size);
    catalog.prices.resize(size);
    catalog.in_stock.resize(size, 0);
    catalog.categories.resize(size);
  }
  catalog.item_ids[item_idx] = item.id;
  catalog.titles[item_idx] = item.title;
  catalog.brands[item_idx] = item.brand;
  catalog.prices[item_idx] = item.price;
  catalog.in_stock[item_idx] = item.in_stock ? 1 : 0;
  catalog.item_index[item.id] = item_idx;
  // Every level by its own name ("Skin") and by its path ("Beauty > Skin"), so a filter can
  // name a level loosely or a branch exactly.
  std::vector<int32_t>& ids = catalog.categories[item_idx];
  ids.clear();
  std::string path;
  for (const std::string& level : item.categories) {
    if (level.empty()) continue;
    path = path.empty() ? level : path + " > " + level;
    for (const std::string& name : {level, path}) {
      int32_t id = CategoryId(catalog, name);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
}

}  // namespace

std::string Catalog::Label(int32_t item_idx) const {
  if (item_idx < 0 || item_idx >= size()) return "item #" + std::to_string(item_idx);
  const std::string& title = titles[item_idx];
  if (title.empty()) return item_ids[item_idx];
  return title + " (" + item_ids[item_idx] + ")";
}

StatusOr<Catalog> LoadCatalog(Store& store) {
  Catalog catalog;
  RETURN_IF_ERROR(store.ScanItems([&](int32_t item_idx, const Item& item) -> Status {
    if (item_idx < 0) {
      return DataLossError("item '" + item.id + "' has a negative index " +
                           std::to_string(item_idx));
    }
    AddItem(catalog, item_idx, item);
    return OkStatus();
  }));
  return catalog;
}

}  // namespace tailor
