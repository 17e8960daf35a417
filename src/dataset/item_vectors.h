// ItemVectors: one dense vector per item, the content input of models that fuse it into the
// item representation (the sequential models, FitOptions::item_vectors): the shop's image
// vectors (Item::image_vector), text embeddings, or both side by side. Items without a vector
// have a zero row and present[item] == 0. Immutable; safe to read from many threads.
#ifndef TAILOR_DATASET_ITEM_VECTORS_H_
#define TAILOR_DATASET_ITEM_VECTORS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tailor/status.h"
#include "tailor/store.h"

namespace tailor {

struct ItemVectors {
  int32_t dim = 0;
  std::vector<float> values;     // [num_items][dim], row-major
  std::vector<uint8_t> present;  // [num_items]: 1 when the item has a vector

  int32_t num_items() const { return static_cast<int32_t>(present.size()); }
  int32_t num_present() const;
  // No item has a vector.
  bool empty() const { return dim == 0 || num_present() == 0; }
  std::span<const float> row(int32_t item_idx) const {
    return {values.data() + static_cast<size_t>(item_idx) * dim, static_cast<size_t>(dim)};
  }

  // num_items zero rows of width dim, none present.
  static ItemVectors Zeros(int32_t num_items, int32_t dim);
};

// The image vectors of items 0..num_items-1, gathered item by item, so one scan of the store
// can feed it beside other readers (LoadDataset). Items never added, or without a vector, are
// absent.
class ImageVectorCollector {
 public:
  explicit ImageVectorCollector(int32_t num_items);
  // Items outside 0..num_items-1 are ignored. Errors: kInvalidArgument naming the first item
  // whose vector length differs from the first one's (all of a catalog's vectors come from
  // one image model).
  Status Add(int32_t item_idx, const Item& item);
  ItemVectors Finish() && { return std::move(vectors_); }

 private:
  ItemVectors vectors_;
  std::string first_item_;
};

// The image vectors of the store's items 0..num_items-1 (one scan into an
// ImageVectorCollector). Errors: as ImageVectorCollector::Add.
StatusOr<ItemVectors> LoadImageVectors(Store& store, int32_t num_items);

// The blocks side by side ([num_items][sum of dims]), each block's rows scaled to unit length
// first, so no block outweighs another by the scale its producer happened to use. An item is
// present when any block has it; an absent block stays zero in its row. Empty blocks are
// skipped. Errors: kInvalidArgument when two non-empty blocks disagree on num_items.
StatusOr<ItemVectors> ConcatNormalized(std::span<const ItemVectors* const> blocks);

}  // namespace tailor

#endif  // TAILOR_DATASET_ITEM_VECTORS_H_
