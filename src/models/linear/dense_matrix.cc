#include "models/linear/dense_matrix.h"

#include <sys/mman.h>

#include <cstdio>
#include <string>
#include <utility>

namespace tailor {
namespace {

constexpr int32_t kRowAlign = 16;  // floats per 64-byte line

}  // namespace

DenseMatrix::~DenseMatrix() { Release(); }

DenseMatrix::DenseMatrix(DenseMatrix&& other) noexcept { *this = std::move(other); }

DenseMatrix& DenseMatrix::operator=(DenseMatrix&& other) noexcept {
  if (this != &other) {
    Release();
    rows_ = std::exchange(other.rows_, 0);
    cols_ = std::exchange(other.cols_, 0);
    stride_ = std::exchange(other.stride_, 0);
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

void DenseMatrix::Release() {
  if (data_ != nullptr) munmap(data_, bytes_);
  rows_ = cols_ = stride_ = 0;
  data_ = nullptr;
  bytes_ = 0;
}

StatusOr<DenseMatrix> DenseMatrix::Zeros(int32_t rows, int32_t cols) {
  DenseMatrix matrix;
  if (rows <= 0 || cols <= 0) return matrix;
  const int32_t stride = (cols + kRowAlign - 1) / kRowAlign * kRowAlign;
  const size_t bytes = static_cast<size_t>(rows) * static_cast<size_t>(stride) * sizeof(float);
  // Anonymous pages are zero; MAP_POPULATE faults them all in at once.
  void* data = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (data == MAP_FAILED) {
    char gib[32];
    std::snprintf(gib, sizeof(gib), "%.1f", static_cast<double>(bytes) / (1 << 30));
    return ResourceExhaustedError("cannot allocate a " + std::to_string(rows) + " x " +
                                  std::to_string(cols) + " float matrix (" + gib + " GiB)");
  }
  matrix.rows_ = rows;
  matrix.cols_ = cols;
  matrix.stride_ = stride;
  matrix.data_ = static_cast<float*>(data);
  matrix.bytes_ = bytes;
  return matrix;
}

void DenseMatrix::Save(BinaryWriter& out) const {
  out.Put<int32_t>(rows_);
  out.Put<int32_t>(cols_);
  for (int32_t r = 0; r < rows_; ++r) out.PutBytes(row(r), sizeof(float) * cols_);
}

Status DenseMatrix::Load(BinaryReader& in) {
  int32_t rows = 0;
  int32_t cols = 0;
  RETURN_IF_ERROR(in.Get(&rows));
  RETURN_IF_ERROR(in.Get(&cols));
  if (rows < 0 || cols < 0 ||
      static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols) * sizeof(float) >
          in.size() - in.position()) {
    return DataLossError(in.source() + ": dense matrix " + std::to_string(rows) + " x " +
                         std::to_string(cols) + " is larger than the rest of the file");
  }
  ASSIGN_OR_RETURN(DenseMatrix loaded, Zeros(rows, cols));
  for (int32_t r = 0; r < rows; ++r) {
    RETURN_IF_ERROR(in.GetBytes(loaded.row(r), sizeof(float) * cols));
  }
  *this = std::move(loaded);
  return OkStatus();
}

}  // namespace tailor
