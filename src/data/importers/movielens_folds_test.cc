// The strict reader of MovieLens fold files (u1.base ..) and finding the u1..u5 pairs.
#include "data/importers/movielens_folds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "data/importers/importer_test_util.h"

namespace tailor {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing_util::DatasetsDir;
using testing_util::StatusIs;
using testing_util::TempDir;

TEST(ReadRatingFileTest, ReadsRowsWithLines) {
  TempDir dir;
  const std::string path =
      dir.Write("u1.base", "1\t6\t5\t887431973\n\n196\t242\t3.5\t881250949\r\n");
  auto rows = ReadRatingFile(path);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_THAT(*rows, SizeIs(2));
  EXPECT_EQ((*rows)[0].user_id, "1");
  EXPECT_EQ((*rows)[0].item_id, "6");
  EXPECT_EQ((*rows)[0].rating, 5.0f);
  EXPECT_EQ((*rows)[0].timestamp, 887431973);
  EXPECT_EQ((*rows)[0].line, 1);
  EXPECT_EQ((*rows)[1].user_id, "196");
  EXPECT_EQ((*rows)[1].rating, 3.5f);
  EXPECT_EQ((*rows)[1].line, 3);  // the blank line counts
}

TEST(ReadRatingFileTest, BadLinesNameFileAndLine) {
  TempDir dir;
  struct Case {
    std::string content;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"1\t2\t3\t4\n1\t2\t3\n",
       "u.test:2: expected 'user<TAB>item<TAB>rating<TAB>timestamp', "
       "found 3 fields"},
      {"1\t2\t3\t4\t5\n", "u.test:1: expected"},
      {"1\t2\t3\t4\n\t2\t3\t4\n", "u.test:2: empty user id"},
      {"1\t \t3\t4\n", "u.test:1: empty item id"},
      {"1\t2\tfive\t4\n", "u.test:1: rating 'five' is not a number > 0"},
      {"1\t2\t3\t4\n1\t2\t0\t4\n", "u.test:2: rating '0' is not a number > 0"},
      {"1\t2\t3\t2024-01-01\n", "u.test:1: timestamp '2024-01-01' is not a unix time"},
  };
  for (const Case& bad : cases) {
    const std::string path = dir.Write("u.test", bad.content);
    EXPECT_THAT(ReadRatingFile(path),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr(bad.message)))
        << bad.content;
  }
  // A cut-short last line is data loss, not a format error.
  const std::string cut = dir.Write("cut.test", "1\t2\t3\t4\n1\t2");
  EXPECT_THAT(ReadRatingFile(cut), StatusIs(StatusCode::kDataLoss, HasSubstr("cut.test:2")));
  EXPECT_THAT(ReadRatingFile(dir.Path("missing.base")),
              StatusIs(StatusCode::kNotFound, HasSubstr("missing.base")));
}

TEST(FindMovieLensFoldsTest, FindsTheFivePairsInsideADatasetFolder) {
  TempDir dir;
  dir.Write("ml-100k/u.data", "1\t2\t3\t4\n");
  for (int fold = 1; fold <= 5; ++fold) {
    dir.Write("ml-100k/u" + std::to_string(fold) + ".base", "1\t2\t3\t4\n");
    if (fold != 4) dir.Write("ml-100k/u" + std::to_string(fold) + ".test", "1\t2\t3\t4\n");
  }
  EXPECT_THAT(FindMovieLensFolds(dir.Path()),
              StatusIs(StatusCode::kNotFound, HasSubstr("u4.test")));
  dir.Write("ml-100k/u4.test", "1\t2\t3\t4\n");
  auto folds = FindMovieLensFolds(dir.Path());
  ASSERT_TRUE(folds.ok()) << folds.status().ToString();
  ASSERT_THAT(*folds, SizeIs(5));
  EXPECT_THAT((*folds)[0].train, EndsWith("ml-100k/u1.base"));
  EXPECT_THAT((*folds)[4].test, EndsWith("ml-100k/u5.test"));
  EXPECT_THAT(FindMovieLensFolds(dir.Path("nothing")),
              StatusIs(StatusCode::kNotFound, HasSubstr("no MovieLens u.data")));
}

TEST(FindMovieLensFoldsTest, RealMovieLens100k) {
  const std::string path = DatasetsDir() + "/movielens-100k";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "dataset folder " << path << " not found; real fold files not checked";
  }
  auto folds = FindMovieLensFolds(path);
  ASSERT_TRUE(folds.ok()) << folds.status().ToString();
  auto test = ReadRatingFile((*folds)[0].test);
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  EXPECT_THAT(*test, SizeIs(20000));
  auto train = ReadRatingFile((*folds)[0].train);
  ASSERT_TRUE(train.ok());
  EXPECT_THAT(*train, SizeIs(80000));
}

}  // namespace
}  // namespace tailor
