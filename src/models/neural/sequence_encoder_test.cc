#include "models/neural/sequence_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

// ---------------------------------------------------------------------------------------
// Fixtures: random weights and an independent double-precision reference that applies the
// header's formulas literally (every position of every layer, no shortcuts).

std::vector<float> Random(size_t n, std::mt19937_64& rng, float stddev, float mean = 0.0f) {
  std::normal_distribution<float> normal(mean, stddev);
  std::vector<float> values(n);
  for (float& value : values) value = normal(rng);
  return values;
}

FactorMatrix RandomItems(int32_t num_items, int32_t dim, uint64_t seed) {
  FactorMatrix items(num_items, dim);
  items.FillNormal(0.5f, seed);
  return items;
}

SequenceEncoderWeights RandomTransformer(int32_t dim, int32_t heads, int32_t layers,
                                         int32_t ffn_dim, int32_t max_len, int32_t num_items,
                                         uint64_t seed) {
  std::mt19937_64 rng(seed);
  SequenceEncoderWeights w;
  w.arch = SequenceArch::kTransformer;
  w.dim = dim;
  w.heads = heads;
  w.max_len = max_len;
  w.ffn_dim = ffn_dim;
  w.embed_scale = 1.5f;
  w.items = RandomItems(num_items, dim, seed + 1);
  w.positions = Random(static_cast<size_t>(max_len) * dim, rng, 0.3f);
  const float weight_std = 1.0f / std::sqrt(static_cast<float>(dim));
  for (int32_t layer_idx = 0; layer_idx < layers; ++layer_idx) {
    TransformerLayerWeights layer;
    layer.norm1_weight = Random(dim, rng, 0.2f, 1.0f);
    layer.norm1_bias = Random(dim, rng, 0.1f);
    layer.qkv_weight = Random(3 * dim * dim, rng, weight_std);
    layer.qkv_bias = Random(3 * dim, rng, 0.1f);
    layer.out_weight = Random(dim * dim, rng, weight_std);
    layer.out_bias = Random(dim, rng, 0.1f);
    layer.norm2_weight = Random(dim, rng, 0.2f, 1.0f);
    layer.norm2_bias = Random(dim, rng, 0.1f);
    layer.ffn1_weight = Random(ffn_dim * dim, rng, weight_std);
    layer.ffn1_bias = Random(ffn_dim, rng, 0.1f);
    layer.ffn2_weight = Random(dim * ffn_dim, rng, 1.0f / std::sqrt(static_cast<float>(ffn_dim)));
    layer.ffn2_bias = Random(dim, rng, 0.1f);
    w.transformer.push_back(std::move(layer));
  }
  w.final_norm_weight = Random(dim, rng, 0.2f, 1.0f);
  w.final_norm_bias = Random(dim, rng, 0.1f);
  return w;
}

SequenceEncoderWeights RandomGru(int32_t dim, int32_t layers, int32_t max_len, int32_t num_items,
                                 uint64_t seed) {
  std::mt19937_64 rng(seed);
  SequenceEncoderWeights w;
  w.arch = SequenceArch::kGru;
  w.dim = dim;
  w.max_len = max_len;
  w.embed_scale = 1.25f;
  w.items = RandomItems(num_items, dim, seed + 1);
  const float weight_std = 1.0f / std::sqrt(static_cast<float>(dim));
  for (int32_t layer_idx = 0; layer_idx < layers; ++layer_idx) {
    GruLayerWeights layer;
    layer.ih_weight = Random(3 * dim * dim, rng, weight_std);
    layer.hh_weight = Random(3 * dim * dim, rng, weight_std);
    layer.ih_bias = Random(3 * dim, rng, 0.2f);
    layer.hh_bias = Random(3 * dim, rng, 0.2f);
    w.gru.push_back(std::move(layer));
  }
  w.final_norm_weight = Random(dim, rng, 0.2f, 1.0f);
  w.final_norm_bias = Random(dim, rng, 0.1f);
  return w;
}

