// SearchHolder: the ProductSearch generation that GET /search answers with, kept in step with
// the catalog in service. Rebuilt on the first search after the catalog changes: the items'
// texts are read from the store, BM25 is re-indexed (fast), and text embeddings are computed
// only for items that are new or whose text changed (the rest are reused), so adding a few
// items to a large catalog does not re-embed it.
#ifndef TAILOR_SERVE_SEARCH_HOLDER_H_
#define TAILOR_SERVE_SEARCH_HOLDER_H_

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "rank/product_search.h"
#include "serve/catalog_holder.h"
#include "tailor/status.h"
#include "tailor/store.h"
#include "text/text_model.h"

namespace tailor {

// Thread-safety: Current() may be called from any thread; rebuilds are serialized. Borrows the
// store and the catalog holder, which must outlive it.
class SearchHolder {
 public:
  // `text_model` (owned; null = lexical search only) embeds queries and item texts.
  SearchHolder(Store& store, CatalogHolder& catalogs, std::unique_ptr<TextModel> text_model,
               SearchOptions options = {});

  // The search over the catalog in service, rebuilt first when that catalog is newer than
  // the last build. Errors: the store's, or the text model's; the previous generation stays.
  StatusOr<std::shared_ptr<const ProductSearch>> Current();

  bool has_text_model() const { return text_model_ != nullptr; }
  // Item embeddings computed so far (all builds), for logs and tests.
  int64_t embedded_items() const;

 private:
  struct CachedEmbedding {
    std::string text;
    std::vector<float> values;
  };

  Store& store_;
  CatalogHolder& catalogs_;
  const std::unique_ptr<TextModel> text_model_;
  const SearchOptions options_;
  mutable std::mutex mu_;  // guards everything below; held while rebuilding
  std::shared_ptr<const Catalog> built_for_;
  std::shared_ptr<const ProductSearch> current_;
  std::unordered_map<std::string, CachedEmbedding> embeddings_;  // item id -> its last text's
  int64_t embedded_items_ = 0;
};

}  // namespace tailor

#endif  // TAILOR_SERVE_SEARCH_HOLDER_H_
