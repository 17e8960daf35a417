// The HTTP adapter: the only file that includes <httplib.h>. It turns httplib requests into
// ApiRequests, handler results (and any exception) into JSON responses, and owns the
// listener and poll threads.
#include "serve/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <regex>
#include <utility>
#include <vector>

#include "serve/json_io.h"
#include "serve/routes.h"
#include "serve/status_http.h"

namespace tailor {
namespace {

constexpr const char* kJsonType = "application/json";

void WriteError(const Status& status, int http_status, httplib::Response& res) {
  res.status = http_status;
  res.set_content(DumpJson(ErrorJson(status)), kJsonType);
}

// The methods whose routes match `path`, e.g. "POST" for GET /events.
std::string AllowedMethods(const std::string& path) {
  static const auto* const kPatterns = [] {
    auto* patterns = new std::vector<std::pair<std::string, std::regex>>();
    for (const Route& route : RouteTable()) {
      patterns->emplace_back(std::string(route.method), std::regex(std::string(route.pattern)));
    }
    return patterns;
  }();
  std::string allowed;
  for (const auto& [method, pattern] : *kPatterns) {
    if (std::regex_match(path, pattern) && allowed.find(method) == std::string::npos) {
      allowed += (allowed.empty() ? "" : ", ") + method;
    }
  }
  return allowed;
}

std::string DescribeException(std::exception_ptr error) {
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return "unknown exception";
}

}  // namespace

Server::Server(Store& store, ServerOptions options, std::unique_ptr<TextModel> text_model,
               std::unique_ptr<SentimentModel> sentiment_model)
    : options_(std::move(options)),
      log_(options_.log ? options_.log : StderrLog()),
      models_(options_.models_dir, log_),
      catalogs_(store),
      searches_(store, catalogs_, std::move(text_model)),
      reviews_(store, std::move(sentiment_model)),
      handlers_(store, models_, catalogs_, searches_, reviews_, options_.history_limit,
                options_.new_item_slots, log_) {}

Server::~Server() {
  Stop();
  Wait().IgnoreError();
}

StatusOr<std::unique_ptr<Server>> Server::Create(Store& store, const ServerOptions& options) {
  auto bad = [](const std::string& field, const std::string& reason) {
    return InvalidArgumentError("server option '" + field + "': " + reason);
  };
  if (options.host.empty()) return bad("host", "empty");
  if (options.port < 0 || options.port > 65535) return bad("port", "expected 0..65535");
  if (options.models_dir.empty()) return bad("models_dir", "empty");
  if (options.history_limit < 1) return bad("history_limit", "expected >= 1");
  if (options.new_item_slots < 0 || options.new_item_slots > 1000) {
    return bad("new_item_slots", "expected 0..1000");
  }
  if (options.poll_seconds < 0) return bad("poll_seconds", "expected >= 0");
  if (options.threads < 1 || options.threads > 1024) return bad("threads", "expected 1..1024");
  if (options.max_body_bytes < 1024) return bad("max_body_bytes", "expected >= 1024");
  std::unique_ptr<TextModel> text_model;
  if (!options.text_model_dir.empty()) {
    auto loaded = TextModel::Load(options.text_model_dir);
    if (!loaded.ok()) {
      return loaded.status().WithContext("server option 'text_model_dir'");
    }
    text_model = std::move(loaded).value();
  }
  std::unique_ptr<SentimentModel> sentiment_model;
  if (!options.sentiment_model_dir.empty()) {
    auto loaded = SentimentModel::Load(options.sentiment_model_dir);
    if (!loaded.ok()) {
      return loaded.status().WithContext("server option 'sentiment_model_dir'");
    }
    sentiment_model = std::move(loaded).value();
  }
  std::unique_ptr<Server> server(
      new Server(store, options, std::move(text_model), std::move(sentiment_model)));
  RETURN_IF_ERROR(server->catalogs_.Reload());
  // Build the search index (and embed the catalog's texts) now rather than on the first query.
  if (auto search = server->searches_.Current(); !search.ok()) {
    server->log_("search index: " + search.status().ToString());
  }
  // No model yet is a normal state (logged by the holder): /recommend answers 503 until
  // `tailor train` writes one.
  server->models_.Reload().status().IgnoreError();
  return server;
}

void Server::RegisterRoutes() {
  for (const Route& route : RouteTable()) {
    auto handle = [this, &route](const httplib::Request& req, httplib::Response& res) {
      ApiRequest request;
      for (size_t match_idx = 1; match_idx < req.matches.size(); ++match_idx) {
        request.path_args.push_back(req.matches[match_idx].str());
      }
      request.query.insert(req.params.begin(), req.params.end());
      request.body = req.body;
      StatusOr<ApiResponse> result = InternalError("no answer");
      try {
        result = (handlers_.*route.handle)(request);
      } catch (const std::exception& e) {
        result = InternalError(std::string("unexpected exception: ") + e.what());
      } catch (...) {
        result = InternalError("unexpected exception");
      }
      if (!result.ok()) {
        const Status& status = result.status();
        const int http_status = HttpStatusFor(status);
        // Expected failures (a broken artifact, no model yet) are logged where they happen.
        if (status.code() == StatusCode::kInternal) {
          log_(req.method + " " + req.path + ": " + status.ToString());
        }
        if (status.code() == StatusCode::kUnavailable) {
          res.set_header("Retry-After", std::to_string(std::max(1, options_.poll_seconds)));
        }
        WriteError(status, http_status, res);
        return;
      }
      res.status = result->http_status;
      res.set_content(DumpJson(result->body), kJsonType);
    };
    const std::string pattern(route.pattern);
    if (route.method == "GET") {
      http_->Get(pattern, handle);
    } else {
      http_->Post(pattern, handle);
    }
  }
  // Answers the library produced by itself (no route, body too large, bad request line) get
  // the same JSON error shape; bodies the handlers wrote are left alone.
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
          std::string allowed = AllowedMethods(req.path);
          if (!allowed.empty()) {
            res.set_header("Allow", allowed);
            WriteError(InvalidArgumentError("method " + req.method + " is not allowed on " +
                                            req.path + "; use " + allowed),
                       405, res);
            return httplib::Server::HandlerResponse::Handled;
          }
          WriteError(NotFoundError("no route for " + req.method + " " + req.path +
                                   " (see GET /health, /recommend/{user}, /similar/{item}, "
                                   "POST /recommend, /events, /items, /users, /admin/reload)"),
                     404, res);
          return httplib::Server::HandlerResponse::Handled;
        }
        std::string message = "HTTP " + std::to_string(res.status);
        if (res.status == 413) {
          message = "request body larger than " + std::to_string(options_.max_body_bytes) +
                    " bytes; use `tailor import` for bulk loads";
        }
        WriteError(StatusForHttp(res.status, message), res.status, res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
        Status status = InternalError("unexpected exception: " + DescribeException(error));
        log_(req.method + " " + req.path + ": " + status.ToString());
        WriteError(status, 500, res);
      });
}

