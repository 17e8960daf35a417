#include "models/popularity/item_popularity.h"

#include <algorithm>

namespace tailor {

ItemPopularity ItemPopularity::Count(const UserHistories& train) {
  ItemPopularity out;
  std::vector<double> sums(static_cast<size_t>(train.num_items), 0.0);
  out.shoppers_.assign(static_cast<size_t>(train.num_items), 0);
  // last_user[item] marks the last user counted for the item, so repeats count once.
  std::vector<int32_t> last_user(static_cast<size_t>(train.num_items), -1);
  for (int32_t user_idx = 0; user_idx < train.num_users; ++user_idx) {
    for (const Interaction& interaction : train.user(user_idx)) {
      if (interaction.item < 0 || interaction.item >= train.num_items) continue;
      sums[interaction.item] += interaction.weight;
      if (last_user[interaction.item] != user_idx) {
        last_user[interaction.item] = user_idx;
        ++out.shoppers_[interaction.item];
      }
    }
  }
  out.weight_sums_.assign(sums.begin(), sums.end());
  return out;
}

void ItemPopularity::Score(bool weighted, std::span<float> scores) const {
  size_t known = std::min(scores.size(), shoppers_.size());
  for (size_t item_idx = 0; item_idx < known; ++item_idx) {
    scores[item_idx] = weighted ? weight_sums_[item_idx] : static_cast<float>(shoppers_[item_idx]);
  }
  std::fill(scores.begin() + static_cast<std::ptrdiff_t>(known), scores.end(), 0.0f);
}

std::string ItemPopularity::Explain(int32_t item_idx) const {
  if (item_idx < 0 || item_idx >= num_items()) return "new in the shop";
  int32_t count = shoppers_[item_idx];
  if (count == 0) return "from the shop's catalog";
  return "popular in the shop (" + std::to_string(count) +
         (count == 1 ? " shopper)" : " shoppers)");
}

void ItemPopularity::Save(BinaryWriter& out) const {
  out.PutVector(weight_sums_);
  out.PutVector(shoppers_);
}

Status ItemPopularity::Load(BinaryReader& in) {
  RETURN_IF_ERROR(in.GetVector(&weight_sums_));
  RETURN_IF_ERROR(in.GetVector(&shoppers_));
  if (weight_sums_.size() != shoppers_.size()) {
    return DataLossError(in.source() + ": item popularity has " +
                         std::to_string(weight_sums_.size()) + " weights but " +
                         std::to_string(shoppers_.size()) + " shopper counts");
  }
  return OkStatus();
}

}  // namespace tailor