using Vec = std::vector<double>;

// y = W x + b for W row-major [out][in] with out = W.size() / x.size().
Vec Linear(const std::vector<float>& weight, const std::vector<float>& bias, const Vec& x) {
  const size_t in = x.size();
  const size_t out = weight.size() / in;
  Vec y(out);
  for (size_t row = 0; row < out; ++row) {
    double sum = bias[row];
    for (size_t col = 0; col < in; ++col)
      sum += static_cast<double>(weight[row * in + col]) * x[col];
    y[row] = sum;
  }
  return y;
}

Vec RefLayerNorm(const Vec& x, const std::vector<float>& weight, const std::vector<float>& bias) {
  double mean = 0.0;
  for (double value : x) mean += value;
  mean /= x.size();
  double variance = 0.0;
  for (double value : x) variance += (value - mean) * (value - mean);
  variance /= x.size();
  Vec y(x.size());
  for (size_t idx = 0; idx < x.size(); ++idx) {
    y[idx] = (x[idx] - mean) / std::sqrt(variance + 1e-5) * weight[idx] + bias[idx];
  }
  return y;
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::vector<int32_t> LastValid(const SequenceEncoderWeights& w, std::vector<int32_t> history) {
  std::erase_if(history, [&](int32_t item) { return item < 0 || item >= w.items.rows(); });
  if (history.size() > static_cast<size_t>(w.max_len)) {
    history.erase(history.begin(), history.end() - w.max_len);
  }
  return history;
}

Vec ReferenceTransformer(const SequenceEncoderWeights& w, const std::vector<int32_t>& full) {
  const std::vector<int32_t> history = LastValid(w, full);
  const size_t length = history.size();
  const size_t dim = w.dim;
  const size_t head_dim = dim / w.heads;
  std::vector<Vec> e(length, Vec(dim));
  for (size_t t = 0; t < length; ++t) {
    for (size_t j = 0; j < dim; ++j) {
      e[t][j] = static_cast<double>(w.items.row(history[t])[j]) * w.embed_scale +
                w.positions[t * dim + j];
    }
  }
  for (const TransformerLayerWeights& layer : w.transformer) {
    std::vector<Vec> qkv(length);
    for (size_t t = 0; t < length; ++t) {
      qkv[t] = Linear(layer.qkv_weight, layer.qkv_bias,
                      RefLayerNorm(e[t], layer.norm1_weight, layer.norm1_bias));
    }
    std::vector<Vec> attended(length, Vec(dim, 0.0));
    for (int32_t head = 0; head < w.heads; ++head) {
      const size_t offset = head * head_dim;
      for (size_t t = 0; t < length; ++t) {
        Vec scores(t + 1);
        for (size_t s = 0; s <= t; ++s) {
          double dot = 0.0;
          for (size_t j = 0; j < head_dim; ++j)
            dot += qkv[t][offset + j] * qkv[s][dim + offset + j];
          scores[s] = dot / std::sqrt(static_cast<double>(head_dim));
        }
        const double max = *std::max_element(scores.begin(), scores.end());
        double total = 0.0;
        for (double& score : scores) total += (score = std::exp(score - max));
        for (size_t s = 0; s <= t; ++s) {
          for (size_t j = 0; j < head_dim; ++j) {
            attended[t][offset + j] += scores[s] / total * qkv[s][2 * dim + offset + j];
          }
        }
      }
    }
    for (size_t t = 0; t < length; ++t) {
      const Vec projected = Linear(layer.out_weight, layer.out_bias, attended[t]);
      for (size_t j = 0; j < dim; ++j) e[t][j] += projected[j];
      Vec hidden = Linear(layer.ffn1_weight, layer.ffn1_bias,
                          RefLayerNorm(e[t], layer.norm2_weight, layer.norm2_bias));
      for (double& value : hidden) value = 0.5 * value * (1.0 + std::erf(value / std::sqrt(2.0)));
      const Vec ffn = Linear(layer.ffn2_weight, layer.ffn2_bias, hidden);
      for (size_t j = 0; j < dim; ++j) e[t][j] += ffn[j];
    }
  }
  return RefLayerNorm(e[length - 1], w.final_norm_weight, w.final_norm_bias);
}

Vec ReferenceGru(const SequenceEncoderWeights& w, const std::vector<int32_t>& full) {
  const std::vector<int32_t> history = LastValid(w, full);
  const size_t length = history.size();
  const size_t dim = w.dim;
  std::vector<Vec> x(length, Vec(dim));
  for (size_t t = 0; t < length; ++t) {
    for (size_t j = 0; j < dim; ++j) {
      x[t][j] = static_cast<double>(w.items.row(history[t])[j]) * w.embed_scale;
    }
  }
  for (const GruLayerWeights& layer : w.gru) {
    Vec state(dim, 0.0);
    for (size_t t = 0; t < length; ++t) {
      const Vec gi = Linear(layer.ih_weight, layer.ih_bias, x[t]);
      const Vec gh = Linear(layer.hh_weight, layer.hh_bias, state);
      for (size_t j = 0; j < dim; ++j) {
        const double r = Sigmoid(gi[j] + gh[j]);
        const double z = Sigmoid(gi[dim + j] + gh[dim + j]);
        const double n = std::tanh(gi[2 * dim + j] + r * gh[2 * dim + j]);
        state[j] = (1.0 - z) * n + z * state[j];
      }
      x[t] = state;
    }
  }
  return RefLayerNorm(x[length - 1], w.final_norm_weight, w.final_norm_bias);
}

Vec Reference(const SequenceEncoderWeights& w, const std::vector<int32_t>& history) {
  return w.arch == SequenceArch::kTransformer ? ReferenceTransformer(w, history)
                                              : ReferenceGru(w, history);
}

std::vector<float> EncodeOrDie(const SequenceEncoder& encoder,
                               const std::vector<int32_t>& history) {
  std::vector<float> out(encoder.dim(), -1.0f);
  EXPECT_TRUE(encoder.Encode(history, out));
  return out;
}

void ExpectNear(const std::vector<float>& actual, const Vec& expected, double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t idx = 0; idx < actual.size(); ++idx) {
    EXPECT_NEAR(actual[idx], expected[idx], tolerance) << "component " << idx;
  }
}

