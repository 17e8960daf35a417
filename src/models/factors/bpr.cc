#include "models/factors/bpr.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

#include "common/thread_pool.h"
#include "dataset/csr_matrix.h"

namespace tailor {
namespace {

using Clock = std::chrono::steady_clock;
using AlignedFloats = std::vector<float, AlignedAllocator<float>>;

// 16 floats, one 64-byte line: the unit of every factor loop. FactorMatrix rows (and the
// scratch buffers below) are 64-byte aligned and padded with zeros to a multiple of 16, so
// the loops run over whole vectors and never need a scalar tail; the padding stays zero
// because every update of a padded lane is a multiple of zeros. GCC/Clang lower it to one
// AVX-512 register, or to 2 AVX2 / 4 SSE registers on narrower machines.
typedef float V16 __attribute__((vector_size(64), may_alias));
constexpr int32_t kLanes = 16;

inline V16 Load(const float* p) { return *reinterpret_cast<const V16*>(p); }
inline void Store(float* p, V16 v) { *reinterpret_cast<V16*>(p) = v; }
typedef float V8 __attribute__((vector_size(32)));
typedef float V4 __attribute__((vector_size(16)));
// Pairwise halving (depth 4) instead of a chain of 15 dependent adds on the sample's
// critical path (dot -> sigmoid -> updates).
inline float HorizontalSum(V16 v) {
  V8 low, high;
  std::memcpy(&low, &v, sizeof(low));
  std::memcpy(&high, reinterpret_cast<const char*>(&v) + sizeof(low), sizeof(high));
  const V8 sum8 = low + high;
  V4 a, b;
  std::memcpy(&a, &sum8, sizeof(a));
  std::memcpy(&b, reinterpret_cast<const char*>(&sum8) + sizeof(a), sizeof(b));
  const V4 sum4 = a + b;
  return (sum4[0] + sum4[2]) + (sum4[1] + sum4[3]);
}

// Users per block: the unit of work handed to a thread and of the random streams.
constexpr int32_t kBlockUsers = 128;
// The training loss is estimated on one sample in kLossEvery (a log per sample would cost
// a noticeable part of an epoch); the sampled AUC uses every sample.
constexpr int32_t kLossEvery = 8;

// CPU seconds of the whole process: with wall time, shows how much of the machine an epoch
// had (the benchmark machine is often shared).
double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

uint64_t MixSeed(uint64_t seed, uint64_t a, uint64_t b) {
  BprRng mix(seed ^ (a * 0xd1b54a32d192ed03ULL) ^ (b * 0x8cb92ba72f3d8dd7ULL));
  return mix.Next();
}

double HistoryScale(size_t count, double exponent) {
  return count == 0 ? 0.0 : std::pow(static_cast<double>(count), -exponent);
}

Status CheckOptions(const BprOptions& o) {
  auto bad = [](const char* name, const std::string& what) {
    return InvalidArgumentError(std::string("bpr: param '") + name + "' " + what);
  };
  if (o.factors < 1 || o.factors > 1024) return bad("factors", "must be in 1..1024");
  if (o.epochs < 1) return bad("epochs", "must be >= 1");
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
    return bad("learning_rate", "must be > 0");
  if (!(o.lr_end_fraction >= 0 && o.lr_end_fraction <= 1))
    return bad("lr_end_fraction", "must be in 0..1");
  if (!(o.regularization >= 0)) return bad("regularization", "must be >= 0");
  if (!(o.bias_regularization >= 0)) return bad("bias_regularization", "must be >= 0");
  if (!(o.history_exponent >= 0 && o.history_exponent <= 1))
    return bad("history_exponent", "must be in 0..1");
  if (!(o.init_stddev >= 0)) return bad("init_stddev", "must be >= 0");
  if (!o.user_factors && !o.history_factors)
    return bad("history_factors", "must be true when user_factors is false (no user model)");
  return OkStatus();
}

// A user's triples, drawn one user ahead of training them so that their rows can be
// prefetched while the previous user trains.
struct PreparedUser {
  int32_t user = -1;
  std::span<const int32_t> positives;
  std::vector<std::pair<int32_t, int32_t>> triples;  // (positive, negative) draws
};

// Per-thread scratch of the SGD loop, 64-byte aligned rows of `stride` floats. Aligned to a
// cache line so two threads' scratch never share one.
struct alignas(64) Scratch {
  explicit Scratch(int32_t stride)
      : history_sum(stride), user(stride), diff(stride), grad(stride) {}
  AlignedFloats history_sum;  // S = sum of y_h over the user's items
  AlignedFloats user;         // the user vector of the current sample
  AlignedFloats diff;         // q_i - q_j
  AlignedFloats grad;         // accumulated gradient of the user's y_h
  PreparedUser prepared[2];   // the user training now and the next one
};

struct BlockStats {
  double loss = 0.0;  // sum of -ln sigmoid(x_uij) over the loss samples
  int64_t loss_samples = 0;
  int64_t correct = 0;  // samples with x_uij > 0 (before the update): the sampled AUC
  int64_t samples = 0;
};

// Everything one epoch's SGD reads and writes.
struct SgdState {
  const CsrMatrix* by_user;
  FactorMatrix* users;    // p (rows 0 when unused)
  FactorMatrix* items;    // q
  FactorMatrix* history;  // y (rows 0 when unused)
  float* bias;
  int32_t num_items;
  float reg;
  float bias_reg;
  const float* scales;  // [n] = (n - 1)^-alpha: the leave-one-out scale of an n-item user
  float lr;             // this epoch's
  float log_decay;      // ln(1 - lr * reg)
};

// Brings the lines of a row towards the core ahead of use: the rows of a sample are random
// (a cache miss each, the SGD's main cost), so they are requested a sample or a user ahead.
inline void PrefetchRow(const float* row, int32_t stride) {
  for (int32_t c = 0; c < stride; c += kLanes) __builtin_prefetch(row + c, /*rw=*/1);
}

// Samples ahead whose rows are prefetched; history rows prefetched for the next user's sum.
constexpr int32_t kPrefetchAhead = 4;
constexpr int32_t kPrefetchHistoryRows = 8;

void PrefetchSample(const SgdState& state, const std::pair<int32_t, int32_t>& triple) {
  const int32_t stride = state.items->stride();
  PrefetchRow(state.items->row(triple.first), stride);
  PrefetchRow(state.items->row(triple.second), stride);
  if (state.history->rows() > 0) PrefetchRow(state.history->row(triple.first), stride);
}

// Draws the user's |P_u| triples and prefetches what training them reads first.
void PrepareUser(const SgdState& state, int32_t user_idx, BprRng& rng, PreparedUser& out) {
  out.user = user_idx;
  out.positives = state.by_user->row_indices(user_idx);
  const auto count = static_cast<int32_t>(out.positives.size());
  out.triples.resize(static_cast<size_t>(count));
  for (auto& [pos, neg] : out.triples) {
    pos = out.positives[rng.Uniform(static_cast<uint32_t>(count))];
    neg = SampleNegative(out.positives, state.num_items, rng);
  }
  if (state.users->rows() > 0) PrefetchRow(state.users->row(user_idx), state.users->stride());
  if (state.history->rows() > 0) {
    for (int32_t at = 0; at < std::min(count, kPrefetchHistoryRows); ++at)
      PrefetchRow(state.history->row(out.positives[at]), state.history->stride());
  }
  for (int32_t sample = 0; sample < std::min(count, kPrefetchAhead); ++sample)
    PrefetchSample(state, out.triples[static_cast<size_t>(sample)]);
}

// Trains the prepared user's triples, then applies the delayed y_h update.
void TrainUser(const SgdState& state, const PreparedUser& prepared, Scratch& scratch,
               BlockStats& stats) {
  const std::span<const int32_t> positives = prepared.positives;
  const auto count = static_cast<int32_t>(positives.size());
  const int32_t stride = state.items->stride();
  const bool use_user = state.users->rows() > 0;
  const bool use_history = state.history->rows() > 0;
  const float lr = state.lr;
  float* p = use_user ? state.users->row(prepared.user) : nullptr;
  float* sum = scratch.history_sum.data();
  float* w = scratch.user.data();
  float* d = scratch.diff.data();
  float* grad = scratch.grad.data();
  // Leave-one-out scale: a positive's own y_i is not part of its user vector.
  const float scale = state.scales[count];
  if (use_history) {
    std::fill(scratch.history_sum.begin(), scratch.history_sum.end(), 0.0f);
    std::fill(scratch.grad.begin(), scratch.grad.end(), 0.0f);
    for (int32_t at = 0; at < count; ++at) {
      if (at + kPrefetchHistoryRows < count)
        PrefetchRow(state.history->row(positives[at + kPrefetchHistoryRows]), stride);
      const float* y = state.history->row(positives[at]);
      for (int32_t c = 0; c < stride; c += kLanes) Store(sum + c, Load(sum + c) + Load(y + c));
    }
  }
  const V16 zero = {};
  const float decay = 1.0f - lr * state.reg;
  const float others = lr * static_cast<float>(count - 1);
  for (int32_t sample = 0; sample < count; ++sample) {
    if (sample + kPrefetchAhead < count)
      PrefetchSample(state, prepared.triples[static_cast<size_t>(sample + kPrefetchAhead)]);
    const auto [pos, neg] = prepared.triples[static_cast<size_t>(sample)];
    float* qi = state.items->row(pos);
    float* qj = state.items->row(neg);
    float* yi = use_history ? state.history->row(pos) : nullptr;
    V16 acc = zero;
    for (int32_t c = 0; c < stride; c += kLanes) {
      V16 user = use_user ? Load(p + c) : zero;
      if (use_history) user += scale * (Load(sum + c) - Load(yi + c));
      const V16 delta = Load(qi + c) - Load(qj + c);
      Store(w + c, user);
      Store(d + c, delta);
      acc += user * delta;
    }
    const float x = HorizontalSum(acc) + state.bias[pos] - state.bias[neg];
    // d/dx ln sigmoid(x) = sigmoid(-x) = 1 / (1 + e^x); e^x overflows to inf -> 0, fine.
    const float g = 1.0f / (1.0f + std::exp(x));
    stats.correct += x > 0.0f;
    if (stats.samples++ % kLossEvery == 0) {
      stats.loss += -std::log(std::max(1.0f - g, std::numeric_limits<float>::min()));
      ++stats.loss_samples;
    }
    const float lg = lr * g;
    for (int32_t c = 0; c < stride; c += kLanes) {
      const V16 user = Load(w + c);
      const V16 delta = Load(d + c);
      if (use_user) Store(p + c, decay * Load(p + c) + lg * delta);
      Store(qi + c, decay * Load(qi + c) + lg * user);
      Store(qj + c, decay * Load(qj + c) - lg * user);
      if (use_history) {
        const V16 step = (g * scale) * delta;
        Store(grad + c, Load(grad + c) + step);
        // The delayed update below adds the user's gradient to every y_h; the positive's
        // own y_i took no part in this sample, so its share is taken back now.
        Store(yi + c, Load(yi + c) - lr * step);
        // S follows the y_h as if they were updated now (the other count - 1 of them move by
        // lr * step), so the next samples see the change: the user's triples stay sequential
        // SGD instead of one large batch step, which would overshoot for long histories.
        Store(sum + c, decay * Load(sum + c) + others * step);
      }
    }
    state.bias[pos] += lr * (g - state.bias_reg * state.bias[pos]);
    state.bias[neg] += lr * (-g - state.bias_reg * state.bias[neg]);
  }
  if (use_history) {
    // Each y_h was in (about) every sample of the user: the per-sample L2 decay compounds.
    const float user_decay = std::exp(state.log_decay * static_cast<float>(count));
    for (int32_t at = 0; at < count; ++at) {
      if (at + kPrefetchHistoryRows < count)
        PrefetchRow(state.history->row(positives[at + kPrefetchHistoryRows]), stride);
      float* y = state.history->row(positives[at]);
      for (int32_t c = 0; c < stride; c += kLanes)
        Store(y + c, user_decay * Load(y + c) + lr * Load(grad + c));
    }
  }
}

// One block of users (order[first, end)), software-pipelined: while user k trains, user
// k + 1's triples are drawn and their rows prefetched, user k + 2's item list and user
// k + 3's row offsets are prefetched.
void TrainBlock(const SgdState& state, std::span<const int32_t> users, BprRng& rng,
                Scratch& scratch, BlockStats& stats) {
  const CsrMatrix& by_user = *state.by_user;
  const auto count = static_cast<int64_t>(users.size());
  if (count == 0) return;
  PreparedUser* current = &scratch.prepared[0];
  PreparedUser* next = &scratch.prepared[1];
  PrepareUser(state, users[0], rng, *current);
  for (int64_t at = 0; at < count; ++at) {
    if (at + 3 < count) __builtin_prefetch(&by_user.indptr[users[at + 3]]);
    if (at + 2 < count) __builtin_prefetch(by_user.indices.data() + by_user.indptr[users[at + 2]]);
    if (at + 1 < count) PrepareUser(state, users[at + 1], rng, *next);
    TrainUser(state, *current, scratch, stats);
    std::swap(current, next);
  }
}

// A thread's private copy of the item side (q, y, b). Plain Hogwild on the shared item
// matrices does not scale here: every sample writes two random item rows that the other
// core wrote a moment ago, and moving those cache lines between cores costs more than the
// sample (measured on amazon-beauty: 2 threads gave 0.8x the samples/s of 1). So each thread
// trains its own copy, lock-free, and the copies are merged after every epoch by adding up
// their changes: Hogwild with the other threads' updates seen one epoch late.
struct ItemReplica {
  FactorMatrix items;
  FactorMatrix history;
  std::vector<float> bias;
};

// master += sum over replicas of (replica - master); every replica = master. Parallel over
// rows; `pool` threads.
void MergeReplicas(ThreadPool& pool, FactorMatrix& items, FactorMatrix& history,
                   std::vector<float>& bias, std::vector<ItemReplica>& replicas) {
  constexpr int64_t kRowsPerChunk = 256;
  const int32_t rows = items.rows();
  const int64_t chunks = (rows + kRowsPerChunk - 1) / kRowsPerChunk;
  auto merge_rows = [&](float* master, auto replica_row, int32_t width) {
    for (int32_t c = 0; c < width; c += kLanes) {
      const V16 base = Load(master + c);
      V16 merged = base;
      for (size_t r = 0; r < replicas.size(); ++r) merged += Load(replica_row(r) + c) - base;
      Store(master + c, merged);
      for (size_t r = 0; r < replicas.size(); ++r) Store(replica_row(r) + c, merged);
    }
  };
  pool.ParallelFor(chunks, [&](int64_t chunk, int) {
    const auto first = static_cast<int32_t>(chunk * kRowsPerChunk);
    const int32_t end = std::min<int32_t>(rows, first + kRowsPerChunk);
    for (int32_t row = first; row < end; ++row) {
      merge_rows(
          items.row(row), [&](size_t r) { return replicas[r].items.row(row); }, items.stride());
      if (history.rows() > 0) {
        merge_rows(
            history.row(row), [&](size_t r) { return replicas[r].history.row(row); },
            history.stride());
      }
      float merged = bias[row];
      for (const ItemReplica& replica : replicas) merged += replica.bias[row] - bias[row];
      bias[row] = merged;
      for (ItemReplica& replica : replicas) replica.bias[row] = merged;
    }
  });
}

std::string FormatDetail(double seconds, const BlockStats& total, float lr) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "%.3fs, loss %.4f, sampled auc %.4f, lr %.4g", seconds,
                total.loss_samples ? total.loss / total.loss_samples : 0.0,
                total.samples ? static_cast<double>(total.correct) / total.samples : 0.0, lr);
  return buf;
}

}  // namespace

