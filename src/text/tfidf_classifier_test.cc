#include "text/tfidf_classifier.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "status_matchers.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Class 0 texts say "awful"/"broken", class 1 texts "great"/"lovely"; the other words are shared.
void Reviews(std::vector<std::string>* texts, std::vector<int32_t>* labels) {
  const char* bad[] = {"awful strap", "the case is broken", "awful color, broken clasp",
                       "broken after a day"};
  const char* good[] = {"great strap", "the case is lovely", "great color, lovely clasp",
                        "lovely after a day"};
  for (int copy = 0; copy < 3; ++copy) {
    for (const char* text : bad) texts->push_back(text), labels->push_back(0);
    for (const char* text : good) texts->push_back(text), labels->push_back(1);
  }
}

TEST(TfidfClassifierTest, LearnsTheSentimentWordsAndTheirStems) {
  std::vector<std::string> texts;
  std::vector<int32_t> labels;
  Reviews(&texts, &labels);
  ASSERT_OK_AND_ASSIGN(TfidfClassifier model, TfidfClassifier::Train(texts, labels, 2));
  EXPECT_EQ(model.num_classes(), 2);
  EXPECT_GT(model.num_features(), 50);  // words, bigrams and character n-grams
  for (size_t idx = 0; idx < texts.size(); ++idx) EXPECT_EQ(model.Predict(texts[idx]), labels[idx]);
  // Unseen texts: a known word, and only the character n-grams of one ("greatest").
  EXPECT_EQ(model.Predict("a broken watch"), 0);
  EXPECT_EQ(model.Predict("GREATEST!"), 1);
  std::vector<float> p(2);
  ASSERT_TRUE(model.Probabilities("awful", p).ok());
  EXPECT_NEAR(p[0] + p[1], 1.0, 1e-6);
  EXPECT_GT(p[0], 0.8);
  // Nothing known: the bias alone, the same for every such text.
  std::vector<float> q(2);
  ASSERT_TRUE(model.Probabilities("", p).ok());
  ASSERT_TRUE(model.Probabilities("xq zv", q).ok());
  EXPECT_FLOAT_EQ(p[0], q[0]);
  EXPECT_NEAR(p[0], 0.5, 0.05);  // balanced classes
  std::vector<float> wrong(3);
  EXPECT_THAT(model.Probabilities("awful", wrong),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("3 outputs for 2 classes")));
}

TEST(TfidfClassifierTest, DeterministicAndSaveLoadRoundTrip) {
  std::vector<std::string> texts;
  std::vector<int32_t> labels;
  Reviews(&texts, &labels);
  ASSERT_OK_AND_ASSIGN(TfidfClassifier first, TfidfClassifier::Train(texts, labels, 2));
  ASSERT_OK_AND_ASSIGN(TfidfClassifier second, TfidfClassifier::Train(texts, labels, 2));
  const fs::path dir = fs::temp_directory_path() / ("tfidf_classifier_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string prefix = (dir / "lexical").string();
  ASSERT_TRUE(first.Save(prefix).ok());
  ASSERT_OK_AND_ASSIGN(TfidfClassifier loaded, TfidfClassifier::Load(prefix));
  EXPECT_EQ(loaded.num_features(), first.num_features());
  for (const std::string text : {"awful strap", "lovely, lovely clasp", "unknown words"}) {
    std::vector<float> a(2), b(2), c(2);
    ASSERT_TRUE(first.Probabilities(text, a).ok());
    ASSERT_TRUE(second.Probabilities(text, b).ok());
    ASSERT_TRUE(loaded.Probabilities(text, c).ok());
    EXPECT_EQ(a, b) << text;
    EXPECT_EQ(a, c) << text;
  }
  // A terms file that does not fit names the file and line.
  {
    std::ofstream out(prefix + "_terms.txt", std::ios::app);
    out << "bad line\n";
  }
  EXPECT_THAT(TfidfClassifier::Load(prefix).status(),
              StatusIs(StatusCode::kDataLoss, HasSubstr("lexical_terms.txt:")));
  EXPECT_THAT(TfidfClassifier::Load((dir / "missing").string()).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("missing_terms.txt")));
  fs::remove_all(dir);
}

TEST(TfidfClassifierTest, RejectsBadInput) {
  EXPECT_THAT(TfidfClassifier::Train({}, {}, 2).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no texts")));
  EXPECT_THAT(TfidfClassifier::Train({"a"}, {0, 1}, 2).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("1 texts but 2 labels")));
  EXPECT_THAT(TfidfClassifier::Train({"a", "b"}, {0, 2}, 2).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("label 2 of text 1")));
  EXPECT_THAT(TfidfClassifier::Train({"a"}, {0}, 1).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("fewer than 2 classes")));
  TfidfClassifierOptions options;
  options.c = 0.0;
  EXPECT_THAT(TfidfClassifier::Train({"a", "b"}, {0, 1}, 2, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be > 0")));
}

}  // namespace
}  // namespace tailor
