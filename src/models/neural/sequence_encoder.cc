#include "models/neural/sequence_encoder.h"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "models/neural/dense_kernels.h"

namespace tailor {
namespace {

// Every matrix is row-major [out][in] (torch.nn.Linear.weight); activations are row-major
// [position][feature], so y = x W^T + b is one GEMM over all positions.
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using VectorMap = Eigen::Map<Eigen::VectorXf>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;
using ConstRowVectorMap = Eigen::Map<const Eigen::RowVectorXf>;
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;

constexpr int32_t kFormatVersion = 1;
constexpr float kLayerNormEps = 1e-5f;  // torch.nn.LayerNorm's default
// Bounds that keep every size product far from overflow and reject garbage payloads early.
constexpr int32_t kMaxDim = 1 << 16;
constexpr int32_t kMaxLength = 1 << 16;
// Query rows per attention block: bounds the score buffer to kAttentionBlock x length floats.
constexpr int32_t kAttentionBlock = 64;
constexpr uint64_t kMaxLayers = 1024;

// Calls fn(name, vector, expected_floats) for every array of a layer, in file order.
template <typename Layer, typename Fn>
void VisitTransformerLayer(Layer& layer, int64_t dim, int64_t ffn_dim, Fn&& fn) {
  fn("norm1_weight", layer.norm1_weight, dim);
  fn("norm1_bias", layer.norm1_bias, dim);
  fn("qkv_weight", layer.qkv_weight, 3 * dim * dim);
  fn("qkv_bias", layer.qkv_bias, 3 * dim);
  fn("out_weight", layer.out_weight, dim * dim);
  fn("out_bias", layer.out_bias, dim);
  fn("norm2_weight", layer.norm2_weight, dim);
  fn("norm2_bias", layer.norm2_bias, dim);
  fn("ffn1_weight", layer.ffn1_weight, ffn_dim * dim);
  fn("ffn1_bias", layer.ffn1_bias, ffn_dim);
  fn("ffn2_weight", layer.ffn2_weight, dim * ffn_dim);
  fn("ffn2_bias", layer.ffn2_bias, dim);
}

template <typename Layer, typename Fn>
void VisitGruLayer(Layer& layer, int64_t dim, Fn&& fn) {
  fn("ih_weight", layer.ih_weight, 3 * dim * dim);
  fn("hh_weight", layer.hh_weight, 3 * dim * dim);
  fn("ih_bias", layer.ih_bias, 3 * dim);
  fn("hh_bias", layer.hh_bias, 3 * dim);
}

Status CheckSize(const std::vector<float>& values, int64_t expected, const std::string& field) {
  if (static_cast<int64_t>(values.size()) == expected) return OkStatus();
  return InvalidArgumentError(field + ": expected " + std::to_string(expected) + " floats, got " +
                              std::to_string(values.size()));
}

// Every shape the forward pass relies on; kInvalidArgument naming the first bad field.
Status Validate(const SequenceEncoderWeights& w) {
  const bool transformer = w.arch == SequenceArch::kTransformer;
  if (!transformer && w.arch != SequenceArch::kGru) {
    return InvalidArgumentError("arch: unknown value " +
                                std::to_string(static_cast<int32_t>(w.arch)));
  }
  if (w.dim <= 0 || w.dim > kMaxDim) {
    return InvalidArgumentError("dim: must be in [1, " + std::to_string(kMaxDim) + "], got " +
                                std::to_string(w.dim));
  }
  if (w.max_len <= 0 || w.max_len > kMaxLength) {
    return InvalidArgumentError("max_len: must be in [1, " + std::to_string(kMaxLength) +
                                "], got " + std::to_string(w.max_len));
  }
  if (!std::isfinite(w.embed_scale)) return InvalidArgumentError("embed_scale: not finite");
  if (w.items.cols() != w.dim) {
    return InvalidArgumentError("items: expected " + std::to_string(w.dim) +
                                " columns (dim), got " + std::to_string(w.items.cols()));
  }
  const int64_t dim = w.dim;
  Status status;
  if (transformer) {
    if (w.heads <= 0 || w.dim % w.heads != 0) {
      return InvalidArgumentError("heads: must be positive and divide dim " +
                                  std::to_string(w.dim) + ", got " + std::to_string(w.heads));
    }
    if (w.ffn_dim <= 0 || w.ffn_dim > kMaxDim) {
      return InvalidArgumentError("ffn_dim: must be in [1, " + std::to_string(kMaxDim) + "], got " +
                                  std::to_string(w.ffn_dim));
    }
    RETURN_IF_ERROR(CheckSize(w.positions, static_cast<int64_t>(w.max_len) * dim, "positions"));
    if (w.transformer.empty()) return InvalidArgumentError("transformer: no layers");
    if (w.transformer.size() > kMaxLayers) {
      return InvalidArgumentError("transformer: " + std::to_string(w.transformer.size()) +
                                  " layers, at most " + std::to_string(kMaxLayers));
    }
    if (!w.gru.empty()) {
      return InvalidArgumentError("gru: a transformer encoder has no gru layers, got " +
                                  std::to_string(w.gru.size()));
    }
    for (size_t layer_idx = 0; layer_idx < w.transformer.size(); ++layer_idx) {
      const std::string prefix = "transformer layer " + std::to_string(layer_idx) + " ";
      VisitTransformerLayer(w.transformer[layer_idx], dim, w.ffn_dim,
                            [&](const char* name, const std::vector<float>& values, int64_t n) {
                              if (status.ok()) status = CheckSize(values, n, prefix + name);
                            });
      RETURN_IF_ERROR(status);
    }
  } else {
    // positions, heads and ffn_dim mean nothing to a GRU; positions must be empty so a
    // transformer export mislabelled as gru is caught here rather than silently misread.
    RETURN_IF_ERROR(CheckSize(w.positions, 0, "positions"));
    if (w.gru.empty()) return InvalidArgumentError("gru: no layers");
    if (w.gru.size() > kMaxLayers) {
      return InvalidArgumentError("gru: " + std::to_string(w.gru.size()) + " layers, at most " +
                                  std::to_string(kMaxLayers));
    }
    if (!w.transformer.empty()) {
      return InvalidArgumentError("transformer: a gru encoder has no transformer layers, got " +
                                  std::to_string(w.transformer.size()));
    }
    for (size_t layer_idx = 0; layer_idx < w.gru.size(); ++layer_idx) {
      const std::string prefix = "gru layer " + std::to_string(layer_idx) + " ";
      VisitGruLayer(w.gru[layer_idx], dim,
                    [&](const char* name, const std::vector<float>& values, int64_t n) {
                      if (status.ok()) status = CheckSize(values, n, prefix + name);
                    });
      RETURN_IF_ERROR(status);
    }
  }
  RETURN_IF_ERROR(CheckSize(w.final_norm_weight, dim, "final_norm_weight"));
  RETURN_IF_ERROR(CheckSize(w.final_norm_bias, dim, "final_norm_bias"));
  return OkStatus();
}

// Per-thread scratch: Encode stays const and thread-safe, and a warmed-up thread allocates
// nothing per request (the buffers only grow).
struct Scratch {
  std::vector<float> floats;
  std::vector<int32_t> items;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Row-by-row elementwise helpers: Eigen's rowwise() broadcasts over a row-major Map fall back
// to scalar code, a contiguous row map does not.
template <typename Matrix>
void SetRows(Matrix& m, const float* bias) {
  for (Eigen::Index row = 0; row < m.rows(); ++row) {
    std::copy(bias, bias + m.cols(), m.row(row).data());
  }
}

template <typename Matrix>
void AddToRows(Matrix& m, const float* bias) {
  const Eigen::Map<const Eigen::ArrayXf> add(bias, m.cols());
  for (Eigen::Index row = 0; row < m.rows(); ++row) ArrayMap(m.row(row).data(), m.cols()) += add;
}

// torch.nn.LayerNorm's eps, over the model width.
void LayerNorm(const float* x, const std::vector<float>& weight, const std::vector<float>& bias,
               int32_t dim, float* y) {
  tailor::LayerNorm(x, weight.data(), bias.data(), dim, kLayerNormEps, y);
}

void LayerNormRows(const float* x, const std::vector<float>& weight, const std::vector<float>& bias,
                   int32_t rows, int32_t dim, float* y) {
  tailor::LayerNormRows(x, weight.data(), bias.data(), rows, dim, kLayerNormEps, y);
}

using StridedMatrixMap = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;

// Pre-norm SASRec forward for `history` (valid item indexes, 1 <= size <= max_len).
// Layers before the last run on every position (the next layer's keys and values need them);
// the last layer computes keys and values for every position but its query, attention and
// feed-forward only for the last position, the only one h reads.
void TransformerForward(const SequenceEncoderWeights& w, std::span<const int32_t> history,
                        std::vector<float>& buffer, float* out) {
  const int32_t length = static_cast<int32_t>(history.size());
  const int32_t dim = w.dim;
  const int32_t head_dim = dim / w.heads;
  const int32_t ffn_dim = w.ffn_dim;
  const float score_scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  const int64_t rows = length;
  const int64_t score_stride = PadToSimd(length);
  const int64_t block_rows = std::min(length, kAttentionBlock);
  Carver carver(buffer, {rows * dim, rows * dim, rows * 3 * dim, block_rows * score_stride,
                         rows * dim, rows * ffn_dim, dim, dim, dim});
  MatrixMap embedded(carver.Next(), length, dim);  // e, the residual stream
  MatrixMap normed(carver.Next(), length, dim);
  MatrixMap qkv(carver.Next(), length, 3 * dim);
  float* score_data = carver.Next();
  MatrixMap attended(carver.Next(), length, dim);
  MatrixMap hidden(carver.Next(), length, ffn_dim);
  VectorMap query(carver.Next(), dim);
  VectorMap last_attended(carver.Next(), dim);
  VectorMap last_normed(carver.Next(), dim);

  const Eigen::Map<const Eigen::ArrayXf> positions(w.positions.data(), w.positions.size());
  for (int32_t pos_idx = 0; pos_idx < length; ++pos_idx) {
    ArrayMap(embedded.row(pos_idx).data(), dim) =
        Eigen::Map<const Eigen::ArrayXf>(w.items.row(history[pos_idx]), dim) * w.embed_scale +
        positions.segment(static_cast<Eigen::Index>(pos_idx) * dim, dim);
  }

  const size_t num_layers = w.transformer.size();
  for (size_t layer_idx = 0; layer_idx < num_layers; ++layer_idx) {
    const TransformerLayerWeights& layer = w.transformer[layer_idx];
    const ConstMatrixMap qkv_weight(layer.qkv_weight.data(), 3 * dim, dim);
    const ConstMatrixMap out_weight(layer.out_weight.data(), dim, dim);
    const ConstMatrixMap ffn1_weight(layer.ffn1_weight.data(), ffn_dim, dim);
    const ConstMatrixMap ffn2_weight(layer.ffn2_weight.data(), dim, ffn_dim);
    LayerNormRows(embedded.data(), layer.norm1_weight, layer.norm1_bias, length, dim,
                  normed.data());

    if (layer_idx + 1 < num_layers) {
      // Outputs start as the bias and the GEMMs accumulate into them (no zeroing pass).
      SetRows(qkv, layer.qkv_bias.data());
      qkv.noalias() += normed * qkv_weight.transpose();
      for (int32_t head_idx = 0; head_idx < w.heads; ++head_idx) {
        const int32_t offset = head_idx * head_dim;
        const auto queries = qkv.middleCols(offset, head_dim);
        const auto keys = qkv.middleCols(dim + offset, head_dim);
        const auto values = qkv.middleCols(2 * dim + offset, head_dim);
        // Query rows [first, end) see keys [0, end): one GEMM per block, then the causal
        // mask zeroes s > t in the softmax.
        for (int32_t first = 0; first < length; first += kAttentionBlock) {
          const int32_t end = std::min(length, first + kAttentionBlock);
          StridedMatrixMap scores(score_data, end - first, end, Eigen::OuterStride<>(score_stride));
          scores.noalias() =
              (queries.middleRows(first, end - first) * keys.topRows(end).transpose()) *
              score_scale;
          for (int32_t pos_idx = first; pos_idx < end; ++pos_idx) {
            MaskedSoftmax(score_data + (pos_idx - first) * score_stride, pos_idx + 1,
                          PadToSimd(end));
          }
          attended.block(first, offset, end - first, head_dim).noalias() =
              scores * values.topRows(end);
        }
      }
      AddToRows(embedded, layer.out_bias.data());
      embedded.noalias() += attended * out_weight.transpose();

      LayerNormRows(embedded.data(), layer.norm2_weight, layer.norm2_bias, length, dim,
                    normed.data());
      SetRows(hidden, layer.ffn1_bias.data());
      hidden.noalias() += normed * ffn1_weight.transpose();
      GeluInPlace(hidden.data(), rows * ffn_dim);
      AddToRows(embedded, layer.ffn2_bias.data());
      embedded.noalias() += hidden * ffn2_weight.transpose();
      continue;
    }

    // Last layer: keys|values (columns 0..2d-1 of qkv) for all positions, the rest for one.
    auto keys_values = qkv.leftCols(2 * dim);
    SetRows(keys_values, layer.qkv_bias.data() + dim);
    keys_values.noalias() += normed * qkv_weight.bottomRows(2 * dim).transpose();
    query = ConstVectorMap(layer.qkv_bias.data(), dim);
    query.noalias() += qkv_weight.topRows(dim) * normed.row(length - 1).transpose();
    query *= score_scale;
    VectorMap probabilities(score_data, length);
    for (int32_t head_idx = 0; head_idx < w.heads; ++head_idx) {
      const int32_t offset = head_idx * head_dim;
      probabilities.noalias() =
          keys_values.middleCols(offset, head_dim) * query.segment(offset, head_dim);
      MaskedSoftmax(score_data, length, score_stride);
      last_attended.segment(offset, head_dim).noalias() =
          keys_values.middleCols(dim + offset, head_dim).transpose() * probabilities;
    }
    VectorMap last(embedded.row(length - 1).data(), dim);
    last += ConstVectorMap(layer.out_bias.data(), dim);
    last.noalias() += out_weight * last_attended;
    LayerNorm(last.data(), layer.norm2_weight, layer.norm2_bias, dim, last_normed.data());
    VectorMap last_hidden(hidden.data(), ffn_dim);
    last_hidden = ConstVectorMap(layer.ffn1_bias.data(), ffn_dim);
    last_hidden.noalias() += ffn1_weight * last_normed;
    GeluInPlace(last_hidden.data(), ffn_dim);
    last += ConstVectorMap(layer.ffn2_bias.data(), dim);
    last.noalias() += ffn2_weight * last_hidden;
  }
  LayerNorm(embedded.row(length - 1).data(), w.final_norm_weight, w.final_norm_bias, dim, out);
}

// GRU forward (torch gate layout). The input projections of a layer are one GEMM over all
// positions; only the recurrent product (with the pre-transposed W_hh) is sequential.
void GruForward(const SequenceEncoderWeights& w,
                const std::vector<std::vector<float>>& hh_transposed,
                std::span<const int32_t> history, std::vector<float>& buffer, float* out) {
  const int32_t length = static_cast<int32_t>(history.size());
  const int32_t dim = w.dim;
  const int64_t rows = length;
  Carver carver(buffer, {rows * dim, rows * 3 * dim, 3 * dim, dim});
  MatrixMap inputs(carver.Next(), length, dim);
  MatrixMap projected(carver.Next(), length, 3 * dim);
  VectorMap recurrent(carver.Next(), 3 * dim);
  VectorMap state(carver.Next(), dim);

  for (int32_t pos_idx = 0; pos_idx < length; ++pos_idx) {
    ArrayMap(inputs.row(pos_idx).data(), dim) =
        Eigen::Map<const Eigen::ArrayXf>(w.items.row(history[pos_idx]), dim) * w.embed_scale;
  }
  const size_t num_layers = w.gru.size();
  for (size_t layer_idx = 0; layer_idx < num_layers; ++layer_idx) {
    const GruLayerWeights& layer = w.gru[layer_idx];
    const ConstMatrixMap ih_weight(layer.ih_weight.data(), 3 * dim, dim);
    // Column-major view of W_hh^T's row-major storage is W_hh itself, column-major.
    const Eigen::Map<const Eigen::MatrixXf> hh_weight(hh_transposed[layer_idx].data(), 3 * dim,
                                                      dim);
    const ConstVectorMap hh_bias(layer.hh_bias.data(), 3 * dim);
    SetRows(projected, layer.ih_bias.data());
    projected.noalias() += inputs * ih_weight.transpose();
    const bool last_layer = layer_idx + 1 == num_layers;
    state.setZero();
    for (int32_t pos_idx = 0; pos_idx < length; ++pos_idx) {
      recurrent = hh_bias;
      // W_hh s = 0 for the zero initial state.
      if (pos_idx > 0) recurrent.noalias() += hh_weight * state;
      const Eigen::Map<const Eigen::ArrayXf> x(projected.row(pos_idx).data(), 3 * dim);
      auto gates = recurrent.array();  // becomes [r | z | n] in place
      gates.head(2 * dim) = (x.head(2 * dim) + gates.head(2 * dim)).logistic();
      gates.tail(dim) = (x.tail(dim) + gates.head(dim) * gates.tail(dim)).tanh();
      // s' = (1 - z) n + z s
      state.array() = gates.tail(dim) + gates.segment(dim, dim) * (state.array() - gates.tail(dim));
      // The next layer's input; the row was already consumed by this layer's projection.
      if (!last_layer) VectorMap(inputs.row(pos_idx).data(), dim) = state;
    }
  }
  LayerNorm(state.data(), w.final_norm_weight, w.final_norm_bias, dim, out);
}

std::vector<std::vector<float>> TransposeGruRecurrent(const SequenceEncoderWeights& w) {
  std::vector<std::vector<float>> transposed;
  if (w.arch != SequenceArch::kGru) return transposed;
  const int32_t dim = w.dim;
  for (const GruLayerWeights& layer : w.gru) {
    std::vector<float>& t = transposed.emplace_back(layer.hh_weight.size());
    MatrixMap(t.data(), dim, 3 * dim) =
        ConstMatrixMap(layer.hh_weight.data(), 3 * dim, dim).transpose();
  }
  return transposed;
}

void SaveVector(BinaryWriter& out, const std::vector<float>& values) { out.PutVector(values); }

}  // namespace

SequenceEncoder::SequenceEncoder(SequenceEncoderWeights weights)
    : weights_(std::move(weights)), gru_hh_transposed_(TransposeGruRecurrent(weights_)) {}

StatusOr<SequenceEncoder> SequenceEncoder::Create(SequenceEncoderWeights weights) {
  RETURN_IF_ERROR(Validate(weights));
  return SequenceEncoder(std::move(weights));
}

bool SequenceEncoder::Encode(std::span<const int32_t> history, std::span<float> out) const {
  const int32_t dim = weights_.dim;
  if (dim <= 0 || out.size() != static_cast<size_t>(dim)) return false;
  Scratch& scratch = ThreadScratch();
  // Items outside [0, num_items()) are skipped rather than read out of bounds (callers filter
  // them too); the window is the last max_len *valid* items, oldest first.
  std::vector<int32_t>& kept = scratch.items;
  kept.clear();
  const int32_t num_items = weights_.items.rows();
  for (size_t idx = history.size(); idx > 0 && kept.size() < static_cast<size_t>(weights_.max_len);
       --idx) {
    const int32_t item_idx = history[idx - 1];
    if (item_idx >= 0 && item_idx < num_items) kept.push_back(item_idx);
  }
  if (kept.empty()) return false;
  std::reverse(kept.begin(), kept.end());
  if (weights_.arch == SequenceArch::kTransformer) {
    TransformerForward(weights_, kept, scratch.floats, out.data());
  } else {
    GruForward(weights_, gru_hh_transposed_, kept, scratch.floats, out.data());
  }
  return true;
}

void SequenceEncoder::Save(BinaryWriter& out) const {
  const SequenceEncoderWeights& w = weights_;
  out.Put<int32_t>(kFormatVersion);
  out.Put<int32_t>(static_cast<int32_t>(w.arch));
  out.Put<int32_t>(w.dim);
  out.Put<int32_t>(w.heads);
  out.Put<int32_t>(w.max_len);
  out.Put<int32_t>(w.ffn_dim);
  out.Put<float>(w.embed_scale);
  w.items.Save(out);
  SaveVector(out, w.positions);
  out.Put<uint64_t>(w.transformer.size());
  for (const TransformerLayerWeights& layer : w.transformer) {
    VisitTransformerLayer(layer, 0, 0, [&](const char*, const std::vector<float>& values, int64_t) {
      SaveVector(out, values);
    });
  }
  out.Put<uint64_t>(w.gru.size());
  for (const GruLayerWeights& layer : w.gru) {
    VisitGruLayer(layer, 0, [&](const char*, const std::vector<float>& values, int64_t) {
      SaveVector(out, values);
    });
  }
  SaveVector(out, w.final_norm_weight);
  SaveVector(out, w.final_norm_bias);
}

Status SequenceEncoder::Load(BinaryReader& in) {
  int32_t version = 0;
  RETURN_IF_ERROR(in.Get(&version));
  if (version != kFormatVersion) {
    return DataLossError("sequence encoder: unsupported format version " + std::to_string(version) +
                         " (expected " + std::to_string(kFormatVersion) + ")");
  }
  SequenceEncoderWeights w;
  int32_t arch = 0;
  RETURN_IF_ERROR(in.Get(&arch));
  w.arch = static_cast<SequenceArch>(arch);
  RETURN_IF_ERROR(in.Get(&w.dim));
  RETURN_IF_ERROR(in.Get(&w.heads));
  RETURN_IF_ERROR(in.Get(&w.max_len));
  RETURN_IF_ERROR(in.Get(&w.ffn_dim));
  RETURN_IF_ERROR(in.Get(&w.embed_scale));
  RETURN_IF_ERROR(w.items.Load(in));
  RETURN_IF_ERROR(in.GetVector(&w.positions));
  Status status;
  auto load = [&](const char*, std::vector<float>& values, int64_t) {
    if (status.ok()) status = in.GetVector(&values);
  };
  uint64_t num_layers = 0;
  RETURN_IF_ERROR(in.Get(&num_layers));
  if (num_layers > kMaxLayers) {
    return DataLossError("sequence encoder: " + std::to_string(num_layers) +
                         " transformer layers, at most " + std::to_string(kMaxLayers));
  }
  w.transformer.resize(num_layers);
  for (TransformerLayerWeights& layer : w.transformer) {
    VisitTransformerLayer(layer, 0, 0, load);
    RETURN_IF_ERROR(status);
  }
  RETURN_IF_ERROR(in.Get(&num_layers));
  if (num_layers > kMaxLayers) {
    return DataLossError("sequence encoder: " + std::to_string(num_layers) +
                         " gru layers, at most " + std::to_string(kMaxLayers));
  }
  w.gru.resize(num_layers);
  for (GruLayerWeights& layer : w.gru) {
    VisitGruLayer(layer, 0, load);
    RETURN_IF_ERROR(status);
  }
  RETURN_IF_ERROR(in.GetVector(&w.final_norm_weight));
  RETURN_IF_ERROR(in.GetVector(&w.final_norm_bias));
  const Status valid = Validate(w);
  if (!valid.ok()) return DataLossError("sequence encoder: " + valid.message());
  *this = SequenceEncoder(std::move(w));
  return OkStatus();
}

}  // namespace tailor
