// tailor evaluate: offline evaluation of one or more models on the store's data, printed as a
// table and written as JSON and a self-contained HTML report.
#include <cstdio>

#include "dataset/dataset.h"
#include "dataset/splits.h"
#include "eval/ranking_evaluator.h"
#include "eval/report.h"
#include "tools/cli.h"
#include "tools/experiment.h"
#include "tools/model_params.h"

namespace tailor::cli {
namespace {

struct EvaluateArgs {
  std::string models = "popularity,item-knn";
  std::string protocol = "loo";
  double train_fraction = 0.8;
  bool exclude_seen = false;
  int sampled = 0;
  std::vector<int> ks = {5, 10, 20};
  int64_t max_users = 0;
  uint64_t seed = 42;
  std::string json_out;
  std::string html_out;
};

StatusOr<Split> MakeSplit(const UserHistories& histories, const EvaluateArgs& args) {
  if (args.protocol == "loo") return SplitLeaveOneOut(histories).test;
  if (args.protocol == "temporal") return SplitTemporal(histories, args.train_fraction);
  if (args.protocol == "random") {
    return SplitRandomRatio(histories, args.train_fraction, args.seed);
  }
  return InvalidArgumentError("--protocol: expected loo, temporal or random, got '" +
                              args.protocol + "'");
}

Status RunEvaluate(const GlobalOptions& global, const EvaluateArgs& args) {
  ASSIGN_OR_RETURN(Config config, ResolveConfig(global));
  ASSIGN_OR_RETURN(auto store, OpenConfiguredStore(config));
  ASSIGN_OR_RETURN(Dataset dataset, LoadDataset(*store));
  if (dataset.histories.size() == 0) {
    return FailedPreconditionError("the store has no events; run `tailor import` first");
  }
  ASSIGN_OR_RETURN(Split split, MakeSplit(dataset.histories, args));
  std::vector<RankingEvalResult> results;
  for (const std::string& name : SplitList(args.models)) {
    ASSIGN_OR_RETURN(nlohmann::json params, ResolveModelParams(config, name, ""));
    ASSIGN_OR_RETURN(FittedModel fitted,
                     FitNamedModel(name, params, split.train, global.threads, args.seed,
                                   "", &dataset));
    RankingEvalOptions options;
    options.ks = args.ks;
    options.exclude_seen = args.exclude_seen;
    options.sampled_negatives = args.sampled;
    options.max_users = args.max_users;
    options.seed = args.seed;
    options.threads = global.threads;
    ConsoleProgress progress;
    options.progress = progress.AsFn();
    ASSIGN_OR_RETURN(RankingEvalResult result, EvaluateRanking(*fitted.model, split, options));
    result.metrics["train_seconds"] = fitted.train_seconds;
    results.push_back(std::move(result));
  }
  std::printf("protocol: %s split (%s)\n", args.protocol.c_str(),
              args.protocol == "loo" ? "last event of each user held out"
                                     : "held-out events after the split");
  std::printf("%s", FormatResultsTable(results).c_str());
  ReportOptions report;
  report.dataset = config.StoreUri() + " (" + std::to_string(dataset.num_users()) + " users, " +
                   std::to_string(dataset.num_items()) + " items, " +
                   std::to_string(dataset.histories.size()) + " interactions)";
  report.command = "tailor evaluate --models " + args.models + " --protocol " + args.protocol +
                   (args.exclude_seen ? " --exclude-seen" : "") +
                   (args.sampled > 0 ? " --sampled " + std::to_string(args.sampled) : "");
  if (!args.json_out.empty()) {
    RETURN_IF_ERROR(WriteReportFile(args.json_out, ResultsToJson(results, report).dump(2)));
    std::printf("wrote %s\n", args.json_out.c_str());
  }
  if (!args.html_out.empty()) {
    RETURN_IF_ERROR(WriteReportFile(args.html_out, RenderHtmlReport(results, report)));
    std::printf("wrote %s\n", args.html_out.c_str());
  }
  return OkStatus();
}

}  // namespace

void RegisterEvaluate(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static EvaluateArgs args;
  auto* cmd = app.add_subcommand(
      "evaluate",
      "Evaluate models offline on the store's events (fit on the training part, rank the rest)\n"
      "  example: tailor evaluate --models popularity,item-knn --html report.html\n"
      "  protocols: loo (leave-one-out: last event per user), temporal (global time cut),\n"
      "             random (per-user random ratio); full ranking unless --sampled N");
  cmd->add_option("--models", args.models, "Comma-separated model names")->default_val(args.models);
  cmd->add_option("--protocol", args.protocol, "loo, temporal or random")->default_val("loo");
  cmd->add_option("--train-fraction", args.train_fraction, "Training share for temporal/random")
      ->default_val(0.8)->check(CLI::Range(0.05, 0.95));
  cmd->add_flag("--exclude-seen", args.exclude_seen,
                "Remove each user's training items from their ranking (default: kept)");
  cmd->add_option("--sampled", args.sampled, "Rank the target against N sampled negatives (0 = all items)")
      ->default_val(0);
  cmd->add_option("--k", args.ks, "Cut-offs")->delimiter(',')->default_str("5,10,20");
  cmd->add_option("--max-users", args.max_users, "Evaluate a seeded sample of users (0 = all)");
  cmd->add_option("--seed", args.seed, "Random seed")->default_val(42);
  cmd->add_option("--json", args.json_out, "Write the results as JSON here");
  cmd->add_option("--html", args.html_out, "Write a self-contained HTML report here");
  cmd->callback([&] {
    Status status = RunEvaluate(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
