// The importers on the real research datasets in ../shared/datasets (read-only, never part of
// the project). Each test skips with a message when its folder is absent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "data/importers/importer.h"
#include "data/importers/importer_test_util.h"

namespace tailor {
namespace {

using ::testing::IsEmpty;
using testing_util::CountType;
using testing_util::DatasetsDir;
using testing_util::DistinctItems;
using testing_util::DistinctUsers;

class RealDatasetTest : public ::testing::Test {
 protected:
  // Imports <datasets>/<folder> with format detection; skips when the folder is missing.
  void Import(const std::string& folder) {
    path_ = DatasetsDir() + "/" + folder;
    if (!std::filesystem::exists(path_)) {
      GTEST_SKIP() << "dataset folder " << path_ << " not found; real-data import tests skipped";
    }
    auto result = ImportPath(path_, ImportFormat::kAuto, {});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    result_ = std::move(result).value();
  }
  std::string path_;
  ImportResult result_;
};

TEST_F(RealDatasetTest, AmazonBeauty) {
  Import("amazon-beauty");
  if (IsSkipped()) return;
  EXPECT_EQ(result_.format, "s3rec");
  EXPECT_THAT(result_.rejected, IsEmpty());
  EXPECT_EQ(DistinctUsers(result_.batch), 22363u);
  EXPECT_EQ(DistinctItems(result_.batch), 12101u);
  EXPECT_EQ(result_.batch.events.size(), 198502u);
  EXPECT_EQ(result_.batch.items.size(), 12101u);
  EXPECT_FALSE(result_.batch.create_missing_items);
  // Beauty.txt starts "1 1 2 3 4 5"; the datamaps map item 1 to ASIN B004756YJA.
  EXPECT_EQ(result_.batch.events[4].timestamp, 5);
  EXPECT_EQ(result_.batch.items[0].attributes_json, R"({"asin":"B004756YJA"})");
}

TEST_F(RealDatasetTest, AmazonSports) {
  Import("amazon-sports");
  if (IsSkipped()) return;
  EXPECT_EQ(result_.format, "s3rec");
  EXPECT_THAT(result_.rejected, IsEmpty());
  EXPECT_EQ(DistinctUsers(result_.batch), 35598u);
  EXPECT_EQ(DistinctItems(result_.batch), 18357u);
  EXPECT_EQ(result_.batch.events.size(), 296337u);
}

TEST_F(RealDatasetTest, AmazonScientificText) {
  Import("amazon-scientific-text");
  if (IsSkipped()) return;
  EXPECT_EQ(result_.format, "unisrec");
  EXPECT_THAT(result_.rejected, IsEmpty());
  EXPECT_EQ(DistinctUsers(result_.batch), 8442u);
  EXPECT_EQ(DistinctItems(result_.batch), 4385u);
  EXPECT_EQ(result_.batch.events.size(), 59427u);
  // B0000223SI: "PORTER-CABLE ... Sanding Roll. Industrial & Scientific Abrasive & Finishing
  // Products Manual Sanding Products Sanding Rolls. PORTER-CABLE."
  const auto roll = std::find_if(result_.batch.items.begin(), result_.batch.items.end(),
                                 [](const Item& item) { return item.id == "B0000223SI"; });
  ASSERT_NE(roll, result_.batch.items.end());
  EXPECT_EQ(roll->title,
            "PORTER-CABLE 740000801 4 1/2-Inch x 10yd 80 Grit Adhesive-Backed Sanding Roll");
  EXPECT_THAT(roll->categories,
              ::testing::ElementsAre("Industrial & Scientific",
                                     "Abrasive & Finishing Products Manual Sanding Products "
                                     "Sanding Rolls"));
  EXPECT_EQ(roll->brand, "PORTER-CABLE");
}

TEST_F(RealDatasetTest, MovieLens100k) {
  Import("movielens-100k");
  if (IsSkipped()) return;
  EXPECT_EQ(result_.format, "movielens");
  EXPECT_THAT(result_.rejected, IsEmpty());
  EXPECT_EQ(DistinctUsers(result_.batch), 943u);
  EXPECT_EQ(DistinctItems(result_.batch), 1682u);
  EXPECT_EQ(result_.batch.events.size(), 100000u);
  EXPECT_EQ(result_.batch.items.size(), 1682u);
  EXPECT_EQ(result_.batch.users.size(), 943u);
}

TEST_F(RealDatasetTest, MovieLensSingleFold) {
  const std::string path = DatasetsDir() + "/movielens-100k/ml-100k/u1.base";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  auto result = ImportPath(path, ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->batch.events.size(), 80000u);
  EXPECT_TRUE(result->batch.create_missing_items);
}

TEST_F(RealDatasetTest, OnlineRetail) {
  Import("online-retail-uci");
  if (IsSkipped()) return;
  EXPECT_EQ(result_.format, "online-retail");
  EXPECT_EQ(result_.rows_read, 541909);
  // 2,515 zero-price and 2 negative-price lines are rejected; nothing else. Counts below were
  // computed independently with Python from the same file and the same rules.
  EXPECT_EQ(result_.rejected.size(), 2517u);
  EXPECT_EQ(result_.batch.events.size(), 541909u - 2517u);
  EXPECT_EQ(CountType(result_.batch, "return"), 9288u);
  EXPECT_EQ(DistinctItems(result_.batch), 3938u);
  EXPECT_EQ(DistinctUsers(result_.batch), 5981u);
}

TEST_F(RealDatasetTest, AmazonFashionReviews) {
  Import("amazon-fashion-reviews");
  if (IsSkipped()) return;
  EXPECT_EQ(result_.format, "amazon-reviews");
  EXPECT_THAT(result_.rejected, IsEmpty());
  EXPECT_EQ(CountType(result_.batch, "rating"), 3176u);
  EXPECT_EQ(CountType(result_.batch, "review"), 3176u);
  EXPECT_EQ(DistinctUsers(result_.batch), 406u);
  EXPECT_EQ(DistinctItems(result_.batch), 31u);
}

TEST_F(RealDatasetTest, DigineticaSample) {
  Import("diginetica-sample");
  if (IsSkipped()) return;
  EXPECT_EQ(result_.format, "diginetica");
  EXPECT_THAT(result_.rejected, IsEmpty());
  // SOURCE.md says 12,390 views (wc -l minus the header), but the last row has no final
  // newline: the file holds 12,391 rows.
  EXPECT_EQ(result_.batch.events.size(), 12391u);
  EXPECT_EQ(DistinctItems(result_.batch), 7139u);
  EXPECT_EQ(DistinctUsers(result_.batch), 2994u);
}

}  // namespace
}  // namespace tailor
