#include "models/knn/item_knn.h"

#include <algorithm>
#include <atomic>

#include "common/thread_pool.h"
#include "models/params.h"

namespace tailor {

StatusOr<ItemKnnOptions> ItemKnnOptions::FromJson(const nlohmann::json& params) {
  ItemKnnOptions options;
  ParamReader reader(ItemKnnRecommender::kName, params);
  RETURN_IF_ERROR(reader.Int("neighbors", &options.neighbors, 1, 100000));
  RETURN_IF_ERROR(reader.Double("shrink", &options.shrink, 0.0, 1e12));
  RETURN_IF_ERROR(reader.Bool("binary", &options.binary));
  RETURN_IF_ERROR(reader.Bool("weight_history", &options.weight_history));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json ItemKnnOptions::ToJson() const {
  return {{"neighbors", neighbors},
          {"shrink", shrink},
          {"binary", binary},
          {"weight_history", weight_history}};
}

Status ItemKnnRecommender::Fit(const UserHistories& train, const FitOptions& fit) {
  if (options_.neighbors < 1)
    return InvalidArgumentError("item-knn: param 'neighbors' must be >= 1");
  if (!(options_.shrink >= 0)) return InvalidArgumentError("item-knn: param 'shrink' must be >= 0");
  const CsrMatrix by_user = BuildInteractionMatrix(train, {.binary = options_.binary});
  const CsrMatrix by_item = by_user.Transpose();
  const std::vector<float> norms = RowNorms(by_item);
  const int32_t num_items = train.num_items;

  std::vector<std::vector<Neighbor>> lists(static_cast<size_t>(num_items));
  ThreadPool pool(fit.threads);
  struct Scratch {
    std::vector<float> dots;       // [item] dot product with the current item; 0 when untouched
    std::vector<int32_t> touched;  // items with a non-zero dot
    std::vector<Neighbor> candidates;
  };
  std::vector<Scratch> scratch(static_cast<size_t>(pool.size()));
  for (Scratch& state : scratch) state.dots.assign(static_cast<size_t>(num_items), 0.0f);
  std::atomic<int64_t> done = 0;
  const int64_t report_every = std::max<int64_t>(1, num_items / 100);

  pool.ParallelFor(
      num_items,
      [&](int64_t item_index, int worker) {
        const auto item_idx = static_cast<int32_t>(item_index);
        Scratch& state = scratch[static_cast<size_t>(worker)];
        auto users = by_item.row_indices(item_idx);
        auto user_values = by_item.row_values(item_idx);
        for (size_t pos = 0; pos < users.size(); ++pos) {
          const float value = user_values[pos];
          auto items = by_user.row_indices(users[pos]);
          auto item_values = by_user.row_values(users[pos]);
          for (size_t other = 0; other < items.size(); ++other) {
            float& dot = state.dots[items[other]];
            if (dot == 0.0f) state.touched.push_back(items[other]);
            dot += value * item_values[other];
          }
        }
        state.candidates.clear();
        for (int32_t other_idx : state.touched) {
          if (other_idx != item_idx) {
            state.candidates.push_back(
                {other_idx, ShrunkCosine(state.dots[other_idx], norms[item_idx], norms[other_idx],
                                         options_.shrink)});
          }
          state.dots[other_idx] = 0.0f;
        }
        state.touched.clear();
        KeepBestNeighbors(state.candidates, options_.neighbors);
        lists[item_idx] = state.candidates;
        int64_t finished = done.fetch_add(1) + 1;
        if (fit.progress && worker == 0 && finished % report_every == 0) {
          fit.progress({"item-knn similarities", finished, num_items, ""});
        }
      },
      /*grain=*/32);

  num_items_ = num_items;
  offsets_.assign(1, 0);
  offsets_.reserve(static_cast<size_t>(num_items) + 1);
  neighbors_.clear();
  for (const auto& list : lists) {
    neighbors_.insert(neighbors_.end(), list.begin(), list.end());
    offsets_.push_back(static_cast<int64_t>(neighbors_.size()));
  }
  popularity_ = ItemPopularity::Count(train);
  if (fit.progress) fit.progress({"item-knn similarities", num_items, num_items, ""});
  return OkStatus();
}

std::span<const Neighbor> ItemKnnRecommender::neighbors(int32_t item_idx) const {
  if (item_idx < 0 || item_idx >= num_items_) return {};
  return {neighbors_.data() + offsets_[item_idx],
          static_cast<size_t>(offsets_[item_idx + 1] - offsets_[item_idx])};
}

float ItemKnnRecommender::Similarity(int32_t item_a, int32_t item_b) const {
  for (const Neighbor& neighbor : neighbors(item_a)) {
    if (neighbor.index == item_b) return neighbor.sim;
  }
  return 0.0f;
}

void ItemKnnRecommender::Score(const Query& query, std::span<float> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0f);
  bool any = false;
  for (const SparseEntry& entry : HistoryVector(query.history, num_items_, /*binary=*/false)) {
    const float weight = options_.weight_history ? entry.value : 1.0f;
    for (const Neighbor& neighbor : neighbors(entry.index)) {
      if (static_cast<size_t>(neighbor.index) >= scores.size()) continue;
      scores[neighbor.index] += weight * neighbor.sim;
      any = true;
    }
  }
  if (!any) popularity_.Score(/*weighted=*/true, scores);
}

void ItemKnnRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  auto list = neighbors(item_idx);
  if (list.empty()) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  std::fill(scores.begin(), scores.end(), 0.0f);
  for (const Neighbor& neighbor : list) {
    if (static_cast<size_t>(neighbor.index) < scores.size()) scores[neighbor.index] = neighbor.sim;
  }
}

