// Shared pieces of the neighbourhood models: shrunk cosine similarity, row norms, and
// best-N selection with the house tie rule (higher similarity first, then lower index).
//
//   sim(a, b) = <a, b> / (|a| |b| + shrink)
// Shrinkage (Koren 2008, "Factorization meets the neighborhood") pulls the similarity of
// pairs supported by few co-occurrences towards 0. Invariant: 0 <= sim < 1 for non-negative
// vectors and shrink >= 0.
// Thread-safety: pure functions.
#ifndef TAILOR_MODELS_KNN_NEIGHBORS_H_
#define TAILOR_MODELS_KNN_NEIGHBORS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "dataset/csr_matrix.h"
#include "dataset/histories.h"

namespace tailor {

struct Neighbor {
  int32_t index = 0;  // item or user index, by context
  float sim = 0.0f;
};

// One stored value of a sparse vector.
struct SparseEntry {
  int32_t index = 0;
  float value = 0.0f;
};

// A history as a sparse item vector, by item ascending: each distinct item < num_items once,
// value 1 (binary) or the sum of its interaction weights. Items outside [0, num_items) are
// dropped (added after training).
std::vector<SparseEntry> HistoryVector(std::span<const Interaction> history, int32_t num_items,
                                       bool binary);

// Euclidean norm of every row of `matrix`.
std::vector<float> RowNorms(const CsrMatrix& matrix);

// The shrunk cosine from a dot product and the two norms (0 when the denominator is 0).
inline float ShrunkCosine(double dot, double norm_a, double norm_b, double shrink) {
  double denominator = norm_a * norm_b + shrink;
  return denominator > 0 ? static_cast<float>(dot / denominator) : 0.0f;
}

// Keeps the best `n` of `candidates` (by sim descending, then index ascending), sorted that
// way. Candidates with sim <= 0 are dropped.
void KeepBestNeighbors(std::vector<Neighbor>& candidates, int n);

}  // namespace tailor

#endif  // TAILOR_MODELS_KNN_NEIGHBORS_H_
