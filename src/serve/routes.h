// The server's one route table: every endpoint, its method, its path pattern and the handler
// that answers it. The HTTP adapter (server.cc) registers exactly these routes; handlers see
// only ApiRequest / ApiResponse, never the HTTP library.
#ifndef TAILOR_SERVE_ROUTES_H_
#define TAILOR_SERVE_ROUTES_H_

#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tailor/status.h"

namespace tailor {

// A request as handlers see it. Borrowed from the HTTP layer for the duration of the call.
struct ApiRequest {
  std::vector<std::string> path_args;             // the pattern's captures, URL-decoded
  std::multimap<std::string, std::string> query;  // URL-decoded query parameters
  std::string_view body;
};

// A successful answer; errors are a non-OK Status mapped by status_http.h.
struct ApiResponse {
  int http_status = 200;
  nlohmann::json body;
};

class Handlers;

struct Route {
  std::string_view method;   // "GET" or "POST"
  std::string_view pattern;  // ECMAScript regex matched against the whole decoded path
  std::string_view summary;  // one line for logs and docs
  StatusOr<ApiResponse> (Handlers::*handle)(const ApiRequest& request);
};

// All routes, in registration order.
std::span<const Route> RouteTable();

}  // namespace tailor

#endif  // TAILOR_SERVE_ROUTES_H_