std::vector<int32_t> RandomHistory(size_t length, int32_t num_items, std::mt19937_64& rng) {
  std::uniform_int_distribution<int32_t> item(0, num_items - 1);
  std::vector<int32_t> history(length);
  for (int32_t& item_idx : history) item_idx = item(rng);
  return history;
}

double MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0.0;
  for (size_t idx = 0; idx < a.size(); ++idx)
    diff = std::max(diff, std::fabs(double{a[idx]} - b[idx]));
  return diff;
}

// ---------------------------------------------------------------------------------------
// Known answers.

// LayerNorm of a 2-vector (a, b) with unit weight, zero bias is (s, -s) * Nu(a - b), s the
// sign of a - b.
double Nu(double delta) { return std::fabs(delta) / 2.0 / std::sqrt(delta * delta / 4.0 + 1e-5); }

// dim 2, one head, one layer, ffn_dim 1, max_len 2, embed_scale 2, zero positions.
// items: 0 = (1, 0), 1 = (0, 1), 2 = (0.25, 0.5). For the history [0, 1]:
//   e_0 = (2, 0), e_1 = (0, 2); LayerNorm1 -> a_0 = (v, -v), a_1 = (-v, v), v = Nu(2).
//   W_q = W_k = [[1, 0], [0, 0]], W_v = I, zero biases: scores of the last position are
//   -v^2 / sqrt(2) (s = 0) and v^2 / sqrt(2) (s = 1), so p_1 = sigmoid(sqrt(2) v^2) and
//   o = p_0 a_0 + p_1 a_1 = -(2 p_1 - 1) v (1, -1).
//   W_out = I, b_out = (2.4, 0): e_1 = (2.4 - (2 p_1 - 1) v, 2 + (2 p_1 - 1) v).
//   W_1 = 0, b_1 = 1, W_2 = (0.5, -0.5)^T: e_1 += GELU(1) (0.5, -0.5).
//   delta = e_1[0] - e_1[1] = 0.4 - 2 (2 p_1 - 1) v + GELU(1) ~ 0.024 > 0, small enough that
//   the final LayerNorm (weight (1, 2), bias (0, 0.5)) still depends on it:
//   h = (Nu(delta), 0.5 - 2 Nu(delta)).
SequenceEncoderWeights HandTransformer() {
  SequenceEncoderWeights w;
  w.arch = SequenceArch::kTransformer;
  w.dim = 2;
  w.heads = 1;
  w.max_len = 2;
  w.ffn_dim = 1;
  w.embed_scale = 2.0f;
  w.items = FactorMatrix(3, 2);
  w.items.row(0)[0] = 1.0f;
  w.items.row(1)[1] = 1.0f;
  w.items.row(2)[0] = 0.25f;
  w.items.row(2)[1] = 0.5f;
  w.positions = {0, 0, 0, 0};
  TransformerLayerWeights layer;
  layer.norm1_weight = {1, 1};
  layer.norm1_bias = {0, 0};
  layer.qkv_weight = {1, 0, 0, 0,   // q
                      1, 0, 0, 0,   // k
                      1, 0, 0, 1};  // v
  layer.qkv_bias = {0, 0, 0, 0, 0, 0};
  layer.out_weight = {1, 0, 0, 1};
  layer.out_bias = {2.4f, 0};
  layer.norm2_weight = {1, 1};
  layer.norm2_bias = {0, 0};
  layer.ffn1_weight = {0, 0};
  layer.ffn1_bias = {1};
  layer.ffn2_weight = {0.5f, -0.5f};
  layer.ffn2_bias = {0, 0};
  w.transformer.push_back(layer);
  w.final_norm_weight = {1, 2};
  w.final_norm_bias = {0, 0.5f};
  return w;
}

