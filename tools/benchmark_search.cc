#include "tools/benchmark_search.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "dataset/splits.h"
#include "eval/metrics.h"
#include "eval/report.h"
#include "common/progress.h"
#include "eval/search_queries.h"
#include "rank/product_search.h"
#include "tools/experiment.h"

namespace tailor::cli {
namespace {

constexpr int kCutoff = 10;

// Running sums of one method's per-query metrics.
struct MethodTally {
  std::string name;
  std::string description;
  double mrr = 0, recall = 0, ndcg = 0;
  size_t queries = 0;

  void Add(const std::vector<int32_t>& ranked, int32_t relevant) {
    const auto at = std::find(ranked.begin(), ranked.end(), relevant);
    const int64_t rank = at == ranked.end() ? kUnranked : at - ranked.begin();
    const int64_t ranks[] = {rank};
    mrr += rank < kCutoff ? ReciprocalRank(ranks) : 0.0;
    recall += RecallAtK(ranks, kCutoff);
    ndcg += NdcgAtK(ranks, kCutoff);
    ++queries;
  }
  nlohmann::json Metrics() const {
    const double n = std::max<double>(1.0, static_cast<double>(queries));
    return {{"mrr@10", mrr / n}, {"recall@10", recall / n}, {"ndcg@10", ndcg / n}};
  }
};

std::vector<int32_t> ItemsOf(const std::vector<SearchResult>& results) {
  std::vector<int32_t> items;
  for (const SearchResult& result : results) items.push_back(result.item);
  return items;
}

double Quantile(const std::vector<double>& sorted, double quantile) {
  return sorted.empty() ? 0.0 : sorted[static_cast<size_t>(quantile * (sorted.size() - 1))];
}

// Every method's metrics on one query set, and the full search's latencies.
struct QuerySetResult {
  Status status;
  std::vector<MethodTally> methods;  // bm25, [dense], hybrid, tailor (the last = "metrics")
  std::vector<double> millis;        // sorted
  double seconds = 0;

