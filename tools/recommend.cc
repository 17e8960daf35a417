// tailor recommend / tailor similar / tailor search: ask the newest trained model (and, for
// search, the catalog's text) from the command line, with the same filters and explanations
// the server uses.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "dataset/dataset.h"
#include "models/recommender.h"
#include "rank/catalog.h"
#include "rank/recommend.h"
#include "rank/product_search.h"
#include "serve/catalog_holder.h"
#include "serve/list_params.h"
#include "serve/model_holder.h"
#include "serve/review_sentiments.h"
#include "serve/search_holder.h"
#include "text/text_model.h"
#include "tools/cli.h"

namespace tailor::cli {
namespace {

struct ListArgs {
  std::string id;
  int n = 10;
  bool exclude_seen = true;
  bool in_stock = false;
  std::vector<std::string> categories;
  std::vector<std::string> exclude;
  std::string model_file;  // default: newest artifact
  std::string user;        // search: personal re-ranking for this user
  std::string text_model;  // search: text model directory (default: config server.text_model)
  double min_review_score = NAN;  // NaN = no bound
  double review_weight = 0.0;
  int new_items = -1;  // recommend: places for items added since training; -1 = config's
};

struct Loaded {
  Config config;
  std::unique_ptr<Store> store;
  std::unique_ptr<Recommender> model;
  Catalog catalog;
  std::string model_file;
};

// Without `model_required`, no trained model is no error (out.model stays null).
StatusOr<Loaded> LoadForQuery(const GlobalOptions& global, const std::string& model_file,
                              bool model_required = true) {
  Loaded out;
  ASSIGN_OR_RETURN(out.config, ResolveConfig(global));
  const Config& config = out.config;
  ASSIGN_OR_RETURN(out.store, OpenConfiguredStore(config));
  out.model_file = model_file;
  if (out.model_file.empty()) {
    auto newest = NewestArtifact(config.ModelsDir());
    if (!newest.ok() && !model_required) {
      ASSIGN_OR_RETURN(out.catalog, LoadCatalog(*out.store));
      return out;
    }
    if (!newest.ok()) {
      return FailedPreconditionError("no trained model in " + config.ModelsDir() +
                                     "; run `tailor train` first");
    }
    out.model_file = *newest;
  }
  ASSIGN_OR_RETURN(out.model, LoadModel(out.model_file));
  ASSIGN_OR_RETURN(out.catalog, LoadCatalog(*out.store));
  return out;
}

StatusOr<Filters> MakeFilters(const ListArgs& args, const Catalog& catalog) {
  Filters filters;
  filters.exclude_seen = args.exclude_seen;
  filters.in_stock_only = args.in_stock;
  filters.categories = args.categories;
  for (const auto& id : args.exclude) {
    auto it = catalog.item_index.find(id);
    if (it == catalog.item_index.end()) return NotFoundError("--exclude: unknown item '" + id + "'");
    filters.exclude_items.push_back(it->second);
  }
  if (!std::isnan(args.min_review_score)) filters.min_review_score = args.min_review_score;
  filters.review_weight = args.review_weight;
  return filters;
}

// The review signals the server would rank with, when the filters use them: every review in
// the store classified by the configured sentiment model (config server.sentiment_model).
// Null when they are not used. Errors: kFailedPrecondition without a configured model.
StatusOr<std::shared_ptr<const ReviewSignals>> ReviewsFor(const Filters& filters,
                                                          Loaded& loaded) {
  if (!filters.uses_reviews()) return std::shared_ptr<const ReviewSignals>();
  const std::string dir = loaded.config.SentimentModelDir();
  if (dir.empty()) {
    return FailedPreconditionError(
        "--min-review-score and --review-weight need a sentiment model: set config "
        "server.sentiment_model (a directory written by `tailor sentiment-model`)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SentimentModel> model, SentimentModel::Load(dir));
  ReviewSentiments reviews(*loaded.store, std::move(model));
  RETURN_IF_ERROR(reviews.Refresh().status());
  return reviews.Signals();
}

void PrintList(const std::vector<Recommendation>& list, const Catalog& catalog) {
  std::printf("%-4s %-10s %-24s %-40s %s\n", "rank", "score", "item", "title", "reason");
  for (size_t rank = 0; rank < list.size(); ++rank) {
    const auto& rec = list[rank];
    std::string title = catalog.titles[static_cast<size_t>(rec.item)];
    if (title.size() > 40) title = title.substr(0, 37) + "...";
    std::printf("%-4zu %-10.4f %-24s %-40s %s\n", rank + 1, rec.score,
                catalog.item_ids[static_cast<size_t>(rec.item)].c_str(), title.c_str(),
                rec.reason.c_str());
  }
}

Status RunRecommend(const GlobalOptions& global, const ListArgs& args) {
  ASSIGN_OR_RETURN(Loaded loaded, LoadForQuery(global, args.model_file));
  ASSIGN_OR_RETURN(auto user_idx, loaded.store->FindUser(args.id));
  ASSIGN_OR_RETURN(auto types, loaded.store->EventTypes());
  std::vector<Interaction> history;
  std::vector<int32_t> rejected;
  if (user_idx.has_value()) {
    ASSIGN_OR_RETURN(auto events, loaded.store->UserEvents(*user_idx, loaded.config.server.history_limit));
    history = HistoryFromEvents(events, types, &rejected);
  }
  ASSIGN_OR_RETURN(Filters filters, MakeFilters(args, loaded.catalog));
  ASSIGN_OR_RETURN(auto reviews, ReviewsFor(filters, loaded));
  Query query;
  query.user = user_idx.value_or(-1);
  query.history = history;
  filters.new_item_slots =
      args.new_items >= 0 ? args.new_items : loaded.config.server.new_item_slots;
  // The text index only when a place is open for new items.
  std::shared_ptr<const NewItemIndex> new_items;
  if (filters.new_item_slots > 0) new_items = NewItemIndex::Build(loaded.catalog);
  ASSIGN_OR_RETURN(auto list, Recommend(*loaded.model, loaded.catalog, query, rejected, filters,
                                        args.n, reviews.get(), new_items.get()));
  std::printf("user %s (%s, %zu events in history), model %s\n", args.id.c_str(),
              user_idx ? "known" : "unknown: cold start", history.size(),
              loaded.model_file.c_str());
  PrintList(list, loaded.catalog);
  return OkStatus();
}

Status RunSimilar(const GlobalOptions& global, const ListArgs& args) {
  ASSIGN_OR_RETURN(Loaded loaded, LoadForQuery(global, args.model_file));
  auto it = loaded.catalog.item_index.find(args.id);
  if (it == loaded.catalog.item_index.end()) return NotFoundError("unknown item '" + args.id + "'");
  ASSIGN_OR_RETURN(Filters filters, MakeFilters(args, loaded.catalog));
  ASSIGN_OR_RETURN(auto reviews, ReviewsFor(filters, loaded));
  ASSIGN_OR_RETURN(auto list, Similar(*loaded.model, loaded.catalog, it->second, filters, args.n,
                                      reviews.get()));
  std::printf("items similar to %s, model %s\n", loaded.catalog.Label(it->second).c_str(),
              loaded.model_file.c_str());
  PrintList(list, loaded.catalog);
  return OkStatus();
}

Status RunSearch(const GlobalOptions& global, const ListArgs& args) {
  ASSIGN_OR_RETURN(Loaded loaded, LoadForQuery(global, args.model_file, /*model_required=*/false));
  const std::string text_model_dir =
      args.text_model.empty() ? loaded.config.TextModelDir() : args.text_model;
  std::unique_ptr<TextModel> text_model;
  if (!text_model_dir.empty()) {
    ASSIGN_OR_RETURN(text_model, TextModel::Load(text_model_dir));
  }
  CatalogHolder catalogs(*loaded.store);
  RETURN_IF_ERROR(catalogs.Reload());
  SearchHolder searches(*loaded.store, catalogs, std::move(text_model));
  ASSIGN_OR_RETURN(std::shared_ptr<const ProductSearch> search, searches.Current());
  ASSIGN_OR_RETURN(Filters filters, MakeFilters(args, search->catalog()));
  filters.exclude_seen = false;
  std::vector<Interaction> history;
  std::optional<int32_t> user_idx;
  if (!args.user.empty()) {
    ASSIGN_OR_RETURN(user_idx, loaded.store->FindUser(args.user));
    if (user_idx) {
      ASSIGN_OR_RETURN(auto types, loaded.store->EventTypes());
      ASSIGN_OR_RETURN(auto events,
                       loaded.store->UserEvents(*user_idx, loaded.config.server.history_limit));
      std::vector<int32_t> rejected;
      history = HistoryFromEvents(events, types, &rejected);
      filters.exclude_items.insert(filters.exclude_items.end(), rejected.begin(), rejected.end());
    }
  }
  SearchRequest request;
  request.query = args.id;
  request.model = args.user.empty() ? nullptr : loaded.model.get();
  request.user = Query{user_idx.value_or(-1), history};
  request.filters = filters;
  request.n = args.n;
  ASSIGN_OR_RETURN(auto reviews, ReviewsFor(filters, loaded));
  request.reviews = reviews.get();
  ASSIGN_OR_RETURN(std::vector<SearchResult> results, search->Search(request));
  std::vector<Recommendation> list;
  for (const SearchResult& result : results) list.push_back({result.item, result.score, result.reason});
  std::printf("search '%s': %s%s%s\n", args.id.c_str(), search->has_dense() ? "BM25 + dense" : "BM25",
              request.model ? ", personal for " : "",
              request.model ? (args.user + " by " + loaded.model_file).c_str() : "");
  PrintList(list, search->catalog());
  return OkStatus();
}

void AddListOptions(CLI::App* cmd, ListArgs& args) {
  cmd->add_option("-n,--n", args.n, "How many items")->default_val(10)->check(CLI::Range(1, 1000));
  cmd->add_option("--category", args.categories, "Only items in this category (repeatable)");
  cmd->add_option("--exclude", args.exclude, "Never these item ids (repeatable)");
  cmd->add_flag("--in-stock", args.in_stock, "Only items in stock");
  cmd->add_option("--min-review-score", args.min_review_score,
                  "Drop items whose review sentiment score (-1..1) is below this; unreviewed "
                  "items stay (needs config server.sentiment_model)")
      ->check(CLI::Range(-1.0, 1.0));
  cmd->add_option("--review-weight", args.review_weight,
                  "Re-rank by review sentiment, in units of the candidates' score spread "
                  "(0 = off; needs config server.sentiment_model)")
      ->check(CLI::Range(0.0, kMaxReviewWeight));
  cmd->add_option("--model-file", args.model_file, "Artifact to use (default: newest in <data>/models)");
}

}  // namespace

void RegisterRecommend(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static ListArgs args;
  auto* cmd = app.add_subcommand(
      "recommend", "Recommend items for a user from their current history\n"
                   "  example: tailor recommend u42 -n 5 --category Kitchen --in-stock");
  cmd->add_option("user", args.id, "User id (unknown users get cold-start recommendations)")->required();
  cmd->add_option("--exclude-seen", args.exclude_seen, "Drop items already in the history (true/false)")
      ->default_val(true);
  cmd->add_option("--new-items", args.new_items,
                  "Places for items added since the model was trained, chosen by how alike "
                  "their text is to the history (default: config server.new_item_slots, 1)")
      ->check(CLI::Range(0, 1000));
  AddListOptions(cmd, args);
  cmd->callback([&] {
    Status status = RunRecommend(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

void RegisterSearch(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static ListArgs args;
  auto* cmd = app.add_subcommand(
      "search",
      "Shopping search over the catalog: BM25 (+ text embeddings with a text model), prices,\n"
      "  brands and categories understood from the query, personal with --user\n"
      "  example: tailor search \"garden gloves under 20\" --user u42 -n 5");
  cmd->add_option("query", args.id, "The search text")->required();
  cmd->add_option("--user", args.user, "Re-rank for this user with the newest trained model");
  cmd->add_option("--text-model", args.text_model,
                  "Text model directory for the dense channel (default: config "
                  "server.text_model; none = BM25 only)");
  AddListOptions(cmd, args);
  cmd->callback([&] {
    Status status = RunSearch(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

void RegisterSimilar(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static ListArgs args;
  auto* cmd = app.add_subcommand("similar", "Items similar to an item\n  example: tailor similar i17 -n 5");
  cmd->add_option("item", args.id, "Item id")->required();
  AddListOptions(cmd, args);
  cmd->callback([&] {
    Status status = RunSimilar(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
