#include "text/sentiment_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>

#include "status_matchers.h"
#include "text/fasttext_classifier.h"
#include "text/safetensors.h"
#include "text/sentiment_test_util.h"
#include "text/sentiment_training.h"
#include "text/text_pretrain.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class SentimentModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tailor_sentiment_model_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(SentimentModelTest, FineTuningLearnsTheSentimentWordsAndSavesAndLoads) {
  std::vector<std::string> texts, test_texts;
  std::vector<int32_t> labels, test_labels;
  SentimentTexts(400, 1, &texts, &labels);
  SentimentTexts(100, 2, &test_texts, &test_labels);
  std::unique_ptr<TextModel> base = RandomTextModel();
  SentimentTrainOptions options;
  options.epochs = 6;
  options.learning_rate = 2e-3;
  options.batch_texts = 16;
  options.threads = 1;
  int progress_lines = 0;
  options.progress = [&](const ProgressUpdate&) { ++progress_lines; };
  nlohmann::json stats;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> model,
                       FineTuneSentiment(*base, texts, labels, {"negative", "positive"}, options, &stats));
  EXPECT_GT(progress_lines, 0);
  EXPECT_LT(stats["export_max_abs_diff"].get<double>(), 1e-3);
  int correct = 0;
  for (size_t idx = 0; idx < test_texts.size(); ++idx) {
    ASSERT_OK_AND_ASSIGN(int32_t predicted, model->Predict(test_texts[idx]));
    correct += predicted == test_labels[idx];
  }
  EXPECT_GE(correct, 95) << stats.dump();

  ASSERT_TRUE(model->Save(dir_.string()).ok());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> loaded, SentimentModel::Load(dir_.string()));
  EXPECT_EQ(loaded->labels(), model->labels());
  std::vector<float> before(2), after(2);
  ASSERT_TRUE(model->Probabilities("the strap was awful", before).ok());
  ASSERT_TRUE(loaded->Probabilities("the strap was awful", after).ok());
  EXPECT_NEAR(before[0], after[0], 1e-6);
  EXPECT_NEAR(before[0] + before[1], 1.0, 1e-5);
  EXPECT_GT(before[0], 0.5);
}

TEST_F(SentimentModelTest, HybridMixesTheLexicalChannelAndSavesIt) {
  std::vector<std::string> texts;
  std::vector<int32_t> labels;
  SentimentTexts(400, 1, &texts, &labels);
  SentimentModelOptions options;
  options.encoder.epochs = 2;
  options.encoder.learning_rate = 2e-3;
  options.encoder.threads = 1;
  options.lexical_weight = 0.5;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> model,
                       TrainSentimentModel(*RandomTextModel(), texts, labels, {"negative", "positive"}, options));
  ASSERT_NE(model->lexical(), nullptr);
  EXPECT_DOUBLE_EQ(model->lexical_weight(), 0.5);
  // p = 0.5 p_encoder + 0.5 p_lexical.
  const std::string text = "the color is good";
  std::vector<float> mixed(2), encoder(2), lexical(2);
  ASSERT_TRUE(model->Probabilities(text, mixed).ok());
  ASSERT_TRUE(model->EncoderProbabilities(text, encoder).ok());
  ASSERT_TRUE(model->lexical()->Probabilities(text, lexical).ok());
  EXPECT_NEAR(mixed[1], 0.5 * encoder[1] + 0.5 * lexical[1], 1e-6);

  ASSERT_TRUE(model->Save(dir_.string()).ok());
  EXPECT_TRUE(fs::exists(dir_ / "lexical.safetensors"));
  EXPECT_TRUE(fs::exists(dir_ / "lexical_terms.txt"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> loaded, SentimentModel::Load(dir_.string()));
  ASSERT_NE(loaded->lexical(), nullptr);
  std::vector<float> reloaded(2);
  ASSERT_TRUE(loaded->Probabilities(text, reloaded).ok());
  EXPECT_NEAR(reloaded[1], mixed[1], 1e-6);

  options.lexical_weight = 1.5;
  EXPECT_THAT(TrainSentimentModel(*RandomTextModel(), texts, labels, {"negative", "positive"}, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("lexical_weight")));
}

