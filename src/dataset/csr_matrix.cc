#include "dataset/csr_matrix.h"

#include <algorithm>

namespace tailor {

CsrMatrix CsrMatrix::Transpose() const {
  CsrMatrix t;
  t.rows = cols;
  t.cols = rows;
  t.indptr.assign(static_cast<size_t>(cols) + 1, 0);
  for (int32_t col : indices) ++t.indptr[col + 1];
  for (int32_t col = 0; col < cols; ++col) t.indptr[col + 1] += t.indptr[col];
  t.indices.resize(indices.size());
  t.values.resize(values.size());
  std::vector<int64_t> next(t.indptr.begin(), t.indptr.end() - 1);
  // Rows are visited in order, so each transposed row comes out sorted.
  for (int32_t row = 0; row < rows; ++row) {
    for (int64_t pos = indptr[row]; pos < indptr[row + 1]; ++pos) {
      int64_t dst = next[indices[pos]]++;
      t.indices[dst] = row;
      t.values[dst] = values[pos];
    }
  }
  return t;
}

CsrMatrix BuildInteractionMatrix(const UserHistories& histories, const MatrixOptions& options) {
  CsrMatrix m;
  m.rows = histories.num_users;
  m.cols = histories.num_items;
  m.indptr.assign(1, 0);
  m.indptr.reserve(static_cast<size_t>(m.rows) + 1);
  m.indices.reserve(histories.interactions.size());
  m.values.reserve(histories.interactions.size());
  std::vector<std::pair<int32_t, float>> row;
  for (int32_t user_idx = 0; user_idx < histories.num_users; ++user_idx) {
    row.clear();
    for (const Interaction& x : histories.user(user_idx)) row.emplace_back(x.item, x.weight);
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t pos = 0; pos < row.size();) {
      int32_t item_idx = row[pos].first;
      float sum = 0.0f;
      for (; pos < row.size() && row[pos].first == item_idx; ++pos) sum += row[pos].second;
      m.indices.push_back(item_idx);
      m.values.push_back(options.binary ? 1.0f : sum);
    }
    m.indptr.push_back(static_cast<int64_t>(m.indices.size()));
  }
  return m;
}

}  // namespace tailor
