// CsrMatrix: a sparse matrix in compressed sparse row form, float values, int32 columns.
// The weighted implicit user x item matrix is built from histories (weights of repeated
// interactions with one item are summed). Immutable after construction.
#ifndef TAILOR_DATASET_CSR_MATRIX_H_
#define TAILOR_DATASET_CSR_MATRIX_H_

#include <cstdint>
#include <span>
#include <vector>

#include "dataset/histories.h"

namespace tailor {

struct CsrMatrix {
  int32_t rows = 0;
  int32_t cols = 0;
  std::vector<int64_t> indptr = {0};  // size rows + 1
  std::vector<int32_t> indices;       // column of each stored value, ascending within a row
  std::vector<float> values;

  std::span<const int32_t> row_indices(int32_t row) const {
    return {indices.data() + indptr[row], static_cast<size_t>(indptr[row + 1] - indptr[row])};
  }
  std::span<const float> row_values(int32_t row) const {
    return {values.data() + indptr[row], static_cast<size_t>(indptr[row + 1] - indptr[row])};
  }
  int64_t nnz() const { return static_cast<int64_t>(indices.size()); }

  CsrMatrix Transpose() const;
};

struct MatrixOptions {
  bool binary = false;  // every stored value 1 instead of the summed event weights
};

// users x items; value = sum of the weights of the user's interactions with the item.
CsrMatrix BuildInteractionMatrix(const UserHistories& histories, const MatrixOptions& options = {});

}  // namespace tailor

#endif  // TAILOR_DATASET_CSR_MATRIX_H_
