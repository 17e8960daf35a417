// Test helpers of the text stage: a tiny BERT config and seeded random weights for it.
#ifndef TAILOR_TEXT_BERT_TEST_UTIL_H_
#define TAILOR_TEXT_BERT_TEST_UTIL_H_

#include <random>

#include "text/bert_encoder.h"

namespace tailor {

// vocab 12, width 8, 2 layers, 2 heads, feed-forward 16, 10 positions.
inline BertConfig TinyBertConfig() {
  BertConfig config;
  config.vocab_size = 12;
  config.hidden = 8;
  config.layers = 2;
  config.heads = 2;
  config.intermediate = 16;
  config.max_positions = 10;
  config.type_vocab_size = 2;
  return config;
}

// Every array N(0, 0.5^2); LayerNorm weights 1 + N(0, 0.1^2). Deterministic in `seed`.
inline BertWeights RandomBertWeights(const BertConfig& config, uint64_t seed) {
  BertWeights weights;
  weights.config = config;
  weights.layers.resize(static_cast<size_t>(config.layers));
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.5f);
  for (BertTensorRef& ref : BertTensorRefs(&weights)) {
    int64_t size = 1;
    for (int64_t extent : ref.shape) size *= extent;
    ref.values->resize(static_cast<size_t>(size));
    const bool norm_weight = ref.name.ends_with("LayerNorm.weight");
    for (float& value : *ref.values) value = norm_weight ? 1.0f + 0.2f * normal(rng) : normal(rng);
  }
  return weights;
}

}  // namespace tailor

#endif  // TAILOR_TEXT_BERT_TEST_UTIL_H_
