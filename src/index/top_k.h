// Exact top-k selection over a dense score vector: the oracle that every approximate index is
// measured against. Ties are broken by the lower item index, so results are deterministic and
// agree with the rank computed by eval/ (rank = #higher + #equal-with-lower-index).
#ifndef TAILOR_INDEX_TOP_K_H_
#define TAILOR_INDEX_TOP_K_H_

#include <cstdint>
#include <span>
#include <vector>

namespace tailor {

struct ScoredItem {
  int32_t item = 0;
  float score = 0.0f;
};

// The k best items by score, best first, skipping items with allowed[item] == 0 (when
// `allowed` is non-empty it must be as long as `scores`). Returns fewer than k when fewer are
// allowed. NaN scores are treated as the lowest.
std::vector<ScoredItem> TopK(std::span<const float> scores, int k,
                             std::span<const uint8_t> allowed = {});

}  // namespace tailor

#endif  // TAILOR_INDEX_TOP_K_H_