TEST(SequenceEncoderTest, TransformerKnownAnswer) {
  const SequenceEncoderWeights weights = HandTransformer();
  auto encoder = SequenceEncoder::Create(weights);
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  const double v = Nu(2.0);
  const double p1 = Sigmoid(std::sqrt(2.0) * v * v);
  const double gelu1 = 0.5 * (1.0 + std::erf(1.0 / std::sqrt(2.0)));
  const double delta = double{2.4f} - 2.0 - 2.0 * (2.0 * p1 - 1.0) * v + gelu1;
  ASSERT_GT(delta, 0.01);
  ASSERT_LT(delta, 0.05);
  const Vec expected = {Nu(delta), 0.5 - 2.0 * Nu(delta)};
  ExpectNear(EncodeOrDie(*encoder, {0, 1}), expected, 1e-4);
  // max_len 2: the oldest item of [2, 0, 1] is never read.
  ExpectNear(EncodeOrDie(*encoder, {2, 0, 1}), expected, 1e-4);
  // The reference agrees with the hand derivation, so it can judge the random cases.
  const Vec reference = ReferenceTransformer(weights, {0, 1});
  EXPECT_NEAR(reference[0], expected[0], 1e-9);
  EXPECT_NEAR(reference[1], expected[1], 1e-9);
}

