#include "models/linear/ease.h"

#include <Eigen/Core>
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "common/thread_pool.h"
#include "models/linear/gram_inverse.h"

namespace tailor {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string GiB(double bytes) {
  double gib = bytes / (1024.0 * 1024.0 * 1024.0);
  char buf[32];
  std::snprintf(buf, sizeof(buf), gib >= 10 ? "%.0f" : "%.1f", gib);
  return buf;
}

// Keeps the `keep` entries of row[0, n) with the largest magnitude (ties: lower index), except
// index `skip` and zeros, sorted by index into `kept`. A histogram of the magnitudes' top bits
// finds the cut in two passes; only the boundary bucket is sorted.
void KeepLargest(const float* row, int32_t n, int32_t skip, size_t keep,
                 std::vector<uint32_t>& histogram, std::vector<Neighbor>& kept) {
  constexpr int kShift = 20;  // 2^31 magnitude bit patterns -> 2048 buckets, 1/8 octave each
  auto key = [](float value) { return std::bit_cast<uint32_t>(value) & 0x7fffffffu; };
  histogram.assign(size_t{1} << (31 - kShift), 0);
  for (int32_t col = 0; col < n; ++col) ++histogram[key(row[col]) >> kShift];
  --histogram[key(row[skip]) >> kShift];
  size_t above = 0;
  uint32_t cut = static_cast<uint32_t>(histogram.size());
  while (cut > 1 && above < keep) above += histogram[--cut];  // bucket 0 holds the zeros
  kept.clear();
  for (int32_t col = 0; col < n; ++col) {
    const uint32_t bits = key(row[col]);
    if (col != skip && bits != 0 && (bits >> kShift) >= cut) kept.push_back({col, row[col]});
  }
  if (kept.size() > keep) {
    std::nth_element(kept.begin(), kept.begin() + static_cast<int64_t>(keep), kept.end(),
                     [](const Neighbor& a, const Neighbor& b) {
                       const float abs_a = std::fabs(a.sim), abs_b = std::fabs(b.sim);
                       return abs_a != abs_b ? abs_a > abs_b : a.index < b.index;
                     });
    kept.resize(keep);
    std::sort(kept.begin(), kept.end(),
              [](const Neighbor& a, const Neighbor& b) { return a.index < b.index; });
  }
}

}  // namespace

