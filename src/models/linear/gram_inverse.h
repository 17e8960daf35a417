// GramInverse: P = (X^T X + lambda I)^-1 for EASE (ease.h), exact, in float32.
//
// The dense inverse costs n^3 flops. Before factorising, a greedy independent set A of the
// item co-occurrence graph (fewest co-occurring items first; no two items of A share a user)
// is eliminated in closed form. With the items ordered [D, A], G_AA is diagonal, so with
// E = G_AA^-1 G_AD:
//   S    = G_DD - G_DA E          (the Schur complement, m x m, m = |D|)
//   P_DD = S^-1                   (OpenBLAS LAPACK: spotrf + spotri)
//   P_AD = -E P_DD                (|A| x m: one axpy of a P_DD row per co-occurrence)
//   P_AA = G_AA^-1 - E P_DA       (|A| x |A|)
// Only S goes through LAPACK: (m/n)^3 of the flops, about 0.66 on Amazon Beauty (1578 of
// 12101 items eliminated). Memory: m^2 + |A| n floats.
// Immutable after Compute; Row/Diagonal are safe from many threads.
#ifndef TAILOR_MODELS_LINEAR_GRAM_INVERSE_H_
#define TAILOR_MODELS_LINEAR_GRAM_INVERSE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "common/thread_pool.h"
#include "dataset/histories.h"
#include "models/knn/neighbors.h"
#include "models/linear/dense_matrix.h"
#include "tailor/status.h"

namespace tailor {

// G = X^T X by rows: off-diagonal entries (item index ascending) and the diagonal.
struct SparseGram {
  int32_t num_items = 0;
  std::vector<int64_t> offsets = {0};  // size num_items + 1
  std::vector<SparseEntry> entries;
  std::vector<float> diagonal;

  std::span<const SparseEntry> row(int32_t item_idx) const {
    return {entries.data() + offsets[item_idx],
            static_cast<size_t>(offsets[item_idx + 1] - offsets[item_idx])};
  }
};

// X is the user x item matrix of `train`: 1 per interacted pair (binary) or summed weights.
// Rows are accumulated in parallel, each from its item's users: O(sum over users of
// |history|^2). Deterministic regardless of the pool size.
SparseGram BuildSparseGram(const UserHistories& train, bool binary, ThreadPool& pool);

class GramInverse {
 public:
  struct Stats {
    int32_t eliminated = 0;      // |A|
    int32_t factorised = 0;      // m
    double schur_seconds = 0.0;  // allocating and forming S
    double potrf_seconds = 0.0;
    double potri_seconds = 0.0;
    double complete_seconds = 0.0;  // mirroring S^-1, P_AD and P_AA
  };

  // Errors: kInvalidArgument when G + lambda I is not positive definite (names lambda);
  // kResourceExhausted when the dense blocks cannot be allocated. Uses `pool` for the sparse
  // work and `blas_threads` OpenBLAS threads for the factorisation (restoring OpenBLAS's
  // global setting afterwards).
  static StatusOr<GramInverse> Compute(const SparseGram& gram, double lambda, ThreadPool& pool,
                                       int blas_threads);

  int32_t size() const { return static_cast<int32_t>(perm_.size()); }
  // The items in the order rows are cheapest to read one after another.
  std::span<const int32_t> order() const { return perm_; }
  // P[item_idx][item_idx].
  float Diagonal(int32_t item_idx) const;
  // Row item_idx of P into out[0, size()), by item.
  void Row(int32_t item_idx, float* out) const;
  const Stats& stats() const { return stats_; }

 private:
  std::vector<int32_t> perm_;  // position -> item; D = [0, m), A = [m, n)
  std::vector<int32_t> pos_;   // item -> position
  int32_t m_ = 0;
  DenseMatrix p_dd_;  // m x m
  DenseMatrix p_ad_;  // |A| x m
  DenseMatrix p_aa_;  // |A| x |A|
  Stats stats_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_LINEAR_GRAM_INVERSE_H_
