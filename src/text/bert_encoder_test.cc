#include "text/bert_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <span>
#include <thread>

#include "status_matchers.h"
#include "text/bert_test_util.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

// Straightforward double-precision BERT forward, loop by loop, as the oracle.
std::vector<double> ReferenceForward(const BertWeights& w, const std::vector<int32_t>& ids) {
  const BertConfig& c = w.config;
  const int n = static_cast<int>(ids.size()), d = c.hidden, inter = c.intermediate;
  const int head_dim = d / c.heads;
  auto layer_norm = [&](std::vector<double>& x, const std::vector<float>& g,
                        const std::vector<float>& b) {
    for (int p = 0; p < n; ++p) {
      double mean = 0, var = 0;
      for (int k = 0; k < d; ++k) mean += x[p * d + k] / d;
      for (int k = 0; k < d; ++k) var += (x[p * d + k] - mean) * (x[p * d + k] - mean) / d;
      for (int k = 0; k < d; ++k) {
        x[p * d + k] = (x[p * d + k] - mean) / std::sqrt(var + c.layer_norm_eps) * g[k] + b[k];
      }
    }
  };
  auto linear = [&](const std::vector<double>& x, int in, const std::vector<float>& weight,
                    const std::vector<float>& bias, int out) {
    std::vector<double> y(static_cast<size_t>(n) * out);
    for (int p = 0; p < n; ++p) {
      for (int o = 0; o < out; ++o) {
        double sum = bias[o];
        for (int k = 0; k < in; ++k) sum += x[p * in + k] * weight[o * in + k];
        y[p * out + o] = sum;
      }
    }
    return y;
  };
  std::vector<double> x(static_cast<size_t>(n) * d);
  for (int p = 0; p < n; ++p) {
    for (int k = 0; k < d; ++k) {
      x[p * d + k] = w.word[ids[p] * d + k] + w.position[p * d + k] + w.token_type[k];
    }
  }
  layer_norm(x, w.embed_norm_weight, w.embed_norm_bias);
  for (const BertLayerWeights& layer : w.layers) {
    auto q = linear(x, d, layer.query_weight, layer.query_bias, d);
    auto k = linear(x, d, layer.key_weight, layer.key_bias, d);
    auto v = linear(x, d, layer.value_weight, layer.value_bias, d);
    std::vector<double> attended(static_cast<size_t>(n) * d, 0.0);
    for (int h = 0; h < c.heads; ++h) {
      for (int t = 0; t < n; ++t) {
        std::vector<double> scores(n);
        double max = -1e300, total = 0;
        for (int s = 0; s < n; ++s) {
          double dot = 0;
          for (int j = 0; j < head_dim; ++j) dot += q[t * d + h * head_dim + j] * k[s * d + h * head_dim + j];
          scores[s] = dot / std::sqrt(static_cast<double>(head_dim));
          max = std::max(max, scores[s]);
        }
        for (int s = 0; s < n; ++s) total += (scores[s] = std::exp(scores[s] - max));
        for (int s = 0; s < n; ++s) {
          for (int j = 0; j < head_dim; ++j) {
            attended[t * d + h * head_dim + j] += scores[s] / total * v[s * d + h * head_dim + j];
          }
        }
      }
    }
    auto projected = linear(attended, d, layer.attention_out_weight, layer.attention_out_bias, d);
    for (size_t idx = 0; idx < x.size(); ++idx) x[idx] += projected[idx];
    layer_norm(x, layer.attention_norm_weight, layer.attention_norm_bias);
    auto inner = linear(x, d, layer.intermediate_weight, layer.intermediate_bias, inter);
    for (double& value : inner) value = 0.5 * value * (1.0 + std::erf(value / std::sqrt(2.0)));
    auto out = linear(inner, inter, layer.output_weight, layer.output_bias, d);
    for (size_t idx = 0; idx < x.size(); ++idx) x[idx] += out[idx];
    layer_norm(x, layer.output_norm_weight, layer.output_norm_bias);
  }
  return x;
}

