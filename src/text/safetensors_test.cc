#include "text/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("tailor_st_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

// A file in the exact layout: 8-byte little-endian header length, JSON, data.
std::vector<uint8_t> RawFile(const std::string& header, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> bytes(8);
  uint64_t length = header.size();
  std::memcpy(bytes.data(), &length, 8);
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

TEST(SafeTensors, WriteThenReadRoundTrips) {
  const std::string path = TempPath("round.safetensors");
  const std::vector<float> weight{1, 2, 3, 4, 5, 6};
  const std::vector<float> bias{-0.5f};
  ASSERT_TRUE(WriteSafeTensors(path, {{"w", {2, 3}, weight}, {"b", {1}, bias}},
                               {{"format", "pt"}})
                  .ok());
  auto file = SafeTensors::Read(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->metadata().at("format"), "pt");
  EXPECT_EQ(file->tensors().at("w").shape, (std::vector<int64_t>{2, 3}));
  auto w = file->Floats("w", {2, 3});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, weight);
  auto b = file->Floats("b", {1});
  ASSERT_TRUE(b.ok());
  EXPECT_THAT(*b, ElementsAre(-0.5f));
  std::filesystem::remove(path);
}

TEST(SafeTensors, ReadsHalfAndBfloat16) {
  // F16 1.0 = 0x3c00, -2.0 = 0xc000, 2^-24 (smallest subnormal) = 0x0001;
  // BF16 1.5 = 0x3fc0.
  const std::string header =
      R"({"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},)"
      R"("g":{"dtype":"BF16","shape":[1],"data_offsets":[6,8]}})";
  auto file = SafeTensors::Parse(RawFile(header, {0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0xc0, 0x3f}),
                                 "mem");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto h = file->Floats("h", {3});
  ASSERT_TRUE(h.ok());
  EXPECT_THAT(*h, ElementsAre(1.0f, -2.0f, std::ldexp(1.0f, -24)));
  auto g = file->Floats("g", {1});
  ASSERT_TRUE(g.ok());
  EXPECT_THAT(*g, ElementsAre(1.5f));
}

TEST(SafeTensors, ShapeMismatchNamesBothShapes) {
  const std::string header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  auto file = SafeTensors::Parse(RawFile(header, std::vector<uint8_t>(8)), "model.safetensors");
  ASSERT_TRUE(file.ok());
  EXPECT_THAT(file->Floats("w", {1, 2}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'w' has shape [2], expected [1, 2]")));
  EXPECT_THAT(file->Floats("missing", {1}), StatusIs(StatusCode::kNotFound, HasSubstr("'missing'")));
}

TEST(SafeTensors, RejectsMalformedFiles) {
  EXPECT_THAT(SafeTensors::Parse({1, 2, 3}, "f"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("shorter than the 8-byte")));
  EXPECT_THAT(SafeTensors::Parse(RawFile("{", {}), "f"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("not JSON")));
  std::vector<uint8_t> huge(8, 0xff);
  EXPECT_THAT(SafeTensors::Parse(huge, "f"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("exceeds the file")));
  // Byte count does not match dtype x shape.
  EXPECT_THAT(SafeTensors::Parse(RawFile(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                                         std::vector<uint8_t>(8)),
                                 "f"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("needs 12 bytes")));
  // Truncated data.
  EXPECT_THAT(SafeTensors::Parse(RawFile(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                                         std::vector<uint8_t>(4)),
                                 "f"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("truncated")));
  // A hole between tensors.
  EXPECT_THAT(SafeTensors::Parse(RawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                         R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                                         std::vector<uint8_t>(12)),
                                 "f"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("'b' starts at byte 8, expected 4")));
}

TEST(SafeTensors, UnsupportedDtypeIsAnErrorOnlyWhenRead) {
  const std::string header = R"({"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})";
  auto file = SafeTensors::Parse(RawFile(header, std::vector<uint8_t>(8)), "f");
  ASSERT_TRUE(file.ok());
  EXPECT_THAT(file->Floats("ids", {1}), StatusIs(StatusCode::kUnimplemented, HasSubstr("I64")));
}

TEST(SafeTensors, WriterRejectsSizeMismatchAndDuplicates) {
  const std::vector<float> three{1, 2, 3};
  EXPECT_THAT(WriteSafeTensors(TempPath("bad"), {{"w", {2, 2}, three}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("3 values for shape [2, 2]")));
  EXPECT_THAT(WriteSafeTensors(TempPath("dup"), {{"w", {3}, three}, {"w", {3}, three}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("duplicate tensor 'w'")));
}

}  // namespace
}  // namespace tailor
