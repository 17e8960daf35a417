// ProductSearch: natural-language shopping search. A query is parsed (search_query.h), items
// are retrieved by two channels, lexical (BM25 over each item's title + text) and dense (the
// cosine of the query's and the item's TextModel embeddings), the union of their candidates is
// scored by a convex combination of the channels' scaled scores (the fusion that beats
// reciprocal-rank fusion in Bruch et al., "An Analysis of Fusion Functions for Hybrid
// Retrieval", TOIS 2023), plus boosts for the brands and categories the query names, plus the
// shopper's behaviour-model score; price bounds and an explicit brand are hard filters. Every
// result says why it matched.
//
// Immutable after Create(); Search() is const and thread-safe (scratch space per call).
#ifndef TAILOR_RANK_PRODUCT_SEARCH_H_
#define TAILOR_RANK_PRODUCT_SEARCH_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index/bm25_index.h"
#include "models/factors/factor_matrix.h"
#include "models/recommender.h"
#include "rank/catalog.h"
#include "rank/recommend.h"
#include "rank/search_query.h"
#include "tailor/status.h"
#include "text/text_model.h"

namespace tailor {

struct SearchOptions {
  int candidates = 200;           // items taken from each channel (lexical, dense) before fusion
  float lexical_weight = 1.0f;    // BM25, divided by the best candidate's BM25 (so in [0, 1])
  float dense_weight = 0.5f;      // query-item cosine, min-max scaled over the candidates
  float brand_weight = 0.5f;      // added when the item's brand is one the query names
  float category_weight = 0.25f;  // added when the item is in a category the query names
  float personal_weight = 0.2f;   // behaviour-model score, min-max scaled over the candidates
  Bm25Options bm25;
};

struct SearchRequest {
  std::string_view query;
  // The shopper's behaviour model and history for personal re-ranking; null = none.
  const Recommender* model = nullptr;
  Query user;
  Filters filters;  // business filters of rank/recommend.h (exclude_seen uses user.history)
  int n = 10;
  // Review signals for filters.min_review_score / review_weight (null = none).
  const ReviewSignals* reviews = nullptr;
};

struct SearchResult {
  int32_t item = 0;
  float score = 0.0f;
  std::string reason;  // e.g. "matches 'sanding', 'roll'; brand PORTER-CABLE; under 20"
  // The parts of the score, for callers that log or learn from them.
  float lexical = 0.0f;   // raw BM25
  float dense = 0.0f;     // cosine (0 without a text model)
  float personal = 0.0f;  // scaled model score (0 without a model)
};

class ProductSearch {
 public:
  // `item_texts[item_idx]` is what BM25 indexes (with the catalog title in front, counting the
  // title's words twice when the text repeats it). `text_model` (borrowed, must outlive the
  // search; may be null = lexical only) embeds queries; `item_embeddings` holds its unit
  // embeddings of the items, one row per catalog item (ignored without a text model).
  // Errors: kInvalidArgument when item_texts or item_embeddings do not have one row per
  // catalog item or the embedding width differs from the model's.
  static StatusOr<std::unique_ptr<ProductSearch>> Create(
      std::shared_ptr<const Catalog> catalog, const std::vector<std::string>& item_texts,
      const TextModel* text_model, FactorMatrix item_embeddings, const SearchOptions& options);

  // The best request.n items for request.query. Errors: kInvalidArgument for an empty or
  // contradictory query (search_query.h) or an unknown filter category.
  StatusOr<std::vector<SearchResult>> Search(const SearchRequest& request) const;

  // How the query is understood (search_query.h); errors as Search().
  StatusOr<SearchQuery> Parse(std::string_view query) const {
    return ParseSearchQuery(query, vocabulary_);
  }

  // BM25 alone over the same index (the baseline of the search benchmark), no filters.
  std::vector<ScoredItem> LexicalOnly(std::string_view query, int n) const;

  const Catalog& catalog() const { return *catalog_; }
  bool has_dense() const { return text_model_ != nullptr; }

 private:
  ProductSearch(std::shared_ptr<const Catalog> catalog, Bm25Index lexical,
                QueryVocabulary vocabulary, const TextModel* text_model,
                FactorMatrix item_embeddings, const SearchOptions& options)
      : catalog_(std::move(catalog)),
        lexical_(std::move(lexical)),
        vocabulary_(std::move(vocabulary)),
        text_model_(text_model),
        item_embeddings_(std::move(item_embeddings)),
        options_(options) {}

  // Why `item_idx` matched, from the parsed query and the channel scores.
  std::string Reason(const SearchQuery& query, int32_t item_idx, bool dense_top,
                     bool personal_top) const;

  std::shared_ptr<const Catalog> catalog_;
  Bm25Index lexical_;
  QueryVocabulary vocabulary_;
  const TextModel* text_model_;
  FactorMatrix item_embeddings_;
  SearchOptions options_;
};

}  // namespace tailor

#endif  // TAILOR_RANK_PRODUCT_SEARCH_H_
