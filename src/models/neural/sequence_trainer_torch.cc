// libtorch half of TrainSequenceModel (sequence_trainer.h): the trainable networks, the
// epoch loop, validation, checkpoints and the export to SequenceEncoder. The only file of the
// sequential models that includes <torch/...>; c10::Error stops here.
//
// Initialisation follows the BERT/BSARec code family: every weight N(0, 0.02), biases 0,
// LayerNorm 1/0. Positions count from the oldest kept step (t = 0), inputs are padded on the
// right with the padding row (index num_items), so with the causal mask no real position
// ever sees a pad and no key-padding mask is needed.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

#include "common/binary_io.h"
#include "common/thread_pool.h"
#include "models/blas_kernels.h"
#include "models/neural/sequence_batches.h"
#include "models/neural/sequence_trainer.h"
#include "models/neural/softmax_layer.h"
#include "models/neural/torch_checkpoint.h"


namespace tailor {
namespace {

namespace F = torch::nn::functional;

constexpr double kInitStddev = 0.02;
constexpr int kValidationBatch = 256;
constexpr int kCheckpointVersion = 1;

// libtorch allocates a fresh [tokens x items] logits buffer every step; glibc would hand such
// blocks back to the kernel and fault them in again (measured: 9 GFLOP/s instead of 80 for
// the output matmul). Keeping freed blocks in the heap removes that cost for the process.
void KeepLargeBlocksInHeap() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
}

torch::Tensor Dropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  return F::dropout(x, F::DropoutFuncOptions().p(p).training(true));
}

struct BlockImpl : torch::nn::Module {
  BlockImpl(int64_t dim, int64_t heads, int64_t ffn_dim, double dropout)
      : heads(heads), dropout(dropout) {
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    qkv = register_module("qkv", torch::nn::Linear(dim, 3 * dim));
    out = register_module("out", torch::nn::Linear(dim, dim));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    ffn1 = register_module("ffn1", torch::nn::Linear(dim, ffn_dim));
    ffn2 = register_module("ffn2", torch::nn::Linear(ffn_dim, dim));
  }

  // x: [B, L, d]; future: [L, L] bool, true above the diagonal.
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& future) {
    const int64_t batch = x.size(0), length = x.size(1), dim = x.size(2);
    const int64_t head_dim = dim / heads;
    auto parts = qkv(norm1(x)).view({batch, length, 3, heads, head_dim}).permute({2, 0, 3, 1, 4});
    auto attention = torch::matmul(parts[0], parts[1].transpose(-2, -1)) /
                     std::sqrt(static_cast<double>(head_dim));
    attention = torch::softmax(attention.masked_fill(future, -1e9), -1);
    attention = Dropout(attention, dropout, is_training());
    auto mixed = torch::matmul(attention, parts[2]).permute({0, 2, 1, 3}).reshape({batch, length, dim});
    x = x + Dropout(out(mixed), dropout, is_training());
    x = x + Dropout(ffn2(F::gelu(ffn1(norm2(x)))), dropout, is_training());
    return x;
  }

  int64_t heads;
  double dropout;
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Linear qkv{nullptr}, out{nullptr}, ffn1{nullptr}, ffn2{nullptr};
};
TORCH_MODULE(Block);

