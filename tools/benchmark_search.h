// tailor benchmark --protocol search: natural-language search measured with queries built from
// held-out purchases. Per evaluated user (seeded sample), the leave-one-out test target is held
// out of the behaviour model's training; its query is a three-word window of its title, its
// brand and its deepest category; every catalog item is ranked and the target is the one
// relevant result. Methods: BM25 alone (the baseline), tailor's hybrid without the behaviour
// model, tailor's full search (hybrid + personal re-ranking: the JSON's "metrics"), and the
// dense channel alone when a text model is given.
#ifndef TAILOR_TOOLS_BENCHMARK_SEARCH_H_
#define TAILOR_TOOLS_BENCHMARK_SEARCH_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "tailor/status.h"
#include "tools/cli.h"

namespace tailor::cli {

struct SearchBenchmarkArgs {
  std::string dataset;     // folder or file (format detected unless `format` says)
  std::string format = "auto";
  std::string model = "popularity";  // behaviour model for personal re-ranking
  nlohmann::json params = nlohmann::json::object();  // its params ({} = defaults)
  std::string text_model;  // text model directory for the dense channel; empty = lexical only
  int queries = 2000;      // users sampled (each gives one query); <= 0 = every test user
  uint64_t seed = 42;      // the sample and the model's fit
  std::string json_out;    // also write the JSON here
};

// Runs the protocol above, prints the table to stderr and the JSON to stdout. Errors: the
// dataset's and the model's; kInvalidArgument when no evaluated item has a title.
Status RunSearchBenchmark(const GlobalOptions& global, const SearchBenchmarkArgs& args);

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_BENCHMARK_SEARCH_H_
