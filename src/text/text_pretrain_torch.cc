// libtorch half of text_pretrain.h: the trainable BERT, the masked-language-model epoch loop,
// checkpoints, the export to BertEncoder, and the InfoNCE projection. The only file of the
// text stage that includes <torch/...>; c10::Error stops here.
//
// Initialisation as BERT: weights N(0, 0.02), biases 0, LayerNorm 1/0.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <thread>

#include <torch/torch.h>

#include "models/neural/torch_checkpoint.h"
#include "text/sentencepiece_tokenizer.h"
#include "text/text_pretrain.h"

extern "C" void openblas_set_num_threads(int num_threads);

namespace tailor {
namespace {

namespace F = torch::nn::functional;

constexpr double kInitStddev = 0.02;
constexpr int kCheckpointVersion = 1;
constexpr int64_t kFirstPlainPiece = 5;  // ids below are the special tokens (SpecialTokens)

torch::Tensor Dropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  return F::dropout(x, F::DropoutFuncOptions().p(p).training(true));
}

torch::nn::LayerNorm Norm(int64_t dim, double eps) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps));
}

struct LayerImpl : torch::nn::Module {
  LayerImpl(const BertConfig& c, double dropout) : heads(c.heads), dropout(dropout) {
    query = register_module("query", torch::nn::Linear(c.hidden, c.hidden));
    key = register_module("key", torch::nn::Linear(c.hidden, c.hidden));
    value = register_module("value", torch::nn::Linear(c.hidden, c.hidden));
    attention_out = register_module("attention_out", torch::nn::Linear(c.hidden, c.hidden));
    attention_norm = register_module("attention_norm", Norm(c.hidden, c.layer_norm_eps));
    intermediate = register_module("intermediate", torch::nn::Linear(c.hidden, c.intermediate));
    output = register_module("output", torch::nn::Linear(c.intermediate, c.hidden));
    output_norm = register_module("output_norm", Norm(c.hidden, c.layer_norm_eps));
  }

  // x: [B, L, d]; padding: [B, 1, 1, L] bool, true at padded keys.
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& padding) {
    const int64_t batch = x.size(0), length = x.size(1), dim = x.size(2);
    const int64_t head_dim = dim / heads;
    auto split = [&](const torch::Tensor& t) {
      return t.view({batch, length, heads, head_dim}).transpose(1, 2);
    };
    auto scores = torch::matmul(split(query(x)), split(key(x)).transpose(-2, -1)) /
                  std::sqrt(static_cast<double>(head_dim));
    auto probabilities = torch::softmax(scores.masked_fill(padding, -1e9), -1);
    auto mixed = torch::matmul(probabilities, split(value(x))).transpose(1, 2).reshape({batch, length, dim});
    x = attention_norm(x + Dropout(attention_out(mixed), dropout, is_training()));
    return output_norm(x + Dropout(output(F::gelu(intermediate(x))), dropout, is_training()));
  }

  int64_t heads;
  double dropout;
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr}, attention_out{nullptr},
      intermediate{nullptr}, output{nullptr};
  torch::nn::LayerNorm attention_norm{nullptr}, output_norm{nullptr};
};
TORCH_MODULE(Layer);

struct BertNetImpl : torch::nn::Module {
  BertNetImpl(const BertConfig& c, double dropout) : config(c), dropout(dropout) {
    word = register_parameter("word", torch::empty({c.vocab_size, c.hidden}));
    position = register_parameter("position", torch::empty({c.max_positions, c.hidden}));
    token_type = register_parameter("token_type", torch::empty({c.type_vocab_size, c.hidden}));
    embed_norm = register_module("embed_norm", Norm(c.hidden, c.layer_norm_eps));
    for (int32_t layer_idx = 0; layer_idx < c.layers; ++layer_idx) {
      layers.push_back(register_module("layer" + std::to_string(layer_idx), Layer(c, dropout)));
    }
    head_transform = register_module("head_transform", torch::nn::Linear(c.hidden, c.hidden));
    head_norm = register_module("head_norm", Norm(c.hidden, c.layer_norm_eps));
    head_bias = register_parameter("head_bias", torch::zeros({c.vocab_size}));
    torch::NoGradGuard no_grad;
    for (auto& parameter : named_parameters()) {
      const std::string& name = parameter.key();
      if (name.find("norm") != std::string::npos) {
        parameter.value().fill_(name.ends_with("weight") ? 1.0 : 0.0);
      } else if (name.ends_with("bias")) {
        parameter.value().zero_();
      } else {
        parameter.value().normal_(0.0, kInitStddev);
      }
    }
  }

