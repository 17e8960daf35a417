#include "text/fasttext_classifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <random>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

TEST(FastTextClassifierTest, NormalizeLowerCasesAndSplitsPunctuation) {
  EXPECT_EQ(FastTextClassifier::Normalize("Great, WORKS!"), "great  works ! ");
  EXPECT_EQ(FastTextClassifier::Normalize("didn't (really)?"), "didn't  really  ? ");
}

TEST(FastTextClassifierTest, LearnsWhichWordsMarkEachClass) {
  const std::vector<std::vector<std::string>> cue = {{"awful", "broken", "refund"},
                                                     {"fine", "okay", "average"},
                                                     {"love", "perfect", "great"}};
  const std::vector<std::string> filler = {"the", "strap", "color", "size", "fit", "box"};
  std::vector<std::string> texts;
  std::vector<int32_t> labels;
  std::mt19937_64 rng(3);
  for (int idx = 0; idx < 300; ++idx) {
    const int32_t label = static_cast<int32_t>(idx % 3);
    texts.push_back(filler[rng() % filler.size()] + " " + cue[label][rng() % 3] + " " +
                    filler[rng() % filler.size()]);
    labels.push_back(label);
  }
  ASSERT_OK_AND_ASSIGN(FastTextClassifier model, FastTextClassifier::Train(texts, labels, 3, {}));
  EXPECT_EQ(model.Predict("The box was BROKEN."), 0);
  EXPECT_EQ(model.Predict("fit is average"), 1);
  EXPECT_EQ(model.Predict("perfect color!"), 2);
  // No known word: the most frequent training class (all tie here: the first).
  EXPECT_EQ(model.Predict("zzz"), 0);

  std::vector<float> probabilities(3);
  ASSERT_TRUE(model.Probabilities("perfect color!", probabilities).ok());
  EXPECT_NEAR(probabilities[0] + probabilities[1] + probabilities[2], 1.0, 1e-5);
  EXPECT_GT(probabilities[2], 0.5);
  ASSERT_TRUE(model.Probabilities("zzz", probabilities).ok());
  EXPECT_FLOAT_EQ(probabilities[1], 1.0f / 3.0f);
  std::vector<float> too_short(2);
  EXPECT_FALSE(model.Probabilities("ok", too_short).ok());

  // fastText's own file round trip.
  const std::string path = ::testing::TempDir() + "/tailor_fasttext_" + std::to_string(::getpid()) + ".bin";
  ASSERT_TRUE(model.Save(path).ok());
  ASSERT_OK_AND_ASSIGN(FastTextClassifier loaded, FastTextClassifier::Load(path, 3, model.fallback_class()));
  EXPECT_EQ(loaded.Predict("The box was BROKEN."), 0);
  std::vector<float> again(3);
  ASSERT_TRUE(loaded.Probabilities("fit is average", again).ok());
  ASSERT_TRUE(model.Probabilities("fit is average", probabilities).ok());
  EXPECT_FLOAT_EQ(again[1], probabilities[1]);
  std::remove(path.c_str());
  EXPECT_THAT(FastTextClassifier::Load(path, 3, 0).status(), StatusIs(StatusCode::kNotFound, HasSubstr(path)));
}

TEST(FastTextClassifierTest, BadInputIsInvalidArgument) {
  EXPECT_THAT(FastTextClassifier::Train({"a", "b"}, {0}, 2, {}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("2 texts but 1 labels")));
  EXPECT_THAT(FastTextClassifier::Train({"a", "b"}, {0, 2}, 2, {}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("label 2 of text 1")));
  EXPECT_THAT(FastTextClassifier::Train({"...", "!?"}, {0, 1}, 2, {}).status().ok(), true);
  EXPECT_THAT(FastTextClassifier::Train({"...", ","}, {0, 1}, 2, {}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no training text has a word")));
}

}  // namespace
}  // namespace tailor
