// The numerical core of implicit ALS (ials.h): Gram matrices, the conjugate-gradient sweep that
// updates every user (or item) row, and the exact per-row solve used by fold-in and as the
// tests' oracle.
//
// Model (Hu, Koren, Volinsky 2008, "Collaborative filtering for implicit feedback datasets"):
// for the row x of a user with observed items j (extra confidence w_j = c_j - 1 > 0) and the
// fixed item factors Y, the least-squares optimum solves
//   A x = b,  A = Y^T Y + lambda I + sum_j w_j y_j y_j^T,  b = sum_j (1 + w_j) y_j.
// CgSweep does not form A: it runs `steps` conjugate-gradient steps (Takacs, Pilaszy, Tikk
// 2011, "Applications of the conjugate gradient method for implicit feedback collaborative
// filtering"), warm-started from the row's current value, with A p = G p + lambda p +
// sum_j w_j (y_j . p) y_j and G = Y^T Y computed once per sweep. Rows are updated in fixed
// blocks of kCgBlock, in lockstep, so the G p products of a block are one small GEMM (a
// register-tiled kernel) instead of kCgBlock matrix-vector products.
//
// Invariants: padded factor columns (cols..stride) stay 0; every result is a function of the
// inputs only (fixed blocks and chunks, fixed summation order), never of the thread count.
// Thread-safety: the functions are reentrant; the pool runs one call at a time.
//
// Arithmetic (counted as multiply + add = 2 flops, k = cols, s = steps, Z non-zeros, R rows:
// for the sweep only rows with an entry, as a row without one is set to 0, its exact
// solution, at no cost):
//   GramFlops    = k (k + 1) R                       (the symmetric half of F^T F)
//   CgSweepFlops = (s + 1) (2k^2 + 2k) R + 4k (s + 1) Z + (10s - 2) k R
// i.e. per row and CG step one k x k product (2k^2), the lambda term (2k), a dot and an axpy
// per observed entry (4k together), and the CG vector updates (p.Ap, x, r, r.r, p: 2k each;
// the last step updates x only). The initial residual costs one step's products plus |x|^2
// and r.r.
#ifndef TAILOR_MODELS_FACTORS_IALS_SOLVER_H_
#define TAILOR_MODELS_FACTORS_IALS_SOLVER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "common/thread_pool.h"
#include "dataset/csr_matrix.h"
#include "models/factors/factor_matrix.h"

namespace tailor {

using AlignedFloats = std::vector<float, AlignedAllocator<float>>;

// Rows updated together by CgSweep.
inline constexpr int32_t kCgBlock = 24;

// gram = F^T F as a stride x stride row-major matrix (stride = factors.stride(); the padding
// rows and columns are 0), resized as needed. Partial sums over fixed chunks of rows are added
// in double, in order, so the result does not depend on pool.size(). Returns
// sum_r row_weights[r] * |f_r|^2 (0 when row_weights is empty; else it has factors.rows()
// entries): the regularization term of the loss.
double ComputeGram(const FactorMatrix& factors, std::span<const float> row_weights,
                   ThreadPool& pool, AlignedFloats& gram);

struct CgSweepResult {
  // At entry (before the update), with c = 1 + w:
  double observed_loss = 0.0;   // sum over stored entries of c (1 - x.y)^2 - (x.y)^2
  double regularization = 0.0;  // sum_r row_lambda[r] |x_r|^2
};

// Updates every row r of `x` with `steps` CG steps towards the solution of
//   (gram + row_lambda[r] I + sum_j w_rj y_j y_j^T) x_r = sum_j (1 + w_rj) y_j
// where j runs over rows.row_indices(r), w_rj = rows.row_values(r) (>= 0) and y_j =
// fixed.row(j). Shapes: rows.rows == x.rows(), rows.cols == fixed.rows(), x.cols() ==
// fixed.cols(), gram is fixed's ComputeGram (stride^2), row_lambda has x.rows() entries > 0.
// Rows whose residual vanishes stop early. Returns the loss terms at entry (see above).
CgSweepResult CgSweep(const CsrMatrix& rows, const FactorMatrix& fixed, std::span<const float> gram,
                      std::span<const float> row_lambda, int steps, ThreadPool& pool,
                      FactorMatrix& x);

// The exact solution of one row's system (same equation as CgSweep with cols/weights as the
// row), by Cholesky in double; writes fixed.stride() floats to x (padding 0). Returns false
// (x untouched) when the matrix is not positive definite (lambda <= 0 with too few entries).
bool SolveRowExact(const FactorMatrix& fixed, std::span<const float> gram, float lambda,
                   std::span<const int32_t> cols, std::span<const float> weights, float* x);

// Nominal arithmetic of ComputeGram / CgSweep (see the header comment), in flops.
double GramFlops(int32_t k, int64_t rows);
double CgSweepFlops(int32_t k, int steps, int64_t rows, int64_t nonzeros);

}  // namespace tailor

#endif  // TAILOR_MODELS_FACTORS_IALS_SOLVER_H_