TEST(BertEncoderTest, MatchesTheReferenceForward) {
  BertWeights weights = RandomBertWeights(TinyBertConfig(), 7);
  auto encoder = BertEncoder::Create(weights);
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  for (const std::vector<int32_t>& ids :
       {std::vector<int32_t>{2}, std::vector<int32_t>{2, 7, 9, 3},
        std::vector<int32_t>{2, 5, 6, 7, 8, 9, 10, 11, 5, 3}}) {
    std::vector<float> hidden;
    ASSERT_TRUE(encoder->Forward(ids, &hidden).ok());
    const std::vector<double> expected = ReferenceForward(weights, ids);
    ASSERT_EQ(hidden.size(), expected.size());
    for (size_t idx = 0; idx < expected.size(); ++idx) {
      EXPECT_NEAR(hidden[idx], expected[idx], 2e-4) << "length " << ids.size() << " at " << idx;
    }
  }
}

// With zero attention and feed-forward weights every layer is LayerNorm(x + 0): the output is
// LayerNorm(word + position + type). Word row [1, 3] normalises to [-1, 1] exactly.
TEST(BertEncoderTest, ZeroLayersKnownAnswer) {
  BertConfig config;
  config.vocab_size = 2;
  config.hidden = 2;
  config.layers = 1;
  config.heads = 1;
  config.intermediate = 2;
  config.max_positions = 2;
  config.type_vocab_size = 1;
  BertWeights weights = RandomBertWeights(config, 1);
  weights.word = {0.0f, 0.0f, 1.0f, 3.0f};
  weights.position = {0.0f, 0.0f, 0.5f, -0.5f};
  weights.token_type = {0.0f, 0.0f};
  for (auto* zero : {&weights.layers[0].query_weight, &weights.layers[0].key_weight,
                     &weights.layers[0].value_weight, &weights.layers[0].attention_out_weight,
                     &weights.layers[0].attention_out_bias, &weights.layers[0].output_weight,
                     &weights.layers[0].output_bias}) {
    std::fill(zero->begin(), zero->end(), 0.0f);
  }
  for (BertTensorRef& ref : BertTensorRefs(&weights)) {
    if (ref.name.find("LayerNorm") == std::string::npos) continue;
    std::fill(ref.values->begin(), ref.values->end(), ref.name.ends_with(".weight") ? 1.0f : 0.0f);
  }
  auto encoder = BertEncoder::Create(weights);
  ASSERT_TRUE(encoder.ok());
  std::vector<float> hidden;
  ASSERT_TRUE(encoder->Forward(std::vector<int32_t>{1, 1}, &hidden).ok());
  // Position 0: [1, 3] -> [-1, 1]; position 1: [1.5, 2.5] -> [-1, 1].
  EXPECT_THAT(hidden, ::testing::Pointwise(::testing::FloatNear(1e-5), {-1.0f, 1.0f, -1.0f, 1.0f}));
  std::vector<float> pooled(2);
  ASSERT_TRUE(encoder->Embed(std::vector<int32_t>{1, 1}, BertPooling::kMean, true, pooled).ok());
  EXPECT_NEAR(pooled[0], -std::sqrt(0.5f), 1e-5);
  EXPECT_NEAR(pooled[1], std::sqrt(0.5f), 1e-5);
}

