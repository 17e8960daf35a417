#include "models/neural/softmax_layer.h"

#include <cblas.h>

#include <algorithm>
#include <vector>

#include "models/neural/softmax_rows.h"

namespace tailor {
namespace {

// Token rows per logits block: enough rows that packing the item matrix (which every block
// does again) is a small share of the product, few enough that a block's logits stay near
// the cache for the softmax pass that follows.
constexpr int64_t kRowsPerBlock = 64;
// Item columns per grad_items block.
constexpr int64_t kItemsPerBlock = 2048;

int64_t Blocks(int64_t count, int64_t per_block) { return (count + per_block - 1) / per_block; }

}  // namespace

double SoftmaxLayerForward(const SoftmaxLayerShape& shape, std::span<const float> hidden,
                           std::span<const float> item_matrix, std::span<const int64_t> targets,
                           std::span<float> gradient, ThreadPool& pool) {
  const int64_t blocks = Blocks(shape.tokens, kRowsPerBlock);
  std::vector<double> block_loss(static_cast<size_t>(blocks), 0.0);
  pool.ParallelFor(blocks, [&](int64_t block_idx, int) {
    const int64_t begin = block_idx * kRowsPerBlock;
    const int64_t rows = std::min(shape.tokens, begin + kRowsPerBlock) - begin;
    float* logits = gradient.data() + begin * shape.items;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows),
                static_cast<int>(shape.items), static_cast<int>(shape.dim), 1.0f,
                hidden.data() + begin * shape.dim, static_cast<int>(shape.dim),
                item_matrix.data(), static_cast<int>(shape.dim), 0.0f, logits,
                static_cast<int>(shape.items));
    double loss = 0.0;
    for (int64_t row = 0; row < rows; ++row) {
      loss += SoftmaxCrossEntropyRow(
          {logits + row * shape.items, static_cast<size_t>(shape.items)},
          static_cast<int32_t>(targets[static_cast<size_t>(begin + row)]));
    }
    block_loss[static_cast<size_t>(block_idx)] = loss;
  });
  double total = 0.0;
  for (double loss : block_loss) total += loss;
  return total;
}

void SoftmaxLayerBackward(const SoftmaxLayerShape& shape, std::span<const float> gradient,
                          std::span<const float> hidden, std::span<const float> item_matrix,
                          float scale, std::span<float> grad_hidden, std::span<float> grad_items,
                          ThreadPool& pool) {
  const int64_t row_blocks = Blocks(shape.tokens, kRowsPerBlock);
  const int64_t item_blocks = Blocks(shape.items, kItemsPerBlock);
  const int dim = static_cast<int>(shape.dim);
  const int items = static_cast<int>(shape.items);
  // One loop over both kinds of block, so a worker never waits between them.
  pool.ParallelFor(row_blocks + item_blocks, [&](int64_t block_idx, int) {
    if (block_idx < row_blocks) {
      const int64_t begin = block_idx * kRowsPerBlock;
      const int rows = static_cast<int>(std::min(shape.tokens, begin + kRowsPerBlock) - begin);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, dim, items, scale,
                  gradient.data() + begin * shape.items, items, item_matrix.data(), dim, 0.0f,
                  grad_hidden.data() + begin * shape.dim, dim);
      return;
    }
    const int64_t begin = (block_idx - row_blocks) * kItemsPerBlock;
    const int columns = static_cast<int>(std::min(shape.items, begin + kItemsPerBlock) - begin);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, columns, dim,
                static_cast<int>(shape.tokens), scale, gradient.data() + begin, items,
                hidden.data(), dim, 0.0f, grad_items.data() + begin * shape.dim, dim);
  });
}

}  // namespace tailor
