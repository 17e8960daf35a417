#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/importers/importer.h"
#include "data/importers/importer_test_util.h"

namespace tailor {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using testing_util::StatusIs;
using testing_util::TempDir;

constexpr char kEventsWithTwoBadRows[] =
    "user_id,item_id,type,timestamp\n"
    "u1,a,view,1700000000\n"
    "u1,a,purchase,not-a-time\n"
    "u2,a,view,1700000100\n"
    "u2,ghost,view,1700000200\n";

ImportOptions KnowsItemA() {
  ImportOptions options;
  options.item_exists = [](std::string_view id) { return id == "a"; };
  return options;
}

TEST(ImportPathTest, DefaultReturnsGoodRowsAndTheRejected) {
  TempDir dir;
  const std::string path = dir.Write("events.csv", kEventsWithTwoBadRows);
  auto result = ImportPath(path, ImportFormat::kAuto, KnowsItemA());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "events-csv");
  EXPECT_EQ(result->rows_read, 4);
  EXPECT_THAT(result->batch.events, SizeIs(2));
  ASSERT_THAT(result->rejected, SizeIs(2));
  EXPECT_EQ(result->rejected[0].line, 3);
  EXPECT_EQ(result->rejected[1].line, 5);
}

TEST(ImportPathTest, StrictFailsListingTheRejectedRowsAndCount) {
  TempDir dir;
  const std::string path = dir.Write("events.csv", kEventsWithTwoBadRows);
  ImportOptions options = KnowsItemA();
  options.strict = true;
  EXPECT_THAT(ImportPath(path, ImportFormat::kEventsCsv, options),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("2 rows rejected (strict mode: nothing imported)"),
                             HasSubstr("events.csv:3: field 'timestamp': not a date or unix time "
                                       "('not-a-time')"),
                             HasSubstr("events.csv:5: field 'item_id': unknown item 'ghost'"))));
}

TEST(ImportPathTest, StrictShowsFiveRowsAndTheRest) {
  TempDir dir;
  std::string content = "user_id,item_id,type,timestamp\n";
  for (int row_idx = 0; row_idx < 8; ++row_idx) content += "u,a,view,bad\n";
  const std::string path = dir.Write("events.csv", content);
  ImportOptions options = KnowsItemA();
  options.strict = true;
  EXPECT_THAT(ImportPath(path, ImportFormat::kEventsCsv, options),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("8 rows rejected"), HasSubstr("events.csv:6:"),
                             Not(HasSubstr("events.csv:7:")), HasSubstr("and 3 more"))));
}

TEST(ImportPathTest, StrictWithCleanFileSucceeds) {
  TempDir dir;
  const std::string path = dir.Write("events.csv", "user_id,item_id,type,timestamp\nu,a,view,1\n");
  ImportOptions options = KnowsItemA();
  options.strict = true;
  auto result = ImportPath(path, ImportFormat::kEventsCsv, options);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->batch.events, SizeIs(1));
}

TEST(ImportPathTest, MissingPathIsNotFound) {
  EXPECT_THAT(ImportPath("/no/such/events.csv", ImportFormat::kAuto, {}),
              StatusIs(StatusCode::kNotFound, HasSubstr("/no/such/events.csv")));
  EXPECT_THAT(ImportPath("/no/such/dir", ImportFormat::kS3Rec, {}),
              StatusIs(StatusCode::kNotFound, HasSubstr("/no/such/dir")));
}

