#include "models/neural/softmax_layer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "models/blas_kernels.h"

namespace tailor {
namespace {

struct Case {
  SoftmaxLayerShape shape;
  std::vector<float> hidden, items;
  std::vector<int64_t> targets;
};

// Sizes that leave partial blocks of rows (64) and of items (2048).
Case RandomCase(int64_t tokens, int64_t items, int64_t dim, uint64_t seed) {
  Case out{{tokens, items, dim}, {}, {}, {}};
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.5f);
  out.hidden.resize(static_cast<size_t>(tokens * dim));
  out.items.resize(static_cast<size_t>(items * dim));
  for (float& value : out.hidden) value = normal(rng);
  for (float& value : out.items) value = normal(rng);
  std::uniform_int_distribution<int64_t> item(0, items - 1);
  for (int64_t token = 0; token < tokens; ++token) out.targets.push_back(item(rng));
  return out;
}

TEST(SoftmaxLayerTest, MatchesTheDoublePrecisionDefinition) {
  const Case c = RandomCase(150, 2500, 24, 7);
  const auto [tokens, items, dim] = c.shape;
  ThreadPool pool(2);
  ScopedBlasThreads blas(1);
  std::vector<float> gradient(static_cast<size_t>(tokens * items));
  const double loss = SoftmaxLayerForward(c.shape, c.hidden, c.items, c.targets, gradient, pool);
  // Reference: logits, softmax and loss in double; the gradient's products too.
  std::vector<double> expected(gradient.size());
  double expected_loss = 0.0;
  for (int64_t token = 0; token < tokens; ++token) {
    double max = -1e300, sum = 0.0;
    for (int64_t item = 0; item < items; ++item) {
      double logit = 0.0;
      for (int64_t k = 0; k < dim; ++k) logit += double(c.hidden[token * dim + k]) * c.items[item * dim + k];
      expected[token * items + item] = logit;
      max = std::max(max, logit);
    }
    for (int64_t item = 0; item < items; ++item) sum += std::exp(expected[token * items + item] - max);
    const int64_t target = c.targets[token];
    expected_loss += std::log(sum) + max - expected[token * items + target];
    for (int64_t item = 0; item < items; ++item) {
      expected[token * items + item] = std::exp(expected[token * items + item] - max) / sum;
    }
    expected[token * items + target] -= 1.0;
  }
  EXPECT_NEAR(loss, expected_loss, 1e-5 * expected_loss);
  for (size_t idx = 0; idx < gradient.size(); ++idx) {
    ASSERT_NEAR(gradient[idx], expected[idx], 1e-5) << idx;
  }
  std::vector<float> grad_hidden(c.hidden.size()), grad_items(c.items.size());
  const float scale = 0.25f;
  SoftmaxLayerBackward(c.shape, gradient, c.hidden, c.items, scale, grad_hidden, grad_items, pool);
  for (int64_t token = 0; token < tokens; ++token) {
    for (int64_t k = 0; k < dim; ++k) {
      double sum = 0.0;
      for (int64_t item = 0; item < items; ++item) sum += expected[token * items + item] * c.items[item * dim + k];
      ASSERT_NEAR(grad_hidden[token * dim + k], scale * sum, 1e-4) << token << " " << k;
    }
  }
  for (int64_t item = 0; item < items; ++item) {
    for (int64_t k = 0; k < dim; ++k) {
      double sum = 0.0;
      for (int64_t token = 0; token < tokens; ++token) sum += expected[token * items + item] * c.hidden[token * dim + k];
      ASSERT_NEAR(grad_items[item * dim + k], scale * sum, 1e-4) << item << " " << k;
    }
  }
}

TEST(SoftmaxLayerTest, SameBitsWithOneThreadOrTwo) {
  const Case c = RandomCase(200, 4500, 32, 11);
  ScopedBlasThreads blas(1);
  std::vector<std::vector<float>> results;
  std::vector<double> losses;
  for (int threads : {1, 2}) {
    ThreadPool pool(threads);
    std::vector<float> gradient(static_cast<size_t>(c.shape.tokens * c.shape.items));
    losses.push_back(SoftmaxLayerForward(c.shape, c.hidden, c.items, c.targets, gradient, pool));
    std::vector<float> grad_hidden(c.hidden.size()), grad_items(c.items.size());
    SoftmaxLayerBackward(c.shape, gradient, c.hidden, c.items, 1.0f, grad_hidden, grad_items, pool);
    gradient.insert(gradient.end(), grad_hidden.begin(), grad_hidden.end());
    gradient.insert(gradient.end(), grad_items.begin(), grad_items.end());
    results.push_back(std::move(gradient));
  }
  EXPECT_EQ(losses[0], losses[1]);
  EXPECT_TRUE(results[0] == results[1]);
}

}  // namespace
}  // namespace tailor
