// The element-wise half of full-softmax cross-entropy, one row of logits at a time, in plain
// C++ (no libtorch): the hot loop of sequential training after the matrix products.
#ifndef TAILOR_MODELS_NEURAL_SOFTMAX_ROWS_H_
#define TAILOR_MODELS_NEURAL_SOFTMAX_ROWS_H_

#include <cstdint>
#include <span>

namespace tailor {

// Replaces `logits` (one row, the scores of every item) with softmax(logits) - onehot(target)
// (the gradient of the cross-entropy with respect to the logits) and returns the loss
// -log softmax(logits)[target]. target must be in [0, logits.size()). Relative error of the
// probabilities < 1e-6 (a polynomial exp); a row stays in cache for its three passes.
double SoftmaxCrossEntropyRow(std::span<float> logits, int32_t target);

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_SOFTMAX_ROWS_H_
