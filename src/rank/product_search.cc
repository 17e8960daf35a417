#include "rank/product_search.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "index/search_terms.h"
#include "index/top_k.h"

namespace tailor {
namespace {

// Min-max scaling of values[item] over `items` into [0, 1]; all equal -> 1 (no preference).
void ScaleOver(const std::vector<int32_t>& items, std::vector<float>& values) {
  float low = std::numeric_limits<float>::max();
  float high = std::numeric_limits<float>::lowest();
  for (int32_t item : items) {
    low = std::min(low, values[item]);
    high = std::max(high, values[item]);
  }
  for (int32_t item : items) values[item] = high > low ? (values[item] - low) / (high - low) : 1.0f;
}

std::string Amount(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", value);
  return buf;
}

}  // namespace

StatusOr<std::unique_ptr<ProductSearch>> ProductSearch::Create(
    std::shared_ptr<const Catalog> catalog, const std::vector<std::string>& item_texts,
    const TextModel* text_model, FactorMatrix item_embeddings, const SearchOptions& options) {
  const int32_t num_items = catalog->size();
  if (static_cast<int32_t>(item_texts.size()) != num_items) {
    return InvalidArgumentError("search: " + std::to_string(item_texts.size()) +
                                " item texts for " + std::to_string(num_items) + " catalog items");
  }
  if (text_model != nullptr &&
      (item_embeddings.rows() != num_items || item_embeddings.cols() != text_model->dim())) {
    return InvalidArgumentError(
        "search: item embeddings are " + std::to_string(item_embeddings.rows()) + " x " +
        std::to_string(item_embeddings.cols()) + ", expected " + std::to_string(num_items) +
        " x " + std::to_string(text_model->dim()) + " (one text-model row per catalog item)");
  }
  std::vector<std::string> documents(num_items);
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    const std::string& title = catalog->titles[item_idx];
    documents[item_idx] = title.empty() ? item_texts[item_idx] : title + ". " + item_texts[item_idx];
  }
  Bm25Index lexical = Bm25Index::Build(documents, options.bm25);
  QueryVocabulary vocabulary = QueryVocabulary::Build(*catalog);
  if (text_model == nullptr) item_embeddings = FactorMatrix();
  return std::unique_ptr<ProductSearch>(new ProductSearch(std::move(catalog), std::move(lexical),
                                                          std::move(vocabulary), text_model,
                                                          std::move(item_embeddings), options));
}

std::vector<ScoredItem> ProductSearch::LexicalOnly(std::string_view query, int n) const {
  return lexical_.Search(query, n);
}

