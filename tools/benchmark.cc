// tailor benchmark: the benchmark contract every model is checked with. Loads a dataset folder
// (format detected), applies its standard protocol (leave-one-out, full ranking; seen items
// kept unless --exclude-seen), trains with the model's defaults and writes one JSON object.
// On MovieLens 100K a rating model (RatingPredictor, e.g. mf) gets the rating protocol
// instead: 5-fold cross-validation on u1..u5, RMSE and MAE.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "data/importers/movielens_folds.h"
#include "dataset/dataset.h"
#include "dataset/rating_folds.h"
#include "dataset/splits.h"
#include "eval/ranking_evaluator.h"
#include "eval/rating_cross_validation.h"
#include "eval/report.h"
#include "tools/cli.h"
#include "tools/experiment.h"

namespace tailor::cli {
namespace {

struct BenchmarkArgs {
  std::string dataset;
  std::string model = "popularity";
  std::string json_out;
  std::string format = "auto";
  std::string params;
  bool exclude_seen = false;
  int sampled = 0;
  uint64_t seed = 42;
};

std::string Today() {
  std::time_t now = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", std::gmtime(&now));
  return buf;
}

// The explicit-rating protocol of MovieLens 100K: 5-fold cross-validation on the official
// u1..u5 base/test files, RMSE and MAE averaged over the folds.
Status RunRatingFolds(const GlobalOptions& global, const BenchmarkArgs& args,
                      const LoadedDataset& loaded, const std::vector<RatingFoldPaths>& paths,
                      const nlohmann::json& params) {
  ASSIGN_OR_RETURN(std::vector<RatingFold> folds, LoadRatingFolds(paths, loaded.dataset));
  nlohmann::json fit_stats = nlohmann::json::array();
  nlohmann::json effective_params;
  auto fit = [&](int fold_idx, const RatingFold& fold) -> StatusOr<RatingBatchPredictFn> {
    std::fprintf(stderr, "fold %d: fit on %s\n", fold_idx + 1, paths[fold_idx].train.c_str());
    ASSIGN_OR_RETURN(UserHistories histories, RatingHistories(fold.train, loaded.dataset));
    auto train = std::make_shared<const UserHistories>(std::move(histories));
    ASSIGN_OR_RETURN(FittedModel fitted,
                     FitNamedModel(args.model, params, *train, global.threads, args.seed));
    fit_stats.push_back(fitted.model->fit_stats());
    effective_params = fitted.model->params();
    std::shared_ptr<const Recommender> model = std::move(fitted.model);
    const auto* predictor = dynamic_cast<const RatingPredictor*>(model.get());
    if (predictor == nullptr) return InvalidArgumentError(args.model + " does not predict ratings");
    RatingBatchPredictFn predict = ModelRatingPredictions(*predictor, *train);
    // The predictor keeps the model and the histories it borrows alive.
    return RatingBatchPredictFn(
        [model, train, predict](int32_t user, std::span<const int32_t> items,
                                std::span<float> out) { predict(user, items, out); });
  };
  RatingCrossValidationOptions options;
  options.threads = global.threads;
  ConsoleProgress progress;
  options.progress = progress.AsFn();
  ASSIGN_OR_RETURN(RatingCrossValidationResult result, CrossValidateRatings(folds, fit, options));

  nlohmann::json out;
  out["dataset"] = loaded.name;
  out["dataset_path"] = args.dataset;
  out["format"] = loaded.format;
  out["users"] = loaded.dataset.num_users();
  out["items"] = loaded.dataset.num_items();
  out["interactions"] = loaded.dataset.histories.size();
  out["protocol"] =
      "5-fold cross-validation on the official MovieLens u1..u5 base/test files: fit on "
      "uN.base, predict every rating of uN.test (a user's query history = their uN.base "
      "ratings); rmse and mae are the means of the 5 fold values";
  out["model"] = args.model;
  out["params"] = effective_params;
  out["metrics"] = {{"rmse", result.rmse}, {"mae", result.mae}};
  nlohmann::json per_fold = nlohmann::json::array();
  for (size_t fold_idx = 0; fold_idx < result.folds.size(); ++fold_idx) {
    const RatingFoldResult& fold = result.folds[fold_idx];
    per_fold.push_back({{"fold", "u" + std::to_string(fold_idx + 1)},
                        {"rmse", fold.rmse},
                        {"mae", fold.mae},
                        {"train_ratings", fold.train_ratings},
                        {"test_ratings", fold.test_ratings},
                        {"train_seconds", fold.train_seconds},
                        {"eval_seconds", fold.eval_seconds},
                        {"fit_stats", fit_stats[fold_idx]}});
  }
  out["folds"] = per_fold;
  out["train_seconds"] = result.train_seconds;
  out["eval_seconds"] = result.eval_seconds;
  out["peak_rss_mb"] = PeakRssMb();
  out["seed"] = args.seed;
  out["date"] = Today();
  std::string text = out.dump(2);
  if (!args.json_out.empty()) {
    RETURN_IF_ERROR(WriteReportFile(args.json_out, text + "\n"));
  }
  std::fprintf(stderr, "%s 5-fold: rmse %.4f mae %.4f (train %.1fs)\n", args.model.c_str(),
               result.rmse, result.mae, result.train_seconds);
  std::printf("%s\n", text.c_str());
  return OkStatus();
}

Status RunBenchmark(const GlobalOptions& global, const BenchmarkArgs& args) {
  ASSIGN_OR_RETURN(LoadedDataset loaded, LoadDatasetFolder(args.dataset, args.format));
  const Dataset& dataset = loaded.dataset;

  Split split = SplitLeaveOneOut(dataset.histories).test;
  nlohmann::json params = nlohmann::json::object();
  if (!args.params.empty()) {
    params = nlohmann::json::parse(args.params, nullptr, /*allow_exceptions=*/false);
    if (!params.is_object()) return InvalidArgumentError("--params: expected a JSON object");
  }
  if (loaded.format == "movielens") {
    // Rating models get the rating protocol when the fold files are there; others rank.
    ASSIGN_OR_RETURN(std::unique_ptr<Recommender> unfitted, MakeRecommender(args.model, params));
    StatusOr<std::vector<RatingFoldPaths>> fold_paths = FindMovieLensFolds(args.dataset);
    if (dynamic_cast<const RatingPredictor*>(unfitted.get()) != nullptr) {
      if (fold_paths.ok()) return RunRatingFolds(global, args, loaded, *fold_paths, params);
      std::fprintf(stderr, "note: %s; ranking protocol instead\n",
                   fold_paths.status().ToString().c_str());
    }
  }
  ASSIGN_OR_RETURN(FittedModel fitted,
                   FitNamedModel(args.model, params, split.train, global.threads, args.seed));
  RankingEvalOptions options;
  options.ks = {5, 10, 20};
  options.exclude_seen = args.exclude_seen;
  options.sampled_negatives = args.sampled;
  options.threads = global.threads;
  options.seed = args.seed;
  ConsoleProgress eval_progress;
  options.progress = eval_progress.AsFn();
  ASSIGN_OR_RETURN(RankingEvalResult result, EvaluateRanking(*fitted.model, split, options));

  nlohmann::json out;
  out["dataset"] = loaded.name;
  out["dataset_path"] = args.dataset;
  out["format"] = loaded.format;
  out["users"] = dataset.num_users();
  out["items"] = dataset.num_items();
  out["interactions"] = dataset.histories.size();
  out["protocol"] = "leave-one-out (last item = test, trained on the rest), " + result.protocol;
  out["seen_items"] = args.exclude_seen ? "excluded" : "kept";
  out["model"] = args.model;
  out["params"] = fitted.model->params();
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : result.metrics) metrics[name] = value;
  out["metrics"] = metrics;
  out["users_evaluated"] = result.users_evaluated;
  out["train_seconds"] = fitted.train_seconds;
  out["fit_stats"] = fitted.model->fit_stats();
  out["eval_seconds"] = result.eval_seconds;
  out["peak_rss_mb"] = PeakRssMb();
  out["seed"] = args.seed;
  out["date"] = Today();
  std::string text = out.dump(2);
  if (!args.json_out.empty()) {
    RETURN_IF_ERROR(WriteReportFile(args.json_out, text + "\n"));
  }
  std::vector<RankingEvalResult> results = {result};
  std::fprintf(stderr, "%s", FormatResultsTable(results).c_str());
  std::printf("%s\n", text.c_str());
  return OkStatus();
}

}  // namespace

