#include "rank/recommend.h"

#include <cctype>

#include "index/top_k.h"

namespace tailor {
namespace {

// Resolves category names to ids. Errors: kInvalidArgument naming the unknown one.
StatusOr<std::vector<int32_t>> CategoryIds(const Catalog& catalog,
                                           const std::vector<std::string>& names,
                                           const char* field) {
  std::vector<int32_t> ids;
  for (const std::string& name : names) {
    auto it = catalog.category_index.find(name);
    if (it == catalog.category_index.end()) {
      return InvalidArgumentError(std::string(field) + ": unknown category '" + name + "'");
    }
    ids.push_back(it->second);
  }
  return ids;
}

bool InAny(const std::vector<int32_t>& item_categories, const std::vector<int32_t>& wanted) {
  for (int32_t id : item_categories) {
    for (int32_t want : wanted) {
      if (id == want) return true;
    }
  }
  return false;
}

void Exclude(std::vector<uint8_t>& allowed, int32_t item_idx) {
  if (item_idx >= 0 && static_cast<size_t>(item_idx) < allowed.size()) allowed[item_idx] = 0;
}


// Replaces every {item:N} in a model's reason with the catalog label of N.
std::string FillLabels(const Catalog& catalog, const std::string& reason) {
  static constexpr std::string_view kOpen = "{item:";
  std::string out;
  size_t pos = 0;
  while (pos < reason.size()) {
    size_t start = reason.find(kOpen, pos);
    if (start == std::string::npos) break;
    size_t digits = start + kOpen.size();
    size_t end = digits;
    while (end < reason.size() && std::isdigit(static_cast<unsigned char>(reason[end]))) ++end;
    out.append(reason, pos, start - pos);
    if (end > digits && end < reason.size() && reason[end] == '}' && end - digits < 10) {
      out += catalog.Label(std::stoi(reason.substr(digits, end - digits)));
      pos = end + 1;
    } else {
      out += kOpen;  // not a reference: keep the text as it is
      pos = digits;
    }
  }
  out.append(reason, pos, std::string::npos);
  return out;
}

std::vector<Recommendation> Finish(const Recommender& model, const Catalog& catalog,
                                   const Query& query, std::span<const float> scores,
                                   std::span<const uint8_t> allowed, int k,
                                   const Filters& filters, const ReviewSignals* reviews) {
  std::vector<Recommendation> out;
  for (const ScoredItem& scored :
       TopKByReviews(scores, k, allowed, reviews, filters.review_weight)) {
    std::string reason = FillLabels(catalog, model.Explain(query, scored.item));
    if (filters.uses_reviews()) AppendReviewReason(*reviews, scored.item, reason);
    out.push_back({scored.item, scored.score, std::move(reason)});
  }
  return out;
}

}  // namespace

StatusOr<std::vector<uint8_t>> AllowedMask(const Catalog& catalog, const Filters& filters,
                                           std::span<const Interaction> seen,
                                           std::span<const int32_t> rejected,
                                           const ReviewSignals* reviews) {
  if (filters.uses_reviews() && (reviews == nullptr || !reviews->has_scores)) {
    return FailedPreconditionError(
        "min_review_score and review_weight need review sentiment scores: configure a "
        "sentiment model (config server.sentiment_model, written by `tailor sentiment-model`)");
  }
  if (filters.review_weight < 0.0) {
    return InvalidArgumentError("review_weight: expected >= 0, got " +
                                std::to_string(filters.review_weight));
  }
  ASSIGN_OR_RETURN(std::vector<int32_t> include,
                   CategoryIds(catalog, filters.categories, "categories"));
  ASSIGN_OR_RETURN(std::vector<int32_t> exclude,
                   CategoryIds(catalog, filters.exclude_categories, "exclude_categories"));
  std::vector<uint8_t> allowed(static_cast<size_t>(catalog.size()), 1);
  for (int32_t item_idx = 0; item_idx < catalog.size(); ++item_idx) {
    const auto& item_categories = catalog.categories[item_idx];
    if ((!include.empty() && !InAny(item_categories, include)) ||
        (!exclude.empty() && InAny(item_categories, exclude)) ||
        (filters.in_stock_only && catalog.in_stock[item_idx] == 0) ||
        (filters.min_review_score && reviews->score(item_idx) < *filters.min_review_score)) {
      allowed[item_idx] = 0;  // (a NaN score, no reviews, is never below the bound)
    }
  }
  for (int32_t item_idx : filters.exclude_items) Exclude(allowed, item_idx);
  for (const Interaction& interaction : seen) Exclude(allowed, interaction.item);
  for (int32_t item_idx : rejected) Exclude(allowed, item_idx);
  return allowed;
}

StatusOr<std::vector<Recommendation>> Recommend(const Recommender& model, const Catalog& catalog,
                                                const Query& query,
                                                std::span<const int32_t> rejected,
                                                const Filters& filters, int k,
                                                const ReviewSignals* reviews,
                                                const NewItemIndex* new_items) {
  if (filters.new_item_slots < 0) {
    return InvalidArgumentError("new_items: expected >= 0, got " +
                                std::to_string(filters.new_item_slots));
  }
  std::span<const Interaction> seen;
  if (filters.exclude_seen) seen = query.history;
  ASSIGN_OR_RETURN(std::vector<uint8_t> allowed,
                   AllowedMask(catalog, filters, seen, rejected, reviews));
  if (k <= 0 || catalog.size() == 0) return std::vector<Recommendation>{};
  std::vector<float> scores(static_cast<size_t>(catalog.size()));
  model.Score(query, scores);
  std::vector<Recommendation> out =
      Finish(model, catalog, query, scores, allowed, k, filters, reviews);
  if (filters.new_item_slots == 0 || new_items == nullptr) return out;
  // The model's own list may hold a new item already (a tiny catalog): not twice.
  for (const Recommendation& recommendation : out) Exclude(allowed, recommendation.item);
  const std::vector<NewItemMatch> matches = new_items->Best(
      query.history, model.num_items(), allowed, std::min(filters.new_item_slots, k));
  out.resize(std::min(out.size(), static_cast<size_t>(k) - matches.size()));
  for (const NewItemMatch& match : matches) {
    std::string reason = "new in the catalog; its description is like " +
                         catalog.Label(match.anchor) + " in your history";
    if (filters.uses_reviews()) AppendReviewReason(*reviews, match.item, reason);
    out.push_back({match.item, static_cast<float>(match.score), std::move(reason)});
  }
  return out;
}

StatusOr<std::vector<Recommendation>> Similar(const Recommender& model, const Catalog& catalog,
                                              int32_t item_idx, const Filters& filters, int k,
                                              const ReviewSignals* reviews) {
  if (item_idx < 0 || item_idx >= catalog.size()) {
    return NotFoundError("item index " + std::to_string(item_idx) + " is not in the catalog (" +
                         std::to_string(catalog.size()) + " items)");
  }
  ASSIGN_OR_RETURN(std::vector<uint8_t> allowed,
                   AllowedMask(catalog, filters, {}, {}, reviews));
  allowed[item_idx] = 0;
  if (k <= 0) return std::vector<Recommendation>{};
  std::vector<float> scores(static_cast<size_t>(catalog.size()));
  model.SimilarItems(item_idx, scores);
  // Explained as "recommended to someone who just looked at item_idx".
  const Interaction anchor{.item = item_idx};
  const Query query{.user = -1, .history = std::span<const Interaction>(&anchor, 1)};
  return Finish(model, catalog, query, scores, allowed, k, filters, reviews);
}

}  // namespace tailor
