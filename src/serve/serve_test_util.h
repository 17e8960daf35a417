// Test helpers for the serve tests: a private temporary folder (StatusIs comes from
// tests/status_matchers.h).
#ifndef TAILOR_SERVE_SERVE_TEST_UTIL_H_
#define TAILOR_SERVE_SERVE_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <type_traits>

#include "tailor/status.h"
#include "status_matchers.h"

namespace tailor {


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