// dim 2, one layer, one step from the zero state, embed_scale 1, item 0 = (1, 0):
//   W_ir = I (r = (sigmoid(1), 1/2)), W_iz = 0 (z = (1/2, 1/2)), W_in = [[1, 0], [1, 0]],
//   b_hn = (0.2, 0.2), other biases 0: n_j = tanh(1 + 0.2 r_j); s = (1 - z) n = n / 2.
//   h = LayerNorm(s; weight (1, 2), bias (0, 0.5)) = (Nu(d), 0.5 - 2 Nu(d)), d = s_0 - s_1 > 0.
TEST(SequenceEncoderTest, GruKnownAnswer) {
  SequenceEncoderWeights w;
  w.arch = SequenceArch::kGru;
  w.dim = 2;
  w.max_len = 3;
  w.items = FactorMatrix(2, 2);
  w.items.row(0)[0] = 1.0f;
  GruLayerWeights layer;
  layer.ih_weight = {1, 0, 0, 1,                   // r
                     0, 0, 0, 0,                   // z
                     1, 0, 1, 0};                  // n
  layer.hh_weight = std::vector<float>(12, 0.7f);  // multiplies the zero state only
  layer.ih_bias = {0, 0, 0, 0, 0, 0};
  layer.hh_bias = {0, 0, 0, 0, 0.2f, 0.2f};
  w.gru.push_back(layer);
  w.final_norm_weight = {1, 2};
  w.final_norm_bias = {0, 0.5f};
  auto encoder = SequenceEncoder::Create(w);
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  const double s0 = 0.5 * std::tanh(1.0 + double{0.2f} * Sigmoid(1.0));
  const double s1 = 0.5 * std::tanh(1.0 + double{0.2f} * 0.5);
  const double delta = s0 - s1;
  ASSERT_GT(delta, 0.002);
  const Vec expected = {Nu(delta), 0.5 - 2.0 * Nu(delta)};
  ExpectNear(EncodeOrDie(*encoder, {0}), expected, 1e-4);
  const Vec reference = ReferenceGru(w, {0});
  EXPECT_NEAR(reference[0], expected[0], 1e-9);
  EXPECT_NEAR(reference[1], expected[1], 1e-9);
}

// ---------------------------------------------------------------------------------------
// Random weights against the reference.

struct TransformerShape {
  int32_t heads;
  int32_t layers;
};

class SequenceEncoderTransformerTest : public ::testing::TestWithParam<TransformerShape> {};

