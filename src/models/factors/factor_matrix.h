// FactorMatrix: the dense row-major float32 embedding table of the factor models (mf, ials,
// bpr): one row of `cols` factors per user or item. Plus the scoring pieces they share, so
// each model only learns its factors: dot-product scoring, cosine similar items and the
// "similar to X in your history" explanation from factors.
// Not thread-safe to mutate; const access is safe from many threads.
#ifndef TAILOR_MODELS_FACTORS_FACTOR_MATRIX_H_
#define TAILOR_MODELS_FACTORS_FACTOR_MATRIX_H_

#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "common/binary_io.h"
#include "dataset/histories.h"
#include "tailor/status.h"

namespace tailor {

class ItemPopularity;

// std::allocator with 64-byte alignment (one cache line, one AVX-512 register).
template <typename T>
struct AlignedAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, size_t) { ::operator delete(p, kAlign); }
  template <typename U>
  bool operator==(const AlignedAllocator<U>&) const { return true; }
};

class FactorMatrix {
 public:
  FactorMatrix() = default;
  // rows x cols zeros. Rows are padded to a multiple of 16 floats (one 64-byte line) so
  // every row starts aligned for SIMD; stride() is the padded width.
  FactorMatrix(int32_t rows, int32_t cols);

  int32_t rows() const { return rows_; }
  int32_t cols() const { return cols_; }
  int32_t stride() const { return stride_; }
  float* row(int32_t r) { return data_.data() + static_cast<size_t>(r) * stride_; }
  const float* row(int32_t r) const { return data_.data() + static_cast<size_t>(r) * stride_; }

  // Every entry ~ N(0, stddev^2), deterministic in `seed` (independent of threads).
  void FillNormal(float stddev, uint64_t seed);
  void Fill(float value);

  // 1 / ||row|| for every row (0 for an all-zero row): for cosine similarities.
  std::vector<float> InverseNorms() const;

  void Save(BinaryWriter& out) const;
  // Errors: kDataLoss on truncated or inconsistent data.
  Status Load(BinaryReader& in);

 private:
  int32_t rows_ = 0;
  int32_t cols_ = 0;
  int32_t stride_ = 0;
  std::vector<float, AlignedAllocator<float>> data_;
};

// a . b over n floats.
float Dot(const float* a, const float* b, int32_t n);

// scores[i] = items.row(i) . user (+ item_bias[i] when item_bias is not empty) for every
// i < items.rows(); every other index of `scores` gets the lowest score written (an item the
// model never saw ranks last).
void ScoreByDot(const FactorMatrix& items, const float* user, std::span<const float> item_bias,
                std::span<float> scores);

// Cosine of item `item_idx`'s factors with every item's (0 for unknown items; all 0 when
// item_idx itself is unknown). inverse_norms = items.InverseNorms().
void SimilarByCosine(const FactorMatrix& items, std::span<const float> inverse_norms,
                     int32_t item_idx, std::span<float> scores);

// The history item (known to the model) whose factors are most cosine-similar to
// `item_idx`'s, the most recent on ties; -1 when none is known or none has a positive cosine.
int32_t MostSimilarHistoryItem(const FactorMatrix& items, std::span<const float> inverse_norms,
                               std::span<const Interaction> history, int32_t item_idx);

// SimilarItems of the embedding models (mf, ials, bpr, sasrec, gru4rec): SimilarByCosine, or
// the popularity ranking for an item without a usable row (unknown or all-zero).
void SimilarByCosineOrPopularity(const FactorMatrix& items, std::span<const float> inverse_norms,
                                 const ItemPopularity& popularity, int32_t item_idx,
                                 std::span<float> scores);

// Explain of the embedding models: SimilarInHistoryReason for MostSimilarHistoryItem, else
// the popularity reason.
std::string ExplainBySimilarHistoryItem(const FactorMatrix& items,
                                        std::span<const float> inverse_norms,
                                        const ItemPopularity& popularity,
                                        std::span<const Interaction> history, int32_t item_idx);

}  // namespace tailor

#endif  // TAILOR_MODELS_FACTORS_FACTOR_MATRIX_H_
