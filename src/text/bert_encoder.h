// BertEncoder: the text encoder's inference half. A BERT-architecture transformer (Devlin et al.
// 2019) as plain float arrays with a forward pass in plain C++ (no libtorch), shared by the
// encoder tailor pretrains on the shop's text (text_pretrain.h) and by BERT-family weights a
// user brings in the Hugging Face layout (MiniLM, BGE, E5: text_model.h).
//
// Forward for token ids t_0..t_{n-1} (n <= max_positions; token type 0 throughout):
//   x = LayerNorm(word[t_p] + position[p] + token_type[0]; embed_norm)
//   per layer (post-norm, as BERT):
//     q|k|v = x W_{q|k|v}^T + b;  head h owns columns h*d/H..(h+1)*d/H-1
//     o_h = softmax(q_h k_h^T / sqrt(d/H)) v_h            (every token sees every token)
//     x = LayerNorm(x + concat_h(o_h) W_o^T + b_o; attention_norm)
//     x = LayerNorm(x + GELU(x W_i^T + b_i) W_f^T + b_f; output_norm)   (exact erf GELU)
//   LayerNorm eps = config.layer_norm_eps (1e-12 in BERT).
// Pooled embedding: the mean of the last layer's rows (mean pooling, sentence-transformers'
// default) or row 0 (the [CLS] state), then optionally scaled to unit length.
// All matrices are row-major [out][in] like torch.nn.Linear.weight. Immutable after Create;
// Forward and Embed are const and thread-safe (scratch is per thread).
#ifndef TAILOR_TEXT_BERT_ENCODER_H_
#define TAILOR_TEXT_BERT_ENCODER_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tailor/status.h"

namespace tailor {

struct BertConfig {
  int32_t vocab_size = 0;
  int32_t hidden = 256;  // d
  int32_t layers = 4;
  int32_t heads = 4;  // H; d % H == 0
  int32_t intermediate = 1024;
  int32_t max_positions = 128;  // longest input, special tokens included
  int32_t type_vocab_size = 2;
  float layer_norm_eps = 1e-12f;
};

struct BertLayerWeights {
  std::vector<float> query_weight, key_weight, value_weight;  // [d][d] each
  std::vector<float> query_bias, key_bias, value_bias;        // [d]
  std::vector<float> attention_out_weight;                    // [d][d]
  std::vector<float> attention_out_bias;                      // [d]
  std::vector<float> attention_norm_weight, attention_norm_bias;  // [d]
  std::vector<float> intermediate_weight;                     // [intermediate][d]
  std::vector<float> intermediate_bias;                       // [intermediate]
  std::vector<float> output_weight;                           // [d][intermediate]
  std::vector<float> output_bias;                             // [d]
  std::vector<float> output_norm_weight, output_norm_bias;    // [d]
};

struct BertWeights {
  BertConfig config;
  std::vector<float> word;        // [vocab_size][d]
  std::vector<float> position;    // [max_positions][d]
  std::vector<float> token_type;  // [type_vocab_size][d]
  std::vector<float> embed_norm_weight, embed_norm_bias;  // [d]
  std::vector<BertLayerWeights> layers;
};

// One weight array with its Hugging Face name ("encoder.layer.0.attention.self.query.weight")
// and shape. `values` points into the BertWeights it came from.
struct BertTensorRef {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float>* values = nullptr;
};

// Every array of `weights` under its Hugging Face BertModel name (no "bert." prefix), in a
// fixed order, shaped by weights->config. The pointers borrow from `weights`.
std::vector<BertTensorRef> BertTensorRefs(BertWeights* weights);

// Errors: kInvalidArgument naming the field ("hidden", "heads", ...) out of range.
Status ValidateBertConfig(const BertConfig& config);

enum class BertPooling { kMean, kCls };

class BertEncoder {
 public:
  BertEncoder() = default;
  // Errors: kInvalidArgument for a bad config or an array whose size does not match it (names
  // the Hugging Face tensor name).
  static StatusOr<BertEncoder> Create(BertWeights weights);

  const BertWeights& weights() const { return weights_; }
  const BertConfig& config() const { return weights_.config; }
  int32_t dim() const { return weights_.config.hidden; }

  // The last layer's hidden states, hidden->size() = ids.size() * dim() (row-major).
  // Errors: kInvalidArgument for no ids, more than max_positions, or an id outside the vocab.
  Status Forward(std::span<const int32_t> ids, std::vector<float>* hidden) const;

  // The pooled embedding of `ids` into out (out.size() == dim()), unit length when
  // `normalize`. Errors: as Forward, and kInvalidArgument for a wrong out size.
  Status Embed(std::span<const int32_t> ids, BertPooling pooling, bool normalize,
               std::span<float> out) const;

 private:
  explicit BertEncoder(BertWeights weights) : weights_(std::move(weights)) {}
  // Forward into this thread's scratch: the last layer's states, 64-byte aligned, valid until
  // the thread's next call. Every intermediate lies at the same alignment on every call, so
  // Eigen splits its vector loops the same way and equal inputs give equal bits.
  StatusOr<const float*> ForwardInScratch(std::span<const int32_t> ids) const;

  BertWeights weights_;
};

}  // namespace tailor

#endif  // TAILOR_TEXT_BERT_ENCODER_H_
