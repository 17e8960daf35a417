#include "serve/handlers.h"

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dataset/dataset.h"
#include "rank/recommend.h"
#include "serve/json_io.h"
#include "serve/json_rows.h"
#include "serve/list_params.h"

namespace tailor {
namespace {

using nlohmann::json;

std::string TypeNames(const std::vector<EventTypeSpec>& types) {
  std::string names;
  for (const auto& spec : types) names += (names.empty() ? "" : ", ") + spec.name;
  return names;
}

std::optional<int16_t> FindType(const std::vector<EventTypeSpec>& types, std::string_view name) {
  for (size_t type_idx = 0; type_idx < types.size(); ++type_idx) {
    if (types[type_idx].name == name) return static_cast<int16_t>(type_idx);
  }
  return std::nullopt;
}

// Events may name items that the catalog in service lacks (written by another process since
// it was loaded); rank/ cannot label them, so they are left out and the catalog reloaded soon.
void DropItemsBeyondCatalog(const Catalog& catalog, CatalogHolder& catalogs,
                            std::vector<Interaction>* history, std::vector<int32_t>* rejected) {
  const int32_t size = catalog.size();
  auto beyond = [size](int32_t item_idx) { return item_idx < 0 || item_idx >= size; };
  size_t before = history->size() + rejected->size();
  std::erase_if(*history, [&](const Interaction& x) { return beyond(x.item); });
  std::erase_if(*rejected, beyond);
  if (history->size() + rejected->size() != before) catalogs.MarkStale();
}

ApiResponse ListResponse(json head, const std::vector<Recommendation>& list,
                         const Catalog& catalog) {
  head["items"] = RecommendationsToJson(list, catalog);
  return {200, std::move(head)};
}

// Parses the "history" of POST /recommend: entries are item ids or objects
// {"item": id, "type": "view", "timestamp": ..., "value": ...}, oldest first.
StatusOr<std::vector<StoredEvent>> SessionEvents(const json& history,
                                                 const std::vector<EventTypeSpec>& types,
                                                 const Catalog& catalog, int64_t now) {
  if (!history.is_array()) {
    return InvalidArgumentError("field 'history': expected an array, got " +
                                std::string(history.type_name()));
  }
  if (history.size() > kMaxRowsPerRequest) {
    return ResourceExhaustedError("field 'history': " + std::to_string(history.size()) +
                                  " entries; at most " + std::to_string(kMaxRowsPerRequest));
  }
  const int16_t view_type = FindType(types, "view").value_or(0);
  std::vector<StoredEvent> events;
  events.reserve(history.size());
  for (size_t entry_idx = 0; entry_idx < history.size(); ++entry_idx) {
    const json& entry = history[entry_idx];
    const std::string where = "history[" + std::to_string(entry_idx) + "]";
    StoredEvent event;
    event.seq = static_cast<int64_t>(entry_idx);
    event.type = view_type;
    event.timestamp = now;
    const json* item = &entry;
    if (entry.is_object()) {
      for (const auto& [key, value] : entry.items()) {
        if (key == "item") {
          item = &value;
        } else if (key == "type") {
          if (!value.is_string()) {
            return InvalidArgumentError(where + ": field 'type': expected a string, got " +
                                        value.dump());
          }
          auto type = FindType(types, value.get_ref<const std::string&>());
          if (!type) {
            return InvalidArgumentError(where + ": field 'type': unknown event type '" +
                                        value.get<std::string>() + "' (known: " + TypeNames(types) +
                                        ")");
          }
          event.type = *type;
        } else if (key == "timestamp") {
          auto timestamp = TimestampFromJson(value);
          if (!timestamp.ok()) {
            return timestamp.status().WithContext(where + ": field 'timestamp'");
          }
          event.timestamp = *timestamp;
        } else if (key == "value") {
          if (!value.is_number()) {
            return InvalidArgumentError(where + ": field 'value': expected a number, got " +
                                        value.dump());
          }
          event.value = value.get<float>();
        } else {
          return InvalidArgumentError(where + ": unknown field '" + key +
                                      "' (known: item, type, timestamp, value)");
        }
      }
      if (item == &entry) return InvalidArgumentError(where + ": field 'item': required");
    }
    if (!item->is_string()) {
      return InvalidArgumentError(where +
                                  ": expected an item id or {\"item\": id, \"type\": "
                                  "...}, got " +
                                  item->dump());
    }
    auto found = catalog.item_index.find(item->get<std::string>());
    if (found == catalog.item_index.end()) {
      return NotFoundError(where + ": unknown item '" + item->get<std::string>() + "'");
    }
    event.item = found->second;
    events.push_back(event);
  }
  return events;
}

}  // namespace

Handlers::Handlers(Store& store, ModelHolder& models, CatalogHolder& catalogs,
                   SearchHolder& searches, ReviewSentiments& reviews, int history_limit,
                   int new_item_slots, LogFn log)
    : store_(store),
      models_(models),
      catalogs_(catalogs),
      searches_(searches),
      reviews_(reviews),
      history_limit_(history_limit),
      new_item_slots_(new_item_slots),
      log_(std::move(log)) {}

StatusOr<std::shared_ptr<const ModelGeneration>> Handlers::CurrentModel() const {
  auto generation = models_.Current();
  if (generation) return generation;
  std::string message =
      "no trained model is loaded; run `tailor train` (the server picks up "
      "the new artifact in '" +
      models_.models_dir() + "' by itself, or POST /admin/reload)";
  Status last = models_.LastError();
  if (!last.ok() && last.code() != StatusCode::kNotFound) {
    message += "; last error: " + last.message();
  }
  return UnavailableError(message);
}

StatusOr<StoreStats> Handlers::CachedStats() {
  std::lock_guard<std::mutex> lock(stats_mu_);
  const auto now = std::chrono::steady_clock::now();
  if (!stats_ || now - stats_at_ > std::chrono::seconds(kHealthCountsMaxAgeSeconds)) {
    ASSIGN_OR_RETURN(stats_, store_.Stats());
    stats_at_ = now;
  }
  return *stats_;
}

StatusOr<ApiResponse> Handlers::Health(const ApiRequest& request) {
  ASSIGN_OR_RETURN(StoreStats stats, CachedStats());
  auto generation = models_.Current();
  json body = {{"status", "ok"},
               {"model", generation ? json(generation->model->name()) : json()},
               {"model_file", generation ? json(generation->file) : json()},
               {"model_generation", generation ? generation->generation : 0},
               {"items", stats.items},
               {"users", stats.users},
               {"events", stats.events}};
  return ApiResponse{200, std::move(body)};
}

StatusOr<ApiResponse> Handlers::RecommendUser(const ApiRequest& request) {
  const std::string& user_id = request.path_args.at(0);
  ASSIGN_OR_RETURN(ListParams params, ListParamsFromQuery(request.query, true));
  if (!params.new_items) params.new_items = new_item_slots_;
  ASSIGN_OR_RETURN(auto generation, CurrentModel());
  std::shared_ptr<const Catalog> catalog = catalogs_.Current();
  ASSIGN_OR_RETURN(Filters filters, ResolveFilters(params, *catalog));
  ASSIGN_OR_RETURN(UserHistory user, ReadUserHistory(user_id, *catalog));
  Query query;
  // The store's dense user index is the index the model was trained with.
  query.user = user.user_idx.value_or(-1);
  query.history = user.history;
  ASSIGN_OR_RETURN(std::vector<Recommendation> list,
                   Recommend(*generation->model, *catalog, query, user.rejected, filters,
                             params.n, reviews_.Signals().get(), catalogs_.NewItems().get()));
  json head = {{"user", user_id},
               {"user_known", user.user_idx.has_value()},
               {"history", user.history.size()},
               {"model", generation->model->name()}};
  return ListResponse(std::move(head), list, *catalog);
}

StatusOr<Handlers::UserHistory> Handlers::ReadUserHistory(const std::string& user_id,
                                                          const Catalog& catalog) {
  UserHistory user;
  ASSIGN_OR_RETURN(user.user_idx, store_.FindUser(user_id));
  if (user.user_idx) {
    ASSIGN_OR_RETURN(std::vector<StoredEvent> events,
                     store_.UserEvents(*user.user_idx, history_limit_));
    ASSIGN_OR_RETURN(std::vector<EventTypeSpec> types, store_.EventTypes());
    user.history = HistoryFromEvents(events, types, &user.rejected);
    DropItemsBeyondCatalog(catalog, catalogs_, &user.history, &user.rejected);
  }
  return user;
}

StatusOr<ApiResponse> Handlers::Search(const ApiRequest& request) {
  std::multimap<std::string, std::string> list_query = request.query;
  auto take = [&list_query](const std::string& name) -> StatusOr<std::optional<std::string>> {
    if (list_query.count(name) > 1) {
      return InvalidArgumentError("query parameter '" + name + "': given more than once");
    }
    auto it = list_query.find(name);
    if (it == list_query.end()) return std::optional<std::string>();
    std::string value = it->second;
    list_query.erase(it);
    return std::optional<std::string>(std::move(value));
  };
  ASSIGN_OR_RETURN(std::optional<std::string> text, take("q"));
  if (!text) return InvalidArgumentError("query parameter 'q': required (the search text)");
  ASSIGN_OR_RETURN(std::optional<std::string> user_id, take("user"));
  const bool seen_given = list_query.count("exclude_seen") > 0;
  ASSIGN_OR_RETURN(ListParams params, ListParamsFromQuery(list_query, true));
  if (!seen_given) params.exclude_seen = false;  // a searched-for item may be one bought before
  ASSIGN_OR_RETURN(std::shared_ptr<const ProductSearch> search, searches_.Current());
  const Catalog& catalog = search->catalog();
  ASSIGN_OR_RETURN(Filters filters, ResolveFilters(params, catalog));
  ASSIGN_OR_RETURN(SearchQuery parsed, search->Parse(*text));
  UserHistory user;
  if (user_id) {
    ASSIGN_OR_RETURN(user, ReadUserHistory(*user_id, catalog));
  }
  // Search works without a trained model; it is then not personal.
  std::shared_ptr<const ModelGeneration> generation = models_.Current();
  SearchRequest search_request;
  search_request.query = *text;
  search_request.model = user_id && generation ? generation->model.get() : nullptr;
  search_request.user = Query{user.user_idx.value_or(-1), user.history};
  search_request.filters = std::move(filters);
  search_request.filters.exclude_items.insert(search_request.filters.exclude_items.end(),
                                              user.rejected.begin(), user.rejected.end());
  search_request.n = params.n;
  std::shared_ptr<const ReviewSignals> reviews = reviews_.Signals();
  search_request.reviews = reviews.get();
  ASSIGN_OR_RETURN(std::vector<SearchResult> results, search->Search(search_request));
  std::vector<Recommendation> list;
  for (const SearchResult& result : results) list.push_back({result.item, result.score, result.reason});
  json understood = {{"text", parsed.text},
                     {"min_price", parsed.min_price ? json(*parsed.min_price) : json(nullptr)},
                     {"max_price", parsed.max_price ? json(*parsed.max_price) : json(nullptr)},
                     {"brand", parsed.brand ? json(*parsed.brand) : json(nullptr)},
                     {"brands", parsed.brands},
                     {"categories", json::array()}};
  for (int32_t category : parsed.categories) {
    understood["categories"].push_back(catalog.category_names[category]);
  }
  json head = {{"query", *text},
               {"understood", std::move(understood)},
               {"user", user_id ? json(*user_id) : json(nullptr)},
               {"user_known", user.user_idx.has_value()},
               {"history", user.history.size()},
               {"personalized", search_request.model != nullptr},
               {"dense", search->has_dense()},
               {"model", search_request.model ? json(search_request.model->name()) : json(nullptr)}};
  return ListResponse(std::move(head), list, catalog);
}

StatusOr<ApiResponse> Handlers::RecommendSession(const ApiRequest& request) {
  ASSIGN_OR_RETURN(json body, ParseJsonBody(request.body));
  if (!body.is_object()) {
    return InvalidArgumentError(
        "expected a JSON object {\"history\": [...], \"n\": 10, ...}, got " +
        std::string(body.type_name()));
  }
  ASSIGN_OR_RETURN(ListParams params, ListParamsFromJson(body, {"history"}));
  if (!params.new_items) params.new_items = new_item_slots_;
  ASSIGN_OR_RETURN(auto generation, CurrentModel());
  std::shared_ptr<const Catalog> catalog = catalogs_.Current();
  ASSIGN_OR_RETURN(Filters filters, ResolveFilters(params, *catalog));
  ASSIGN_OR_RETURN(std::vector<EventTypeSpec> types, store_.EventTypes());
  std::vector<StoredEvent> events;
  if (auto it = body.find("history"); it != body.end() && !it->is_null()) {
    ASSIGN_OR_RETURN(events,
                     SessionEvents(*it, types, *catalog, static_cast<int64_t>(std::time(nullptr))));
  }
  std::vector<int32_t> rejected;
  std::vector<Interaction> history = HistoryFromEvents(events, types, &rejected);
  Query query;
  query.user = -1;
  query.history = history;
  ASSIGN_OR_RETURN(std::vector<Recommendation> list,
                   Recommend(*generation->model, *catalog, query, rejected, filters, params.n,
                             reviews_.Signals().get(), catalogs_.NewItems().get()));
  json head = {{"user", nullptr},
               {"user_known", false},
               {"history", history.size()},
               {"model", generation->model->name()}};
  return ListResponse(std::move(head), list, *catalog);
}

StatusOr<ApiResponse> Handlers::SimilarItems(const ApiRequest& request) {
  const std::string& item_id = request.path_args.at(0);
  ASSIGN_OR_RETURN(ListParams params, ListParamsFromQuery(request.query, false));
  ASSIGN_OR_RETURN(auto generation, CurrentModel());
  std::shared_ptr<const Catalog> catalog = catalogs_.Current();
  auto found = catalog->item_index.find(item_id);
  if (found == catalog->item_index.end()) {
    auto stored = store_.FindItem(item_id);
    if (stored.ok() && stored->has_value()) catalogs_.MarkStale();
    return NotFoundError("unknown item '" + item_id + "'");
  }
  ASSIGN_OR_RETURN(Filters filters, ResolveFilters(params, *catalog));
  json head = {{"item", item_id}, {"model", generation->model->name()}};
  // An item added after training has no neighbours in this model yet.
  std::vector<Recommendation> list;
  if (found->second < generation->model->num_items()) {
    ASSIGN_OR_RETURN(list, Similar(*generation->model, *catalog, found->second, filters, params.n,
                                   reviews_.Signals().get()));
  }
  return ListResponse(std::move(head), list, *catalog);
}

StatusOr<ApiResponse> Handlers::GetItem(const ApiRequest& request) {
  const std::string& item_id = request.path_args.at(0);
  ASSIGN_OR_RETURN(std::optional<int32_t> item_idx, store_.FindItem(item_id));
  if (!item_idx) return NotFoundError("unknown item '" + item_id + "'");
  ASSIGN_OR_RETURN(Item item, store_.GetItem(*item_idx));
  ASSIGN_OR_RETURN(ItemReviewSummary summary, reviews_.Summarize(*item_idx));
  json body = ItemToJson(item);
  body["reviews"] = reviews_.ToJson(summary);
  return ApiResponse{200, std::move(body)};
}

StatusOr<ApiResponse> Handlers::PostEvents(const ApiRequest& request) {
  ASSIGN_OR_RETURN(json body, ParseJsonBody(request.body));
  ASSIGN_OR_RETURN(std::vector<const json*> rows, BatchRows(body, "events"));
  ASSIGN_OR_RETURN(std::vector<EventTypeSpec> types, store_.EventTypes());
  const auto now = static_cast<int64_t>(std::time(nullptr));
  WriteBatch batch;
  batch.events.reserve(rows.size());
  std::unordered_set<std::string> known_items;
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const std::string where = "events[" + std::to_string(row_idx) + "]";
    ASSIGN_OR_RETURN(Event event, EventFromJson(*rows[row_idx], where, now));
    if (!FindType(types, event.type)) {
      return InvalidArgumentError(where + ": field 'type': unknown event type '" + event.type +
                                  "' (known: " + TypeNames(types) + ")");
    }
    if (!known_items.contains(event.item_id)) {
      ASSIGN_OR_RETURN(std::optional<int32_t> item_idx, store_.FindItem(event.item_id));
      if (!item_idx) {
        return NotFoundError(where + ": unknown item '" + event.item_id +
                             "' (POST it to /items first); nothing was stored");
      }
      known_items.insert(event.item_id);
    }
    batch.events.push_back(std::move(event));
  }
  ASSIGN_OR_RETURN(WriteResult written, store_.Write(batch));
  return ApiResponse{
      201, {{"stored", written.events_written}, {"duplicates", written.events_skipped_duplicate}}};
}

