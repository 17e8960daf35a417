// `tailor benchmark --protocol sentiment` end to end on generated labelled sentences: the JSON
// shape (metrics, baselines.fasttext, per-file groups), resuming from --checkpoint-dir without
// running finished folds again, the errors of bad options, and `tailor sentiment-model`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using ::tailor::CliTest;
using ::tailor::RunResult;
using ::tailor::RunTailor;

// A small encoder and a short fine-tuning, so the test runs in seconds.
constexpr char kParams[] =
    R"('{"epochs": 3, "learning_rate": 0.001, "encoder": {"hidden": 32, "layers": 1, "heads": 2, )"
    R"("intermediate": 64, "max_tokens": 16, "vocab_size": 64, "epochs": 2}}')";

class BenchmarkSentimentTest : public CliTest {
 protected:
  // shop_labelled.txt: 40 sentences, the positive ones say "great"/"love", the negative ones
  // "awful"/"broken".
  std::string WriteSentences() {
    const char* positive[] = {"great", "love"};
    const char* negative[] = {"awful", "broken"};
    const char* things[] = {"case", "strap", "battery", "screen", "charger"};
    std::string lines;
    for (int idx = 0; idx < 40; ++idx) {
      const bool good = idx % 2 == 0;
      lines += std::string("the ") + things[idx % 5] + " is " + (good ? positive : negative)[idx / 2 % 2] +
               (good ? "\t1\n" : "\t0\n");
    }
    Write("shop_labelled.txt", lines);
    return Path("shop_labelled.txt");
  }
  nlohmann::json ReadJson(const std::string& name) {
    std::ifstream in(Path(name));
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }
};

