#include "text/sentiment_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "status_matchers.h"
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
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> model,
                       TrainSentimentModel(*RandomTextModel(), texts, labels, {"negative", "positive"}, options));
  ASSERT_NE(model->lexical(), nullptr);
  EXPECT_DOUBLE_EQ(model->lexical_weight(), 0.5);
  // p = 0.5 p_encoder + 0.5 p_fasttext.
  const std::string text = "the color is good";
  std::vector<float> mixed(2), encoder(2), lexical(2);
  ASSERT_TRUE(model->Probabilities(text, mixed).ok());
  ASSERT_TRUE(model->EncoderProbabilities(text, encoder).ok());
  ASSERT_TRUE(model->lexical()->Probabilities(text, lexical).ok());
  EXPECT_NEAR(mixed[1], 0.5 * encoder[1] + 0.5 * lexical[1], 1e-6);

  ASSERT_TRUE(model->Save(dir_.string()).ok());
  EXPECT_TRUE(fs::exists(dir_ / "fasttext.bin"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SentimentModel> loaded, SentimentModel::Load(dir_.string()));
  ASSERT_NE(loaded->lexical(), nullptr);
  std::vector<float> reloaded(2);
  ASSERT_TRUE(loaded->Probabilities(text, reloaded).ok());
  EXPECT_NEAR(reloaded[1], mixed[1], 1e-6);

  options.lexical_weight = 1.5;
  EXPECT_THAT(TrainSentimentModel(*RandomTextModel(), texts, labels, {"negative", "positive"}, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("lexical_weight")));
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