StatusOr<ApiResponse> Handlers::PostItems(const ApiRequest& request) {
  ASSIGN_OR_RETURN(json body, ParseJsonBody(request.body));
  ASSIGN_OR_RETURN(std::vector<const json*> rows, BatchRows(body, "items"));
  WriteBatch batch;
  batch.items.reserve(rows.size());
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    ASSIGN_OR_RETURN(Item item,
                     ItemFromJson(*rows[row_idx], "items[" + std::to_string(row_idx) + "]"));
    batch.items.push_back(std::move(item));
  }
  ASSIGN_OR_RETURN(WriteResult written, store_.Write(batch));
  // The items are stored; a failed catalog rebuild is retried by the poll thread.
  if (Status reloaded = catalogs_.Reload(); !reloaded.ok()) {
    log_(reloaded.ToString());
    catalogs_.MarkStale();
  }
  return ApiResponse{200, {{"upserted", written.items_written}}};
}

StatusOr<ApiResponse> Handlers::PostUsers(const ApiRequest& request) {
  ASSIGN_OR_RETURN(json body, ParseJsonBody(request.body));
  ASSIGN_OR_RETURN(std::vector<const json*> rows, BatchRows(body, "users"));
  WriteBatch batch;
  batch.users.reserve(rows.size());
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    ASSIGN_OR_RETURN(User user,
                     UserFromJson(*rows[row_idx], "users[" + std::to_string(row_idx) + "]"));
    batch.users.push_back(std::move(user));
  }
  ASSIGN_OR_RETURN(WriteResult written, store_.Write(batch));
  return ApiResponse{200, {{"upserted", written.users_written}}};
}

StatusOr<ApiResponse> Handlers::AdminReload(const ApiRequest& request) {
  // Review signals first: they do not need a model.
  ASSIGN_OR_RETURN(int64_t reviews_summarized, reviews_.Refresh());
  auto swapped = models_.Reload();
  if (!swapped.ok()) {
    // No artifact at all is "not ready yet", not a missing route.
    if (swapped.status().code() == StatusCode::kNotFound) {
      return UnavailableError(swapped.status().message());
    }
    return swapped.status();
  }
  RETURN_IF_ERROR(catalogs_.Reload());
  auto generation = models_.Current();
  return ApiResponse{200,
                     {{"reloaded", *swapped},
                      {"model", generation->model->name()},
                      {"model_file", generation->file},
                      {"model_generation", generation->generation},
                      {"review_items_summarized", reviews_summarized}}};
}

}  // namespace tailor
