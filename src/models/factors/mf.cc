#include "models/factors/mf.h"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <type_traits>
#include <utility>

#include "tailor/types.h"

namespace tailor {
namespace {

using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>;
using VectorD = Eigen::Matrix<double, Eigen::Dynamic, 1>;

// One SGD target: explicit stars, or 1 / 0 in the fallback mode.
struct Sample {
  int32_t user = 0;
  int32_t item = 0;
  float target = 0.0f;
};

// The distinct items of `history` known to a model of `num_items` items, ascending.
void DistinctItems(std::span<const Interaction> history, int32_t num_items,
                   std::vector<int32_t>* out) {
  out->clear();
  for (const Interaction& interaction : history) {
    if (interaction.item >= 0 && interaction.item < num_items) out->push_back(interaction.item);
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

// The latest rating of each distinct known item rated in `history` (chronological), by item.
void LatestRatings(std::span<const Interaction> history, int16_t rating_type, int32_t num_items,
                   std::vector<std::pair<int32_t, float>>* out) {
  out->clear();
  for (const Interaction& interaction : history) {
    if (interaction.type == rating_type && interaction.value > 0.0f && interaction.item >= 0 &&
        interaction.item < num_items) {
      out->emplace_back(interaction.item, interaction.value);
    }
  }
  // Stable, so equal items stay in time order and the last of each run is the latest.
  std::stable_sort(out->begin(), out->end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t kept = 0;
  for (size_t pos = 0; pos < out->size(); ++pos) {
    if (pos + 1 < out->size() && (*out)[pos + 1].first == (*out)[pos].first) continue;
    (*out)[kept++] = (*out)[pos];
  }
  out->resize(kept);
}

bool Contains(std::span<const int32_t> sorted, int32_t item_idx) {
  return std::binary_search(sorted.begin(), sorted.end(), item_idx);
}

// The training kernels run over whole blocks of kLanes floats: FactorMatrix pads every row
// to stride() (a multiple of 16) with zeros, so the inner loops have a constant trip count
// that GCC vectorises at -O2, and the padding stays zero under every update below.
constexpr int32_t kLanes = 16;

// z = |N|^-1/2 sum_{j in N} y_j over `stride` floats (zeros when N is empty).
void ImplicitSum(const FactorMatrix& implicit, std::span<const int32_t> items, float* z) {
  const int32_t stride = implicit.stride();
  std::fill(z, z + stride, 0.0f);
  if (items.empty()) return;
  for (int32_t item_idx : items) {
    const float* y = implicit.row(item_idx);
    for (int32_t f = 0; f < stride; ++f) z[f] += y[f];
  }
  const float norm = 1.0f / std::sqrt(static_cast<float>(items.size()));
  for (int32_t f = 0; f < stride; ++f) z[f] *= norm;
}

// q . (p + z) over `stride` floats (z may be null: q . p).
float BlockDot(const float* __restrict q, const float* __restrict p, const float* __restrict z,
               int32_t stride) {
  float lanes[kLanes] = {};
  for (int32_t base = 0; base < stride; base += kLanes) {
    if (z == nullptr) {
      for (int32_t lane = 0; lane < kLanes; ++lane) lanes[lane] += q[base + lane] * p[base + lane];
    } else {
      for (int32_t lane = 0; lane < kLanes; ++lane) {
        lanes[lane] += q[base + lane] * (p[base + lane] + z[base + lane]);
      }
    }
  }
  float sum = 0.0f;
  for (int32_t lane = 0; lane < kLanes; ++lane) sum += lanes[lane];
  return sum;
}

// p += step_error * q - step_reg * p and q += step_error * p - step_reg * q, both from the old
// values (step_error = lr * error, step_reg = lr * reg). The rows never alias.
void MfStep(float* __restrict p, float* __restrict q, int32_t stride, float step_error,
            float step_reg) {
  for (int32_t base = 0; base < stride; base += kLanes) {
    for (int32_t lane = 0; lane < kLanes; ++lane) {
      const float p_f = p[base + lane];
      const float q_f = q[base + lane];
      p[base + lane] = p_f + step_error * q_f - step_reg * p_f;
      q[base + lane] = q_f + step_error * p_f - step_reg * q_f;
    }
  }
}

// The SVD++ step: q learns from p + z, and the y_j gradient (error * q) is accumulated.
void SvdppStep(float* __restrict p, float* __restrict q, const float* __restrict z,
               float* __restrict y_gradient, int32_t stride, float step_error, float step_reg,
               float error) {
  for (int32_t base = 0; base < stride; base += kLanes) {
    for (int32_t lane = 0; lane < kLanes; ++lane) {
      const int32_t f = base + lane;
      const float p_f = p[f];
      const float q_f = q[f];
      y_gradient[f] += error * q_f;
      p[f] = p_f + step_error * q_f - step_reg * p_f;
      q[f] = q_f + step_error * (p_f + z[f]) - step_reg * q_f;
    }
  }
}

}  // namespace

int16_t RatingEventType() {
  static const int16_t type = [] {
    const std::vector<EventTypeSpec> types = BuiltinEventTypes();
    for (size_t index = 0; index < types.size(); ++index) {
      if (types[index].name == "rating") return static_cast<int16_t>(index);
    }
    return static_cast<int16_t>(-1);
  }();
  return type;
}

StatusOr<MfOptions> MfOptions::FromJson(const nlohmann::json& params) {
  MfOptions options;
  ParamReader reader(MfRecommender::kName, params);
  RETURN_IF_ERROR(reader.Int("factors", &options.factors, 1, 1024));
  RETURN_IF_ERROR(reader.Int("epochs", &options.epochs, 1, 10000));
  RETURN_IF_ERROR(reader.Double("learning_rate", &options.learning_rate, 1e-9, 1.0));
  RETURN_IF_ERROR(reader.Double("lr_decay", &options.lr_decay, 1e-9, 1.0));
  RETURN_IF_ERROR(reader.Double("reg_bias", &options.reg_bias, 0.0, 100.0));
  RETURN_IF_ERROR(reader.Double("reg_factors", &options.reg_factors, 0.0, 100.0));
  RETURN_IF_ERROR(reader.Double("reg_implicit", &options.reg_implicit, 0.0, 100.0));
  RETURN_IF_ERROR(reader.Double("init_std", &options.init_std, 0.0, 10.0));
  RETURN_IF_ERROR(reader.Bool("implicit", &options.implicit));
  RETURN_IF_ERROR(reader.Int("negatives", &options.negatives, 0, 100));
  RETURN_IF_ERROR(reader.Bool("fold_in", &options.fold_in));
  RETURN_IF_ERROR(reader.Double("fold_in_reg", &options.fold_in_reg, 0.0, 1e6));
  RETURN_IF_ERROR(reader.Double("fold_in_prior", &options.fold_in_prior, 0.0, 1e6));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json MfOptions::ToJson() const {
  return {{"factors", factors},
          {"epochs", epochs},
          {"learning_rate", learning_rate},
          {"lr_decay", lr_decay},
          {"reg_bias", reg_bias},
          {"reg_factors", reg_factors},
          {"reg_implicit", reg_implicit},
          {"init_std", init_std},
          {"implicit", implicit},
          {"negatives", negatives},
          {"fold_in", fold_in},
          {"fold_in_reg", fold_in_reg},
          {"fold_in_prior", fold_in_prior}};
}

Status MfRecommender::Fit(const UserHistories& train, const FitOptions& fit) {
  auto bad = [](const std::string& what) { return InvalidArgumentError("mf: param " + what); };
  if (options_.factors < 1 || options_.factors > 1024) return bad("'factors' must be in 1..1024");
  if (options_.epochs < 1) return bad("'epochs' must be >= 1");
  if (!(options_.learning_rate > 0)) return bad("'learning_rate' must be > 0");
  if (!(options_.lr_decay > 0 && options_.lr_decay <= 1))
    return bad("'lr_decay' must be in (0, 1]");
  if (!(options_.reg_bias >= 0) || !(options_.reg_factors >= 0) || !(options_.reg_implicit >= 0) ||
      !(options_.fold_in_reg >= 0) || !(options_.fold_in_prior >= 0)) {
    return bad(
        "'reg_bias', 'reg_factors', 'reg_implicit', 'fold_in_reg' and 'fold_in_prior' "
        "must be >= 0");
  }
  if (!(options_.init_std >= 0)) return bad("'init_std' must be >= 0");
  if (options_.negatives < 0) return bad("'negatives' must be >= 0");

  const int32_t k = options_.factors;
  const int32_t num_users = train.num_users;
  const int32_t num_items = train.num_items;
  const int16_t rating_type = RatingEventType();

  // Per-user targets (grouped by user) and N(u) (distinct history items, CSR).
  std::vector<Sample> ratings;
  std::vector<int64_t> history_offsets = {0};
  std::vector<int32_t> history_items;
  std::vector<std::pair<int32_t, float>> latest;
  std::vector<int32_t> distinct;
  for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
    LatestRatings(train.user(user_idx), rating_type, num_items, &latest);
    for (const auto& [item_idx, stars] : latest) ratings.push_back({user_idx, item_idx, stars});
    DistinctItems(train.user(user_idx), num_items, &distinct);
    history_items.insert(history_items.end(), distinct.begin(), distinct.end());
    history_offsets.push_back(static_cast<int64_t>(history_items.size()));
  }
  auto user_items = [&](int32_t user_idx) {
    return std::span<const int32_t>(
        history_items.data() + history_offsets[user_idx],
        static_cast<size_t>(history_offsets[user_idx + 1] - history_offsets[user_idx]));
  };
  explicit_ = !ratings.empty();

  // Sample counts per user and the global mean of the targets.
  std::vector<int64_t> sample_offsets = {0};
  double target_sum = 0.0;
  int64_t target_count = 0;
  if (explicit_) {
    min_rating_ = max_rating_ = ratings.front().target;
    for (const Sample& sample : ratings) {
      target_sum += sample.target;
      min_rating_ = std::min(min_rating_, sample.target);
      max_rating_ = std::max(max_rating_, sample.target);
    }
    target_count = static_cast<int64_t>(ratings.size());
    size_t pos = 0;
    for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
      while (pos < ratings.size() && ratings[pos].user == user_idx) ++pos;
      sample_offsets.push_back(static_cast<int64_t>(pos));
    }
  } else {
    min_rating_ = 0.0f;
    max_rating_ = 1.0f;
    int64_t total = 0;
    for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
      const int64_t positives = static_cast<int64_t>(user_items(user_idx).size());
      const int64_t negatives = positives < num_items ? positives * options_.negatives : 0;
      target_sum += static_cast<double>(positives);
      total += positives + negatives;
      sample_offsets.push_back(total);
    }
    target_count = total;
  }
  mu_ =
      target_count > 0 ? static_cast<float>(target_sum / static_cast<double>(target_count)) : 0.0f;

  items_ = FactorMatrix(num_items, k);
  users_ = FactorMatrix(num_users, k);
  implicit_ = FactorMatrix(options_.implicit ? num_items : 0, k);
  items_.FillNormal(static_cast<float>(options_.init_std), fit.seed);
  users_.FillNormal(static_cast<float>(options_.init_std), fit.seed + 1);
  item_bias_.assign(static_cast<size_t>(num_items), 0.0f);
  user_bias_.assign(static_cast<size_t>(num_users), 0.0f);
  popularity_ = ItemPopularity::Count(train);
  user_trained_.assign(static_cast<size_t>(num_users), 0);
  for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
    user_trained_[user_idx] = sample_offsets[user_idx + 1] > sample_offsets[user_idx] ? 1 : 0;
  }

