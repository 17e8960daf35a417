#include "text/bert_encoder.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "models/neural/dense_kernels.h"

namespace tailor {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using StridedMatrixMap = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// Bounds that keep every size product far from overflow and reject garbage configs early.
constexpr int32_t kMaxWidth = 1 << 15;
constexpr int32_t kMaxVocab = 1 << 22;
constexpr int32_t kMaxLayers = 256;

Status CheckRange(const char* field, int64_t value, int64_t low, int64_t high) {
  if (value >= low && value <= high) return OkStatus();
  return InvalidArgumentError(std::string(field) + ": must be in [" + std::to_string(low) + ", " +
                              std::to_string(high) + "], got " + std::to_string(value));
}

// y = x W^T + b for all rows: y starts as the bias, the GEMM accumulates into it.
void Linear(const MatrixMap& x, const std::vector<float>& weight, const std::vector<float>& bias,
            MatrixMap& y) {
  for (Eigen::Index row = 0; row < y.rows(); ++row) {
    std::copy(bias.begin(), bias.end(), y.row(row).data());
  }
  y.noalias() += x * ConstMatrixMap(weight.data(), y.cols(), x.cols()).transpose();
}

void AddToRows(MatrixMap& m, const std::vector<float>& bias) {
  const ConstArrayMap add(bias.data(), m.cols());
  for (Eigen::Index row = 0; row < m.rows(); ++row) ArrayMap(m.row(row).data(), m.cols()) += add;
}

}  // namespace

std::vector<BertTensorRef> BertTensorRefs(BertWeights* weights) {
  const BertConfig& config = weights->config;
  const int64_t d = config.hidden, inter = config.intermediate;
  std::vector<BertTensorRef> refs = {
      {"embeddings.word_embeddings.weight", {config.vocab_size, d}, &weights->word},
      {"embeddings.position_embeddings.weight", {config.max_positions, d}, &weights->position},
      {"embeddings.token_type_embeddings.weight", {config.type_vocab_size, d}, &weights->token_type},
      {"embeddings.LayerNorm.weight", {d}, &weights->embed_norm_weight},
      {"embeddings.LayerNorm.bias", {d}, &weights->embed_norm_bias}};
  for (size_t layer_idx = 0; layer_idx < weights->layers.size(); ++layer_idx) {
    BertLayerWeights& layer = weights->layers[layer_idx];
    const std::string prefix = "encoder.layer." + std::to_string(layer_idx) + ".";
    auto add = [&](const std::string& name, std::vector<int64_t> shape, std::vector<float>* values) {
      refs.push_back({prefix + name, std::move(shape), values});
    };
    add("attention.self.query.weight", {d, d}, &layer.query_weight);
    add("attention.self.query.bias", {d}, &layer.query_bias);
    add("attention.self.key.weight", {d, d}, &layer.key_weight);
    add("attention.self.key.bias", {d}, &layer.key_bias);
    add("attention.self.value.weight", {d, d}, &layer.value_weight);
    add("attention.self.value.bias", {d}, &layer.value_bias);
    add("attention.output.dense.weight", {d, d}, &layer.attention_out_weight);
    add("attention.output.dense.bias", {d}, &layer.attention_out_bias);
    add("attention.output.LayerNorm.weight", {d}, &layer.attention_norm_weight);
    add("attention.output.LayerNorm.bias", {d}, &layer.attention_norm_bias);
    add("intermediate.dense.weight", {inter, d}, &layer.intermediate_weight);
    add("intermediate.dense.bias", {inter}, &layer.intermediate_bias);
    add("output.dense.weight", {d, inter}, &layer.output_weight);
    add("output.dense.bias", {d}, &layer.output_bias);
    add("output.LayerNorm.weight", {d}, &layer.output_norm_weight);
    add("output.LayerNorm.bias", {d}, &layer.output_norm_bias);
  }
  return refs;
}

Status ValidateBertConfig(const BertConfig& config) {
  RETURN_IF_ERROR(CheckRange("vocab_size", config.vocab_size, 1, kMaxVocab));
  RETURN_IF_ERROR(CheckRange("hidden_size", config.hidden, 1, kMaxWidth));
  RETURN_IF_ERROR(CheckRange("num_hidden_layers", config.layers, 1, kMaxLayers));
  RETURN_IF_ERROR(CheckRange("num_attention_heads", config.heads, 1, config.hidden));
  if (config.hidden % config.heads != 0) {
    return InvalidArgumentError("num_attention_heads: " + std::to_string(config.heads) +
                                " does not divide hidden_size " + std::to_string(config.hidden));
  }
  RETURN_IF_ERROR(CheckRange("intermediate_size", config.intermediate, 1, 4 * kMaxWidth));
  RETURN_IF_ERROR(CheckRange("max_position_embeddings", config.max_positions, 2, kMaxWidth));
  RETURN_IF_ERROR(CheckRange("type_vocab_size", config.type_vocab_size, 1, 1024));
  if (!(config.layer_norm_eps > 0.0f) || !std::isfinite(config.layer_norm_eps)) {
    return InvalidArgumentError("layer_norm_eps: must be positive and finite");
  }
  return OkStatus();
}

StatusOr<BertEncoder> BertEncoder::Create(BertWeights weights) {
  RETURN_IF_ERROR(ValidateBertConfig(weights.config));
  if (static_cast<int32_t>(weights.layers.size()) != weights.config.layers) {
    return InvalidArgumentError("layers: config says " + std::to_string(weights.config.layers) +
                                ", weights have " + std::to_string(weights.layers.size()));
  }
  for (const BertTensorRef& ref : BertTensorRefs(&weights)) {
    int64_t expected = 1;
    for (int64_t extent : ref.shape) expected *= extent;
    if (static_cast<int64_t>(ref.values->size()) != expected) {
      return InvalidArgumentError(ref.name + ": expected " + std::to_string(expected) +
                                  " floats, got " + std::to_string(ref.values->size()));
    }
  }
  return BertEncoder(std::move(weights));
}