// An item's representation is its id embedding, plus (when `features` is given) the mean
// embedding of its side features, plus (when `content` is given) a linear projection of its
// content vector (image and/or text, unit length per block: ConcatNormalized); an item with a
// content vector that no training step contains has no usable id row, so its id part is
// dropped and its content alone places it (cold start). The same fused rows feed the input
// and score the output, so the exported item matrix already holds the fusion and inference
// needs no feature table, content or projection.
struct SequenceNetImpl : torch::nn::Module {
  SequenceNetImpl(const SequenceModelOptions& options, int64_t num_items,
                  const ItemFeatures* features, const ItemVectors* content,
                  const std::vector<uint8_t>& trained_items)
      : arch(options.arch), num_items(num_items), dropout(options.dropout) {
    const int64_t dim = options.dim;
    items = register_module(
        "items", torch::nn::Embedding(torch::nn::EmbeddingOptions(num_items + 1, dim)
                                          .padding_idx(num_items)));
    if (features != nullptr) {
      feature_table = register_module(
          "feature_table", torch::nn::Embedding(features->num_features(), dim));
      std::vector<int64_t> ids(features->ids.begin(), features->ids.end());
      std::vector<int64_t> offsets(features->offsets.begin(), features->offsets.end() - 1);
      feature_ids = register_buffer("feature_ids", torch::tensor(ids, torch::kLong));
      feature_offsets = register_buffer("feature_offsets", torch::tensor(offsets, torch::kLong));
    }
    if (content != nullptr) {
      content_projection = register_module(
          "content_projection",
          torch::nn::Linear(torch::nn::LinearOptions(content->dim, dim).bias(false)));
      content_rows = register_buffer(
          "content_rows",
          torch::tensor(content->values, torch::kFloat).reshape({num_items, content->dim}));
      std::vector<float> present(static_cast<size_t>(num_items), 0.0f);
      for (int64_t item_idx = 0; item_idx < num_items; ++item_idx) {
        present[item_idx] = content->present[item_idx] != 0 ? 1.0f : 0.0f;
      }
      content_present =
          register_buffer("content_present", torch::tensor(present).reshape({num_items, 1}));
      id_dropout = options.id_dropout;
    }
    // An item with a content vector that no training step contains is placed by its content
    // alone: its untrained id row is dropped, and it is left out of the training softmax,
    // where, never a target, it would only ever be pushed down and rank below every warm
    // item. (Doing the same for items with side features only was measured: no gain, 0.0026
    // NDCG@10 on cold items of a generated shop, as their feature embeddings are learnt
    // beside ids that carry the signal; so those items keep the plain treatment.)
    std::vector<float> keep(static_cast<size_t>(num_items), 1.0f);
    std::vector<int64_t> trained;
    for (int64_t item_idx = 0; item_idx < num_items; ++item_idx) {
      const bool side = content != nullptr && content->present[item_idx] != 0;
      if (side && trained_items[item_idx] == 0) keep[item_idx] = 0.0f;
      if (keep[item_idx] != 0.0f) trained.push_back(item_idx);
    }
    if (static_cast<int64_t>(trained.size()) < num_items) {
      id_keep = register_buffer("id_keep", torch::tensor(keep).reshape({num_items, 1}));
      softmax_items = register_buffer("softmax_items", torch::tensor(trained, torch::kLong));
      softmax_position.assign(static_cast<size_t>(num_items), -1);
      for (size_t pos = 0; pos < trained.size(); ++pos) softmax_position[trained[pos]] = pos;
    }
    if (arch == SequenceArch::kTransformer) {
      positions = register_parameter("positions", torch::zeros({options.max_len, dim}));
      for (int layer = 0; layer < options.layers; ++layer) {
        blocks.push_back(register_module("block" + std::to_string(layer),
                                         Block(dim, options.heads, options.ffn_dim, dropout)));
      }
    } else {
      gru = register_module(
          "gru", torch::nn::GRU(torch::nn::GRUOptions(dim, dim)
                                    .num_layers(options.layers)
                                    .batch_first(true)
                                    .dropout(options.layers > 1 ? options.dropout : 0.0)));
    }
    final_norm =
        register_module("final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    torch::NoGradGuard no_grad;
    for (auto& named : named_parameters()) {
      const std::string& name = named.key();
      torch::Tensor& parameter = named.value();
      if (name.find("norm") != std::string::npos) {
        parameter.fill_(name.ends_with("weight") ? 1.0 : 0.0);
      } else if (name.ends_with("bias") || name.find("bias_") != std::string::npos) {
        parameter.zero_();
      } else {
        parameter.normal_(0.0, kInitStddev);
      }
    }
    items->weight[num_items].zero_();
  }

  // inputs: [B, L] int64 (num_items = padding), table: ItemTable() -> hidden states [B, L, d].
  // The caller computes the table once and scores the output with ItemMatrix(table).
  torch::Tensor forward(const torch::Tensor& inputs, const torch::Tensor& table) {
    const int64_t length = inputs.size(1);
    torch::Tensor x =
        F::embedding(inputs, table, F::EmbeddingFuncOptions().padding_idx(num_items));
    if (arch == SequenceArch::kTransformer) {
      x = Dropout(x + positions.narrow(0, 0, length), dropout, is_training());
      auto future = torch::ones({length, length}, torch::kBool).triu(1);
      for (auto& block : blocks) x = block->forward(x, future);
    } else {
      x = std::get<0>(gru->forward(Dropout(x, dropout, is_training())));
    }
    return final_norm(x);
  }

  // Every item's representation and the padding row last, [N + 1, d]: the id rows, fused
  // with the mean of each item's feature embeddings (an item without features: its id row)
  // and the projection of its content vector (an item without one: a zero row).
  torch::Tensor ItemTable() {
    if (feature_table.is_empty() && content_projection.is_empty()) return items->weight;
    auto fused = items->weight.narrow(0, 0, num_items);
    if (id_keep.defined()) fused = fused * id_keep;
    if (!content_projection.is_empty()) {
      if (is_training() && id_dropout > 0.0) {
        auto dropped = torch::bernoulli(torch::full_like(content_present, id_dropout));
        fused = fused * (1.0 - dropped * content_present);
      }
      fused = fused + content_projection->forward(content_rows);
    }
    if (!feature_table.is_empty()) {
      fused = fused + F::embedding_bag(feature_ids, feature_table->weight,
                                       F::EmbeddingBagFuncOptions()
                                           .offsets(feature_offsets)
                                           .mode(torch::kMean));
    }
    return torch::cat({fused, items->weight.narrow(0, num_items, 1)});
  }
  // The output embedding: the table without the padding row, [N, d].
  torch::Tensor ItemMatrix(const torch::Tensor& table) { return table.narrow(0, 0, num_items); }

  SequenceArch arch;
  int64_t num_items;
  double dropout;
  torch::nn::Embedding items{nullptr};
  torch::nn::Embedding feature_table{nullptr};
  torch::Tensor feature_ids, feature_offsets;
  torch::nn::Linear content_projection{nullptr};
  torch::Tensor content_rows, id_keep, content_present;
  double id_dropout = 0.0;
  // 0 for the rows of items placed by their side input alone (undefined: none), the items
  // the training softmax ranks (undefined: all) and each item's position among them (-1:
  // left out).
  torch::Tensor softmax_items;
  std::vector<int64_t> softmax_position;
  torch::Tensor positions;
  std::vector<Block> blocks;
  torch::nn::GRU gru{nullptr};
  torch::nn::LayerNorm final_norm{nullptr};
};
TORCH_MODULE(SequenceNet);

// Right-padded [B, L] inputs for histories (each non-empty, <= max_len steps).
torch::Tensor PaddedInputs(const std::vector<std::span<const int32_t>>& rows, int64_t pad) {
  size_t longest = 0;
  for (const auto& row : rows) longest = std::max(longest, row.size());
  auto inputs = torch::full({static_cast<int64_t>(rows.size()), static_cast<int64_t>(longest)},
                            pad, torch::kLong);
  auto* data = inputs.data_ptr<int64_t>();
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    for (size_t pos = 0; pos < rows[row_idx].size(); ++pos) {
      data[row_idx * longest + pos] = rows[row_idx][pos];
    }
  }
  return inputs;
}