  std::mt19937_64 rng(fit.seed ^ 0x6d66u);
  std::vector<Sample> samples =
      explicit_ ? ratings : std::vector<Sample>(static_cast<size_t>(target_count));
  std::vector<int32_t> user_order(static_cast<size_t>(num_users));
  for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) user_order[user_idx] = user_idx;
  const int32_t stride = items_.stride();
  std::vector<float, AlignedAllocator<float>> z(static_cast<size_t>(stride), 0.0f);
  std::vector<float, AlignedAllocator<float>> y_gradient(static_cast<size_t>(stride), 0.0f);
  const float reg_bias = static_cast<float>(options_.reg_bias);
  const float reg_factors = static_cast<float>(options_.reg_factors);
  const float reg_implicit = static_cast<float>(options_.reg_implicit);
  double total_seconds = 0.0;
  double train_rmse = 0.0;
  int epochs_run = 0;

  // One SGD step; `user_z` is the user's implicit sum (SVD++ only, whose y_j gradient is
  // accumulated in y_gradient). Returns the error before the step.
  auto step = [&](const Sample& sample, const float* user_z, float lr, auto svdpp) {
    constexpr bool kSvdpp = decltype(svdpp)::value;
    float* p = users_.row(sample.user);
    float* q = items_.row(sample.item);
    float& b_u = user_bias_[sample.user];
    float& b_i = item_bias_[sample.item];
    const float dot = BlockDot(q, p, user_z, stride);
    const float error = sample.target - (mu_ + b_u + b_i + dot);
    b_u += lr * (error - reg_bias * b_u);
    b_i += lr * (error - reg_bias * b_i);
    if constexpr (kSvdpp) {
      SvdppStep(p, q, user_z, y_gradient.data(), stride, lr * error, lr * reg_factors, error);
    } else {
      MfStep(p, q, stride, lr * error, lr * reg_factors);
    }
    return error;
  };

