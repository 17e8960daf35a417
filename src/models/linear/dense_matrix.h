// DenseMatrix: a large row-major float32 matrix (hundreds of MB: EASE's item x item
// matrices) whose memory is mapped and pre-faulted in one call (mmap MAP_POPULATE) instead of
// page by page on first touch. On the VMs tailor runs on a page fault costs tens of
// microseconds: zero-filling 585 MB through std::vector took 4.6 s here, the pre-faulted
// mapping 1.2 s. Rows are padded to 16 floats (64 bytes) so every row starts aligned.
// Not thread-safe to mutate; const access is safe from many threads; distinct rows may be
// written from distinct threads.
#ifndef TAILOR_MODELS_LINEAR_DENSE_MATRIX_H_
#define TAILOR_MODELS_LINEAR_DENSE_MATRIX_H_

#include <cstddef>
#include <cstdint>

#include "common/binary_io.h"
#include "tailor/status.h"

namespace tailor {

class DenseMatrix {
 public:
  DenseMatrix() = default;
  ~DenseMatrix();
  DenseMatrix(DenseMatrix&& other) noexcept;
  DenseMatrix& operator=(DenseMatrix&& other) noexcept;
  DenseMatrix(const DenseMatrix&) = delete;
  DenseMatrix& operator=(const DenseMatrix&) = delete;

  // rows x cols zeros. Errors: kResourceExhausted when the memory cannot be mapped.
  static StatusOr<DenseMatrix> Zeros(int32_t rows, int32_t cols);

  int32_t rows() const { return rows_; }
  int32_t cols() const { return cols_; }
  int32_t stride() const { return stride_; }  // floats between row starts (>= cols)
  float* row(int32_t r) { return data_ + static_cast<size_t>(r) * stride_; }
  const float* row(int32_t r) const { return data_ + static_cast<size_t>(r) * stride_; }

  void Save(BinaryWriter& out) const;
  // Errors: kDataLoss on truncated data or a bad shape; kResourceExhausted as Zeros.
  Status Load(BinaryReader& in);

 private:
  void Release();

  int32_t rows_ = 0;
  int32_t cols_ = 0;
  int32_t stride_ = 0;
  float* data_ = nullptr;
  size_t bytes_ = 0;  // mapped length
};

}  // namespace tailor

#endif  // TAILOR_MODELS_LINEAR_DENSE_MATRIX_H_