std::string ItemKnnRecommender::Explain(const Query& query, int32_t item_idx) const {
  std::vector<SparseEntry> history = HistoryVector(query.history, num_items_, /*binary=*/false);
  int32_t best_item = -1;
  float best = 0.0f;
  // Newest first with a strict comparison, so the most recent item wins ties.
  for (auto it = query.history.rbegin(); it != query.history.rend(); ++it) {
    auto entry =
        std::lower_bound(history.begin(), history.end(), it->item,
                         [](const SparseEntry& e, int32_t item) { return e.index < item; });
    if (entry == history.end() || entry->index != it->item || entry->value < 0) continue;
    float weight = options_.weight_history ? entry->value : 1.0f;
    entry->value = -1.0f;  // visited: later (older) occurrences of the item are skipped
    float contribution = weight * Similarity(it->item, item_idx);
    if (contribution > best) {
      best = contribution;
      best_item = it->item;
    }
  }
  if (best_item < 0) return popularity_.Explain(item_idx);
  return SimilarInHistoryReason(best_item);
}

Status ItemKnnRecommender::SavePayload(BinaryWriter& out) const {
  out.Put<int32_t>(num_items_);
  out.PutVector(offsets_);
  out.PutVector(neighbors_);
  popularity_.Save(out);
  return OkStatus();
}

Status ItemKnnRecommender::LoadPayload(BinaryReader& in) {
  RETURN_IF_ERROR(in.Get(&num_items_));
  RETURN_IF_ERROR(in.GetVector(&offsets_));
  RETURN_IF_ERROR(in.GetVector(&neighbors_));
  RETURN_IF_ERROR(popularity_.Load(in));
  auto corrupt = [&](const std::string& what) {
    return DataLossError(in.source() + ": corrupt item-knn payload (" + what + ")");
  };
  if (num_items_ < 0 || offsets_.size() != static_cast<size_t>(num_items_) + 1) {
    return corrupt("offsets do not match " + std::to_string(num_items_) + " items");
  }
  if (offsets_.front() != 0 || offsets_.back() != static_cast<int64_t>(neighbors_.size()) ||
      !std::is_sorted(offsets_.begin(), offsets_.end())) {
    return corrupt("offsets out of order");
  }
  for (const Neighbor& neighbor : neighbors_) {
    if (neighbor.index < 0 || neighbor.index >= num_items_)
      return corrupt("neighbour out of range");
  }
  if (popularity_.num_items() != num_items_) return corrupt("popularity size");
  return OkStatus();
}

}  // namespace tailor