  for (int epoch = 1; epoch <= options_.epochs; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    const float lr =
        static_cast<float>(options_.learning_rate * std::pow(options_.lr_decay, epoch - 1));
    if (!explicit_) {
      // Fresh negatives each epoch: uniform items the user has not interacted with.
      for (int32_t user_idx = 0; user_idx < num_users; ++user_idx) {
        auto positives = user_items(user_idx);
        Sample* out = samples.data() + sample_offsets[user_idx];
        Sample* end = samples.data() + sample_offsets[user_idx + 1];
        for (int32_t item_idx : positives) *out++ = {user_idx, item_idx, 1.0f};
        std::uniform_int_distribution<int32_t> any_item(0, std::max(num_items - 1, 0));
        while (out != end) {
          int32_t item_idx = any_item(rng);
          // Rejection sampling; a user with nearly every item keeps the last draw after a few
          // tries rather than looping (its weight in the objective is tiny anyway).
          for (int attempt = 0; attempt < 32 && Contains(positives, item_idx); ++attempt) {
            item_idx = any_item(rng);
          }
          *out++ = {user_idx, item_idx, Contains(positives, item_idx) ? 1.0f : 0.0f};
        }
      }
    }
    double squared_error = 0.0;
    if (!options_.implicit) {
      std::shuffle(samples.begin(), samples.end(), rng);
      for (const Sample& sample : samples) {
        const float error = step(sample, nullptr, lr, std::false_type());
        squared_error += static_cast<double>(error) * error;
      }
    } else {
      // SVD++: user by user, so the implicit sum is computed once per user and the y_j are
      // updated once with the gradient of all the user's samples.
      std::shuffle(user_order.begin(), user_order.end(), rng);
      for (int32_t user_idx : user_order) {
        const int64_t begin = sample_offsets[user_idx];
        const int64_t end = sample_offsets[user_idx + 1];
        if (begin == end) continue;
        std::shuffle(samples.begin() + begin, samples.begin() + end, rng);
        auto history = user_items(user_idx);
        ImplicitSum(implicit_, history, z.data());
        std::fill(y_gradient.begin(), y_gradient.end(), 0.0f);
        for (int64_t pos = begin; pos < end; ++pos) {
          const float error = step(samples[pos], z.data(), lr, std::true_type());
          squared_error += static_cast<double>(error) * error;
        }
        if (history.empty()) continue;
        const float norm = 1.0f / std::sqrt(static_cast<float>(history.size()));
        // The per-sample penalty of (end - begin) steps, applied at once.
        const float shrink =
            std::pow(std::max(0.0f, 1.0f - lr * reg_implicit), static_cast<float>(end - begin));
        for (int32_t item_idx : history) {
          float* y = implicit_.row(item_idx);
          for (int32_t f = 0; f < stride; ++f) y[f] = y[f] * shrink + lr * norm * y_gradient[f];
        }
      }
    }
    ++epochs_run;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    total_seconds += seconds;
    train_rmse =
        samples.empty() ? 0.0 : std::sqrt(squared_error / static_cast<double>(samples.size()));
    if (fit.progress) {
      char detail[96];
      std::snprintf(detail, sizeof(detail), "train rmse %.4f, %.3fs", train_rmse, seconds);
      fit.progress({"mf epoch " + std::to_string(epoch) + "/" + std::to_string(options_.epochs),
                    epoch, options_.epochs, detail});
    }
    if (fit.on_epoch) {
      Finalize();
      if (!fit.on_epoch(epoch, *this)) break;
    }
  }
  if (!fit.on_epoch) Finalize();  // else done after the last epoch run
  fit_stats_ = {{"mode", explicit_ ? "explicit ratings" : "implicit fallback"},
                {"epochs", epochs_run},
                {"seconds_per_epoch", epochs_run > 0 ? total_seconds / epochs_run : 0.0},
                {"train_rmse", train_rmse},
                {"samples_per_epoch", samples.size()}};
  return OkStatus();
}

