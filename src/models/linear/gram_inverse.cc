#include "models/linear/gram_inverse.h"

#include <cblas.h>
#include <f77blas.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <string>

#include "dataset/csr_matrix.h"
#include "models/blas_kernels.h"

namespace tailor {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// y += a x over n floats (Eigen: explicitly vectorised whatever the compiler's -O level).
void Axpy(float a, const float* x, float* y, int32_t n) {
  Eigen::Map<Eigen::VectorXf>(y, n) += a * Eigen::Map<const Eigen::VectorXf>(x, n);
}

Status NotPositiveDefinite(double lambda, const std::string& where) {
  return InvalidArgumentError("ease: X^T X + lambda I is not positive definite (" + where +
                              ", lambda " + std::to_string(lambda) + "); raise lambda");
}

// Greedy independent set of the co-occurrence graph, fewest co-occurring items first (ties by
// index). Returns in_set[item].
std::vector<char> IndependentItems(const SparseGram& gram) {
  const int32_t n = gram.num_items;
  std::vector<int32_t> order(static_cast<size_t>(n));
  for (int32_t item_idx = 0; item_idx < n; ++item_idx) order[item_idx] = item_idx;
  auto degree = [&](int32_t item_idx) {
    return gram.offsets[item_idx + 1] - gram.offsets[item_idx];
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return degree(a) < degree(b); });
  std::vector<char> in_set(static_cast<size_t>(n), 0);
  std::vector<char> blocked(static_cast<size_t>(n), 0);
  for (int32_t item_idx : order) {
    if (blocked[item_idx]) continue;
    in_set[item_idx] = 1;
    for (const SparseEntry& entry : gram.row(item_idx)) blocked[entry.index] = 1;
  }
  return in_set;
}

// matrix[r][c] = matrix[c][r] for c < r, in tiles so both sides stay in cache.
void MirrorUpperTriangle(DenseMatrix& matrix, ThreadPool& pool) {
  constexpr int32_t kTile = 64;
  const int32_t n = matrix.rows();
  pool.ParallelFor((n + kTile - 1) / kTile, [&](int64_t tile, int) {
    const int32_t r0 = static_cast<int32_t>(tile) * kTile;
    const int32_t r1 = std::min(n, r0 + kTile);
    for (int32_t c0 = 0; c0 < r1; c0 += kTile) {
      for (int32_t r = r0; r < r1; ++r) {
        float* dst = matrix.row(r);
        const int32_t c1 = std::min(c0 + kTile, r);
        for (int32_t c = c0; c < c1; ++c) dst[c] = matrix.row(c)[r];
      }
    }
  });
}

}  // namespace

SparseGram BuildSparseGram(const UserHistories& train, bool binary, ThreadPool& pool) {
  const CsrMatrix by_user = BuildInteractionMatrix(train, {.binary = binary});
  const CsrMatrix by_item = by_user.Transpose();
  const int32_t n = train.num_items;
  struct Scratch {
    std::vector<float> sums;  // [item] 0 when untouched
    std::vector<int32_t> touched;
  };
  std::vector<Scratch> scratch(static_cast<size_t>(pool.size()));
  for (Scratch& state : scratch) state.sums.assign(static_cast<size_t>(n), 0.0f);
  std::vector<std::vector<SparseEntry>> rows(static_cast<size_t>(n));
  SparseGram gram;
  gram.num_items = n;
  gram.diagonal.assign(static_cast<size_t>(n), 0.0f);
  pool.ParallelFor(
      n,
      [&](int64_t item_index, int worker) {
        const auto item_idx = static_cast<int32_t>(item_index);
        Scratch& state = scratch[static_cast<size_t>(worker)];
        auto users = by_item.row_indices(item_idx);
        auto user_values = by_item.row_values(item_idx);
        for (size_t at = 0; at < users.size(); ++at) {
          auto items = by_user.row_indices(users[at]);
          auto item_values = by_user.row_values(users[at]);
          for (size_t other = 0; other < items.size(); ++other) {
            float& sum = state.sums[items[other]];
            if (sum == 0.0f) state.touched.push_back(items[other]);
            sum += user_values[at] * item_values[other];
          }
        }
        std::sort(state.touched.begin(), state.touched.end());
        std::vector<SparseEntry>& row = rows[item_idx];
        row.reserve(state.touched.size());
        for (int32_t other_idx : state.touched) {
          if (other_idx == item_idx) {
            gram.diagonal[item_idx] = state.sums[other_idx];
          } else {
            row.push_back({other_idx, state.sums[other_idx]});
          }
          state.sums[other_idx] = 0.0f;
        }
        state.touched.clear();
      },
      /*grain=*/64);
  size_t total = 0;
  for (const auto& row : rows) total += row.size();
  gram.entries.reserve(total);
  gram.offsets.reserve(static_cast<size_t>(n) + 1);
  for (const auto& row : rows) {
    gram.entries.insert(gram.entries.end(), row.begin(), row.end());
    gram.offsets.push_back(static_cast<int64_t>(gram.entries.size()));
  }
  return gram;
}

