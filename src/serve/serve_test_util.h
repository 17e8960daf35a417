// Test helpers for the serve tests: a StatusIs matcher and a private temporary folder.
#ifndef TAILOR_SERVE_SERVE_TEST_UTIL_H_
#define TAILOR_SERVE_SERVE_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <type_traits>

#include "tailor/status.h"

namespace tailor {

// Matches a Status or StatusOr whose code is `code` and whose message matches `message`.
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

// A fresh, empty directory removed when the object goes out of scope.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("tailor_serve_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace tailor

#endif  // TAILOR_SERVE_SERVE_TEST_UTIL_H_
