// tailor serve: the HTTP API over the store and the newest trained model. Stops cleanly on
// Ctrl-C / SIGTERM.
#include <csignal>
#include <cstdio>

#include "serve/server.h"
#include "tools/cli.h"

namespace tailor::cli {
namespace {

struct ServeArgs {
  std::string host;
  int port = 0;
  std::string text_model;
  std::string sentiment_model;
};

Status RunServe(const GlobalOptions& global, const ServeArgs& args) {
  ASSIGN_OR_RETURN(Config config, ResolveConfig(global));
  ASSIGN_OR_RETURN(auto store, OpenConfiguredStore(config));
  ServerOptions options;
  options.host = args.host.empty() ? config.server.host : args.host;
  options.port = args.port > 0 ? args.port : config.server.port;
  options.models_dir = config.ModelsDir();
  options.history_limit = config.server.history_limit;
  options.new_item_slots = config.server.new_item_slots;
  options.text_model_dir = args.text_model.empty() ? config.TextModelDir() : args.text_model;
  options.sentiment_model_dir =
      args.sentiment_model.empty() ? config.SentimentModelDir() : args.sentiment_model;
  // Block the stop signals in every thread (the server's threads inherit the mask) and wait
  // for them here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ASSIGN_OR_RETURN(auto server, Server::Create(*store, options));
  RETURN_IF_ERROR(server->Start());
  std::printf("tailor serving on http://%s:%d (store %s, models %s); Ctrl-C stops\n",
              options.host.c_str(), server->port(), config.StoreUri().c_str(),
              options.models_dir.c_str());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  std::fprintf(stderr, "signal %d: stopping\n", received);
  server->Stop();
  return server->Wait();
}

}  // namespace

void RegisterServe(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static ServeArgs args;
  auto* cmd = app.add_subcommand(
      "serve", "Serve recommendations over HTTP (127.0.0.1:8080 by default)\n"
               "  example: tailor serve --port 8080 & curl localhost:8080/recommend/u1?n=5");
  cmd->add_option("--host", args.host, "Address to bind (default: config server.host, 127.0.0.1)");
  cmd->add_option("--port,-p", args.port, "Port (default: config server.port, 8080)");
  cmd->add_option("--text-model", args.text_model,
                  "Text model directory for /search's dense channel (default: config "
                  "server.text_model; none = BM25 search)");
  cmd->add_option("--sentiment-model", args.sentiment_model,
                  "Sentiment model directory (tailor sentiment-model) for the review sentiment "
                  "of GET /items/{id} (default: config server.sentiment_model; none = review "
                  "counts only)");
  cmd->callback([&] {
    Status status = RunServe(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
