#include "text/text_pretrain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

// A shop of 240 items from a few colours, materials, kinds and brands.
std::vector<std::string> ShopTexts() {
  const std::vector<std::string> colours = {"red", "blue", "green", "black", "white", "yellow"};
  const std::vector<std::string> materials = {"cotton", "wool", "leather", "silk"};
  const std::vector<std::string> kinds = {"shirt", "scarf", "glove", "jacket", "sock"};
  const std::vector<std::string> brands = {"Acme", "Northwind"};
  std::vector<std::string> texts;
  for (const auto& colour : colours) {
    for (const auto& material : materials) {
      for (const auto& kind : kinds) {
        for (const auto& brand : brands) {
          texts.push_back(colour + " " + material + " " + kind + ". Clothing " + kind + "s. " + brand + ".");
        }
      }
    }
  }
  return texts;
}

TextPretrainOptions TinyOptions() {
  TextPretrainOptions options;
  options.hidden = 32;
  options.layers = 2;
  options.heads = 2;
  options.intermediate = 64;
  options.max_tokens = 24;
  options.vocab_size = 60;
  options.epochs = 4;
  options.batch_texts = 16;
  options.warmup_steps = 10;
  options.learning_rate = 3e-3;
  options.validation_share = 0.1;
  options.threads = 1;
  options.seed = 5;
  return options;
}

TEST(TextPretrainTest, LearnsTheMaskedPiecesAndExportsTheSameForward) {
  const std::vector<std::string> texts = ShopTexts();
  TextPretrainOptions options = TinyOptions();
  options.epochs = 8;
  auto result = PretrainTextModel(texts, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const nlohmann::json& stats = result->stats;
  EXPECT_LT(stats["export_max_abs_diff"].get<double>(), 1e-3);
  // Better than guessing among the vocabulary by far: the template leaves few choices.
  const double uniform = std::log(stats["vocab_size"].get<double>());
  EXPECT_LT(stats["best_validation_loss"].get<double>(), 0.7 * uniform) << stats.dump();
  EXPECT_GT(stats["tokens_per_second"].get<double>(), 0.0);
  EXPECT_EQ(result->model->dim(), 32);
  EXPECT_EQ(result->model->tokenizer().kind(), "sentencepiece");
  std::vector<float> embedding(32);
  ASSERT_TRUE(result->model->Embed("red wool scarf", embedding).ok());
  double norm = 0.0;
  for (float value : embedding) norm += value * value;
  EXPECT_NEAR(norm, 1.0, 1e-5);
}

TEST(TextPretrainTest, ResumingFromACheckpointGivesTheUninterruptedResult) {
  const std::vector<std::string> texts = ShopTexts();
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("tailor_text_pretrain_" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir);
  TextPretrainOptions options = TinyOptions();
  options.patience = 0;
  auto straight = PretrainTextModel(texts, options);
  ASSERT_TRUE(straight.ok()) << straight.status().ToString();

  TextPretrainOptions first = options;
  first.epochs = 2;
  first.checkpoint_dir = dir;
  ASSERT_TRUE(PretrainTextModel(texts, first).ok());
  TextPretrainOptions rest = options;
  rest.checkpoint_dir = dir;
  auto resumed = PretrainTextModel(texts, rest);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(resumed->stats["resumed_from_epoch"], 2);
  EXPECT_EQ(resumed->stats["epochs"], 4);
  EXPECT_EQ(resumed->model->encoder().weights().word, straight->model->encoder().weights().word);
  EXPECT_EQ(resumed->model->encoder().weights().layers[1].output_weight,
            straight->model->encoder().weights().layers[1].output_weight);
}

TEST(TextPretrainTest, NothingToLearnIsInvalidArgument) {
  EXPECT_THAT(PretrainTextModel({"", "", ""}, TinyOptions()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no text")));
  EXPECT_THAT(TextPretrainOptions::FromJson({{"hidden", 30}, {"heads", 4}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'heads'")));
  EXPECT_THAT(TextPretrainOptions::FromJson({{"layer", 2}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("layer")));
}

// Targets are a fixed random rotation-and-stretch of the inputs: the projection must learn it
// well enough that most rows retrieve their own target among 200.
TEST(TextProjectionTest, LearnsAMapThatRetrievesEachRowsTarget) {
  constexpr int32_t kRows = 200, kIn = 12, kOut = 6;
  std::mt19937_64 rng(3);
  std::normal_distribution<float> normal;
  FactorMatrix inputs(kRows, kIn), targets(kRows, kOut);
  std::vector<float> map(kOut * kIn);
  for (float& value : map) value = normal(rng);
  for (int32_t row = 0; row < kRows; ++row) {
    for (int32_t col = 0; col < kIn; ++col) inputs.row(row)[col] = normal(rng);
    for (int32_t out = 0; out < kOut; ++out) {
      float sum = 0.0f;
      for (int32_t col = 0; col < kIn; ++col) sum += map[out * kIn + col] * inputs.row(row)[col];
      targets.row(row)[out] = std::tanh(sum);
    }
  }
  std::vector<int32_t> rows(kRows);
  for (int32_t row = 0; row < kRows; ++row) rows[row] = row;
  TextProjectionOptions options;
  options.hidden = 32;
  options.epochs = 300;
  options.batch_rows = 64;
  options.temperature = 0.1;
  options.threads = 1;
  nlohmann::json stats;
  auto projection = TrainTextProjection(inputs, targets, rows, options, &stats);
  ASSERT_TRUE(projection.ok()) << projection.status().ToString();
  const FactorMatrix projected = projection->ApplyAll(inputs);
  auto cosine = [&](int32_t a, int32_t b) {
    double dot = 0, na = 0, nb = 0;
    for (int32_t k = 0; k < kOut; ++k) {
      dot += projected.row(a)[k] * targets.row(b)[k];
      na += projected.row(a)[k] * projected.row(a)[k];
      nb += targets.row(b)[k] * targets.row(b)[k];
    }
    return dot / std::sqrt(na * nb);
  };
  int hits = 0;
  for (int32_t row = 0; row < kRows; ++row) {
    int32_t best = 0;
    for (int32_t other = 1; other < kRows; ++other) {
      if (cosine(row, other) > cosine(row, best)) best = other;
    }
    hits += best == row;
  }
  EXPECT_GT(hits, kRows * 0.6) << stats.dump();  // chance: 1 of 200

  BinaryWriter writer;
  projection->Save(writer);
  BinaryReader reader(writer.buffer(), "projection");
  TextProjection copy;
  ASSERT_TRUE(copy.Load(reader).ok());
  EXPECT_EQ(copy.weights().weight2, projection->weights().weight2);

  EXPECT_THAT(TrainTextProjection(inputs, targets, std::vector<int32_t>{0, 1}, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("need at least 4")));
  EXPECT_THAT(TrainTextProjection(inputs, FactorMatrix(3, kOut), rows, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("200 input rows but 3 targets")));
}

}  // namespace
}  // namespace tailor