// The hidden state at each row's last real position: [B, d].
torch::Tensor LastHidden(SequenceNet& net, const torch::Tensor& table,
                         const std::vector<std::span<const int32_t>>& rows) {
  auto hidden = net->forward(PaddedInputs(rows, net->num_items), table);
  std::vector<int64_t> last;
  for (const auto& row : rows) last.push_back(static_cast<int64_t>(row.size()) - 1);
  auto index = torch::tensor(last, torch::kLong);
  return hidden.index({torch::arange(static_cast<int64_t>(rows.size())), index});
}

// Mean NDCG@10 of the validation targets, seen items excluded (the headline protocol).
double ValidationNdcg(SequenceNet& net, const std::vector<ValidationCase>& cases) {
  if (cases.empty()) return 0.0;
  torch::NoGradGuard no_grad;
  net->eval();
  auto table = net->ItemTable();
  auto item_matrix = net->ItemMatrix(table);
  double total = 0.0;
  for (size_t begin = 0; begin < cases.size(); begin += kValidationBatch) {
    const size_t end = std::min(cases.size(), begin + kValidationBatch);
    std::vector<std::span<const int32_t>> rows;
    for (size_t case_idx = begin; case_idx < end; ++case_idx) rows.emplace_back(cases[case_idx].history);
    auto scores = torch::mm(LastHidden(net, table, rows), item_matrix.t()).contiguous();
    const int64_t num_items = scores.size(1);
    float* data = scores.data_ptr<float>();
    for (size_t case_idx = begin; case_idx < end; ++case_idx) {
      float* row = data + (case_idx - begin) * num_items;
      const ValidationCase& validation = cases[case_idx];
      const float target = row[validation.target];
      for (int32_t seen : validation.seen) row[seen] = -INFINITY;
      int64_t rank = 0;
      for (int64_t item_idx = 0; item_idx < num_items && rank < 10; ++item_idx) {
        rank += row[item_idx] > target ? 1 : 0;
      }
      if (rank < 10) total += 1.0 / std::log2(static_cast<double>(rank) + 2.0);
    }
  }
  net->train();
  return total / static_cast<double>(cases.size());
}

