#include "dataset/dataset.h"

#include <algorithm>

#include "dataset/item_text.h"

namespace tailor {
namespace {

bool Chronological(const StoredEvent& a, const StoredEvent& b) {
  if (a.timestamp != b.timestamp) return a.timestamp < b.timestamp;
  return a.seq < b.seq;
}

}  // namespace

std::vector<Interaction> HistoryFromEvents(const std::vector<StoredEvent>& events,
                                           const std::vector<EventTypeSpec>& types,
                                           std::vector<int32_t>* rejected) {
  std::vector<Interaction> history;
  history.reserve(events.size());
  for (const StoredEvent& e : events) {
    if (e.type < 0 || static_cast<size_t>(e.type) >= types.size()) continue;
    const EventTypeSpec& spec = types[static_cast<size_t>(e.type)];
    if (spec.negative) {
      if (rejected != nullptr) rejected->push_back(e.item);
      continue;
    }
    if (spec.weight <= 0.0f) continue;
    history.push_back({e.item, e.type, spec.weight, e.value, e.timestamp});
  }
  return history;
}

StatusOr<Dataset> LoadDataset(Store& store, const DatasetLoadOptions& options) {
  Dataset ds;
  ASSIGN_OR_RETURN(ds.user_ids, store.UserIds());
  ASSIGN_OR_RETURN(ds.item_ids, store.ItemIds());
  ASSIGN_OR_RETURN(ds.event_types, store.EventTypes());
  const auto num_users = static_cast<int32_t>(ds.user_ids.size());

  // Two passes over a flat copy: count per user, then place (counting sort by user).
  std::vector<StoredEvent> events;
  RETURN_IF_ERROR(store.ScanEvents([&](const StoredEvent& e) {
    events.push_back(e);
    return OkStatus();
  }));
  std::vector<int64_t> offsets(static_cast<size_t>(num_users) + 1, 0);
  for (const auto& e : events) {
    if (e.user < 0 || e.user >= num_users) {
      return DataLossError("event " + std::to_string(e.seq) + " has user index " +
                           std::to_string(e.user) + " outside 0.." + std::to_string(num_users));
    }
    ++offsets[static_cast<size_t>(e.user) + 1];
  }
  for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
    offsets[user_idx + 1] += offsets[user_idx];
  }
  std::vector<StoredEvent> by_user(events.size());
  {
    std::vector<int64_t> next(offsets.begin(), offsets.end() - 1);
    for (const auto& e : events) by_user[static_cast<size_t>(next[e.user]++)] = e;
  }
  events.clear();
  events.shrink_to_fit();

  ds.histories.num_users = num_users;
  ds.histories.num_items = static_cast<int32_t>(ds.item_ids.size());
  ds.histories.offsets.assign(1, 0);
  ds.histories.interactions.reserve(by_user.size());
  ds.rejected.resize(static_cast<size_t>(num_users));
  std::vector<StoredEvent> user_events;
  for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
    user_events.assign(by_user.begin() + offsets[user_idx], by_user.begin() + offsets[user_idx + 1]);
    std::stable_sort(user_events.begin(), user_events.end(), Chronological);
    auto history = HistoryFromEvents(user_events, ds.event_types, &ds.rejected[user_idx]);
    ds.histories.interactions.insert(ds.histories.interactions.end(), history.begin(),
                                     history.end());
    ds.histories.offsets.push_back(static_cast<int64_t>(ds.histories.interactions.size()));
  }
  // One scan of the items for their side features, image vectors and (optionally) texts.
  const int32_t num_items = ds.histories.num_items;
  std::vector<std::vector<std::string>> feature_names(static_cast<size_t>(num_items));
  ImageVectorCollector images(num_items);
  if (options.item_texts) ds.item_texts.assign(static_cast<size_t>(num_items), std::string());
  RETURN_IF_ERROR(store.ScanItems([&](int32_t item_idx, const Item& item) -> Status {
    if (item_idx < 0 || item_idx >= num_items) return OkStatus();
    feature_names[item_idx] = ItemFeatureNames(item);
    if (options.item_texts) ds.item_texts[item_idx] = ItemText(item);
    return images.Add(item_idx, item);
  }));
  ds.item_features = ItemFeatures::FromNames(feature_names);
  ds.image_vectors = std::move(images).Finish();
  ASSIGN_OR_RETURN(ds.item_content,
                   ConcatNormalized(std::vector<const ItemVectors*>{&ds.image_vectors}));
  return ds;
}

}  // namespace tailor
