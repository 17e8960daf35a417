#include "tools/benchmark_sentiment.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/binary_io.h"
#include "common/progress.h"
#include "eval/metrics.h"
#include "eval/report.h"
#include "eval/seed_summary.h"
#include "eval/sentiment_data.h"
#include "models/params.h"
#include "text/fasttext_classifier.h"
#include "text/sentiment_training.h"
#include "text/text_pretrain.h"
#include "tools/experiment.h"

namespace tailor::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr char kFoldsFile[] = "sentiment-folds.json";

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Identifies one run's folds: the texts, labels and every setting that changes a prediction.
std::string RunKey(const SentimentDataset& data, const SentimentBenchmarkArgs& args) {
  uint64_t hash = Fnv1a64(nullptr, 0);
  auto mix = [&](const std::string& bytes) { hash = Fnv1a64(bytes.data(), bytes.size(), hash); };
  for (size_t idx = 0; idx < data.texts.size(); ++idx) {
    mix(data.texts[idx]);
    mix(std::to_string(data.label_of[idx]));
  }
  mix(args.text_model);
  mix(args.params.dump());
  return "v3/" + std::to_string(hash) + "/folds " + std::to_string(args.folds) + "/seed " +
         std::to_string(args.seed);
}

// One method's predictions over every fold (pooled) and its per-fold scores.
struct MethodResult {
  std::vector<int32_t> predicted;  // per text, filled fold by fold
  std::vector<MetricMap> per_fold;  // {"accuracy", "macro_f1"}
  double seconds = 0.0;            // training and prediction, all folds

  // Mean and sample std over the folds so far (eval/seed_summary.h does the arithmetic).
  SeedSummary Summary() const { return SummarizeSeeds(per_fold).value(); }
  json Metrics() const {
    const SeedSummary summary = Summary();
    return {{"accuracy", summary.mean.at("accuracy")},
            {"accuracy_std", summary.stddev.at("accuracy")},
            {"macro_f1", summary.mean.at("macro_f1")},
            {"macro_f1_std", summary.stddev.at("macro_f1")}};
  }
};