void MfRecommender::Finalize() {
  inverse_norms_ = items_.InverseNorms();
  gram_.clear();
  gram_bias_.clear();
  if (explicit_) return;
  // x_i = [1, q_i]: sum x x^T and sum x (mu + b_i) over every item, for the fallback fold-in.
  const int32_t k = items_.cols();
  const int32_t num_items = items_.rows();
  MatrixD x(k + 1, num_items);
  VectorD c(num_items);
  for (int32_t item_idx = 0; item_idx < num_items; ++item_idx) {
    x(0, item_idx) = 1.0;
    const float* q = items_.row(item_idx);
    for (int32_t f = 0; f < k; ++f) x(f + 1, item_idx) = q[f];
    c(item_idx) = static_cast<double>(mu_) + item_bias_[item_idx];
  }
  MatrixD gram = MatrixD::Zero(k + 1, k + 1);
  gram.selfadjointView<Eigen::Lower>().rankUpdate(x);
  gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
  VectorD bias = x * c;
  gram_.assign(gram.data(), gram.data() + gram.size());
  gram_bias_.assign(bias.data(), bias.data() + bias.size());
}

MfRecommender::UserVector MfRecommender::FoldIn(std::span<const Interaction> history) const {
  const int32_t k = items_.cols();
  const int32_t num_items = items_.rows();
  UserVector user;
  std::vector<int32_t> distinct;
  DistinctItems(history, num_items, &distinct);
  std::vector<float> z(static_cast<size_t>(implicit_.stride()), 0.0f);
  if (options_.implicit) ImplicitSum(implicit_, distinct, z.data());
  MatrixD a = MatrixD::Zero(k + 1, k + 1);
  VectorD rhs = VectorD::Zero(k + 1);
  auto x_of = [&](int32_t item_idx, VectorD* x) {
    (*x)(0) = 1.0;
    const float* q = items_.row(item_idx);
    for (int32_t f = 0; f < k; ++f) (*x)(f + 1) = q[f];
  };
  auto z_dot = [&](int32_t item_idx) {
    return options_.implicit ? static_cast<double>(Dot(items_.row(item_idx), z.data(), k)) : 0.0;
  };
  double penalty_samples = 0.0;  // how many SGD samples of this user the penalty stands for
  if (explicit_) {
    std::vector<std::pair<int32_t, float>> ratings;
    LatestRatings(history, RatingEventType(), num_items, &ratings);
    if (ratings.empty()) {
      // No rating: the SVD++ history term alone, or nothing.
      user.usable = options_.implicit && !distinct.empty();
      z.resize(static_cast<size_t>(k));
      user.factors = std::move(z);
      return user;
    }
    MatrixD x(k + 1, static_cast<Eigen::Index>(ratings.size()));
    VectorD targets(static_cast<Eigen::Index>(ratings.size()));
    VectorD column(k + 1);
    for (size_t pos = 0; pos < ratings.size(); ++pos) {
      const auto [item_idx, stars] = ratings[pos];
      x_of(item_idx, &column);
      x.col(static_cast<Eigen::Index>(pos)) = column;
      targets(static_cast<Eigen::Index>(pos)) =
          stars - static_cast<double>(mu_) - item_bias_[item_idx] - z_dot(item_idx);
    }
    a.selfadjointView<Eigen::Lower>().rankUpdate(x);
    rhs = x * targets;
    penalty_samples = static_cast<double>(ratings.size());
  } else {
    if (distinct.empty()) return user;
    // The expected objective of the negative sampling: every unobserved item is a 0-target
    // with weight w0 = negatives * n / (unobserved items).
    const auto n = static_cast<double>(distinct.size());
    const double unobserved = static_cast<double>(num_items) - n;
    const double w0 = unobserved > 0 ? options_.negatives * n / unobserved : 0.0;
    Eigen::Map<const MatrixD> gram(gram_.data(), k + 1, k + 1);
    Eigen::Map<const VectorD> gram_bias(gram_bias_.data(), k + 1);
    a = w0 * gram;
    // sum over all items of x (mu + b_i + q_i . z) = gram_bias + gram[:, 1:] z
    VectorD all_offsets = gram_bias;
    if (options_.implicit) {
      Eigen::Map<const Eigen::VectorXf> zf(z.data(), k);
      all_offsets += gram.rightCols(k) * zf.cast<double>();
    }
    rhs = -w0 * all_offsets;
    MatrixD x(k + 1, static_cast<Eigen::Index>(distinct.size()));
    VectorD column(k + 1);
    for (size_t pos = 0; pos < distinct.size(); ++pos) {
      const int32_t item_idx = distinct[pos];
      x_of(item_idx, &column);
      x.col(static_cast<Eigen::Index>(pos)) = column;
      const double offset = static_cast<double>(mu_) + item_bias_[item_idx] + z_dot(item_idx);
      rhs += column * (1.0 - offset + w0 * offset);
    }
    // Positives count with weight 1 instead of the w0 the Gram matrix gave them.
    a.selfadjointView<Eigen::Lower>().rankUpdate(x, 1.0 - w0);
    a.triangularView<Eigen::StrictlyUpper>() = a.transpose();
    penalty_samples = n * (1.0 + options_.negatives);
  }
  const double factor_penalty = options_.fold_in_prior + options_.fold_in_reg * penalty_samples;
  a(0, 0) += options_.reg_bias * penalty_samples;
  for (int32_t f = 1; f <= k; ++f) a(f, f) += factor_penalty;
  // Tiny ridge so zero penalties still give a unique solution.
  a.diagonal().array() += 1e-9;
  VectorD solution = a.selfadjointView<Eigen::Lower>().ldlt().solve(rhs);
  user.usable = true;
  user.bias = static_cast<float>(solution(0));
  user.factors.resize(static_cast<size_t>(k));
  for (int32_t f = 0; f < k; ++f) user.factors[f] = static_cast<float>(solution(f + 1)) + z[f];
  return user;
}

