// Running the tailor binary from the CLI end-to-end tests (tests/*_test.cc): RunTailor and a
// fixture with a fresh temporary directory per test. Not thread-safe (popen per call).
#ifndef TAILOR_TESTS_CLI_RUNNER_H_
#define TAILOR_TESTS_CLI_RUNNER_H_

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>
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

  // <folder>/Shop.* in the UniSRec format: 30 users, user u buys items (7u + 3p) mod
  // `num_items` for p = 0 .. 3 + u mod 3 (the last two are valid and test targets); item k is
  // "I<100 + k>" with the text text_of(k). Returns the folder's path.
  std::string WriteUniSRecShop(const std::string& folder, int num_items,
                               const std::function<std::string(int)>& text_of) const {
    std::filesystem::create_directories(dir_ / folder);
    const std::string header = "user_id:token\titem_id_list:token_seq\titem_id:token\n";
    std::string train = header, valid = header, test = header, users, items;
    std::string texts = "item_id:token\ttext:token_seq\n";
    for (int item = 0; item < num_items; ++item) {
      const std::string id = "I" + std::to_string(100 + item);
      items += id + "\t" + std::to_string(item) + "\n";
      texts += id + "\t" + text_of(item) + "\n";
    }
    for (int user = 0; user < 30; ++user) {
      users += "U" + std::to_string(user) + "\t" + std::to_string(user) + "\n";
      std::vector<int> sequence;
      for (int pos = 0; pos < 4 + user % 3; ++pos) {
        sequence.push_back((7 * user + 3 * pos) % num_items);
      }
      auto row = [&](size_t target) {
        std::string line = std::to_string(user) + "\t";
        for (size_t pos = 0; pos < target; ++pos) {
          line += (pos ? " " : "") + std::to_string(sequence[pos]);
        }
        return line + "\t" + std::to_string(sequence[target]) + "\n";
      };
      for (size_t target = 1; target + 2 < sequence.size(); ++target) train += row(target);
      valid += row(sequence.size() - 2);
      test += row(sequence.size() - 1);
    }
    Write(folder + "/Shop.train.inter", train);
    Write(folder + "/Shop.valid.inter", valid);
    Write(folder + "/Shop.test.inter", test);
    Write(folder + "/Shop.item2index", items);
    Write(folder + "/Shop.user2index", users);
    Write(folder + "/Shop.text", texts);
    return Path(folder);
  }

  std::filesystem::path dir_;
};

}  // namespace tailor

#endif  // TAILOR_TESTS_CLI_RUNNER_H_
