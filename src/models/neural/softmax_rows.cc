// The loops are written branch-free so GCC vectorises them. For this file only: -O3 (GCC's
// -O2 cost model leaves the exp loop scalar) and reassociation of the float sum and max
// (the reductions stay scalar without it; no NaN or infinity reaches these loops).
#pragma GCC optimize("O3,associative-math,no-signed-zeros,no-trapping-math,finite-math-only")
#include "models/neural/softmax_rows.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tailor {
namespace {

// e^x for x <= 0 (a softmax's x - max), Cephes expf: x = n ln2 + r with |r| <= ln2 / 2, a
// degree-6 polynomial for e^r, 2^n assembled in the exponent bits. Below -87 it returns
// ~e^-87 (1.6e-38) instead of a denormal, which is 0 for every sum it enters.
inline float ExpNonPositive(float x) {
  x = std::max(x, -87.0f);
  const float n = std::floor(x * 1.44269504088896341f + 0.5f);
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  return p * std::bit_cast<float>(bits);
}

}  // namespace

double SoftmaxCrossEntropyRow(std::span<float> logits, int32_t target) {
  float* row = logits.data();
  const size_t size = logits.size();
  float max = row[0];
  for (size_t col = 0; col < size; ++col) max = std::max(max, row[col]);
  const float target_logit = row[target];
  float sum = 0.0f;
  for (size_t col = 0; col < size; ++col) {
    const float e = ExpNonPositive(row[col] - max);
    row[col] = e;
    sum += e;
  }
  const float inverse = 1.0f / sum;
  for (size_t col = 0; col < size; ++col) row[col] *= inverse;
  row[target] -= 1.0f;
  return std::log(static_cast<double>(sum)) + static_cast<double>(max) - target_logit;
}

}  // namespace tailor
