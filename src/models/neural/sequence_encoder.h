// SequenceEncoder: the inference half of the sequential models (sasrec, gru4rec): their
// trained weights as plain float arrays and a forward pass in plain C++ that turns a history
// (item indexes, oldest first) into one vector h; the model's score of item i is h . items[i].
// Training (libtorch, sequence_trainer_torch.cc) exports into this form, so serving and
// artifacts need no libtorch code path, and a request costs one small forward (no autograd,
// no thread pool, no global state).
//
// Transformer (SASRec, Kang & McAuley 2018, with pre-norm blocks as in Xiong et al. 2020),
// for a history x_0..x_{L-1} (the last max_len items, L <= max_len):
//   e_t = items[x_t] * embed_scale + positions[t]        (t = 0 is the OLDEST kept item)
//   per layer:  a = LayerNorm(e; norm1)
//               q|k|v = a W_qkv^T + b_qkv   (W_qkv rows: q rows 0..d-1, k rows d..2d-1, v rows
//                                             2d..3d-1; head h owns columns h*d/H..(h+1)*d/H-1)
//               o_h = softmax(q_h k_h^T / sqrt(d/H), causal: t attends to s <= t) v_h
//               e = e + concat_h(o_h) W_out^T + b_out
//               f = LayerNorm(e; norm2)
//               e = e + GELU(f W_1^T + b_1) W_2^T + b_2      (exact erf GELU)
//   h = LayerNorm(e_{L-1}; final_norm)
// LayerNorm(x; w, b) = (x - mean) / sqrt(var + 1e-5) * w + b (biased variance, as torch).
// GRU (GRU4Rec, Hidabi et al. 2016, trained with full cross-entropy), torch's gate layout:
//   per layer, input x_t (items[x_t] * embed_scale for layer 0), state s (zeros at t = 0):
//   r = sigmoid(W_ir x + b_ir + W_hr s + b_hr); z = sigmoid(W_iz x + b_iz + W_hz s + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn s + b_hn)); s' = (1 - z) * n + z * s
//   (W_ih = [W_ir; W_iz; W_in] is 3d x d, W_hh likewise, b_ih/b_hh 3d)
//   h = LayerNorm(s_{L-1} of the last layer; final_norm)
// All matrices are row-major [out][in] like torch.nn.Linear.weight.
// Immutable after construction or Load; Encode is const and thread-safe.
#ifndef TAILOR_MODELS_NEURAL_SEQUENCE_ENCODER_H_
#define TAILOR_MODELS_NEURAL_SEQUENCE_ENCODER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "common/binary_io.h"
#include "models/factors/factor_matrix.h"
#include "tailor/status.h"

namespace tailor {

enum class SequenceArch : int32_t { kTransformer = 0, kGru = 1 };

struct TransformerLayerWeights {
  std::vector<float> norm1_weight, norm1_bias;  // [d]
  std::vector<float> qkv_weight;                // [3d][d]
  std::vector<float> qkv_bias;                  // [3d]
  std::vector<float> out_weight;                // [d][d]
  std::vector<float> out_bias;                  // [d]
  std::vector<float> norm2_weight, norm2_bias;  // [d]
  std::vector<float> ffn1_weight;               // [ffn_dim][d]
  std::vector<float> ffn1_bias;                 // [ffn_dim]
  std::vector<float> ffn2_weight;               // [d][ffn_dim]
  std::vector<float> ffn2_bias;                 // [d]
};

struct GruLayerWeights {
  std::vector<float> ih_weight;  // [3d][d]
  std::vector<float> hh_weight;  // [3d][d]
  std::vector<float> ih_bias;    // [3d]
  std::vector<float> hh_bias;    // [3d]
};

struct SequenceEncoderWeights {
  SequenceArch arch = SequenceArch::kTransformer;
  int32_t dim = 0;      // d
  int32_t heads = 1;    // H (transformer; d % H == 0)
  int32_t max_len = 0;  // longest history read (the most recent max_len items)
  int32_t ffn_dim = 0;  // transformer feed-forward width
  float embed_scale = 1.0f;
  FactorMatrix items;                         // [num_items][d], also the output embedding
  std::vector<float> positions;               // [max_len][d] (transformer)
  std::vector<TransformerLayerWeights> transformer;  // one per layer (transformer)
  std::vector<GruLayerWeights> gru;                  // one per layer (gru)
  std::vector<float> final_norm_weight, final_norm_bias;  // [d]
};

class SequenceEncoder {
 public:
  SequenceEncoder() = default;
  // Errors: kInvalidArgument when the shapes are inconsistent (names the field).
  static StatusOr<SequenceEncoder> Create(SequenceEncoderWeights weights);

  const SequenceEncoderWeights& weights() const { return weights_; }
  int32_t dim() const { return weights_.dim; }
  int32_t num_items() const { return weights_.items.rows(); }

  // h for a history of item indexes (oldest first; every item < num_items()). Only the last
  // max_len items are read. Empty history: returns false and leaves `out` untouched.
  // out.size() must be dim(). Thread-safe (scratch is per call).
  bool Encode(std::span<const int32_t> history, std::span<float> out) const;

  void Save(BinaryWriter& out) const;
  // Errors: kDataLoss for a truncated or inconsistent payload.
  Status Load(BinaryReader& in);

 private:
  explicit SequenceEncoder(SequenceEncoderWeights weights);
  SequenceEncoderWeights weights_;
  // W_hh^T ([d][3d]) of every GRU layer, derived from weights_ so the per-step recurrent
  // product runs as a column-major GEMV (no horizontal sums); empty for a transformer.
  std::vector<std::vector<float>> gru_hh_transposed_;
};

}  // namespace tailor

#endif  // TAILOR_MODELS_NEURAL_SEQUENCE_ENCODER_H_
