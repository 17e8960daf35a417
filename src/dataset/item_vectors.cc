#include "dataset/item_vectors.h"

#include <algorithm>
#include <cmath>

namespace tailor {

int32_t ItemVectors::num_present() const {
  return static_cast<int32_t>(std::count(present.begin(), present.end(), uint8_t{1}));
}

ItemVectors ItemVectors::Zeros(int32_t num_items, int32_t dim) {
  ItemVectors vectors;
  vectors.dim = dim;
  vectors.values.assign(static_cast<size_t>(num_items) * static_cast<size_t>(dim), 0.0f);
  vectors.present.assign(static_cast<size_t>(num_items), 0);
  return vectors;
}

ImageVectorCollector::ImageVectorCollector(int32_t num_items) {
  vectors_.present.assign(static_cast<size_t>(std::max(0, num_items)), 0);
}

Status ImageVectorCollector::Add(int32_t item_idx, const Item& item) {
  if (item_idx < 0 || item_idx >= vectors_.num_items() || item.image_vector.empty()) {
    return OkStatus();
  }
  const int32_t dim = static_cast<int32_t>(item.image_vector.size());
  if (vectors_.dim == 0) {
    vectors_.dim = dim;
    vectors_.values.assign(static_cast<size_t>(vectors_.num_items()) * static_cast<size_t>(dim),
                           0.0f);
    first_item_ = item.id;
  } else if (dim != vectors_.dim) {
    return InvalidArgumentError("item '" + item.id + "': image_vector has " +
                                std::to_string(dim) + " entries, but item '" + first_item_ +
                                "' has " + std::to_string(vectors_.dim) +
                                " (all image vectors must come from one model)");
  }
  std::copy(item.image_vector.begin(), item.image_vector.end(),
            vectors_.values.begin() + static_cast<int64_t>(item_idx) * dim);
  vectors_.present[item_idx] = 1;
  return OkStatus();
}

StatusOr<ItemVectors> LoadImageVectors(Store& store, int32_t num_items) {
  ImageVectorCollector collector(num_items);
  RETURN_IF_ERROR(store.ScanItems(
      [&](int32_t item_idx, const Item& item) { return collector.Add(item_idx, item); }));
  return std::move(collector).Finish();
}

StatusOr<ItemVectors> ConcatNormalized(std::span<const ItemVectors* const> blocks) {
  int32_t num_items = -1, dim = 0;
  for (const ItemVectors* block : blocks) {
    if (block == nullptr || block->empty()) continue;
    if (num_items >= 0 && block->num_items() != num_items) {
      return InvalidArgumentError("item vectors for " + std::to_string(block->num_items()) +
                                  " items beside vectors for " + std::to_string(num_items));
    }
    num_items = block->num_items();
    dim += block->dim;
  }
  if (num_items < 0) return ItemVectors();
  ItemVectors out = ItemVectors::Zeros(num_items, dim);
  int32_t column = 0;
  for (const ItemVectors* block : blocks) {
    if (block == nullptr || block->empty()) continue;
    for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
      if (block->present[item_idx] == 0) continue;
      const std::span<const float> row = block->row(item_idx);
      double squares = 0.0;
      for (float value : row) squares += static_cast<double>(value) * value;
      if (squares <= 0.0) continue;
      const float scale = static_cast<float>(1.0 / std::sqrt(squares));
      float* target = out.values.data() + static_cast<size_t>(item_idx) * dim + column;
      for (int32_t col = 0; col < block->dim; ++col) target[col] = row[col] * scale;
      out.present[item_idx] = 1;
    }
    column += block->dim;
  }
  return out;
}

}  // namespace tailor
