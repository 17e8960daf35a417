#include "eval/item_embeddings_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

class ItemEmbeddingsFileTest : public testing::Test {
 protected:
  // One file per test: ctest -j2 runs tests of this fixture at the same time.
  std::string Write(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() /
             ("tailor_item_embeddings_" + std::to_string(::getpid()) + "_" +
              testing::UnitTest::GetInstance()->current_test_info()->name() + ".tsv"))
                .string();
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }

  const std::vector<std::string> items_ = {"B01", "B02", "B03"};
  std::string path_;
};

TEST_F(ItemEmbeddingsFileTest, ReadsRowsInDatasetOrder) {
  const std::string path = Write("# d = 2\nB02\t0.5 -1\n\nB01\t1e1  2\nB03\t 3\t4.25\n");
  auto matrix = ReadItemEmbeddings(path, items_);
  ASSERT_TRUE(matrix.ok()) << matrix.status().ToString();
  EXPECT_EQ(matrix->rows(), 3);
  EXPECT_EQ(matrix->cols(), 2);
  EXPECT_EQ(matrix->row(0)[0], 10.0f);
  EXPECT_EQ(matrix->row(0)[1], 2.0f);
  EXPECT_EQ(matrix->row(1)[0], 0.5f);
  EXPECT_EQ(matrix->row(1)[1], -1.0f);
  EXPECT_EQ(matrix->row(2)[0], 3.0f);
  EXPECT_EQ(matrix->row(2)[1], 4.25f);
}

TEST_F(ItemEmbeddingsFileTest, UnknownItemNamesFileAndLine) {
  const std::string path = Write("B01\t1 2\nB02\t1 2\nB99\t1 2\nB03\t1 2\n");
  EXPECT_THAT(ReadItemEmbeddings(path, items_).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(path + ":3:"), HasSubstr("unknown item id 'B99'"))));
}

TEST_F(ItemEmbeddingsFileTest, BadLinesNameTheLine) {
  EXPECT_THAT(ReadItemEmbeddings(Write("B01\t1 2\nB02 1 2\n"), items_).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(":2:"), HasSubstr("expected '<item id><TAB>"))));
  EXPECT_THAT(ReadItemEmbeddings(Write("B01\t1 2\nB02\t1 2 3\n"), items_).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(":2:"), HasSubstr("3 values, expected 2"))));
  EXPECT_THAT(ReadItemEmbeddings(Write("B01\t1 x\n"), items_).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(":1:"), HasSubstr("value 2: 'x' is not a finite number"))));
  EXPECT_THAT(ReadItemEmbeddings(Write("B01\t1 nan\n"), items_).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'nan' is not a finite number")));
  EXPECT_THAT(ReadItemEmbeddings(Write("B01\t1 1e39\n"), items_).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'1e39' is not a finite")));
  EXPECT_THAT(
      ReadItemEmbeddings(Write("B01\t\n"), items_).status(),
      StatusIs(StatusCode::kInvalidArgument, AllOf(HasSubstr(":1:"), HasSubstr("no values"))));
  EXPECT_THAT(ReadItemEmbeddings(Write("B01\t1\n\nB01\t2\n"), items_).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(":3:"), HasSubstr("item 'B01' again (first on line 1)"))));
}

TEST_F(ItemEmbeddingsFileTest, EveryItemNeedsALine) {
  const std::string path = Write("B01\t1\nB03\t2\n");
  EXPECT_THAT(ReadItemEmbeddings(path, items_).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr(path + ": no embedding for 1 of 3 items (first: 'B02')")));
  EXPECT_THAT(ReadItemEmbeddings(Write("# nothing\n"), items_).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no embedding lines")));
  EXPECT_THAT(ReadItemEmbeddings("/nonexistent/emb.tsv", items_).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("/nonexistent/emb.tsv")));
}

}  // namespace
}  // namespace tailor
