#include "models/knn/user_knn.h"

#include <algorithm>
#include <cmath>

#include "models/params.h"

namespace tailor {

StatusOr<UserKnnOptions> UserKnnOptions::FromJson(const nlohmann::json& params) {
  UserKnnOptions options;
  ParamReader reader(UserKnnRecommender::kName, params);
  RETURN_IF_ERROR(reader.Int("neighbors", &options.neighbors, 1, 100000));
  RETURN_IF_ERROR(reader.Double("shrink", &options.shrink, 0.0, 1e12));
  RETURN_IF_ERROR(reader.Bool("binary", &options.binary));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json UserKnnOptions::ToJson() const {
  return {{"neighbors", neighbors}, {"shrink", shrink}, {"binary", binary}};
}

Status UserKnnRecommender::Fit(const UserHistories& train, const FitOptions& fit) {
  if (options_.neighbors < 1)
    return InvalidArgumentError("user-knn: param 'neighbors' must be >= 1");
  if (!(options_.shrink >= 0)) return InvalidArgumentError("user-knn: param 'shrink' must be >= 0");
  by_user_ = BuildInteractionMatrix(train, {.binary = options_.binary});
  popularity_ = ItemPopularity::Count(train);
  Prepare();
  if (fit.progress) fit.progress({"user-knn index", train.num_users, train.num_users, ""});
  return OkStatus();
}

void UserKnnRecommender::Prepare() {
  by_item_ = by_user_.Transpose();
  user_norms_ = RowNorms(by_user_);
  item_norms_ = RowNorms(by_item_);
}

std::vector<Neighbor> UserKnnRecommender::FindNeighbors(const Query& query) const {
  std::vector<SparseEntry> q = HistoryVector(query.history, num_items(), options_.binary);
  std::vector<Neighbor> candidates;
  if (q.empty()) return candidates;
  double q_norm_squared = 0.0;
  for (const SparseEntry& entry : q)
    q_norm_squared += static_cast<double>(entry.value) * entry.value;
  const double q_norm = std::sqrt(q_norm_squared);

  // Dense per-call accumulator: the model stays immutable and calls stay independent.
  std::vector<float> dots(static_cast<size_t>(by_user_.rows), 0.0f);
  std::vector<int32_t> touched;
  for (const SparseEntry& entry : q) {
    auto users = by_item_.row_indices(entry.index);
    auto values = by_item_.row_values(entry.index);
    for (size_t pos = 0; pos < users.size(); ++pos) {
      float& dot = dots[users[pos]];
      if (dot == 0.0f) touched.push_back(users[pos]);
      dot += entry.value * values[pos];
    }
  }
  candidates.reserve(touched.size());
  for (int32_t user_idx : touched) {
    if (user_idx == query.user || dots[user_idx] == 0.0f) continue;
    candidates.push_back(
        {user_idx, ShrunkCosine(dots[user_idx], q_norm, user_norms_[user_idx], options_.shrink)});
    dots[user_idx] = 0.0f;  // a user touched twice (a zero weight) is listed once
  }
  KeepBestNeighbors(candidates, options_.neighbors);
  return candidates;
}

void UserKnnRecommender::Score(const Query& query, std::span<float> scores) const {
  std::vector<Neighbor> neighbors = FindNeighbors(query);
  if (neighbors.empty()) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  std::fill(scores.begin(), scores.end(), 0.0f);
  for (const Neighbor& neighbor : neighbors) {
    auto items = by_user_.row_indices(neighbor.index);
    auto values = by_user_.row_values(neighbor.index);
    for (size_t pos = 0; pos < items.size(); ++pos) {
      if (static_cast<size_t>(items[pos]) < scores.size()) {
        scores[items[pos]] += neighbor.sim * values[pos];
      }
    }
  }
}

void UserKnnRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  if (item_idx < 0 || item_idx >= num_items() || by_item_.row_indices(item_idx).empty()) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  std::vector<double> dots(static_cast<size_t>(num_items()), 0.0);
  auto users = by_item_.row_indices(item_idx);
  auto user_values = by_item_.row_values(item_idx);
  for (size_t pos = 0; pos < users.size(); ++pos) {
    auto items = by_user_.row_indices(users[pos]);
    auto item_values = by_user_.row_values(users[pos]);
    for (size_t other = 0; other < items.size(); ++other) {
      dots[items[other]] += static_cast<double>(user_values[pos]) * item_values[other];
    }
  }
  std::fill(scores.begin(), scores.end(), 0.0f);
  size_t known = std::min(scores.size(), dots.size());
  for (size_t other_idx = 0; other_idx < known; ++other_idx) {
    if (dots[other_idx] == 0.0) continue;
    scores[other_idx] = ShrunkCosine(dots[other_idx], item_norms_[item_idx], item_norms_[other_idx],
                                     options_.shrink);
  }
}

std::string UserKnnRecommender::Explain(const Query& query, int32_t item_idx) const {
  if (item_idx < 0 || item_idx >= num_items()) return popularity_.Explain(item_idx);
  std::vector<Neighbor> neighbors = FindNeighbors(query);
  std::vector<SparseEntry> history = HistoryVector(query.history, num_items(), /*binary=*/true);
  // shared[h] = summed similarity of the neighbours who have both the item and history item h.
  std::vector<double> shared(history.size(), 0.0);
  bool any = false;
  for (const Neighbor& neighbor : neighbors) {
    auto items = by_user_.row_indices(neighbor.index);
    if (!std::binary_search(items.begin(), items.end(), item_idx)) continue;
    any = true;
    for (size_t pos = 0; pos < history.size(); ++pos) {
      if (std::binary_search(items.begin(), items.end(), history[pos].index)) {
        shared[pos] += neighbor.sim;
      }
    }
  }
  if (!any) return popularity_.Explain(item_idx);
  size_t best =
      static_cast<size_t>(std::max_element(shared.begin(), shared.end()) - shared.begin());
  if (shared[best] <= 0.0) return "shoppers like you picked this";
  return "shoppers like you (who also chose {item:" + std::to_string(history[best].index) +
         "}) picked this";
}

Status UserKnnRecommender::SavePayload(BinaryWriter& out) const {
  out.Put<int32_t>(by_user_.rows);
  out.Put<int32_t>(by_user_.cols);
  out.PutVector(by_user_.indptr);
  out.PutVector(by_user_.indices);
  out.PutVector(by_user_.values);
  popularity_.Save(out);
  return OkStatus();
}

Status UserKnnRecommender::LoadPayload(BinaryReader& in) {
  CsrMatrix matrix;
  RETURN_IF_ERROR(in.Get(&matrix.rows));
  RETURN_IF_ERROR(in.Get(&matrix.cols));
  RETURN_IF_ERROR(in.GetVector(&matrix.indptr));
  RETURN_IF_ERROR(in.GetVector(&matrix.indices));
  RETURN_IF_ERROR(in.GetVector(&matrix.values));
  RETURN_IF_ERROR(popularity_.Load(in));
  auto corrupt = [&](const std::string& what) {
    return DataLossError(in.source() + ": corrupt user-knn payload (" + what + ")");
  };
  if (matrix.rows < 0 || matrix.cols < 0 ||
      matrix.indptr.size() != static_cast<size_t>(matrix.rows) + 1) {
    return corrupt("row offsets do not match " + std::to_string(matrix.rows) + " users");
  }
  if (matrix.indptr.front() != 0 || matrix.indptr.back() != matrix.nnz() ||
      matrix.values.size() != matrix.indices.size() ||
      !std::is_sorted(matrix.indptr.begin(), matrix.indptr.end())) {
    return corrupt("row offsets out of order");
  }
  for (int32_t item_idx : matrix.indices) {
    if (item_idx < 0 || item_idx >= matrix.cols) return corrupt("item out of range");
  }
  if (popularity_.num_items() != matrix.cols) return corrupt("popularity size");
  by_user_ = std::move(matrix);
  Prepare();
  return OkStatus();
}

}  // namespace tailor
