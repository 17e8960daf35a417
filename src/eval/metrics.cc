#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tailor {
namespace {

// Above this many relevant items one sort beats one counting pass per relevant item.
constexpr size_t kSortThreshold = 32;

// Score order of index/top_k.h: NaN below every number, equal NaNs tie.
inline bool ScoreAbove(float a, float b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a > b;
}
inline bool ScoreTied(float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }

inline bool IsCandidate(std::span<const uint8_t> allowed, int32_t item, size_t num_items) {
  if (item < 0 || static_cast<size_t>(item) >= num_items) return false;
  return allowed.empty() || allowed[static_cast<size_t>(item)] != 0;
}

struct Counts {
  int64_t above = 0;
  int64_t tied = 0;         // other candidates with an equal score
  int64_t tied_before = 0;  // ... of which have a lower index
};

// One pass over the candidates for one target with score `target_score`.
Counts CountAgainst(std::span<const float> scores, std::span<const uint8_t> allowed, int32_t target,
                    float target_score) {
  Counts counts;
  const size_t num_items = scores.size();
  const size_t target_pos = static_cast<size_t>(target);
  if (std::isnan(target_score)) {
    for (size_t item_idx = 0; item_idx < num_items; ++item_idx) {
      if (item_idx == target_pos || (!allowed.empty() && allowed[item_idx] == 0)) continue;
      if (std::isnan(scores[item_idx])) {
        ++counts.tied;
        if (item_idx < target_pos) ++counts.tied_before;
      } else {
        ++counts.above;
      }
    }
    return counts;
  }
  // Branch-free 32-bit accumulations so the compiler can vectorise the common case (item
  // counts fit in int32: indexes are int32).
  int32_t above = 0, tied_before = 0, tied_after = 0;
  const float* data = scores.data();
  const auto end = static_cast<int32_t>(num_items);
  const auto split = static_cast<int32_t>(target_pos);
  if (allowed.empty()) {
    for (int32_t item_idx = 0; item_idx < split; ++item_idx) {
      above += data[item_idx] > target_score;
      tied_before += data[item_idx] == target_score;
    }
    for (int32_t item_idx = split + 1; item_idx < end; ++item_idx) {
      above += data[item_idx] > target_score;
      tied_after += data[item_idx] == target_score;
    }
  } else {
    const uint8_t* on = allowed.data();
    for (int32_t item_idx = 0; item_idx < split; ++item_idx) {
      const int32_t candidate = on[item_idx] != 0;
      above += candidate & (data[item_idx] > target_score);
      tied_before += candidate & (data[item_idx] == target_score);
    }
    for (int32_t item_idx = split + 1; item_idx < end; ++item_idx) {
      const int32_t candidate = on[item_idx] != 0;
      above += candidate & (data[item_idx] > target_score);
      tied_after += candidate & (data[item_idx] == target_score);
    }
  }
  counts.above = above;
  counts.tied_before = tied_before;
  counts.tied = tied_before + tied_after;
  return counts;
}

void RankByCounting(std::span<const float> scores, std::span<const int32_t> relevant,
                    std::span<const uint8_t> allowed, RelevantRanks& out) {
  const size_t num_relevant = relevant.size();
  for (size_t rel_idx = 0; rel_idx < num_relevant; ++rel_idx) {
    const int32_t item = relevant[rel_idx];
    if (!IsCandidate(allowed, item, scores.size())) continue;
    const float score = scores[static_cast<size_t>(item)];
    Counts counts = CountAgainst(scores, allowed, item, score);
    out.ranks[rel_idx] = counts.above + counts.tied_before;
    // The counts include the other relevant candidates; AUC pairs only non-relevant ones.
    for (size_t other_idx = 0; other_idx < num_relevant; ++other_idx) {
      const int32_t other = relevant[other_idx];
      if (other_idx == rel_idx || !IsCandidate(allowed, other, scores.size())) continue;
      const float other_score = scores[static_cast<size_t>(other)];
      if (ScoreAbove(other_score, score)) --counts.above;
      if (ScoreTied(other_score, score)) --counts.tied;
    }
    out.non_relevant_above[rel_idx] = counts.above;
    out.non_relevant_tied[rel_idx] = counts.tied;
  }
}

void RankBySorting(std::span<const float> scores, std::span<const int32_t> relevant,
                   std::span<const uint8_t> allowed, RelevantRanks& out) {
  const size_t num_items = scores.size();
  std::vector<int32_t> order;
  order.reserve(static_cast<size_t>(out.num_candidates));
  for (size_t item_idx = 0; item_idx < num_items; ++item_idx) {
    if (allowed.empty() || allowed[item_idx] != 0) order.push_back(static_cast<int32_t>(item_idx));
  }
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    const float sa = scores[static_cast<size_t>(a)], sb = scores[static_cast<size_t>(b)];
    if (ScoreAbove(sa, sb)) return true;
    if (ScoreAbove(sb, sa)) return false;
    return a < b;
  });
  std::vector<uint8_t> is_relevant(num_items, 0);
  for (int32_t item : relevant) {
    if (IsCandidate(allowed, item, num_items)) is_relevant[static_cast<size_t>(item)] = 1;
  }
  // Per candidate position: its tie group's start, size and relevant count before/inside.
  std::vector<int64_t> position(num_items, -1);
  std::vector<int64_t> group_non_relevant_above(num_items, 0);
  std::vector<int64_t> group_non_relevant_size(num_items, 0);
  int64_t relevant_seen = 0;
  size_t group_start = 0;
  while (group_start < order.size()) {
    const float group_score = scores[static_cast<size_t>(order[group_start])];
    size_t group_end = group_start;
    int64_t group_relevant = 0;
    while (group_end < order.size() &&
           ScoreTied(scores[static_cast<size_t>(order[group_end])], group_score)) {
      group_relevant += is_relevant[static_cast<size_t>(order[group_end])];
      ++group_end;
    }
    const int64_t non_relevant_above = static_cast<int64_t>(group_start) - relevant_seen;
    const int64_t non_relevant_in_group =
        static_cast<int64_t>(group_end - group_start) - group_relevant;
    for (size_t pos = group_start; pos < group_end; ++pos) {
      const auto item = static_cast<size_t>(order[pos]);
      position[item] = static_cast<int64_t>(pos);
      group_non_relevant_above[item] = non_relevant_above;
      group_non_relevant_size[item] = non_relevant_in_group;
    }
    relevant_seen += group_relevant;
    group_start = group_end;
  }
  for (size_t rel_idx = 0; rel_idx < relevant.size(); ++rel_idx) {
    const int32_t item = relevant[rel_idx];
    if (!IsCandidate(allowed, item, num_items)) continue;
    out.ranks[rel_idx] = position[static_cast<size_t>(item)];
    out.non_relevant_above[rel_idx] = group_non_relevant_above[static_cast<size_t>(item)];
    out.non_relevant_tied[rel_idx] = group_non_relevant_size[static_cast<size_t>(item)];
  }
}

