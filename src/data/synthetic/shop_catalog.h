// ShopCatalog: the synthetic shop's category tree, brands and items, with the hidden
// structure the session simulator draws from (leaf price scales, item popularity ranks,
// latent item vectors, complementary leaves).
//
// Leaves are numbered top-major: leaf = (top * subcategories + sub) * leaves_per_sub + k, so
// the leaves of one subcategory are contiguous. Items are stored leaf by leaf in popularity
// order (so the simulator's Zipf draws touch a small, contiguous part of memory); an item's
// public id is "i<number>", numbers being a shuffle of storage order. An item's latent vector
// is its leaf's vector plus brand and item noise; a leaf's vector mixes its top category's and
// subcategory's, so nearby leaves are similar. Immutable after BuildShopCatalog; thread-safe to
// read.
#ifndef TAILOR_DATA_SYNTHETIC_SHOP_CATALOG_H_
#define TAILOR_DATA_SYNTHETIC_SHOP_CATALOG_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/synthetic/shop_generator.h"
#include "data/synthetic/shop_random.h"
#include "data/synthetic/word_lists.h"

namespace tailor::synthetic {

struct CatalogLeaf {
  int32_t top = 0;
  int32_t first_sibling = 0;  // first leaf of the same subcategory
  int32_t num_siblings = 1;   // leaves in the subcategory (including this one)
  const TopCategoryWords* top_words = nullptr;
  const SubcategoryWords* sub_words = nullptr;
  const LeafWords* words = nullptr;
  double log_median_price = 0.0;         // mu of the leaf's log-normal price
  double popularity = 1.0;               // relative traffic of the leaf
  std::array<int32_t, 2> complements{};  // leaves shoppers move to after buying here
};

struct CatalogItem {
  int32_t number = 0;  // 1-based; the item's id is "i<number>"
  int32_t leaf = 0;
  int32_t brand = 0;
  int32_t price_cents = 0;
  int64_t created_at = 0;   // unix seconds
  float price_tier = 0.5f;  // where the price sits in its leaf, 0 (cheap) .. 1 (expensive)
  bool in_stock = true;
};

struct ShopCatalog {
  int32_t taste_dims = 0;
  std::vector<CatalogLeaf> leaves;
  std::vector<float> leaf_vectors;  // leaves x taste_dims
  std::vector<std::string> brand_names;
  std::vector<double> brand_premium;                // log-price offset per brand
  std::vector<std::vector<int32_t>> brands_by_top;  // brands selling in each top category
  // Indexed by storage position: the items of leaf L are [leaf_offsets[L], leaf_offsets[L+1])
  // in popularity order (rank 0 first). Rank 0 of every leaf predates the event window.
  std::vector<CatalogItem> items;
  std::vector<float> item_vectors;  // items x taste_dims, unit length
  std::vector<int64_t> leaf_offsets;
  std::vector<int32_t> item_by_number;           // number - 1 -> storage position
  std::vector<int32_t> nonempty_leaves;          // leaves with at least one item
  std::vector<double> nonempty_leaf_cumulative;  // popularity running sum over nonempty_leaves
  ZipfTable zipf{1, 1.0};

  std::span<const float> ItemVector(int32_t item_idx) const {
    return {item_vectors.data() + static_cast<size_t>(item_idx) * taste_dims,
            static_cast<size_t>(taste_dims)};
  }
  std::span<const float> LeafVector(int32_t leaf_idx) const {
    return {leaf_vectors.data() + static_cast<size_t>(leaf_idx) * taste_dims,
            static_cast<size_t>(taste_dims)};
  }
  int64_t LeafSize(int32_t leaf_idx) const {
    return leaf_offsets[leaf_idx + 1] - leaf_offsets[leaf_idx];
  }
  // The category path: {"Home", "Kitchen", "Knives"}.
  std::array<std::string_view, 3> Path(int32_t leaf_idx) const {
    const CatalogLeaf& leaf = leaves[leaf_idx];
    return {leaf.top_words->name, leaf.sub_words->name, leaf.words->name};
  }
};

// Builds the catalog from the options' catalog fields and seed (options must be valid).
ShopCatalog BuildShopCatalog(const ShopOptions& options);

// Writes one JSON object per item (items.jsonl, see the brief's format). Reports progress as
// stage "items". Errors: kUnavailable naming the file.
Status WriteItemsJsonl(const ShopCatalog& catalog, const ShopOptions& options,
                       const std::string& path, const ProgressFn& progress, int64_t* bytes);

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_SHOP_CATALOG_H_
