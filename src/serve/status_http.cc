#include "serve/status_http.h"

#include <string>
#include <utility>

namespace tailor {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kOutOfRange:
    case StatusCode::kUnimplemented:
    case StatusCode::kDataLoss:
    case StatusCode::kAborted:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

nlohmann::json ErrorJson(const Status& status) {
  return {{"error",
           {{"code", std::string(StatusCodeName(status.code()))}, {"message", status.message()}}}};
}

Status StatusForHttp(int http_status, std::string message) {
  if (http_status == 404) return NotFoundError(std::move(message));
  if (http_status == 413) return ResourceExhaustedError(std::move(message));
  if (http_status >= 400 && http_status < 500) return InvalidArgumentError(std::move(message));
  return InternalError(std::move(message));
}

}  // namespace tailor
