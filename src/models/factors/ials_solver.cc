#include "models/factors/ials_solver.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <array>

namespace tailor {
namespace {

// One 64-byte SIMD register of floats (a zmm on AVX-512; GCC splits it elsewhere). FactorMatrix
// rows and all scratch rows are 64-byte aligned and padded to multiples of 16 floats, so every
// row is a whole number of these.
constexpr int kLanes = 16;
using V16 = float __attribute__((vector_size(64)));
using V8 = float __attribute__((vector_size(32)));
using V4 = float __attribute__((vector_size(16)));

inline V16 Load(const float* p) {
  V16 v;
  __builtin_memcpy(&v, p, sizeof(v));
  return v;
}
inline void Store(float* p, V16 v) { __builtin_memcpy(p, &v, sizeof(v)); }
inline V16 Splat(float a) { return V16{a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a}; }
inline float HorizontalSum(V16 v) {
  V8 h8 = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
          __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  V4 h4 = __builtin_shufflevector(h8, h8, 0, 1, 2, 3) + __builtin_shufflevector(h8, h8, 4, 5, 6, 7);
  return (h4[0] + h4[2]) + (h4[1] + h4[3]);
}
// The four sums of a, b, c, d (lanes 0..3), by one shuffle tree.
inline V4 HorizontalSum4(V16 a, V16 b, V16 c, V16 d) {
  // ab: per group of four lanes g, [a_4g + a_4g+1, b_4g + b_4g+1, a_4g+2 + a_4g+3, b_...].
  const V16 ab =
      __builtin_shufflevector(a, b, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30) +
      __builtin_shufflevector(a, b, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
  const V16 cd =
      __builtin_shufflevector(c, d, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30) +
      __builtin_shufflevector(c, d, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
  // Per group: [a, b, c, d] summed over the group's four lanes.
  const V16 abcd =
      __builtin_shufflevector(ab, cd, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29) +
      __builtin_shufflevector(ab, cd, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
  const V8 h8 = __builtin_shufflevector(abcd, abcd, 0, 1, 2, 3, 4, 5, 6, 7) +
                __builtin_shufflevector(abcd, abcd, 8, 9, 10, 11, 12, 13, 14, 15);
  return __builtin_shufflevector(h8, h8, 0, 1, 2, 3) + __builtin_shufflevector(h8, h8, 4, 5, 6, 7);
}

// Rows of the Gram chunks: small enough to give both cores work on a few thousand items.
constexpr int32_t kGramChunk = 1024;
// Chunks whose partial Gram matrices are held at once (bounds memory on millions of rows).
constexpr int64_t kGramWave = 64;
// A row whose squared residual falls below this has converged (as in implicit's CG).
constexpr float kConverged = 1e-20f;
// Rows of the fixed side fetched ahead in the sparse loops (hides DRAM latency of the
// random gathers on big catalogs).
constexpr int kPrefetchDistance = 16;

// Where a tile reads its left operand: element (m, j) is at in[m * m_step + j * j_step].
// Row-major rows (the CG blocks): m_step = stride, j_step = 1. Transposed (the Gram matrix,
// whose left operand is F^T): m_step = 1, j_step = stride.
struct TileInput {
  const float* in;
  int64_t m_step;
  int64_t j_step;
};

// Register-tiled out[m][c] = sum_{j < count} in(m, j) * g[j][c] for MR rows and NV * 16
// columns: per j, NV loads of g and MR broadcasts feed MR * NV FMAs, so the tile runs at FMA
// rather than load speed. The sum over j is in order, whatever MR is: a row's result does not
// depend on the tile it is computed in.
template <int MR, int NV>
void DenseTile(TileInput input, const float* g, int64_t g_stride, int64_t count, float* out,
               int64_t out_stride) {
  V16 acc[MR][NV];
#pragma GCC unroll 16
  for (int m = 0; m < MR; ++m) {
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) acc[m][v] = V16{};
  }
  for (int64_t j = 0; j < count; ++j) {
    V16 gv[NV];
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) gv[v] = Load(g + j * g_stride + v * kLanes);
    const float* in_j = input.in + j * input.j_step;
#pragma GCC unroll 16
    for (int m = 0; m < MR; ++m) {
      const V16 a = Splat(in_j[m * input.m_step]);
#pragma GCC unroll 16
      for (int v = 0; v < NV; ++v) acc[m][v] += a * gv[v];
    }
  }
#pragma GCC unroll 16
  for (int m = 0; m < MR; ++m) {
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) Store(out + m * out_stride + v * kLanes, acc[m][v]);
  }
}

using TileFn = void (*)(TileInput, const float*, int64_t, int64_t, float*, int64_t);
constexpr int kTileRows = 6;
constexpr int kTileVectors = 4;

template <int MR>
constexpr std::array<TileFn, kTileVectors> TilesOfRows() {
  return {&DenseTile<MR, 1>, &DenseTile<MR, 2>, &DenseTile<MR, 3>, &DenseTile<MR, 4>};
}
constexpr std::array<std::array<TileFn, kTileVectors>, kTileRows> kTiles = {
    TilesOfRows<1>(), TilesOfRows<2>(), TilesOfRows<3>(),
    TilesOfRows<4>(), TilesOfRows<5>(), TilesOfRows<6>()};

// Runs the tiles for rows [row, row + rows) of the output and register columns
// [0, vectors), rows <= kTileRows.
void TileRow(TileInput input, int rows, int32_t vectors, const float* g, int64_t g_stride,
             int64_t count, float* out, int64_t out_stride) {
  for (int32_t vec = 0; vec < vectors; vec += kTileVectors) {
    const int nv = std::min<int32_t>(kTileVectors, vectors - vec);
    kTiles[rows - 1][nv - 1](input, g + vec * kLanes, g_stride, count, out + vec * kLanes,
                             out_stride);
  }
}

// out (count x stride) = in (count x stride) * g (stride x stride, symmetric), over the first
// k columns of `in` (the rest are padding zeros).
void DenseProduct(const float* in, int32_t count, int32_t stride, const float* g, int32_t k,
                  float* out) {
  for (int32_t row = 0; row < count; row += kTileRows) {
    const int rows = std::min<int32_t>(kTileRows, count - row);
    TileRow({in + static_cast<size_t>(row) * stride, stride, 1}, rows, stride / kLanes, g, stride,
            k, out + static_cast<size_t>(row) * stride, stride);
  }
}

// The lower triangle (and a little more) of F^T F for `count` rows of F from `rows`:
// out[a][c] for c <= a < k, out stride = stride.
void GramTiles(const float* rows, int32_t count, int32_t k, int32_t stride, float* out) {
  for (int32_t a = 0; a < k; a += kTileRows) {
    const int tile_rows = std::min<int32_t>(kTileRows, k - a);
    const int32_t vectors = (a + tile_rows + kLanes - 1) / kLanes;  // columns 0..a+rows-1
    TileRow({rows + a, 1, stride}, tile_rows, vectors, rows, stride, count,
            out + static_cast<size_t>(a) * stride, stride);
  }
}

// Per-row vector helpers over `nvec` registers; NVEC > 0 fixes the count at compile time so
// the loops unroll and the row stays in registers (NVEC = 0: runtime count, any width).
template <int NVEC>
struct RowOps {
  static constexpr int kMax = NVEC > 0 ? NVEC : 64;  // 64 registers = 1024 factors
  int nvec;

