// Server: tailor's HTTP API over a store and the newest trained model.
//
// One route table (routes.h), one Status -> HTTP mapping (status_http.h), JSON in and out.
// Requests are served by a pool of `threads` workers; the model and the catalog are immutable
// generations swapped whole (model_holder.h, catalog_holder.h), so a request never sees a
// half-loaded model. A poll thread looks for a newer artifact every `poll_seconds` and brings
// the review ranking signals up to date (review_sentiments.h; also once at Start()).
//
//   auto server = Server::Create(*store, options);   // loads the catalog and newest model
//   RETURN_IF_ERROR((*server)->Start());             // returns once listening
//   ... (*server)->port() ...
//   (*server)->Stop();                               // from any thread
//   RETURN_IF_ERROR((*server)->Wait());
#ifndef TAILOR_SERVE_SERVER_H_
#define TAILOR_SERVE_SERVER_H_

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "serve/catalog_holder.h"
#include "serve/handlers.h"
#include "serve/model_holder.h"
#include "serve/search_holder.h"
#include "tailor/status.h"
#include "tailor/store.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace tailor {

struct ServerOptions {
  std::string host = "127.0.0.1";     // loopback unless the shop opens it on purpose
  int port = 8080;                    // 0 = an ephemeral port (see Server::port())
  std::string models_dir;             // where `tailor train` writes artifacts; required
  int history_limit = 200;            // most recent events read per /recommend/{user}
  int new_item_slots = 1;             // default of the lists' new_items (serve/list_params.h)
  int poll_seconds = 2;               // look for a newer artifact this often; 0 = never
  int threads = 8;                    // request worker threads
  size_t max_body_bytes = 16u << 20;  // larger request bodies get 413
  std::string text_model_dir;         // text model for /search's dense channel; empty = BM25
  std::string sentiment_model_dir;    // review sentiment for GET /items/{id}; empty = counts only
  LogFn log;                          // empty = StderrLog()
};

// Thread-safety: Stop() may be called from any thread; the other methods from the owner.
class Server {
 public:
  // Checks the options, loads the catalog and the newest model (no model yet is not an error:
  // /recommend answers 503 until one is trained). Borrows `store`, which must outlive the
  // server. Errors: kInvalidArgument naming a bad option; the store's error.
  static StatusOr<std::unique_ptr<Server>> Create(Store& store, const ServerOptions& options);
  ~Server();  // stops and joins

  // Binds host:port and serves on background threads; returns once the socket listens.
  // Errors: kUnavailable when the address cannot be bound (port in use, bad host),
  // kFailedPrecondition when already started.
  Status Start();
  // The bound port (the ephemeral one when options.port was 0); 0 before Start().
  int port() const { return port_; }
  // Stops accepting, finishes in-flight requests and stops polling. Idempotent.
  void Stop();
  // Blocks until the server stopped. Errors: kInternal when it stopped for another reason
  // than Stop().
  Status Wait();

 private:
  Server(Store& store, ServerOptions options, std::unique_ptr<TextModel> text_model,
         std::unique_ptr<SentimentModel> sentiment_model);
  void RegisterRoutes();
  void PollLoop();
  // Brings the review ranking signals up to date (review_sentiments.h); failures are logged.
  void RefreshReviews();

  const ServerOptions options_;
  const LogFn log_;
  ModelHolder models_;
  CatalogHolder catalogs_;
  SearchHolder searches_;
  ReviewSentiments reviews_;
  Handlers handlers_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;

  std::thread listener_;
  bool listen_ok_ = true;  // written by listener_, read after joining it
  std::thread poller_;
  std::mutex stop_mu_;  // guards stopping_
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace tailor

#endif  // TAILOR_SERVE_SERVER_H_
