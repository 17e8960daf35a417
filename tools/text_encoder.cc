// tailor text-encoder: pretrains tailor's own text encoder (sentencepiece vocabulary + BERT by
// masked-language modelling, text/text_pretrain.h) on the item texts of a dataset folder or of
// the store, saves it as a Hugging Face model directory, embeds every item once to measure
// the embedding throughput, and prints the training statistics as JSON.
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "dataset/dataset.h"
#include "eval/report.h"
#include "text/text_pretrain.h"
#include "tools/cli.h"
#include "tools/experiment.h"

namespace tailor::cli {
namespace {

struct TextEncoderArgs {
  std::string dataset;  // empty = the store's items
  std::string format = "auto";
  std::string out;
  std::string params;
  std::string checkpoint_dir;
  std::string json_out;
  uint64_t seed = 42;
};

StatusOr<std::vector<std::string>> ItemTexts(const GlobalOptions& global, const TextEncoderArgs& args) {
  if (!args.dataset.empty()) {
    ASSIGN_OR_RETURN(LoadedDataset loaded,
                     LoadDatasetFolder(args.dataset, args.format, {.item_texts = true}));
    return std::move(loaded.dataset.item_texts);
  }
  ASSIGN_OR_RETURN(Config config, ResolveConfig(global));
  ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenConfiguredStore(config));
  ASSIGN_OR_RETURN(Dataset dataset, LoadDataset(*store, {.item_texts = true}));
  return std::move(dataset.item_texts);
}

Status RunTextEncoder(const GlobalOptions& global, const TextEncoderArgs& args) {
  nlohmann::json params = nlohmann::json::object();
  if (!args.params.empty()) {
    params = nlohmann::json::parse(args.params, nullptr, /*allow_exceptions=*/false);
    if (!params.is_object()) return InvalidArgumentError("--params: expected a JSON object");
  }
  ASSIGN_OR_RETURN(TextPretrainOptions options, TextPretrainOptions::FromJson(params));
  if (options.threads == 0) options.threads = global.threads;
  options.seed = args.seed;
  options.checkpoint_dir = args.checkpoint_dir;
  ConsoleProgress progress;
  options.progress = progress.AsFn();
  ASSIGN_OR_RETURN(std::vector<std::string> texts, ItemTexts(global, args));
  std::fprintf(stderr, "text encoder: %zu item texts\n", texts.size());
  ASSIGN_OR_RETURN(TextPretrainResult result, PretrainTextModel(texts, options));
  RETURN_IF_ERROR(result.model->Save(args.out));

  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(FactorMatrix embeddings, result.model->EmbedAll(texts, global.threads));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json out = result.stats;
  out["params"] = options.ToJson();
  out["model_dir"] = args.out;
  out["embed_items"] = embeddings.rows();
  out["embed_seconds"] = seconds;
  out["embed_items_per_second"] = static_cast<double>(embeddings.rows()) / std::max(1e-9, seconds);
  out["peak_rss_mb"] = PeakRssMb();
  const std::string text = out.dump(2);
  if (!args.json_out.empty()) RETURN_IF_ERROR(WriteReportFile(args.json_out, text + "\n"));
  std::printf("%s\n", text.c_str());
  std::fprintf(stderr, "text encoder saved to %s (%.0f tokens/s training, %.0f items/s embedding)\n",
               args.out.c_str(), result.stats["tokens_per_second"].get<double>(),
               out["embed_items_per_second"].get<double>());
  return OkStatus();
}

}  // namespace

void RegisterTextEncoder(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static TextEncoderArgs args;
  auto* cmd = app.add_subcommand(
      "text-encoder",
      "Pretrain tailor's text encoder (sentencepiece + BERT, masked-language modelling) on the\n"
      "  item texts of a dataset folder (or of the store) and save it as a Hugging Face model dir\n"
      "  example: tailor text-encoder --dataset ../shared/datasets/amazon-scientific-text "
      "--out scientific-encoder --checkpoint-dir ckpt");
  cmd->add_option("--dataset", args.dataset, "Dataset folder or file (default: the store's items)");
  cmd->add_option("--format,-f", args.format, "Dataset format (default: detected)")->default_val("auto");
  cmd->add_option("--out", args.out, "Model directory to write")->required();
  cmd->add_option("--params", args.params,
                  "Encoder options JSON: hidden, layers, heads, intermediate, max_tokens, "
                  "vocab_size, epochs, patience, batch_texts, learning_rate, ...");
  cmd->add_option("--checkpoint-dir", args.checkpoint_dir, "Per-epoch checkpoints; a rerun resumes");
  cmd->add_option("--json", args.json_out, "Write the statistics JSON here (also printed)");
  cmd->add_option("--seed", args.seed, "Random seed")->default_val(42);
  cmd->callback([&] {
    Status status = RunTextEncoder(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