  // ids: [B, L] int64, padding: [B, L] bool (true = pad) -> last hidden states [B, L, d].
  torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& padding) {
    const int64_t length = ids.size(1);
    auto x = F::embedding(ids, word) + position.slice(0, 0, length) + token_type[0];
    x = Dropout(embed_norm(x), dropout, is_training());
    const auto key_padding = padding.view({ids.size(0), 1, 1, length});
    for (auto& layer : layers) x = layer(x, key_padding);
    return x;
  }

  // Vocabulary logits of hidden states [M, d] (the MLM head, output tied to `word`).
  torch::Tensor MaskedLogits(const torch::Tensor& hidden) {
    return torch::addmm(head_bias, head_norm(F::gelu(head_transform(hidden))), word.t());
  }

  // Every encoder tensor under its Hugging Face name (BertTensorRefs' order and names).
  std::vector<std::pair<std::string, torch::Tensor>> HfTensors() {
    std::vector<std::pair<std::string, torch::Tensor>> out = {
        {"embeddings.word_embeddings.weight", word},
        {"embeddings.position_embeddings.weight", position},
        {"embeddings.token_type_embeddings.weight", token_type},
        {"embeddings.LayerNorm.weight", embed_norm->weight},
        {"embeddings.LayerNorm.bias", embed_norm->bias}};
    for (size_t layer_idx = 0; layer_idx < layers.size(); ++layer_idx) {
      const std::string prefix = "encoder.layer." + std::to_string(layer_idx) + ".";
      Layer& l = layers[layer_idx];
      for (auto& [name, tensor] : std::vector<std::pair<std::string, torch::Tensor>>{
               {"attention.self.query.weight", l->query->weight},
               {"attention.self.query.bias", l->query->bias},
               {"attention.self.key.weight", l->key->weight},
               {"attention.self.key.bias", l->key->bias},
               {"attention.self.value.weight", l->value->weight},
               {"attention.self.value.bias", l->value->bias},
               {"attention.output.dense.weight", l->attention_out->weight},
               {"attention.output.dense.bias", l->attention_out->bias},
               {"attention.output.LayerNorm.weight", l->attention_norm->weight},
               {"attention.output.LayerNorm.bias", l->attention_norm->bias},
               {"intermediate.dense.weight", l->intermediate->weight},
               {"intermediate.dense.bias", l->intermediate->bias},
               {"output.dense.weight", l->output->weight},
               {"output.dense.bias", l->output->bias},
               {"output.LayerNorm.weight", l->output_norm->weight},
               {"output.LayerNorm.bias", l->output_norm->bias}}) {
        out.emplace_back(prefix + name, tensor);
      }
    }
    return out;
  }

  BertConfig config;
  double dropout;
  torch::Tensor word, position, token_type, head_bias;
  torch::nn::LayerNorm embed_norm{nullptr}, head_norm{nullptr};
  std::vector<Layer> layers;
  torch::nn::Linear head_transform{nullptr};
};
TORCH_MODULE(BertNet);

StatusOr<BertEncoder> Export(BertNet& net) {
  torch::NoGradGuard no_grad;
  BertWeights weights;
  weights.config = net->config;
  weights.layers.resize(static_cast<size_t>(net->config.layers));
  std::map<std::string, torch::Tensor> tensors;
  for (auto& [name, tensor] : net->HfTensors()) tensors[name] = tensor;
  for (BertTensorRef& ref : BertTensorRefs(&weights)) {
    auto found = tensors.find(ref.name);
    if (found == tensors.end()) return InternalError("text encoder: no tensor for " + ref.name);
    auto tensor = found->second.detach().contiguous();
    const float* data = tensor.data_ptr<float>();
    ref.values->assign(data, data + tensor.numel());
  }
  return BertEncoder::Create(std::move(weights));
}

// A batch of token rows padded on the right: ids [B, L] and padding [B, L].
struct Batch {
  torch::Tensor ids, padding;
};

Batch MakeBatch(const std::vector<const std::vector<int32_t>*>& rows, int32_t pad) {
  size_t length = 0;
  for (const auto* row : rows) length = std::max(length, row->size());
  const int64_t batch = static_cast<int64_t>(rows.size());
  auto ids = torch::full({batch, static_cast<int64_t>(length)}, pad, torch::kLong);
  auto padding = torch::ones({batch, static_cast<int64_t>(length)}, torch::kBool);
  auto id_data = ids.accessor<int64_t, 2>();
  auto pad_data = padding.accessor<bool, 2>();
  for (int64_t row_idx = 0; row_idx < batch; ++row_idx) {
    for (size_t pos = 0; pos < rows[row_idx]->size(); ++pos) {
      id_data[row_idx][pos] = (*rows[row_idx])[pos];
      pad_data[row_idx][pos] = false;
    }
  }
  return {ids, padding};
}

// BERT's masking of one batch, in place on batch.ids: returns the flat positions chosen
// (row * L + pos) and their original ids. Special tokens ([CLS], [SEP], pads) are never chosen.
std::pair<torch::Tensor, torch::Tensor> MaskBatch(Batch& batch, double probability,
                                                  int32_t vocab_size, int32_t mask_id,
                                                  std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::uniform_int_distribution<int64_t> random_piece(kFirstPlainPiece, vocab_size - 1);
  auto ids = batch.ids.accessor<int64_t, 2>();
  const int64_t length = batch.ids.size(1);
  std::vector<int64_t> positions, targets;
  for (int64_t row = 0; row < batch.ids.size(0); ++row) {
    for (int64_t pos = 0; pos < length; ++pos) {
      if (ids[row][pos] < kFirstPlainPiece || uniform(rng) >= probability) continue;
      positions.push_back(row * length + pos);
      targets.push_back(ids[row][pos]);
      const double roll = uniform(rng);
      if (roll < 0.8) {
        ids[row][pos] = mask_id;
      } else if (roll < 0.9) {
        ids[row][pos] = random_piece(rng);
      }
    }
  }
  return {torch::tensor(positions, torch::kLong), torch::tensor(targets, torch::kLong)};
}