StatusOr<GramInverse> GramInverse::Compute(const SparseGram& gram, double lambda, ThreadPool& pool,
                                           int blas_threads) {
  const int32_t n = gram.num_items;
  GramInverse inverse;
  const std::vector<char> in_set = IndependentItems(gram);
  std::vector<int32_t>& perm = inverse.perm_;
  std::vector<int32_t>& pos = inverse.pos_;
  perm.reserve(static_cast<size_t>(n));
  for (int32_t item_idx = 0; item_idx < n; ++item_idx)
    if (!in_set[item_idx]) perm.push_back(item_idx);
  const auto m = static_cast<int32_t>(perm.size());
  const int32_t k = n - m;
  for (int32_t item_idx = 0; item_idx < n; ++item_idx)
    if (in_set[item_idx]) perm.push_back(item_idx);
  pos.resize(static_cast<size_t>(n));
  for (int32_t position = 0; position < n; ++position) pos[perm[position]] = position;
  inverse.m_ = m;
  inverse.stats_.eliminated = k;
  inverse.stats_.factorised = m;
  std::vector<float> pivot(static_cast<size_t>(n));  // [item] G_ii + lambda
  for (int32_t item_idx = 0; item_idx < n; ++item_idx) {
    pivot[item_idx] = static_cast<float>(gram.diagonal[item_idx] + lambda);
    if (in_set[item_idx] && !(pivot[item_idx] > 0.0f)) {
      return NotPositiveDefinite(lambda,
                                 "item " + std::to_string(item_idx) + " has no interactions");
    }
  }

  // S = G_DD - G_DA G_AA^-1 G_AD, row by row. Every neighbour of an eliminated item is in D.
  Clock::time_point start = Clock::now();
  ASSIGN_OR_RETURN(inverse.p_dd_, DenseMatrix::Zeros(m, m));
  DenseMatrix& q = inverse.p_dd_;
  pool.ParallelFor(
      m,
      [&](int64_t position, int) {
        const int32_t item_idx = perm[position];
        float* row = q.row(static_cast<int32_t>(position));
        row[position] += pivot[item_idx];
        for (const SparseEntry& entry : gram.row(item_idx)) {
          const int32_t other = pos[entry.index];
          if (other < m) {
            row[other] += entry.value;
            continue;
          }
          const float coef = entry.value / pivot[entry.index];
          for (const SparseEntry& second : gram.row(entry.index))
            row[pos[second.index]] -= coef * second.value;
        }
      },
      /*grain=*/16);
  inverse.stats_.schur_seconds = SecondsSince(start);

  // P_DD = S^-1 by Cholesky. LAPACK is column-major: its lower triangle is our upper one.
  if (m > 0) {
    ScopedBlasThreads threads(blas_threads);
    char uplo = 'L';
    blasint order = m;
    blasint lda = q.stride();
    blasint info = 0;
    start = Clock::now();
    spotrf_(&uplo, &order, q.row(0), &lda, &info);
    inverse.stats_.potrf_seconds = SecondsSince(start);
    if (info > 0) {
      return NotPositiveDefinite(lambda,
                                 "leading minor " + std::to_string(info) + " of the Cholesky");
    }
    if (info < 0) return InternalError("ease: spotrf argument " + std::to_string(-info));
    start = Clock::now();
    spotri_(&uplo, &order, q.row(0), &lda, &info);
    inverse.stats_.potri_seconds = SecondsSince(start);
    if (info > 0) return NotPositiveDefinite(lambda, "singular Cholesky factor");
    if (info < 0) return InternalError("ease: spotri argument " + std::to_string(-info));
  }

  start = Clock::now();
  MirrorUpperTriangle(q, pool);

  // P_AD[a] = -sum_x (G_ax / G_aa) P_DD[x]; P_AA[a][b] = [a = b] / G_aa - sum_x (G_bx / G_bb)
  // P_AD[a][x].
  ASSIGN_OR_RETURN(inverse.p_ad_, DenseMatrix::Zeros(k, m));
  ASSIGN_OR_RETURN(inverse.p_aa_, DenseMatrix::Zeros(k, k));
  std::vector<int64_t> e_offsets = {0};  // E by eliminated item: (position, G_bx / G_bb)
  std::vector<SparseEntry> e_entries;
  for (int32_t b = 0; b < k; ++b) {
    const int32_t item_idx = perm[m + b];
    for (const SparseEntry& entry : gram.row(item_idx))
      e_entries.push_back({pos[entry.index], entry.value / pivot[item_idx]});
    e_offsets.push_back(static_cast<int64_t>(e_entries.size()));
  }
  pool.ParallelFor(
      k,
      [&](int64_t eliminated, int) {
        const auto a = static_cast<int32_t>(eliminated);
        const int32_t item_idx = perm[m + a];
        float* p_ad = inverse.p_ad_.row(a);
        for (const SparseEntry& entry : gram.row(item_idx))
          Axpy(-entry.value / pivot[item_idx], q.row(pos[entry.index]), p_ad, m);
        float* p_aa = inverse.p_aa_.row(a);
        for (int32_t b = 0; b < k; ++b) {
          float sum = 0.0f;
          for (int64_t at = e_offsets[b]; at < e_offsets[b + 1]; ++at)
            sum += e_entries[at].value * p_ad[e_entries[at].index];
          p_aa[b] = (a == b ? 1.0f / pivot[item_idx] : 0.0f) - sum;
        }
      },
      /*grain=*/4);
  inverse.stats_.complete_seconds = SecondsSince(start);
  return inverse;
}

float GramInverse::Diagonal(int32_t item_idx) const {
  const int32_t position = pos_[item_idx];
  return position < m_ ? p_dd_.row(position)[position] : p_aa_.row(position - m_)[position - m_];
}

void GramInverse::Row(int32_t item_idx, float* out) const {
  const int32_t n = size();
  const int32_t position = pos_[item_idx];
  if (position < m_) {
    const float* p_dd = p_dd_.row(position);
    for (int32_t col = 0; col < m_; ++col) out[perm_[col]] = p_dd[col];
    // P_DA = P_AD^T: a column of P_AD. Callers reading rows in order() reuse its cache lines.
    for (int32_t col = m_; col < n; ++col) out[perm_[col]] = p_ad_.row(col - m_)[position];
    return;
  }
  const float* p_ad = p_ad_.row(position - m_);
  const float* p_aa = p_aa_.row(position - m_);
  for (int32_t col = 0; col < m_; ++col) out[perm_[col]] = p_ad[col];
  for (int32_t col = m_; col < n; ++col) out[perm_[col]] = p_aa[col - m_];
}

}  // namespace tailor
