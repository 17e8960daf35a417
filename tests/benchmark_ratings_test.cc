// `tailor benchmark` on a MovieLens folder: rating models get the 5-fold u1..u5 RMSE/MAE
// protocol, ranking models keep the leave-one-out ranking protocol.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace {

using ::testing::HasSubstr;

using ::tailor::CliTest;
using ::tailor::RunResult;
using ::tailor::RunTailor;

class BenchmarkRatingsTest : public CliTest {
 protected:
  // ml-100k/ with u.data (8 users x 6 items, every pair rated) and u1..u5 base/test files:
  // rating number n (in u.data order) is a test rating of fold n % 5 + 1.
  std::string WriteMovieLens() {
    std::string all;
    std::string base[5], test[5];
    int n = 0;
    for (int user = 1; user <= 8; ++user) {
      for (int item = 1; item <= 6; ++item, ++n) {
        const int stars = 1 + (user * item + user) % 5;
        const std::string line = std::to_string(user) + "\t" + std::to_string(item) + "\t" +
                                 std::to_string(stars) + "\t" + std::to_string(880000000 + n) +
                                 "\n";
        all += line;
        for (int fold = 0; fold < 5; ++fold) (n % 5 == fold ? test : base)[fold] += line;
      }
    }
    Write("ml-100k/u.data", all);
    for (int fold = 0; fold < 5; ++fold) {
      Write("ml-100k/u" + std::to_string(fold + 1) + ".base", base[fold]);
      Write("ml-100k/u" + std::to_string(fold + 1) + ".test", test[fold]);
    }
    return Path("ml-100k");
  }

  void SetUp() override {
    CliTest::SetUp();
    std::filesystem::create_directories(dir_ / "ml-100k");
  }
};

TEST_F(BenchmarkRatingsTest, RatingModelRunsTheFiveFolds) {
  const std::string dataset = WriteMovieLens();
  RunResult r = RunTailor("benchmark --dataset " + dataset +
                          " --model mf --params '{\"factors\": 4, \"epochs\": 5}' --json " +
                          Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(Path("out.json"));
  const nlohmann::json out = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_THAT(out["protocol"].get<std::string>(), HasSubstr("u1..u5"));
  ASSERT_EQ(out["folds"].size(), 5u);
  double rmse_sum = 0.0;
  for (const auto& fold : out["folds"]) {
    EXPECT_GT(fold["rmse"].get<double>(), 0.0);
    EXPECT_GE(fold["rmse"].get<double>(), fold["mae"].get<double>());
    EXPECT_EQ(fold["test_ratings"].get<int>() + fold["train_ratings"].get<int>(), 48);
    rmse_sum += fold["rmse"].get<double>();
  }
  EXPECT_NEAR(out["metrics"]["rmse"].get<double>(), rmse_sum / 5.0, 1e-9);
  EXPECT_EQ(out["folds"][0]["fold"], "u1");
  EXPECT_EQ(out["params"]["factors"], 4);
}

TEST_F(BenchmarkRatingsTest, RankingModelKeepsTheRankingProtocol) {
  const std::string dataset = WriteMovieLens();
  RunResult r = RunTailor("benchmark --dataset " + dataset + " --model item-knn");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("leave-one-out"));
  EXPECT_THAT(r.output, HasSubstr("recall@10"));
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("\"rmse\"")));
}

TEST_F(BenchmarkRatingsTest, BadFoldFileNamesFileAndLine) {
  const std::string dataset = WriteMovieLens();
  Write("ml-100k/u3.test", "1\t1\t5\t880000000\n1\t2\n");
  RunResult r = RunTailor("benchmark --dataset " + dataset + " --model mf");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("u3.test:2"));
}

}  // namespace
