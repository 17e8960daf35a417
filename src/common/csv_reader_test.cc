#include "common/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Record {
  std::vector<std::string> fields;
  int64_t line;
  std::string malformed;
};

// Reads every record of `content`; *status gets the reader's final status.
std::vector<Record> ReadCsv(const std::string& content, Status* status, char delimiter = ',') {
  const auto path = std::filesystem::temp_directory_path() /
                    ("tailor_csv_reader_test_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path, std::ios::binary) << content;
  auto lines = LineReader::Open(path.string());
  EXPECT_TRUE(lines.ok());
  CsvReader csv(**lines, delimiter);
  std::vector<Record> records;
  while (csv.Next()) {
    Record record{{}, csv.line(), std::string(csv.malformed())};
    for (std::string_view field : csv.fields()) record.fields.emplace_back(field);
    records.push_back(std::move(record));
  }
  *status = csv.status();
  std::filesystem::remove(path);
  return records;
}

TEST(CsvReaderTest, SplitsQuotesAndMultiLineFields) {
  Status status;
  const auto records = ReadCsv(
      "a,b,c\n"
      "1,\"x, y\",\"say \"\"hi\"\"\"\n"
      "\n"
      "2,\"two\nlines\",\n"
      ",,\n",
      &status);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "x, y", "say \"hi\""));
  EXPECT_THAT(records[2].fields, ElementsAre("2", "two\nlines", ""));
  EXPECT_EQ(records[2].line, 4);
  EXPECT_THAT(records[3].fields, ElementsAre("", "", ""));
  EXPECT_EQ(records[3].line, 6);
  EXPECT_EQ(records[1].malformed, "");
}

TEST(CsvReaderTest, OtherDelimiter) {
  Status status;
  const auto records = ReadCsv("1;NA;81766\n", &status, ';');
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("1", "NA", "81766"));
}

TEST(CsvReaderTest, MalformedQuotingIsReportedPerRecord) {
  Status status;
  const auto records = ReadCsv("\"ab\"c,d\nab\"c,d\nok,\"fine\"\n", &status);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[0].malformed, HasSubstr("text after a closing quote"));
  EXPECT_THAT(records[1].malformed, HasSubstr("a quote inside an unquoted field"));
  EXPECT_EQ(records[2].malformed, "");
}

TEST(CsvReaderTest, UnterminatedQuoteAtEndIsDataLoss) {
  Status status;
  const auto records = ReadCsv("a,b\n1,2\n3,\"open\nstill open\n", &status);
  EXPECT_EQ(records.size(), 2u);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr(":3: unterminated quoted field at end of file"));
}

}  // namespace
}  // namespace tailor
