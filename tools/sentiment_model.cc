// tailor sentiment-model: trains the review-sentiment model the server's GET /items/{id}
// reads (config server.sentiment_model): tailor's hybrid (text/sentiment_training.h), the text
// encoder (--text-model, or a new one for the texts) fine-tuned with a classification head plus
// a fastText channel, on every labelled text of a dataset in a layout of
// eval/sentiment_data.h, saved as a SentimentModel directory. Prints the training
// statistics as JSON.
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/progress.h"
#include "eval/sentiment_data.h"
#include "tools/benchmark_sentiment.h"
#include "tools/cli.h"
#include "tools/experiment.h"

namespace tailor::cli {
namespace {

struct SentimentModelArgs {
  std::string dataset;
  std::string out;
  std::string text_model;
  std::string params;
  std::string checkpoint_dir;
  std::string json_out;
  uint64_t seed = 42;
};

Status RunSentimentModel(const GlobalOptions& global, const SentimentModelArgs& args) {
  nlohmann::json params = nlohmann::json::object();
  if (!args.params.empty()) {
    params = nlohmann::json::parse(args.params, nullptr, /*allow_exceptions=*/false);
    if (!params.is_object()) return InvalidArgumentError("--params: expected a JSON object");
  }
  ASSIGN_OR_RETURN(SentimentModelOptions options, SentimentTuneOptions(params, global.threads, args.seed));
  ConsoleProgress progress;
  options.encoder.progress = progress.AsFn();
  ASSIGN_OR_RETURN(SentimentDataset data, LoadSentimentDataset(args.dataset));
  std::fprintf(stderr, "sentiment model: %zu labelled texts (%s)\n", data.texts.size(), data.layout.c_str());
  const auto start = std::chrono::steady_clock::now();
  nlohmann::json encoder_stats;
  ASSIGN_OR_RETURN(std::unique_ptr<TextModel> base,
                   SentimentEncoder(data.texts, args.text_model, params, args.checkpoint_dir,
                                    global.threads, args.seed, &encoder_stats));
  nlohmann::json stats;
  ASSIGN_OR_RETURN(std::unique_ptr<SentimentModel> model,
                   TrainSentimentModel(*base, data.texts, data.label_of, data.labels, options, &stats));
  RETURN_IF_ERROR(model->Save(args.out));
  nlohmann::json out = {{"dataset", args.dataset},
                        {"texts", data.texts.size()},
                        {"labels", data.labels},
                        {"model_dir", args.out},
                        {"encoder", encoder_stats},
                        {"fine_tune", stats["fine_tune"]},
                        {"lexical_seconds", stats.value("lexical_seconds", 0.0)},
                        {"options", options.encoder.ToJson()},
                        {"lexical_weight", model->lexical_weight()},
                        {"mix_choice", stats.value("mix_choice", nlohmann::json())},
                        {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
  ASSIGN_OR_RETURN(const std::string text, FinishReport(out, args.seed, args.json_out));
  std::printf("%s\n", text.c_str());
  std::fprintf(stderr, "sentiment model saved to %s (held-out accuracy %.4f)\n", args.out.c_str(),
               stats["fine_tune"]["validation_accuracy"].get<double>());
  return OkStatus();
}

}  // namespace

void RegisterSentimentModel(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static SentimentModelArgs args;
  auto* cmd = app.add_subcommand(
      "sentiment-model",
      "Train the review-sentiment model (text encoder + classification head) on labelled texts\n"
      "  (UCI *_labelled.txt sentences or star-rated review *.jsonl) for GET /items/{id}\n"
      "  example: tailor sentiment-model --dataset ../shared/datasets/amazon-fashion-reviews "
      "--out tailor-data/sentiment");
  cmd->add_option("--dataset", args.dataset, "Labelled texts: folder or file")->required();
  cmd->add_option("--out", args.out, "Model directory to write")->required();
  cmd->add_option("--text-model", args.text_model,
                  "Encoder to fine-tune (tailor text-encoder's output or a Hugging Face BERT "
                  "folder; default: a new one for the texts)");
  cmd->add_option("--params", args.params,
                  "Options JSON: lexical_weight (the TF-IDF lexical channel's share, default chosen on "
                  "the held-out texts; 0 = encoder only), "
                  "and for the fine-tuning epochs, patience, batch_texts, learning_rate, "
                  "dropout, validation_share, ...; \"encoder\": {...} for a new encoder");
  cmd->add_option("--checkpoint-dir", args.checkpoint_dir, "Pretraining checkpoints; a rerun resumes");
  cmd->add_option("--json", args.json_out, "Write the statistics JSON here (also printed)");
  cmd->add_option("--seed", args.seed, "Random seed")->default_val(42);
  cmd->callback([&] {
    Status status = RunSentimentModel(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
