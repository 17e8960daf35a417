#include "text/text_projection.h"

#include <Eigen/Core>
#include <cassert>
#include <string>

#include "models/neural/dense_kernels.h"

namespace tailor {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;
using VectorMap = Eigen::Map<Eigen::VectorXf>;

constexpr int32_t kFormatVersion = 1;
constexpr int32_t kMaxDim = 1 << 16;

Status CheckSize(const std::vector<float>& values, int64_t expected, const char* field) {
  if (static_cast<int64_t>(values.size()) == expected) return OkStatus();
  return InvalidArgumentError(std::string("text projection ") + field + ": expected " +
                              std::to_string(expected) + " floats, got " +
                              std::to_string(values.size()));
}

}  // namespace

StatusOr<TextProjection> TextProjection::Create(TextProjectionWeights w) {
  for (auto [field, value] : {std::pair{"in", w.in}, {"hidden", w.hidden}, {"out", w.out}}) {
    if (value <= 0 || value > kMaxDim) {
      return InvalidArgumentError(std::string("text projection ") + field + ": must be in [1, " +
                                  std::to_string(kMaxDim) + "], got " + std::to_string(value));
    }
  }
  RETURN_IF_ERROR(CheckSize(w.weight1, static_cast<int64_t>(w.hidden) * w.in, "weight1"));
  RETURN_IF_ERROR(CheckSize(w.bias1, w.hidden, "bias1"));
  RETURN_IF_ERROR(CheckSize(w.weight2, static_cast<int64_t>(w.out) * w.hidden, "weight2"));
  RETURN_IF_ERROR(CheckSize(w.bias2, w.out, "bias2"));
  return TextProjection(std::move(w));
}

void TextProjection::Apply(std::span<const float> x, std::span<float> y) const {
  assert(static_cast<int32_t>(x.size()) == weights_.in);
  assert(static_cast<int32_t>(y.size()) == weights_.out);
  thread_local std::vector<float> hidden;
  hidden.resize(static_cast<size_t>(weights_.hidden));
  VectorMap h(hidden.data(), weights_.hidden);
  h = ConstVectorMap(weights_.bias1.data(), weights_.hidden);
  h.noalias() += ConstMatrixMap(weights_.weight1.data(), weights_.hidden, weights_.in) *
                 ConstVectorMap(x.data(), weights_.in);
  GeluInPlace(hidden.data(), weights_.hidden);
  VectorMap out(y.data(), weights_.out);
  out = ConstVectorMap(weights_.bias2.data(), weights_.out);
  out.noalias() += ConstMatrixMap(weights_.weight2.data(), weights_.out, weights_.hidden) * h;
}

FactorMatrix TextProjection::ApplyAll(const FactorMatrix& inputs) const {
  FactorMatrix out(inputs.rows(), weights_.out);
  for (int32_t row = 0; row < inputs.rows(); ++row) {
    Apply({inputs.row(row), static_cast<size_t>(weights_.in)},
          {out.row(row), static_cast<size_t>(weights_.out)});
  }
  return out;
}

void TextProjection::Save(BinaryWriter& out) const {
  out.Put(kFormatVersion);
  out.Put(weights_.in);
  out.Put(weights_.hidden);
  out.Put(weights_.out);
  out.PutVector(weights_.weight1);
  out.PutVector(weights_.bias1);
  out.PutVector(weights_.weight2);
  out.PutVector(weights_.bias2);
}

Status TextProjection::Load(BinaryReader& in) {
  int32_t version = 0;
  RETURN_IF_ERROR(in.Get(&version));
  if (version != kFormatVersion) {
    return DataLossError(in.source() + ": text projection format " + std::to_string(version) +
                         ", expected " + std::to_string(kFormatVersion));
  }
  TextProjectionWeights w;
  RETURN_IF_ERROR(in.Get(&w.in));
  RETURN_IF_ERROR(in.Get(&w.hidden));
  RETURN_IF_ERROR(in.Get(&w.out));
  RETURN_IF_ERROR(in.GetVector(&w.weight1));
  RETURN_IF_ERROR(in.GetVector(&w.bias1));
  RETURN_IF_ERROR(in.GetVector(&w.weight2));
  RETURN_IF_ERROR(in.GetVector(&w.bias2));
  auto created = Create(std::move(w));
  if (!created.ok()) return DataLossError(in.source() + ": " + created.status().message());
  *this = std::move(*created);
  return OkStatus();
}

}  // namespace tailor