TEST_F(BenchmarkSentimentTest, CrossValidatesTailorAndFastTextAndResumes) {
  const std::string data = WriteSentences();
  const std::string command = "benchmark --dataset " + data + " --protocol sentiment --folds 2 --params " +
                              kParams + " --checkpoint-dir " + Path("ckpt") + " --json ";
  RunResult r = RunTailor(command + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_EQ(out["model"], "sentiment");
  EXPECT_EQ(out["texts"], 40);
  EXPECT_EQ(out["labels"], nlohmann::json({"negative", "positive"}));
  EXPECT_THAT(out["protocol"].get<std::string>(), HasSubstr("2-fold stratified"));
  // The words that decide the label are in every fold: fastText gets them all.
  EXPECT_DOUBLE_EQ(out["baselines"]["fasttext"]["accuracy"].get<double>(), 1.0) << r.output;
  for (const char* metric : {"accuracy", "macro_f1", "accuracy_std"}) {
    EXPECT_TRUE(out["metrics"][metric].is_number()) << metric;
    EXPECT_TRUE(out["baselines"]["fasttext"][metric].is_number()) << metric;
    EXPECT_TRUE(out["baselines"]["encoder"][metric].is_number()) << metric;
    EXPECT_TRUE(out["baselines"]["tfidf"][metric].is_number()) << metric;
  }
  EXPECT_EQ(out["fine_tune"]["lexical_weight"], "chosen per fold");
  for (const nlohmann::json& fold : out["fine_tune"]["per_fold"]) {
    const double weight = fold["lexical_weight"].get<double>();
    EXPECT_TRUE(weight >= 0.0 && weight <= 1.0) << fold.dump();
    EXPECT_EQ(fold["mix_choice"]["texts"], 2) << fold.dump();  // 10% of the 20 training texts
  }
  // The hybrid keeps the lexical channel's answers here: the 3-epoch encoder is near 50/50.
  EXPECT_GE(out["metrics"]["accuracy"].get<double>(), 0.9) << r.output;
  EXPECT_TRUE(out["metrics"]["groups"]["shop"].is_number());
  EXPECT_EQ(out["fine_tune"]["per_fold"].size(), 2u);
  EXPECT_EQ(out["encoder"]["epochs"], 2);

  // Again with the same checkpoint folder: the pretraining and both folds are reused.
  RunResult again = RunTailor(command + Path("again.json"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  const nlohmann::json resumed = ReadJson("again.json");
  EXPECT_EQ(resumed["metrics"], out["metrics"]);
  EXPECT_EQ(resumed["baselines"], out["baselines"]);
  EXPECT_THAT(again.output, HasSubstr("resumed from"));
}

TEST_F(BenchmarkSentimentTest, SentimentModelTrainsOnEveryTextAndSaves) {
  const std::string data = WriteSentences();
  RunResult r = RunTailor("sentiment-model --dataset " + data + " --out " + Path("model") +
                          " --params " + kParams + " --json " + Path("stats.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json stats = ReadJson("stats.json");
  ASSERT_TRUE(stats.is_object()) << r.output;
  EXPECT_EQ(stats["texts"], 40);
  EXPECT_EQ(stats["labels"], nlohmann::json({"negative", "positive"}));
  EXPECT_TRUE(stats["fine_tune"]["validation_accuracy"].is_number());
  EXPECT_TRUE(std::filesystem::exists(Path("model/classifier.safetensors")));
  EXPECT_TRUE(std::filesystem::exists(Path("model/config.json")));
  EXPECT_THAT(r.output, HasSubstr("sentiment fine-tuning"));  // the progress line
  r = RunTailor("sentiment-model --dataset " + Path("missing") + " --out " + Path("m2"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("no such file"));
}

TEST_F(BenchmarkSentimentTest, RecommendAndSearchRankByReviewSentiment) {
  const std::string data = WriteSentences();
  ASSERT_EQ(RunTailor("sentiment-model --dataset " + data + " --out " + Path("model") +
                      " --params " + kParams).exit_code,
            0);
  // Popularity: apron 6 shoppers, cup 4, board 3; the apron's reviews are bad, the cup's good.
  Write("items.csv", "id,title\napron,Apron\nboard,Board\ncup,Cup\n");
  std::string events = "user_id,item_id,type,timestamp,value,text\n";
  int64_t ts = 1;
  for (const char* view : {"u1,apron", "u2,apron", "u3,apron", "u4,apron", "u1,board",
                           "u2,board", "u3,board", "u1,cup", "u2,cup"}) {
    events += std::string(view) + ",view," + std::to_string(ts++) + ",,\n";
  }
  events += "u5,apron,review,20,,the case is awful\nu6,apron,review,21,,the strap is broken\n"
            "u5,cup,review,22,,the case is great\nu6,cup,review,23,,the strap is love\n";
  Write("events.csv", events);
  const std::string flags = "--data " + Path("data") + " ";
  ASSERT_EQ(RunTailor(flags + "import " + Path("items.csv") + " " + Path("events.csv")).exit_code, 0);
  ASSERT_EQ(RunTailor(flags + "train --model popularity").exit_code, 0);
  RunResult refused = RunTailor(flags + "recommend x --review-weight 1");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.output, HasSubstr("server.sentiment_model"));

  Write("data/tailor.json", "{\"server\": {\"sentiment_model\": \"" + Path("model") + "\"}}");
  RunResult plain = RunTailor(flags + "recommend x -n 3");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_LT(plain.output.find("apron"), plain.output.find("cup")) << plain.output;
  EXPECT_THAT(plain.output, Not(HasSubstr("reviews:")));
  RunResult boosted = RunTailor(flags + "recommend x -n 3 --review-weight 10");
  ASSERT_EQ(boosted.exit_code, 0) << boosted.output;
  EXPECT_LT(boosted.output.find("cup"), boosted.output.find("apron")) << boosted.output;
  EXPECT_THAT(boosted.output, HasSubstr("reviews: positive"));
  RunResult bounded = RunTailor(flags + "recommend x -n 3 --min-review-score 0");
  ASSERT_EQ(bounded.exit_code, 0) << bounded.output;
  EXPECT_THAT(bounded.output, Not(HasSubstr("apron"))) << bounded.output;
  EXPECT_THAT(bounded.output, HasSubstr("board"));  // unreviewed: kept
  RunResult searched = RunTailor(flags + "search apron --min-review-score 0");
  ASSERT_EQ(searched.exit_code, 0) << searched.output;
  EXPECT_THAT(searched.output, Not(HasSubstr("Apron"))) << searched.output;
}

TEST_F(BenchmarkSentimentTest, BadOptionsAreClearErrors) {
  const std::string data = WriteSentences();
  RunResult r = RunTailor("benchmark --dataset " + data + " --protocol sentiment --folds 1");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("--folds: expected 2 to 40"));
  r = RunTailor("benchmark --dataset " + data + " --protocol sentiment --model ials");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("--model"));
  r = RunTailor("benchmark --dataset " + data + " --protocol sentiment --params '{\"epoch\": 3}'");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("epoch"));
  Write("bad_labelled.txt", "fine\t1\nno label here\n");
  r = RunTailor("benchmark --dataset " + Path("bad_labelled.txt") + " --protocol sentiment");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("bad_labelled.txt:2"));
}

}  // namespace
