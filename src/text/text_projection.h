// TextProjection: the map from item text embeddings into a behaviour model's item space (iALS
// factors, the sequential model's item embeddings), so an item nobody has bought yet gets a
// behaviour-space vector from its text alone (cold start).
//   y = W_2 GELU(W_1 x + b_1) + b_2        (x: text embedding [in], y: [out])
// Trained with a symmetric InfoNCE loss (text_pretrain.h, TrainTextProjection): in a batch of
// warm items, item i's projected text must be closer (cosine / temperature) to its own
// behaviour vector than to the batch's other items', and the other way round (CLIP's loss,
// Radford et al. 2021). Matrices row-major [out][in] like torch.nn.Linear.weight.
// Immutable after creation; Apply is const and thread-safe.
#ifndef TAILOR_TEXT_TEXT_PROJECTION_H_
#define TAILOR_TEXT_TEXT_PROJECTION_H_

#include <cstdint>
#include <span>
#include <vector>

#include "common/binary_io.h"
#include "models/factors/factor_matrix.h"
#include "tailor/status.h"

namespace tailor {

struct TextProjectionWeights {
  int32_t in = 0, hidden = 0, out = 0;
  std::vector<float> weight1;  // [hidden][in]
  std::vector<float> bias1;    // [hidden]
  std::vector<float> weight2;  // [out][hidden]
  std::vector<float> bias2;    // [out]
};

class TextProjection {
 public:
  TextProjection() = default;
  // Errors: kInvalidArgument naming the array whose size does not match in/hidden/out.
  static StatusOr<TextProjection> Create(TextProjectionWeights weights);

  int32_t in_dim() const { return weights_.in; }
  int32_t out_dim() const { return weights_.out; }
  const TextProjectionWeights& weights() const { return weights_; }

  // y for one x (x.size() == in_dim(), y.size() == out_dim(); checked by assert).
  void Apply(std::span<const float> x, std::span<float> y) const;
  // Every row of `inputs` (inputs.cols() == in_dim()).
  FactorMatrix ApplyAll(const FactorMatrix& inputs) const;

  void Save(BinaryWriter& out) const;
  // Errors: kDataLoss for a truncated or inconsistent payload.
  Status Load(BinaryReader& in);

 private:
  explicit TextProjection(TextProjectionWeights weights) : weights_(std::move(weights)) {}
  TextProjectionWeights weights_;
};

}  // namespace tailor

#endif  // TAILOR_TEXT_TEXT_PROJECTION_H_