std::vector<float> ToVector(const torch::Tensor& tensor) {
  auto flat = tensor.detach().contiguous().to(torch::kFloat);
  const float* data = flat.data_ptr<float>();
  return std::vector<float>(data, data + flat.numel());
}

SequenceEncoderWeights ExportWeights(SequenceNet& net, const SequenceModelOptions& options) {
  SequenceEncoderWeights weights;
  weights.arch = options.arch;
  weights.dim = options.dim;
  weights.heads = options.heads;
  weights.max_len = options.max_len;
  weights.ffn_dim = options.ffn_dim;
  weights.embed_scale = 1.0f;
  auto items = net->ItemMatrix(net->ItemTable()).detach().contiguous();
  weights.items = FactorMatrix(static_cast<int32_t>(items.size(0)), options.dim);
  const float* item_data = items.data_ptr<float>();
  for (int32_t item_idx = 0; item_idx < weights.items.rows(); ++item_idx) {
    std::copy_n(item_data + static_cast<int64_t>(item_idx) * options.dim, options.dim,
                weights.items.row(item_idx));
  }
  if (options.arch == SequenceArch::kTransformer) {
    weights.positions = ToVector(net->positions);
    for (auto& block : net->blocks) {
      TransformerLayerWeights layer;
      layer.norm1_weight = ToVector(block->norm1->weight);
      layer.norm1_bias = ToVector(block->norm1->bias);
      layer.qkv_weight = ToVector(block->qkv->weight);
      layer.qkv_bias = ToVector(block->qkv->bias);
      layer.out_weight = ToVector(block->out->weight);
      layer.out_bias = ToVector(block->out->bias);
      layer.norm2_weight = ToVector(block->norm2->weight);
      layer.norm2_bias = ToVector(block->norm2->bias);
      layer.ffn1_weight = ToVector(block->ffn1->weight);
      layer.ffn1_bias = ToVector(block->ffn1->bias);
      layer.ffn2_weight = ToVector(block->ffn2->weight);
      layer.ffn2_bias = ToVector(block->ffn2->bias);
      weights.transformer.push_back(std::move(layer));
    }
  } else {
    auto parameters = net->gru->named_parameters();
    for (int layer_idx = 0; layer_idx < options.layers; ++layer_idx) {
      const std::string suffix = "_l" + std::to_string(layer_idx);
      GruLayerWeights layer;
      layer.ih_weight = ToVector(parameters["weight_ih" + suffix]);
      layer.hh_weight = ToVector(parameters["weight_hh" + suffix]);
      layer.ih_bias = ToVector(parameters["bias_ih" + suffix]);
      layer.hh_bias = ToVector(parameters["bias_hh" + suffix]);
      weights.gru.push_back(std::move(layer));
    }
  }
  weights.final_norm_weight = ToVector(net->final_norm->weight);
  weights.final_norm_bias = ToVector(net->final_norm->bias);
  return weights;
}

// Largest |torch forward - SequenceEncoder::Encode| over up to 32 histories.
double ExportDifference(SequenceNet& net, const SequenceEncoder& encoder,
                        const std::vector<std::span<const int32_t>>& histories) {
  if (histories.empty()) return 0.0;
  torch::NoGradGuard no_grad;
  net->eval();
  auto expected = LastHidden(net, net->ItemTable(), histories).contiguous();
  double worst = 0.0;
  std::vector<float> got(encoder.dim());
  for (size_t row_idx = 0; row_idx < histories.size(); ++row_idx) {
    encoder.Encode(histories[row_idx], got);
    const float* want = expected.data_ptr<float>() + row_idx * encoder.dim();
    for (int32_t col = 0; col < encoder.dim(); ++col) {
      worst = std::max(worst, static_cast<double>(std::fabs(got[col] - want[col])));
    }
  }
  return worst;
}

uint64_t Fingerprint(const SequenceTrainingData& data, const SequenceModelOptions& options,
                     const UserHistories& train, const ItemFeatures* features,
                     const ItemVectors* content, uint64_t seed) {
  uint64_t hash = 1469598103934665603ULL;
  auto mix = [&](uint64_t value) {
    hash ^= value;
    hash *= 1099511628211ULL;
  };
  // Everything that shapes the weights; not epochs/patience/threads, so a longer run resumes
  // a shorter one's checkpoint.
  nlohmann::json shape = options.ToJson();
  shape.erase("epochs");
  shape.erase("patience");
  shape.erase("threads");
  for (char c : shape.dump()) mix(static_cast<uint8_t>(c));
  mix(static_cast<uint64_t>(options.arch));
  mix(seed);
  mix(static_cast<uint64_t>(train.num_users));
  mix(static_cast<uint64_t>(train.num_items));
  for (int32_t step : data.steps) mix(static_cast<uint64_t>(step));
  for (const ValidationCase& validation : data.validation) mix(static_cast<uint64_t>(validation.target));
  if (features != nullptr) {
    for (int64_t offset : features->offsets) mix(static_cast<uint64_t>(offset));
    for (int32_t feature : features->ids) mix(static_cast<uint64_t>(feature));
  }
  if (content != nullptr) {
    mix(static_cast<uint64_t>(content->dim));
    hash = Fnv1a64(content->values.data(), content->values.size() * sizeof(float), hash);
    hash = Fnv1a64(content->present.data(), content->present.size(), hash);
  }
  return hash;
}

