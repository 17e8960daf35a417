// Dataset: an immutable snapshot of a store, ready for training and evaluation:
// ids, event types, per-user chronological histories (positive events), and each user's
// rejected items (negative event types, never recommended to them again).
#ifndef TAILOR_DATASET_DATASET_H_
#define TAILOR_DATASET_DATASET_H_

#include <string>
#include <vector>

#include "dataset/histories.h"
#include "dataset/item_features.h"
#include "dataset/item_vectors.h"
#include "tailor/status.h"
#include "tailor/store.h"

namespace tailor {

struct Dataset {
  std::vector<std::string> user_ids;        // [user_idx] -> id
  std::vector<std::string> item_ids;        // [item_idx] -> id
  std::vector<EventTypeSpec> event_types;   // [type] -> spec
  UserHistories histories;                  // positive events (weight > 0), chronological
  std::vector<std::vector<int32_t>> rejected;  // [user_idx] -> items with a negative event
  ItemFeatures item_features;               // categories, brand, price bucket per item
  ItemVectors image_vectors;                // the shop's image vectors (Item::image_vector)
  ItemVectors item_content;                 // what models fuse (FitOptions::item_vectors):
                                            // ConcatNormalized of the image vectors and, when
                                            // a tool adds them, text embeddings
  std::vector<std::string> item_texts;      // [item_idx] -> ItemText (dataset/item_text.h);
                                            // empty unless DatasetLoadOptions::item_texts

  int32_t num_users() const { return histories.num_users; }
  int32_t num_items() const { return histories.num_items; }
};

// Reads every event of the store once (streamed) and every item, and builds the snapshot. Events of
// zero-weight, non-negative types (e.g. remove_from_cart) are left out of the histories.
struct DatasetLoadOptions {
  // Also read every item's text into Dataset::item_texts (the text stage's input): one more
  // scan of the items and their text kept in memory, so only the text paths ask for it.
  bool item_texts = false;
};

StatusOr<Dataset> LoadDataset(Store& store, const DatasetLoadOptions& options = {});

// Builds a user's history from stored events, as LoadDataset would (used at request time).
std::vector<Interaction> HistoryFromEvents(const std::vector<StoredEvent>& events,
                                           const std::vector<EventTypeSpec>& types,
                                           std::vector<int32_t>* rejected);

}  // namespace tailor

#endif  // TAILOR_DATASET_DATASET_H_