// Hand-computed: p(positive) of the mix is 0.1 + 0.48 w, 0.38 + 0.42 w and 0.7 - 0.15 w for
// labels negative, positive, positive, so all three are right for w in (0.286, 0.833): of the
// grid 0.30 ... 0.80 the mean -ln p(label) is lowest at 0.30. Each channel alone gets 2 of 3.
TEST(ChooseMixWeightTest, MostRightThenLowestLossThenNearestHalf) {
  const std::vector<float> encoder = {0.9f, 0.1f, 0.62f, 0.38f, 0.3f, 0.7f};
  const std::vector<float> lexical = {0.42f, 0.58f, 0.2f, 0.8f, 0.45f, 0.55f};
  const std::vector<int32_t> labels = {0, 1, 1};
  ASSERT_OK_AND_ASSIGN(MixChoice choice, ChooseMixWeight(encoder, lexical, labels, 2));
  EXPECT_DOUBLE_EQ(choice.weight, 0.3);
  EXPECT_DOUBLE_EQ(choice.accuracy, 1.0);
  EXPECT_DOUBLE_EQ(choice.encoder_accuracy, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(choice.lexical_accuracy, 2.0 / 3.0);
  // Channels that agree everywhere: every weight ties, 0.5 is kept.
  ASSERT_OK_AND_ASSIGN(choice, ChooseMixWeight(encoder, encoder, labels, 2));
  EXPECT_DOUBLE_EQ(choice.weight, 0.5);

  EXPECT_THAT(ChooseMixWeight(encoder, lexical, std::vector<int32_t>{0, 1}, 2).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected 2 rows")));
  EXPECT_THAT(ChooseMixWeight(encoder, lexical, std::vector<int32_t>{0, 1, 2}, 2).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("label 2")));
}

TEST_F(SentimentModelTest, WithoutAWeightTheHeldOutTextsChooseIt) {
  std::vector<std::string> texts;
  std::vector<int32_t> labels;
  SentimentTexts(400, 1, &texts, &labels);
  SentimentModelOptions options;
  options.encoder.epochs = 1;
  options.encoder.threads = 1;
  nlohmann::json stats;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> model,
                       TrainSentimentModel(*RandomTextModel(), texts, labels, {"negative", "positive"},
                                           options, &stats));
  ASSERT_TRUE(stats.contains("mix_choice")) << stats.dump();
  const nlohmann::json& choice = stats["mix_choice"];
  EXPECT_EQ(choice["texts"].get<int>(), 40);  // validation_share 0.1
  EXPECT_GE(choice["accuracy"].get<double>(), choice["encoder_accuracy"].get<double>());
  EXPECT_GE(choice["accuracy"].get<double>(), choice["lexical_accuracy"].get<double>());
  EXPECT_DOUBLE_EQ(model->lexical_weight(), stats["lexical_weight"].get<double>());
  if (model->lexical_weight() > 0.0) ASSERT_NE(model->lexical(), nullptr);
}

// A model saved before the TF-IDF channel (fasttext.bin, metadata without lexical_kind) still
// loads, mixes its fastText channel and saves it back as it was.
TEST_F(SentimentModelTest, ModelsWithTheOlderFastTextChannelStillLoad) {
  std::vector<std::string> texts;
  std::vector<int32_t> labels;
  SentimentTexts(200, 1, &texts, &labels);
  SentimentModelOptions options;
  options.encoder.epochs = 1;
  options.encoder.threads = 1;
  options.lexical_weight = 0.0;  // encoder only; the old channel is written by hand below
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> model,
                       TrainSentimentModel(*RandomTextModel(), texts, labels, {"negative", "positive"}, options));
  ASSERT_TRUE(model->Save(dir_.string()).ok());
  ASSERT_OK_AND_ASSIGN(FastTextClassifier fasttext,
                       FastTextClassifier::Train(texts, labels, 2, FastTextOptions()));
  ASSERT_TRUE(fasttext.Save((dir_ / "fasttext.bin").string()).ok());
  const std::string head = (dir_ / "classifier.safetensors").string();
  ASSERT_OK_AND_ASSIGN(SafeTensors tensors, SafeTensors::Read(head));
  const int64_t dim = model->text().dim();
  ASSERT_OK_AND_ASSIGN(std::vector<float> weight, tensors.Floats("classifier.weight", {2, dim}));
  ASSERT_OK_AND_ASSIGN(std::vector<float> bias, tensors.Floats("classifier.bias", {2}));
  std::map<std::string, std::string> metadata = tensors.metadata();
  metadata["lexical_weight"] = "0.5";
  metadata["lexical_fallback"] = std::to_string(fasttext.fallback_class());
  ASSERT_TRUE(WriteSafeTensors(head, {{"classifier.weight", {2, dim}, weight},
                                      {"classifier.bias", {2}, bias}},
                               metadata)
                  .ok());

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> old, SentimentModel::Load(dir_.string()));
  EXPECT_EQ(old->lexical(), nullptr);  // not a TF-IDF channel
  EXPECT_DOUBLE_EQ(old->lexical_weight(), 0.5);
  const std::string text = "the color is good";
  std::vector<float> mixed(2), encoder(2), lexical(2);
  ASSERT_TRUE(old->Probabilities(text, mixed).ok());
  ASSERT_TRUE(old->EncoderProbabilities(text, encoder).ok());
  ASSERT_TRUE(fasttext.Probabilities(text, lexical).ok());
  EXPECT_NEAR(mixed[1], 0.5 * encoder[1] + 0.5 * lexical[1], 1e-6);
  const fs::path again = dir_.string() + "_again";
  ASSERT_TRUE(old->Save(again.string()).ok());
  EXPECT_TRUE(fs::exists(again / "fasttext.bin"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> reloaded, SentimentModel::Load(again.string()));
  std::vector<float> after(2);
  ASSERT_TRUE(reloaded->Probabilities(text, after).ok());
  EXPECT_NEAR(after[1], mixed[1], 1e-6);
  fs::remove_all(again);
}

TEST_F(SentimentModelTest, BadHeadsAndDirectoriesAreErrors) {
  EXPECT_THAT(SentimentModel::Create(RandomTextModel(), {"only"}, {}, {}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("need at least 2")));
  EXPECT_THAT(SentimentModel::Create(RandomTextModel(), {"a", "b"}, std::vector<float>(3), {0, 0}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("does not fit 2 labels x 16 dims")));
  EXPECT_THAT(SentimentModel::Create(RandomTextModel(), {"a,b", "c"}, std::vector<float>(32), {0, 0}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no comma")));
  // A text model directory without the head.
  ASSERT_TRUE(RandomTextModel()->Save(dir_.string()).ok());
  EXPECT_THAT(SentimentModel::Load(dir_.string()).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("classifier.safetensors")));
  std::vector<std::string> texts = {"good", "bad"};
  EXPECT_THAT(FineTuneSentiment(*RandomTextModel(), texts, {0, 5}, {"negative", "positive"}, {}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("label 5 of text 1")));
}

}  // namespace
}  // namespace tailor
