// tailor: the command-line interface. `tailor --help` lists the subcommands; every subcommand
// has its own --help with examples.
#include <CLI/CLI.hpp>

#include "tools/cli.h"

int main(int argc, char** argv) {
  using namespace tailor::cli;
  CLI::App app{
      "tailor: a self-hosted personalized shopping recommendation engine.\n"
      "Typical flow: tailor generate --out shop && tailor import shop/items.jsonl shop/users.jsonl "
      "shop/events.csv && tailor train --model item-knn && tailor serve",
      "tailor"};
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--data", global.data_dir,
                 "Data directory holding tailor.db, models/ and tailor.json (default tailor-data)");
  app.add_option("--config", global.config_path,
                 "Config file (JSON); default <data>/tailor.json when it exists");
  app.add_option("--threads", global.threads, "Worker threads; 0 = all cores")->default_val(0);
  int exit_code = kExitOk;
  RegisterGenerate(app, global, exit_code);
  RegisterImport(app, global, exit_code);
  RegisterStats(app, global, exit_code);
  RegisterTrain(app, global, exit_code);
  RegisterEvaluate(app, global, exit_code);
  RegisterRecommend(app, global, exit_code);
  RegisterSimilar(app, global, exit_code);
  RegisterSearch(app, global, exit_code);
  RegisterServe(app, global, exit_code);
  RegisterBenchmark(app, global, exit_code);
  RegisterTune(app, global, exit_code);
  RegisterTextEncoder(app, global, exit_code);
  RegisterSentimentModel(app, global, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  return exit_code;
}
