// UserHistories: every user's interactions in chronological order, the one shape all models
// train on. Built from a store snapshot (dataset.h) or by hand in tests.
// Immutable after construction; safe to read from many threads.
#ifndef TAILOR_DATASET_HISTORIES_H_
#define TAILOR_DATASET_HISTORIES_H_

#include <cstdint>
#include <span>
#include <vector>

namespace tailor {

// One event of a user's history, by dense indexes.
struct Interaction {
  int32_t item = 0;
  int16_t type = 0;         // index into the store's event type table
  float weight = 1.0f;      // the type's weight (> 0; negative types never appear here)
  float value = 0.0f;       // rating stars, quantity or dwell seconds; 0 when none
  int64_t timestamp = 0;    // unix seconds
};

// Per-user chronological interactions, stored flat (CSR-like): user u owns
// interactions[offsets[u] .. offsets[u+1]).
struct UserHistories {
  int32_t num_users = 0;
  int32_t num_items = 0;
  std::vector<int64_t> offsets = {0};  // size num_users + 1
  std::vector<Interaction> interactions;

  std::span<const Interaction> user(int32_t user_idx) const {
    return {interactions.data() + offsets[user_idx],
            static_cast<size_t>(offsets[user_idx + 1] - offsets[user_idx])};
  }
  int64_t size() const { return static_cast<int64_t>(interactions.size()); }

  // Builds from per-user lists (each already chronological). Items must be < num_items.
  static UserHistories FromLists(int32_t num_items,
                                 const std::vector<std::vector<Interaction>>& lists);
  // Keeps, for each user, the first keep(u) interactions (a prefix).
  template <typename KeepFn>
  UserHistories Prefixes(KeepFn keep) const {
    UserHistories out;
    out.num_users = num_users;
    out.num_items = num_items;
    out.offsets.assign(1, 0);
    for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
      auto h = user(user_idx);
      int64_t n = keep(user_idx);
      if (n > static_cast<int64_t>(h.size())) n = static_cast<int64_t>(h.size());
      if (n < 0) n = 0;
      out.interactions.insert(out.interactions.end(), h.begin(), h.begin() + n);
      out.offsets.push_back(static_cast<int64_t>(out.interactions.size()));
    }
    return out;
  }
};

}  // namespace tailor

#endif  // TAILOR_DATASET_HISTORIES_H_
