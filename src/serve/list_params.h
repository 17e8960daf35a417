// The options of a recommendation list (how many, which filters), read from a query string
// (GET /recommend/{user}, GET /similar/{item}) or a JSON body (POST /recommend), and resolved
// against the catalog into rank/'s Filters.
//
//   n                 1..1000, default 10
//   exclude_seen      true|false (also 1|0), default true; /recommend only
//   in_stock          true|false, default false: only items in stock when true
//   category          only items in one of these categories (repeatable, or a comma list)
//   exclude_category  never items in these categories (repeatable, or a comma list)
//   exclude           never these item ids (repeatable, or a comma list)
//   min_review_score  -1..1: drop items whose review sentiment score is below (unreviewed
//                     items stay); needs a sentiment model
//   review_weight     0..10, default 0: re-rank by review sentiment (rank/review_signals.h);
//                     needs a sentiment model
//   new_items         0..1000, default the server's (config server.new_item_slots): up to
//                     this many places for items added since the model was trained, by the
//                     likeness of their text to the history (rank/new_items.h); /recommend only
#ifndef TAILOR_SERVE_LIST_PARAMS_H_
#define TAILOR_SERVE_LIST_PARAMS_H_

#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rank/catalog.h"
#include "rank/recommend.h"
#include "tailor/status.h"

namespace tailor {

inline constexpr int kMaxListSize = 1000;

struct ListParams {
  int n = 10;
  bool exclude_seen = true;
  bool in_stock = false;
  // As given: an entry may be a comma list; ResolveFilters splits it unless the whole entry
  // is a known name (category names and ids may contain commas).
  std::vector<std::string> categories;
  std::vector<std::string> exclude_categories;
  std::vector<std::string> exclude_ids;
  std::optional<double> min_review_score;
  double review_weight = 0.0;
  std::optional<int> new_items;  // unset: the server's default
};

inline constexpr double kMaxReviewWeight = 10.0;

// From URL query parameters (already URL-decoded). `allow_exclude_seen` is false for
// /similar (exclude_seen and new_items are /recommend's only). Errors: kInvalidArgument naming the parameter ("query parameter 'n': expected an
// integer in 1..1000, got '0'"), also for unknown parameters.
StatusOr<ListParams> ListParamsFromQuery(const std::multimap<std::string, std::string>& query,
                                         bool allow_exclude_seen);

// From the fields of a JSON body (POST /recommend) with the same names; list fields take a
// string or an array of strings. Keys in `other_keys` are skipped (the caller reads them);
// any other unknown key is a kInvalidArgument error naming it.
StatusOr<ListParams> ListParamsFromJson(const nlohmann::json& body,
                                        const std::vector<std::string>& other_keys);

// Filters for rank/. Errors: kNotFound for an unknown excluded item id, kInvalidArgument for
// an unknown category name (each naming the parameter and the value).
StatusOr<Filters> ResolveFilters(const ListParams& params, const Catalog& catalog);

}  // namespace tailor

#endif  // TAILOR_SERVE_LIST_PARAMS_H_
