// Catalog: the item facts that ranking needs at request time (ids, titles, categories, brand,
// price, stock), read from the store. Immutable; the server builds a new one when items change
// and swaps it in whole.
#ifndef TAILOR_RANK_CATALOG_H_
#define TAILOR_RANK_CATALOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tailor/status.h"
#include "tailor/store.h"

namespace tailor {

struct Catalog {
  std::vector<std::string> item_ids;              // [item_idx]
  std::vector<std::string> titles;                // [item_idx], may be empty
  std::vector<std::string> brands;                // [item_idx]
  std::vector<std::optional<double>> prices;      // [item_idx]
  std::vector<uint8_t> in_stock;                  // [item_idx] 1/0
  std::vector<std::vector<int32_t>> categories;   // [item_idx] -> category ids (every level)
  std::vector<std::string> category_names;        // [category id]
  std::unordered_map<std::string, int32_t> category_index;  // name -> id
  std::unordered_map<std::string, int32_t> item_index;      // item id -> idx

  int32_t size() const { return static_cast<int32_t>(item_ids.size()); }
  // "title (id)" or just the id when there is no title.
  std::string Label(int32_t item_idx) const;
};

// Reads every item of the store.
StatusOr<Catalog> LoadCatalog(Store& store);

}  // namespace tailor

#endif  // TAILOR_RANK_CATALOG_H_
