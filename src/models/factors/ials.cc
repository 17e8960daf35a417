#include "models/factors/ials.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "common/thread_pool.h"
#include "dataset/csr_matrix.h"
#include "models/knn/neighbors.h"

namespace tailor {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds used by the whole process so far (all threads): on a shared machine the wall
// time of an iteration says little about its cost, the CPU time does.
double ProcessCpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// <a, b> over two stride x stride Gram matrices: sum_{u,i} (x_u . y_i)^2 = <X^T X, Y^T Y>.
double FrobeniusDot(std::span<const float> a, std::span<const float> b) {
  double sum = 0.0;
  for (size_t pos = 0; pos < a.size(); ++pos) sum += static_cast<double>(a[pos]) * b[pos];
  return sum;
}

int64_t RowsWithEntries(const CsrMatrix& matrix) {
  int64_t rows = 0;
  for (int32_t row = 0; row < matrix.rows; ++row)
    rows += matrix.indptr[row + 1] > matrix.indptr[row];
  return rows;
}

std::string Format(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, value);
  return buf;
}

}  // namespace

StatusOr<IalsOptions> IalsOptions::FromJson(const nlohmann::json& params) {
  IalsOptions options;
  ParamReader reader(IalsRecommender::kName, params);
  RETURN_IF_ERROR(reader.Int("factors", &options.factors, 1, 1024));
  RETURN_IF_ERROR(reader.Int("iterations", &options.iterations, 1, 1000));
  RETURN_IF_ERROR(reader.Double("regularization", &options.regularization, 1e-9, 1e9));
  RETURN_IF_ERROR(reader.Double("alpha", &options.alpha, 0.0, 1e9));
  RETURN_IF_ERROR(reader.Int("cg_steps", &options.cg_steps, 1, 256));
  RETURN_IF_ERROR(reader.Bool("log_confidence", &options.log_confidence));
  RETURN_IF_ERROR(reader.Double("reg_exponent", &options.reg_exponent, 0.0, 2.0));
  RETURN_IF_ERROR(reader.Double("init_stddev", &options.init_stddev, 1e-9, 10.0));
  RETURN_IF_ERROR(reader.Finish());
  return options;
}

nlohmann::json IalsOptions::ToJson() const {
  return {{"factors", factors},
          {"iterations", iterations},
          {"regularization", regularization},
          {"alpha", alpha},
          {"cg_steps", cg_steps},
          {"log_confidence", log_confidence},
          {"reg_exponent", reg_exponent},
          {"init_stddev", init_stddev}};
}

float IalsRecommender::ExtraConfidence(float weight_sum) const {
  const double f = options_.log_confidence ? std::log1p(static_cast<double>(weight_sum))
                                           : static_cast<double>(weight_sum);
  return static_cast<float>(options_.alpha * f);
}

float IalsRecommender::RowLambda(std::span<const float> extra_confidences) const {
  if (options_.reg_exponent == 0.0) return static_cast<float>(options_.regularization);
  double confidence = 0.0;
  for (float extra : extra_confidences) confidence += 1.0 + extra;
  return static_cast<float>(options_.regularization *
                            std::pow(std::max(confidence, 1.0), options_.reg_exponent));
}

void IalsRecommender::PrepareServing(ThreadPool& pool) {
  ComputeGram(items_, {}, pool, gram_);
  inverse_norms_ = items_.InverseNorms();
}

