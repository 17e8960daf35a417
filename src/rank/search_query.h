// SearchQuery: what a shopper's free-text query asks for, parsed against the catalog: the words
// to match, price bounds ("under $20", "over 50", "between 10 and 30"), an explicit brand
// ("brand Nivea", "by Nivea"), and the catalog's brands and categories the query names anyway
// ("porter-cable sanding rolls" names the brand PORTER-CABLE and the category Sanding Rolls).
// Brand and category names are matched as whole SearchTerms() sequences, longest first.
#ifndef TAILOR_RANK_SEARCH_QUERY_H_
#define TAILOR_RANK_SEARCH_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rank/catalog.h"
#include "tailor/status.h"

namespace tailor {

struct SearchQuery {
  std::string text;                  // the query without its price phrases (matched by text)
  std::optional<double> min_price;   // "over X", "above X", "more than X", "at least X"
  std::optional<double> max_price;   // "under X", "below X", "less than X", "up to X"
  std::optional<std::string> brand;  // "brand X" / "by X" with X a catalog brand: required
  std::vector<std::string> brands;   // catalog brands named anywhere (as written in the catalog)
  std::vector<int32_t> categories;   // catalog category ids named anywhere
};

// The catalog's brand and category names as term sequences, indexed for the parser. Built
// once per catalog generation; immutable and thread-safe to read.
class QueryVocabulary {
 public:
  static QueryVocabulary Build(const Catalog& catalog);

  // The longest brand (kind 0) or category (kind 1) name starting at terms[start], as its
  // length in terms (0 = none) and the matched entry.
  struct Match {
    int32_t length = 0;
    bool is_brand = false;
    std::string brand;     // as written in the catalog
    int32_t category = -1;
  };
  Match LongestAt(const std::vector<std::string>& terms, size_t start, bool brands_only) const;

 private:
  struct Entry {
    std::vector<std::string> terms;
    bool is_brand = false;
    std::string brand;
    int32_t category = -1;
  };
  std::unordered_map<std::string, std::vector<Entry>> by_first_term_;  // longest first
};

// Parses `text`. Errors: kInvalidArgument when the query holds no word at all, or when its
// price bounds contradict each other ("over 50 under 20").
StatusOr<SearchQuery> ParseSearchQuery(std::string_view text, const QueryVocabulary& vocabulary);

}  // namespace tailor

#endif  // TAILOR_RANK_SEARCH_QUERY_H_
