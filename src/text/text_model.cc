#include "text/text_model.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/thread_pool.h"
#include "text/safetensors.h"
#include "text/sentencepiece_tokenizer.h"
#include "text/wordpiece_tokenizer.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr char kConfigFile[] = "config.json";
constexpr char kVocabFile[] = "vocab.txt";
constexpr char kSentencePieceFile[] = "tokenizer.model";
constexpr char kWeightsFile[] = "model.safetensors";
constexpr char kPoolingFile[] = "1_Pooling/config.json";
constexpr char kTokenizerConfigFile[] = "tokenizer_config.json";

StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path.string() + ": cannot open");
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

StatusOr<json> ReadJson(const fs::path& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return InvalidArgumentError(path.string() + ": not a JSON object");
  return parsed;
}

// An integer field of config.json; `fallback` when absent and fallback >= 0.
Status ReadInt(const json& config, const std::string& source, const char* field, int64_t fallback,
               int32_t* out) {
  const auto it = config.find(field);
  if (it == config.end()) {
    if (fallback < 0) return InvalidArgumentError(source + ": missing field '" + field + "'");
    *out = static_cast<int32_t>(fallback);
    return OkStatus();
  }
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > (1LL << 30)) {
    return InvalidArgumentError(source + ": field '" + field + "' must be a non-negative integer");
  }
  *out = static_cast<int32_t>(it->get<int64_t>());
  return OkStatus();
}

StatusOr<BertConfig> ParseConfig(const json& config, const std::string& source) {
  const std::string model_type = config.value("model_type", std::string("bert"));
  if (model_type != "bert") {
    return InvalidArgumentError(source + ": model_type '" + model_type +
                                "' is not supported (BERT-architecture encoders only)");
  }
  const std::string activation = config.value("hidden_act", std::string("gelu"));
  if (activation != "gelu") {
    return InvalidArgumentError(source + ": hidden_act '" + activation +
                                "' is not supported (exact gelu only)");
  }
  BertConfig out;
  RETURN_IF_ERROR(ReadInt(config, source, "vocab_size", -1, &out.vocab_size));
  RETURN_IF_ERROR(ReadInt(config, source, "hidden_size", -1, &out.hidden));
  RETURN_IF_ERROR(ReadInt(config, source, "num_hidden_layers", -1, &out.layers));
  RETURN_IF_ERROR(ReadInt(config, source, "num_attention_heads", -1, &out.heads));
  RETURN_IF_ERROR(ReadInt(config, source, "intermediate_size", -1, &out.intermediate));
  RETURN_IF_ERROR(ReadInt(config, source, "max_position_embeddings", 512, &out.max_positions));
  RETURN_IF_ERROR(ReadInt(config, source, "type_vocab_size", 2, &out.type_vocab_size));
  if (auto eps = config.find("layer_norm_eps"); eps != config.end()) {
    if (!eps->is_number()) return InvalidArgumentError(source + ": layer_norm_eps must be a number");
    out.layer_norm_eps = eps->get<float>();
  }
  Status valid = ValidateBertConfig(out);
  if (!valid.ok()) return InvalidArgumentError(source + ": " + valid.message());
  return out;
}

json ConfigJson(const BertConfig& config) {
  return {{"architectures", {"BertModel"}},
          {"model_type", "bert"},
          {"hidden_act", "gelu"},
          {"vocab_size", config.vocab_size},
          {"hidden_size", config.hidden},
          {"num_hidden_layers", config.layers},
          {"num_attention_heads", config.heads},
          {"intermediate_size", config.intermediate},
          {"max_position_embeddings", config.max_positions},
          {"type_vocab_size", config.type_vocab_size},
          {"layer_norm_eps", config.layer_norm_eps},
          {"pad_token_id", 0}};
}