StatusOr<BprOptions> BprOptions::FromJson(const nlohmann::json& params) {
  BprOptions options;
  ParamReader reader(BprRecommender::kName, params);
  RETURN_IF_ERROR(reader.Int("factors", &options.factors, 1, 1024));
  RETURN_IF_ERROR(reader.Int("epochs", &options.epochs, 1, 100000));
  RETURN_IF_ERROR(reader.Double("learning_rate", &options.learning_rate, 1e-9, 10.0));
  RETURN_IF_ERROR(reader.Double("lr_end_fraction", &options.lr_end_fraction, 0.0, 1.0));
  RETURN_IF_ERROR(reader.Double("regularization", &options.regularization, 0.0, 10.0));
  RETURN_IF_ERROR(reader.Double("bias_regularization", &options.bias_regularization, 0.0, 10.0));
  RETURN_IF_ERROR(reader.Double("history_exponent", &options.history_exponent, 0.0, 1.0));
  RETURN_IF_ERROR(reader.Double("init_stddev", &options.init_stddev, 0.0, 10.0));
  RETURN_IF_ERROR(reader.Bool("user_factors", &options.user_factors));
  RETURN_IF_ERROR(reader.Bool("history_factors", &options.history_factors));
  RETURN_IF_ERROR(reader.Finish());
  RETURN_IF_ERROR(CheckOptions(options));
  return options;
}

