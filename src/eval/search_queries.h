// The query set of the search benchmark: one shopping query per evaluated user, built from the
// text of the item the user bought last (held out of training by leave-one-out), the way a
// shopper who knows roughly what they want types it: a few consecutive words of the title, the
// brand, and the deepest category (or, for vaguer queries, fewer words and no brand). The item
// is the one relevant answer.
#ifndef TAILOR_EVAL_SEARCH_QUERIES_H_
#define TAILOR_EVAL_SEARCH_QUERIES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "dataset/splits.h"
#include "rank/catalog.h"

namespace tailor {

struct SearchQueryCase {
  int32_t user = 0;
  int32_t item = 0;    // the relevant item
  std::string query;   // "<title window> <brand> <deepest category>", empty parts left out
};

struct SearchQueryOptions {
  int title_words = 3;    // length of the title window (the whole title when shorter)
  bool brand = true;      // append the item's brand
  bool category = true;   // append the item's deepest category
  int max_queries = 2000; // users sampled without replacement; <= 0 = every evaluated user
  uint64_t seed = 42;     // the sample and each window's start
};

// Queries for the users with a target in `split` whose target has a title, in increasing user
// order after sampling. Deterministic in options.seed.
std::vector<SearchQueryCase> BuildSearchQueries(const Catalog& catalog, const Split& split,
                                                const SearchQueryOptions& options);

// One line for reports: how the queries were built.
std::string DescribeSearchQueries(const SearchQueryOptions& options, size_t num_queries);

}  // namespace tailor

#endif  // TAILOR_EVAL_SEARCH_QUERIES_H_
