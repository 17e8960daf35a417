// gmock matchers for tailor::Status, shared by every test binary (tests/ is on their include
// path).
#ifndef TAILOR_TESTS_STATUS_MATCHERS_H_
#define TAILOR_TESTS_STATUS_MATCHERS_H_

#include <string>
#include <type_traits>

#include <gmock/gmock.h>

#include "tailor/status.h"

namespace tailor {

// Matches a Status or StatusOr<T> whose code is `code` and whose message matches
// `message_matcher`, e.g. StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 7")).
MATCHER_P2(StatusIs, code, message_matcher,
           std::string("status ") + std::string(StatusCodeName(code))) {
  const Status status = [&]() -> Status {
    if constexpr (std::is_same_v<std::decay_t<arg_type>, Status>) {
      return arg;
    } else {
      return arg.status();
    }
  }();
  *result_listener << "which is " << status.ToString();
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, status.message(), result_listener);
}

}  // namespace tailor

// ASSERT_OK_AND_ASSIGN(auto x, F()): fails the test with the status unless F() is OK, then
// moves the value into the declaration (in a test body: it returns on failure).
#define TAILOR_STATUS_CONCAT_INNER(a, b) a##b
#define TAILOR_STATUS_CONCAT(a, b) TAILOR_STATUS_CONCAT_INNER(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(TAILOR_STATUS_CONCAT(status_or_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)      \
  auto tmp = (expr);                                   \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();    \
  lhs = std::move(tmp).value()

#endif  // TAILOR_TESTS_STATUS_MATCHERS_H_
