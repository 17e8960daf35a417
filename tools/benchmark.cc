// tailor benchmark: the benchmark contract every model is checked with. Loads a dataset folder
// (format detected), applies its standard protocol (leave-one-out, full ranking; seen items
// kept unless --exclude-seen), trains with the model's defaults and writes one JSON object.
// --seeds N fits N times (seeds seed .. seed + N - 1) and --variants evaluates every fit with
// several protocols (seen excluded / kept / sampled-N), so one fit per seed serves them all;
// "metrics" is then the first variant's mean and "variants" holds mean, std and per-seed values.
// On MovieLens 100K a rating model (RatingPredictor, e.g. mf) gets the rating protocol
// instead: 5-fold cross-validation on u1..u5, RMSE and MAE.
// --protocol cold-items runs the cold-item protocol (eval/cold_items.h) instead of fitting
// --model: popularity and attribute overlap as baselines, and tailor's own method as
// "metrics": the --model fit with the items' content, else the text method of an embedding
// source, else text-tfidf (the items' own words) when the items have text.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>

#include <nlohmann/json.hpp>

#include "common/parse_number.h"
#include "data/importers/movielens_folds.h"
#include "dataset/dataset.h"
#include "dataset/rating_folds.h"
#include "dataset/splits.h"
#include "eval/cold_item_scorers.h"
#include "eval/cold_items.h"
#include "eval/item_embeddings_file.h"
#include "text/text_alignment.h"
#include "text/text_model.h"
#include "eval/ranking_evaluator.h"
#include "eval/rating_cross_validation.h"
#include "eval/report.h"
#include "eval/seed_summary.h"
#include "models/blas_kernels.h"
#include "rank/catalog.h"
#include "rank/recommend.h"
#include "tools/benchmark_search.h"
#include "tools/benchmark_sentiment.h"
#include "tools/cli.h"
#include "tools/experiment.h"

