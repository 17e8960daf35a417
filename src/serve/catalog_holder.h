// CatalogHolder: the catalog generation the server filters and labels with. Rebuilt from the
// store (LoadCatalog) after the server writes items, when a request meets an item newer than
// the catalog, and when a new model is swapped in; swapped whole so readers never see a
// half-built catalog.
#ifndef TAILOR_SERVE_CATALOG_HOLDER_H_
#define TAILOR_SERVE_CATALOG_HOLDER_H_

#include <atomic>
#include <memory>
#include <mutex>

#include "rank/catalog.h"
#include "rank/new_items.h"
#include "tailor/status.h"
#include "tailor/store.h"

namespace tailor {

// Thread-safety: every method may be called from any thread. Borrows the store, which must
// outlive the holder.
class CatalogHolder {
 public:
  explicit CatalogHolder(Store& store) : store_(store) {}

  // The catalog in service; never null after the first successful Reload() (an empty catalog
  // before). Cheap: a short lock and a shared_ptr copy.
  std::shared_ptr<const Catalog> Current() const;

  // The text index of the catalog in service, for new items (rank/new_items.h); built with
  // it on Reload, null before the first. Item indexes only grow, so an index one reload
  // behind Current() is still right about every item it has.
  std::shared_ptr<const NewItemIndex> NewItems() const;

  // Reads every item from the store and swaps the new catalog in. Reloads are serialized, so
  // the catalog in service afterwards includes every item write that finished before the
  // call. Errors: the store's error; the previous catalog stays in service then.
  Status Reload();

  // Notes that the store holds items the catalog lacks (written by another process); the
  // server's poll thread then reloads.
  void MarkStale() { stale_.store(true, std::memory_order_relaxed); }
  bool stale() const { return stale_.load(std::memory_order_relaxed); }

 private:
  Store& store_;
  mutable std::mutex mu_;  // guards current_ and new_items_
  std::shared_ptr<const Catalog> current_ = std::make_shared<const Catalog>();
  std::shared_ptr<const NewItemIndex> new_items_;
  std::mutex reload_mu_;  // serializes Reload()
  std::atomic<bool> stale_ = false;
};

}  // namespace tailor

#endif  // TAILOR_SERVE_CATALOG_HOLDER_H_
