#include "serve/model_holder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <vector>

#include "serve/serve_test_util.h"

namespace tailor {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

void Touch(const std::string& path, int seconds_ago) {
  std::ofstream(path) << "x";
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(seconds_ago));
}

// Saves a popularity model fit on a tiny history and returns the artifact path.
std::string SaveModelTo(const std::string& path, int seconds_ago) {
  auto model = MakeRecommender("popularity");
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  UserHistories histories = UserHistories::FromLists(3, {{{0}, {1}}, {{1}}});
  EXPECT_TRUE((*model)->Fit(histories, FitOptions{}).ok());
  EXPECT_TRUE(SaveModel(**model, path).ok());
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(seconds_ago));
  return path;
}

TEST(NewArtifactPathTest, StampsTheModelNameWithUtcTime) {
  TempDir dir;
  std::string path = NewArtifactPath(dir.path(), "item-knn");
  EXPECT_TRUE(std::regex_match(path, std::regex(".*/item-knn-20[0-9]{6}T[0-9]{6}\\.tmodel")))
      << path;
  std::ofstream(path) << "taken";
  std::string next = NewArtifactPath(dir.path(), "item-knn");
  // Same second: a suffix keeps the first artifact (unless the clock ticked in between).
  EXPECT_NE(next, path);
  EXPECT_TRUE(std::regex_match(next, std::regex(".*/item-knn-20[0-9]{6}T[0-9]{6}(-2)?\\.tmodel")))
      << next;
}

TEST(NewestArtifactTest, PicksTheLatestMtimeThenTheGreaterName) {
  TempDir dir;
  Touch(dir.file("b-20240101T000000.tmodel"), 30);
  Touch(dir.file("a-20240102T000000.tmodel"), 10);
  Touch(dir.file("z-notes.txt"), 0);             // not an artifact
  Touch(dir.file("c.tmodel.tmp"), 0);            // a half-written artifact
  fs::create_directories(dir.file("d.tmodel"));  // a directory
  EXPECT_EQ(*NewestArtifact(dir.path()), dir.file("a-20240102T000000.tmodel"));
  // Same mtime: the greater name wins.
  fs::last_write_time(dir.file("b-20240101T000000.tmodel"),
                      fs::last_write_time(dir.file("a-20240102T000000.tmodel")));
  EXPECT_EQ(*NewestArtifact(dir.path()), dir.file("b-20240101T000000.tmodel"));
}

TEST(NewestArtifactTest, NoArtifactTellsToTrain) {
  TempDir dir;
  EXPECT_THAT(NewestArtifact(dir.path()),
              StatusIs(StatusCode::kNotFound, HasSubstr("run `tailor train` first")));
  EXPECT_THAT(NewestArtifact(dir.file("missing")),
              StatusIs(StatusCode::kNotFound, HasSubstr("no trained model in")));
}

class ModelHolderTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::mutex mu_;
  std::vector<std::string> log_;
};

TEST_F(ModelHolderTest, SwapsGenerationsAndKeepsTheOldOneOnFailure) {
  ModelHolder holder(dir_.path(), [this](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu_);
    log_.emplace_back(line);
  });
  EXPECT_EQ(holder.Current(), nullptr);
  EXPECT_THAT(holder.Reload(), StatusIs(StatusCode::kNotFound, HasSubstr("tailor train")));
  EXPECT_THAT(holder.LastError(), StatusIs(StatusCode::kNotFound, HasSubstr("tailor train")));

  const std::string first = SaveModelTo(dir_.file("popularity-20240101T000000.tmodel"), 60);
  auto swapped = holder.Reload();
  ASSERT_TRUE(swapped.ok()) << swapped.status().ToString();
  EXPECT_TRUE(*swapped);
  auto generation = holder.Current();
  ASSERT_NE(generation, nullptr);
  EXPECT_EQ(generation->file, first);
  EXPECT_EQ(generation->generation, 1);
  EXPECT_EQ(generation->model->name(), "popularity");
  EXPECT_TRUE(holder.LastError().ok());
  EXPECT_FALSE(*holder.Reload());  // nothing newer

  const std::string broken = dir_.file("popularity-20240102T000000.tmodel");
  Touch(broken, 30);
  EXPECT_THAT(holder.Reload(),
              StatusIs(StatusCode::kDataLoss,
                       AllOf(HasSubstr("cannot load model"), HasSubstr(broken), HasSubstr(first))));
  EXPECT_THAT(holder.Reload(), StatusIs(StatusCode::kDataLoss, HasSubstr(broken)));
  EXPECT_EQ(holder.Current(), generation);  // still serving the first
  {
    std::lock_guard<std::mutex> lock(mu_);
    EXPECT_EQ(std::count_if(
                  log_.begin(), log_.end(),
                  [&](const std::string& line) { return line.find(broken) != std::string::npos; }),
              1);
  }

  const std::string fixed = SaveModelTo(dir_.file("popularity-20240103T000000.tmodel"), 0);
  EXPECT_TRUE(*holder.Reload());
  EXPECT_EQ(holder.Current()->file, fixed);
  EXPECT_EQ(holder.Current()->generation, 2);
  // The reader that kept the first generation still has a working model.
  EXPECT_EQ(generation->model->num_items(), 3);
}

TEST_F(ModelHolderTest, ARewrittenArtifactWithTheSameNameIsReloaded) {
  ModelHolder holder(dir_.path(), [](std::string_view) {});
  const std::string path = SaveModelTo(dir_.file("popularity-20240101T000000.tmodel"), 60);
  EXPECT_TRUE(*holder.Reload());
  SaveModelTo(path, 0);
  EXPECT_TRUE(*holder.Reload());
  EXPECT_EQ(holder.Current()->generation, 2);
}

}  // namespace
}  // namespace tailor
