// tailor recommend / tailor similar: ask the newest trained model from the command line,
// with the same filters and explanations the server uses.
#include <cstdio>
#include <sstream>

#include "dataset/dataset.h"
#include "models/recommender.h"
#include "rank/catalog.h"
#include "rank/recommend.h"
#include "serve/model_holder.h"
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
};

struct Loaded {
  Config config;
  std::unique_ptr<Store> store;
  std::unique_ptr<Recommender> model;
  Catalog catalog;
  std::string model_file;
};

StatusOr<Loaded> LoadForQuery(const GlobalOptions& global, const std::string& model_file) {
  Loaded out;
  ASSIGN_OR_RETURN(out.config, ResolveConfig(global));
  const Config& config = out.config;
  ASSIGN_OR_RETURN(out.store, OpenConfiguredStore(config));
  out.model_file = model_file;
  if (out.model_file.empty()) {
    auto newest = NewestArtifact(config.ModelsDir());
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
  return filters;
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
  Query query;
  query.user = user_idx.value_or(-1);
  query.history = history;
  ASSIGN_OR_RETURN(auto list, Recommend(*loaded.model, loaded.catalog, query, rejected, filters, args.n));
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
  ASSIGN_OR_RETURN(auto list, Similar(*loaded.model, loaded.catalog, it->second, filters, args.n));
  std::printf("items similar to %s, model %s\n", loaded.catalog.Label(it->second).c_str(),
              loaded.model_file.c_str());
  PrintList(list, loaded.catalog);
  return OkStatus();
}

void AddListOptions(CLI::App* cmd, ListArgs& args) {
  cmd->add_option("-n,--n", args.n, "How many items")->default_val(10)->check(CLI::Range(1, 1000));
  cmd->add_option("--category", args.categories, "Only items in this category (repeatable)");
  cmd->add_option("--exclude", args.exclude, "Never these item ids (repeatable)");
  cmd->add_flag("--in-stock", args.in_stock, "Only items in stock");
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
  AddListOptions(cmd, args);
  cmd->callback([&] {
    Status status = RunRecommend(global, args);
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
