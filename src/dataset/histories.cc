#include "dataset/histories.h"

namespace tailor {

UserHistories UserHistories::FromLists(int32_t num_items,
                                       const std::vector<std::vector<Interaction>>& lists) {
  UserHistories out;
  out.num_users = static_cast<int32_t>(lists.size());
  out.num_items = num_items;
  out.offsets.assign(1, 0);
  size_t total = 0;
  for (const auto& list : lists) total += list.size();
  out.interactions.reserve(total);
  for (const auto& list : lists) {
    out.interactions.insert(out.interactions.end(), list.begin(), list.end());
    out.offsets.push_back(static_cast<int64_t>(out.interactions.size()));
  }
  return out;
}

}  // namespace tailor
