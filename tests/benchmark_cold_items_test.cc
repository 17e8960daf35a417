// `tailor benchmark --protocol cold-items` end to end on a generated UniSRec folder: the JSON
// shape (metrics, baselines by name, cold_items, test_events_evaluated), the text method from
// --item-embeddings, and the errors of a bad embedding file and of options that do not apply.
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

constexpr int kItems = 20;

std::string ItemId(int item) { return "I" + std::to_string(100 + item); }

class BenchmarkColdItemsTest : public CliTest {
 protected:
  // Item k is "Title k. Root Cat<k mod 4>. Brand<k mod 3>." (tests/cli_runner.h has the rest).
  std::string WriteShop() {
    return WriteUniSRecShop("shop", kItems, [](int item) {
      return "Title " + std::to_string(item) + ". Root Cat" + std::to_string(item % 4) +
             ". Brand" + std::to_string(item % 3) + ".";
    });
  }

  // Item k's embedding: a one-hot of its category (k mod 4).
  std::string WriteEmbeddings() {
    std::string text = "# one-hot categories\n";
    for (int item = 0; item < kItems; ++item) {
      text += ItemId(item) + "\t";
      for (int col = 0; col < 4; ++col)
        text += (col ? " " : "") + std::string(col == item % 4 ? "1" : "0");
      text += "\n";
    }
    Write("emb.tsv", text);
    return Path("emb.tsv");
  }

  nlohmann::json ReadJson(const std::string& name) {
    std::ifstream in(Path(name));
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }
};