Status Server::Start() {
  if (http_) return FailedPreconditionError("the server was already started");
  http_ = std::make_unique<httplib::Server>();
  RegisterRoutes();
  http_->set_payload_max_length(options_.max_body_bytes);
  // SO_REUSEADDR only: the library's default adds SO_REUSEPORT, which would let a second
  // server silently share the port instead of failing to start.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // The response head and body are separate writes: without TCP_NODELAY, Nagle holds the body
  // until the client's delayed ACK, adding ~40 ms to every request.
  http_->set_tcp_nodelay(true);
  const int threads = options_.threads;
  http_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  const std::string address = options_.host + ":" + std::to_string(options_.port);
  errno = 0;
  int bound = -1;
  if (options_.port == 0) {
    bound = http_->bind_to_any_port(options_.host);
  } else if (http_->bind_to_port(options_.host, options_.port)) {
    bound = options_.port;
  }
  if (bound <= 0) {
    const int error = errno;
    http_.reset();
    return UnavailableError("cannot listen on " + address + ": " +
                            (error != 0 ? std::strerror(error) : "bind failed") +
                            " (is another server using the port? is the host an address of "
                            "this machine?)");
  }
  port_ = bound;
  RefreshReviews();
  auto listener_done = std::make_shared<std::atomic<bool>>(false);
  listener_ = std::thread([this, listener_done] {
    listen_ok_ = http_->listen_after_bind();
    listener_done->store(true);
  });
  // The socket already listens (connections queue in the backlog); waiting for the accept
  // loop makes a Stop() right after Start() reliable.
  while (!http_->is_running() && !listener_done->load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (options_.poll_seconds > 0) poller_ = std::thread([this] { PollLoop(); });
  return OkStatus();
}

void Server::RefreshReviews() {
  const auto start = std::chrono::steady_clock::now();
  StatusOr<int64_t> summarized = reviews_.Refresh();
  if (!summarized.ok()) {
    log_("review signals not refreshed: " + summarized.status().ToString());
  } else if (*summarized > 0) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log_("review signals: " + std::to_string(*summarized) + " items summarized in " +
         std::to_string(seconds) + " s (" + std::to_string(reviews_.classified_reviews()) +
         " reviews classified so far)");
  }
}

void Server::PollLoop() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, std::chrono::seconds(options_.poll_seconds),
                            [this] { return stopping_; })) {
    lock.unlock();
    auto swapped = models_.Reload();  // failures are logged by the holder
    // A new model usually follows an import: its items must be in the catalog too.
    if ((swapped.ok() && *swapped) || catalogs_.stale()) {
      if (Status reloaded = catalogs_.Reload(); !reloaded.ok()) log_(reloaded.ToString());
    }
    RefreshReviews();
    lock.lock();
  }
}

void Server::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (http_) http_->stop();
}

Status Server::Wait() {
  if (listener_.joinable()) listener_.join();
  if (poller_.joinable()) poller_.join();
  if (!listen_ok_) {
    return InternalError("the server on " + options_.host + ":" + std::to_string(port_) +
                         " stopped unexpectedly (accept failed)");
  }
  return OkStatus();
}

}  // namespace tailor
