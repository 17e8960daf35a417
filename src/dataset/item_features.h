// ItemFeatures: each item's side information as sparse feature ids, the input of models that
// fuse item attributes into the item representation (the sequential models). Features are
// every category level ("category:Skin"), the brand ("brand:Nivea") and a price bucket
// ("price:7", half-octave buckets of 1 + price). A feature carried by fewer than two items says
// nothing an item id does not, and is dropped. Immutable; safe to read from many threads.
#ifndef TAILOR_DATASET_ITEM_FEATURES_H_
#define TAILOR_DATASET_ITEM_FEATURES_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tailor/status.h"
#include "tailor/store.h"
#include "tailor/types.h"

namespace tailor {

struct ItemFeatures {
  std::vector<std::string> names;      // [feature id] -> "category:Skin", "brand:Nivea", ...
  std::vector<int64_t> offsets = {0};  // size num_items + 1
  std::vector<int32_t> ids;            // item i's features: ids[offsets[i] .. offsets[i+1])

  int32_t num_items() const { return static_cast<int32_t>(offsets.size()) - 1; }
  int32_t num_features() const { return static_cast<int32_t>(names.size()); }
  bool empty() const { return ids.empty(); }
  std::span<const int32_t> item(int32_t item_idx) const {
    return {ids.data() + offsets[item_idx],
            static_cast<size_t>(offsets[item_idx + 1] - offsets[item_idx])};
  }

  // Builds from per-item raw feature names ([item_idx] -> names, duplicates allowed);
  // ids are given in order of first appearance.
  static ItemFeatures FromNames(const std::vector<std::vector<std::string>>& per_item);
};

// The feature names of one item (before the two-item threshold).
std::vector<std::string> ItemFeatureNames(const Item& item);

}  // namespace tailor

#endif  // TAILOR_DATASET_ITEM_FEATURES_H_
