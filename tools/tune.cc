// tailor tune: search a model's hyperparameters on the validation split of leave-one-out
// (second-to-last event per user; the last one, the test target, is dropped unseen), print
// the trials and write the best params to <data>/tuned/<model>.json, which `tailor train`
// reads (defaults < tuned < config models.<name> < --params). The search (random warm-up, then
// TPE refinement) is eval/tuner.h; one trial, with early stopping, is eval/tune_trial.h.
#include <cstdio>
#include <ctime>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "dataset/dataset.h"
#include "dataset/splits.h"
#include "eval/report.h"
#include "eval/tune_report.h"
#include "eval/tune_trial.h"
#include "eval/tuner.h"
#include "models/recommender.h"
#include "models/registry.h"
#include "tools/cli.h"
#include "tools/experiment.h"
#include "tools/model_params.h"

namespace tailor::cli {
namespace {

struct TuneArgs {
  std::string model;
  std::string dataset;  // empty = the configured store
  std::string format = "auto";
  int trials = 20;
  std::string metric = "ndcg@10";
  bool exclude_seen = false;
  int64_t max_users = 5000;
  int patience = 3;
  int eval_every = 1;
  int search_patience = 0;
  int warmup = 0;
  std::string params;  // fixed params, not searched
  uint64_t seed = 42;
  std::string out;
  std::string json_out;
};

// Errors a trial may end with because of its params; the search goes on after them.
bool IsTrialFailure(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ||
         status.code() == StatusCode::kResourceExhausted;
}

StatusOr<nlohmann::json> ParseFixedParams(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  auto given = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (given.is_discarded() || !given.is_object()) {
    return InvalidArgumentError("--params: expected a JSON object like '{\"binary\": false}', got '" +
                                text + "'");
  }
  return given;
}

// The model's own values of the searched params (trial 1), or empty when one is missing.
std::vector<double> DefaultValues(const std::vector<ParamRange>& space, const nlohmann::json& params) {
  std::vector<double> values;
  for (const ParamRange& range : space) {
    if (!params.is_object() || !params.contains(range.name) || !params[range.name].is_number()) {
      return {};
    }
    values.push_back(params[range.name].get<double>());
  }
  return values;
}

struct TuneData {
  Dataset dataset;
  std::string label;  // "amazon-beauty" or the store URI
};

StatusOr<TuneData> LoadTuneData(const Config& config, const TuneArgs& args) {
  TuneData out;
  if (!args.dataset.empty()) {
    ASSIGN_OR_RETURN(LoadedDataset loaded, LoadDatasetFolder(args.dataset, args.format));
    out.dataset = std::move(loaded.dataset);
    out.label = loaded.name;
    return out;
  }
  ASSIGN_OR_RETURN(auto store, OpenConfiguredStore(config));
  std::fprintf(stderr, "reading events from %s ...\n", config.StoreUri().c_str());
  ASSIGN_OR_RETURN(out.dataset, LoadDataset(*store));
  if (out.dataset.histories.size() == 0) {
    return FailedPreconditionError(
        "the store has no events to tune on; run `tailor import` first or pass --dataset DIR");
  }
  out.label = config.StoreUri();
  return out;
}

Status RunTune(const GlobalOptions& global, const TuneArgs& args) {
  ASSIGN_OR_RETURN(RecommenderInfo info, FindRecommender(args.model));
  ASSIGN_OR_RETURN(TuneMetric metric, ParseTuneMetric(args.metric));
  ASSIGN_OR_RETURN(nlohmann::json fixed, ParseFixedParams(args.params));
  if (info.search_space.empty()) {
    return InvalidArgumentError("model '" + args.model +
                                "' has no tunable params (its search space is empty); nothing to tune");
  }
  std::vector<ParamRange> space;
  for (const ParamRange& range : info.search_space) {
    if (!fixed.contains(range.name)) space.push_back(range);
  }
  if (space.empty()) {
    return InvalidArgumentError("--params fixes every tunable param of '" + args.model +
                                "'; nothing left to search");
  }
  ASSIGN_OR_RETURN(auto base_model, MakeRecommender(args.model, fixed));
  const nlohmann::json base_params = base_model->params();
  const bool iterative = base_params.contains("epochs") || base_params.contains("iterations");

  TunerOptions tuner_options;
  tuner_options.max_trials = args.trials;
  tuner_options.warmup_trials = args.warmup;
  tuner_options.search_patience = args.search_patience;
  tuner_options.seed = args.seed;
  ASSIGN_OR_RETURN(Tuner tuner, Tuner::Create(space, tuner_options));
  std::vector<double> defaults = DefaultValues(space, base_params);
  if (!defaults.empty()) tuner.Enqueue(defaults);

  ASSIGN_OR_RETURN(Config config, ResolveConfig(global));
  ASSIGN_OR_RETURN(TuneData data, LoadTuneData(config, args));
  const Split valid = SplitLeaveOneOut(data.dataset.histories).valid;
  int64_t users_with_targets = 0;
  for (const auto& targets : valid.targets) users_with_targets += targets.empty() ? 0 : 1;
  if (users_with_targets == 0) {
    return FailedPreconditionError(
        "no user has 3 or more events, so leave-one-out leaves no validation target to tune on");
  }

  TrialOptions trial_options;
  trial_options.metric = metric;
  trial_options.eval.exclude_seen = args.exclude_seen;
  trial_options.eval.max_users = args.max_users;
  trial_options.eval.seed = args.seed;
  trial_options.eval.threads = global.threads;
  trial_options.early_stopping.patience = args.patience;
  trial_options.early_stopping.eval_every = args.eval_every;
  trial_options.fit.threads = global.threads;
  trial_options.fit.seed = args.seed;
  trial_options.fit.item_features = &data.dataset.item_features;
  trial_options.fit.item_vectors = &data.dataset.item_content;
  const int64_t users_evaluated =
      args.max_users > 0 ? std::min(args.max_users, users_with_targets) : users_with_targets;
  const std::string protocol =
      "leave-one-out, second-to-last event per user (the last, the test event, is never used), " +
      DescribeProtocol(trial_options.eval, valid.train.num_items, users_evaluated,
                       users_with_targets);
  std::string plan = defaults.empty() ? "random ones" : "the model's defaults, then random ones";
  if (args.trials > tuner.warmup_trials()) {
    plan += " up to trial " + std::to_string(tuner.warmup_trials()) + ", then TPE refinement";
  }
  std::fprintf(stderr, "tuning %s on %s\nvalidation: %s\nsearch: up to %d trials: %s; objective %s\n",
               args.model.c_str(), data.label.c_str(), protocol.c_str(), args.trials,
               plan.c_str(), metric.name.c_str());

  TrialTableOptions table;
  table.metric = metric.name;
  table.show_epochs = iterative;
  std::fprintf(stderr, "%s", FormatTrialHeader(space, table).c_str());
  ConsoleProgress progress;
  while (!tuner.Done()) {
    TunerSuggestion suggestion = tuner.Suggest();
    TunerTrial trial;
    trial.values = suggestion.values;
    trial.origin = suggestion.origin;
    const int number = static_cast<int>(tuner.trials().size()) + 1;
    if (const TunerTrial* same = tuner.FindTrial(trial.values)) {
      // Training is deterministic for a seed: a repeated point would measure the same.
      trial.metric = same->metric;
      trial.params = same->params;
      trial.best_epoch = same->best_epoch;
      trial.epochs_run = same->epochs_run;
      trial.note = "same params as trial " + std::to_string(same->number);
    } else {
      nlohmann::json params = fixed;
      params.merge_patch(tuner.ValuesToJson(trial.values));
      trial.params = params;
      StatusOr<std::unique_ptr<Recommender>> model = MakeRecommender(args.model, params);
      Status status = model.status();
      if (model.ok()) {
        const std::string stage_prefix = "trial " + std::to_string(number) + ": ";
        trial_options.fit.progress = [&progress, stage_prefix](const ProgressUpdate& update) {
          ProgressUpdate prefixed = update;
          prefixed.stage = stage_prefix + update.stage;
          progress.Update(prefixed);
        };
        StatusOr<TrialOutcome> outcome = RunTrial(**model, valid, trial_options);
        status = outcome.status();
        if (outcome.ok()) {
          trial.metric = outcome->metric;
          // The searched and fixed params, plus the epoch count early stopping chose: the
          // tuned file should not freeze the other defaults.
          for (const char* key : {"epochs", "iterations"}) {
            if (outcome->best_epoch > 0 && outcome->params.contains(key)) {
              trial.params[key] = outcome->params[key];
            }
          }
          trial.seconds = outcome->seconds;
          trial.best_epoch = outcome->best_epoch;
          trial.epochs_run = outcome->epochs_run;
          trial.stopped_early = outcome->stopped_early;
        }
      }
      if (!status.ok()) {
        if (!IsTrialFailure(status)) return status.WithContext("trial " + std::to_string(number));
        trial.note = status.message();
      }
    }
    const TunerTrial& recorded = tuner.Record(std::move(trial));
    std::fprintf(stderr, "%s",
                 FormatTrialRow(space, recorded, &recorded == tuner.best(), table).c_str());
  }

  std::printf("%s", FormatTrialsTable(tuner, table).c_str());
  const TunerTrial* best = tuner.best();
  if (best == nullptr) {
    return InvalidArgumentError("all " + std::to_string(tuner.trials().size()) +
                                " trials failed; trial 1: " + tuner.trials().front().note);
  }
  const std::string ended = tuner.StopReason() == "trials"
                                ? std::to_string(tuner.trials().size()) + " trials run"
                                : "stopped: " + std::to_string(args.search_patience) +
                                      " trials without a new best";
  std::printf("best: trial %d, %s %.4f (%s)\nvalidation: %s\n", best->number,
              metric.name.c_str(), best->metric, ended.c_str(), protocol.c_str());

  const std::string out_path = args.out.empty() ? TunedParamsPath(config, args.model) : args.out;
  nlohmann::json tuned;
  tuned["model"] = args.model;
  tuned["params"] = best->params;
  tuned["metric"] = metric.name;
  tuned["value"] = best->metric;
  tuned["trial"] = best->number;
  tuned["trials"] = tuner.trials().size();
  tuned["dataset"] = data.label;
  tuned["protocol"] = protocol;
  tuned["seed"] = args.seed;
  tuned["date"] = Today();
  const std::filesystem::path parent = std::filesystem::path(out_path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      return UnavailableError("cannot create '" + parent.string() + "': " + error.message());
    }
  }
  RETURN_IF_ERROR(WriteReportFile(out_path, tuned.dump(2) + "\n"));
  std::printf("wrote %s: %s\n", out_path.c_str(), best->params.dump().c_str());
  if (args.out.empty() && !config.ModelParams(args.model).empty()) {
    std::printf("note: config models.%s %s overrides tuned params in `tailor train`\n",
                args.model.c_str(), config.ModelParams(args.model).dump().c_str());
  }

