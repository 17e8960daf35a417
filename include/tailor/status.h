// Status and StatusOr: how every fallible operation in tailor reports failure.
//
// Modelled on absl::Status / leveldb::Status. A Status is a code plus a message that names
// what failed (file:line, field, id) and why. Third-party exceptions (JSON, SQLite, HTTP) are
// caught at the adapter that calls the library and turned into a Status there.
// Thread-safety: values; safe to copy between threads.
#ifndef TAILOR_STATUS_H_
#define TAILOR_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tailor {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from a user or a file
  kNotFound,            // an id, file or route that does not exist
  kAlreadyExists,
  kFailedPrecondition,  // the system is not in a state for this (e.g. no trained model)
  kResourceExhausted,   // would not fit (memory, item-count limits)
  kOutOfRange,
  kUnimplemented,
  kUnavailable,         // transient: busy database, port in use
  kDataLoss,            // truncated or corrupt file
  kAborted,             // stopped on purpose (--strict, interrupted)
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: events.csv:7: field 'timestamp': not a date"
  std::string ToString() const;
  // Returns a copy whose message is prefixed with `context` + ": ".
  Status WithContext(std::string_view context) const;
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExistsError(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPreconditionError(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status ResourceExhaustedError(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status OutOfRangeError(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
inline Status UnimplementedError(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
inline Status UnavailableError(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DataLossError(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status AbortedError(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Either a value or a non-OK Status. Accessing value() of an error is a programmer error.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : data_(status) { assert(!status.ok()); }
  StatusOr(Status&& status) : data_(std::move(status)) { assert(!std::get<Status>(data_).ok()); }
  StatusOr(const T& value) : data_(value) {}
  StatusOr(T&& value) : data_(std::move(value)) {}
  template <typename U>
    requires std::is_convertible_v<U&&, T> && (!std::is_same_v<std::decay_t<U>, Status>)
  StatusOr(U&& value) : data_(T(std::forward<U>(value))) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace tailor

#define TAILOR_CONCAT_INNER_(a, b) a##b
#define TAILOR_CONCAT_(a, b) TAILOR_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::tailor::Status _tailor_status = (expr);      \
    if (!_tailor_status.ok()) return _tailor_status; \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(TAILOR_CONCAT_(_tailor_statusor_, __LINE__), lhs, expr)

#endif  // TAILOR_STATUS_H_
