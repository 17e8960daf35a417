// The one mapping from Status to an HTTP answer, used for every error the server returns.
//
//   kInvalidArgument 400, kNotFound 404, kAlreadyExists 409, kFailedPrecondition 409,
//   kResourceExhausted 413, kUnavailable 503 (also: no model trained yet), anything else 500.
//
// Error bodies are always {"error": {"code": "INVALID_ARGUMENT", "message": "..."}}.
#ifndef TAILOR_SERVE_STATUS_HTTP_H_
#define TAILOR_SERVE_STATUS_HTTP_H_

#include <nlohmann/json.hpp>

#include "tailor/status.h"

namespace tailor {

// The HTTP status code for a non-OK status (200 for OK).
int HttpStatusFor(const Status& status);

// {"error": {"code": <StatusCodeName>, "message": <message>}}.
nlohmann::json ErrorJson(const Status& status);

// The error for an HTTP status that the HTTP library produced by itself (no route, payload
// too large, bad request line): 404 -> kNotFound, 405 -> kInvalidArgument, 413 ->
// kResourceExhausted, other 4xx -> kInvalidArgument, 5xx -> kInternal.
Status StatusForHttp(int http_status, std::string message);

}  // namespace tailor

#endif  // TAILOR_SERVE_STATUS_HTTP_H_