// Seeded batches of similar-length texts: shuffle, sort windows of 50 batches by length,
// cut, shuffle the batches.
std::vector<std::vector<int32_t>> PlanTextBatches(const std::vector<std::vector<int32_t>>& tokens,
                                                  const std::vector<int32_t>& rows,
                                                  int batch_texts, uint64_t seed) {
  std::vector<int32_t> order = rows;
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t window = static_cast<size_t>(batch_texts) * 50;
  for (size_t begin = 0; begin < order.size(); begin += window) {
    const auto end = order.begin() + std::min(order.size(), begin + window);
    std::stable_sort(order.begin() + begin, end, [&](int32_t a, int32_t b) {
      return tokens[a].size() < tokens[b].size();
    });
  }
  std::vector<std::vector<int32_t>> batches;
  for (size_t begin = 0; begin < order.size(); begin += batch_texts) {
    batches.emplace_back(order.begin() + begin,
                         order.begin() + std::min(order.size(), begin + batch_texts));
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

std::vector<const std::vector<int32_t>*> Rows(const std::vector<std::vector<int32_t>>& tokens,
                                              const std::vector<int32_t>& indexes) {
  std::vector<const std::vector<int32_t>*> rows;
  for (int32_t index : indexes) rows.push_back(&tokens[index]);
  return rows;
}

uint64_t Fingerprint(const TextPretrainOptions& options,
                     const std::vector<std::vector<int32_t>>& tokens) {
  uint64_t hash = 1469598103934665603ULL;
  auto mix = [&](uint64_t value) {
    hash ^= value;
    hash *= 1099511628211ULL;
  };
  nlohmann::json shape = options.ToJson();
  shape.erase("epochs");
  shape.erase("patience");
  shape.erase("threads");
  for (char c : shape.dump()) mix(static_cast<uint8_t>(c));
  mix(options.seed);
  for (const auto& row : tokens) {
    mix(row.size());
    for (int32_t id : row) mix(static_cast<uint64_t>(id));
  }
  return hash;
}

struct PretrainState {
  int epoch = 0;
  int64_t step = 0;
  int best_epoch = 0;
  double best_loss = 1e300;
  double best_accuracy = 0.0;
  int stale_epochs = 0;
  double train_seconds = 0.0;
  int64_t train_tokens = 0;  // real (non-pad) tokens through the encoder, all epochs
  std::vector<torch::Tensor> best_parameters;
};

// Every scalar of the state the checkpoint keeps, named once for saving and loading.
CheckpointFields Fields(PretrainState& state) {
  CheckpointFields fields;
  fields
      .Int("epoch", &state.epoch)
      .Int("step", &state.step)
      .Int("best_epoch", &state.best_epoch)
      .Int("stale_epochs", &state.stale_epochs)
      .Int("train_tokens", &state.train_tokens)
      .Double("best_loss", &state.best_loss)
      .Double("best_accuracy", &state.best_accuracy)
      .Double("train_seconds", &state.train_seconds);
  return fields;
}

void SaveCheckpoint(const std::string& path, BertNet& net, torch::optim::AdamW& optimizer,
                    PretrainState& state, uint64_t fingerprint) {
  SaveTorchCheckpoint(path, kCheckpointVersion, fingerprint, *net, optimizer, Fields(state),
                      state.best_parameters);
}

// True when a checkpoint of this exact run was loaded into net/optimizer/state.
bool LoadCheckpoint(const std::string& path, BertNet& net, torch::optim::AdamW& optimizer,
                    PretrainState* state, uint64_t fingerprint) {
  return LoadTorchCheckpoint(path, kCheckpointVersion, fingerprint, *net, optimizer,
                             Fields(*state), &state->best_parameters);
}

int ThreadCount(int requested) {
  return requested > 0 ? requested : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// OpenBLAS's threads run the matrix products; torch's own (OpenMP) threads stay at one, as in
// the sequential trainer: the two pools spin-wait against each other on a 2-core machine.
void SetThreads(int threads) {
  torch::set_num_threads(1);
  openblas_set_num_threads(threads);
}

StatusOr<TextPretrainResult> Pretrain(const std::vector<std::string>& texts,
                                      const TextPretrainOptions& options) {
  // libtorch allocates fresh activation buffers every step; keep freed blocks in the heap.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  const int threads = ThreadCount(options.threads);
  SetThreads(threads);
  torch::manual_seed(options.seed);
  const auto start = std::chrono::steady_clock::now();
  if (options.progress) options.progress({"text encoder vocabulary", 0, 0, "sentencepiece"});
  SentencePieceOptions piece_options;
  piece_options.vocab_size = options.vocab_size;
  piece_options.threads = threads;
  ASSIGN_OR_RETURN(std::unique_ptr<SentencePieceTokenizer> tokenizer,
                   SentencePieceTokenizer::Train(texts, piece_options));
  const double vocabulary_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<std::vector<int32_t>> tokens;
  std::vector<int32_t> usable;
  int64_t total_tokens = 0;
  for (const std::string& text : texts) {
    tokens.push_back(EncodeForEncoder(*tokenizer, text, options.max_tokens));
    if (tokens.back().size() > 2) {
      usable.push_back(static_cast<int32_t>(tokens.size() - 1));
      total_tokens += static_cast<int64_t>(tokens.back().size());
    }
  }
  if (usable.size() < 2) {
    return InvalidArgumentError("text encoder: " + std::to_string(usable.size()) +
                                " texts with a piece to learn from, need at least 2");
  }
  std::mt19937_64 split_rng(options.seed + 101);
  std::shuffle(usable.begin(), usable.end(), split_rng);
  const size_t validation_count = std::min<size_t>(
      {1000, usable.size() / 2,
       static_cast<size_t>(std::ceil(options.validation_share * static_cast<double>(usable.size())))});
  std::vector<int32_t> validation(usable.begin(), usable.begin() + validation_count);
  std::vector<int32_t> train_rows(usable.begin() + validation_count, usable.end());
  std::sort(train_rows.begin(), train_rows.end());

  BertConfig config;
  config.vocab_size = tokenizer->vocab_size();
  config.hidden = options.hidden;
  config.layers = options.layers;
  config.heads = options.heads;
  config.intermediate = options.intermediate;
  config.max_positions = options.max_tokens;
  RETURN_IF_ERROR(ValidateBertConfig(config));
  BertNet net(config, options.dropout);
  torch::optim::AdamW optimizer(
      net->parameters(),
      torch::optim::AdamWOptions(options.learning_rate).weight_decay(options.weight_decay));
  PretrainState state;
  const uint64_t fingerprint = Fingerprint(options, tokens);
  std::string checkpoint;
  int resumed_from = 0;
  if (!options.checkpoint_dir.empty()) {
    std::filesystem::create_directories(options.checkpoint_dir);
    checkpoint = (std::filesystem::path(options.checkpoint_dir) / "text-encoder.ckpt").string();
    if (LoadCheckpoint(checkpoint, net, optimizer, &state, fingerprint)) resumed_from = state.epoch;
    if (resumed_from > 0 && options.progress) {
      options.progress({"text encoder pretraining", state.epoch, options.epochs,
                        "resumed from " + checkpoint + " after epoch " + std::to_string(state.epoch)});
    }
  }
  const SpecialTokens special = tokenizer->special();
  const int64_t steps_per_epoch =
      (static_cast<int64_t>(train_rows.size()) + options.batch_texts - 1) / options.batch_texts;
  const int64_t warmup = std::min<int64_t>(options.warmup_steps, steps_per_epoch);
  // Fixed masks for the held-out loss, so epochs are comparable.
  std::vector<std::vector<int32_t>> validation_batches;
  for (size_t begin = 0; begin < validation.size(); begin += options.batch_texts) {
    validation_batches.emplace_back(validation.begin() + begin,
                                    validation.begin() + std::min(validation.size(), begin + options.batch_texts));
  }
  auto evaluate = [&](double* loss, double* accuracy) {
    torch::NoGradGuard no_grad;
    net->eval();
    std::mt19937_64 mask_rng(options.seed + 7);
    double loss_sum = 0.0, correct = 0.0, count = 0.0;
    for (const auto& indexes : validation_batches) {
      Batch batch = MakeBatch(Rows(tokens, indexes), special.pad);
      auto [positions, targets] = MaskBatch(batch, options.mask_probability, config.vocab_size,
                                            special.mask, mask_rng);
      if (positions.numel() == 0) continue;
      auto hidden = net->forward(batch.ids, batch.padding).view({-1, config.hidden});
      auto logits = net->MaskedLogits(hidden.index_select(0, positions));
      loss_sum += F::cross_entropy(logits, targets, F::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
      correct += logits.argmax(1).eq(targets).sum().item<double>();
      count += static_cast<double>(targets.numel());
    }
    *loss = count > 0 ? loss_sum / count : 0.0;
    *accuracy = count > 0 ? correct / count : 0.0;
  };

  double last_loss = 0.0, last_validation_loss = 0.0;
  bool stopped = options.patience > 0 && state.stale_epochs >= options.patience && state.epoch > 0;
  while (!stopped && state.epoch < options.epochs) {
    const auto epoch_start = std::chrono::steady_clock::now();
    const int epoch = state.epoch + 1;
    net->train();
    std::mt19937_64 mask_rng(options.seed * 1000003ULL + static_cast<uint64_t>(epoch));
    double loss_sum = 0.0;
    int64_t loss_count = 0;
    for (const auto& indexes : PlanTextBatches(tokens, train_rows, options.batch_texts,
                                               options.seed + static_cast<uint64_t>(epoch))) {
      Batch batch = MakeBatch(Rows(tokens, indexes), special.pad);
      for (int32_t index : indexes) state.train_tokens += static_cast<int64_t>(tokens[index].size());
      auto [positions, targets] = MaskBatch(batch, options.mask_probability, config.vocab_size,
                                            special.mask, mask_rng);
      if (positions.numel() == 0) continue;
      const double warm = warmup > 0 ? std::min(1.0, static_cast<double>(state.step + 1) / warmup) : 1.0;
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(options.learning_rate * warm);
      }
      optimizer.zero_grad();
      auto hidden = net->forward(batch.ids, batch.padding).view({-1, config.hidden});
      auto loss = F::cross_entropy(net->MaskedLogits(hidden.index_select(0, positions)), targets);
      loss.backward();
      optimizer.step();
      ++state.step;
      loss_sum += loss.item<double>();
      ++loss_count;
    }
    last_loss = loss_sum / static_cast<double>(std::max<int64_t>(1, loss_count));
    double accuracy = 0.0;
    evaluate(&last_validation_loss, &accuracy);
    state.epoch = epoch;
    if (validation_batches.empty() || last_validation_loss <= state.best_loss) {
      state.best_loss = last_validation_loss;
      state.best_accuracy = accuracy;
      state.best_epoch = epoch;
      state.stale_epochs = 0;
      state.best_parameters.clear();
      for (const auto& parameter : net->parameters()) state.best_parameters.push_back(parameter.detach().clone());
    } else {
      ++state.stale_epochs;
    }
    state.train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    if (!checkpoint.empty()) SaveCheckpoint(checkpoint, net, optimizer, state, fingerprint);
    if (options.patience > 0 && state.stale_epochs >= options.patience) stopped = true;
    if (options.progress) {
      const double per_epoch = state.train_seconds / std::max(1, epoch - resumed_from);
      char detail[220];
      std::snprintf(detail, sizeof(detail),
                    "epoch %d loss %.4f held-out loss %.4f acc %.3f (best %.4f @%d) %.0f tokens/s "
                    "%.1fs/epoch ETA %.0fs",
                    epoch, last_loss, last_validation_loss, accuracy, state.best_loss, state.best_epoch,
                    static_cast<double>(state.train_tokens) / std::max(1e-9, state.train_seconds),
                    per_epoch, stopped ? 0.0 : per_epoch * (options.epochs - epoch));
      options.progress({"text encoder pretraining", epoch, options.epochs, detail});
    }
  }
  {
    torch::NoGradGuard no_grad;
    auto parameters = net->parameters();
    if (state.best_parameters.size() == parameters.size()) {
      for (size_t idx = 0; idx < parameters.size(); ++idx) parameters[idx].copy_(state.best_parameters[idx]);
    }
  }
  net->eval();
  ASSIGN_OR_RETURN(BertEncoder encoder, Export(net));
  // The export must reproduce the torch forward (mean pooling of the first texts).
  double difference = 0.0;
  {
    torch::NoGradGuard no_grad;
    for (size_t probe = 0; probe < std::min<size_t>(8, usable.size()); ++probe) {
      const std::vector<int32_t>& ids = tokens[usable[probe]];
      Batch batch = MakeBatch({&ids}, special.pad);
      auto expected = net->forward(batch.ids, batch.padding)[0].contiguous();
      std::vector<float> hidden;
      RETURN_IF_ERROR(encoder.Forward(ids, &hidden));
      const float* data = expected.data_ptr<float>();
      for (size_t idx = 0; idx < hidden.size(); ++idx) {
        difference = std::max(difference, static_cast<double>(std::abs(hidden[idx] - data[idx])));
      }
    }
  }
  if (!(difference < 1e-3)) {
    return InternalError("text encoder: exported encoder differs from the trained network by " +
                         std::to_string(difference));
  }
  // Forward FLOPs per token: 2 per weight of the layers, attention 4 * L * d per layer; a
  // training step is about three forwards. The MLM head on the masked tokens is left out.
  const double average_length = static_cast<double>(total_tokens) / static_cast<double>(usable.size());
  const double layer_weights = 4.0 * config.hidden * config.hidden + 2.0 * config.hidden * config.intermediate;
  const double flops_per_token =
      3.0 * config.layers * (2.0 * layer_weights + 4.0 * average_length * config.hidden);
  const double tokens_per_second =
      static_cast<double>(state.train_tokens) / std::max(1e-9, state.train_seconds);
  TextPretrainResult result;
  ASSIGN_OR_RETURN(result.model, TextModel::Create(std::move(tokenizer), std::move(encoder), BertPooling::kMean));
  result.stats = {{"epochs", state.epoch},
                  {"best_epoch", state.best_epoch},
                  {"best_validation_loss", state.best_loss},
                  {"validation_accuracy", state.best_accuracy},
                  {"last_loss", last_loss},
                  {"texts", texts.size()},
                  {"train_texts", train_rows.size()},
                  {"validation_texts", validation.size()},
                  {"vocab_size", config.vocab_size},
                  {"average_tokens", average_length},
                  {"train_tokens", state.train_tokens},
                  {"tokens_per_second", tokens_per_second},
                  {"gflops_per_second", tokens_per_second * flops_per_token * 1e-9},
                  {"vocabulary_seconds", vocabulary_seconds},
                  {"train_seconds", state.train_seconds},
                  {"seconds_per_epoch", state.train_seconds / std::max(1, state.epoch - resumed_from)},
                  {"resumed_from_epoch", resumed_from},
                  {"threads", threads},
                  {"export_max_abs_diff", difference}};
  return result;
}

struct ProjectionNetImpl : torch::nn::Module {
  ProjectionNetImpl(int64_t in, int64_t hidden, int64_t out) {
    first = register_module("first", torch::nn::Linear(in, hidden));
    second = register_module("second", torch::nn::Linear(hidden, out));
  }
  torch::Tensor forward(const torch::Tensor& x) { return second(F::gelu(first(x))); }
  torch::nn::Linear first{nullptr}, second{nullptr};
};
TORCH_MODULE(ProjectionNet);

torch::Tensor Gather(const FactorMatrix& matrix, std::span<const int32_t> rows) {
  auto out = torch::empty({static_cast<int64_t>(rows.size()), matrix.cols()});
  float* data = out.data_ptr<float>();
  for (size_t idx = 0; idx < rows.size(); ++idx) {
    std::copy(matrix.row(rows[idx]), matrix.row(rows[idx]) + matrix.cols(), data + idx * matrix.cols());
  }
  return out;
}

// Symmetric InfoNCE over a batch: row i of `projected` pairs with row i of `targets`.
torch::Tensor InfoNce(const torch::Tensor& projected, const torch::Tensor& targets, double temperature) {
  auto logits = torch::mm(F::normalize(projected, F::NormalizeFuncOptions().dim(1)),
                          F::normalize(targets, F::NormalizeFuncOptions().dim(1)).t()) /
                temperature;
  auto labels = torch::arange(logits.size(0), torch::kLong);
  return 0.5 * (F::cross_entropy(logits, labels) + F::cross_entropy(logits.t(), labels));
}

// The training loop both projection objectives share: `examples` indexes split into train and
// held-out parts; batch_loss(net, example indexes) is the InfoNCE of one batch. Early stopping
// on the held-out loss keeps the best epoch's weights.
using BatchLossFn = std::function<torch::Tensor(ProjectionNet&, std::span<const int32_t>)>;

StatusOr<TextProjection> ProjectionLoop(int32_t in_dim, int32_t out_dim, int32_t examples,
                                        const BatchLossFn& batch_loss,
                                        const TextProjectionOptions& options, nlohmann::json* stats) {
  const auto start = std::chrono::steady_clock::now();
  SetThreads(ThreadCount(options.threads));
  torch::manual_seed(options.seed);
  std::vector<int32_t> order(static_cast<size_t>(examples));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed + 31);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t validation_count = std::max<size_t>(
      2, static_cast<size_t>(options.validation_share * static_cast<double>(order.size())));
  const std::vector<int32_t> validation(order.begin(), order.begin() + validation_count);
  std::vector<int32_t> train(order.begin() + validation_count, order.end());

  ProjectionNet net(in_dim, options.hidden, out_dim);
  torch::optim::AdamW optimizer(
      net->parameters(),
      torch::optim::AdamWOptions(options.learning_rate).weight_decay(options.weight_decay));
  double best_loss = 1e300;
  int best_epoch = 0, stale = 0, epoch = 0;
  std::vector<torch::Tensor> best;
  for (epoch = 1; epoch <= options.epochs; ++epoch) {
    net->train();
    std::shuffle(train.begin(), train.end(), rng);
    for (size_t begin = 0; begin + 1 < train.size(); begin += options.batch_rows) {
      const std::span<const int32_t> batch(train.data() + begin,
                                           std::min<size_t>(options.batch_rows, train.size() - begin));
      if (batch.size() < 2) break;
      optimizer.zero_grad();
      auto loss = batch_loss(net, batch);
      loss.backward();
      optimizer.step();
    }
    torch::NoGradGuard no_grad;
    net->eval();
    // Held-out loss in batches of the training size, so it is comparable across data sizes.
    double loss_sum = 0.0;
    int batches = 0;
    for (size_t begin = 0; begin + 1 < validation.size(); begin += options.batch_rows) {
      const std::span<const int32_t> batch(
          validation.data() + begin, std::min<size_t>(options.batch_rows, validation.size() - begin));
      if (batch.size() < 2) break;
      loss_sum += batch_loss(net, batch).item<double>();
      ++batches;
    }
    const double loss = loss_sum / std::max(1, batches);
    if (loss < best_loss) {
      best_loss = loss;
      best_epoch = epoch;
      stale = 0;
      best.clear();
      for (const auto& parameter : net->parameters()) best.push_back(parameter.detach().clone());
    } else if (++stale >= options.patience && options.patience > 0) {
      break;
    }
    if (options.progress) {
      char detail[120];
      std::snprintf(detail, sizeof(detail), "epoch %d held-out InfoNCE %.4f (best %.4f @%d)", epoch,
                    loss, best_loss, best_epoch);
      options.progress({"text projection", epoch, options.epochs, detail});
    }
  }
  torch::NoGradGuard no_grad;
  auto parameters = net->parameters();
  for (size_t idx = 0; idx < best.size(); ++idx) parameters[idx].copy_(best[idx]);
  auto to_vector = [](const torch::Tensor& t) {
    auto contiguous = t.detach().contiguous();
    return std::vector<float>(contiguous.data_ptr<float>(), contiguous.data_ptr<float>() + contiguous.numel());
  };
  TextProjectionWeights weights;
  weights.in = in_dim;
  weights.hidden = options.hidden;
  weights.out = out_dim;
  weights.weight1 = to_vector(net->first->weight);
  weights.bias1 = to_vector(net->first->bias);
  weights.weight2 = to_vector(net->second->weight);
  weights.bias2 = to_vector(net->second->bias);
  if (stats != nullptr) {
    *stats = {{"epochs", std::min(epoch, options.epochs)},
              {"best_epoch", best_epoch},
              {"best_validation_infonce", best_loss},
              {"train_examples", train.size()},
              {"validation_examples", validation.size()},
              {"train_seconds",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}};
  }
  return TextProjection::Create(std::move(weights));
}

StatusOr<TextProjection> TrainProjection(const FactorMatrix& inputs, const FactorMatrix& targets,
                                         std::span<const int32_t> rows,
                                         const TextProjectionOptions& options, nlohmann::json* stats) {
  if (inputs.rows() != targets.rows()) {
    return InvalidArgumentError("text projection: " + std::to_string(inputs.rows()) +
                                " input rows but " + std::to_string(targets.rows()) + " targets");
  }
  for (int32_t row : rows) {
    if (row < 0 || row >= inputs.rows()) {
      return InvalidArgumentError("text projection: row " + std::to_string(row) + " out of range");
    }
  }
  if (rows.size() < 4) {
    return InvalidArgumentError("text projection: " + std::to_string(rows.size()) +
                                " rows to learn from, need at least 4");
  }
  const std::vector<int32_t> row_list(rows.begin(), rows.end());
  auto batch_loss = [&](ProjectionNet& net, std::span<const int32_t> batch) {
    std::vector<int32_t> picked;
    for (int32_t example : batch) picked.push_back(row_list[example]);
    return InfoNce(net->forward(Gather(inputs, picked)), Gather(targets, picked), options.temperature);
  };
  return ProjectionLoop(inputs.cols(), targets.cols(), static_cast<int32_t>(rows.size()), batch_loss,
                        options, stats);
}

StatusOr<TextProjection> TrainPairProjection(const FactorMatrix& inputs,
                                             std::span<const std::pair<int32_t, int32_t>> pairs,
                                             int32_t out_dim, const TextProjectionOptions& options,
                                             nlohmann::json* stats) {
  for (const auto& [from, to] : pairs) {
    if (from < 0 || from >= inputs.rows() || to < 0 || to >= inputs.rows()) {
      return InvalidArgumentError("text projection: pair (" + std::to_string(from) + ", " +
                                  std::to_string(to) + ") out of range");
    }
  }
  if (pairs.size() < 4) {
    return InvalidArgumentError("text projection: " + std::to_string(pairs.size()) +
                                " pairs to learn from, need at least 4");
  }
  if (out_dim <= 0) return InvalidArgumentError("text projection: out_dim must be positive");
  auto batch_loss = [&](ProjectionNet& net, std::span<const int32_t> batch) {
    std::vector<int32_t> from, to;
    for (int32_t example : batch) {
      from.push_back(pairs[example].first);
      to.push_back(pairs[example].second);
    }
    return InfoNce(net->forward(Gather(inputs, from)), net->forward(Gather(inputs, to)),
                   options.temperature);
  };
  return ProjectionLoop(inputs.cols(), out_dim, static_cast<int32_t>(pairs.size()), batch_loss,
                        options, stats);
}

// The encoder of `net` set to `encoder`'s weights (same config).
void LoadEncoder(const BertEncoder& encoder, BertNet& net) {
  torch::NoGradGuard no_grad;
  BertWeights weights = encoder.weights();
  std::map<std::string, BertTensorRef> refs;
  for (BertTensorRef& ref : BertTensorRefs(&weights)) refs[ref.name] = ref;
  for (auto& [name, tensor] : net->HfTensors()) {
    const BertTensorRef& ref = refs.at(name);
    tensor.copy_(torch::from_blob(ref.values->data(), ref.shape, torch::kFloat));
  }
}

struct ClassifierNetImpl : torch::nn::Module {
  ClassifierNetImpl(const BertConfig& c, int64_t classes, double dropout) : dropout(dropout) {
    bert = register_module("bert", BertNet(c, dropout));
    head = register_module("head", torch::nn::Linear(c.hidden, classes));
    torch::NoGradGuard no_grad;
    head->weight.normal_(0.0, kInitStddev);
    head->bias.zero_();
  }
  // Logits [B, classes] from the mean of the non-pad last-layer states.
  torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& padding) {
    auto keep = padding.logical_not().unsqueeze(-1).to(torch::kFloat);
    auto pooled = (bert->forward(ids, padding) * keep).sum(1) / keep.sum(1);
    return head(Dropout(pooled, dropout, is_training()));
  }
  // The parameters that training updates: the encoder's (not the unused MLM head) and the head's.
  std::vector<torch::Tensor> EncoderParameters() {
    std::vector<torch::Tensor> out;
    for (auto& named : bert->HfTensors()) out.push_back(named.second);
    return out;
  }
  double dropout;
  BertNet bert{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(ClassifierNet);

StatusOr<std::unique_ptr<SentimentModel>> FineTune(const TextModel& base,
                                                   const std::vector<std::string>& texts,
                                                   const std::vector<int32_t>& labels,
                                                   const std::vector<std::string>& label_names,
                                                   const SentimentTrainOptions& options,
                                                   nlohmann::json* stats) {
  if (texts.size() != labels.size()) {
    return InvalidArgumentError("sentiment: " + std::to_string(texts.size()) + " texts but " +
                                std::to_string(labels.size()) + " labels");
  }
  const int64_t classes = static_cast<int64_t>(label_names.size());
  if (classes < 2) return InvalidArgumentError("sentiment: need at least 2 label names");
  if (texts.size() < 2) return InvalidArgumentError("sentiment: need at least 2 texts");
  for (size_t idx = 0; idx < labels.size(); ++idx) {
    if (labels[idx] < 0 || labels[idx] >= classes) {
      return InvalidArgumentError("sentiment: label " + std::to_string(labels[idx]) + " of text " +
                                  std::to_string(idx) + " is outside [0, " +
                                  std::to_string(classes) + ")");
    }
  }
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  const int threads = ThreadCount(options.threads);
  SetThreads(threads);
  torch::manual_seed(options.seed);
  const BertConfig& config = base.encoder().config();
  ClassifierNet net(config, classes, options.dropout);
  LoadEncoder(base.encoder(), net->bert);

  std::vector<std::vector<int32_t>> tokens;
  for (const std::string& text : texts) tokens.push_back(base.Tokens(text));
  const SentimentSplit split = SplitSentimentTexts(texts.size(), options);
  const std::vector<int32_t>& train_rows = split.train;
  const std::vector<int32_t>& validation = split.held_out;

  const double head_rate = options.learning_rate * 10.0;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(net->EncoderParameters(),
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(options.learning_rate).weight_decay(options.weight_decay)));
  groups.emplace_back(net->head->parameters(),
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(head_rate).weight_decay(options.weight_decay)));
  torch::optim::AdamW optimizer(std::move(groups));
  const double base_rates[] = {options.learning_rate, head_rate};
  // What training changes, so what the best epoch's snapshot keeps (not the unused MLM head).
  std::vector<torch::Tensor> trained = net->EncoderParameters();
  for (const auto& parameter : net->head->parameters()) trained.push_back(parameter);
  const int64_t steps_per_epoch =
      (static_cast<int64_t>(train_rows.size()) + options.batch_texts - 1) / options.batch_texts;
  const int64_t total_steps = std::max<int64_t>(1, steps_per_epoch * options.epochs);
  const int64_t warmup = static_cast<int64_t>(options.warmup_share * static_cast<double>(total_steps));
  const int32_t pad = base.tokenizer().special().pad;
  auto label_tensor = [&](const std::vector<int32_t>& indexes) {
    std::vector<int64_t> out;
    for (int32_t index : indexes) out.push_back(labels[index]);
    return torch::tensor(out, torch::kLong);
  };
  auto accuracy_of = [&](const std::vector<int32_t>& rows) {
    torch::NoGradGuard no_grad;
    net->eval();
    double correct = 0.0;
    for (size_t begin = 0; begin < rows.size(); begin += options.batch_texts) {
      std::vector<int32_t> indexes(rows.begin() + begin,
                                   rows.begin() + std::min(rows.size(), begin + options.batch_texts));
      Batch batch = MakeBatch(Rows(tokens, indexes), pad);
      correct += net->forward(batch.ids, batch.padding).argmax(1).eq(label_tensor(indexes)).sum().item<double>();
    }
    return rows.empty() ? 0.0 : correct / static_cast<double>(rows.size());
  };

  int64_t step = 0;
  int best_epoch = 0, stale = 0, epoch = 0;
  double best_accuracy = -1.0, last_loss = 0.0, train_seconds = 0.0;
  int64_t trained_texts = 0;
  std::vector<torch::Tensor> best_parameters;
  while (epoch < options.epochs) {
    ++epoch;
    const auto epoch_start = std::chrono::steady_clock::now();
    net->train();
    double loss_sum = 0.0;
    int64_t batches = 0;
    for (const auto& indexes : PlanTextBatches(tokens, train_rows, options.batch_texts,
                                               options.seed + static_cast<uint64_t>(epoch))) {
      const double scale =
          step < warmup ? static_cast<double>(step + 1) / static_cast<double>(warmup)
                        : std::max(0.0, static_cast<double>(total_steps - step) /
                                            static_cast<double>(std::max<int64_t>(1, total_steps - warmup)));
      for (size_t group = 0; group < optimizer.param_groups().size(); ++group) {
        static_cast<torch::optim::AdamWOptions&>(optimizer.param_groups()[group].options())
            .lr(base_rates[group] * scale);
      }
      Batch batch = MakeBatch(Rows(tokens, indexes), pad);
      optimizer.zero_grad();
      auto loss = F::cross_entropy(net->forward(batch.ids, batch.padding), label_tensor(indexes));
      loss.backward();
      optimizer.step();
      ++step;
      loss_sum += loss.item<double>();
      ++batches;
      trained_texts += static_cast<int64_t>(indexes.size());
    }
    last_loss = loss_sum / static_cast<double>(std::max<int64_t>(1, batches));
    const double accuracy = accuracy_of(validation);
    train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    if (validation.empty() || accuracy > best_accuracy) {
      best_accuracy = accuracy;
      best_epoch = epoch;
      stale = 0;
      best_parameters.clear();
      for (const auto& parameter : trained) best_parameters.push_back(parameter.detach().clone());
    } else {
      ++stale;
    }
    const bool stop = options.patience > 0 && stale >= options.patience;
    if (options.progress) {
      const double per_epoch = train_seconds / epoch;
      char detail[200];
      std::snprintf(detail, sizeof(detail),
                    "epoch %d loss %.4f held-out acc %.4f (best %.4f @%d) %.1fs/epoch ETA %.0fs",
                    epoch, last_loss, accuracy, best_accuracy, best_epoch, per_epoch,
                    stop ? 0.0 : per_epoch * (options.epochs - epoch));
      options.progress({"sentiment fine-tuning", epoch, options.epochs, detail});
    }
    if (stop) break;
  }
  {
    torch::NoGradGuard no_grad;
    for (size_t idx = 0; idx < trained.size() && idx < best_parameters.size(); ++idx) {
      trained[idx].copy_(best_parameters[idx]);
    }
  }
  net->eval();
  ASSIGN_OR_RETURN(BertEncoder encoder, Export(net->bert));
  ASSIGN_OR_RETURN(std::unique_ptr<TextModel> text, base.WithEncoder(std::move(encoder)));
  auto weight = net->head->weight.detach().contiguous();
  auto bias = net->head->bias.detach().contiguous();
  ASSIGN_OR_RETURN(
      std::unique_ptr<SentimentModel> model,
      SentimentModel::Create(std::move(text), label_names,
                             std::vector<float>(weight.data_ptr<float>(), weight.data_ptr<float>() + weight.numel()),
                             std::vector<float>(bias.data_ptr<float>(), bias.data_ptr<float>() + bias.numel())));
  // The exported model must reproduce the trained network's probabilities.
  double difference = 0.0;
  {
    torch::NoGradGuard no_grad;
    for (size_t probe = 0; probe < std::min<size_t>(4, texts.size()); ++probe) {
      Batch batch = MakeBatch({&tokens[probe]}, pad);
      auto expected = torch::softmax(net->forward(batch.ids, batch.padding)[0], 0).contiguous();
      std::vector<float> probabilities(static_cast<size_t>(classes));
      RETURN_IF_ERROR(model->Probabilities(texts[probe], probabilities));
      for (int64_t label = 0; label < classes; ++label) {
        difference = std::max(difference, static_cast<double>(std::abs(
                                              probabilities[label] - expected[label].item<float>())));
      }
    }
  }
  if (!(difference < 1e-3)) {
    return InternalError("sentiment: exported model differs from the trained network by " +
                         std::to_string(difference));
  }
  if (stats != nullptr) {
    *stats = {{"epochs", epoch},
              {"best_epoch", best_epoch},
              {"validation_accuracy", best_accuracy},
              {"last_loss", last_loss},
              {"train_texts", train_rows.size()},
              {"validation_texts", validation.size()},
              {"train_seconds", train_seconds},
              {"texts_per_second", static_cast<double>(trained_texts) / std::max(1e-9, train_seconds)},
              {"threads", threads},
              {"export_max_abs_diff", difference}};
  }
  return model;
}

}  // namespace