// The tensor under `name`, trying the "bert." prefix and the gamma/beta names of original
// TensorFlow-converted checkpoints for LayerNorm weights.
StatusOr<std::vector<float>> FindTensor(const SafeTensors& tensors, const std::string& prefix,
                                        const std::string& name, const std::vector<int64_t>& shape) {
  std::vector<std::string> candidates = {prefix + name};
  const std::string norm = "LayerNorm.";
  if (const size_t at = name.rfind(norm); at != std::string::npos) {
    const std::string stem = prefix + name.substr(0, at + norm.size());
    candidates.push_back(stem + (name.ends_with(".weight") ? "gamma" : "beta"));
  }
  for (const std::string& candidate : candidates) {
    if (tensors.Has(candidate)) return tensors.Floats(candidate, shape);
  }
  return tensors.Floats(candidates.front(), shape);  // kNotFound naming the tensor
}

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return UnavailableError(path.string() + ": cannot write");
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<TextModel>> TextModel::Create(std::unique_ptr<Tokenizer> tokenizer,
                                                       BertEncoder encoder, BertPooling pooling) {
  if (tokenizer->vocab_size() > encoder.config().vocab_size) {
    return InvalidArgumentError("text model: the tokenizer has " +
                                std::to_string(tokenizer->vocab_size()) +
                                " pieces, the encoder's vocabulary only " +
                                std::to_string(encoder.config().vocab_size));
  }
  return std::unique_ptr<TextModel>(new TextModel(std::move(tokenizer), std::move(encoder), pooling));
}

StatusOr<std::unique_ptr<TextModel>> TextModel::Load(const std::string& dir) {
  const fs::path root(dir);
  if (!fs::is_directory(root)) return NotFoundError(dir + ": not a model directory");
  const fs::path config_path = root / kConfigFile;
  ASSIGN_OR_RETURN(json config_json, ReadJson(config_path));
  ASSIGN_OR_RETURN(BertConfig config, ParseConfig(config_json, config_path.string()));

  std::unique_ptr<Tokenizer> tokenizer;
  if (fs::exists(root / kSentencePieceFile)) {
    ASSIGN_OR_RETURN(std::string proto, ReadFile(root / kSentencePieceFile));
    auto loaded = SentencePieceTokenizer::FromModelProto(std::move(proto));
    if (!loaded.ok()) {
      return Status(loaded.status().code(),
                    (root / kSentencePieceFile).string() + ": " + loaded.status().message());
    }
    tokenizer = std::move(*loaded);
  } else if (fs::exists(root / kVocabFile)) {
    bool lower_case = true;
    if (fs::exists(root / kTokenizerConfigFile)) {
      ASSIGN_OR_RETURN(json tokenizer_config, ReadJson(root / kTokenizerConfigFile));
      lower_case = tokenizer_config.value("do_lower_case", true);
    }
    ASSIGN_OR_RETURN(tokenizer, WordPieceTokenizer::FromFile((root / kVocabFile).string(), lower_case));
  } else {
    return NotFoundError(dir + ": no tokenizer (vocab.txt or tokenizer.model)");
  }

  const fs::path weights_path = root / kWeightsFile;
  if (!fs::exists(weights_path)) return NotFoundError(weights_path.string() + ": no such file");
  ASSIGN_OR_RETURN(SafeTensors tensors, SafeTensors::Read(weights_path.string()));
  const std::string prefix = tensors.Has("bert.embeddings.word_embeddings.weight") ? "bert." : "";
  BertWeights weights;
  weights.config = config;
  weights.layers.resize(static_cast<size_t>(config.layers));
  for (BertTensorRef& ref : BertTensorRefs(&weights)) {
    auto values = FindTensor(tensors, prefix, ref.name, ref.shape);
    if (!values.ok()) {
      return Status(values.status().code(), weights_path.string() + ": " + values.status().message());
    }
    *ref.values = std::move(*values);
  }
  ASSIGN_OR_RETURN(BertEncoder encoder, BertEncoder::Create(std::move(weights)));

  BertPooling pooling = BertPooling::kMean;
  if (fs::exists(root / kPoolingFile)) {
    ASSIGN_OR_RETURN(json pooling_json, ReadJson(root / kPoolingFile));
    if (pooling_json.value("pooling_mode_cls_token", false)) pooling = BertPooling::kCls;
  }
  auto model = Create(std::move(tokenizer), std::move(encoder), pooling);
  if (!model.ok()) return InvalidArgumentError(dir + ": " + model.status().message());
  return model;
}

StatusOr<std::unique_ptr<TextModel>> TextModel::WithEncoder(BertEncoder encoder) const {
  BinaryWriter bytes;
  SaveTokenizer(*tokenizer_, bytes);
  BinaryReader reader(bytes.buffer(), "tokenizer copy");
  ASSIGN_OR_RETURN(std::unique_ptr<Tokenizer> tokenizer, LoadTokenizer(reader));
  return Create(std::move(tokenizer), std::move(encoder), pooling_);
}