TEST(BertEncoderTest, MeanAndClsPoolingReadTheLastLayer) {
  auto encoder = BertEncoder::Create(RandomBertWeights(TinyBertConfig(), 3));
  ASSERT_TRUE(encoder.ok());
  const std::vector<int32_t> ids = {2, 8, 9, 3};
  std::vector<float> hidden;
  ASSERT_TRUE(encoder->Forward(ids, &hidden).ok());
  const int d = encoder->dim();
  std::vector<float> mean(d), cls(d);
  ASSERT_TRUE(encoder->Embed(ids, BertPooling::kMean, false, mean).ok());
  ASSERT_TRUE(encoder->Embed(ids, BertPooling::kCls, false, cls).ok());
  for (int k = 0; k < d; ++k) {
    float sum = 0.0f;
    for (int p = 0; p < 4; ++p) sum += hidden[p * d + k];
    EXPECT_NEAR(mean[k], sum / 4, 1e-5);
    EXPECT_NEAR(cls[k], hidden[k], 1e-5);  // the matrix products may split differently
  }
}

// Equal inputs give equal bits wherever the output, the caller's buffers and the weights lie
// and whichever thread runs: a saved and reloaded model must embed exactly as the original.
TEST(BertEncoderTest, EqualInputsGiveEqualBitsAnywhereInMemory) {
  BertConfig config = TinyBertConfig();
  config.hidden = 48;
  config.heads = 4;
  config.intermediate = 80;
  const BertWeights weights = RandomBertWeights(config, 5);
  const std::vector<int32_t> ids = {2, 8, 9, 3, 7};
  auto first = BertEncoder::Create(weights);
  ASSERT_TRUE(first.ok());
  std::vector<float> expected(config.hidden);
  ASSERT_TRUE(first->Embed(ids, BertPooling::kMean, true, expected).ok());
  std::vector<float> expected_hidden;
  ASSERT_TRUE(first->Forward(ids, &expected_hidden).ok());

  std::vector<std::vector<float>> spacers;
  for (int copy = 0; copy < 6; ++copy) {
    spacers.emplace_back(static_cast<size_t>(1 + 3 * copy));  // shifts the next allocations
    auto encoder = BertEncoder::Create(weights);
    ASSERT_TRUE(encoder.ok());
    std::vector<float> buffer(config.hidden + 16);
    for (int offset = 0; offset < 16; ++offset) {
      std::span<float> out(buffer.data() + offset, static_cast<size_t>(config.hidden));
      ASSERT_TRUE(encoder->Embed(ids, BertPooling::kMean, true, out).ok());
      for (int col = 0; col < config.hidden; ++col) {
        ASSERT_EQ(out[col], expected[col]) << "copy " << copy << " offset " << offset;
      }
    }
    std::vector<float> hidden;
    std::thread other([&] { ASSERT_TRUE(encoder->Forward(ids, &hidden).ok()); });
    other.join();
    ASSERT_EQ(hidden, expected_hidden) << "copy " << copy << " on another thread";
  }
}

TEST(BertEncoderTest, BadInputsAreNamed) {
  BertConfig config = TinyBertConfig();
  auto encoder = BertEncoder::Create(RandomBertWeights(config, 3));
  ASSERT_TRUE(encoder.ok());
  std::vector<float> hidden;
  EXPECT_THAT(encoder->Forward({}, &hidden), StatusIs(StatusCode::kInvalidArgument, HasSubstr("no tokens")));
  EXPECT_THAT(encoder->Forward(std::vector<int32_t>{2, config.vocab_size}, &hidden),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("outside the vocabulary")));
  EXPECT_THAT(encoder->Forward(std::vector<int32_t>(config.max_positions + 1, 5), &hidden),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("at most 10")));
  std::vector<float> small(3);
  EXPECT_THAT(encoder->Embed(std::vector<int32_t>{2}, BertPooling::kMean, true, small),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("width")));

  BertWeights bad = RandomBertWeights(config, 3);
  bad.layers[1].intermediate_bias.pop_back();
  EXPECT_THAT(BertEncoder::Create(bad).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("encoder.layer.1.intermediate.dense.bias: expected 16")));
  config.heads = 3;
  EXPECT_THAT(BertEncoder::Create(RandomBertWeights(config, 3)).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("num_attention_heads")));
}

}  // namespace
}  // namespace tailor
