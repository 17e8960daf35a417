#include "models/neural/dense_kernels.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <unsupported/Eigen/SpecialFunctions>

namespace tailor {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

constexpr float kInvSqrt2 = 0.70710678118654752f;

}  // namespace

Carver::Carver(std::vector<float>& buffer, std::initializer_list<int64_t> sizes) {
  size_t total = 0;
  for (int64_t size : sizes) {
    padded_[count_] = static_cast<size_t>(PadToSimd(size));
    total += padded_[count_++];
  }
  // One spare line so the first block can start on a 64-byte boundary: with every block and
  // row stride a multiple of 16 floats, Eigen then needs no scalar peeling loops.
  total += kSimdFloats;
  if (buffer.size() < total) buffer.resize(total);
  const uintptr_t address = reinterpret_cast<uintptr_t>(buffer.data());
  const uintptr_t line = kSimdFloats * sizeof(float);
  next_ = buffer.data() + ((line - address % line) % line) / sizeof(float);
}

void LayerNorm(const float* x, const float* weight, const float* bias, int32_t dim, float eps,
               float* y) {
  const ConstArrayMap in(x, dim);
  const float mean = in.mean();
  // Two passes (mean, then squared deviations) as torch does: no cancellation for large means.
  const float variance = (in - mean).square().mean();
  const float inv_std = 1.0f / std::sqrt(variance + eps);
  ArrayMap(y, dim) = (in - mean) * inv_std * ConstArrayMap(weight, dim) + ConstArrayMap(bias, dim);
}

void LayerNormRows(const float* x, const float* weight, const float* bias, int32_t rows,
                   int32_t dim, float eps, float* y) {
  for (int32_t row = 0; row < rows; ++row) {
    const size_t offset = static_cast<size_t>(row) * dim;
    LayerNorm(x + offset, weight, bias, dim, eps, y + offset);
  }
}

// Eigen's float erf is a vectorised rational approximation accurate to a few ulp, far below
// the training noise; tanh-GELU would be a different model.
void GeluInPlace(float* x, int64_t n) {
  ArrayMap values(x, n);
  values = 0.5f * values * (1.0f + (values * kInvSqrt2).erf());
}

// Working on the padded row keeps every operation on whole SIMD vectors: the entries past n
// are exponentiated too (whatever they hold) and then overwritten, so they never reach the
// result.
void MaskedSoftmax(float* x, int32_t n, int64_t padded) {
  ArrayMap row(x, padded);
  const float max = row.head(n).maxCoeff();
  row = (row - max).exp();
  std::fill(x + n, x + padded, 0.0f);
  row *= 1.0f / row.sum();
}

}  // namespace tailor
