#include "text/sentiment_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "status_matchers.h"
#include "text/bert_test_util.h"
#include "text/text_pretrain.h"
#include "text/wordpiece_tokenizer.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::vector<std::string> kPositive = {"good", "great", "love"};
const std::vector<std::string> kNegative = {"bad", "awful", "broken"};
const std::vector<std::string> kFiller = {"the", "shoe", "hat", "strap", "color", "size", "was", "is"};

std::string Vocab() {
  std::string vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
  for (const auto* words : {&kPositive, &kNegative, &kFiller}) {
    for (const std::string& word : *words) vocab += word + "\n";
  }
  return vocab;
}

// A text model with random weights over the words above.
std::unique_ptr<TextModel> RandomTextModel() {
  auto tokenizer = WordPieceTokenizer::FromVocab(Vocab(), /*lower_case=*/true);
  EXPECT_TRUE(tokenizer.ok());
  BertConfig config = TinyBertConfig();
  config.vocab_size = (*tokenizer)->vocab_size();
  config.hidden = 16;
  config.intermediate = 32;
  config.max_positions = 12;
  BertWeights weights = RandomBertWeights(config, 3);
  for (BertTensorRef& ref : BertTensorRefs(&weights)) {
    if (!ref.name.ends_with("LayerNorm.weight")) {
      for (float& value : *ref.values) value *= 0.1f;  // BERT-like scale, trainable
    }
  }
  auto encoder = BertEncoder::Create(std::move(weights));
  EXPECT_TRUE(encoder.ok());
  auto model = TextModel::Create(std::move(*tokenizer), std::move(*encoder), BertPooling::kMean);
  EXPECT_TRUE(model.ok());
  return std::move(*model);
}

// Texts of filler words with one sentiment word somewhere; the label is that word's side.
void SentimentTexts(int count, uint64_t seed, std::vector<std::string>* texts, std::vector<int32_t>* labels) {
  std::mt19937_64 rng(seed);
  for (int idx = 0; idx < count; ++idx) {
    const int32_t label = static_cast<int32_t>(rng() % 2);
    const auto& side = label == 1 ? kPositive : kNegative;
    std::vector<std::string> words;
    for (int word = 0; word < 4; ++word) words.push_back(kFiller[rng() % kFiller.size()]);
    words.insert(words.begin() + static_cast<int64_t>(rng() % 5), side[rng() % side.size()]);
    std::string text;
    for (const std::string& word : words) text += (text.empty() ? "" : " ") + word;
    texts->push_back(text);
    labels->push_back(label);
  }
}

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