StatusOr<std::vector<SearchResult>> ProductSearch::Search(const SearchRequest& request) const {
  ASSIGN_OR_RETURN(SearchQuery query, ParseSearchQuery(request.query, vocabulary_));
  const Catalog& catalog = *catalog_;
  const int32_t num_items = catalog.size();
  ASSIGN_OR_RETURN(
      std::vector<uint8_t> allowed,
      AllowedMask(catalog, request.filters,
                  request.filters.exclude_seen ? request.user.history
                                               : std::span<const Interaction>(),
                  {}, request.reviews));
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    const std::optional<double>& price = catalog.prices[item_idx];
    if ((query.min_price || query.max_price) &&
        (!price || (query.min_price && *price < *query.min_price) ||
         (query.max_price && *price > *query.max_price))) {
      allowed[item_idx] = 0;
    }
    if (query.brand && catalog.brands[item_idx] != *query.brand) allowed[item_idx] = 0;
  }

  // Candidates: each channel's best allowed items, or every allowed item for a query that is
  // only a price bound.
  std::vector<int32_t> candidates;
  std::vector<uint8_t> is_candidate(num_items, 0);
  auto add = [&](int32_t item_idx) {
    if (!is_candidate[item_idx]) {
      is_candidate[item_idx] = 1;
      candidates.push_back(item_idx);
    }
  };
  std::vector<float> lexical(num_items, 0.0f);
  std::vector<float> dense(num_items, 0.0f);
  const bool has_text = !SearchTerms(query.text).empty();
  if (has_text) {
    int taken = 0;
    for (const ScoredItem& scored : lexical_.Search(query.text, 0)) {
      lexical[scored.item] = scored.score;
      if (taken < options_.candidates && allowed[scored.item]) {
        add(scored.item);
        ++taken;
      }
    }
    if (text_model_ != nullptr) {
      std::vector<float> embedding(text_model_->dim());
      RETURN_IF_ERROR(text_model_->Embed(query.text, embedding));
      for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
        dense[item_idx] = Dot(item_embeddings_.row(item_idx), embedding.data(), text_model_->dim());
      }
      for (const ScoredItem& scored : TopK(dense, options_.candidates, allowed)) add(scored.item);
    }
  } else {
    for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
      if (allowed[item_idx]) add(item_idx);
    }
  }
  if (candidates.empty()) return std::vector<SearchResult>();

  float best_lexical = 0.0f;
  for (int32_t item_idx : candidates) best_lexical = std::max(best_lexical, lexical[item_idx]);
  std::vector<float> dense_scaled = dense;
  if (text_model_ != nullptr && has_text) ScaleOver(candidates, dense_scaled);
  std::vector<float> personal(num_items, 0.0f);
  const bool personalize =
      request.model != nullptr && (request.user.user >= 0 || !request.user.history.empty());
  if (personalize) {
    request.model->Score(request.user, personal);
    ScaleOver(candidates, personal);
  }
  std::vector<float> scores(num_items, std::numeric_limits<float>::lowest());
  for (int32_t item_idx : candidates) {
    float score = best_lexical > 0 ? options_.lexical_weight * lexical[item_idx] / best_lexical
                                   : 0.0f;
    if (text_model_ != nullptr && has_text) score += options_.dense_weight * dense_scaled[item_idx];
    if (std::find(query.brands.begin(), query.brands.end(), catalog.brands[item_idx]) !=
        query.brands.end()) {
      score += options_.brand_weight;
    }
    for (int32_t category : catalog.categories[item_idx]) {
      if (std::find(query.categories.begin(), query.categories.end(), category) !=
          query.categories.end()) {
        score += options_.category_weight;
        break;
      }
    }
    if (personalize) score += options_.personal_weight * personal[item_idx];
    scores[item_idx] = score;
  }
  std::vector<SearchResult> results;
  for (const ScoredItem& scored : TopKByReviews(scores, request.n, is_candidate, request.reviews,
                                                request.filters.review_weight)) {
    SearchResult result;
    result.item = scored.item;
    result.score = scored.score;
    result.lexical = lexical[scored.item];
    result.dense = dense[scored.item];
    result.personal = personalize ? personal[scored.item] : 0.0f;
    result.reason = Reason(query, scored.item,
                           text_model_ != nullptr && has_text && dense_scaled[scored.item] >= 0.8f,
                           personalize && personal[scored.item] >= 0.8f);
    if (request.filters.uses_reviews()) {
      AppendReviewReason(*request.reviews, scored.item, result.reason);
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::string ProductSearch::Reason(const SearchQuery& query, int32_t item_idx, bool dense_top,
                                  bool personal_top) const {
  const Catalog& catalog = *catalog_;
  std::vector<std::string> parts;
  const std::vector<std::string> matched = lexical_.MatchedTerms(query.text, item_idx);
  if (!matched.empty()) {
    std::string part = "matches";
    for (size_t term_idx = 0; term_idx < matched.size(); ++term_idx) {
      part += (term_idx == 0 ? " '" : ", '") + matched[term_idx] + "'";
    }
    parts.push_back(std::move(part));
  }
  if (dense_top) parts.push_back("close in meaning to the query");
  const std::string& brand = catalog.brands[item_idx];
  if (query.brand || std::find(query.brands.begin(), query.brands.end(), brand) !=
                         query.brands.end()) {
    parts.push_back("brand " + brand);
  }
  for (int32_t category : catalog.categories[item_idx]) {
    if (std::find(query.categories.begin(), query.categories.end(), category) !=
        query.categories.end()) {
      parts.push_back("in " + catalog.category_names[category]);
      break;
    }
  }
  if (const std::optional<double>& price = catalog.prices[item_idx];
      price && (query.min_price || query.max_price)) {
    std::string part = "price " + Amount(*price);
    if (query.min_price) part += ", over " + Amount(*query.min_price);
    if (query.max_price) part += ", under " + Amount(*query.max_price);
    parts.push_back(std::move(part));
  }
  if (personal_top) parts.push_back("fits your history");
  std::string reason;
  for (const std::string& part : parts) reason += (reason.empty() ? "" : "; ") + part;
  return reason.empty() ? "within the query's constraints" : reason;
}

}  // namespace tailor