Status TextModel::Save(const std::string& dir) const {
  const fs::path target(dir);
  const fs::path temp = target.string() + ".tmp-" + std::to_string(::getpid());
  std::error_code error;
  fs::remove_all(temp, error);
  fs::create_directories(temp / "1_Pooling", error);
  if (error) return UnavailableError(temp.string() + ": " + error.message());
  RETURN_IF_ERROR(WriteText(temp / kConfigFile, ConfigJson(encoder_.config()).dump(2) + "\n"));
  const bool cls = pooling_ == BertPooling::kCls;
  RETURN_IF_ERROR(WriteText(temp / kPoolingFile,
                            json{{"word_embedding_dimension", dim()},
                                 {"pooling_mode_cls_token", cls},
                                 {"pooling_mode_mean_tokens", !cls}}
                                    .dump(2) +
                                "\n"));
  if (const auto* spm = dynamic_cast<const SentencePieceTokenizer*>(tokenizer_.get())) {
    RETURN_IF_ERROR(WriteText(temp / kSentencePieceFile, spm->model_proto()));
  } else {
    const auto* wordpiece = dynamic_cast<const WordPieceTokenizer*>(tokenizer_.get());
    std::string vocab;
    for (int32_t id = 0; id < tokenizer_->vocab_size(); ++id) vocab += tokenizer_->Piece(id) + "\n";
    RETURN_IF_ERROR(WriteText(temp / kVocabFile, vocab));
    const bool lower_case = wordpiece == nullptr || wordpiece->lower_case();
    RETURN_IF_ERROR(WriteText(temp / kTokenizerConfigFile,
                              json{{"do_lower_case", lower_case}}.dump(2) + "\n"));
  }
  BertWeights weights = encoder_.weights();
  std::vector<NamedTensor> named;
  for (const BertTensorRef& ref : BertTensorRefs(&weights)) {
    named.push_back({ref.name, ref.shape, *ref.values});
  }
  RETURN_IF_ERROR(WriteSafeTensors((temp / kWeightsFile).string(), named,
                                   {{"format", "pt"}, {"written_by", "tailor"}}));
  return ReplaceDirectory(temp.string(), dir);
}

Status ReplaceDirectory(const std::string& complete, const std::string& dir) {
  // The old directory goes only once the new one is in place.
  const fs::path target(dir);
  const fs::path old = target.string() + ".old-" + std::to_string(::getpid());
  std::error_code error;
  if (fs::exists(target)) fs::rename(target, old, error);
  if (error) return UnavailableError(dir + ": " + error.message());
  fs::rename(complete, target, error);
  if (error) return UnavailableError(dir + ": " + error.message());
  fs::remove_all(old, error);
  return OkStatus();
}

std::vector<int32_t> TextModel::Tokens(std::string_view text) const {
  return EncodeForEncoder(*tokenizer_, text, max_tokens());
}

Status TextModel::Embed(std::string_view text, std::span<float> out) const {
  return encoder_.Embed(Tokens(text), pooling_, /*normalize=*/true, out);
}

StatusOr<FactorMatrix> TextModel::EmbedAll(const std::vector<std::string>& texts, int threads,
                                           const ProgressFn& progress) const {
  constexpr int64_t kChunk = 256;
  FactorMatrix out(static_cast<int32_t>(texts.size()), dim());
  const int64_t count = static_cast<int64_t>(texts.size());
  const int64_t chunks = (count + kChunk - 1) / kChunk;
  std::vector<Status> failures(static_cast<size_t>(chunks));
  std::atomic<int64_t> done{0};
  ParallelFor(threads, chunks, [&](int64_t chunk_idx, int) {
    const int64_t end = std::min(count, (chunk_idx + 1) * kChunk);
    for (int64_t text_idx = chunk_idx * kChunk; text_idx < end; ++text_idx) {
      Status status = Embed(texts[text_idx], {out.row(static_cast<int32_t>(text_idx)),
                                              static_cast<size_t>(dim())});
      if (!status.ok()) {
        failures[chunk_idx] = Status(status.code(), "text " + std::to_string(text_idx) + ": " +
                                                        status.message());
        return;
      }
    }
    const int64_t finished = done.fetch_add(end - chunk_idx * kChunk) + (end - chunk_idx * kChunk);
    if (progress) progress({"embed texts", finished, count, ""});
  });
  for (const Status& failure : failures) RETURN_IF_ERROR(failure);
  return out;
}

}  // namespace tailor