  if (!args.json_out.empty()) {
    nlohmann::json report = TrialsToJson(tuner);
    report["model"] = args.model;
    report["dataset"] = data.label;
    report["metric"] = metric.name;
    report["protocol"] = protocol;
    report["seed"] = args.seed;
    report["tuned_file"] = out_path;
    report["date"] = Today();
    RETURN_IF_ERROR(WriteReportFile(args.json_out, report.dump(2) + "\n"));
    std::printf("wrote %s\n", args.json_out.c_str());
  }
  return OkStatus();
}

}  // namespace

void RegisterTune(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static TuneArgs args;
  auto* cmd = app.add_subcommand(
      "tune",
      "Search a model's hyperparameters on the validation split; `tailor train` then uses the best\n"
      "  example: tailor tune --model item-knn --trials 20\n"
      "  example: tailor tune --model item-knn --dataset ../shared/datasets/amazon-beauty --trials 10\n"
      "  validation: leave-one-out, second-to-last event per user (the last is never looked at);\n"
      "  search: trial 1 = defaults, random trials, then TPE refinement around the best;\n"
      "  writes <data>/tuned/<model>.json (params precedence: defaults < tuned < config < --params)");
  cmd->add_option("--model,-m", args.model, "Model name (tailor train --list shows them)")->required();
  cmd->add_option("--dataset", args.dataset,
                  "Dataset folder or file to tune on (default: the store's events)");
  cmd->add_option("--format,-f", args.format, "Dataset format (default: detected)")->default_val("auto");
  cmd->add_option("--trials,-n", args.trials, "Trials in all")->default_val(20)->check(CLI::Range(1, 100000));
  cmd->add_option("--metric", args.metric, "Objective: ndcg@K, recall@K, hr@K, precision@K, map@K, mrr, auc")
      ->default_val("ndcg@10");
  cmd->add_flag("--exclude-seen", args.exclude_seen, "Remove the user's training items from the ranking");
  cmd->add_option("--max-users", args.max_users,
                  "Validate on a fixed seeded sample of this many users (0 = all)")
      ->default_val(5000)->check(CLI::NonNegativeNumber);
  cmd->add_option("--patience", args.patience,
                  "Iterative models: stop a trial after this many validations without improvement (0 = never)")
      ->default_val(3)->check(CLI::NonNegativeNumber);
  cmd->add_option("--eval-every", args.eval_every, "Iterative models: validate every N epochs")
      ->default_val(1)->check(CLI::Range(1, 100000));
  cmd->add_option("--search-patience", args.search_patience,
                  "Stop the search after this many trials without a new best, once the random "
                  "warm-up is done (0 = never)")
      ->default_val(0)->check(CLI::NonNegativeNumber);
  cmd->add_option("--warmup", args.warmup, "Random trials before refining (0 = max(5, trials/3))")
      ->default_val(0)->check(CLI::NonNegativeNumber);
  cmd->add_option("--params", args.params, "Fixed params (JSON object), not searched");
  cmd->add_option("--seed", args.seed, "Random seed (search, training, user sample)")->default_val(42);
  cmd->add_option("--out", args.out, "Write the best params here instead of <data>/tuned/<model>.json");
  cmd->add_option("--json", args.json_out, "Write every trial as JSON here");
  cmd->callback([&] {
    Status status = RunTune(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
