// JSON in and out of the server: request bodies (parsed without exceptions escaping),
// batches of rows, recommendation lists, and response text.
#ifndef TAILOR_SERVE_JSON_IO_H_
#define TAILOR_SERVE_JSON_IO_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rank/catalog.h"
#include "rank/recommend.h"
#include "tailor/status.h"

namespace tailor {

// Most rows accepted in one POST; bulk loads go through `tailor import`.
inline constexpr size_t kMaxRowsPerRequest = 10000;

// Parses a request body. Errors: kInvalidArgument "request body is not valid JSON: ..." with
// the byte offset, also for an empty body.
StatusOr<nlohmann::json> ParseJsonBody(std::string_view body);

// The rows of a POST body that is either one row object or {"<key>": [rows...]} (or a bare
// array of rows). Returned pointers borrow from `body`. Errors: kInvalidArgument when
// `<key>` is not an array or the body is neither form; kResourceExhausted above
// kMaxRowsPerRequest rows.
StatusOr<std::vector<const nlohmann::json*>> BatchRows(const nlohmann::json& body,
                                                       std::string_view key);

// [{"id": ..., "title": ..., "score": ..., "reason": ...}, ...] in list order.
nlohmann::json RecommendationsToJson(const std::vector<Recommendation>& list,
                                     const Catalog& catalog);

// Compact JSON text; invalid UTF-8 in strings is replaced (U+FFFD) instead of throwing.
std::string DumpJson(const nlohmann::json& value);

}  // namespace tailor

#endif  // TAILOR_SERVE_JSON_IO_H_
