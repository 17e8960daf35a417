#include "eval/sentiment_data.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

class SentimentDataTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tailor_sentiment_" + std::to_string(::getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(SentimentDataTest, ReadsLabelledSentenceFilesInNameOrder) {
  Write("yelp_labelled.txt", "Great food.\t1\n\nCold soup, rude staff.  \t0\r\n");
  Write("amazon_cells_labelled.txt", "Works fine \xC2\x85 really.\t1\n");
  Write("notes.md", "ignored\n");
  ASSERT_OK_AND_ASSIGN(SentimentDataset data, LoadSentimentDataset(dir_.string()));
  EXPECT_EQ(data.layout, "sentences");
  EXPECT_THAT(data.labels, ElementsAre("negative", "positive"));
  EXPECT_THAT(data.texts, ElementsAre("Works fine \xC2\x85 really.", "Great food.", "Cold soup, rude staff."));
  EXPECT_THAT(data.label_of, ElementsAre(1, 1, 0));
  EXPECT_THAT(data.group_of, ElementsAre("amazon_cells", "yelp", "yelp"));
}

TEST_F(SentimentDataTest, SentenceErrorsNameFileAndLine) {
  const std::string path = Write("imdb_labelled.txt", "Fine.\t1\nNo tab here 1\n");
  EXPECT_THAT(LoadSentimentDataset(dir_.string()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr(path + ":2: expected")));
  Write("imdb_labelled.txt", "Fine.\t1\nMeh.\t2\n");
  EXPECT_THAT(LoadSentimentDataset(dir_.string()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr(":2: label '2' is not 0 or 1")));
}

TEST_F(SentimentDataTest, StarReviewsGetThreeClassesAndDuplicatesDropped) {
  const std::string path = Write(
      "reviews.jsonl",
      R"({"overall": 5.0, "reviewerID": "U1", "asin": "A", "summary": "Five Stars", "reviewText": "Love it"})"
      "\n"
      R"({"overall": 5.0, "reviewerID": "U9", "asin": "B", "summary": "Five Stars", "reviewText": "Love it", "style": {"Size:": "M"}})"
      "\n"
      R"({"overall": 3, "reviewerID": "U2", "asin": "A", "reviewText": "It is ok"})"
      "\n"
      R"({"overall": 2, "reviewerID": "U3", "asin": "B", "summary": "Too small"})"
      "\n"
      R"({"overall": 1, "reviewerID": "U4", "asin": "B"})"
      "\n");
  ASSERT_OK_AND_ASSIGN(SentimentDataset data, LoadSentimentDataset(path));
  EXPECT_EQ(data.layout, "star-reviews");
  EXPECT_THAT(data.labels, ElementsAre("negative", "neutral", "positive"));
  EXPECT_THAT(data.texts, ElementsAre("Five Stars. Love it", "It is ok", "Too small"));
  EXPECT_THAT(data.label_of, ElementsAre(2, 1, 0));
  EXPECT_EQ(data.duplicates_dropped, 1);
  EXPECT_EQ(data.empty_dropped, 1);
}

TEST_F(SentimentDataTest, StarReviewErrorsNameFileAndLine) {
  const std::string path = Write("r.jsonl", "{\"overall\": 4, \"reviewText\": \"ok\"}\n[1, 2]\n");
  EXPECT_THAT(LoadSentimentDataset(path).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr(path + ":2: not a JSON object")));
  Write("r.jsonl", "{\"reviewText\": \"ok\"}\n");
  EXPECT_THAT(LoadSentimentDataset(path).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr(":1: field 'overall'")));
  Write("r.jsonl", "{\"overall\": 7, \"reviewText\": \"ok\"}\n");
  EXPECT_THAT(LoadSentimentDataset(path).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected 1 to 5")));
}

TEST_F(SentimentDataTest, MissingOrUnknownFolderIsNotFound) {
  EXPECT_THAT(LoadSentimentDataset((dir_ / "nope").string()).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("no such file")));
  Write("data.csv", "a,b\n");
  EXPECT_THAT(LoadSentimentDataset(dir_.string()).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("no *_labelled.txt")));
}

TEST(StratifiedFoldsTest, EveryFoldHoldsEachClassInProportion) {
  // 30 of class 0, 10 of class 1, 5 folds: each fold gets 6 + 2 = 8 examples.
  std::vector<int32_t> labels(30, 0);
  labels.resize(40, 1);
  const std::vector<int32_t> folds = StratifiedFolds(labels, 5, 7);
  std::map<std::pair<int32_t, int32_t>, int> counts;
  for (size_t idx = 0; idx < labels.size(); ++idx) ++counts[{folds[idx], labels[idx]}];
  for (int32_t fold = 0; fold < 5; ++fold) {
    EXPECT_EQ((counts[{fold, 0}]), 6) << "fold " << fold;
    EXPECT_EQ((counts[{fold, 1}]), 2) << "fold " << fold;
  }
  EXPECT_EQ(StratifiedFolds(labels, 5, 7), folds);  // deterministic in the seed
  EXPECT_NE(StratifiedFolds(labels, 5, 8), folds);
}

}  // namespace
}  // namespace tailor