void RegisterBenchmark(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static BenchmarkArgs args;
  auto* cmd = app.add_subcommand(
      "benchmark",
      "Benchmark a model on a dataset folder with its standard protocol; writes one JSON object\n"
      "  example: tailor benchmark --dataset ../shared/datasets/amazon-beauty --model item-knn "
      "--json beauty-itemknn.json\n"
      "  protocol: leave-one-out, full ranking over all items, seen items kept "
      "(--exclude-seen removes them);\n"
      "  rating models (mf) on movielens-100k: 5-fold u1..u5 RMSE/MAE");
  cmd->add_option("--dataset", args.dataset, "Dataset folder or file")->required();
  cmd->add_option("--model,-m", args.model, "Model name")->default_val("popularity");
  cmd->add_option("--json", args.json_out, "Write the JSON result here (also printed)");
  cmd->add_option("--format,-f", args.format, "Dataset format (default: detected)")->default_val("auto");
  cmd->add_option("--params", args.params, "Model params JSON (default: the model's defaults)");
  cmd->add_flag("--exclude-seen", args.exclude_seen, "Remove the user's training items from the ranking");
  cmd->add_option("--sampled", args.sampled, "Sampled-N negatives protocol instead of full ranking")
      ->default_val(0);
  cmd->add_option("--seed", args.seed, "Random seed")->default_val(42);
  cmd->callback([&] {
    Status status = RunBenchmark(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
