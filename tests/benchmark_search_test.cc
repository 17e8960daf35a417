// `tailor benchmark --protocol search` and `tailor search` end to end on a generated UniSRec
// folder: the JSON shape (metrics, baselines by name, the vague query set, latency), the dense
// channel from a text model pretrained by `tailor text-encoder`, and the options that do not
// apply.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace {

using ::testing::HasSubstr;

using ::tailor::CliTest;
using ::tailor::RunResult;
using ::tailor::RunTailor;

class BenchmarkSearchTest : public CliTest {
 protected:
  // Item k: "Gadget<k> Widget<k mod 7> Thing. Root Cat<k mod 4>. Brand<k mod 3>.", so the
  // first title word names one item and the rest are shared.
  std::string WriteShop() {
    return WriteUniSRecShop("shop", 20, [](int item) {
      return "Gadget" + std::to_string(item) + " Widget" + std::to_string(item % 7) +
             " Thing. Root Cat" + std::to_string(item % 4) + ". Brand" +
             std::to_string(item % 3) + ".";
    });
  }
  nlohmann::json ReadJson(const std::string& name) {
    std::ifstream in(Path(name));
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }
};

TEST_F(BenchmarkSearchTest, LexicalSearchFindsTheHeldOutItems) {
  const std::string shop = WriteShop();
  RunResult r = RunTailor("benchmark --dataset " + shop + " --protocol search --model item-knn " +
                          "--json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_EQ(out["model"], "search");
  EXPECT_EQ(out["behaviour_model"], "item-knn");
  EXPECT_EQ(out["queries"], 30);  // every user has a test item with a title
  // The whole title is in the query, and its first word names the item.
  EXPECT_DOUBLE_EQ(out["baselines"]["bm25"]["recall@10"].get<double>(), 1.0);
  EXPECT_GE(out["metrics"]["recall@10"].get<double>(), 0.9);
  for (const char* metric : {"mrr@10", "recall@10", "ndcg@10"}) {
    EXPECT_TRUE(out["metrics"][metric].is_number()) << metric;
    EXPECT_TRUE(out["baselines"]["hybrid"][metric].is_number()) << metric;
    EXPECT_TRUE(out["vague_queries"]["metrics"][metric].is_number()) << metric;
  }
  EXPECT_FALSE(out["baselines"].contains("dense"));
  EXPECT_THAT(out["note"].get<std::string>(), HasSubstr("dense channel is off"));
  EXPECT_GT(out["latency_ms"]["p99"].get<double>(), 0.0);
  EXPECT_THAT(out["protocol"].get<std::string>(), HasSubstr("30 queries"));
  EXPECT_THAT(out["vague_queries"]["protocol"].get<std::string>(),
              HasSubstr("2 consecutive title words"));
}

TEST_F(BenchmarkSearchTest, DenseChannelFromAPretrainedTextModel) {
  const std::string shop = WriteShop();
  RunResult r = RunTailor(
      "text-encoder --dataset " + shop + " --out " + Path("encoder") +
      " --params '{\"hidden\": 16, \"layers\": 1, \"heads\": 2, \"intermediate\": 32, "
      "\"max_tokens\": 16, \"vocab_size\": 64, \"epochs\": 1, \"batch_texts\": 8}'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunTailor("benchmark --dataset " + shop + " --protocol search --text-model " +
                Path("encoder") + " --queries 10 --json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_EQ(out["queries"], 10);
  EXPECT_TRUE(out["baselines"]["dense"]["recall@10"].is_number());
  EXPECT_EQ(out["text_source"]["text_model"], Path("encoder"));
  EXPECT_FALSE(out.contains("note"));
}

TEST_F(BenchmarkSearchTest, OptionsThatDoNotApply) {
  const std::string shop = WriteShop();
  RunResult r = RunTailor("benchmark --dataset " + shop + " --protocol search --seeds 2");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("--seeds"));
  r = RunTailor("benchmark --dataset " + shop + " --protocol serch");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("expected loo, cold-items, search or sentiment"));
}

TEST_F(BenchmarkSearchTest, SearchFromTheCommandLine) {
  const std::string shop = WriteShop();
  ASSERT_EQ(RunTailor(Data() + "import " + shop).exit_code, 0);
  RunResult r = RunTailor(Data() + "search 'gadget7 thing' -n 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("I107"));
  EXPECT_THAT(r.output, HasSubstr("matches 'gadget7', 'thing'"));
  ASSERT_EQ(RunTailor(Data() + "train --model item-knn").exit_code, 0);
  r = RunTailor(Data() + "search 'widget0 thing' --user U1 -n 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("personal for U1"));
  r = RunTailor(Data() + "search '?!'");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("holds no word"));
}

}  // namespace