nlohmann::json BprOptions::ToJson() const {
  return {{"factors", factors},
          {"epochs", epochs},
          {"learning_rate", learning_rate},
          {"lr_end_fraction", lr_end_fraction},
          {"regularization", regularization},
          {"bias_regularization", bias_regularization},
          {"history_exponent", history_exponent},
          {"init_stddev", init_stddev},
          {"user_factors", user_factors},
          {"history_factors", history_factors}};
}

int32_t SampleNegative(std::span<const int32_t> positives, int32_t num_items, BprRng& rng) {
  const auto negatives = static_cast<int64_t>(num_items) - static_cast<int64_t>(positives.size());
  if (negatives <= 0) return -1;
  const auto rank = static_cast<int32_t>(rng.Uniform(static_cast<uint32_t>(negatives)));
  // positives[m] - m = the number of negatives below positives[m]: non-decreasing in m. Every
  // positive with at most `rank` negatives below it comes before the rank-th negative.
  size_t low = 0;
  size_t high = positives.size();
  while (low < high) {
    const size_t mid = (low + high) / 2;
    if (positives[mid] - static_cast<int32_t>(mid) <= rank) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return rank + static_cast<int32_t>(low);
}

Status BprRecommender::Fit(const UserHistories& train, const FitOptions& fit) {
  RETURN_IF_ERROR(CheckOptions(options_));
  const auto setup_start = Clock::now();
  const CsrMatrix by_user = BuildInteractionMatrix(train, {.binary = true});
  const int32_t num_items = train.num_items;
  const int32_t k = options_.factors;
  const auto stddev = static_cast<float>(options_.init_stddev);

  item_factors_ = FactorMatrix(num_items, k);
  item_factors_.FillNormal(stddev, fit.seed ^ 0x5851f42d4c957f2dULL);
  user_factors_ = FactorMatrix(options_.user_factors ? train.num_users : 0, k);
  user_factors_.FillNormal(stddev, fit.seed ^ 0x14057b7ef767814fULL);
  history_factors_ = FactorMatrix(options_.history_factors ? num_items : 0, k);
  history_factors_.FillNormal(stddev, fit.seed ^ 0x2545f4914f6cdd1dULL);
  item_bias_.assign(static_cast<size_t>(num_items), 0.0f);
  popularity_ = ItemPopularity::Count(train);
  inverse_norms_ = item_factors_.InverseNorms();

  // Users with something to learn from: at least one positive and one negative.
  std::vector<int32_t> order;
  for (int32_t user_idx = 0; user_idx < train.num_users; ++user_idx) {
    const int64_t count = by_user.indptr[user_idx + 1] - by_user.indptr[user_idx];
    if (count > 0 && count < num_items) order.push_back(user_idx);
  }
  const int64_t blocks = (static_cast<int64_t>(order.size()) + kBlockUsers - 1) / kBlockUsers;

  ThreadPool pool(fit.threads);
  std::vector<Scratch> scratch;
  for (int worker = 0; worker < pool.size(); ++worker) scratch.emplace_back(item_factors_.stride());
  std::vector<BlockStats> block_stats(static_cast<size_t>(blocks));
  // scales[n] for every user size n.
  int64_t max_count = 0;
  for (int32_t user_idx : order)
    max_count = std::max(max_count, by_user.indptr[user_idx + 1] - by_user.indptr[user_idx]);
  std::vector<float> scales(static_cast<size_t>(max_count) + 1);
  for (size_t n = 0; n < scales.size(); ++n) {
    scales[n] = static_cast<float>(HistoryScale(n > 0 ? n - 1 : 0, options_.history_exponent));
  }
  SgdState shared{&by_user,
                  &user_factors_,
                  &item_factors_,
                  &history_factors_,
                  item_bias_.data(),
                  num_items,
                  static_cast<float>(options_.regularization),
                  static_cast<float>(options_.bias_regularization),
                  scales.data(),
                  0.0f,
                  0.0f};
  // One thread trains the model itself; more train private item replicas (see ItemReplica).
  // A user is trained by one thread at a time, so p stays shared.
  std::vector<ItemReplica> replicas;
  std::vector<SgdState> states(static_cast<size_t>(pool.size()), shared);
  if (pool.size() > 1) {
    replicas.resize(static_cast<size_t>(pool.size()));
    for (size_t worker = 0; worker < replicas.size(); ++worker) {
      replicas[worker] = {item_factors_, history_factors_, item_bias_};
      states[worker].items = &replicas[worker].items;
      states[worker].history = &replicas[worker].history;
      states[worker].bias = replicas[worker].bias.data();
    }
  }
  BprRng shuffle_rng(MixSeed(fit.seed, 0x5eed, 0));
  const double setup_seconds = std::chrono::duration<double>(Clock::now() - setup_start).count();

  double train_seconds = 0.0;
  double cpu_seconds = 0.0;
  double merge_seconds = 0.0;  // of the replicas, included in train_seconds
  double fastest_epoch = std::numeric_limits<double>::infinity();
  int64_t total_samples = 0;
  int epochs_run = 0;
  BlockStats last;
  for (int epoch = 1; epoch <= options_.epochs; ++epoch) {
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuSeconds();
    const double progress =
        options_.epochs > 1 ? static_cast<double>(epoch - 1) / (options_.epochs - 1) : 0.0;
    const auto lr = static_cast<float>(options_.learning_rate *
                                       (1.0 - (1.0 - options_.lr_end_fraction) * progress));
    for (size_t pos = order.size(); pos > 1; --pos) {
      std::swap(order[pos - 1], order[shuffle_rng.Uniform(static_cast<uint32_t>(pos))]);
    }
    for (SgdState& state : states) {
      state.lr = lr;
      state.log_decay = std::log1p(-std::min(0.999f, lr * state.reg));
    }
    pool.ParallelFor(blocks, [&](int64_t block, int worker) {
      BprRng rng(MixSeed(fit.seed, static_cast<uint64_t>(epoch), static_cast<uint64_t>(block)));
      // Counted locally: neighbouring blocks' stats share cache lines across threads.
      BlockStats stats;
      const int64_t first = block * kBlockUsers;
      const int64_t end =
          std::min<int64_t>(static_cast<int64_t>(order.size()), first + kBlockUsers);
      TrainBlock(states[static_cast<size_t>(worker)],
                 std::span<const int32_t>(order).subspan(first, end - first), rng,
                 scratch[static_cast<size_t>(worker)], stats);
      block_stats[static_cast<size_t>(block)] = stats;
    });
    if (!replicas.empty()) {
      const auto merge_start = Clock::now();
      MergeReplicas(pool, item_factors_, history_factors_, item_bias_, replicas);
      merge_seconds += std::chrono::duration<double>(Clock::now() - merge_start).count();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    cpu_seconds += ProcessCpuSeconds() - cpu_start;
    last = BlockStats{};
    for (const BlockStats& stats : block_stats) {
      last.loss += stats.loss;
      last.loss_samples += stats.loss_samples;
      last.correct += stats.correct;
      last.samples += stats.samples;
    }
    train_seconds += seconds;
    fastest_epoch = std::min(fastest_epoch, seconds);
    total_samples += last.samples;
    epochs_run = epoch;
    if (fit.progress) {
      fit.progress({"bpr epoch " + std::to_string(epoch) + "/" + std::to_string(options_.epochs),
                    epoch, options_.epochs, FormatDetail(seconds, last, lr)});
    }
    if (fit.on_epoch) {
      inverse_norms_ = item_factors_.InverseNorms();
      if (!fit.on_epoch(epoch, *this)) break;
    }
  }
  inverse_norms_ = item_factors_.InverseNorms();
  fit_stats_ = {
      {"epochs", epochs_run},
      {"seconds_per_epoch", epochs_run ? train_seconds / epochs_run : 0.0},
      {"fastest_epoch_seconds", epochs_run ? fastest_epoch : 0.0},
      {"merge_seconds_per_epoch", epochs_run ? merge_seconds / epochs_run : 0.0},
      {"cpu_seconds_per_epoch", epochs_run ? cpu_seconds / epochs_run : 0.0},
      {"samples_per_second", train_seconds > 0 ? total_samples / train_seconds : 0.0},
      {"threads", pool.size()},
      {"factors", k},
      {"setup_seconds", setup_seconds},
      {"loss", last.loss_samples ? last.loss / last.loss_samples : 0.0},
      {"sampled_auc", last.samples ? static_cast<double>(last.correct) / last.samples : 0.0}};
  return OkStatus();
}

std::vector<int32_t> BprRecommender::KnownItems(std::span<const Interaction> history) const {
  std::vector<int32_t> items;
  items.reserve(history.size());
  for (const Interaction& interaction : history) {
    if (interaction.item >= 0 && interaction.item < num_items()) items.push_back(interaction.item);
  }
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

bool BprRecommender::UserVector(const Query& query, std::vector<float>* user) const {
  const std::vector<int32_t> items = KnownItems(query.history);
  if (items.empty()) return false;
  const int32_t k = options_.factors;
  user->assign(static_cast<size_t>(k), 0.0f);
  if (query.user >= 0 && query.user < user_factors_.rows()) {
    const float* p = user_factors_.row(query.user);
    for (int32_t c = 0; c < k; ++c) (*user)[c] = p[c];
  }
  if (history_factors_.rows() > 0) {
    const auto scale = static_cast<float>(HistoryScale(items.size(), options_.history_exponent));
    for (int32_t item_idx : items) {
      const float* y = history_factors_.row(item_idx);
      for (int32_t c = 0; c < k; ++c) (*user)[c] += scale * y[c];
    }
  }
  return true;
}

void BprRecommender::Score(const Query& query, std::span<float> scores) const {
  const std::vector<int32_t> items = KnownItems(query.history);
  if (items.empty()) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  const int32_t stride = item_factors_.stride();
  AlignedFloats sum(static_cast<size_t>(stride), 0.0f);
  AlignedFloats user(static_cast<size_t>(stride), 0.0f);
  if (query.user >= 0 && query.user < user_factors_.rows()) {
    const float* p = user_factors_.row(query.user);
    std::copy(p, p + stride, user.begin());
  }
  const bool use_history = history_factors_.rows() > 0;
  if (use_history) {
    for (int32_t item_idx : items) {
      const float* y = history_factors_.row(item_idx);
      for (int32_t c = 0; c < stride; ++c) sum[c] += y[c];
    }
  }
  const auto scale = static_cast<float>(HistoryScale(items.size(), options_.history_exponent));
  AlignedFloats full(user);
  for (int32_t c = 0; c < stride; ++c) full[c] += scale * sum[c];
  ScoreByDot(item_factors_, full.data(), item_bias_, scores);
  const int32_t known = std::min<int32_t>(num_items(), static_cast<int32_t>(scores.size()));
  if (use_history) {
    // The history's own items are scored as in training: from the user's other items only.
    const auto scale_without =
        static_cast<float>(HistoryScale(items.size() - 1, options_.history_exponent));
    AlignedFloats without(static_cast<size_t>(stride));
    for (int32_t item_idx : items) {
      if (item_idx >= known) break;
      const float* y = history_factors_.row(item_idx);
      for (int32_t c = 0; c < stride; ++c) without[c] = user[c] + scale_without * (sum[c] - y[c]);
      scores[item_idx] =
          Dot(item_factors_.row(item_idx), without.data(), options_.factors) + item_bias_[item_idx];
    }
    // Unknown items stay at the lowest score.
    if (static_cast<size_t>(known) < scores.size()) {
      const float lowest =
          known > 0 ? *std::min_element(scores.begin(), scores.begin() + known) : 0.0f;
      std::fill(scores.begin() + known, scores.end(), lowest);
    }
  }
}

void BprRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  SimilarByCosineOrPopularity(item_factors_, inverse_norms_, popularity_, item_idx, scores);
}

std::string BprRecommender::Explain(const Query& query, int32_t item_idx) const {
  return ExplainBySimilarHistoryItem(item_factors_, inverse_norms_, popularity_, query.history, item_idx);
}

Status BprRecommender::SavePayload(BinaryWriter& out) const {
  user_factors_.Save(out);
  item_factors_.Save(out);
  history_factors_.Save(out);
  out.PutVector(item_bias_);
  popularity_.Save(out);
  return OkStatus();
}

Status BprRecommender::LoadPayload(BinaryReader& in) {
  RETURN_IF_ERROR(user_factors_.Load(in));
  RETURN_IF_ERROR(item_factors_.Load(in));
  RETURN_IF_ERROR(history_factors_.Load(in));
  RETURN_IF_ERROR(in.GetVector(&item_bias_));
  RETURN_IF_ERROR(popularity_.Load(in));
  auto corrupt = [&](const std::string& what) {
    return DataLossError(in.source() + ": corrupt bpr payload (" + what + ")");
  };
  const int32_t items = item_factors_.rows();
  const int32_t k = options_.factors;
  if (item_factors_.cols() != k || user_factors_.cols() != k || history_factors_.cols() != k)
    return corrupt("factor width is not " + std::to_string(k));
  if (!options_.user_factors && user_factors_.rows() > 0)
    return corrupt("user factors without user_factors");
  if (history_factors_.rows() != (options_.history_factors ? items : 0))
    return corrupt("history factors do not match " + std::to_string(items) + " items");
  if (item_bias_.size() != static_cast<size_t>(items)) return corrupt("item bias size");
  if (popularity_.num_items() != items) return corrupt("popularity size");
  inverse_norms_ = item_factors_.InverseNorms();
  fit_stats_ = nlohmann::json::object();
  return OkStatus();
}

}  // namespace tailor