StatusOr<EaseOptions> EaseOptions::FromJson(const nlohmann::json& params) {
  EaseOptions options;
  ParamReader reader(EaseRecommender::kName, params);
  RETURN_IF_ERROR(reader.Double("lambda", &options.lambda, 0.0, 1e12));
  RETURN_IF_ERROR(reader.Bool("binary", &options.binary));
  RETURN_IF_ERROR(reader.Int("max_items", &options.max_items, 1, 65536));
  RETURN_IF_ERROR(reader.Int("keep", &options.keep, 0, 65536));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json EaseOptions::ToJson() const {
  return {{"lambda", lambda}, {"binary", binary}, {"max_items", max_items}, {"keep", keep}};
}

Status EaseRecommender::Fit(const UserHistories& train, const FitOptions& fit) {
  if (!(options_.lambda >= 0) || !std::isfinite(options_.lambda))
    return InvalidArgumentError("ease: param 'lambda' must be a number >= 0");
  if (options_.max_items < 1 || options_.max_items > 65536)
    return InvalidArgumentError("ease: param 'max_items' must be in [1, 65536]");
  if (options_.keep < 0) return InvalidArgumentError("ease: param 'keep' must be >= 0");
  const int32_t n = train.num_items;
  if (n > options_.max_items) {
    return ResourceExhaustedError("ease: " + std::to_string(n) + " items would need " +
                                  GiB(4.0 * static_cast<double>(n) * static_cast<double>(n)) +
                                  " GiB for the dense item-item matrix; the limit max_items is " +
                                  std::to_string(options_.max_items) + ", raise it or use ials");
  }
  const auto report = [&](const char* stage, int64_t done) {
    if (fit.progress) fit.progress({stage, done, 3, ""});
  };
  const int threads = ResolveThreadCount(fit.threads);
  ThreadPool pool(threads);
  const Clock::time_point start = Clock::now();

  report("ease gram", 0);
  const SparseGram gram = BuildSparseGram(train, options_.binary, pool);
  const double gram_seconds = SecondsSince(start);
  report("ease inverse", 1);
  ASSIGN_OR_RETURN(const GramInverse inverse,
                   GramInverse::Compute(gram, options_.lambda, pool, threads));
  const double inverse_seconds = SecondsSince(start) - gram_seconds;

  // B = I - P diag(1 / diag(P)) row by row: dense, or pruned to the `keep` largest.
  report("ease weights", 2);
  const Clock::time_point weights_start = Clock::now();
  std::vector<float> neg_inverse_diagonal(static_cast<size_t>(n));
  for (int32_t item_idx = 0; item_idx < n; ++item_idx)
    neg_inverse_diagonal[item_idx] = -1.0f / inverse.Diagonal(item_idx);
  const bool keep_all = options_.keep == 0 || options_.keep >= n - 1;
  DenseMatrix dense_weights;
  if (keep_all) {
    ASSIGN_OR_RETURN(dense_weights, DenseMatrix::Zeros(n, n));
  }
  struct Scratch {
    std::vector<float> row;
    std::vector<uint32_t> histogram;
    std::vector<Neighbor> kept;
  };
  std::vector<Scratch> scratch(static_cast<size_t>(pool.size()));
  if (!keep_all) {
    for (Scratch& state : scratch) state.row.resize(static_cast<size_t>(n));
  }
  std::vector<std::vector<Neighbor>> rows(keep_all ? 0 : static_cast<size_t>(n));
  const std::span<const int32_t> order = inverse.order();
  pool.ParallelFor(
      n,
      [&](int64_t index, int worker) {
        const int32_t item_idx = order[index];
        Scratch& state = scratch[static_cast<size_t>(worker)];
        float* row = keep_all ? dense_weights.row(item_idx) : state.row.data();
        inverse.Row(item_idx, row);
        Eigen::Map<Eigen::ArrayXf>(row, n) *=
            Eigen::Map<const Eigen::ArrayXf>(neg_inverse_diagonal.data(), n);
        row[item_idx] = 0.0f;
        if (!keep_all) {
          KeepLargest(row, n, item_idx, static_cast<size_t>(options_.keep), state.histogram,
                      state.kept);
          rows[item_idx].assign(state.kept.begin(), state.kept.end());
        }
      },
      /*grain=*/16);
  num_items_ = n;
  dense_ = std::move(dense_weights);
  offsets_.assign(1, 0);
  weights_.clear();
  if (!keep_all) {
    offsets_.reserve(static_cast<size_t>(n) + 1);
    size_t total = 0;
    for (const auto& row : rows) total += row.size();
    weights_.reserve(total);
    for (const auto& row : rows) {
      weights_.insert(weights_.end(), row.begin(), row.end());
      offsets_.push_back(static_cast<int64_t>(weights_.size()));
    }
  }
  popularity_ = ItemPopularity::Count(train);
  SetZeroTieBreak();
  const double weights_seconds = SecondsSince(weights_start);
  report("ease weights", 3);

  const GramInverse::Stats& stats = inverse.stats();
  const double factorisation_seconds = stats.potrf_seconds + stats.potri_seconds;
  const double m = stats.factorised;
  fit_stats_ = {
      {"items", n},
      {"eliminated", stats.eliminated},
      {"factorised", stats.factorised},
      {"threads", threads},
      {"gram_seconds", gram_seconds},
      {"inverse_seconds", inverse_seconds},
      {"schur_seconds", stats.schur_seconds},
      {"potrf_seconds", stats.potrf_seconds},
      {"potri_seconds", stats.potri_seconds},
      {"complete_seconds", stats.complete_seconds},
      // potrf m^3/3 + potri 2m^3/3 flops
      {"gflops", factorisation_seconds > 0 ? m * m * m / factorisation_seconds * 1e-9 : 0.0},
      {"weights_seconds", weights_seconds},
      {"stored_weights",
       dense() ? static_cast<int64_t>(n) * n : static_cast<int64_t>(weights_.size())},
  };
  return OkStatus();
}

template <typename Fn>
void EaseRecommender::ForEachWeight(int32_t from, Fn fn) const {
  if (dense()) {
    const float* row = dense_.row(from);
    for (int32_t to = 0; to < num_items_; ++to) fn(to, row[to]);
    return;
  }
  for (int64_t at = offsets_[from]; at < offsets_[from + 1]; ++at)
    fn(weights_[at].index, weights_[at].sim);
}

float EaseRecommender::Weight(int32_t from, int32_t to) const {
  if (from < 0 || from >= num_items_ || to < 0 || to >= num_items_) return 0.0f;
  if (dense()) return dense_.row(from)[to];
  auto first = weights_.begin() + offsets_[from];
  auto last = weights_.begin() + offsets_[from + 1];
  auto it = std::lower_bound(
      first, last, to, [](const Neighbor& entry, int32_t index) { return entry.index < index; });
  return it != last && it->index == to ? it->sim : 0.0f;
}

void EaseRecommender::Score(const Query& query, std::span<float> scores) const {
  const std::vector<SparseEntry> history =
      HistoryVector(query.history, num_items_, options_.binary);
  if (history.empty()) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  const auto known = std::min<size_t>(static_cast<size_t>(num_items_), scores.size());
  std::fill(scores.begin(), scores.begin() + static_cast<int64_t>(known), 0.0f);
  for (const SparseEntry& entry : history) {
    const float weight = entry.value;
    if (dense()) {
      const auto size = static_cast<Eigen::Index>(known);
      Eigen::Map<Eigen::VectorXf>(scores.data(), size) +=
          weight * Eigen::Map<const Eigen::VectorXf>(dense_.row(entry.index), size);
    } else {
      ForEachWeight(entry.index, [&](int32_t to, float value) {
        if (static_cast<size_t>(to) < known) scores[to] += weight * value;
      });
    }
  }
  BreakZeroTies(scores.first(known));
  float lowest = known == 0 ? 0.0f : *std::min_element(scores.begin(), scores.begin() + known);
  std::fill(scores.begin() + static_cast<int64_t>(known), scores.end(), lowest);
}

void EaseRecommender::BreakZeroTies(std::span<float> scores) const {
  for (size_t item_idx = 0; item_idx < scores.size(); ++item_idx) {
    if (scores[item_idx] == 0.0f) scores[item_idx] = zero_tie_break_[item_idx];
  }
}

void EaseRecommender::SetZeroTieBreak() {
  const std::span<const int32_t> shoppers = popularity_.shoppers();
  const int32_t most = shoppers.empty() ? 0 : *std::max_element(shoppers.begin(), shoppers.end());
  zero_tie_break_.assign(shoppers.size(), 0.0f);
  for (size_t item_idx = 0; item_idx < shoppers.size(); ++item_idx) {
    const double share = most > 0 ? static_cast<double>(shoppers[item_idx]) / most : 0.0;
    zero_tie_break_[item_idx] = static_cast<float>(-kZeroTieBreak * (1.0 - share));
  }
}

void EaseRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0f);
  if (item_idx < 0 || item_idx >= num_items_) return;
  const auto known = std::min<size_t>(static_cast<size_t>(num_items_), scores.size());
  ForEachWeight(item_idx, [&](int32_t to, float value) {
    if (static_cast<size_t>(to) < known) scores[to] = value;
  });
  BreakZeroTies(scores.first(known));
  float lowest = known == 0 ? 0.0f : *std::min_element(scores.begin(), scores.begin() + known);
  std::fill(scores.begin() + static_cast<int64_t>(known), scores.end(), lowest);
}

