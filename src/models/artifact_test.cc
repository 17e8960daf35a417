#include "models/artifact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "models/recommender.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

UserHistories SmallHistories() {
  auto at = [](int32_t item, int64_t timestamp) {
    return Interaction{.item = item, .weight = 1.0f, .timestamp = timestamp};
  };
  return UserHistories::FromLists(4, {{at(0, 1), at(1, 2)}, {at(1, 3), at(2, 4)}, {at(3, 5)}});
}

std::string TempPath(const std::string& name) {
  return std::string(TAILOR_BINARY_DIR) + "/artifact_test_" + name;
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

// Rewrites the trailing checksum so a deliberate edit is not reported as corruption.
void Reseal(std::vector<uint8_t>& bytes) {
  uint64_t checksum = Fnv1a64(bytes.data(), bytes.size() - sizeof(uint64_t));
  std::memcpy(bytes.data() + bytes.size() - sizeof(uint64_t), &checksum, sizeof(checksum));
}

class ArtifactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto model = MakeRecommender("item-knn", {{"neighbors", 3}, {"shrink", 0.5}});
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    model_ = std::move(*model);
    ASSERT_TRUE(model_->Fit(SmallHistories(), {}).ok());
    // One file per test: ctest runs the tests of this fixture in parallel processes.
    path_ = TempPath(std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                     ".tailor");
    ASSERT_TRUE(SaveModel(*model_, path_).ok());
  }
  void TearDown() override { std::remove(path_.c_str()); }

  std::unique_ptr<Recommender> model_;
  std::string path_;
};

TEST_F(ArtifactTest, RoundTripKeepsNameParamsAndScores) {
  auto loaded = LoadModel(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->name(), "item-knn");
  EXPECT_EQ((*loaded)->params(), model_->params());
  EXPECT_EQ((*loaded)->num_items(), 4);
  std::vector<Interaction> history = {{.item = 1}};
  std::vector<float> before(4), after(4);
  model_->Score({-1, history}, before);
  (*loaded)->Score({-1, history}, after);
  EXPECT_EQ(std::memcmp(before.data(), after.data(), before.size() * sizeof(float)), 0);
  EXPECT_GT(before[0], 0.0f);
}

TEST_F(ArtifactTest, LayoutStartsWithMagicAndVersion) {
  std::vector<uint8_t> bytes = ReadBytes(path_);
  ASSERT_GT(bytes.size(), 20u);
  EXPECT_EQ(std::memcmp(bytes.data(), "TAILORM\0", 8), 0);
  uint32_t version = 0;
  std::memcpy(&version, bytes.data() + 8, sizeof(version));
  EXPECT_EQ(version, kModelArtifactVersion);
  auto serialized = SerializeModel(*model_);
  ASSERT_TRUE(serialized.ok());
  EXPECT_EQ(*serialized, bytes);
}

TEST_F(ArtifactTest, MissingFileIsNotFound) {
  auto loaded = LoadModel(TempPath("does_not_exist"));
  ASSERT_EQ(loaded.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr("does_not_exist"));
}

TEST_F(ArtifactTest, NotAnArtifactIsDataLoss) {
  WriteBytes(path_, {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
  auto loaded = LoadModel(path_);
  ASSERT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(), HasSubstr("bad magic"));
}

TEST_F(ArtifactTest, TruncatedIsDataLoss) {
  std::vector<uint8_t> bytes = ReadBytes(path_);
  for (size_t keep : {size_t{10}, size_t{30}, bytes.size() - 1}) {
    WriteBytes(path_, std::vector<uint8_t>(bytes.begin(), bytes.begin() + keep));
    auto loaded = LoadModel(path_);
    ASSERT_EQ(loaded.status().code(), StatusCode::kDataLoss) << "kept " << keep;
    EXPECT_THAT(loaded.status().message(), HasSubstr(path_));
  }
}

TEST_F(ArtifactTest, FlippedByteIsChecksumMismatch) {
  std::vector<uint8_t> bytes = ReadBytes(path_);
  bytes[bytes.size() / 2] ^= 0x40;
  WriteBytes(path_, bytes);
  auto loaded = LoadModel(path_);
  ASSERT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(), HasSubstr("checksum mismatch"));
}

TEST_F(ArtifactTest, NewerVersionIsFailedPrecondition) {
  std::vector<uint8_t> bytes = ReadBytes(path_);
  uint32_t newer = kModelArtifactVersion + 1;
  std::memcpy(bytes.data() + 8, &newer, sizeof(newer));
  WriteBytes(path_, bytes);
  auto loaded = LoadModel(path_);
  ASSERT_EQ(loaded.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(loaded.status().message(), HasSubstr("format version 2 is newer"));
}

TEST_F(ArtifactTest, UnknownModelNameIsFailedPrecondition) {
  std::vector<uint8_t> bytes = ReadBytes(path_);
  // The name "item-knn" is stored right after magic (8), version (4) and its length (8).
  ASSERT_EQ(std::memcmp(bytes.data() + 20, "item-knn", 8), 0);
  std::memcpy(bytes.data() + 20, "item-xyz", 8);
  Reseal(bytes);
  WriteBytes(path_, bytes);
  auto loaded = LoadModel(path_);
  ASSERT_EQ(loaded.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(loaded.status().message(), HasSubstr("cannot recreate model 'item-xyz'"));
}

TEST_F(ArtifactTest, CorruptPayloadIsDataLossEvenWithAValidChecksum) {
  std::vector<uint8_t> bytes = ReadBytes(path_);
  // Payload starts with num_items (int32) after name and params strings and the payload size.
  size_t pos = 8 + 4 + 8 + 8;
  uint64_t params_size = 0;
  std::memcpy(&params_size, bytes.data() + pos, sizeof(params_size));
  pos += 8 + params_size + 8;
  int32_t wrong_items = 99;
  std::memcpy(bytes.data() + pos, &wrong_items, sizeof(wrong_items));
  Reseal(bytes);
  WriteBytes(path_, bytes);
  auto loaded = LoadModel(path_);
  ASSERT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(), HasSubstr("corrupt item-knn payload"));
}

}  // namespace
}  // namespace tailor