struct TrainState {
  int epoch = 0;  // epochs completed
  int64_t step = 0;
  int best_epoch = 0;
  double best_ndcg = -1.0;
  int stale_epochs = 0;
  double lr_scale = 1.0;  // halved after every lr_patience epochs without a better validation
  double train_seconds = 0.0;
  std::vector<torch::Tensor> best_parameters;
};

// Every scalar of the state the checkpoint keeps, named once for saving and loading.
CheckpointFields Fields(TrainState& state) {
  CheckpointFields fields;
  fields
      .Int("epoch", &state.epoch)
      .Int("step", &state.step)
      .Int("best_epoch", &state.best_epoch)
      .Int("stale_epochs", &state.stale_epochs)
      .Double("best_ndcg", &state.best_ndcg)
      .Double("lr_scale", &state.lr_scale)
      .Double("train_seconds", &state.train_seconds);
  return fields;
}

void SaveCheckpoint(const std::string& path, SequenceNet& net, torch::optim::AdamW& optimizer,
                    TrainState& state, uint64_t fingerprint) {
  SaveTorchCheckpoint(path, kCheckpointVersion, fingerprint, *net, optimizer, Fields(state),
                      state.best_parameters);
}

// True when a checkpoint of this exact run was loaded into net/optimizer/state.
bool LoadCheckpoint(const std::string& path, SequenceNet& net, torch::optim::AdamW& optimizer,
                    TrainState* state, uint64_t fingerprint) {
  return LoadTorchCheckpoint(path, kCheckpointVersion, fingerprint, *net, optimizer,
                             Fields(*state), &state->best_parameters);
}

// Mean cross-entropy of `targets` over all items, logits = hidden . items^T, as one autograd
// node. libtorch's cross_entropy makes ~8 passes over the [tokens x items] logits (log-softmax,
// NLL and their backwards, each allocating); here the forward turns the logits in place into
// their gradient (softmax - one-hot) block by block while they are in cache, and the backward
// is the two matrix products, all in softmax_layer.h: fixed blocks over the pool, so the
// result does not depend on the thread count.
class SoftmaxCrossEntropy : public torch::autograd::Function<SoftmaxCrossEntropy> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor hidden,
                               torch::Tensor items, torch::Tensor targets, ThreadPool* pool) {
    hidden = hidden.contiguous();
    items = items.contiguous();
    const SoftmaxLayerShape shape{hidden.size(0), items.size(0), hidden.size(1)};
    auto gradient = torch::empty({shape.tokens, shape.items}, hidden.options());
    const double total = SoftmaxLayerForward(
        shape, Span(hidden), Span(items),
        {targets.data_ptr<int64_t>(), static_cast<size_t>(shape.tokens)}, MutableSpan(gradient),
        *pool);
    ctx->saved_data["gradient"] = gradient;
    ctx->saved_data["pool"] = reinterpret_cast<int64_t>(pool);
    ctx->save_for_backward({hidden, items});
    return torch::tensor(static_cast<float>(total / static_cast<double>(shape.tokens)));
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grad_outputs) {
    auto gradient = ctx->saved_data["gradient"].toTensor();
    auto* pool = reinterpret_cast<ThreadPool*>(ctx->saved_data["pool"].toInt());
    auto saved = ctx->get_saved_variables();
    const SoftmaxLayerShape shape{saved[0].size(0), saved[1].size(0), saved[0].size(1)};
    const double scale = grad_outputs[0].item<double>() / static_cast<double>(shape.tokens);
    auto grad_hidden = torch::empty_like(saved[0]);
    auto grad_items = torch::empty_like(saved[1]);
    SoftmaxLayerBackward(shape, Span(gradient), Span(saved[0]), Span(saved[1]),
                         static_cast<float>(scale), MutableSpan(grad_hidden),
                         MutableSpan(grad_items), *pool);
    return {grad_hidden, grad_items, torch::Tensor(), torch::Tensor()};
  }

 private:
  static std::span<const float> Span(const torch::Tensor& tensor) {
    return {tensor.data_ptr<float>(), static_cast<size_t>(tensor.numel())};
  }
  static std::span<float> MutableSpan(torch::Tensor& tensor) {
    return {tensor.data_ptr<float>(), static_cast<size_t>(tensor.numel())};
  }
};

