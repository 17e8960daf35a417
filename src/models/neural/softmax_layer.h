// The sequential models' output layer in training: logits = hidden . items^T over the whole
// catalogue, full-softmax cross-entropy, and its gradients, in plain C++ on OpenBLAS (no
// libtorch), spread over a ThreadPool. The work is cut into fixed blocks (token rows for
// the logits and grad_hidden, item columns for grad_items), each one single-threaded matrix
// product, so the result bits do not depend on the thread count or on which worker ran a
// block, and OpenBLAS's own worker threads (which spin-wait beside the pool on 2 cores) are
// not used: callers set openblas_set_num_threads(1) while training.
#ifndef TAILOR_MODELS_NEURAL_SOFTMAX_LAYER_H_
#define TAILOR_MODELS_NEURAL_SOFTMAX_LAYER_H_

#include <cstdint>
#include <span>

#include "common/thread_pool.h"

namespace tailor {

// Shapes of one output-layer call: `tokens` target positions, `items` softmax columns, `dim`.
struct SoftmaxLayerShape {
  int64_t tokens = 0;
  int64_t items = 0;
  int64_t dim = 0;
};

// Writes into `gradient` ([tokens x items], row-major) softmax(hidden . items^T) - onehot
// (targets), the loss's gradient with respect to the logits, and returns the summed loss
// sum_t -log softmax(.)[targets[t]] (summed per block in block order). hidden is
// [tokens x dim], item_matrix [items x dim], targets in [0, items).
double SoftmaxLayerForward(const SoftmaxLayerShape& shape, std::span<const float> hidden,
                           std::span<const float> item_matrix, std::span<const int64_t> targets,
                           std::span<float> gradient, ThreadPool& pool);

// grad_hidden = scale * gradient . item_matrix ([tokens x dim]) and grad_items = scale *
// gradient^T . hidden ([items x dim]), with `gradient` as SoftmaxLayerForward left it.
void SoftmaxLayerBackward(const SoftmaxLayerShape& shape, std::span<const float> gradient,
                          std::span<const float> hidden, std::span<const float> item_matrix,
                          float scale, std::span<float> grad_hidden, std::span<float> grad_items,
                          ThreadPool& pool);

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_SOFTMAX_LAYER_H_