int64_t HitsAtK(std::span<const int64_t> ranks, int k) {
  int64_t hits = 0;
  for (int64_t rank : ranks) hits += rank < k;
  return hits;
}

}  // namespace

RelevantRanks RankRelevant(std::span<const float> scores, std::span<const int32_t> relevant,
                           std::span<const uint8_t> allowed) {
  RelevantRanks out;
  out.ranks.assign(relevant.size(), kUnranked);
  out.non_relevant_above.assign(relevant.size(), 0);
  out.non_relevant_tied.assign(relevant.size(), 0);
  if (allowed.empty()) {
    out.num_candidates = static_cast<int64_t>(scores.size());
  } else {
    out.num_candidates =
        std::count_if(allowed.begin(), allowed.end(), [](uint8_t flag) { return flag != 0; });
  }
  int64_t relevant_candidates = 0;
  for (int32_t item : relevant) relevant_candidates += IsCandidate(allowed, item, scores.size());
  out.num_non_relevant = out.num_candidates - relevant_candidates;
  if (relevant.size() > kSortThreshold) {
    RankBySorting(scores, relevant, allowed, out);
  } else {
    RankByCounting(scores, relevant, allowed, out);
  }
  return out;
}

double HitRateAtK(std::span<const int64_t> ranks, int k) {
  if (ranks.empty() || k <= 0) return 0.0;
  return HitsAtK(ranks, k) > 0 ? 1.0 : 0.0;
}