StatusOr<TextPretrainResult> PretrainTextModel(const std::vector<std::string>& texts,
                                               const TextPretrainOptions& options) {
  try {
    return Pretrain(texts, options);
  } catch (const c10::Error& e) {
    return InternalError(std::string("text encoder: libtorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return InternalError(std::string("text encoder: ") + e.what());
  }
}

StatusOr<std::unique_ptr<SentimentModel>> FineTuneSentiment(
    const TextModel& base, const std::vector<std::string>& texts, const std::vector<int32_t>& labels,
    const std::vector<std::string>& label_names, const SentimentTrainOptions& options,
    nlohmann::json* stats) {
  try {
    return FineTune(base, texts, labels, label_names, options, stats);
  } catch (const c10::Error& e) {
    return InternalError(std::string("sentiment: libtorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return InternalError(std::string("sentiment: ") + e.what());
  }
}

StatusOr<TextProjection> TrainTextPairProjection(const FactorMatrix& inputs,
                                                 std::span<const std::pair<int32_t, int32_t>> pairs,
                                                 int32_t out_dim, const TextProjectionOptions& options,
                                                 nlohmann::json* stats) {
  try {
    return TrainPairProjection(inputs, pairs, out_dim, options, stats);
  } catch (const c10::Error& e) {
    return InternalError(std::string("text projection: libtorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return InternalError(std::string("text projection: ") + e.what());
  }
}

StatusOr<TextProjection> TrainTextProjection(const FactorMatrix& inputs, const FactorMatrix& targets,
                                             std::span<const int32_t> rows,
                                             const TextProjectionOptions& options,
                                             nlohmann::json* stats) {
  try {
    return TrainProjection(inputs, targets, rows, options, stats);
  } catch (const c10::Error& e) {
    return InternalError(std::string("text projection: libtorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return InternalError(std::string("text projection: ") + e.what());
  }
}

}  // namespace tailor
