// NewItemIndex: recommending items the served model has never seen (added to the catalog
// after it was trained: their index is >= the model's num_items(), and every model gives them
// its lowest score). Until the next training they are placed by their own words: each catalog
// item's text (title, brand, category names) as a TF-IDF vector (index/tfidf_vectors.h), and
//   score(i) = sum over the last kNewItemHistory history items h of cos(x_i, x_h)^3,
// the cold-item protocol's text-tfidf method (eval/cold_item_scorers.h; on amazon-scientific-
// text 1.58x the ndcg@10 of category/brand overlap on items held out of training). The
// history item with the largest term is the reason's anchor.
//
// Immutable after Build; Best is thread-safe.
#ifndef TAILOR_RANK_NEW_ITEMS_H_
#define TAILOR_RANK_NEW_ITEMS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dataset/histories.h"
#include "index/tfidf_vectors.h"
#include "rank/catalog.h"

namespace tailor {

// How many of the most recent history items the score reads.
inline constexpr int kNewItemHistory = 50;

struct NewItemMatch {
  int32_t item = 0;
  double score = 0.0;  // sum of cos^3, > 0
  int32_t anchor = 0;  // the history item most like it
};

class NewItemIndex {
 public:
  // Vectors of every catalog item's text.
  static std::shared_ptr<const NewItemIndex> Build(const Catalog& catalog);

  // The item's text as indexed: title, brand and category names.
  static std::string ItemText(const Catalog& catalog, int32_t item_idx);

  // The `k` best items in [first_new, num_items) with allowed[item] != 0, best first (ties
  // by index); items sharing no word with the history are left out. `allowed` has one entry
  // per catalog item (shorter: items past its end are not allowed).
  std::vector<NewItemMatch> Best(std::span<const Interaction> history, int32_t first_new,
                                 std::span<const uint8_t> allowed, int k) const;

  int32_t num_items() const { return vectors_.num_documents(); }

 private:
  TfidfVectors vectors_;
};

}  // namespace tailor

#endif  // TAILOR_RANK_NEW_ITEMS_H_