Status IalsRecommender::Fit(const UserHistories& train, const FitOptions& fit) {
  // Options set directly (not through FromJson) get the same checks.
  RETURN_IF_ERROR(IalsOptions::FromJson(options_.ToJson()).status());
  const auto setup_start = Clock::now();
  ThreadPool pool(fit.threads);
  const int32_t k = options_.factors;
  const int steps = options_.cg_steps;

  CsrMatrix by_user = BuildInteractionMatrix(train);
  for (float& value : by_user.values) value = ExtraConfidence(value);
  const CsrMatrix by_item = by_user.Transpose();
  std::vector<float> user_lambda(static_cast<size_t>(by_user.rows));
  for (int32_t user_idx = 0; user_idx < by_user.rows; ++user_idx) {
    user_lambda[user_idx] = RowLambda(by_user.row_values(user_idx));
  }
  std::vector<float> item_lambda(static_cast<size_t>(by_item.rows));
  for (int32_t item_idx = 0; item_idx < by_item.rows; ++item_idx) {
    item_lambda[item_idx] = RowLambda(by_item.row_values(item_idx));
  }
  // The first sweep solves the users from the random items, so the users start at 0 (the
  // CG warm start), which costs nothing on millions of users.
  FactorMatrix users(train.num_users, k);
  items_ = FactorMatrix(train.num_items, k);
  items_.FillNormal(static_cast<float>(options_.init_stddev), fit.seed);
  popularity_ = ItemPopularity::Count(train);
  AlignedFloats user_gram;
  ComputeGram(items_, {}, pool, gram_);

  stats_ = IalsFitStats{};
  stats_.threads = pool.size();
  stats_.setup_seconds = Since(setup_start);
  // One Gram matrix of each side per iteration (the items' one also serves the next
  // iteration's user sweep and the fold-in).
  stats_.flops_per_iteration = GramFlops(k, train.num_users) + GramFlops(k, train.num_items) +
                               CgSweepFlops(k, steps, RowsWithEntries(by_user), by_user.nnz()) +
                               CgSweepFlops(k, steps, RowsWithEntries(by_item), by_item.nnz());
  double total_seconds = 0.0;
  double total_cpu_seconds = 0.0;
  for (int iteration = 1; iteration <= options_.iterations; ++iteration) {
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuSeconds();
    CgSweep(by_user, items_, gram_, user_lambda, steps, pool, users);
    const double user_regularization = ComputeGram(users, user_lambda, pool, user_gram);
    const CgSweepResult item_sweep =
        CgSweep(by_item, users, user_gram, item_lambda, steps, pool, items_);
    // The loss of (new users, previous items): the item sweep's entry state. gram_ still
    // holds the previous items' Gram matrix here.
    stats_.loss = item_sweep.observed_loss + FrobeniusDot(user_gram, gram_) + user_regularization +
                  item_sweep.regularization;
    ComputeGram(items_, {}, pool, gram_);
    const double seconds = Since(start);
    total_seconds += seconds;
    total_cpu_seconds += ProcessCpuSeconds() - cpu_start;
    stats_.iterations = iteration;
    stats_.seconds_per_iteration = total_seconds / iteration;
    stats_.cpu_seconds_per_iteration = total_cpu_seconds / iteration;
    if (fit.progress) {
      fit.progress({"ials iteration " + std::to_string(iteration) + "/" +
                        std::to_string(options_.iterations),
                    iteration, options_.iterations,
                    Format("%.3fs", seconds) + Format(", loss %.6g", stats_.loss) +
                        Format(", %.1f GFLOP/s", stats_.flops_per_iteration / seconds / 1e9)});
    }
    if (fit.on_epoch) {
      inverse_norms_ = items_.InverseNorms();
      if (!fit.on_epoch(iteration, *this)) break;
    }
  }
  inverse_norms_ = items_.InverseNorms();
  return OkStatus();
}

bool IalsRecommender::FoldIn(std::span<const Interaction> history, std::vector<float>* user) const {
  const std::vector<SparseEntry> entries = HistoryVector(history, num_items(), /*binary=*/false);
  if (entries.empty()) return false;
  std::vector<int32_t> cols;
  std::vector<float> weights;
  cols.reserve(entries.size());
  weights.reserve(entries.size());
  for (const SparseEntry& entry : entries) {
    cols.push_back(entry.index);
    weights.push_back(ExtraConfidence(entry.value));
  }
  user->assign(static_cast<size_t>(items_.stride()), 0.0f);
  if (!SolveRowExact(items_, gram_, RowLambda(weights), cols, weights, user->data())) {
    return false;
  }
  user->resize(static_cast<size_t>(items_.cols()));
  return true;
}

void IalsRecommender::Score(const Query& query, std::span<float> scores) const {
  std::vector<float> user;
  if (!FoldIn(query.history, &user)) {
    popularity_.Score(/*weighted=*/true, scores);
    return;
  }
  ScoreByDot(items_, user.data(), {}, scores);
}

void IalsRecommender::SimilarItems(int32_t item_idx, std::span<float> scores) const {
  SimilarByCosineOrPopularity(items_, inverse_norms_, popularity_, item_idx, scores);
}

std::string IalsRecommender::Explain(const Query& query, int32_t item_idx) const {
  return ExplainBySimilarHistoryItem(items_, inverse_norms_, popularity_, query.history, item_idx);
}

nlohmann::json IalsRecommender::fit_stats() const {
  if (stats_.iterations == 0) return nlohmann::json::object();
  return {{"iterations", stats_.iterations},
          {"seconds_per_iteration", stats_.seconds_per_iteration},
          {"cpu_seconds_per_iteration", stats_.cpu_seconds_per_iteration},
          {"gflops", stats_.flops_per_iteration / stats_.seconds_per_iteration / 1e9},
          {"flops_per_iteration", stats_.flops_per_iteration},
          {"threads", stats_.threads},
          {"factors", options_.factors},
          {"cg_steps", options_.cg_steps},
          {"setup_seconds", stats_.setup_seconds},
          {"loss", stats_.loss}};
}

Status IalsRecommender::SavePayload(BinaryWriter& out) const {
  items_.Save(out);
  popularity_.Save(out);
  return OkStatus();
}

Status IalsRecommender::LoadPayload(BinaryReader& in) {
  RETURN_IF_ERROR(items_.Load(in));
  RETURN_IF_ERROR(popularity_.Load(in));
  if (items_.cols() != options_.factors) {
    return DataLossError(in.source() + ": corrupt ials payload (" + std::to_string(items_.cols()) +
                         " factors, params say " + std::to_string(options_.factors) + ")");
  }
  if (popularity_.num_items() != items_.rows()) {
    return DataLossError(in.source() + ": corrupt ials payload (popularity of " +
                         std::to_string(popularity_.num_items()) + " items, factors of " +
                         std::to_string(items_.rows()) + ")");
  }
  ThreadPool pool(1);
  PrepareServing(pool);
  stats_ = IalsFitStats{};
  return OkStatus();
}

}  // namespace tailor
