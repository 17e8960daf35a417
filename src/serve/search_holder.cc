#include "serve/search_holder.h"

#include <algorithm>
#include <utility>

#include "dataset/item_text.h"

namespace tailor {

SearchHolder::SearchHolder(Store& store, CatalogHolder& catalogs,
                           std::unique_ptr<TextModel> text_model, SearchOptions options)
    : store_(store),
      catalogs_(catalogs),
      text_model_(std::move(text_model)),
      options_(options) {}

int64_t SearchHolder::embedded_items() const {
  std::lock_guard<std::mutex> lock(mu_);
  return embedded_items_;
}

StatusOr<std::shared_ptr<const ProductSearch>> SearchHolder::Current() {
  std::shared_ptr<const Catalog> catalog = catalogs_.Current();
  std::lock_guard<std::mutex> lock(mu_);
  if (current_ != nullptr && built_for_ == catalog) return current_;
  ASSIGN_OR_RETURN(std::vector<std::string> texts, LoadItemTexts(store_, catalog->size()));
  FactorMatrix embeddings;
  if (text_model_ != nullptr) {
    // Embed only what is new or changed, then assemble the rows in catalog order.
    std::vector<int32_t> stale;
    std::vector<std::string> stale_texts;
    for (int32_t item_idx = 0; item_idx < catalog->size(); ++item_idx) {
      auto it = embeddings_.find(catalog->item_ids[item_idx]);
      if (it == embeddings_.end() || it->second.text != texts[item_idx]) {
        stale.push_back(item_idx);
        stale_texts.push_back(texts[item_idx]);
      }
    }
    if (!stale.empty()) {
      ASSIGN_OR_RETURN(FactorMatrix fresh, text_model_->EmbedAll(stale_texts, 0));
      for (size_t row = 0; row < stale.size(); ++row) {
        CachedEmbedding& cached = embeddings_[catalog->item_ids[stale[row]]];
        cached.text = texts[stale[row]];
        cached.values.assign(fresh.row(static_cast<int32_t>(row)),
                             fresh.row(static_cast<int32_t>(row)) + fresh.cols());
      }
      embedded_items_ += static_cast<int64_t>(stale.size());
    }
    embeddings = FactorMatrix(catalog->size(), text_model_->dim());
    for (int32_t item_idx = 0; item_idx < catalog->size(); ++item_idx) {
      const std::vector<float>& values = embeddings_.at(catalog->item_ids[item_idx]).values;
      std::copy(values.begin(), values.end(), embeddings.row(item_idx));
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ProductSearch> search,
                   ProductSearch::Create(catalog, texts, text_model_.get(),
                                         std::move(embeddings), options_));
  current_ = std::move(search);
  built_for_ = std::move(catalog);
  return current_;
}

}  // namespace tailor