TEST_P(SequenceEncoderTransformerTest, MatchesReference) {
  constexpr int32_t kMaxLen = 6;
  constexpr int32_t kNumItems = 30;
  const SequenceEncoderWeights weights =
      RandomTransformer(8, GetParam().heads, GetParam().layers, 16, kMaxLen, kNumItems, 17);
  auto encoder = SequenceEncoder::Create(weights);
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  std::mt19937_64 rng(5);
  for (size_t length : {1, 3, kMaxLen, kMaxLen + 5}) {
    for (int trial = 0; trial < 4; ++trial) {
      const std::vector<int32_t> history = RandomHistory(length, kNumItems, rng);
      SCOPED_TRACE("length " + std::to_string(length) + " trial " + std::to_string(trial));
      ExpectNear(EncodeOrDie(*encoder, history), ReferenceTransformer(weights, history), 1e-4);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SequenceEncoder, SequenceEncoderTransformerTest,
                         ::testing::Values(TransformerShape{2, 2}, TransformerShape{1, 1},
                                           TransformerShape{4, 3}),
                         [](const ::testing::TestParamInfo<TransformerShape>& info) {
                           return "Heads" + std::to_string(info.param.heads) + "Layers" +
                                  std::to_string(info.param.layers);
                         });

// Histories longer than one attention block (64 query rows) are attended block by block.
TEST(SequenceEncoderTest, LongTransformerHistoryMatchesReference) {
  constexpr int32_t kMaxLen = 150;
  constexpr int32_t kNumItems = 300;
  const SequenceEncoderWeights weights = RandomTransformer(8, 2, 2, 16, kMaxLen, kNumItems, 19);
  auto encoder = SequenceEncoder::Create(weights);
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  std::mt19937_64 rng(9);
  for (size_t length : {64, 65, 129, kMaxLen, kMaxLen + 30}) {
    const std::vector<int32_t> history = RandomHistory(length, kNumItems, rng);
    SCOPED_TRACE("length " + std::to_string(length));
    ExpectNear(EncodeOrDie(*encoder, history), ReferenceTransformer(weights, history), 1e-4);
  }
}

TEST(SequenceEncoderTest, GruMatchesReference) {
  constexpr int32_t kMaxLen = 6;
  constexpr int32_t kNumItems = 30;
  for (int32_t layers : {1, 2}) {
    const SequenceEncoderWeights weights = RandomGru(8, layers, kMaxLen, kNumItems, 23);
    auto encoder = SequenceEncoder::Create(weights);
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    std::mt19937_64 rng(7);
    for (size_t length : {1, 3, kMaxLen, kMaxLen + 5}) {
      for (int trial = 0; trial < 4; ++trial) {
        const std::vector<int32_t> history = RandomHistory(length, kNumItems, rng);
        SCOPED_TRACE("layers " + std::to_string(layers) + " length " + std::to_string(length));
        ExpectNear(EncodeOrDie(*encoder, history), ReferenceGru(weights, history), 1e-4);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Window, causality and input handling, for both architectures.

std::vector<SequenceEncoderWeights> BothArchitectures() {
  return {RandomTransformer(8, 2, 2, 16, 6, 30, 31), RandomGru(8, 2, 6, 30, 37)};
}

TEST(SequenceEncoderTest, EveryKeptItemMattersAndOlderOnesDoNot) {
  for (const SequenceEncoderWeights& weights : BothArchitectures()) {
    SCOPED_TRACE(weights.arch == SequenceArch::kTransformer ? "transformer" : "gru");
    auto encoder = SequenceEncoder::Create(weights);
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    const std::vector<int32_t> history = {3, 5, 7, 9, 11, 13, 15, 17, 19};  // 9 > max_len 6
    const std::vector<float> base = EncodeOrDie(*encoder, history);
    // Each of the last max_len items (oldest included) changes h.
    for (size_t pos_idx = 3; pos_idx < history.size(); ++pos_idx) {
      std::vector<int32_t> changed = history;
      changed[pos_idx] = 20;
      EXPECT_GT(MaxAbsDiff(EncodeOrDie(*encoder, changed), base), 1e-3) << "position " << pos_idx;
    }
    // Items before the window never do: bit-identical output.
    std::vector<int32_t> older_changed = history;
    older_changed[0] = 0;
    older_changed[1] = 29;
    older_changed[2] = 4;
    EXPECT_EQ(EncodeOrDie(*encoder, older_changed), base);
    EXPECT_EQ(EncodeOrDie(*encoder, {9, 11, 13, 15, 17, 19}), base);
    // Order matters: the same items reversed give another h.
    EXPECT_GT(MaxAbsDiff(EncodeOrDie(*encoder, {19, 17, 15, 13, 11, 9}), base), 1e-3);
  }
}

TEST(SequenceEncoderTest, UnknownItemsAreSkipped) {
  for (const SequenceEncoderWeights& weights : BothArchitectures()) {
    auto encoder = SequenceEncoder::Create(weights);
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    // Skipped before the window is taken: the window is the last 6 known items.
    EXPECT_EQ(EncodeOrDie(*encoder, {1, 2, -1, 3, 30, 4, 5, 1 << 30, 6}),
              EncodeOrDie(*encoder, {1, 2, 3, 4, 5, 6}));
    std::vector<float> out(8, 42.0f);
    EXPECT_FALSE(encoder->Encode(std::vector<int32_t>{-3, 30, 31}, out));
    EXPECT_FALSE(encoder->Encode({}, out));
    EXPECT_EQ(out, std::vector<float>(8, 42.0f));
    std::vector<float> wrong_size(7);
    EXPECT_FALSE(encoder->Encode(std::vector<int32_t>{1}, wrong_size));
  }
  std::vector<float> out;
  EXPECT_FALSE(SequenceEncoder().Encode(std::vector<int32_t>{0}, out));
}

TEST(SequenceEncoderTest, ConcurrentEncodesMatchSerial) {
  for (const SequenceEncoderWeights& weights : BothArchitectures()) {
    auto created = SequenceEncoder::Create(weights);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    const SequenceEncoder& encoder = *created;
    std::mt19937_64 rng(3);
    std::vector<std::vector<int32_t>> histories;
    std::vector<std::vector<float>> expected;
    for (size_t length = 1; length <= 12; ++length) {
      histories.push_back(RandomHistory(length, 30, rng));
      expected.push_back(EncodeOrDie(encoder, histories.back()));
    }
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
      threads.emplace_back([&, thread_idx] {
        std::vector<float> out(8);
        for (int round = 0; round < 50; ++round) {
          for (size_t idx = 0; idx < histories.size(); ++idx) {
            const size_t pick = (idx + thread_idx * 5) % histories.size();
            if (!encoder.Encode(histories[pick], out) || out != expected[pick]) {
              ++mismatches[thread_idx];
            }
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(mismatches, std::vector<int>(4, 0));
  }
}

// ---------------------------------------------------------------------------------------
// Validation.

void ExpectInvalid(const SequenceEncoderWeights& weights, const std::string& message) {
  EXPECT_THAT(SequenceEncoder::Create(weights),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr(message)));
}

TEST(SequenceEncoderTest, CreateNamesTheBadField) {
  const SequenceEncoderWeights transformer = RandomTransformer(8, 2, 2, 16, 6, 30, 41);
  const SequenceEncoderWeights gru = RandomGru(8, 2, 6, 30, 43);
  ASSERT_TRUE(SequenceEncoder::Create(transformer).ok());
  ASSERT_TRUE(SequenceEncoder::Create(gru).ok());

  SequenceEncoderWeights w = transformer;
  w.dim = 0;
  ExpectInvalid(w, "dim: must be in [1, 65536], got 0");
  w = transformer;
  w.heads = 3;
  ExpectInvalid(w, "heads: must be positive and divide dim 8, got 3");
  w = transformer;
  w.max_len = 0;
  ExpectInvalid(w, "max_len");
  w = transformer;
  w.ffn_dim = 0;
  ExpectInvalid(w, "ffn_dim");
  w = transformer;
  w.items = FactorMatrix(30, 7);
  ExpectInvalid(w, "items: expected 8 columns (dim), got 7");
  w = transformer;
  w.positions.resize(40);
  ExpectInvalid(w, "positions: expected 48 floats, got 40");
  w = transformer;
  w.transformer[1].qkv_weight.resize(100);
  ExpectInvalid(w, "transformer layer 1 qkv_weight: expected 192 floats, got 100");
  w = transformer;
  w.transformer[0].ffn1_weight.resize(8 * 15);
  ExpectInvalid(w, "transformer layer 0 ffn1_weight: expected 128 floats, got 120");
  w = transformer;
  w.transformer[1].norm2_bias.clear();
  ExpectInvalid(w, "transformer layer 1 norm2_bias: expected 8 floats, got 0");
  w = transformer;
  w.final_norm_bias.resize(9);
  ExpectInvalid(w, "final_norm_bias: expected 8 floats, got 9");
  w = transformer;
  w.transformer.clear();
  ExpectInvalid(w, "transformer: no layers");
  w = transformer;
  w.gru = gru.gru;
  ExpectInvalid(w, "gru: a transformer encoder has no gru layers");

  w = gru;
  w.gru[1].hh_bias.resize(5);
  ExpectInvalid(w, "gru layer 1 hh_bias: expected 24 floats, got 5");
  w = gru;
  w.gru[0].ih_weight.resize(10);
  ExpectInvalid(w, "gru layer 0 ih_weight: expected 192 floats, got 10");
  w = gru;
  w.gru.clear();
  ExpectInvalid(w, "gru: no layers");
  w = gru;
  w.positions = transformer.positions;
  ExpectInvalid(w, "positions: expected 0 floats, got 48");
  w = gru;
  w.final_norm_weight.clear();
  ExpectInvalid(w, "final_norm_weight: expected 8 floats, got 0");
  w = gru;
  w.arch = static_cast<SequenceArch>(7);
  ExpectInvalid(w, "arch: unknown value 7");
}

// ---------------------------------------------------------------------------------------
// Serialization.

TEST(SequenceEncoderTest, SaveLoadRoundTripIsBitIdentical) {
  for (const SequenceEncoderWeights& weights : BothArchitectures()) {
    auto encoder = SequenceEncoder::Create(weights);
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    BinaryWriter writer;
    encoder->Save(writer);
    BinaryReader reader(writer.buffer());
    SequenceEncoder loaded;
    ASSERT_TRUE(loaded.Load(reader).ok());
    EXPECT_EQ(reader.position(), reader.size());
    EXPECT_EQ(loaded.weights().arch, weights.arch);
    EXPECT_EQ(loaded.num_items(), 30);
    std::mt19937_64 rng(11);
    for (size_t length : {1, 4, 9}) {
      const std::vector<int32_t> history = RandomHistory(length, 30, rng);
      const std::vector<float> before = EncodeOrDie(*encoder, history);
      const std::vector<float> after = EncodeOrDie(loaded, history);
      EXPECT_EQ(std::memcmp(before.data(), after.data(), before.size() * sizeof(float)), 0);
    }
  }
}

TEST(SequenceEncoderTest, TruncatedPayloadIsDataLoss) {
  for (const SequenceEncoderWeights& weights : BothArchitectures()) {
    auto encoder = SequenceEncoder::Create(weights);
    ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
    BinaryWriter writer;
    encoder->Save(writer);
    const std::vector<uint8_t>& bytes = writer.buffer();
    for (size_t size = 0; size < bytes.size(); size += (size < 64 ? 1 : 7)) {
      BinaryReader reader(std::vector<uint8_t>(bytes.begin(), bytes.begin() + size));
      SequenceEncoder loaded;
      EXPECT_THAT(loaded.Load(reader), StatusIs(StatusCode::kDataLoss, ::testing::_))
          << "prefix of " << size << " bytes";
      EXPECT_EQ(loaded.dim(), 0);  // untouched on failure
    }
  }
}

TEST(SequenceEncoderTest, InconsistentPayloadIsDataLoss) {
  auto encoder = SequenceEncoder::Create(RandomTransformer(8, 2, 2, 16, 6, 30, 47));
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  BinaryWriter writer;
  encoder->Save(writer);
  // Layout: version, arch, dim, heads, ... (int32 each).
  auto corrupt = [&](size_t offset, int32_t value) {
    std::vector<uint8_t> bytes = writer.buffer();
    std::memcpy(bytes.data() + offset, &value, sizeof(value));
    BinaryReader reader(std::move(bytes));
    SequenceEncoder loaded;
    return loaded.Load(reader);
  };
  EXPECT_THAT(corrupt(0, 99), StatusIs(StatusCode::kDataLoss, HasSubstr("format version 99")));
  EXPECT_THAT(corrupt(4, 1), StatusIs(StatusCode::kDataLoss, HasSubstr("positions")));
  EXPECT_THAT(corrupt(8, 4), StatusIs(StatusCode::kDataLoss, HasSubstr("items")));
  EXPECT_THAT(corrupt(12, 3), StatusIs(StatusCode::kDataLoss, HasSubstr("heads")));
}

}  // namespace
}  // namespace tailor