  float DotRows(const float* a, const float* b) const {
    V16 acc = V16{};
#pragma GCC unroll 16
    for (int v = 0; v < nvec; ++v) acc += Load(a + v * kLanes) * Load(b + v * kLanes);
    return HorizontalSum(acc);
  }
  // y += s * x
  void Axpy(float s, const float* x, float* y) const {
    const V16 sv = Splat(s);
#pragma GCC unroll 16
    for (int v = 0; v < nvec; ++v)
      Store(y + v * kLanes, Load(y + v * kLanes) + sv * Load(x + v * kLanes));
  }

  void Prefetch(const float* row) const {
#pragma GCC unroll 16
    for (int v = 0; v < nvec; ++v) __builtin_prefetch(row + v * kLanes);
  }

  // The sparse part of A v (kResidual false): out += sum_j w_j (y_j . v) y_j; or of the
  // initial residual (kResidual true, v = x): out += sum_j (1 + w_j - w_j d_j) y_j with
  // d_j = y_j . x, adding sum_j (1 + w_j)(1 - d_j)^2 - d_j^2 to *loss.
  // Entries go four at a time so that one shuffle tree reduces four dot products; the last
  // 1..3 entries make a group padded with a repeat of the last entry and a zero mask. The rows
  // of `fixed` that follow in the CSR (up to prefetch_end, the end of the block's entries) are
  // prefetched kPrefetchDistance entries ahead, across row boundaries.
  template <bool kResidual>
  void Sparse(const int32_t* cols, const float* weights, size_t count, const int32_t* prefetch_end,
              const FactorMatrix& fixed, const float* v_in, float* out, double* loss) const {
    V16 vv[kMax], acc[kMax];
#pragma GCC unroll 16
    for (int v = 0; v < nvec; ++v) {
      vv[v] = Load(v_in + v * kLanes);
      acc[v] = V16{};
    }
    const V4 one = {1.0f, 1.0f, 1.0f, 1.0f};
    V4 loss4 = V4{};
    for (size_t pos = 0; pos < count; pos += 4) {
      for (size_t ahead = pos + kPrefetchDistance; ahead < pos + kPrefetchDistance + 4; ++ahead) {
        if (cols + ahead < prefetch_end) Prefetch(fixed.row(cols[ahead]));
      }
      const float* y[4];
      V4 w;
      V4 mask = one;
      if (pos + 4 <= count) {
#pragma GCC unroll 4
        for (int e = 0; e < 4; ++e) y[e] = fixed.row(cols[pos + e]);
        __builtin_memcpy(&w, weights + pos, sizeof(w));
      } else {
        const size_t last = count - 1;
        for (int e = 0; e < 4; ++e) {
          const bool real = pos + e <= last;
          y[e] = fixed.row(cols[real ? pos + e : last]);
          w[e] = real ? weights[pos + e] : 0.0f;
          mask[e] = real ? 1.0f : 0.0f;
        }
      }
      V16 dv[4] = {V16{}, V16{}, V16{}, V16{}};
#pragma GCC unroll 16
      for (int v = 0; v < nvec; ++v) {
#pragma GCC unroll 4
        for (int e = 0; e < 4; ++e) dv[e] += Load(y[e] + v * kLanes) * vv[v];
      }
      const V4 d = HorizontalSum4(dv[0], dv[1], dv[2], dv[3]);
      V4 coef;
      if constexpr (kResidual) {
        coef = mask * (one + w - w * d);
        loss4 += mask * ((one + w) * (one - d) * (one - d) - d * d);
      } else {
        coef = w * d;  // w = 0 on padding
      }
#pragma GCC unroll 4
      for (int e = 0; e < 4; ++e) {
        const V16 c = Splat(coef[e]);
#pragma GCC unroll 16
        for (int v = 0; v < nvec; ++v) acc[v] += c * Load(y[e] + v * kLanes);
      }
    }
#pragma GCC unroll 16
    for (int v = 0; v < nvec; ++v) Store(out + v * kLanes, Load(out + v * kLanes) + acc[v]);
    if constexpr (kResidual) *loss += (loss4[0] + loss4[1]) + (loss4[2] + loss4[3]);
  }
};

struct SweepArgs {
  const CsrMatrix* rows;
  const FactorMatrix* fixed;
  const float* gram;
  const float* row_lambda;
  int steps;
  FactorMatrix* x;
};

// Per-worker scratch: the residuals, search directions and A p of one block.
struct BlockScratch {
  AlignedFloats x, r, p, ap;
};

// Runs CG in lockstep on the `count` (<= kCgBlock) rows listed in block_rows, ascending, each
// with at least one entry: gathered into scratch.x, updated, scattered back. See the header
// for the system.
template <int NVEC>
__attribute__((noinline)) void UpdateBlock(const SweepArgs& args, const int32_t* block_rows,
                                           int32_t count, BlockScratch& scratch,
                                           double* observed_loss, double* regularization) {
  const FactorMatrix& fixed = *args.fixed;
  const int32_t k = fixed.cols();
  const int32_t stride = fixed.stride();
  const RowOps<NVEC> ops{NVEC > 0 ? NVEC : stride / kLanes};
  float* x_block = scratch.x.data();
  float* r_block = scratch.r.data();
  float* p_block = scratch.p.data();
  float* ap_block = scratch.ap.data();
  const int64_t* indptr = args.rows->indptr.data();
  const int32_t* cols = args.rows->indices.data();
  const float* weights = args.rows->values.data();
  // The block's entries are contiguous in the CSR (rows without entries have none).
  const int32_t* block_end = cols + indptr[block_rows[count - 1] + 1];
  float rs[kCgBlock];
  bool active[kCgBlock];
  for (int32_t b = 0; b < count; ++b) {
    const float* source = args.x->row(block_rows[b]);
    std::copy(source, source + stride, x_block + static_cast<size_t>(b) * stride);
  }

  // r = b - A x = sum_j (1 + w_j - w_j d_j) y_j - G x - lambda x.
  DenseProduct(x_block, count, stride, args.gram, k, r_block);
  for (int32_t b = 0; b < count; ++b) {
    const int32_t row_idx = block_rows[b];
    const float lambda = args.row_lambda[row_idx];
    float* x = x_block + static_cast<size_t>(b) * stride;
    float* r = r_block + static_cast<size_t>(b) * stride;
    *regularization += static_cast<double>(lambda) * ops.DotRows(x, x);
#pragma GCC unroll 16
    for (int v = 0; v < ops.nvec; ++v) {
      Store(r + v * kLanes, -Load(r + v * kLanes) - Splat(lambda) * Load(x + v * kLanes));
    }
    ops.template Sparse<true>(cols + indptr[row_idx], weights + indptr[row_idx],
                              indptr[row_idx + 1] - indptr[row_idx], block_end, fixed, x, r,
                              observed_loss);
    rs[b] = ops.DotRows(r, r);
    active[b] = rs[b] > kConverged;
    std::copy(r, r + stride, p_block + static_cast<size_t>(b) * stride);
  }

  for (int step = 0; step < args.steps; ++step) {
    const bool last = step + 1 == args.steps;
    DenseProduct(p_block, count, stride, args.gram, k, ap_block);
    for (int32_t b = 0; b < count; ++b) {
      if (!active[b]) continue;
      const int32_t row_idx = block_rows[b];
      float* x = x_block + static_cast<size_t>(b) * stride;
      float* r = r_block + static_cast<size_t>(b) * stride;
      float* p = p_block + static_cast<size_t>(b) * stride;
      float* ap = ap_block + static_cast<size_t>(b) * stride;
      ops.Axpy(args.row_lambda[row_idx], p, ap);
      ops.template Sparse<false>(cols + indptr[row_idx], weights + indptr[row_idx],
                                 indptr[row_idx + 1] - indptr[row_idx], block_end, fixed, p, ap,
                                 nullptr);
      const float p_ap = ops.DotRows(p, ap);
      if (!(p_ap > 0.0f)) {
        active[b] = false;
        continue;
      }
      const float step_size = rs[b] / p_ap;
      ops.Axpy(step_size, p, x);
      if (last) continue;
      ops.Axpy(-step_size, ap, r);
      const float rs_new = ops.DotRows(r, r);
      if (rs_new < kConverged) {
        active[b] = false;
        continue;
      }
      const V16 beta = Splat(rs_new / rs[b]);
#pragma GCC unroll 16
      for (int v = 0; v < ops.nvec; ++v) {
        Store(p + v * kLanes, Load(r + v * kLanes) + beta * Load(p + v * kLanes));
      }
      rs[b] = rs_new;
    }
  }
  for (int32_t b = 0; b < count; ++b) {
    const float* x = x_block + static_cast<size_t>(b) * stride;
    std::copy(x, x + stride, args.x->row(block_rows[b]));
  }
}

template <int NVEC>
CgSweepResult Sweep(const SweepArgs& args, ThreadPool& pool) {
  const CsrMatrix& rows = *args.rows;
  const int32_t stride = args.x->stride();
  const int32_t k = args.x->cols();
  // Rows with entries get CG; the others are set to 0, their exact solution (b = 0).
  std::vector<int32_t> busy_rows;
  for (int32_t row_idx = 0; row_idx < rows.rows; ++row_idx) {
    if (rows.indptr[row_idx + 1] > rows.indptr[row_idx]) busy_rows.push_back(row_idx);
  }
  const int64_t blocks = (static_cast<int64_t>(busy_rows.size()) + kCgBlock - 1) / kCgBlock;
  const int64_t idle_chunks = (static_cast<int64_t>(rows.rows) + kGramChunk - 1) / kGramChunk;
  std::vector<BlockScratch> scratch(static_cast<size_t>(pool.size()));
  for (BlockScratch& s : scratch) {
    for (AlignedFloats* buffer : {&s.x, &s.r, &s.p, &s.ap}) {
      buffer->assign(static_cast<size_t>(kCgBlock) * stride, 0.0f);
    }
  }
  // Per-block (then per-chunk of idle rows) loss terms, added in order afterwards, so the
  // result does not depend on the thread count.
  std::vector<double> observed(static_cast<size_t>(blocks), 0.0);
  std::vector<double> regularization(static_cast<size_t>(blocks + idle_chunks), 0.0);
  pool.ParallelFor(
      blocks + idle_chunks,
      [&](int64_t task, int worker) {
        if (task < blocks) {
          const int64_t first = task * kCgBlock;
          const int32_t count =
              static_cast<int32_t>(std::min<int64_t>(kCgBlock, busy_rows.size() - first));
          UpdateBlock<NVEC>(
              args, busy_rows.data() + first, count, scratch[static_cast<size_t>(worker)],
              &observed[static_cast<size_t>(task)], &regularization[static_cast<size_t>(task)]);
          return;
        }
        const int32_t first = static_cast<int32_t>((task - blocks) * kGramChunk);
        const int32_t last = std::min<int32_t>(rows.rows, first + kGramChunk);
        double sum = 0.0;
        for (int32_t row_idx = first; row_idx < last; ++row_idx) {
          if (rows.indptr[row_idx + 1] > rows.indptr[row_idx]) continue;
          float* x = args.x->row(row_idx);
          sum += static_cast<double>(args.row_lambda[row_idx]) * Dot(x, x, k);
          std::fill(x, x + stride, 0.0f);
        }
        regularization[static_cast<size_t>(task)] = sum;
      },
      /*grain=*/4);
  CgSweepResult result;
  for (double sum : observed) result.observed_loss += sum;
  for (double sum : regularization) result.regularization += sum;
  return result;
}

}  // namespace

double ComputeGram(const FactorMatrix& factors, std::span<const float> row_weights,
                   ThreadPool& pool, AlignedFloats& gram) {
  const int32_t stride = factors.stride();
  const int32_t k = factors.cols();
  const size_t size = static_cast<size_t>(stride) * stride;
  const int64_t chunks = (static_cast<int64_t>(factors.rows()) + kGramChunk - 1) / kGramChunk;
  std::vector<double> total(size, 0.0);
  std::vector<double> weighted(static_cast<size_t>(chunks), 0.0);
  std::vector<AlignedFloats> partial(static_cast<size_t>(std::min(chunks, kGramWave)));
  for (int64_t wave = 0; wave < chunks; wave += kGramWave) {
    const int64_t in_wave = std::min(kGramWave, chunks - wave);
    pool.ParallelFor(in_wave, [&](int64_t offset, int) {
      const int64_t chunk = wave + offset;
      const int32_t first = static_cast<int32_t>(chunk * kGramChunk);
      const int32_t count = std::min<int32_t>(kGramChunk, factors.rows() - first);
      AlignedFloats& out = partial[static_cast<size_t>(offset)];
      out.assign(size, 0.0f);
      GramTiles(factors.row(first), count, k, stride, out.data());
      if (!row_weights.empty()) {
        double sum = 0.0;
        for (int32_t row = 0; row < count; ++row) {
          const float* f = factors.row(first + row);
          sum += static_cast<double>(row_weights[first + row]) * Dot(f, f, k);
        }
        weighted[static_cast<size_t>(chunk)] = sum;
      }
    });
    for (int64_t offset = 0; offset < in_wave; ++offset) {
      const AlignedFloats& out = partial[static_cast<size_t>(offset)];
      for (int32_t row = 0; row < k; ++row) {
        for (int32_t col = 0; col <= row; ++col) {
          const size_t pos = static_cast<size_t>(row) * stride + col;
          total[pos] += out[pos];
        }
      }
    }
  }
  gram.assign(size, 0.0f);
  for (int32_t row = 0; row < k; ++row) {
    for (int32_t col = 0; col <= row; ++col) {
      const float value = static_cast<float>(total[static_cast<size_t>(row) * stride + col]);
      gram[static_cast<size_t>(row) * stride + col] = value;
      gram[static_cast<size_t>(col) * stride + row] = value;
    }
  }
  double weighted_total = 0.0;
  for (double sum : weighted) weighted_total += sum;
  return weighted_total;
}

CgSweepResult CgSweep(const CsrMatrix& rows, const FactorMatrix& fixed, std::span<const float> gram,
                      std::span<const float> row_lambda, int steps, ThreadPool& pool,
                      FactorMatrix& x) {
  const SweepArgs args{&rows, &fixed, gram.data(), row_lambda.data(), steps, &x};
  switch (x.stride() / kLanes) {
    case 1:
      return Sweep<1>(args, pool);
    case 2:
      return Sweep<2>(args, pool);
    case 3:
      return Sweep<3>(args, pool);
    case 4:
      return Sweep<4>(args, pool);
    case 5:
      return Sweep<5>(args, pool);
    case 6:
      return Sweep<6>(args, pool);
    case 7:
      return Sweep<7>(args, pool);
    case 8:
      return Sweep<8>(args, pool);
    default:
      return Sweep<0>(args, pool);
  }
}

bool SolveRowExact(const FactorMatrix& fixed, std::span<const float> gram, float lambda,
                   std::span<const int32_t> cols, std::span<const float> weights, float* x) {
  const int32_t k = fixed.cols();
  const int32_t stride = fixed.stride();
  Eigen::MatrixXd a(k, k);
  for (int32_t row = 0; row < k; ++row) {
    for (int32_t col = 0; col < k; ++col)
      a(row, col) = gram[static_cast<size_t>(row) * stride + col];
    a(row, row) += lambda;
  }
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  Eigen::VectorXd y(k);
  for (size_t pos = 0; pos < cols.size(); ++pos) {
    const float* row = fixed.row(cols[pos]);
    for (int32_t c = 0; c < k; ++c) y[c] = row[c];
    a.selfadjointView<Eigen::Lower>().rankUpdate(y, weights[pos]);
    b += (1.0 + weights[pos]) * y;
  }
  Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> llt(a);
  if (llt.info() != Eigen::Success) return false;
  const Eigen::VectorXd solution = llt.solve(b);
  for (int32_t c = 0; c < k; ++c) x[c] = static_cast<float>(solution[c]);
  std::fill(x + k, x + stride, 0.0f);
  return true;
}

double GramFlops(int32_t k, int64_t rows) {
  return static_cast<double>(k) * (k + 1) * static_cast<double>(rows);
}

double CgSweepFlops(int32_t k, int steps, int64_t rows, int64_t nonzeros) {
  const double kd = k;
  const double s = steps;
  return (s + 1) * (2 * kd * kd + 2 * kd) * rows + 4 * kd * (s + 1) * nonzeros +
         (10 * s - 2) * kd * rows;
}

}  // namespace tailor