StatusOr<const float*> BertEncoder::ForwardInScratch(std::span<const int32_t> ids) const {
  const BertConfig& config = weights_.config;
  const int32_t length = static_cast<int32_t>(ids.size());
  if (length == 0) return InvalidArgumentError("text encoder: no tokens");
  if (length > config.max_positions) {
    return InvalidArgumentError("text encoder: " + std::to_string(length) + " tokens, at most " +
                                std::to_string(config.max_positions));
  }
  for (int32_t id : ids) {
    if (id < 0 || id >= config.vocab_size) {
      return InvalidArgumentError("text encoder: token id " + std::to_string(id) +
                                  " outside the vocabulary of " + std::to_string(config.vocab_size));
    }
  }
  const int32_t dim = config.hidden;
  const int32_t head_dim = dim / config.heads;
  const int64_t rows = length;
  const int64_t score_stride = PadToSimd(length);
  const float score_scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  thread_local std::vector<float> buffer;
  Carver carver(buffer, {rows * dim, rows * dim, rows * dim, rows * dim, rows * score_stride,
                         rows * dim, rows * config.intermediate});
  MatrixMap x(carver.Next(), length, dim);
  MatrixMap queries(carver.Next(), length, dim);
  MatrixMap keys(carver.Next(), length, dim);
  MatrixMap values(carver.Next(), length, dim);
  float* score_data = carver.Next();
  MatrixMap attended(carver.Next(), length, dim);
  MatrixMap inner(carver.Next(), length, config.intermediate);

  const ConstArrayMap token_type(weights_.token_type.data(), dim);
  for (int32_t pos_idx = 0; pos_idx < length; ++pos_idx) {
    ArrayMap(x.row(pos_idx).data(), dim) =
        ConstArrayMap(weights_.word.data() + static_cast<size_t>(ids[pos_idx]) * dim, dim) +
        ConstArrayMap(weights_.position.data() + static_cast<size_t>(pos_idx) * dim, dim) +
        token_type;
  }
  const float eps = config.layer_norm_eps;
  LayerNormRows(x.data(), weights_.embed_norm_weight.data(), weights_.embed_norm_bias.data(),
                length, dim, eps, x.data());

  for (const BertLayerWeights& layer : weights_.layers) {
    Linear(x, layer.query_weight, layer.query_bias, queries);
    Linear(x, layer.key_weight, layer.key_bias, keys);
    Linear(x, layer.value_weight, layer.value_bias, values);
    for (int32_t head_idx = 0; head_idx < config.heads; ++head_idx) {
      const int32_t offset = head_idx * head_dim;
      StridedMatrixMap scores(score_data, length, length, Eigen::OuterStride<>(score_stride));
      scores.noalias() = (queries.middleCols(offset, head_dim) *
                          keys.middleCols(offset, head_dim).transpose()) *
                         score_scale;
      for (int32_t pos_idx = 0; pos_idx < length; ++pos_idx) {
        MaskedSoftmax(score_data + pos_idx * score_stride, length, score_stride);
      }
      attended.middleCols(offset, head_dim).noalias() = scores * values.middleCols(offset, head_dim);
    }
    AddToRows(x, layer.attention_out_bias);
    x.noalias() += attended * ConstMatrixMap(layer.attention_out_weight.data(), dim, dim).transpose();
    LayerNormRows(x.data(), layer.attention_norm_weight.data(), layer.attention_norm_bias.data(),
                  length, dim, eps, x.data());
    Linear(x, layer.intermediate_weight, layer.intermediate_bias, inner);
    GeluInPlace(inner.data(), rows * config.intermediate);
    AddToRows(x, layer.output_bias);
    x.noalias() += inner * ConstMatrixMap(layer.output_weight.data(), dim, config.intermediate).transpose();
    LayerNormRows(x.data(), layer.output_norm_weight.data(), layer.output_norm_bias.data(), length,
                  dim, eps, x.data());
  }
  return static_cast<const float*>(x.data());
}

Status BertEncoder::Forward(std::span<const int32_t> ids, std::vector<float>* hidden) const {
  ASSIGN_OR_RETURN(const float* states, ForwardInScratch(ids));
  hidden->assign(states, states + ids.size() * static_cast<size_t>(dim()));
  return OkStatus();
}

Status BertEncoder::Embed(std::span<const int32_t> ids, BertPooling pooling, bool normalize,
                          std::span<float> out) const {
  if (static_cast<int32_t>(out.size()) != dim()) {
    return InvalidArgumentError("text encoder: output holds " + std::to_string(out.size()) +
                                " floats, the width is " + std::to_string(dim()));
  }
  ASSIGN_OR_RETURN(const float* states, ForwardInScratch(ids));
  const size_t width = out.size();
  if (pooling == BertPooling::kCls) {
    std::copy(states, states + width, out.begin());
  } else {
    // Plain loops in a fixed order: the result must not depend on where `out` lies in memory.
    std::fill(out.begin(), out.end(), 0.0f);
    for (size_t pos_idx = 0; pos_idx < ids.size(); ++pos_idx) {
      const float* row = states + pos_idx * width;
      for (size_t col = 0; col < width; ++col) out[col] += row[col];
    }
    const float count = static_cast<float>(ids.size());
    for (float& value : out) value /= count;
  }
  if (normalize) {
    float squares = 0.0f;
    for (float value : out) squares += value * value;
    const float norm = std::sqrt(squares);
    if (norm > 0.0f) {
      for (float& value : out) value /= norm;
    }
  }
  return OkStatus();
}

}  // namespace tailor
