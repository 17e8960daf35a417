// `tailor benchmark --seeds N --variants ...`: one fit per seed evaluated with every protocol
// variant, mean/std/per-seed values in the JSON's "variants", "metrics" = the first variant's
// mean.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
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

class BenchmarkSeedsTest : public CliTest {
 protected:
  // toy/Toy.txt in the S3-Rec format ("user item item ..."): 12 users with 5-8 distinct items
  // out of 20 from a pattern with overlaps, so item-knn has co-occurrences to learn from.
  std::string WriteToyDataset() {
    std::filesystem::create_directories(dir_ / "toy");
    std::string text;
    for (int user = 1; user <= 12; ++user) {
      text += std::to_string(user);
      const int length = 5 + user % 4;
      for (int pos = 0; pos < length; ++pos) {
        text += " " + std::to_string(1 + (user * 3 + pos * (1 + user % 3)) % 20);
      }
      text += "\n";
    }
    Write("toy/Toy.txt", text);
    return Path("toy");
  }

  nlohmann::json ReadJson(const std::string& name) {
    std::ifstream in(Path(name));
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }
};

TEST_F(BenchmarkSeedsTest, TwoSeedsThreeVariants) {
  const std::string dataset = WriteToyDataset();
  RunResult r = RunTailor("benchmark --dataset " + dataset +
                          " --model item-knn --seeds 2 --variants excluded,kept,sampled-10 "
                          "--seed 7 --json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;

  EXPECT_EQ(out["seeds"], nlohmann::json({7, 8}));
  EXPECT_EQ(out["seed"], 7);
  ASSERT_TRUE(out["variants"].is_object());
  ASSERT_EQ(out["variants"].size(), 3u);
  for (const char* name : {"excluded", "kept", "sampled-10"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(out["variants"].contains(name));
    const nlohmann::json& variant = out["variants"][name];
    ASSERT_EQ(variant["per_seed"].size(), 2u);
    const double first = variant["per_seed"][0]["ndcg@10"].get<double>();
    const double second = variant["per_seed"][1]["ndcg@10"].get<double>();
    EXPECT_NEAR(variant["mean"]["ndcg@10"].get<double>(), (first + second) / 2.0, 1e-12);
    // Sample std of two values: |a - b| / sqrt(2).
    EXPECT_NEAR(variant["std"]["ndcg@10"].get<double>(), std::abs(first - second) / std::sqrt(2.0),
                1e-12);
    for (const auto& [metric, spread] : variant["std"].items()) {
      EXPECT_GE(spread.get<double>(), 0.0) << metric;
    }
    EXPECT_THAT(variant["protocol"].get<std::string>(), HasSubstr("mean over 2 seeds 7..8"));
  }
  EXPECT_THAT(out["variants"]["excluded"]["protocol"].get<std::string>(),
              HasSubstr("seen items excluded"));
  EXPECT_THAT(out["variants"]["kept"]["protocol"].get<std::string>(),
              HasSubstr("seen items kept"));
  EXPECT_THAT(out["variants"]["sampled-10"]["protocol"].get<std::string>(),
              HasSubstr("sampled-10"));
  // item-knn is deterministic: the two full-ranking fits agree, the sampled negatives do not
  // have to.
  EXPECT_EQ(out["variants"]["kept"]["std"]["ndcg@10"].get<double>(), 0.0);

  // The first variant is what the existing keys report.
  EXPECT_EQ(out["metrics"], out["variants"]["excluded"]["mean"]);
  EXPECT_EQ(out["seen_items"], "excluded");
  EXPECT_EQ(out["protocol"], out["variants"]["excluded"]["protocol"]);
  ASSERT_EQ(out["train_seconds_per_seed"].size(), 2u);
  ASSERT_EQ(out["fit_stats_per_seed"].size(), 2u);
  EXPECT_NEAR(out["train_seconds"].get<double>(),
              (out["train_seconds_per_seed"][0].get<double>() +
               out["train_seconds_per_seed"][1].get<double>()) / 2.0,
              1e-12);
  EXPECT_TRUE(out.contains("fit_stats"));

  // The stderr table: one row per variant with the number of seeds.
  EXPECT_THAT(r.output, HasSubstr("variant"));
  EXPECT_THAT(r.output, HasSubstr("±"));
  EXPECT_THAT(r.output, ::testing::ContainsRegex("sampled-10 +2 "));
}

TEST_F(BenchmarkSeedsTest, OneSeedOneVariantKeepsTheOldShape) {
  const std::string dataset = WriteToyDataset();
  RunResult r = RunTailor("benchmark --dataset " + dataset + " --model item-knn --exclude-seen "
                          "--json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_FALSE(out.contains("variants"));
  EXPECT_FALSE(out.contains("seeds"));
  EXPECT_EQ(out["seen_items"], "excluded");
  EXPECT_THAT(out["protocol"].get<std::string>(), HasSubstr("seen items excluded"));
  EXPECT_TRUE(out["metrics"].contains("ndcg@10"));
}

TEST_F(BenchmarkSeedsTest, CheckpointFolderPerSeed) {
  const std::string dataset = WriteToyDataset();
  RunResult r = RunTailor("benchmark --dataset " + dataset + " --model popularity --seeds 2 "
                          "--checkpoint-dir " + Path("ckpt"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::is_directory(Path("ckpt/seed-42")));
  EXPECT_TRUE(std::filesystem::is_directory(Path("ckpt/seed-43")));
}

TEST_F(BenchmarkSeedsTest, BadVariantsAreRejected) {
  const std::string dataset = WriteToyDataset();
  RunResult unknown = RunTailor("benchmark --dataset " + dataset + " --variants kept,best");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.output, HasSubstr("unknown variant 'best'"));
  RunResult zero = RunTailor("benchmark --dataset " + dataset + " --variants sampled-0");
  EXPECT_NE(zero.exit_code, 0);
  EXPECT_THAT(zero.output, HasSubstr("sampled-N needs N > 0"));
  RunResult twice = RunTailor("benchmark --dataset " + dataset + " --variants kept,kept");
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_THAT(twice.output, HasSubstr("'kept' listed twice"));
  RunResult both = RunTailor("benchmark --dataset " + dataset + " --sampled 5 --variants kept");
  EXPECT_NE(both.exit_code, 0);
  EXPECT_THAT(both.output, HasSubstr("--sampled with --variants"));
  RunResult no_seeds = RunTailor("benchmark --dataset " + dataset + " --seeds 0");
  EXPECT_NE(no_seeds.exit_code, 0);
  EXPECT_THAT(no_seeds.output, HasSubstr("--seeds: expected >= 1"));
}

}  // namespace