std::string EaseRecommender::Explain(const Query& query, int32_t item_idx) const {
  const std::vector<SparseEntry> history =
      HistoryVector(query.history, num_items_, options_.binary);
  std::vector<char> visited(history.size(), 0);
  int32_t best_item = -1;
  float best = 0.0f;
  // Newest first with a strict comparison, so the most recent item wins ties.
  for (auto it = query.history.rbegin(); it != query.history.rend(); ++it) {
    auto entry =
        std::lower_bound(history.begin(), history.end(), it->item,
                         [](const SparseEntry& e, int32_t item) { return e.index < item; });
    if (entry == history.end() || entry->index != it->item) continue;
    char& seen = visited[static_cast<size_t>(entry - history.begin())];
    if (seen) continue;
    seen = 1;
    const float contribution = entry->value * Weight(it->item, item_idx);
    if (contribution > best) {
      best = contribution;
      best_item = it->item;
    }
  }
  if (best_item < 0) return popularity_.Explain(item_idx);
  return SimilarInHistoryReason(best_item);
}

Status EaseRecommender::SavePayload(BinaryWriter& out) const {
  out.Put<int32_t>(num_items_);
  out.Put<uint8_t>(dense() ? 1 : 0);
  if (dense()) {
    dense_.Save(out);
  } else {
    out.PutVector(offsets_);
    out.PutVector(weights_);
  }
  popularity_.Save(out);
  return OkStatus();
}

Status EaseRecommender::LoadPayload(BinaryReader& in) {
  auto corrupt = [&](const std::string& what) {
    return DataLossError(in.source() + ": corrupt ease payload (" + what + ")");
  };
  uint8_t is_dense = 0;
  RETURN_IF_ERROR(in.Get(&num_items_));
  RETURN_IF_ERROR(in.Get(&is_dense));
  if (num_items_ < 0) return corrupt("negative item count");
  dense_ = DenseMatrix();
  offsets_.assign(1, 0);
  weights_.clear();
  if (is_dense == 1) {
    RETURN_IF_ERROR(dense_.Load(in));
    if (dense_.rows() != num_items_ || dense_.cols() != num_items_)
      return corrupt("weight matrix shape");
  } else if (is_dense == 0) {
    RETURN_IF_ERROR(in.GetVector(&offsets_));
    RETURN_IF_ERROR(in.GetVector(&weights_));
    if (offsets_.size() != static_cast<size_t>(num_items_) + 1 || offsets_.front() != 0 ||
        offsets_.back() != static_cast<int64_t>(weights_.size()) ||
        !std::is_sorted(offsets_.begin(), offsets_.end())) {
      return corrupt("offsets do not match " + std::to_string(num_items_) + " items");
    }
    for (const Neighbor& weight : weights_) {
      if (weight.index < 0 || weight.index >= num_items_) return corrupt("item out of range");
    }
  } else {
    return corrupt("storage flag " + std::to_string(is_dense));
  }
  RETURN_IF_ERROR(popularity_.Load(in));
  if (popularity_.num_items() != num_items_) return corrupt("popularity size");
  SetZeroTieBreak();
  fit_stats_ = nlohmann::json::object();
  return OkStatus();
}

}  // namespace tailor