TEST_F(BenchmarkColdItemsTest, TextTfidfWithoutEmbeddings) {
  const std::string shop = WriteShop();
  RunResult r = RunTailor("benchmark --dataset " + shop +
                          " --protocol cold-items --cold-fraction 0.25 --json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_EQ(out["cold_items"], 5);  // 25% of 20
  // The items have text, so tailor's own method is the items' words (text-tfidf).
  EXPECT_EQ(out["model"], "text-tfidf");
  EXPECT_THAT(out["method"].get<std::string>(), HasSubstr("TF-IDF"));
  EXPECT_FALSE(out.contains("note"));
  EXPECT_THAT(out["protocol"].get<std::string>(), HasSubstr("seen items excluded"));
  const int64_t events = out["test_events_evaluated"].get<int64_t>();
  EXPECT_GT(events, 0);
  EXPECT_LT(events, 30);
  ASSERT_TRUE(out["baselines"].contains("popularity"));
  ASSERT_TRUE(out["baselines"].contains("attributes"));
  for (const char* method : {"popularity", "attributes"}) {
    SCOPED_TRACE(method);
    const nlohmann::json& entry = out["baselines"][method];
    EXPECT_TRUE(entry["ndcg@10"].is_number());
    EXPECT_TRUE(entry["recall@10"].is_number());
    EXPECT_EQ(entry["cold_items"], 5);
    EXPECT_EQ(entry["test_events_evaluated"], events);
  }
  EXPECT_FALSE(out["baselines"].contains("text-tfidf"));
  EXPECT_TRUE(out["metrics"]["ndcg@10"].is_number());
  for (const char* key : {"dataset", "users", "items", "train_seconds", "eval_seconds",
                          "peak_rss_mb", "seed", "date"}) {
    EXPECT_TRUE(out.contains(key)) << key;
  }
  EXPECT_THAT(r.output, HasSubstr("text-tfidf *"));
}

// The whole text path: tailor text-encoder pretrains on the shop's item texts and writes a
// model directory; the cold-items protocol embeds the items with it and aligns them per split.
TEST_F(BenchmarkColdItemsTest, TextMethodFromAPretrainedTextModel) {
  const std::string shop = WriteShop();
  RunResult r = RunTailor(
      "text-encoder --dataset " + shop + " --out " + Path("encoder") +
      " --params '{\"hidden\": 16, \"layers\": 1, \"heads\": 2, \"intermediate\": 32, "
      "\"max_tokens\": 16, \"vocab_size\": 64, \"epochs\": 2, \"batch_texts\": 8}' --json " +
      Path("encoder.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json stats = ReadJson("encoder.json");
  ASSERT_TRUE(stats.is_object()) << r.output;
  EXPECT_EQ(stats["epochs"], 2);
  EXPECT_EQ(stats["embed_items"], kItems);
  EXPECT_LT(stats["export_max_abs_diff"].get<double>(), 1e-3);
  EXPECT_TRUE(std::filesystem::exists(Path("encoder/model.safetensors")));
  EXPECT_TRUE(std::filesystem::exists(Path("encoder/tokenizer.model")));

  r = RunTailor("benchmark --dataset " + shop + " --protocol cold-items --cold-fraction 0.25 " +
                "--text-model " + Path("encoder") + " --json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_EQ(out["model"], "text");
  EXPECT_EQ(out["text_align"], "transitions");
  EXPECT_EQ(out["text_source"]["text_model"], Path("encoder"));
  EXPECT_EQ(out["text_source"]["alignment_per_seed"].size(), 1u);
  EXPECT_TRUE(out["metrics"]["ndcg@10"].is_number());

  // The same text fused into a sequential model: the cold-items --model method and the
  // leave-one-out benchmark (the text-enhanced variant).
  const std::string small = " --params '{\"dim\": 16, \"epochs\": 2, \"patience\": 0}'";
  r = RunTailor("benchmark --dataset " + shop + " --protocol cold-items --cold-fraction 0.25 " +
                "--model sasrec --text-align none --text-model " + Path("encoder") + small +
                " --json " + Path("fused.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json fused = ReadJson("fused.json");
  ASSERT_TRUE(fused.is_object()) << r.output;
  EXPECT_EQ(fused["model"], "sasrec");
  EXPECT_EQ(fused["fit_stats"]["item_vector_dim"], 16);  // the encoder's hidden width
  EXPECT_THAT(fused["method"].get<std::string>(), HasSubstr("(d = 16, text)"));
  EXPECT_TRUE(fused["baselines"].contains("text"));
  r = RunTailor("benchmark --dataset " + shop + " --model sasrec --exclude-seen --text-model " +
                Path("encoder") + small + " --json " + Path("loo.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json loo = ReadJson("loo.json");
  ASSERT_TRUE(loo.is_object()) << r.output;
  EXPECT_EQ(loo["text_content"]["text_model"], Path("encoder"));
  EXPECT_EQ(loo["text_content"]["content_dim"], 16);
  EXPECT_EQ(loo["fit_stats"]["item_vector_dim"], 16);
}

TEST_F(BenchmarkColdItemsTest, TextMethodFromEmbeddingFile) {
  const std::string shop = WriteShop();
  RunResult r = RunTailor("benchmark --dataset " + shop +
                          " --protocol cold-items --seeds 2 "
                          "--cold-fraction 0.25 --item-embeddings " +
                          WriteEmbeddings() + " --json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_EQ(out["model"], "text");
  EXPECT_FALSE(out.contains("note"));
  EXPECT_TRUE(out["metrics"]["ndcg@10"].is_number());
  EXPECT_FALSE(out["baselines"].contains("text"));
  EXPECT_EQ(out["baselines"].size(), 3u);  // popularity, attributes, text-tfidf
  EXPECT_EQ(out["seeds"], nlohmann::json({42, 43}));
  EXPECT_EQ(out["baselines"]["attributes"]["per_seed"].size(), 2u);
  EXPECT_THAT(out["protocol"].get<std::string>(), HasSubstr("mean over 2 seeds 42..43"));
}

// A generated shop (tailor's own three files, with image vectors): the image method, and a
// --model method that fuses the image vectors and side features into a sequential model.
TEST_F(BenchmarkColdItemsTest, ModelMethodOnAGeneratedShopWithImageVectors) {
  RunResult r = RunTailor("generate --preset tiny --out " + Path("gen"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunTailor("benchmark --dataset " + Path("gen") +
                " --protocol cold-items --cold-fraction 0.25 --model sasrec --params "
                "'{\"dim\": 16, \"epochs\": 3, \"patience\": 0}' --json " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json out = ReadJson("out.json");
  ASSERT_TRUE(out.is_object()) << r.output;
  EXPECT_EQ(out["format"], "items-jsonl+users-jsonl+events-csv");
  EXPECT_EQ(out["model"], "sasrec");
  EXPECT_FALSE(out.contains("note"));
  EXPECT_EQ(out["params"]["dim"], 16);
  EXPECT_EQ(out["fit_stats"]["item_vector_dim"], 16);
  EXPECT_GT(out["fit_stats"]["content_only_items"].get<int>(), 0);
  for (const char* method : {"popularity", "attributes", "image"}) {
    EXPECT_TRUE(out["baselines"][method]["ndcg@10"].is_number()) << method;
  }
  EXPECT_FALSE(out["baselines"].contains("sasrec"));
  EXPECT_THAT(out["baselines"]["image"]["description"].get<std::string>(),
              HasSubstr("image vector (d = 16)"));
  EXPECT_THAT(out["method"].get<std::string>(), HasSubstr("content vectors (d = 16, image)"));
  EXPECT_THAT(r.output, HasSubstr("sasrec *"));

  r = RunTailor("benchmark --dataset " + Path("gen") + " --protocol cold-items --params '{}'");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("apply to a --model method"));
}

TEST_F(BenchmarkColdItemsTest, BadEmbeddingFileAndOptionsThatDoNotApply) {
  const std::string shop = WriteShop();
  Write("bad.tsv", ItemId(0) + "\t1 0\nNOPE\t0 1\n");
  RunResult r = RunTailor("benchmark --dataset " + shop +
                          " --protocol cold-items --item-embeddings " + Path("bad.tsv"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr(Path("bad.tsv") + ":2: unknown item id 'NOPE'"));

  r = RunTailor("benchmark --dataset " + shop + " --protocol cold-items --variants kept");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("do not apply"));
  r = RunTailor("benchmark --dataset " + shop + " --protocol warm");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("expected loo, cold-items, search or sentiment"));
  r = RunTailor("benchmark --dataset " + shop + " --item-embeddings " + WriteEmbeddings());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("--item-embeddings applies to --protocol cold-items"));
  r = RunTailor("benchmark --dataset " + shop + " --protocol cold-items --text-model " +
                Path("no-such-model") + " --item-embeddings " + WriteEmbeddings());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("give one text source"));
  r = RunTailor("benchmark --dataset " + shop + " --protocol cold-items --text-model " +
                Path("no-such-model") + " --text-align bert");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("--text-align: expected transitions, ials, center or none"));
  r = RunTailor("benchmark --dataset " + shop + " --protocol cold-items --text-model " +
                Path("no-such-model"));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_THAT(r.output, HasSubstr("no-such-model: not a model directory"));
}

}  // namespace
