#include "models/factors/factor_matrix.h"

#include <cmath>
#include <limits>
#include <random>

#include "models/popularity/item_popularity.h"
#include "models/recommender.h"

namespace tailor {
namespace {

constexpr int32_t kRowAlign = 16;  // floats per 64-byte line

}  // namespace

FactorMatrix::FactorMatrix(int32_t rows, int32_t cols)
    : rows_(rows),
      cols_(cols),
      stride_((cols + kRowAlign - 1) / kRowAlign * kRowAlign),
      data_(static_cast<size_t>(rows) * stride_, 0.0f) {}

void FactorMatrix::FillNormal(float stddev, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, stddev);
  for (int32_t r = 0; r < rows_; ++r) {
    float* x = row(r);
    for (int32_t c = 0; c < cols_; ++c) x[c] = normal(rng);
  }
}

void FactorMatrix::Fill(float value) {
  for (int32_t r = 0; r < rows_; ++r) {
    float* x = row(r);
    for (int32_t c = 0; c < cols_; ++c) x[c] = value;
  }
}

std::vector<float> FactorMatrix::InverseNorms() const {
  std::vector<float> out(rows_, 0.0f);
  for (int32_t r = 0; r < rows_; ++r) {
    float norm = std::sqrt(Dot(row(r), row(r), cols_));
    out[r] = norm > 0.0f ? 1.0f / norm : 0.0f;
  }
  return out;
}

void FactorMatrix::Save(BinaryWriter& out) const {
  out.Put<int32_t>(rows_);
  out.Put<int32_t>(cols_);
  for (int32_t r = 0; r < rows_; ++r) out.PutBytes(row(r), sizeof(float) * cols_);
}

Status FactorMatrix::Load(BinaryReader& in) {
  int32_t rows = 0;
  int32_t cols = 0;
  RETURN_IF_ERROR(in.Get(&rows));
  RETURN_IF_ERROR(in.Get(&cols));
  if (rows < 0 || cols < 0 || cols > (1 << 16) ||
      static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols) > (uint64_t{1} << 34)) {
    return DataLossError("factor matrix: bad shape " + std::to_string(rows) + " x " +
                         std::to_string(cols));
  }
  FactorMatrix loaded(rows, cols);
  for (int32_t r = 0; r < rows; ++r) {
    RETURN_IF_ERROR(in.GetBytes(loaded.row(r), sizeof(float) * cols));
  }
  *this = std::move(loaded);
  return OkStatus();
}

float Dot(const float* a, const float* b, int32_t n) {
  // Four independent accumulators so the compiler keeps several FMA chains in flight.
  float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

void ScoreByDot(const FactorMatrix& items, const float* user, std::span<const float> item_bias,
                std::span<float> scores) {
  const int32_t known = std::min<int32_t>(items.rows(), static_cast<int32_t>(scores.size()));
  float lowest = std::numeric_limits<float>::max();
  for (int32_t i = 0; i < known; ++i) {
    float s = Dot(items.row(i), user, items.cols());
    if (!item_bias.empty()) s += item_bias[i];
    scores[i] = s;
    lowest = std::min(lowest, s);
  }
  if (known == 0) lowest = 0.0f;
  for (size_t i = known; i < scores.size(); ++i) scores[i] = lowest;
}

void SimilarByCosine(const FactorMatrix& items, std::span<const float> inverse_norms,
                     int32_t item_idx, std::span<float> scores) {
  std::fill(scores.begin(), scores.end(), 0.0f);
  if (item_idx < 0 || item_idx >= items.rows() || inverse_norms[item_idx] == 0.0f) return;
  const float* anchor = items.row(item_idx);
  const int32_t known = std::min<int32_t>(items.rows(), static_cast<int32_t>(scores.size()));
  for (int32_t i = 0; i < known; ++i) {
    scores[i] = Dot(items.row(i), anchor, items.cols()) * inverse_norms[i] * inverse_norms[item_idx];
  }
}

int32_t MostSimilarHistoryItem(const FactorMatrix& items, std::span<const float> inverse_norms,
                               std::span<const Interaction> history, int32_t item_idx) {
  if (item_idx < 0 || item_idx >= items.rows()) return -1;
  int32_t best_item = -1;
  float best = 0.0f;
  // Newest first with a strict comparison, so the most recent item wins ties.
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->item < 0 || it->item >= items.rows() || it->item == item_idx) continue;
    float cosine = Dot(items.row(it->item), items.row(item_idx), items.cols()) *
                   inverse_norms[it->item] * inverse_norms[item_idx];
    if (cosine > best) {
      best = cosine;
      best_item = it->item;
    }
  }
  return best_item;
}

void SimilarByCosineOrPopularity(const FactorMatrix& items, std::span<const float> inverse_norms,
                                 const ItemPopularity& popularity, int32_t item_idx,
                                 std::span<float> scores) {
  if (item_idx < 0 || item_idx >= items.rows() || inverse_norms[item_idx] == 0.0f) {
    popularity.Score(/*weighted=*/true, scores);
    return;
  }
  SimilarByCosine(items, inverse_norms, item_idx, scores);
}

std::string ExplainBySimilarHistoryItem(const FactorMatrix& items,
                                        std::span<const float> inverse_norms,
                                        const ItemPopularity& popularity,
                                        std::span<const Interaction> history, int32_t item_idx) {
  const int32_t similar = MostSimilarHistoryItem(items, inverse_norms, history, item_idx);
  if (similar < 0) return popularity.Explain(item_idx);
  return SimilarInHistoryReason(similar);
}

}  // namespace tailor