MfRecommender::UserVector MfRecommender::ResolveUser(const Query& query) const {
  if (!options_.fold_in && query.user >= 0 && query.user < users_.rows() &&
      user_trained_[query.user] != 0) {
    const int32_t k = items_.cols();
    UserVector user;
    user.usable = true;
    user.bias = user_bias_[query.user];
    user.factors.assign(users_.row(query.user), users_.row(query.user) + k);
    if (options_.implicit) {
      std::vector<int32_t> distinct;
      DistinctItems(query.history, items_.rows(), &distinct);
      std::vector<float> z(static_cast<size_t>(implicit_.stride()));
      ImplicitSum(implicit_, distinct, z.data());
      for (int32_t f = 0; f < k; ++f) user.factors[f] += z[f];
    }
    return user;
  }
  return FoldIn(query.history);
}

float MfRecommender::Predict(const UserVector& user, int32_t item_idx) const {
  float prediction = mu_ + user.bias;
  if (item_idx >= 0 && item_idx < items_.rows()) {
    prediction += item_bias_[item_idx];
    if (!user.factors.empty()) {
      prediction += Dot(items_.row(item_idx), user.factors.data(), items_.cols());
    }
  }
  if (explicit_) prediction = std::clamp(prediction, min_rating_, max_rating_);
  return prediction;
}