// Where training time goes (seconds, summed over the run), reported in fit_stats.
struct StageTimes {
  double data = 0, encoder = 0, softmax = 0, backward = 0, optimizer = 0, validation = 0;
  using Clock = std::chrono::steady_clock;
  static double Since(Clock::time_point& start) {
    const auto now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - start).count();
    start = now;
    return seconds;
  }
  nlohmann::json ToJson() const {
    return {{"data", data}, {"encoder_forward", encoder}, {"output_softmax_forward", softmax},
            {"backward", backward}, {"optimizer", optimizer}, {"validation", validation}};
  }
};

// One optimizer step's loss: cross-entropy of the targets over every item, or over the
// targets plus `negatives` shared uniform items with logQ correction.
torch::Tensor BatchLoss(SequenceNet& net, const SequenceTrainingData& data,
                        const std::vector<int32_t>& batch, int negatives, std::mt19937_64& rng,
                        ThreadPool& pool, StageTimes* times) {
  auto clock = StageTimes::Clock::now();
  std::vector<std::span<const int32_t>> rows;
  std::vector<int64_t> positions, targets;
  size_t longest = 0;
  for (int32_t window_idx : batch) {
    auto window = data.window(window_idx);
    rows.push_back(window.first(window.size() - 1));
    longest = std::max(longest, window.size() - 1);
  }
  // Targets index the training softmax's items: all, or those left in (softmax_items).
  const bool compact = net->softmax_items.defined();
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    auto window = data.window(batch[row_idx]);
    for (size_t pos = 0; pos + 1 < window.size(); ++pos) {
      positions.push_back(static_cast<int64_t>(row_idx * longest + pos));
      const int32_t target = window[pos + 1];
      targets.push_back(compact ? net->softmax_position[target] : target);
    }
  }
  auto inputs = PaddedInputs(rows, net->num_items);
  auto position_tensor = torch::tensor(positions);
  auto target_tensor = torch::tensor(targets);
  times->data += StageTimes::Since(clock);
  auto table = net->ItemTable();
  auto hidden = net->forward(inputs, table);
  hidden = hidden.reshape({-1, hidden.size(2)}).index_select(0, position_tensor);
  times->encoder += StageTimes::Since(clock);
  auto item_matrix = net->ItemMatrix(table);
  if (compact) item_matrix = item_matrix.index_select(0, net->softmax_items);
  const int64_t softmax_size = item_matrix.size(0);
  if (negatives <= 0) {
    auto loss = SoftmaxCrossEntropy::apply(hidden, item_matrix, target_tensor, &pool);
    times->softmax += StageTimes::Since(clock);
    return loss;
  }
  std::uniform_int_distribution<int64_t> draw(0, softmax_size - 1);
  std::vector<int64_t> sampled(static_cast<size_t>(negatives));
  for (int64_t& item : sampled) item = draw(rng);
  auto sampled_tensor = torch::tensor(sampled);
  auto positive = (hidden * item_matrix.index_select(0, target_tensor)).sum(1, true);
  // logQ: a uniform draw of `negatives` items includes an item with probability ~ K / N.
  const double log_q = std::log(static_cast<double>(negatives) / static_cast<double>(softmax_size));
  auto negative = torch::mm(hidden, item_matrix.index_select(0, sampled_tensor).t()) - log_q;
  negative = negative.masked_fill(target_tensor.unsqueeze(1) == sampled_tensor.unsqueeze(0), -1e9);
  auto logits = torch::cat({positive, negative}, 1);
  auto loss = F::cross_entropy(logits, torch::zeros({logits.size(0)}, torch::kLong));
  times->softmax += StageTimes::Since(clock);
  return loss;
}