TEST(ImportPathTest, ProgressIsReported) {
  TempDir dir;
  std::string content = "user_id,item_id,type,timestamp\n";
  for (int row_idx = 0; row_idx < 70000; ++row_idx) content += "u,a,view,1\n";
  const std::string path = dir.Write("events.csv", content);
  ImportOptions options = KnowsItemA();
  std::vector<ProgressUpdate> updates;
  options.progress = [&updates](const ProgressUpdate& update) { updates.push_back(update); };
  ASSERT_TRUE(ImportPath(path, ImportFormat::kEventsCsv, options).ok());
  ASSERT_THAT(updates, SizeIs(2));  // one every 65,536 rows, one at the end
  EXPECT_EQ(updates.back().stage, "import events.csv");
  EXPECT_EQ(updates.back().done, static_cast<int64_t>(content.size()));
  EXPECT_EQ(updates.back().total, static_cast<int64_t>(content.size()));
}

TEST(QuarantineTest, WritesOneJsonObjectPerRejectedRow) {
  TempDir dir;
  const std::string path = dir.Write("events.csv", kEventsWithTwoBadRows);
  auto result = ImportPath(path, ImportFormat::kEventsCsv, KnowsItemA());
  ASSERT_TRUE(result.ok());
  RejectedRow invalid_utf8{"x.csv", 9, "text", "invalid UTF-8 at byte 2", "a\xFF"};
  result->rejected.push_back(invalid_utf8);
  const std::string quarantine = dir.Path("events.csv.rejected.jsonl");
  ASSERT_TRUE(WriteQuarantine(result->rejected, quarantine).ok());
  std::ifstream in(quarantine);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_THAT(lines, SizeIs(3));
  EXPECT_EQ(lines[0], nlohmann::json({{"file", path},
                                      {"line", 3},
                                      {"field", "timestamp"},
                                      {"reason", "not a date or unix time ('not-a-time')"},
                                      {"raw", "u1,a,purchase,not-a-time"}}));
  EXPECT_EQ(lines[1]["line"], 5);
  EXPECT_EQ(lines[1]["field"], "item_id");
  EXPECT_EQ(lines[2]["raw"], "a\xEF\xBF\xBD");  // U+FFFD replaces the bad byte
}

TEST(QuarantineTest, UnwritablePathIsUnavailable) {
  EXPECT_THAT(WriteQuarantine({}, "/no/such/dir/q.jsonl"),
              StatusIs(StatusCode::kUnavailable, HasSubstr("/no/such/dir/q.jsonl")));
}

TEST(FormatRejectedTest, WithAndWithoutField) {
  EXPECT_EQ(
      FormatRejected({"events.csv", 7, "timestamp", "not a date or unix time ('2024-13-45')", ""}),
      "events.csv:7: field 'timestamp': not a date or unix time ('2024-13-45')");
  EXPECT_EQ(FormatRejected({"e.csv", 2, "", "expected 4 columns, found 3", ""}),
            "e.csv:2: expected 4 columns, found 3");
}

TEST(ImportFormatTest, NamesRoundTrip) {
  for (ImportFormat format :
       {ImportFormat::kAuto, ImportFormat::kItemsCsv, ImportFormat::kItemsJsonl,
        ImportFormat::kUsersCsv, ImportFormat::kUsersJsonl, ImportFormat::kEventsCsv,
        ImportFormat::kEventsJsonl, ImportFormat::kS3Rec, ImportFormat::kUniSRec,
        ImportFormat::kMovieLens, ImportFormat::kOnlineRetail, ImportFormat::kAmazonReviews,
        ImportFormat::kDiginetica}) {
    auto parsed = ParseImportFormat(ImportFormatName(format));
    ASSERT_TRUE(parsed.ok()) << ImportFormatName(format);
    EXPECT_EQ(*parsed, format);
  }
  EXPECT_EQ(*ParseImportFormat("Online_Retail"), ImportFormat::kOnlineRetail);
  EXPECT_EQ(ImportFormatName(ImportFormat::kS3Rec), "s3rec");
  EXPECT_THAT(
      ParseImportFormat("parquet"),
      StatusIs(StatusCode::kInvalidArgument,
               AllOf(HasSubstr("unknown import format 'parquet'"), HasSubstr("movielens"))));
}

}  // namespace
}  // namespace tailor