float MfRecommender::PredictRating(const Query& query, int32_t item_idx) const {
  return Predict(ResolveUser(query), item_idx);
}

void MfRecommender::PredictRatings(const Query& query, std::span<const int32_t> items,
                                   std::span<float> out) const {
  const UserVector user = ResolveUser(query);
  for (size_t pos = 0; pos < items.size() && pos < out.size(); ++pos) {
    out[pos] = Predict(user, items[pos]);
  }
}

void MfRecommender::Score(const Query& query, std::span<float> scores) const {
  const UserVector user = ResolveUser(query);
  if (!user.usable) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  ScoreByDot(items_, user.factors.data(), item_bias_, scores);
  const float offset = mu_ + user.bias;
  for (float& score : scores) score += offset;
}

void MfRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  SimilarByCosineOrPopularity(items_, inverse_norms_, popularity_, item_idx, scores);
}

std::string MfRecommender::Explain(const Query& query, int32_t item_idx) const {
  return ExplainBySimilarHistoryItem(items_, inverse_norms_, popularity_, query.history, item_idx);
}

nlohmann::json MfRecommender::fit_stats() const { return fit_stats_; }

Status MfRecommender::SavePayload(BinaryWriter& out) const {
  out.Put<uint8_t>(explicit_ ? 1 : 0);
  out.Put<float>(mu_);
  out.Put<float>(min_rating_);
  out.Put<float>(max_rating_);
  out.PutVector(item_bias_);
  out.PutVector(user_bias_);
  out.PutVector(user_trained_);
  items_.Save(out);
  implicit_.Save(out);
  users_.Save(out);
  popularity_.Save(out);
  return OkStatus();
}

