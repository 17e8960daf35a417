#include "models/knn/neighbors.h"

#include <algorithm>
#include <cmath>

namespace tailor {

std::vector<SparseEntry> HistoryVector(std::span<const Interaction> history, int32_t num_items,
                                       bool binary) {
  std::vector<SparseEntry> entries;
  entries.reserve(history.size());
  for (const Interaction& interaction : history) {
    if (interaction.item < 0 || interaction.item >= num_items) continue;
    entries.push_back({interaction.item, interaction.weight});
  }
  // Stable, so the summation order of repeated items is the history's order.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const SparseEntry& a, const SparseEntry& b) { return a.index < b.index; });
  size_t out = 0;
  for (size_t pos = 0; pos < entries.size();) {
    int32_t item_idx = entries[pos].index;
    float sum = 0.0f;
    for (; pos < entries.size() && entries[pos].index == item_idx; ++pos) sum += entries[pos].value;
    entries[out++] = {item_idx, binary ? 1.0f : sum};
  }
  entries.resize(out);
  return entries;
}

std::vector<float> RowNorms(const CsrMatrix& matrix) {
  std::vector<float> norms(static_cast<size_t>(matrix.rows), 0.0f);
  for (int32_t row = 0; row < matrix.rows; ++row) {
    double sum = 0.0;
    for (float value : matrix.row_values(row)) sum += static_cast<double>(value) * value;
    norms[row] = static_cast<float>(std::sqrt(sum));
  }
  return norms;
}

void KeepBestNeighbors(std::vector<Neighbor>& candidates, int n) {
  std::erase_if(candidates, [](const Neighbor& neighbor) { return !(neighbor.sim > 0.0f); });
  auto better = [](const Neighbor& a, const Neighbor& b) {
    return a.sim != b.sim ? a.sim > b.sim : a.index < b.index;
  };
  if (n < 0) n = 0;
  if (candidates.size() > static_cast<size_t>(n)) {
    std::nth_element(candidates.begin(), candidates.begin() + n, candidates.end(), better);
    candidates.resize(static_cast<size_t>(n));
  }
  std::sort(candidates.begin(), candidates.end(), better);
}

}  // namespace tailor
