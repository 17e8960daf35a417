#include "dataset/rating_folds.h"

#include <algorithm>
#include <unordered_map>

namespace tailor {

StatusOr<std::vector<RatingTriple>> MapRatingRows(const std::vector<RatingRow>& rows,
                                                  const std::string& path, const Dataset& dataset) {
  std::unordered_map<std::string_view, int32_t> users;
  std::unordered_map<std::string_view, int32_t> items;
  users.reserve(dataset.user_ids.size());
  items.reserve(dataset.item_ids.size());
  for (size_t idx = 0; idx < dataset.user_ids.size(); ++idx)
    users.emplace(dataset.user_ids[idx], static_cast<int32_t>(idx));
  for (size_t idx = 0; idx < dataset.item_ids.size(); ++idx)
    items.emplace(dataset.item_ids[idx], static_cast<int32_t>(idx));
  std::vector<RatingTriple> triples;
  triples.reserve(rows.size());
  for (const RatingRow& row : rows) {
    auto user = users.find(row.user_id);
    auto item = items.find(row.item_id);
    if (user == users.end() || item == items.end()) {
      const bool user_missing = user == users.end();
      return InvalidArgumentError(path + ":" + std::to_string(row.line) + ": unknown " +
                                  (user_missing ? "user '" + row.user_id : "item '" + row.item_id) +
                                  "' (not in the imported dataset)");
    }
    triples.push_back({user->second, item->second, row.rating, row.timestamp});
  }
  return triples;
}

StatusOr<std::vector<RatingFold>> LoadRatingFolds(const std::vector<RatingFoldPaths>& paths,
                                                  const Dataset& dataset) {
  std::vector<RatingFold> folds;
  for (const RatingFoldPaths& fold_paths : paths) {
    RatingFold fold;
    ASSIGN_OR_RETURN(std::vector<RatingRow> train_rows, ReadRatingFile(fold_paths.train));
    ASSIGN_OR_RETURN(fold.train, MapRatingRows(train_rows, fold_paths.train, dataset));
    ASSIGN_OR_RETURN(std::vector<RatingRow> test_rows, ReadRatingFile(fold_paths.test));
    ASSIGN_OR_RETURN(fold.test, MapRatingRows(test_rows, fold_paths.test, dataset));
    folds.push_back(std::move(fold));
  }
  return folds;
}

StatusOr<UserHistories> RatingHistories(const std::vector<RatingTriple>& ratings,
                                        const Dataset& dataset) {
  int16_t rating_type = -1;
  for (size_t type = 0; type < dataset.event_types.size(); ++type) {
    if (dataset.event_types[type].name == "rating") rating_type = static_cast<int16_t>(type);
  }
  if (rating_type < 0) {
    return FailedPreconditionError("the dataset has no 'rating' event type");
  }
  const float weight = dataset.event_types[rating_type].weight;
  const int32_t num_users = dataset.num_users();
  const int32_t num_items = dataset.num_items();
  std::vector<std::vector<Interaction>> lists(static_cast<size_t>(num_users));
  for (size_t pos = 0; pos < ratings.size(); ++pos) {
    const RatingTriple& triple = ratings[pos];
    if (triple.user < 0 || triple.user >= num_users || triple.item < 0 ||
        triple.item >= num_items) {
      return InvalidArgumentError("rating " + std::to_string(pos) + ": user " +
                                  std::to_string(triple.user) + " or item " +
                                  std::to_string(triple.item) + " out of range");
    }
    lists[triple.user].push_back({.item = triple.item,
                                  .type = rating_type,
                                  .weight = weight,
                                  .value = triple.rating,
                                  .timestamp = triple.timestamp});
  }
  for (auto& list : lists) {
    std::stable_sort(list.begin(), list.end(), [](const Interaction& a, const Interaction& b) {
      return a.timestamp < b.timestamp;
    });
  }
  return UserHistories::FromLists(num_items, lists);
}

}  // namespace tailor
