// Dense kernels of the plain C++ transformer forwards (SequenceEncoder's SASRec, the text
// stage's BERT encoder): LayerNorm, exact GELU, a masked softmax row, and a carver that hands
// out 64-byte aligned scratch blocks. Activations are row-major [position][feature].
// Pure functions on caller-owned memory; thread-safe.
#ifndef TAILOR_MODELS_NEURAL_DENSE_KERNELS_H_
#define TAILOR_MODELS_NEURAL_DENSE_KERNELS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace tailor {

inline constexpr int64_t kSimdFloats = 16;  // one 64-byte line; row strides are padded to it

// n rounded up to a whole number of 64-byte lines of floats.
inline int64_t PadToSimd(int64_t n) { return (n + kSimdFloats - 1) / kSimdFloats * kSimdFloats; }

// Hands out float blocks of one buffer, each 64-byte aligned and a whole number of lines long.
class Carver {
 public:
  static constexpr size_t kMaxBlocks = 12;
  // sizes: the float count of every block (at most kMaxBlocks), in the order Next() returns
  // them. Grows `buffer` when needed, so take every block before using any.
  Carver(std::vector<float>& buffer, std::initializer_list<int64_t> sizes);
  float* Next() {
    float* block = next_;
    next_ += padded_[index_++];
    return block;
  }

 private:
  std::array<size_t, kMaxBlocks> padded_{};
  size_t count_ = 0;
  size_t index_ = 0;
  float* next_ = nullptr;
};

// y = (x - mean) / sqrt(var + eps) * weight + bias over `dim` floats (biased variance, two
// passes, as torch.nn.LayerNorm); y may be x. weight and bias hold dim floats.
void LayerNorm(const float* x, const float* weight, const float* bias, int32_t dim, float eps,
               float* y);
// LayerNorm of each of `rows` contiguous rows of `dim` floats; y may be x.
void LayerNormRows(const float* x, const float* weight, const float* bias, int32_t rows,
                   int32_t dim, float eps, float* y);

// Exact (erf) GELU of n floats in place: 0.5 x (1 + erf(x / sqrt 2)).
void GeluInPlace(float* x, int64_t n);

// Softmax of x[0..n) in place (shifted by the maximum); x[n..padded) is zeroed. padded must be
// PadToSimd(n) or more, and x must hold `padded` floats (their values do not matter).
void MaskedSoftmax(float* x, int32_t n, int64_t padded);

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_DENSE_KERNELS_H_
