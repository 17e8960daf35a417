// tailor benchmark: the benchmark contract every model is checked with. Loads a dataset folder
// (format detected), applies its standard protocol (leave-one-out, full ranking; seen items
// kept unless --exclude-seen), trains with the model's defaults and writes one JSON object.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "data/importers/importer.h"
#include "dataset/dataset.h"
#include "dataset/splits.h"
#include "eval/ranking_evaluator.h"
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

Status RunBenchmark(const GlobalOptions& global, const BenchmarkArgs& args) {
  ASSIGN_OR_RETURN(ImportFormat format, ParseImportFormat(args.format));
  if (format == ImportFormat::kAuto) {
    ASSIGN_OR_RETURN(format, DetectFormat(args.dataset));
  }
  auto start = std::chrono::steady_clock::now();
  ImportOptions import_options;
  ConsoleProgress import_progress;
  import_options.progress = import_progress.AsFn();
  ASSIGN_OR_RETURN(ImportResult imported, ImportPath(args.dataset, format, import_options));
  if (!imported.rejected.empty()) {
    std::fprintf(stderr, "warning: %zu rows rejected, first: %s\n", imported.rejected.size(),
                 FormatRejected(imported.rejected.front()).c_str());
  }
  ASSIGN_OR_RETURN(auto store, OpenStore(":memory:"));
  RETURN_IF_ERROR(store->Write(imported.batch).status());
  ASSIGN_OR_RETURN(Dataset dataset, LoadDataset(*store));
  double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "loaded %s (%s): %d users, %d items, %lld interactions in %.1fs\n",
               args.dataset.c_str(), imported.format.c_str(), dataset.num_users(),
               dataset.num_items(), static_cast<long long>(dataset.histories.size()), load_seconds);

  Split split = SplitLeaveOneOut(dataset.histories).test;
  nlohmann::json params = nlohmann::json::object();
  if (!args.params.empty()) {
    params = nlohmann::json::parse(args.params, nullptr, /*allow_exceptions=*/false);
    if (!params.is_object()) return InvalidArgumentError("--params: expected a JSON object");
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
  std::string dataset_name = std::filesystem::path(args.dataset).filename().string();
  if (dataset_name.empty()) dataset_name = std::filesystem::path(args.dataset).parent_path().filename().string();
  out["dataset"] = dataset_name;
  out["dataset_path"] = args.dataset;
  out["format"] = imported.format;
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
      "(--exclude-seen removes them)");
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
