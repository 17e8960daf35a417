// End-to-end tests of `tailor tune`: the trial table, the tuned params file, `tailor train`
// picking it up (and saying so), the --dataset path and the exit codes.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace tailor {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
}

class TuneCliTest : public CliTest {
 protected:
  // A generated tiny shop imported into the test's data dir.
  void ImportTinyShop() {
    const std::string shop = Path("shop");
    ASSERT_EQ(RunTailor("generate --preset tiny --seed 3 --out " + shop).exit_code, 0);
    RunResult imported = RunTailor(Data() + "import " + shop + "/items.jsonl " + shop +
                                   "/users.jsonl " + shop + "/events.csv");
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
  }
};

TEST_F(TuneCliTest, TunedParamsAreWrittenAndUsedByTrain) {
  ImportTinyShop();
  RunResult tuned = RunTailor(Data() + "tune --model item-knn --trials 3 --json " + Path("trials.json"));
  ASSERT_EQ(tuned.exit_code, 0) << tuned.output;
  // The table: a header with the searched params and the metric, trial 1 = the defaults
  // (neighbors 100, shrink 10), and exactly one best row marked "*" in the final table.
  EXPECT_THAT(tuned.output, ContainsRegex("trial +origin +neighbors +shrink +ndcg@10 +seconds"));
  EXPECT_THAT(tuned.output, ContainsRegex("\n +1 +default +100 +10.0 +0\\.[0-9]{4} "));
  EXPECT_THAT(tuned.output, ContainsRegex("\n\\* +[123] "));
  EXPECT_THAT(tuned.output, HasSubstr("validation: leave-one-out, second-to-last event"));

  const std::string tuned_path = Path("data") + "/tuned/item-knn.json";
  ASSERT_TRUE(std::filesystem::exists(tuned_path)) << tuned.output;
  nlohmann::json file = ReadJson(tuned_path);
  ASSERT_TRUE(file.is_object());
  EXPECT_EQ(file["model"], "item-knn");
  EXPECT_EQ(file["metric"], "ndcg@10");
  EXPECT_EQ(file["params"].size(), 2u) << file.dump();  // the searched params only
  ASSERT_TRUE(file["params"]["neighbors"].is_number_integer()) << file.dump();
  const int neighbors = file["params"]["neighbors"];
  EXPECT_GE(neighbors, 5);
  EXPECT_LE(neighbors, 2000);

  nlohmann::json trials = ReadJson(Path("trials.json"));
  ASSERT_TRUE(trials.is_object());
  ASSERT_EQ(trials["trials"].size(), 3u);
  EXPECT_EQ(trials["trials"][0]["origin"], "default");
  const int best = trials["best_trial"];
  EXPECT_EQ(trials["trials"][best - 1]["params"], file["params"]);
  EXPECT_EQ(trials["trials"][best - 1]["metric"], file["value"]);

  // train uses the tuned params and says where each came from.
  const std::string from_tuned = "neighbors=" + std::to_string(neighbors) + " (tuned)";
  RunResult trained = RunTailor(Data() + "train --model item-knn");
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  EXPECT_THAT(trained.output, HasSubstr(from_tuned));
  EXPECT_THAT(trained.output, HasSubstr("binary=true (default)"));  // not searched
  EXPECT_THAT(trained.output, HasSubstr("; tuned = " + tuned_path));
  EXPECT_THAT(trained.output, HasSubstr("\"neighbors\":" + std::to_string(neighbors)));

  // --params overrides the tuned value field by field.
  RunResult overridden = RunTailor(Data() + "train --model item-knn --params '{\"shrink\": 3}'");
  ASSERT_EQ(overridden.exit_code, 0) << overridden.output;
  EXPECT_THAT(overridden.output, HasSubstr("shrink=3.0 (--params)"));
  EXPECT_THAT(overridden.output, HasSubstr(from_tuned));

  // So does the config file, below --params.
  Write("data/tailor.json", R"({"models": {"item-knn": {"neighbors": 7}}})");
  RunResult configured = RunTailor(Data() + "train --model item-knn");
  ASSERT_EQ(configured.exit_code, 0) << configured.output;
  EXPECT_THAT(configured.output, HasSubstr("neighbors=7 (config models.item-knn)"));

  // A broken tuned file is named, not silently ignored.
  Write("data/tuned/item-knn.json", "{\"model\": \"item-knn\"}");
  RunResult broken = RunTailor(Data() + "train --model item-knn");
  EXPECT_EQ(broken.exit_code, 3) << broken.output;
  EXPECT_THAT(broken.output, HasSubstr(tuned_path + "': no \"params\" object"));

  // Without a tuned file the defaults say so.
  std::filesystem::remove(tuned_path);
  std::filesystem::remove(Path("data/tailor.json"));
  RunResult defaults = RunTailor(Data() + "train --model item-knn");
  ASSERT_EQ(defaults.exit_code, 0) << defaults.output;
  EXPECT_THAT(defaults.output, HasSubstr("neighbors=100 (default)"));
}

