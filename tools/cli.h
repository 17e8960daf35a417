// Shared plumbing of the tailor CLI: global flags, config, store opening, exit codes.
// Each subcommand lives in its own tools/<name>.cc and registers itself from main.cc.
#ifndef TAILOR_TOOLS_CLI_H_
#define TAILOR_TOOLS_CLI_H_

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "common/config.h"
#include "tailor/status.h"
#include "tailor/store.h"

namespace tailor::cli {

// Exit codes: documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;        // anything unexpected
inline constexpr int kExitUsage = 2;        // bad flags (CLI11)
inline constexpr int kExitBadInput = 3;     // invalid data or arguments (kInvalidArgument)
inline constexpr int kExitNotFound = 4;     // missing file, user, item, model
inline constexpr int kExitNotReady = 5;     // e.g. no trained model yet

struct GlobalOptions {
  std::string data_dir;     // --data; overrides the config's data_dir
  std::string config_path;  // --config; default <data_dir>/tailor.json when it exists
  int threads = 0;          // --threads; 0 = all cores
};

// Reads the config (see common/config.h) with the command-line overrides applied.
StatusOr<Config> ResolveConfig(const GlobalOptions& global);

// Opens the store named by the config (creating the data directory) and registers the
// config's event types and user fields in it.
StatusOr<std::unique_ptr<Store>> OpenConfiguredStore(const Config& config);

// Prints "error: <message>" to stderr and returns the exit code for the status.
int Fail(const Status& status);
int ExitCodeFor(const Status& status);

// Subcommand registration; `exit_code` receives the subcommand's result.
void RegisterGenerate(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterImport(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterStats(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterTrain(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterEvaluate(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterRecommend(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterSimilar(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterSearch(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterServe(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterBenchmark(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterTune(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterTextEncoder(CLI::App& app, GlobalOptions& global, int& exit_code);
void RegisterSentimentModel(CLI::App& app, GlobalOptions& global, int& exit_code);

// Peak resident memory of this process so far, in MiB.
double PeakRssMb();

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_CLI_H_
