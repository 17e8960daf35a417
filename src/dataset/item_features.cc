#include "dataset/item_features.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace tailor {

std::vector<std::string> ItemFeatureNames(const Item& item) {
  std::vector<std::string> names;
  for (const std::string& level : item.categories) {
    if (!level.empty()) names.push_back("category:" + level);
  }
  if (!item.brand.empty()) names.push_back("brand:" + item.brand);
  if (item.price.has_value() && *item.price >= 0.0) {
    const int bucket = static_cast<int>(std::floor(2.0 * std::log2(1.0 + *item.price)));
    names.push_back("price:" + std::to_string(bucket));
  }
  return names;
}

ItemFeatures ItemFeatures::FromNames(const std::vector<std::vector<std::string>>& per_item) {
  // Count the items carrying each name once, then keep those on >= 2 items.
  std::unordered_map<std::string, int32_t> item_counts;
  std::vector<std::string> order;
  for (const auto& names : per_item) {
    std::vector<std::string> unique(names);
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (const std::string& name : unique) {
      if (item_counts[name]++ == 0) order.push_back(name);
    }
  }
  ItemFeatures features;
  std::unordered_map<std::string, int32_t> index;
  for (const std::string& name : order) {
    if (item_counts[name] < 2) continue;
    index.emplace(name, static_cast<int32_t>(features.names.size()));
    features.names.push_back(name);
  }
  features.offsets.reserve(per_item.size() + 1);
  for (const auto& names : per_item) {
    const size_t begin = features.ids.size();
    for (const std::string& name : names) {
      const auto found = index.find(name);
      if (found == index.end()) continue;
      if (std::find(features.ids.begin() + static_cast<int64_t>(begin), features.ids.end(),
                    found->second) == features.ids.end()) {
        features.ids.push_back(found->second);
      }
    }
    features.offsets.push_back(static_cast<int64_t>(features.ids.size()));
  }
  return features;
}

}  // namespace tailor