StatusOr<SequenceTrainResult> Train(const UserHistories& train, const SequenceModelOptions& options,
                                    const FitOptions& fit, const std::string& model,
                                    const SequenceEpochFn& on_epoch) {
  KeepLargeBlocksInHeap();
  const int threads = options.threads > 0 ? options.threads
                      : fit.threads > 0   ? fit.threads
                                          : static_cast<int>(std::thread::hardware_concurrency());
  // One thread each for torch (OpenMP) and OpenBLAS: the big matrix products of the output
  // layer run over `pool` in fixed blocks (SoftmaxCrossEntropy, softmax_layer.h). Torch's
  // and OpenBLAS's thread pools spin-wait against each other and against `pool` on a
  // 2-core machine (measured: 27.6 s per Beauty epoch with both at 2 threads, 17.2 s with
  // torch at 1, and with OpenBLAS's own threads for the output layer a second core bought
  // 5%: 12.4 s per epoch at 1 thread, 11.8 at 2).
  torch::set_num_threads(1);
  ScopedBlasThreads blas_threads(1);
  ThreadPool pool(threads);
  torch::manual_seed(fit.seed);
  const int validation_users = options.patience > 0 ? options.validation_users : 0;
  SequenceTrainingData data =
      BuildSequenceTrainingData(train, options.max_len, validation_users, fit.seed);
  // Validation batches pad to their longest history: group similar lengths.
  std::stable_sort(data.validation.begin(), data.validation.end(),
                   [](const ValidationCase& a, const ValidationCase& b) {
                     return a.history.size() < b.history.size();
                   });
  if (data.num_windows() == 0) {
    return InvalidArgumentError(model + ": no history has two distinct consecutive items to learn from");
  }
  // Side features only when asked for, present and indexed like the training items.
  const ItemFeatures* features = fit.item_features;
  if (!options.item_features || features == nullptr || features->empty() ||
      features->num_items() != train.num_items) {
    features = nullptr;
  }
  const ItemVectors* content = fit.item_vectors;
  if (!options.item_vectors || content == nullptr || content->empty() ||
      content->num_items() != train.num_items) {
    content = nullptr;
  }
  std::vector<uint8_t> trained_items(static_cast<size_t>(train.num_items), 0);
  for (int32_t step : data.steps) {
    if (step >= 0 && step < train.num_items) trained_items[step] = 1;
  }
  SequenceNet net(options, train.num_items, features, content, trained_items);
  torch::optim::AdamW optimizer(
      net->parameters(),
      torch::optim::AdamWOptions(options.learning_rate).weight_decay(options.weight_decay));
  TrainState state;
  const uint64_t fingerprint = Fingerprint(data, options, train, features, content, fit.seed);
  std::string checkpoint;
  int resumed_from = 0;
  if (!fit.checkpoint_dir.empty()) {
    std::filesystem::create_directories(fit.checkpoint_dir);
    checkpoint = (std::filesystem::path(fit.checkpoint_dir) / (model + ".ckpt")).string();
    if (LoadCheckpoint(checkpoint, net, optimizer, &state, fingerprint)) resumed_from = state.epoch;
  }
  // The first update starts the bar's clock before epoch 1 (or the resumed epoch) runs.
  if (fit.progress) {
    fit.progress({model + " training", state.epoch, options.epochs,
                  resumed_from > 0 ? "resumed from " + checkpoint + " after epoch " +
                                         std::to_string(state.epoch)
                                   : std::string("starting")});
  }
  // A small shop still gets at least ~16 optimizer steps per epoch, and its warm-up lasts at
  // most one epoch: with 512-token batches a 200-event shop would otherwise take one step per
  // epoch and never leave the warm-up before early stopping.
  const int batch_tokens = static_cast<int>(std::clamp<int64_t>(
      data.total_targets() / 16, std::min(64, options.batch_tokens), options.batch_tokens));
  const int64_t steps_per_epoch = std::max<size_t>(1, PlanBatches(data, batch_tokens, fit.seed, 1).size());
  const int64_t warmup_steps = std::min<int64_t>(options.warmup_steps, steps_per_epoch);
  std::mt19937_64 sample_rng(fit.seed + 17);
  StageTimes times;
  double last_loss = 0.0;
  bool stopped = state.stale_epochs >= options.patience && options.patience > 0 && state.epoch > 0;
  while (!stopped && state.epoch < options.epochs) {
    const auto start = std::chrono::steady_clock::now();
    const int epoch = state.epoch + 1;
    net->train();
    sample_rng.seed(fit.seed * 1000003ULL + static_cast<uint64_t>(epoch));
    double loss_sum = 0.0;
    int64_t loss_count = 0;
    for (const std::vector<int32_t>& batch : PlanBatches(data, batch_tokens, fit.seed, epoch)) {
      const double warm = warmup_steps > 0
                              ? std::min(1.0, static_cast<double>(state.step + 1) / warmup_steps)
                              : 1.0;
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(options.learning_rate * warm * state.lr_scale);
      }
      optimizer.zero_grad();
      torch::Tensor loss = BatchLoss(net, data, batch, options.negatives, sample_rng, pool, &times);
      auto clock = StageTimes::Clock::now();
      loss.backward();
      times.backward += StageTimes::Since(clock);
      optimizer.step();
      times.optimizer += StageTimes::Since(clock);
      ++state.step;
      loss_sum += loss.item<double>();
      ++loss_count;
    }
    last_loss = loss_sum / static_cast<double>(std::max<int64_t>(1, loss_count));
    auto validation_start = StageTimes::Clock::now();
    const double ndcg = ValidationNdcg(net, data.validation);
    times.validation += StageTimes::Since(validation_start);
    state.epoch = epoch;
    // Ties go to the later, longer-trained weights (a saturated validation on a tiny shop).
    if (data.validation.empty() || ndcg >= state.best_ndcg) {
      state.best_ndcg = ndcg;
      state.best_epoch = epoch;
      state.stale_epochs = 0;
      state.best_parameters.clear();
      for (const auto& parameter : net->parameters()) {
        state.best_parameters.push_back(parameter.detach().clone());
      }
    } else {
      ++state.stale_epochs;
      // Reduce on plateau: a smaller step settles into the optimum the larger one circles.
      if (options.lr_patience > 0 && state.stale_epochs % options.lr_patience == 0) {
        state.lr_scale *= 0.5;
      }
    }
    state.train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!checkpoint.empty()) SaveCheckpoint(checkpoint, net, optimizer, state, fingerprint);
    if (fit.progress) {
      char detail[200];
      std::snprintf(detail, sizeof(detail),
                    "epoch %d loss %.4f valid ndcg@10 %.4f (best %.4f @%d) lr %.2g %.1fs/epoch",
                    epoch, last_loss, ndcg, state.best_ndcg, state.best_epoch,
                    options.learning_rate * state.lr_scale,
                    state.train_seconds / std::max(1, epoch - resumed_from));
      fit.progress({model + " training", epoch, options.epochs, detail});
    }
    if (options.patience > 0 && !data.validation.empty() && state.stale_epochs >= options.patience) {
      stopped = true;
    }
    if (on_epoch) {
      torch::NoGradGuard no_grad;
      ASSIGN_OR_RETURN(SequenceEncoder current, SequenceEncoder::Create(ExportWeights(net, options)));
      if (!on_epoch(epoch, std::move(current))) stopped = true;
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
  ASSIGN_OR_RETURN(SequenceEncoder encoder, SequenceEncoder::Create(ExportWeights(net, options)));
  std::vector<std::span<const int32_t>> probes;
  for (const ValidationCase& validation : data.validation) {
    if (probes.size() == 32) break;
    probes.emplace_back(validation.history);
  }
  for (int32_t window_idx = 0; probes.size() < 32 && window_idx < data.num_windows(); ++window_idx) {
    auto window = data.window(window_idx);
    probes.push_back(window.first(std::min<size_t>(window.size(), options.max_len)));
  }
  const double difference = ExportDifference(net, encoder, probes);
  if (!(difference < 1e-3)) {
    return InternalError(model + ": exported encoder differs from the trained network by " +
                         std::to_string(difference));
  }
  SequenceTrainResult result;
  result.encoder = std::move(encoder);
  result.stats = {{"epochs", state.epoch},
                  {"best_epoch", state.best_epoch},
                  {"best_validation_ndcg@10", state.best_ndcg},
                  {"validation_users", data.validation.size()},
                  {"train_windows", data.num_windows()},
                  {"train_targets", data.total_targets()},
                  {"last_loss", last_loss},
                  {"train_seconds", state.train_seconds},
                  {"seconds_per_epoch", state.train_seconds / std::max(1, state.epoch - resumed_from)},
                  {"resumed_from_epoch", resumed_from},
                  {"threads", threads},
                  {"batch_tokens", batch_tokens},
                  {"item_features", features != nullptr ? features->num_features() : 0},
                  {"item_vector_dim", content != nullptr ? content->dim : 0},
                  {"content_only_items",
                   net->softmax_items.defined() ? train.num_items - net->softmax_items.size(0)
                                                : 0},
                  {"export_max_abs_diff", difference},
                  {"seconds_by_stage", times.ToJson()}};
  return result;
}

}  // namespace

StatusOr<SequenceTrainResult> TrainSequenceModel(const UserHistories& train,
                                                 const SequenceModelOptions& options,
                                                 const FitOptions& fit, const std::string& model,
                                                 const SequenceEpochFn& on_epoch) {
  try {
    return Train(train, options, fit, model, on_epoch);
  } catch (const c10::Error& e) {
    return InternalError(model + ": libtorch: " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return InternalError(model + ": " + e.what());
  }
}

}  // namespace tailor
