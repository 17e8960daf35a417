// Running the tailor binary from the CLI end-to-end tests (tests/*_test.cc): RunTailor and a
// fixture with a fresh temporary directory per test. Not thread-safe (popen per call).
#ifndef TAILOR_TESTS_CLI_RUNNER_H_
#define TAILOR_TESTS_CLI_RUNNER_H_

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace tailor {

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `<build dir>/tailor <args>` through the shell (quote arguments yourself).
inline RunResult RunTailor(const std::string& args) {
  std::string cmd = std::string(TAILOR_BINARY_DIR) + "/tailor " + args + " 2>&1";
  RunResult result;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A fresh directory per test, removed afterwards; Data() is the --data flag for it.
class CliTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tailor_cli_test_" + std::to_string(::getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Data() const { return "--data " + (dir_ / "data").string() + " "; }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
  }

  std::filesystem::path dir_;
};

}  // namespace tailor

#endif  // TAILOR_TESTS_CLI_RUNNER_H_
