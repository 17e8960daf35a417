// ItemPopularity: per-item interaction totals (summed event weights and distinct shoppers).
// The popularity model is built on it, and every personalized model keeps one as its fallback
// for an empty or unknown history, so any query still gets a sensible ranking.
// Immutable after Count/Load; safe to read from many threads.
#ifndef TAILOR_MODELS_POPULARITY_ITEM_POPULARITY_H_
#define TAILOR_MODELS_POPULARITY_ITEM_POPULARITY_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/binary_io.h"
#include "dataset/histories.h"
#include "tailor/status.h"

namespace tailor {

class ItemPopularity {
 public:
  // Totals over `train` (every interaction's weight; each user counted once per item).
  static ItemPopularity Count(const UserHistories& train);

  int32_t num_items() const { return static_cast<int32_t>(shoppers_.size()); }
  // [item_idx] sum of interaction weights.
  std::span<const float> weight_sums() const { return weight_sums_; }
  // [item_idx] number of distinct users who interacted with the item.
  std::span<const int32_t> shoppers() const { return shoppers_; }

  // scores[item] = weight sum (weighted) or shopper count for items < num_items(); 0 (the
  // lowest popularity) for every other index of `scores`.
  void Score(bool weighted, std::span<float> scores) const;
  // "popular in the shop (N shoppers)"; "new in the shop" for an item it never saw.
  std::string Explain(int32_t item_idx) const;

  void Save(BinaryWriter& out) const;
  // Errors: kDataLoss on truncated or inconsistent data.
  Status Load(BinaryReader& in);

 private:
  std::vector<float> weight_sums_;
  std::vector<int32_t> shoppers_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_POPULARITY_ITEM_POPULARITY_H_