double RecallAtK(std::span<const int64_t> ranks, int k) {
  if (ranks.empty() || k <= 0) return 0.0;
  return static_cast<double>(HitsAtK(ranks, k)) / static_cast<double>(ranks.size());
}

double PrecisionAtK(std::span<const int64_t> ranks, int k) {
  if (ranks.empty() || k <= 0) return 0.0;
  return static_cast<double>(HitsAtK(ranks, k)) / static_cast<double>(k);
}

double NdcgAtK(std::span<const int64_t> ranks, int k) {
  if (ranks.empty() || k <= 0) return 0.0;
  double dcg = 0.0;
  for (int64_t rank : ranks) {
    if (rank < k) dcg += 1.0 / std::log2(static_cast<double>(rank) + 2.0);
  }
  const int64_t ideal_hits = std::min<int64_t>(static_cast<int64_t>(ranks.size()), k);
  double idcg = 0.0;
  for (int64_t pos = 0; pos < ideal_hits; ++pos) {
    idcg += 1.0 / std::log2(static_cast<double>(pos) + 2.0);
  }
  return dcg / idcg;
}

double ReciprocalRank(std::span<const int64_t> ranks) {
  if (ranks.empty()) return 0.0;
  const int64_t best = *std::min_element(ranks.begin(), ranks.end());
  if (best == kUnranked) return 0.0;
  return 1.0 / (static_cast<double>(best) + 1.0);
}

double AveragePrecisionAtK(std::span<const int64_t> ranks, int k) {
  if (ranks.empty() || k <= 0) return 0.0;
  std::vector<int64_t> hits;
  for (int64_t rank : ranks) {
    if (rank < k) hits.push_back(rank);
  }
  std::sort(hits.begin(), hits.end());
  double sum = 0.0;
  for (size_t hit_idx = 0; hit_idx < hits.size(); ++hit_idx) {
    sum += static_cast<double>(hit_idx + 1) / (static_cast<double>(hits[hit_idx]) + 1.0);
  }
  const int64_t norm = std::min<int64_t>(static_cast<int64_t>(ranks.size()), k);
  return sum / static_cast<double>(norm);
}

double Auc(const RelevantRanks& ranked) {
  if (ranked.ranks.empty()) return 0.0;
  if (ranked.num_non_relevant <= 0) return 0.5;
  double correct = 0.0;
  for (size_t rel_idx = 0; rel_idx < ranked.ranks.size(); ++rel_idx) {
    if (ranked.ranks[rel_idx] == kUnranked) continue;
    const int64_t below = ranked.num_non_relevant - ranked.non_relevant_above[rel_idx] -
                          ranked.non_relevant_tied[rel_idx];
    correct +=
        static_cast<double>(below) + 0.5 * static_cast<double>(ranked.non_relevant_tied[rel_idx]);
  }
  return correct /
         (static_cast<double>(ranked.ranks.size()) * static_cast<double>(ranked.num_non_relevant));
}

double Rmse(std::span<const float> predicted, std::span<const float> actual) {
  const size_t count = std::min(predicted.size(), actual.size());
  if (count == 0) return 0.0;
  double sum = 0.0;
  for (size_t idx = 0; idx < count; ++idx) {
    const double err = static_cast<double>(predicted[idx]) - static_cast<double>(actual[idx]);
    sum += err * err;
  }
  return std::sqrt(sum / static_cast<double>(count));
}