TEST_F(TuneCliTest, TunesADatasetFolderAndWritesWhereAsked) {
  // An S3-Rec style folder: "user item item ..." per line, 12 users over 6 items.
  std::filesystem::create_directories(Path("toy"));
  std::string lines;
  for (int user = 1; user <= 12; ++user) {
    lines += std::to_string(user);
    for (int step = 0; step < 5; ++step) lines += " " + std::to_string((user + step) % 6 + 1);
    lines += "\n";
  }
  Write("toy/Toy.txt", lines);
  RunResult tuned = RunTailor("tune --model user-knn --dataset " + Path("toy") +
                              " --trials 2 --metric recall@5 --exclude-seen --out " + Path("best.json"));
  ASSERT_EQ(tuned.exit_code, 0) << tuned.output;
  EXPECT_THAT(tuned.output, HasSubstr("recall@5"));
  EXPECT_THAT(tuned.output, HasSubstr("seen items excluded"));
  nlohmann::json file = ReadJson(Path("best.json"));
  ASSERT_TRUE(file.is_object());
  EXPECT_EQ(file["model"], "user-knn");
  EXPECT_EQ(file["dataset"], "toy");
  EXPECT_TRUE(file["params"].contains("shrink"));
}

TEST_F(TuneCliTest, ExitCodes) {
  RunResult nothing = RunTailor(Data() + "tune --model popularity");
  EXPECT_EQ(nothing.exit_code, 3) << nothing.output;
  EXPECT_THAT(nothing.output, HasSubstr("no tunable params"));
  RunResult unknown = RunTailor(Data() + "tune --model no-such-model");
  EXPECT_EQ(unknown.exit_code, 4) << unknown.output;
  EXPECT_THAT(unknown.output, HasSubstr("item-knn"));
  EXPECT_EQ(RunTailor(Data() + "tune --model item-knn --no-such-flag").exit_code, 2);
  EXPECT_EQ(RunTailor(Data() + "tune --model item-knn --trials 0").exit_code, 2);
  RunResult metric = RunTailor(Data() + "tune --model item-knn --metric coverage@10");
  EXPECT_EQ(metric.exit_code, 3) << metric.output;
  EXPECT_THAT(metric.output, HasSubstr("--metric"));
  RunResult all_fixed =
      RunTailor(Data() + "tune --model item-knn --params '{\"neighbors\": 5, \"shrink\": 1}'");
  EXPECT_EQ(all_fixed.exit_code, 3) << all_fixed.output;
  EXPECT_THAT(all_fixed.output, HasSubstr("nothing left to search"));
  RunResult empty_store = RunTailor(Data() + "tune --model item-knn --trials 2");
  EXPECT_EQ(empty_store.exit_code, 5) << empty_store.output;
  EXPECT_THAT(empty_store.output, HasSubstr("tailor import"));
}

}  // namespace
}  // namespace tailor