Status MfRecommender::LoadPayload(BinaryReader& in) {
  uint8_t explicit_flag = 0;
  RETURN_IF_ERROR(in.Get(&explicit_flag));
  RETURN_IF_ERROR(in.Get(&mu_));
  RETURN_IF_ERROR(in.Get(&min_rating_));
  RETURN_IF_ERROR(in.Get(&max_rating_));
  RETURN_IF_ERROR(in.GetVector(&item_bias_));
  RETURN_IF_ERROR(in.GetVector(&user_bias_));
  RETURN_IF_ERROR(in.GetVector(&user_trained_));
  RETURN_IF_ERROR(items_.Load(in));
  RETURN_IF_ERROR(implicit_.Load(in));
  RETURN_IF_ERROR(users_.Load(in));
  RETURN_IF_ERROR(popularity_.Load(in));
  explicit_ = explicit_flag != 0;
  auto corrupt = [&](const std::string& what) {
    return DataLossError(in.source() + ": corrupt mf payload (" + what + ")");
  };
  const int32_t k = options_.factors;
  if (items_.cols() != k || users_.cols() != k || implicit_.cols() != k) {
    return corrupt("factor width does not match factors = " + std::to_string(k));
  }
  if (item_bias_.size() != static_cast<size_t>(items_.rows()) ||
      popularity_.num_items() != items_.rows()) {
    return corrupt("item tables disagree");
  }
  if (implicit_.rows() != (options_.implicit ? items_.rows() : 0)) {
    return corrupt("implicit factors do not match the items");
  }
  if (user_bias_.size() != static_cast<size_t>(users_.rows()) ||
      user_trained_.size() != static_cast<size_t>(users_.rows())) {
    return corrupt("user tables disagree");
  }
  fit_stats_ = nlohmann::json::object();
  Finalize();
  return OkStatus();
}

}  // namespace tailor
