#include "index/top_k.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace tailor {
namespace {

// The house order: higher score first, NaN below every number, ties by lower index.
bool Better(const ScoredItem& a, const ScoredItem& b) {
  const bool a_nan = std::isnan(a.score);
  const bool b_nan = std::isnan(b.score);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a.score != b.score) return a.score > b.score;
  return a.item < b.item;
}

}  // namespace

std::vector<ScoredItem> TopK(std::span<const float> scores, int k,
                             std::span<const uint8_t> allowed) {
  assert(allowed.empty() || allowed.size() == scores.size());
  std::vector<ScoredItem> best;
  if (k <= 0 || scores.empty()) return best;
  const auto n = static_cast<int32_t>(scores.size());
  const bool filtered = !allowed.empty();
  best.reserve(static_cast<size_t>(std::min<int64_t>(k, n)));
  // A heap of the k best so far whose front is the worst of them: with Better as the "less"
  // of std heap functions, the front is the element every other one beats. Most items fail
  // the comparison with the front, so the cost is close to O(n) plus O(k log k).
  int32_t item_idx = 0;
  for (; item_idx < n && static_cast<int>(best.size()) < k; ++item_idx) {
    if (filtered && allowed[item_idx] == 0) continue;
    best.push_back({item_idx, scores[item_idx]});
    std::push_heap(best.begin(), best.end(), Better);
  }
  for (; item_idx < n; ++item_idx) {
    if (filtered && allowed[item_idx] == 0) continue;
    ScoredItem candidate{item_idx, scores[item_idx]};
    if (!Better(candidate, best.front())) continue;
    std::pop_heap(best.begin(), best.end(), Better);
    best.back() = candidate;
    std::push_heap(best.begin(), best.end(), Better);
  }
  std::sort_heap(best.begin(), best.end(), Better);
  return best;
}

}  // namespace tailor
