#include "data/synthetic/text_file_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tailor::synthetic {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class TextFileWriterTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tailor_writer_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TextFileWriterTest, WritesQuotedFieldsAndRenamesOnFinish) {
  const std::string path = (dir_ / "out.txt").string();
  StatusOr<std::unique_ptr<TextFileWriter>> writer = TextFileWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  TextFileWriter& out = **writer;
  out.AppendId("u", 17);
  out.Append(',');
  out.AppendInt(-42);
  out.Append(',');
  out.AppendCents(1999);
  out.Append(',');
  out.AppendCents(5);
  out.Append(',');
  out.AppendCsvField("plain");
  out.Append(',');
  out.AppendCsvField("Great, \"really\" great");
  out.Append('\n');
  out.AppendJsonString("crème \"brûlée\"\\\n\x01");
  EXPECT_FALSE(fs::exists(path));  // only the temp file exists before Finish
  ASSERT_TRUE(out.Finish().ok());
  const std::string expected =
      "u17,-42,19.99,0.05,plain,\"Great, \"\"really\"\" great\"\n"
      "\"crème \\\"brûlée\\\"\\\\\\n\\u0001\"";
  EXPECT_EQ(ReadFile(path), expected);
  EXPECT_EQ(out.bytes(), static_cast<int64_t>(expected.size()));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(TextFileWriterTest, LargeOutputSurvivesBufferFlushes) {
  const std::string path = (dir_ / "big.txt").string();
  auto writer = TextFileWriter::Create(path);
  ASSERT_TRUE(writer.ok());
  for (int line = 0; line < 300000; ++line) {
    (*writer)->AppendId("line", line);
    (*writer)->Append('\n');
  }
  const int64_t bytes = (*writer)->bytes();
  ASSERT_TRUE((*writer)->Finish().ok());
  EXPECT_EQ(static_cast<int64_t>(fs::file_size(path)), bytes);
  EXPECT_GT(bytes, 2 << 20);
}

TEST_F(TextFileWriterTest, AbandonedWriterLeavesNoFile) {
  const std::string path = (dir_ / "gone.txt").string();
  {
    auto writer = TextFileWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    (*writer)->Append("half");
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(TextFileWriterTest, MissingFolderIsNamed) {
  const std::string path = (dir_ / "no" / "such" / "file.csv").string();
  const auto writer = TextFileWriter::Create(path);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(writer.status().message(), HasSubstr(path + ".tmp"));
  EXPECT_THAT(writer.status().message(), HasSubstr("No such file"));
}

}  // namespace
}  // namespace tailor::synthetic