double Mae(std::span<const float> predicted, std::span<const float> actual) {
  const size_t count = std::min(predicted.size(), actual.size());
  if (count == 0) return 0.0;
  double sum = 0.0;
  for (size_t idx = 0; idx < count; ++idx) {
    sum += std::fabs(static_cast<double>(predicted[idx]) - static_cast<double>(actual[idx]));
  }
  return sum / static_cast<double>(count);
}

double ItemCoverage(std::span<const int64_t> rec_counts) {
  if (rec_counts.empty()) return 0.0;
  const auto covered =
      std::count_if(rec_counts.begin(), rec_counts.end(), [](int64_t count) { return count > 0; });
  return static_cast<double>(covered) / static_cast<double>(rec_counts.size());
}

double GiniIndex(std::span<const int64_t> rec_counts) {
  const auto n = static_cast<double>(rec_counts.size());
  std::vector<int64_t> sorted(rec_counts.begin(), rec_counts.end());
  std::sort(sorted.begin(), sorted.end());
  double total = 0.0, weighted = 0.0;
  for (size_t pos = 0; pos < sorted.size(); ++pos) {
    const auto count = static_cast<double>(sorted[pos]);
    total += count;
    weighted += (2.0 * static_cast<double>(pos + 1) - n - 1.0) * count;
  }
  if (total <= 0.0) return 0.0;
  return weighted / (n * total);
}

double Novelty(std::span<const int64_t> rec_counts, std::span<const int64_t> item_popularity,
               int64_t num_users) {
  if (num_users <= 0) return 0.0;
  double total = 0.0, information = 0.0;
  for (size_t item_idx = 0; item_idx < rec_counts.size(); ++item_idx) {
    if (rec_counts[item_idx] <= 0) continue;
    const int64_t popularity =
        item_idx < item_popularity.size() ? std::max<int64_t>(item_popularity[item_idx], 1) : 1;
    const auto count = static_cast<double>(rec_counts[item_idx]);
    total += count;
    information +=
        count * -std::log2(static_cast<double>(popularity) / static_cast<double>(num_users));
  }
  return total > 0.0 ? information / total : 0.0;
}

std::vector<int64_t> RecommendationCounts(const std::vector<std::vector<int32_t>>& lists,
                                          int32_t num_items) {
  std::vector<int64_t> counts(static_cast<size_t>(std::max(num_items, 0)), 0);
  for (const auto& list : lists) {
    for (int32_t item : list) {
      if (item >= 0 && item < num_items) ++counts[static_cast<size_t>(item)];
    }
  }
  return counts;
}

ClassificationScores ScoreClassification(std::span<const int32_t> truth,
                                         std::span<const int32_t> predicted, int32_t classes) {
  ClassificationScores scores;
  const size_t n = std::min(truth.size(), predicted.size());
  if (n == 0 || classes <= 0) return scores;
  std::vector<int64_t> true_positive(classes, 0), truth_count(classes, 0), predicted_count(classes, 0);
  int64_t correct = 0;
  for (size_t idx = 0; idx < n; ++idx) {
    const int32_t want = truth[idx], got = predicted[idx];
    if (want >= 0 && want < classes) ++truth_count[want];
    if (got >= 0 && got < classes) ++predicted_count[got];
    if (want == got) {
      ++correct;
      if (want >= 0 && want < classes) ++true_positive[want];
    }
  }
  scores.accuracy = static_cast<double>(correct) / static_cast<double>(n);
  double f1_sum = 0.0;
  int present = 0;
  for (int32_t label = 0; label < classes; ++label) {
    const int64_t denominator = truth_count[label] + predicted_count[label];  // 2tp + fp + fn
    if (denominator == 0) continue;
    f1_sum += 2.0 * static_cast<double>(true_positive[label]) / static_cast<double>(denominator);
    ++present;
  }
  scores.macro_f1 = present > 0 ? f1_sum / present : 0.0;
  return scores;
}

}  // namespace tailor