  nlohmann::json Baselines() const {
    nlohmann::json baselines = nlohmann::json::object();
    for (size_t method_idx = 0; method_idx + 1 < methods.size(); ++method_idx) {
      nlohmann::json entry = methods[method_idx].Metrics();
      entry["description"] = methods[method_idx].description;
      baselines[methods[method_idx].name] = entry;
    }
    return baselines;
  }
  void PrintTable(const std::string& title) const {
    std::fprintf(stderr, "%s\n%-8s  %-8s  %-9s  %-8s\n", title.c_str(), "method", "mrr@10",
                 "recall@10", "ndcg@10");
    for (const MethodTally& method : methods) {
      const nlohmann::json metrics = method.Metrics();
      std::fprintf(stderr, "%-8s  %-8.4f  %-9.4f  %-8.4f%s\n", method.name.c_str(),
                   metrics["mrr@10"].get<double>(), metrics["recall@10"].get<double>(),
                   metrics["ndcg@10"].get<double>(),
                   &method == &methods.back() ? "  (* metrics)" : "");
    }
  }
};

QuerySetResult EvaluateQueries(const std::vector<SearchQueryCase>& cases,
                               const ProductSearch& search, const ProductSearch* dense_only,
                               const Recommender& model, const Split& split,
                               const std::string& hybrid_description,
                               const std::string& full_description) {
  MethodTally bm25{"bm25", "BM25 (k1 1.2, b 0.75) over title + item text, nothing else"};
  MethodTally dense{"dense", "cosine of the text model's query and item embeddings alone"};
  MethodTally hybrid{"hybrid", hybrid_description};
  MethodTally full{"tailor", full_description};
  QuerySetResult result;
  const auto start_all = std::chrono::steady_clock::now();
  for (const SearchQueryCase& query_case : cases) {
    std::vector<int32_t> lexical;
    for (const ScoredItem& scored : search.LexicalOnly(query_case.query, kCutoff)) {
      lexical.push_back(scored.item);
    }
    bm25.Add(lexical, query_case.item);
    SearchRequest request;
    request.query = query_case.query;
    request.user = Query{query_case.user, split.train.user(query_case.user)};
    request.n = kCutoff;
    auto without_model = search.Search(request);
    if (!without_model.ok()) {
      result.status = without_model.status().WithContext("query '" + query_case.query + "'");
      return result;
    }
    hybrid.Add(ItemsOf(*without_model), query_case.item);
    if (dense_only != nullptr) {
      auto dense_results = dense_only->Search(request);
      if (dense_results.ok()) dense.Add(ItemsOf(*dense_results), query_case.item);
    }
    request.model = &model;
    const auto start = std::chrono::steady_clock::now();
    auto with_model = search.Search(request);
    result.millis.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (with_model.ok()) full.Add(ItemsOf(*with_model), query_case.item);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_all).count();
  std::sort(result.millis.begin(), result.millis.end());
  result.methods.push_back(bm25);
  if (dense_only != nullptr) result.methods.push_back(dense);
  result.methods.push_back(hybrid);
  result.methods.push_back(full);
  return result;
}

}  // namespace

Status RunSearchBenchmark(const GlobalOptions& global, const SearchBenchmarkArgs& args) {
  ASSIGN_OR_RETURN(LoadedDataset loaded,
                   LoadDatasetFolder(args.dataset, args.format, {.item_texts = true},
                                     /*with_catalog=*/true));
  const Dataset& dataset = loaded.dataset;
  std::shared_ptr<const Catalog> catalog = loaded.catalog;
  if (catalog->size() != dataset.num_items()) {
    return InternalError("the catalog has " + std::to_string(catalog->size()) +
                         " items, the dataset " + std::to_string(dataset.num_items()));
  }
  const Split split = SplitLeaveOneOut(dataset.histories).test;
  const SearchQueryOptions query_options{.title_words = 3, .max_queries = args.queries,
                                         .seed = args.seed};
  const std::vector<SearchQueryCase> cases = BuildSearchQueries(*catalog, split, query_options);
  if (cases.empty()) {
    return InvalidArgumentError(args.dataset +
                                ": no test item has a title, so no search query can be built");
  }
  ASSIGN_OR_RETURN(FittedModel fitted,
                   FitNamedModel(args.model, args.params, split.train, global.threads, args.seed,
                                 "", &dataset));

  std::unique_ptr<TextModel> text_model;
  FactorMatrix item_embeddings;
  nlohmann::json text_stats;
  if (!args.text_model.empty()) {
    ASSIGN_OR_RETURN(text_model, TextModel::Load(args.text_model));
    const auto start = std::chrono::steady_clock::now();
    ConsoleProgress progress;
    ASSIGN_OR_RETURN(item_embeddings,
                     text_model->EmbedAll(dataset.item_texts, global.threads, progress.AsFn()));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    text_stats = {{"text_model", args.text_model},
                  {"embed_seconds", seconds},
                  {"embed_items_per_second", item_embeddings.rows() / std::max(1e-9, seconds)}};
  }
  const SearchOptions options;
  ASSIGN_OR_RETURN(auto search, ProductSearch::Create(catalog, dataset.item_texts,
                                                      text_model.get(), item_embeddings, options));
  std::unique_ptr<ProductSearch> dense_only;
  if (text_model) {
    SearchOptions dense_options;
    dense_options.lexical_weight = 0;
    dense_options.brand_weight = 0;
    dense_options.category_weight = 0;
    dense_options.personal_weight = 0;
    dense_options.dense_weight = 1;
    ASSIGN_OR_RETURN(dense_only, ProductSearch::Create(catalog, dataset.item_texts,
                                                       text_model.get(), item_embeddings,
                                                       dense_options));
  }

  const std::string full_description =
      "tailor search: the hybrid + personal re-ranking by " + args.model +
      " on the user's training history";
  const std::string hybrid_description =
      std::string("tailor search without the behaviour model: ") +
      (text_model ? "BM25 + dense" : "BM25") +
      " fused, brand/category boosts, price/brand constraints";
  QuerySetResult main_set = EvaluateQueries(cases, *search, dense_only.get(),
                                            *fitted.model, split, hybrid_description,
                                            full_description);
  const SearchQueryOptions vague_options{.title_words = 2, .brand = false, .category = true,
                                         .max_queries = args.queries, .seed = args.seed + 1};
  const std::vector<SearchQueryCase> vague_cases =
      BuildSearchQueries(*catalog, split, vague_options);
  QuerySetResult vague_set = EvaluateQueries(vague_cases, *search, dense_only.get(),
                                             *fitted.model, split, hybrid_description,
                                             full_description);
  RETURN_IF_ERROR(main_set.status);
  RETURN_IF_ERROR(vague_set.status);
  const std::vector<double>& millis = main_set.millis;
  const double eval_seconds = main_set.seconds + vague_set.seconds;

  nlohmann::json out = DatasetJson(args.dataset, loaded);
  out["protocol"] = DescribeSearchQueries(query_options, cases.size()) +
                    "; top 10 of tailor search (rank/product_search.h), metrics @10";
  out["model"] = "search";
  out["method"] = full_description;
  out["behaviour_model"] = args.model;
  out["metrics"] = main_set.methods.back().Metrics();
  out["baselines"] = main_set.Baselines();
  out["queries"] = cases.size();
  out["vague_queries"] = {{"protocol", DescribeSearchQueries(vague_options, vague_cases.size())},
                          {"metrics", vague_set.methods.back().Metrics()},
                          {"baselines", vague_set.Baselines()}};
  out["example_queries"] = nlohmann::json::array();
  for (size_t case_idx = 0; case_idx < std::min<size_t>(3, cases.size()); ++case_idx) {
    out["example_queries"].push_back(cases[case_idx].query);
    if (case_idx < vague_cases.size()) out["example_queries"].push_back(vague_cases[case_idx].query);
  }
  out["options"] = {{"candidates", options.candidates},
                    {"lexical_weight", options.lexical_weight},
                    {"dense_weight", options.dense_weight},
                    {"brand_weight", options.brand_weight},
                    {"category_weight", options.category_weight},
                    {"personal_weight", options.personal_weight}};
  if (text_model) {
    out["text_source"] = text_stats;
  } else {
    out["note"] = "no --text-model: the dense channel is off (lexical search only)";
  }
  out["latency_ms"] = {{"what", "ProductSearch::Search() with the behaviour model, in process, "
                                "one thread, top 10"},
                       {"requests", millis.size()},
                       {"items", catalog->size()},
                       {"p50", Quantile(millis, 0.5)},
                       {"p90", Quantile(millis, 0.9)},
                       {"p99", Quantile(millis, 0.99)},
                       {"max", millis.empty() ? 0.0 : millis.back()}};
  out["train_seconds"] = fitted.train_seconds;
  out["eval_seconds"] = eval_seconds;
  ASSIGN_OR_RETURN(const std::string text, FinishReport(out, args.seed, args.json_out));

  std::fprintf(stderr, "protocol: %s\n", out["protocol"].get<std::string>().c_str());
  main_set.PrintTable("queries: title words + brand + category");
  vague_set.PrintTable("vague queries: two title words + category (" +
                       std::to_string(vague_cases.size()) + ")");
  std::fprintf(stderr, "search latency: p50 %.3f ms, p99 %.3f ms over %zu queries, %d items\n",
               Quantile(millis, 0.5), Quantile(millis, 0.99), millis.size(), catalog->size());
  std::printf("%s\n", text.c_str());
  return OkStatus();
}

}  // namespace tailor::cli