namespace tailor::cli {
namespace {

struct BenchmarkArgs {
  int latency_requests = 0;
  std::string dataset;
  std::string model = "popularity";
  std::string json_out;
  std::string format = "auto";
  std::string params;
  bool exclude_seen = false;
  int sampled = 0;
  uint64_t seed = 42;
  int seeds = 1;               // fits with seeds seed .. seed + seeds - 1
  std::string variants;        // "excluded,kept,sampled-100"; empty = --exclude-seen/--sampled
  std::string checkpoint_dir;  // FitOptions::checkpoint_dir (per seed when seeds > 1)
  std::string protocol = "loo";  // "loo" (leave-one-out), "cold-items", "search" or "sentiment"
  int queries = 2000;            // --protocol search: users sampled, one query each
  int folds = 10;                // --protocol sentiment: cross-validation folds
  double cold_fraction = 0.15;   // --protocol cold-items: share of items held out
  std::string item_embeddings;   // --protocol cold-items: the text method's embedding file
  std::string text_model;        // --protocol cold-items: a text model directory (text_model.h)
  std::string text_align = "transitions";  // transitions | ials (text_alignment.h) | center | none
  double recency_half_life = 0;  // --protocol cold-items: history weights of attributes/text
};

// Serving cost of one recommendation, measured in process on one thread: Recommend() (model
// scoring over every item, filters with seen items excluded, top 10, explanations) for
// `requests` queries of an anonymous shopper with a history of 50 random items.
nlohmann::json MeasureRecommendLatency(const Recommender& model, const Dataset& dataset,
                                       int requests, uint64_t seed) {
  constexpr int kHistoryLength = 50;
  Catalog catalog;
  catalog.item_ids = dataset.item_ids;
  catalog.titles = dataset.item_ids;
  catalog.brands.assign(dataset.item_ids.size(), "");
  catalog.prices.assign(dataset.item_ids.size(), std::nullopt);
  catalog.in_stock.assign(dataset.item_ids.size(), 1);
  catalog.categories.assign(dataset.item_ids.size(), {});
  for (size_t item_idx = 0; item_idx < dataset.item_ids.size(); ++item_idx) {
    catalog.item_index[dataset.item_ids[item_idx]] = static_cast<int32_t>(item_idx);
  }
  std::mt19937_64 rng(seed);
  Filters filters;
  filters.exclude_seen = true;
  std::vector<double> millis;
  for (int request = 0; request < requests + 10; ++request) {
    std::vector<Interaction> history(kHistoryLength);
    for (Interaction& interaction : history) {
      interaction.item = static_cast<int32_t>(rng() % dataset.item_ids.size());
    }
    const auto start = std::chrono::steady_clock::now();
    auto list = Recommend(model, catalog, Query{-1, history}, {}, filters, 10);
    const double elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (request >= 10 && list.ok()) millis.push_back(elapsed);  // the first 10 warm caches
  }
  std::sort(millis.begin(), millis.end());
  auto at = [&](double quantile) {
    return millis.empty() ? 0.0 : millis[static_cast<size_t>(quantile * (millis.size() - 1))];
  };
  return {{"what", "Recommend() in process, one thread, 50-item history, top 10, seen excluded"},
          {"requests", millis.size()},
          {"items", dataset.num_items()},
          {"p50", at(0.5)},
          {"p90", at(0.9)},
          {"p99", at(0.99)},
          {"max", millis.empty() ? 0.0 : millis.back()}};
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

  nlohmann::json out = DatasetJson(args.dataset, loaded);
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
  ASSIGN_OR_RETURN(const std::string text, FinishReport(out, args.seed, args.json_out));
  std::fprintf(stderr, "%s 5-fold: rmse %.4f mae %.4f (train %.1fs)\n", args.model.c_str(),
               result.rmse, result.mae, result.train_seconds);
  std::printf("%s\n", text.c_str());
  return OkStatus();
}

// One evaluation protocol of the ranking benchmark; every variant is evaluated on every fit.
struct Variant {
  std::string name;  // "excluded", "kept", "sampled-100"
  bool exclude_seen = false;
  int sampled = 0;  // 0 = full ranking
};

// --variants, or the single variant of --exclude-seen / --sampled when it is absent.
StatusOr<std::vector<Variant>> ParseVariants(const BenchmarkArgs& args) {
  if (args.variants.empty()) {
    Variant only;
    only.exclude_seen = args.exclude_seen;
    only.sampled = args.sampled;
    only.name = args.sampled > 0 ? "sampled-" + std::to_string(args.sampled)
                                 : (args.exclude_seen ? "excluded" : "kept");
    return std::vector<Variant>{only};
  }
  if (args.sampled != 0) {
    return InvalidArgumentError("--sampled with --variants: list the sampled protocol as "
                                "sampled-N in --variants");
  }
  std::vector<Variant> out;
  for (const std::string& name : SplitList(args.variants)) {
    Variant variant;
    if (name == "excluded") {
      variant.exclude_seen = true;
    } else if (name == "kept") {
      variant.exclude_seen = false;
    } else if (name.starts_with("sampled-")) {
      std::optional<int64_t> count = ParseInt64(std::string_view(name).substr(8));
      if (!count || *count <= 0 || *count > std::numeric_limits<int>::max()) {
        return InvalidArgumentError("--variants: '" + name + "': sampled-N needs N > 0");
      }
      variant.sampled = static_cast<int>(*count);
      // The sampled negatives are never-interacted items either way; --exclude-seen only
      // decides whether a target the user has already seen can still hit (and masks the
      // catalogue metrics' top-K), as in the evaluator.
      variant.exclude_seen = args.exclude_seen;
    } else {
      return InvalidArgumentError("--variants: unknown variant '" + name +
                                  "' (excluded, kept, sampled-N)");
    }
    variant.name = variant.sampled > 0 ? "sampled-" + std::to_string(variant.sampled) : name;
    for (const Variant& earlier : out) {
      if (earlier.name == variant.name) {
        return InvalidArgumentError("--variants: '" + variant.name + "' listed twice");
      }
    }
    out.push_back(std::move(variant));
  }
  if (out.empty()) return InvalidArgumentError("--variants: empty list");
  return out;
}

double Mean(const std::vector<double>& values) {
  double sum = 0.0;
  for (double value : values) sum += value;
  return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

// "0.0812 ± 0.0012" for `metric`, "-" when the summary lacks it.
std::string MeanStd(const SeedSummary& summary, const std::string& metric) {
  const auto mean = summary.mean.find(metric);
  if (mean == summary.mean.end()) return "-";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.4f ± %.4f", mean->second, summary.stddev.at(metric));
  return buf;
}

// `text` padded with spaces to `width` characters (UTF-8 aware: "±" is one character).
std::string PadColumn(const std::string& text, size_t width) {
  size_t chars = 0;
  for (char byte : text) chars += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  return text + std::string(width > chars ? width - chars : 0, ' ');
}

// One row per variant: recall@10 and ndcg@10 (and hr@10 for sampled variants) as mean ± std
// over the seeds.
void PrintSeedTable(const std::vector<Variant>& variants, const std::vector<std::string>& protocols,
                    const std::vector<SeedSummary>& summaries, size_t num_seeds) {
  size_t name_width = 7;
  for (const Variant& variant : variants) name_width = std::max(name_width, variant.name.size());
  for (size_t variant_idx = 0; variant_idx < variants.size(); ++variant_idx) {
    std::fprintf(stderr, "protocol [%s]: %s\n", variants[variant_idx].name.c_str(),
                 protocols[variant_idx].c_str());
  }
  constexpr size_t kValueWidth = 16;  // "0.0812 ± 0.0012"
  std::string table = PadColumn("variant", name_width) + "  seeds  " +
                      PadColumn("recall@10", kValueWidth) + "  " +
                      PadColumn("ndcg@10", kValueWidth) + "  hr@10\n";
  for (size_t variant_idx = 0; variant_idx < variants.size(); ++variant_idx) {
    const SeedSummary& summary = summaries[variant_idx];
    const std::string hr =
        variants[variant_idx].sampled > 0 ? MeanStd(summary, "hr@10") : std::string("-");
    char seeds[16];
    std::snprintf(seeds, sizeof(seeds), "%5zu", num_seeds);
    table += PadColumn(variants[variant_idx].name, name_width) + "  " + seeds + "  " +
             PadColumn(MeanStd(summary, "recall@10"), kValueWidth) + "  " +
             PadColumn(MeanStd(summary, "ndcg@10"), kValueWidth) + "  " + hr + "\n";
  }
  std::fprintf(stderr, "%s", table.c_str());
}

// The leave-one-out ranking protocol: `args.seeds` fits (seeds seed .. seed + N - 1), each
// evaluated with every variant; metrics are the first variant's means over the seeds.
// The checkpoint folder of one seed's fit: --checkpoint-dir, or DIR/seed-<seed> with several
// seeds, so a seed never resumes another's training.
std::string SeedCheckpointDir(const BenchmarkArgs& args, uint64_t seed) {
  if (args.checkpoint_dir.empty() || args.seeds <= 1) return args.checkpoint_dir;
  return (std::filesystem::path(args.checkpoint_dir) / ("seed-" + std::to_string(seed))).string();
}

Status RunRanking(const GlobalOptions& global, const BenchmarkArgs& args,
                  const LoadedDataset& loaded, const nlohmann::json& params) {
  ASSIGN_OR_RETURN(std::vector<Variant> variants, ParseVariants(args));
  const Dataset& dataset = loaded.dataset;
  const Split split = SplitLeaveOneOut(dataset.histories).test;
  const size_t num_seeds = static_cast<size_t>(args.seeds);
  const bool multi = num_seeds > 1 || variants.size() > 1;

  std::vector<uint64_t> seeds;
  std::vector<std::vector<RankingEvalResult>> results(variants.size());  // [variant][seed]
  std::vector<double> train_seconds;
  nlohmann::json fit_stats_per_seed = nlohmann::json::array();
  nlohmann::json effective_params;
  nlohmann::json latency;
  for (size_t seed_idx = 0; seed_idx < num_seeds; ++seed_idx) {
    const uint64_t seed = args.seed + seed_idx;
    seeds.push_back(seed);
    const std::string checkpoint_dir = SeedCheckpointDir(args, seed);
    if (num_seeds > 1) {
      std::fprintf(stderr, "seed %llu (%zu of %zu)\n", static_cast<unsigned long long>(seed),
                   seed_idx + 1, num_seeds);
    }
    ASSIGN_OR_RETURN(FittedModel fitted, FitNamedModel(args.model, params, split.train,
                                                       global.threads, seed, checkpoint_dir,
                                                       &dataset));
    train_seconds.push_back(fitted.train_seconds);
    fit_stats_per_seed.push_back(fitted.model->fit_stats());
    if (seed_idx == 0) effective_params = fitted.model->params();
    if (seed_idx == 0 && args.latency_requests > 0) {
      latency = MeasureRecommendLatency(*fitted.model, dataset, args.latency_requests, seed);
      std::fprintf(stderr, "recommend latency: p50 %.3f ms, p99 %.3f ms over %d requests\n",
                   latency["p50"].get<double>(), latency["p99"].get<double>(),
                   args.latency_requests);
    }
    for (size_t variant_idx = 0; variant_idx < variants.size(); ++variant_idx) {
      const Variant& variant = variants[variant_idx];
      RankingEvalOptions options;
      options.ks = {5, 10, 20};
      options.exclude_seen = variant.exclude_seen;
      options.sampled_negatives = variant.sampled;
      options.threads = global.threads;
      options.seed = seed;
      ConsoleProgress eval_progress;
      options.progress = eval_progress.AsFn();
      ASSIGN_OR_RETURN(RankingEvalResult result, EvaluateRanking(*fitted.model, split, options));
      if (multi) {
        std::fprintf(stderr, "seed %llu %s: recall@10 %.4f ndcg@10 %.4f (eval %.1fs)\n",
                     static_cast<unsigned long long>(seed), variant.name.c_str(),
                     result.metrics["recall@10"], result.metrics["ndcg@10"],
                     result.eval_seconds);
      }
      results[variant_idx].push_back(std::move(result));
    }
  }

  std::string seeds_note;
  if (num_seeds > 1) {
    seeds_note = "; mean over " + std::to_string(num_seeds) + " seeds " +
                 std::to_string(seeds.front()) + ".." + std::to_string(seeds.back()) +
                 " (one fit per seed, evaluated with every variant)";
  }
  const std::string split_text = "leave-one-out (last item = test, trained on the rest), ";
  std::vector<SeedSummary> summaries;
  std::vector<std::string> protocols;
  nlohmann::json variants_json = nlohmann::json::object();
  for (size_t variant_idx = 0; variant_idx < variants.size(); ++variant_idx) {
    const std::vector<RankingEvalResult>& per_seed = results[variant_idx];
    std::vector<MetricMap> metric_maps;
    std::vector<double> eval_seconds;
    for (const RankingEvalResult& result : per_seed) {
      metric_maps.push_back(result.metrics);
      eval_seconds.push_back(result.eval_seconds);
    }
    ASSIGN_OR_RETURN(SeedSummary summary, SummarizeSeeds(std::move(metric_maps)));
    std::string protocol = per_seed.front().protocol;
    if (num_seeds > 1) {
      // Sampled negatives are drawn with each fit's own seed, not only the first one.
      const std::string first_seed = "(seed " + std::to_string(seeds.front()) + ")";
      if (const size_t at = protocol.find(first_seed); at != std::string::npos) {
        protocol.replace(at, first_seed.size(), "(each fit's seed)");
      }
    }
    protocols.push_back(split_text + protocol + seeds_note);
    variants_json[variants[variant_idx].name] = {
        {"protocol", protocols.back()},
        {"mean", summary.mean},
        {"std", summary.stddev},
        {"per_seed", summary.per_seed},
        {"users_evaluated", per_seed.front().users_evaluated},
        {"eval_seconds", Mean(eval_seconds)}};
    summaries.push_back(std::move(summary));
  }

  const RankingEvalResult& first = results.front().front();
  nlohmann::json out = DatasetJson(args.dataset, loaded);
  out["protocol"] = protocols.front();
  out["seen_items"] = variants.front().exclude_seen ? "excluded" : "kept";
  out["model"] = args.model;
  out["params"] = effective_params;
  out["metrics"] = summaries.front().mean;
  out["users_evaluated"] = first.users_evaluated;
  out["train_seconds"] = Mean(train_seconds);
  out["fit_stats"] = fit_stats_per_seed.front();
  if (!loaded.text_content.is_null()) out["text_content"] = loaded.text_content;
  out["eval_seconds"] = variants_json[variants.front().name]["eval_seconds"];
  out["peak_rss_mb"] = PeakRssMb();
  out["blas"] = BlasKernelsJson();
  out["seed"] = args.seed;
  out["date"] = Today();
  if (!latency.is_null()) out["latency_ms"] = latency;
  if (multi) {
    out["seeds"] = seeds;
    out["variants"] = variants_json;
    out["train_seconds_per_seed"] = train_seconds;
    out["fit_stats_per_seed"] = fit_stats_per_seed;
  }
  std::string text = out.dump(2);
  if (!args.json_out.empty()) {
    RETURN_IF_ERROR(WriteReportFile(args.json_out, text + "\n"));
  }
  if (multi) {
    PrintSeedTable(variants, protocols, summaries, num_seeds);
  } else {
    std::fprintf(stderr, "%s", FormatResultsTable(results.front()).c_str());
  }
  std::printf("%s\n", text.c_str());
  return OkStatus();
}

// The text method's embeddings for --protocol cold-items, or nullopt when none is given (the
// JSON's "metrics" then holds text-tfidf, or attributes without texts). The text stage's
// ComputeTextEmbeddings plugs in here as one more source: a lambda that calls it for the
// dataset's items, trained
// (if it learns from interactions) on split.train only.
std::optional<ItemEmbeddingSource> TextEmbeddingSource(const GlobalOptions& global,
                                                       const BenchmarkArgs& args,
                                                       const Dataset& dataset,
                                                       nlohmann::json* source_stats) {
  if (!args.item_embeddings.empty()) {
    return ItemEmbeddingSource(
        [path = args.item_embeddings, &dataset](const ColdItemSplit&, uint64_t) {
          return ReadItemEmbeddings(path, dataset.item_ids);
        });
  }
  if (args.text_model.empty()) return std::nullopt;
  // The item texts are embedded once; the alignment learns from each split's training part.
  auto text = std::make_shared<std::optional<FactorMatrix>>();
  return ItemEmbeddingSource([&global, &args, &dataset, text, source_stats](
                                 const ColdItemSplit& split, uint64_t seed) -> StatusOr<FactorMatrix> {
    if (!text->has_value()) {
      ASSIGN_OR_RETURN(std::unique_ptr<TextModel> model, TextModel::Load(args.text_model));
      const auto start = std::chrono::steady_clock::now();
      ConsoleProgress progress;
      ASSIGN_OR_RETURN(FactorMatrix embedded,
                       model->EmbedAll(dataset.item_texts, global.threads, progress.AsFn()));
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      (*source_stats)["text_model"] = args.text_model;
      (*source_stats)["embed_seconds"] = seconds;
      (*source_stats)["embed_items_per_second"] = embedded.rows() / std::max(1e-9, seconds);
      *text = std::move(embedded);
    }
    TextAlignmentOptions options;
    ASSIGN_OR_RETURN(options.target, ParseTextAlignTarget(args.text_align));
    options.threads = global.threads;
    options.seed = seed;
    ConsoleProgress progress;
    options.projection.progress = progress.AsFn();
    nlohmann::json stats;
    ASSIGN_OR_RETURN(FactorMatrix aligned, AlignTextToBehaviour(**text, split.train, options, &stats));
    (*source_stats)["alignment_per_seed"].push_back(stats);
    return aligned;
  });
}

// One method's results over the seeds of --protocol cold-items.
struct ColdMethodRuns {
  std::string name;
  std::string description;
  std::vector<MetricMap> metrics;              // [seed]
  std::vector<int64_t> test_events_evaluated;  // [seed]
  std::vector<double> build_seconds;           // [seed] scorer creation (embeddings included)
  std::vector<double> eval_seconds;            // [seed]
};

// The cold-item protocol (eval/cold_items.h): per seed a fresh cold split, every method
// scored on it; "metrics" = the last method (model, text embeddings, text-tfidf or attributes),
// "baselines" = every other method by name.
Status RunColdItems(const GlobalOptions& global, const BenchmarkArgs& args,
                    const nlohmann::json& params, const LoadedDataset& loaded) {
  const Dataset& dataset = loaded.dataset;
  nlohmann::json source_stats = nlohmann::json::object();
  const std::optional<ItemEmbeddingSource> embeddings =
      TextEmbeddingSource(global, args, dataset, &source_stats);
  std::vector<ColdMethodRuns> methods;
  std::vector<uint64_t> seeds;
  std::string protocol;
  int64_t cold_items = 0;
  // --model names a method of its own (popularity, the default, is a baseline already).
  const bool with_model = args.model != "popularity";
  nlohmann::json fit_stats_per_seed = nlohmann::json::array();  // the --model method's
  nlohmann::json effective_params;
  for (int seed_idx = 0; seed_idx < args.seeds; ++seed_idx) {
    ColdItemSplitOptions split_options;
    split_options.cold_fraction = args.cold_fraction;
    split_options.seed = args.seed + static_cast<uint64_t>(seed_idx);
    seeds.push_back(split_options.seed);
    ASSIGN_OR_RETURN(ColdItemSplit split, SplitColdItems(dataset.histories, split_options));
    if (seed_idx == 0) {
      protocol = DescribeColdItemProtocol(split, split_options);
      cold_items = static_cast<int64_t>(split.cold_items.size());
    }
    std::fprintf(stderr,
                 "seed %llu: %zu cold items, %lld training interactions dropped, %lld of %lld "
                 "test events with a cold target (%lld with an empty history)\n",
                 static_cast<unsigned long long>(split_options.seed), split.cold_items.size(),
                 static_cast<long long>(split.dropped_interactions),
                 static_cast<long long>(split.cold_test_events),
                 static_cast<long long>(split.test_events),
                 static_cast<long long>(split.empty_histories));

    std::vector<std::unique_ptr<ColdItemScorer>> scorers;
    std::vector<double> build_seconds;
    auto timed = [&](auto make) -> Status {
      const auto start = std::chrono::steady_clock::now();
      StatusOr<std::unique_ptr<ColdItemScorer>> scorer = make();
      if (!scorer.ok()) return scorer.status();
      scorers.push_back(std::move(*scorer));
      build_seconds.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      return OkStatus();
    };
    RETURN_IF_ERROR(timed([&]() -> StatusOr<std::unique_ptr<ColdItemScorer>> {
      return std::unique_ptr<ColdItemScorer>(new PopularityColdScorer(split.train));
    }));
    RETURN_IF_ERROR(timed([&]() -> StatusOr<std::unique_ptr<ColdItemScorer>> {
      AttributeScorerOptions options;
      options.recency_half_life = args.recency_half_life;
      ASSIGN_OR_RETURN(std::unique_ptr<AttributeOverlapScorer> scorer,
                       AttributeOverlapScorer::Create(dataset.item_features, options));
      return std::unique_ptr<ColdItemScorer>(std::move(scorer));
    }));
    if (!dataset.image_vectors.empty()) {
      RETURN_IF_ERROR(timed([&]() -> StatusOr<std::unique_ptr<ColdItemScorer>> {
        TextScorerOptions options;
        options.recency_half_life = args.recency_half_life;
        options.name = "image";
        ASSIGN_OR_RETURN(std::unique_ptr<TextEmbeddingScorer> scorer,
                         TextEmbeddingScorer::Create(ToFactorMatrix(dataset.image_vectors),
                                                     dataset.num_items(), options));
        return std::unique_ptr<ColdItemScorer>(std::move(scorer));
      }));
    }
    const bool has_texts =
        std::any_of(dataset.item_texts.begin(), dataset.item_texts.end(),
                    [](const std::string& text) { return !text.empty(); });
    if (has_texts) {
      RETURN_IF_ERROR(timed([&]() -> StatusOr<std::unique_ptr<ColdItemScorer>> {
        TfidfScorerOptions options;
        options.recency_half_life = args.recency_half_life;
        ASSIGN_OR_RETURN(std::unique_ptr<TfidfTextScorer> scorer,
                         TfidfTextScorer::Create(dataset.item_texts, options));
        return std::unique_ptr<ColdItemScorer>(std::move(scorer));
      }));
    }
    ItemVectors split_text;  // the text method's vectors, fused into the --model method too
    if (embeddings) {
      RETURN_IF_ERROR(timed([&]() -> StatusOr<std::unique_ptr<ColdItemScorer>> {
        ASSIGN_OR_RETURN(FactorMatrix matrix, (*embeddings)(split, split_options.seed));
        if (with_model) split_text = ToItemVectors(matrix);
        TextScorerOptions options;
        options.recency_half_life = args.recency_half_life;
        ASSIGN_OR_RETURN(
            std::unique_ptr<TextEmbeddingScorer> scorer,
            TextEmbeddingScorer::Create(std::move(matrix), dataset.num_items(), options));
        return std::unique_ptr<ColdItemScorer>(std::move(scorer));
      }));
    }
    std::unique_ptr<Recommender> model;  // outlives its scorer, this seed's evaluation
    if (with_model) {
      RETURN_IF_ERROR(timed([&]() -> StatusOr<std::unique_ptr<ColdItemScorer>> {
        const std::string checkpoint_dir = SeedCheckpointDir(args, split_options.seed);
        ASSIGN_OR_RETURN(ItemVectors content,
                         ConcatNormalized(std::vector<const ItemVectors*>{
                             &dataset.image_vectors, &split_text}));
        ASSIGN_OR_RETURN(FittedModel fitted,
                         FitNamedModel(args.model, params, split.train, global.threads,
                                       split_options.seed, checkpoint_dir, &dataset, &content));
        model = std::move(fitted.model);
        fit_stats_per_seed.push_back(model->fit_stats());
        if (effective_params.is_null()) effective_params = model->params();
        return std::unique_ptr<ColdItemScorer>(new RecommenderColdScorer(
            *model, "the " + args.model + " model's scores, fit on the split's training "
                    "histories with the items' side features (" +
                        std::to_string(dataset.item_features.num_features()) +
                        ") and content vectors (d = " + std::to_string(content.dim) +
                        (dataset.image_vectors.empty() ? "" : ", image") +
                        (split_text.empty() ? "" : ", text") + ") fused in"));
      }));
    }
    if (methods.empty()) methods.resize(scorers.size());
    for (size_t method_idx = 0; method_idx < scorers.size(); ++method_idx) {
      ColdItemEvalOptions options;
      options.ks = {10, 20};
      options.threads = global.threads;
      ASSIGN_OR_RETURN(ColdItemEvalResult result,
                       EvaluateColdItems(*scorers[method_idx], split, options));
      ColdMethodRuns& runs = methods[method_idx];
      runs.name = result.method;
      runs.description = result.description;
      runs.metrics.push_back(result.metrics);
      runs.test_events_evaluated.push_back(result.test_events_evaluated);
      runs.build_seconds.push_back(build_seconds[method_idx]);
      runs.eval_seconds.push_back(result.eval_seconds);
    }
  }

  std::string seeds_note;
  if (args.seeds > 1) {
    seeds_note = "; mean over " + std::to_string(args.seeds) + " seeds " +
                 std::to_string(seeds.front()) + ".." + std::to_string(seeds.back()) +
                 " (a different cold set per seed)";
  }
  // The model, else text embeddings, else text-tfidf, else attributes.
  const ColdMethodRuns& headline = methods.back();
  nlohmann::json baselines = nlohmann::json::object();
  std::vector<SeedSummary> summaries;
  for (const ColdMethodRuns& runs : methods) {
    ASSIGN_OR_RETURN(SeedSummary summary, SummarizeSeeds(runs.metrics));
    nlohmann::json entry = summary.mean;
    entry["description"] = runs.description;
    entry["cold_items"] = cold_items;
    entry["test_events_evaluated"] = runs.test_events_evaluated.front();
    entry["train_seconds"] = Mean(runs.build_seconds);
    entry["eval_seconds"] = Mean(runs.eval_seconds);
    if (args.seeds > 1) {
      entry["std"] = summary.stddev;
      entry["per_seed"] = summary.per_seed;
      entry["test_events_evaluated_per_seed"] = runs.test_events_evaluated;
    }
    // The compared methods: all but the headline (attributes even as the headline).
    if (&runs != &headline || runs.name == "attributes") baselines[runs.name] = entry;
    summaries.push_back(std::move(summary));
  }

  nlohmann::json out = DatasetJson(args.dataset, loaded);
  out["protocol"] = protocol + seeds_note;
  out["seen_items"] = "excluded";
  out["model"] = headline.name;
  out["method"] = headline.description;
  const bool attributes_headline = headline.name == "attributes";
  if (attributes_headline) {
    out["note"] =
        "no item texts, no item embeddings (--item-embeddings or --text-model) and no --model "
        "given: metrics hold the attributes method";
  }
  if (!args.item_embeddings.empty()) {
    out["item_embeddings"] = args.item_embeddings;
  } else if (embeddings) {
    out["text_align"] = args.text_align;
    out["text_source"] = source_stats;
  }
  out["metrics"] = summaries.back().mean;
  if (!effective_params.is_null()) {
    out["params"] = effective_params;
    out["fit_stats"] = fit_stats_per_seed.front();
    if (args.seeds > 1) out["fit_stats_per_seed"] = fit_stats_per_seed;
  }
  out["cold_items"] = cold_items;
  out["test_events_evaluated"] = headline.test_events_evaluated.front();
  out["baselines"] = baselines;
  out["train_seconds"] = Mean(headline.build_seconds);
  out["eval_seconds"] = Mean(headline.eval_seconds);
  out["peak_rss_mb"] = PeakRssMb();
  out["blas"] = BlasKernelsJson();
  out["seed"] = args.seed;
  if (args.seeds > 1) {
    out["seeds"] = seeds;
    out["std"] = summaries.back().stddev;
    out["per_seed"] = summaries.back().per_seed;
  }
  out["date"] = Today();
  std::string text = out.dump(2);
  if (!args.json_out.empty()) {
    RETURN_IF_ERROR(WriteReportFile(args.json_out, text + "\n"));
  }

  std::fprintf(stderr, "protocol: %s\n", out["protocol"].get<std::string>().c_str());
  std::string table = PadColumn("method", 12) + "  " + PadColumn("events", 7) + "  " +
                      PadColumn("ndcg@10", 16) + "  " + PadColumn("recall@10", 16) + "  " +
                      PadColumn("ndcg@20", 16) + "  " + PadColumn("recall@20", 16) + "  eval s\n";
  for (size_t method_idx = 0; method_idx < methods.size(); ++method_idx) {
    const ColdMethodRuns& runs = methods[method_idx];
    const SeedSummary& summary = summaries[method_idx];
    auto cell = [&](const std::string& metric) {
      if (args.seeds > 1) return MeanStd(summary, metric);
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.4f", summary.mean.at(metric));
      return std::string(buf);
    };
    char eval_seconds[32];
    std::snprintf(eval_seconds, sizeof(eval_seconds), "%.2f", Mean(runs.eval_seconds));
    table += PadColumn(runs.name + (&runs == &headline ? " *" : ""), 12) + "  " +
             PadColumn(std::to_string(runs.test_events_evaluated.front()), 7) + "  " +
             PadColumn(cell("ndcg@10"), 16) + "  " + PadColumn(cell("recall@10"), 16) + "  " +
             PadColumn(cell("ndcg@20"), 16) + "  " + PadColumn(cell("recall@20"), 16) + "  " +
             eval_seconds + "\n";
  }
  table += "(* = the JSON's metrics";
  table += attributes_headline
               ? "; no texts, --item-embeddings or --model: the attributes method)\n"
                               : ")\n";
  std::fprintf(stderr, "%s", table.c_str());
  std::printf("%s\n", text.c_str());
  return OkStatus();
}

Status RunBenchmark(const GlobalOptions& global, const BenchmarkArgs& args) {
  if (args.seeds < 1) {
    return InvalidArgumentError("--seeds: expected >= 1, got " + std::to_string(args.seeds));
  }
  if (args.protocol != "loo" && args.protocol != "cold-items" && args.protocol != "search" &&
      args.protocol != "sentiment") {
    return InvalidArgumentError("--protocol: expected loo, cold-items, search or sentiment, got '" +
                                args.protocol + "'");
  }
  nlohmann::json params = nlohmann::json::object();
  if (!args.params.empty()) {
    params = nlohmann::json::parse(args.params, nullptr, /*allow_exceptions=*/false);
    if (!params.is_object()) return InvalidArgumentError("--params: expected a JSON object");
  }
  if (args.protocol == "sentiment") {
    if (!args.variants.empty() || args.sampled != 0 || args.latency_requests != 0 ||
        args.seeds != 1 || !args.item_embeddings.empty() || args.model != "popularity") {
      return InvalidArgumentError(
          "--protocol sentiment cross-validates its own methods (tailor's fine-tuned encoder, "
          "fastText) on labelled texts: --model, --variants, --sampled, --latency, --seeds and "
          "--item-embeddings do not apply");
    }
    SentimentBenchmarkArgs sentiment_args;
    sentiment_args.dataset = args.dataset;
    sentiment_args.text_model = args.text_model;
    sentiment_args.checkpoint_dir = args.checkpoint_dir;
    sentiment_args.folds = args.folds;
    sentiment_args.params = params;
    sentiment_args.seed = args.seed;
    sentiment_args.json_out = args.json_out;
    return RunSentimentBenchmark(global, sentiment_args);
  }
  if (args.protocol == "search") {
    if (!args.variants.empty() || args.sampled != 0 || args.latency_requests != 0 ||
        !args.checkpoint_dir.empty() || args.seeds != 1 || !args.item_embeddings.empty()) {
      return InvalidArgumentError(
          "--protocol search ranks every item for its own queries and times every search: "
          "--variants, --sampled, --latency, --checkpoint-dir, --seeds and --item-embeddings "
          "do not apply");
    }
    SearchBenchmarkArgs search_args;
    search_args.dataset = args.dataset;
    search_args.format = args.format;
    search_args.model = args.model;
    search_args.params = params;
    search_args.text_model = args.text_model;
    search_args.queries = args.queries;
    search_args.seed = args.seed;
    search_args.json_out = args.json_out;
    return RunSearchBenchmark(global, search_args);
  }
  if (args.protocol == "cold-items" &&
      (!args.variants.empty() || args.sampled != 0 || args.latency_requests != 0)) {
    return InvalidArgumentError(
        "--protocol cold-items compares its own methods (popularity, attributes, image, text, "
        "and --model when given) with seen items excluded: --variants, --sampled and --latency "
        "do not apply");
  }
  if (args.protocol == "cold-items" && args.model == "popularity" &&
      (!args.checkpoint_dir.empty() || !args.params.empty())) {
    return InvalidArgumentError(
        "--protocol cold-items: --params and --checkpoint-dir apply to a --model method (give "
        "--model, e.g. sasrec)");
  }
  if (args.protocol != "cold-items" && !args.item_embeddings.empty()) {
    return InvalidArgumentError("--item-embeddings applies to --protocol cold-items");
  }
  if (!args.item_embeddings.empty() && !args.text_model.empty()) {
    return InvalidArgumentError("--item-embeddings and --text-model: give one text source");
  }
  RETURN_IF_ERROR(ParseTextAlignTarget(args.text_align).status());
  // Item texts for the text methods: the text model's and the cold-item protocol's text-tfidf.
  ASSIGN_OR_RETURN(LoadedDataset loaded,
                   LoadDatasetFolder(args.dataset, args.format,
                                     {.item_texts = !args.text_model.empty() ||
                                                    args.protocol == "cold-items"}));
  if (args.protocol == "cold-items") return RunColdItems(global, args, params, loaded);
  if (!args.text_model.empty()) {
    // Leave-one-out with a text model: the text-enhanced variant of the sequential models.
    RETURN_IF_ERROR(AddTextContent(args.text_model, global.threads, &loaded.dataset,
                                   &loaded.text_content));
  }
  if (loaded.format == "movielens") {
    // Rating models get the rating protocol when the fold files are there; others rank.
    ASSIGN_OR_RETURN(std::unique_ptr<Recommender> unfitted, MakeRecommender(args.model, params));
    StatusOr<std::vector<RatingFoldPaths>> fold_paths = FindMovieLensFolds(args.dataset);
    if (dynamic_cast<const RatingPredictor*>(unfitted.get()) != nullptr) {
      if (fold_paths.ok()) {
        if (args.seeds != 1 || !args.variants.empty()) {
          return InvalidArgumentError(
              "--seeds/--variants apply to the ranking protocol; " + args.model +
              " on MovieLens gets the 5-fold rating protocol");
        }
        return RunRatingFolds(global, args, loaded, *fold_paths, params);
      }
      std::fprintf(stderr, "note: %s; ranking protocol instead\n",
                   fold_paths.status().ToString().c_str());
    }
  }
  return RunRanking(global, args, loaded, params);
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
      "  several seeds and protocols from one fit per seed (mean ± std in the JSON's "
      "\"variants\"):\n"
      "  example: tailor benchmark --dataset ../shared/datasets/amazon-beauty --model sasrec "
      "--seeds 3 --variants excluded,kept,sampled-100 --json beauty-sasrec.json\n"
      "  rating models (mf) on movielens-100k: 5-fold u1..u5 RMSE/MAE\n"
      "  cold items (15% of the items held out of training; popularity, attribute overlap and\n"
      "  text-embedding methods rank them, seen items excluded):\n"
      "  example: tailor benchmark --dataset ../shared/datasets/amazon-scientific-text "
      "--protocol cold-items [--item-embeddings emb.tsv] --json cold.json\n"
      "  shopping search (BM25 vs tailor's hybrid + personal search, MRR@10/Recall@10):\n"
      "  example: tailor benchmark --dataset ../shared/datasets/amazon-scientific-text "
      "--protocol search --model ials [--text-model DIR] --json search.json\n"
      "  review sentiment (10-fold; tailor's fine-tuned encoder vs fastText, accuracy/macro F1):\n"
      "  example: tailor benchmark --dataset ../shared/datasets/sentiment-sentences-uci "
      "--protocol sentiment [--text-model DIR] [--checkpoint-dir ckpt] --json sentiment.json");
  cmd->add_option("--dataset", args.dataset, "Dataset folder or file")->required();
  cmd->add_option("--model,-m", args.model, "Model name")->default_val("popularity");
  cmd->add_option("--json", args.json_out, "Write the JSON result here (also printed)");
  cmd->add_option("--format,-f", args.format, "Dataset format (default: detected)")->default_val("auto");
  cmd->add_option("--params", args.params, "Model params JSON (default: the model's defaults)");
  cmd->add_flag("--exclude-seen", args.exclude_seen, "Remove the user's training items from the ranking");
  cmd->add_option("--sampled", args.sampled, "Sampled-N negatives protocol instead of full ranking")
      ->default_val(0);
  cmd->add_option("--seed", args.seed, "Random seed (the first seed with --seeds)")
      ->default_val(42);
  cmd->add_option("--seeds", args.seeds,
                  "Fit this many times with seeds seed, seed+1, ...; report mean and std")
      ->default_val(1);
  cmd->add_option("--variants", args.variants,
                  "Comma list of protocols evaluated on every fit: excluded, kept, sampled-N "
                  "(sampled-N keeps seen targets unless --exclude-seen); default: the one of "
                  "--exclude-seen/--sampled");
  cmd->add_option("--latency", args.latency_requests,
                  "Also time N in-process recommendations from a 50-item history (p50/p99 in "
                  "the JSON's latency_ms)")
      ->default_val(0);
  cmd->add_option("--checkpoint-dir", args.checkpoint_dir,
                  "Folder for per-epoch training checkpoints to resume from (DIR/seed-<seed> "
                  "with --seeds > 1)");
  cmd->add_option("--protocol", args.protocol,
                  "loo (leave-one-out, the model's standard protocol), cold-items (held-out "
                  "items, see eval/cold_items.h; --model is not used) or search (shopping "
                  "queries from each user's held-out item, tools/benchmark_search.h; --model "
                  "re-ranks personally) or sentiment (k-fold review sentiment, "
                  "tools/benchmark_sentiment.h)")
      ->default_val("loo");
  cmd->add_option("--folds", args.folds,
                  "--protocol sentiment: cross-validation folds")
      ->default_val(10);
  cmd->add_option("--queries", args.queries,
                  "--protocol search: users sampled, one query each (<= 0 = every test user)")
      ->default_val(2000);
  cmd->add_option("--cold-fraction", args.cold_fraction,
                  "--protocol cold-items: share of the items held out as cold")
      ->default_val(0.15);
  cmd->add_option("--item-embeddings", args.item_embeddings,
                  "--protocol cold-items: text embeddings for the text method, one line per "
                  "item: '<item id><TAB><v1> <v2> ...' (eval/item_embeddings_file.h)");
  cmd->add_option("--text-model", args.text_model,
                  "--protocol cold-items and search: text model directory (tailor text-encoder's output or "
                  "a Hugging Face BERT folder) embedding every item's text; --protocol sentiment: "
                  "the encoder to fine-tune (default: one pretrained on the dataset's texts); "
                  "leave-one-out and --protocol cold-items --model: the text embeddings are "
                  "fused into the model's items beside the image vectors (sequential models)");
  cmd->add_option("--text-align", args.text_align,
                  "--protocol cold-items with --text-model: transitions = project text so an "
                  "item lands next to the items bought right after it (InfoNCE on the split's "
                  "training histories); ials = map text onto iALS item factors; center = raw "
                  "text embeddings minus their mean; none = raw text embeddings")
      ->default_val("transitions");
  cmd->add_option("--recency-half-life", args.recency_half_life,
                  "--protocol cold-items: weigh the history of the attributes and text methods "
                  "by 0.5^(age / H), age 0 = the last item (0 = all weigh 1)")
      ->default_val(0.0);
  cmd->callback([&] {
    Status status = RunBenchmark(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
