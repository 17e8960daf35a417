#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/importers/importer.h"
#include "data/importers/importer_test_util.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;
using testing_util::StatusIs;
using testing_util::TempDir;

StatusOr<ImportFormat> DetectContent(const TempDir& dir, const std::string& name,
                                     const std::string& content) {
  return DetectFormat(dir.Write(name, content));
}

TEST(DetectFormatTest, NativeFilesByHeaderAndName) {
  TempDir dir;
  EXPECT_EQ(*DetectContent(dir, "e.csv", "user_id,item_id,type,timestamp\n"),
            ImportFormat::kEventsCsv);
  EXPECT_EQ(*DetectContent(dir, "catalog.csv", "id,name\n"), ImportFormat::kItemsCsv);
  EXPECT_EQ(*DetectContent(dir, "x.csv", "id,title,price\n"), ImportFormat::kItemsCsv);
  EXPECT_EQ(*DetectContent(dir, "x2.csv", "id,age,region\n"), ImportFormat::kUsersCsv);
  EXPECT_EQ(*DetectContent(dir, "customers.csv", "id,title\n"), ImportFormat::kUsersCsv);
  EXPECT_EQ(*DetectContent(dir, "e.jsonl",
                           R"({"user_id": "u", "item_id": "a", "type": "view", "timestamp": 1})"),
            ImportFormat::kEventsJsonl);
  EXPECT_EQ(*DetectContent(dir, "items.jsonl", R"({"id": "a"})"), ImportFormat::kItemsJsonl);
  EXPECT_EQ(*DetectContent(dir, "u.jsonl", R"({"id": "u1", "attributes": {"age": 3}})"),
            ImportFormat::kUsersJsonl);
}

TEST(DetectFormatTest, ResearchFilesByContent) {
  TempDir dir;
  EXPECT_EQ(*DetectContent(dir, "Toy.txt", "1 2 3 4\n2 5 6\n"), ImportFormat::kS3Rec);
  EXPECT_EQ(*DetectContent(dir, "u1.base", "1\t1\t5\t874965758\n"), ImportFormat::kMovieLens);
  EXPECT_EQ(*DetectContent(dir, "retail.csv",
                           "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,"
                           "CustomerID,Country\n"),
            ImportFormat::kOnlineRetail);
  EXPECT_EQ(*DetectContent(dir, "views.csv", "session_id;user_id;item_id;timeframe;eventdate\n"),
            ImportFormat::kDiginetica);
  EXPECT_EQ(
      *DetectContent(dir, "reviews.jsonl", R"({"overall": 5.0, "reviewerID": "A", "asin": "B"})"),
      ImportFormat::kAmazonReviews);
  EXPECT_EQ(*DetectContent(dir, "X.train.inter",
                           "user_id:token\titem_id_list:token_seq\titem_id:token\n"),
            ImportFormat::kUniSRec);
}

TEST(DetectFormatTest, DatasetFolders) {
  TempDir dir;
  dir.Write("s3/Toy.txt", "1 2 3\n");
  dir.Write("s3/Toy_item2attributes.json", "{}");
  EXPECT_EQ(*DetectFormat(dir.Path("s3")), ImportFormat::kS3Rec);
  dir.Write("uni/Sci.train.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\n");
  EXPECT_EQ(*DetectFormat(dir.Path("uni")), ImportFormat::kUniSRec);
  dir.Write("ml/ml-100k/u.data", "1\t1\t5\t874965758\n");
  EXPECT_EQ(*DetectFormat(dir.Path("ml")), ImportFormat::kMovieLens);
  EXPECT_EQ(*DetectFormat(dir.Path("ml/ml-100k")), ImportFormat::kMovieLens);
  dir.Write("retail/SOURCE.md", "# about\n");
  dir.Write("retail/data.csv",
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,"
            "CustomerID,Country\n");
  EXPECT_EQ(*DetectFormat(dir.Path("retail")), ImportFormat::kOnlineRetail);
}

TEST(DetectFormatTest, UnknownInputsSayWhy) {
  TempDir dir;
  EXPECT_THAT(DetectFormat(dir.Path("missing.csv")),
              StatusIs(StatusCode::kNotFound, HasSubstr("missing.csv: no such file")));
  EXPECT_THAT(DetectContent(dir, "a.csv", "foo,bar\n1,2\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("a.csv: cannot tell the format from its first line (foo,bar)")));
  EXPECT_THAT(DetectContent(dir, "b.csv", "id\nx\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("cannot tell items from users")));
  EXPECT_THAT(DetectContent(dir, "empty.csv", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty.csv: empty file")));
  dir.Write("two/a.csv", "id,title\n");
  dir.Write("two/b.csv", "id,title\n");
  EXPECT_THAT(
      DetectFormat(dir.Path("two")),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("several data files (a.csv, b.csv)")));
}

}  // namespace
}  // namespace tailor
