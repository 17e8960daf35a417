#include "eval/tune_trial.h"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace tailor {
namespace {

constexpr std::string_view kMetricForms =
    "expected ndcg@K, recall@K, hr@K, precision@K, map@K, mrr or auc (e.g. ndcg@10)";

StatusOr<double> Measure(const Recommender& model, const Split& valid,
                         const RankingEvalOptions& eval, const std::string& metric) {
  ASSIGN_OR_RETURN(RankingEvalResult result, EvaluateRanking(model, valid, eval));
  auto it = result.metrics.find(metric);
  if (it == result.metrics.end()) {
    return InvalidArgumentError("tune: the evaluator did not report '" + metric + "'");
  }
  return it->second;
}

}  // namespace

StatusOr<TuneMetric> ParseTuneMetric(std::string_view text) {
  auto bad = [&] {
    return InvalidArgumentError("--metric: " + std::string(kMetricForms) + ", got '" +
                                std::string(text) + "'");
  };
  if (text == "mrr" || text == "auc") return TuneMetric{std::string(text), 10};
  const size_t at = text.find('@');
  if (at == std::string_view::npos) return bad();
  const std::string_view base = text.substr(0, at);
  if (base != "ndcg" && base != "recall" && base != "hr" && base != "precision" && base != "map") {
    return bad();
  }
  const std::string_view digits = text.substr(at + 1);
  int k = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
  if (error != std::errc() || end != digits.data() + digits.size() || k <= 0) return bad();
  return TuneMetric{std::string(text), k};
}

StatusOr<TrialOutcome> RunTrial(Recommender& model, const Split& valid,
                                const TrialOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RankingEvalOptions eval = options.eval;
  eval.ks = {options.metric.k};
  eval.curve_max_k = 0;
  eval.progress = nullptr;

  EarlyStopping stopping(options.early_stopping);
  Status epoch_status = OkStatus();
  int epochs_run = 0;
  FitOptions fit = options.fit;
  fit.on_epoch = [&](int epoch, const Recommender& trained) {
    epochs_run = std::max(epochs_run, epoch);
    if (!stopping.ShouldEvaluate(epoch)) return true;
    StatusOr<double> value = Measure(trained, valid, eval, options.metric.name);
    if (!value.ok()) {
      epoch_status = value.status();
      return false;
    }
    return stopping.Observe(epoch, *value);
  };
  RETURN_IF_ERROR(model.Fit(valid.train, fit));
  RETURN_IF_ERROR(epoch_status.WithContext("validation after an epoch"));

  TrialOutcome out;
  out.epochs_run = epochs_run;
  if (epochs_run == 0) {
    ASSIGN_OR_RETURN(out.metric, Measure(model, valid, eval, options.metric.name));
  } else {
    if (stopping.last_epoch() != epochs_run) {
      ASSIGN_OR_RETURN(double value, Measure(model, valid, eval, options.metric.name));
      stopping.Observe(epochs_run, value);
    }
    out.metric = stopping.best_metric();
    out.best_epoch = stopping.best_epoch();
    out.stopped_early = stopping.stopped();
  }
  out.params = model.params();
  if (out.best_epoch > 0 && out.params.is_object()) {
    for (const char* key : {"epochs", "iterations"}) {
      if (out.params.contains(key) && out.params[key].is_number()) out.params[key] = out.best_epoch;
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace tailor