// Pooled accuracy per group ("amazon_cells", ...); empty when there are no groups.
json GroupAccuracy(const SentimentDataset& data, const std::vector<int32_t>& predicted) {
  std::map<std::string, std::pair<int64_t, int64_t>> tally;  // group -> (correct, total)
  for (size_t idx = 0; idx < data.texts.size(); ++idx) {
    if (data.group_of[idx].empty()) continue;
    auto& [correct, total] = tally[data.group_of[idx]];
    correct += predicted[idx] == data.label_of[idx];
    ++total;
  }
  json out = json::object();
  for (const auto& [group, counts] : tally) {
    out[group] = static_cast<double>(counts.first) / static_cast<double>(counts.second);
  }
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<TextModel>> SentimentEncoder(const std::vector<std::string>& texts,
                                                      const std::string& text_model,
                                                      const nlohmann::json& params,
                                                      const std::string& checkpoint_dir, int threads,
                                                      uint64_t seed, nlohmann::json* stats) {
  if (!text_model.empty()) {
    *stats = {{"text_model", text_model}};
    return TextModel::Load(text_model);
  }
  json encoder_params = {{"epochs", 0}};  // see the header: no MLM pretraining by default
  encoder_params.update(params.value("encoder", json::object()));
  ASSIGN_OR_RETURN(TextPretrainOptions options, TextPretrainOptions::FromJson(encoder_params));
  if (options.threads == 0) options.threads = threads;
  options.seed = seed;
  // A checkpoint of the same texts would hold trained weights; none for "no pretraining".
  if (options.epochs > 0) options.checkpoint_dir = checkpoint_dir;
  ConsoleProgress progress;
  options.progress = progress.AsFn();
  ASSIGN_OR_RETURN(TextPretrainResult result, PretrainTextModel(texts, options));
  *stats = result.stats;
  (*stats)["options"] = options.ToJson();
  (*stats)["note"] = options.epochs > 0
                         ? "masked-language modelling on every text of the dataset, labels unused"
                         : "no pretraining: a sentencepiece vocabulary of the texts and BERT's "
                           "random initialisation (params.encoder.epochs > 0 pretrains by MLM)";
  return std::move(result.model);
}

StatusOr<SentimentModelOptions> SentimentTuneOptions(const nlohmann::json& params, int threads,
                                                     uint64_t seed) {
  json tune_params = params;
  tune_params.erase("encoder");
  SentimentModelOptions options;
  // lexical_weight belongs to the hybrid (unset: chosen on held-out texts), the other fields
  // to the fine-tuning.
  if (tune_params.contains("lexical_weight")) {
    double weight = 0.0;
    ParamReader reader("sentiment", {{"lexical_weight", tune_params["lexical_weight"]}});
    RETURN_IF_ERROR(reader.Double("lexical_weight", &weight, 0.0, 1.0));
    options.lexical_weight = weight;
    tune_params.erase("lexical_weight");
  }
  ASSIGN_OR_RETURN(options.encoder, SentimentTrainOptions::FromJson(tune_params));
  if (options.encoder.threads == 0) options.encoder.threads = threads;
  options.encoder.seed = seed;
  return options;
}

Status RunSentimentBenchmark(const GlobalOptions& global, const SentimentBenchmarkArgs& args) {
  ASSIGN_OR_RETURN(SentimentDataset data, LoadSentimentDataset(args.dataset));
  const int64_t count = static_cast<int64_t>(data.texts.size());
  if (args.folds < 2 || args.folds > count) {
    return InvalidArgumentError("--folds: expected 2 to " + std::to_string(count) + " (the texts), got " +
                                std::to_string(args.folds));
  }
  const int32_t classes = static_cast<int32_t>(data.labels.size());
  std::vector<int64_t> class_counts(classes, 0);
  for (int32_t label : data.label_of) ++class_counts[label];
  std::fprintf(stderr, "sentiment: %lld texts from %s (%s; %lld duplicates and %lld empty dropped)\n",
               static_cast<long long>(count), args.dataset.c_str(), data.layout.c_str(),
               static_cast<long long>(data.duplicates_dropped), static_cast<long long>(data.empty_dropped));

  ASSIGN_OR_RETURN(SentimentModelOptions tune_options,
                   SentimentTuneOptions(args.params, global.threads, args.seed));
  ConsoleProgress tune_progress;
  tune_options.encoder.progress = tune_progress.AsFn();
  const auto start = std::chrono::steady_clock::now();
  json encoder_stats;
  ASSIGN_OR_RETURN(std::unique_ptr<TextModel> base,
                   SentimentEncoder(data.texts, args.text_model, args.params, args.checkpoint_dir,
                                    global.threads, args.seed, &encoder_stats));
  const double encoder_seconds = Seconds(start);

  // Finished folds of an interrupted run with the same key.
  const std::string key = RunKey(data, args);
  const std::string folds_path =
      args.checkpoint_dir.empty() ? "" : (fs::path(args.checkpoint_dir) / kFoldsFile).string();
  json done = {{"key", key}, {"folds", json::object()}};
  if (!folds_path.empty()) fs::create_directories(args.checkpoint_dir);
  if (!folds_path.empty() && fs::exists(folds_path)) {
    std::ifstream in(folds_path);
    json saved = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (saved.is_object() && saved.value("key", "") == key && saved["folds"].is_object()) done = saved;
  }

  const std::vector<int32_t> fold_of = StratifiedFolds(data.label_of, args.folds, args.seed);
  // tailor's hybrid, each of its channels alone (the encoder, the TF-IDF regression), and the
  // fastText baseline trained on the same fold.
  MethodResult tailor, encoder, tfidf, fasttext;
  const std::pair<MethodResult*, const char*> methods[] = {
      {&tailor, "tailor"}, {&encoder, "encoder"}, {&tfidf, "tfidf"}, {&fasttext, "fasttext"}};
  for (auto& [method, name] : methods) method->predicted.assign(count, -1);
  json tune_stats = json::array();
  double fold_seconds = 0.0;
  int folds_run = 0;
  for (int32_t fold = 0; fold < args.folds; ++fold) {
    std::vector<std::string> train_texts;
    std::vector<int32_t> train_labels, test_rows;
    for (int64_t idx = 0; idx < count; ++idx) {
      if (fold_of[idx] == fold) {
        test_rows.push_back(static_cast<int32_t>(idx));
      } else {
        train_texts.push_back(data.texts[idx]);
        train_labels.push_back(data.label_of[idx]);
      }
    }
    const std::string fold_key = std::to_string(fold);
    if (!done["folds"].contains(fold_key)) {
      const auto fold_start = std::chrono::steady_clock::now();
      json stats;
      ASSIGN_OR_RETURN(std::unique_ptr<SentimentModel> model,
                       TrainSentimentModel(*base, train_texts, train_labels, data.labels, tune_options, &stats));
      FastTextOptions fasttext_options;
      fasttext_options.seed = tune_options.encoder.seed;
      ASSIGN_OR_RETURN(FastTextClassifier fasttext_model,
                       FastTextClassifier::Train(train_texts, train_labels, classes, fasttext_options));
      // The regression alone: the hybrid's own channel, or one of the same options when the
      // held-out texts chose the encoder alone.
      std::optional<TfidfClassifier> separate;
      if (model->lexical() == nullptr) {
        ASSIGN_OR_RETURN(separate, TfidfClassifier::Train(train_texts, train_labels, classes,
                                                          tune_options.lexical));
      }
      const TfidfClassifier& lexical = separate ? *separate : *model->lexical();
      json predicted = json::object();
      for (auto& [method, name] : methods) predicted[name] = json::array();
      std::vector<float> probabilities(classes);
      auto top = [&] {
        return std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin();
      };
      for (int32_t row : test_rows) {
        RETURN_IF_ERROR(model->Probabilities(data.texts[row], probabilities));
        predicted["tailor"].push_back(top());
        RETURN_IF_ERROR(model->EncoderProbabilities(data.texts[row], probabilities));
        predicted["encoder"].push_back(top());
        predicted["tfidf"].push_back(lexical.Predict(data.texts[row]));
        predicted["fasttext"].push_back(fasttext_model.Predict(data.texts[row]));
      }
      predicted["seconds"] = Seconds(fold_start);
      predicted["fine_tune"] = stats;
      done["folds"][fold_key] = predicted;
      if (!folds_path.empty()) RETURN_IF_ERROR(WriteReportFile(folds_path, done.dump() + "\n"));
      fold_seconds += Seconds(fold_start);
      ++folds_run;
    }
    const json& saved = done["folds"][fold_key];
    std::vector<int32_t> truth;
    for (int32_t row : test_rows) truth.push_back(data.label_of[row]);
    for (auto& [method, name] : methods) {
      const std::vector<int32_t> predicted = saved[name].get<std::vector<int32_t>>();
      for (size_t pos = 0; pos < test_rows.size(); ++pos) method->predicted[test_rows[pos]] = predicted[pos];
      const ClassificationScores scores = ScoreClassification(truth, predicted, classes);
      method->per_fold.push_back({{"accuracy", scores.accuracy}, {"macro_f1", scores.macro_f1}});
    }
    tailor.seconds += saved.value("seconds", 0.0);
    tune_stats.push_back(saved["fine_tune"]);
    const double eta = folds_run > 0 ? fold_seconds / folds_run * (args.folds - fold - 1) : 0.0;
    std::fprintf(stderr,
                 "[sentiment] fold %d/%d: tailor acc %.4f at lexical weight %.2f (encoder %.4f, "
                 "tfidf %.4f, fasttext %.4f); running mean %.4f (%.4f, %.4f, %.4f) ETA %.0fs\n",
                 fold + 1, args.folds, tailor.per_fold.back().at("accuracy"),
                 saved["fine_tune"].value("lexical_weight", 0.0), encoder.per_fold.back().at("accuracy"),
                 tfidf.per_fold.back().at("accuracy"), fasttext.per_fold.back().at("accuracy"),
                 tailor.Summary().mean.at("accuracy"), encoder.Summary().mean.at("accuracy"),
                 tfidf.Summary().mean.at("accuracy"), fasttext.Summary().mean.at("accuracy"), eta);
  }

  json out;
  out["dataset"] = args.dataset;
  out["layout"] = data.layout;
  out["texts"] = count;
  out["labels"] = data.labels;
  out["class_counts"] = class_counts;
  out["duplicates_dropped"] = data.duplicates_dropped;
  out["protocol"] = std::to_string(args.folds) + "-fold stratified cross-validation (seed " +
                    std::to_string(args.seed) + "), " + std::to_string(classes) +
                    " classes; mean and sample std over the folds";
  out["model"] = "sentiment";
  const std::string encoder_source =
      args.text_model.empty()
          ? std::string("trained on the folds' texts, ") + encoder_stats["note"].get<std::string>()
          : args.text_model;
  out["method"] = "tailor: hybrid of the text encoder (" + encoder_source +
                  ") fine-tuned with a linear head on its mean-pooled states and a TF-IDF logistic "
                  "regression (words, bigrams, character 2-5-grams), class probabilities mixed with " +
                  (tune_options.lexical_weight
                       ? "lexical weight " + std::to_string(*tune_options.lexical_weight)
                       : std::string("a lexical weight chosen in each fold on the fine-tuning's "
                                     "held-out texts")) +
                  " (text/sentiment_training.h)";
  out["metrics"] = tailor.Metrics();
  out["metrics"]["groups"] = GroupAccuracy(data, tailor.predicted);
  out["baselines"]["fasttext"] = fasttext.Metrics();
  out["baselines"]["fasttext"]["groups"] = GroupAccuracy(data, fasttext.predicted);
  out["baselines"]["fasttext"]["method"] = "fastText supervised, dim 50, 25 epochs, lr 0.5, word "
                                           "bigrams, one thread (text/fasttext_classifier.h)";
  out["baselines"]["tfidf"] = tfidf.Metrics();
  out["baselines"]["tfidf"]["groups"] = GroupAccuracy(data, tfidf.predicted);
  out["baselines"]["tfidf"]["method"] = "tailor's lexical channel alone: the TF-IDF logistic "
                                        "regression (text/tfidf_classifier.h)";
  out["baselines"]["encoder"] = encoder.Metrics();
  out["baselines"]["encoder"]["groups"] = GroupAccuracy(data, encoder.predicted);
  out["baselines"]["encoder"]["method"] = "tailor's encoder channel alone (" + encoder_source + ")";
  out["encoder"] = encoder_stats;
  out["encoder_seconds"] = encoder_seconds;
  out["fine_tune"] = {{"options", tune_options.encoder.ToJson()},
                      {"lexical_weight", tune_options.lexical_weight ? json(*tune_options.lexical_weight)
                                                                     : json("chosen per fold")},
                      {"per_fold", tune_stats}};
  out["train_seconds"] = tailor.seconds;
  ASSIGN_OR_RETURN(const std::string text, FinishReport(out, args.seed, args.json_out));

  std::fprintf(stderr, "protocol: %s\n", out["protocol"].get<std::string>().c_str());
  std::fprintf(stderr, "%-10s %-16s %-16s\n", "method", "accuracy", "macro F1");
  for (auto& [method, name] : methods) {
    const json metrics = method->Metrics();
    std::fprintf(stderr, "%-10s %.4f ± %.4f  %.4f ± %.4f\n", name,
                 metrics["accuracy"].get<double>(), metrics["accuracy_std"].get<double>(),
                 metrics["macro_f1"].get<double>(), metrics["macro_f1_std"].get<double>());
  }
  std::fprintf(stderr, "(tailor = the JSON's metrics; training %.1f s over the folds, encoder %.1f s)\n",
               tailor.seconds, encoder_seconds);
  std::printf("%s\n", text.c_str());
  return OkStatus();
}

}  // namespace tailor::cli
