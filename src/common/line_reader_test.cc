#include "common/line_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lzma.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LineReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tailor_line_reader_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  static std::string Xz(const std::string& text) {
    std::string out(lzma_stream_buffer_bound(text.size()), '\0');
    size_t out_pos = 0;
    EXPECT_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                      reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                                      reinterpret_cast<uint8_t*>(out.data()), &out_pos, out.size()),
              LZMA_OK);
    out.resize(out_pos);
    return out;
  }
  // All lines of `path`, and the final status.
  static std::vector<std::string> ReadAll(const std::string& path, Status* status,
                                          bool* last_had_newline = nullptr) {
    auto reader = LineReader::Open(path);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<std::string> lines;
    std::string_view line;
    while ((*reader)->Next(&line)) lines.emplace_back(line);
    *status = (*reader)->status();
    if (last_had_newline != nullptr) *last_had_newline = (*reader)->ended_with_newline();
    return lines;
  }
  std::filesystem::path dir_;
};

TEST_F(LineReaderTest, SplitsLinesDropsCrAndBom) {
  Status status;
  bool newline = true;
  EXPECT_THAT(ReadAll(Write("a.txt", "\xEF\xBB\xBFone\r\ntwo\n\nthree"), &status, &newline),
              ElementsAre("one", "two", "", "three"));
  EXPECT_TRUE(status.ok());
  EXPECT_FALSE(newline);
  EXPECT_THAT(ReadAll(Write("b.txt", "x\n"), &status, &newline), ElementsAre("x"));
  EXPECT_TRUE(newline);
  EXPECT_THAT(ReadAll(Write("c.txt", ""), &status), ElementsAre());
}

TEST_F(LineReaderTest, LinesLongerThanTheBuffer) {
  const std::string long_line(3 << 20, 'x');
  Status status;
  const auto lines = ReadAll(Write("long.txt", "a\n" + long_line + "\nb\n"), &status);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), long_line.size());
  EXPECT_EQ(lines[2], "b");
}

TEST_F(LineReaderTest, ReadsXzByMagicNotName) {
  std::string text;
  for (int line_idx = 0; line_idx < 100000; ++line_idx) text += std::to_string(line_idx) + "\n";
  Status status;
  const auto lines = ReadAll(Write("numbers.dat", Xz(text)), &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(lines.size(), 100000u);
  EXPECT_EQ(lines[99999], "99999");
}

TEST_F(LineReaderTest, TruncatedXzIsDataLossWithLine) {
  std::string text;
  for (int line_idx = 0; line_idx < 200000; ++line_idx) {
    text += "row " + std::to_string(line_idx * 7919 % 100003) + "\n";
  }
  const std::string compressed = Xz(text);
  Status status;
  const auto lines = ReadAll(Write("cut.xz", compressed.substr(0, compressed.size() / 2)), &status);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(status.message(),
              HasSubstr("cut.xz:" + std::to_string(lines.size() + 1) + ": corrupt xz data"));
  EXPECT_GT(lines.size(), 0u);
  EXPECT_LT(lines.size(), 200000u);
}

TEST_F(LineReaderTest, MissingFileIsNotFound) {
  auto reader = LineReader::Open((dir_ / "nope.txt").string());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr("nope.txt: no such file"));
  auto dir = LineReader::Open(dir_.string());
  EXPECT_EQ(dir.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(dir.status().message(), HasSubstr("is a directory"));
}

}  // namespace
}  // namespace tailor
