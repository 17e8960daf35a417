// tailor train: fit a model on everything in the store and save a versioned artifact that
// `tailor serve` picks up (the newest artifact in <data>/models wins). Params: defaults <
// tuned (`tailor tune`) < config models.<name> < --params; the params line says which is which.
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "dataset/dataset.h"
#include "models/recommender.h"
#include "serve/model_holder.h"
#include "tools/cli.h"
#include "tools/experiment.h"
#include "tools/model_params.h"

namespace tailor::cli {
namespace {

struct TrainArgs {
  std::string model = "item-knn";
  std::string params;
  uint64_t seed = 42;
  std::string checkpoint_dir;
  std::string text_model;  // fuse the items' text embeddings (AddTextContent)
};

Status RunTrain(const GlobalOptions& global, const TrainArgs& args) {
  ASSIGN_OR_RETURN(Config config, ResolveConfig(global));
  ASSIGN_OR_RETURN(auto store, OpenConfiguredStore(config));
  ASSIGN_OR_RETURN(ResolvedParams resolved,
                   ResolveModelParamsWithSources(config, args.model, args.params));
  const nlohmann::json& params = resolved.params;
  // Name and params are checked before reading the store.
  StatusOr<std::unique_ptr<Recommender>> unfitted = MakeRecommender(args.model, params);
  if (!unfitted.ok() && !resolved.sources.empty()) {
    return unfitted.status().WithContext("params " + DescribeParams(params, resolved));
  }
  RETURN_IF_ERROR(unfitted.status());
  std::printf("params: %s\n", DescribeParams((*unfitted)->params(), resolved).c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "reading events from %s ...\n", config.StoreUri().c_str());
  ASSIGN_OR_RETURN(Dataset dataset,
                   LoadDataset(*store, {.item_texts = !args.text_model.empty()}));
  if (dataset.histories.size() == 0) {
    return FailedPreconditionError("the store has no events to learn from; run `tailor import` first");
  }
  if (!args.text_model.empty()) {
    nlohmann::json text_stats;
    RETURN_IF_ERROR(AddTextContent(args.text_model, global.threads, &dataset, &text_stats));
    std::fprintf(stderr, "item content: %s\n", text_stats.dump().c_str());
  }
  std::fprintf(stderr, "training %s on %d users x %d items, %lld interactions\n",
               args.model.c_str(), dataset.num_users(), dataset.num_items(),
               static_cast<long long>(dataset.histories.size()));
  ASSIGN_OR_RETURN(FittedModel fitted, FitNamedModel(args.model, params, dataset.histories,
                                                     global.threads, args.seed,
                                                     args.checkpoint_dir,
                                                     &dataset));
  const Recommender& model = *fitted.model;
  std::filesystem::create_directories(config.ModelsDir());
  std::string path = NewArtifactPath(config.ModelsDir(), args.model);
  RETURN_IF_ERROR(SaveModel(model, path));
  std::printf("trained %s in %s (params %s)\nsaved %s\n", args.model.c_str(),
              FormatDuration(fitted.train_seconds).c_str(), model.params().dump().c_str(),
              path.c_str());
  // What the fit measured about itself (e.g. ials: seconds per iteration, GFLOP/s) and the
  // process's peak memory, one JSON object for scripts (bench/ials_speed.sh).
  std::printf("fit stats: %s\n", nlohmann::json{{"train_seconds", fitted.train_seconds},
                                                 {"peak_rss_mb", PeakRssMb()},
                                                 {"fit_stats", model.fit_stats()}}
                                      .dump()
                                      .c_str());
  return OkStatus();
}

}  // namespace

void RegisterTrain(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static TrainArgs args;
  auto* cmd = app.add_subcommand(
      "train", "Fit a model on the store's events and save it to <data>/models\n"
               "  example: tailor train --model item-knn --params '{\"neighbors\": 50}'");
  cmd->add_option("--model,-m", args.model, "Model name (tailor train --list shows them)")
      ->default_val("item-knn");
  cmd->add_option("--params", args.params,
                  "Model params as a JSON object; override config models.<name> and tuned params");
  cmd->add_option("--seed", args.seed, "Random seed")->default_val(42);
  cmd->add_option("--checkpoint-dir", args.checkpoint_dir,
                  "Folder for per-epoch training checkpoints; a rerun with the same data and "
                  "params resumes from the last one (models that train for long, e.g. sasrec)");
  cmd->add_option("--text-model", args.text_model,
                  "Text model directory (tailor text-encoder's output or a Hugging Face BERT "
                  "folder): the items' text embeddings are fused into the model beside their "
                  "image vectors (sequential models: the text-enhanced variant)");
  cmd->add_flag_callback("--list", [] {
    for (const auto& name : RecommenderNames()) std::printf("%s\n", name.c_str());
    std::exit(0);
  }, "List the model names and exit");
  cmd->callback([&] {
    Status status = RunTrain(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
