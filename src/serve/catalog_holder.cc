#include "serve/catalog_holder.h"

#include <utility>

namespace tailor {

std::shared_ptr<const Catalog> CatalogHolder::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

std::shared_ptr<const NewItemIndex> CatalogHolder::NewItems() const {
  std::lock_guard<std::mutex> lock(mu_);
  return new_items_;
}

Status CatalogHolder::Reload() {
  std::lock_guard<std::mutex> reload_lock(reload_mu_);
  // Cleared before reading so that a MarkStale() during the load triggers another one.
  stale_.store(false, std::memory_order_relaxed);
  auto loaded = LoadCatalog(store_);
  if (!loaded.ok()) {
    stale_.store(true, std::memory_order_relaxed);
    return loaded.status().WithContext("cannot load the catalog");
  }
  auto next = std::make_shared<const Catalog>(std::move(loaded).value());
  std::shared_ptr<const NewItemIndex> new_items = NewItemIndex::Build(*next);
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(next);
  new_items_ = std::move(new_items);
  return OkStatus();
}

}  // namespace tailor
