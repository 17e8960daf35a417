// The research-format importers on small fixtures written by each test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lzma.h>

#include "data/importers/importer.h"
#include "data/importers/importer_test_util.h"
#include "data/importers/unisrec_text.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using testing_util::CountType;
using testing_util::DistinctItems;
using testing_util::DistinctUsers;
using testing_util::StatusIs;
using testing_util::TempDir;

std::string XzCompress(const std::string& text) {
  std::string out(lzma_stream_buffer_bound(text.size()), '\0');
  size_t out_pos = 0;
  const lzma_ret ret = lzma_easy_buffer_encode(
      6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(text.data()), text.size(),
      reinterpret_cast<uint8_t*>(out.data()), &out_pos, out.size());
  EXPECT_EQ(ret, LZMA_OK);
  out.resize(out_pos);
  return out;
}

// "user item item ..." sequences of events as "user:item@timestamp".
std::vector<std::string> EventKeys(const WriteBatch& batch) {
  std::vector<std::string> keys;
  for (const Event& event : batch.events) {
    keys.push_back(event.user_id + ":" + event.item_id + "@" + std::to_string(event.timestamp));
  }
  return keys;
}

TEST(S3RecTest, FolderWithAttributesAndDatamaps) {
  TempDir dir;
  dir.Write("Toy_and_Games.txt", "1 10 11 12\n2 11 13\n1 10\n");
  dir.Write("Toy_and_Games_item2attributes.json", R"({"10": [1, 2], "11": [3]})");
  dir.Write("toy_datamaps.json", R"({"id2item": {"10": "B0010", "13": "B0013"}})");
  dir.Write("SOURCE.md", "not data\n");
  auto result = ImportPath(dir.Path(), ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "s3rec");
  EXPECT_THAT(result->rejected, IsEmpty());
  EXPECT_FALSE(result->batch.create_missing_items);
  EXPECT_THAT(EventKeys(result->batch),
              ElementsAre("1:10@1", "1:11@2", "1:12@3", "2:11@1", "2:13@2", "1:10@4"));
  EXPECT_EQ(CountType(result->batch, "purchase"), 6u);
  ASSERT_THAT(result->batch.items, SizeIs(4));
  EXPECT_EQ(result->batch.items[0].id, "10");
  EXPECT_THAT(result->batch.items[0].categories, ElementsAre("attr:1", "attr:2"));
  EXPECT_EQ(result->batch.items[0].attributes_json, R"({"asin":"B0010"})");
  EXPECT_THAT(result->batch.items[2].categories, IsEmpty());
  EXPECT_EQ(result->batch.items[2].attributes_json, "{}");
  EXPECT_EQ(result->files.size(), 3u);
}

TEST(S3RecTest, FolderWithOnlyTheSequenceFile) {
  TempDir dir;
  dir.Write("Shop.txt", "7 1 2\n8 2 3 4\n9\n");
  auto result = ImportPath(dir.Path(), ImportFormat::kS3Rec, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(DistinctUsers(result->batch), 2u);
  EXPECT_EQ(DistinctItems(result->batch), 4u);
  ASSERT_THAT(result->rejected, SizeIs(1));
  EXPECT_EQ(FormatRejected(result->rejected[0]),
            dir.Path("Shop.txt") + ":3: no items after the user id");
}

TEST(S3RecTest, BadAttributesFileIsNamed) {
  TempDir dir;
  dir.Write("Toy.txt", "1 2 3\n");
  dir.Write("Toy_item2attributes.json", R"({"2": [1, 2)");
  EXPECT_THAT(
      ImportPath(dir.Path(), ImportFormat::kS3Rec, {}),
      StatusIs(StatusCode::kDataLoss, HasSubstr("Toy_item2attributes.json: JSON ends early")));
}

class UniSRecTest : public ::testing::Test {
 protected:
  // User U0's sequence is A0..A6 with histories cut to the last 3 items; U1's is A2 A0 A3 A1
  // A4. Training rows are in the files' descending order.
  void WriteDataset() {
    const std::string header = "user_id:token\titem_id_list:token_seq\titem_id:token\n";
    dir_.Write("Sci.train.inter", header +
                                      "0\t1 2 3\t4\n0\t0 1 2\t3\n0\t0 1\t2\n0\t0\t1\n"
                                      "1\t2 0\t3\n1\t2\t0\n");
    dir_.Write("Sci.valid.inter", header + "0\t2 3 4\t5\n1\t2 0 3\t1\n");
    dir_.Write("Sci.test.inter", header + "0\t3 4 5\t6\n1\t0 3 1\t4\n");
    std::string items;
    for (int item_idx = 0; item_idx < 7; ++item_idx) {
      items += "A" + std::to_string(item_idx) + "\t" + std::to_string(item_idx) + "\n";
    }
    dir_.Write("Sci.item2index", items);
    dir_.Write("Sci.user2index", "U0\t0\nU1\t1\n");
    dir_.Write("Sci.text",
               "item_id:token\ttext:token_seq\n"
               "A0\tMr. Heater Kit. Lab Gear Pumps Pump Parts. Mr. Heater. \n"
               "A1\tGlue, 8 oz. Lab Gear Tapes. Gorilla. \n"
               "A2\tFan, 24 in. . TPI. \n"
               "A3\tTape. Lab Gear Tapes Foam. J.V. Converting. \n"
               "A4\tPlain title\n");
  }
  TempDir dir_;
};

TEST_F(UniSRecTest, StitchesFullSequencesFromTruncatedHistories) {
  WriteDataset();
  auto result = ImportPath(dir_.Path(), ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "unisrec");
  EXPECT_THAT(result->rejected, IsEmpty());
  EXPECT_THAT(EventKeys(result->batch),
              ElementsAre("U0:A0@1", "U0:A1@2", "U0:A2@3", "U0:A3@4", "U0:A4@5", "U0:A5@6",
                          "U0:A6@7", "U1:A2@1", "U1:A0@2", "U1:A3@3", "U1:A1@4", "U1:A4@5"));
  ASSERT_THAT(result->batch.items, SizeIs(7));
  const Item& heater = result->batch.items[0];
  EXPECT_EQ(heater.id, "A0");
  EXPECT_EQ(heater.title, "Mr. Heater Kit");
  EXPECT_THAT(heater.categories, ElementsAre("Lab Gear", "Pumps Pump Parts"));
  EXPECT_EQ(heater.brand, "Mr. Heater");
  EXPECT_EQ(heater.description, "Mr. Heater Kit. Lab Gear Pumps Pump Parts. Mr. Heater.");
  EXPECT_EQ(result->batch.items[2].title, "Fan, 24 in");
  EXPECT_THAT(result->batch.items[2].categories, IsEmpty());
  EXPECT_EQ(result->batch.items[2].brand, "TPI");
  EXPECT_EQ(result->batch.items[3].brand, "J.V. Converting");
  EXPECT_EQ(result->batch.items[4].title, "Plain title");
  EXPECT_EQ(result->batch.items[5].title, "");  // no text
}

TEST_F(UniSRecTest, InconsistentHistoryIsRejectedForThatUser) {
  WriteDataset();
  const std::string header = "user_id:token\titem_id_list:token_seq\titem_id:token\n";
  dir_.Write("Sci.valid.inter", header + "0\t2 3 4\t5\n1\t6 6 6\t1\n");
  auto result = ImportPath(dir_.Path("Sci.train.inter"), ImportFormat::kUniSRec, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(DistinctUsers(result->batch), 1u);
  ASSERT_THAT(result->rejected, SizeIs(1));
  EXPECT_EQ(FormatRejected(result->rejected[0]),
            dir_.Path("Sci.test.inter") +
                ":3: user U1: the valid history does not continue the "
                "training sequence");
}

TEST(ItemTextTest, FindsTheCategoryRoot) {
  EXPECT_EQ(FindCategoryRoot({"A. Industrial & Scientific Tapes. B.",
                              "C. Industrial & Scientific Lab Jars. D.",
                              "E. Industrial & Scientific Tapes Foam. F. G."}),
            "Industrial & Scientific");
  EXPECT_EQ(FindCategoryRoot({"no separators here"}), "");
}

TEST(MovieLensTest, FolderWithCatalogAndUsers) {
  TempDir dir;
  dir.Write("ml-100k/u.data", "1\t10\t5\t874965758\n2\t11\t3\t876893171\n2\t99\t4\t1\n");
  dir.Write("ml-100k/u.item",
            "10|Caf\xE9 Society (1995)|01-Jan-1995||http://imdb/x|0|1|0|0|0|1|0|0|0|0|0|0|0|0|0|0"
            "|0|0|0\n"
            "11|Heat (1995)|01-Jan-1995||http://imdb/y|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0\n");
  dir.Write("ml-100k/u.user", "1|24|M|technician|85711\n2|53|F|other|02139\n");
  auto result = ImportPath(dir.Path(), ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "movielens");
  EXPECT_FALSE(result->batch.create_missing_items);
  ASSERT_THAT(result->batch.items, SizeIs(2));
  EXPECT_EQ(result->batch.items[0].title, "Caf\xC3\xA9 Society (1995)");
  EXPECT_THAT(result->batch.items[0].categories, ElementsAre("Action", "Comedy"));
  EXPECT_EQ(result->batch.items[0].attributes_json,
            R"({"imdb_url":"http://imdb/x","release_date":"01-Jan-1995"})");
  EXPECT_THAT(result->batch.items[1].categories, ElementsAre("Thriller"));
  ASSERT_THAT(result->batch.users, SizeIs(2));
  EXPECT_EQ(result->batch.users[1].attributes_json,
            R"({"age":53,"gender":"F","occupation":"other","zip":"02139"})");
  ASSERT_THAT(result->batch.events, SizeIs(2));
  EXPECT_EQ(result->batch.events[0].type, "rating");
  EXPECT_EQ(result->batch.events[0].value, 5.0);
  EXPECT_EQ(result->batch.events[0].timestamp, 874965758);
  ASSERT_THAT(result->rejected, SizeIs(1));
  EXPECT_EQ(FormatRejected(result->rejected[0]),
            dir.Path("ml-100k/u.data") +
                ":3: field 'item_id': unknown item '99' (import it in the catalog first, or in "
                "the same command)");
}

TEST(MovieLensTest, SingleRatingsFileCreatesItems) {
  TempDir dir;
  const std::string path = dir.Write("u1.base", "1\t10\t5\t874965758\n1\t11\tfive\t874965759\n");
  auto result = ImportPath(path, ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->batch.create_missing_items);
  EXPECT_THAT(result->batch.events, SizeIs(1));
  ASSERT_THAT(result->rejected, SizeIs(1));
  EXPECT_EQ(FormatRejected(result->rejected[0]),
            path + ":2: field 'rating': not a number ('five')");
}

constexpr char kRetailCsv[] =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n"
    "536365,71053,\"LANTERN, METAL \",6,2010-12-01 08:26:00,3.39,17850,United Kingdom\n"
    "C536379,85123A,WHITE HANGING HEART,-1,2010-12-01 09:41:00,2.75,17850.0,United Kingdom\n"
    "536414,22139,nan,56,2010-12-01 11:52:00,0.0,,United Kingdom\n"
    "536415,22139,RETROSPOT TEA SET,2,2010-12-01 11:57:00,4.95,,France\n"
    "536416,22139,RETROSPOT TEA SET,2,2010-13-01 11:57:00,4.95,12583,France\n";

void ExpectRetailBatch(const std::string& path, const ImportResult& result) {
  EXPECT_EQ(result.format, "online-retail");
  ASSERT_THAT(result.batch.events, SizeIs(4));
  const Event& first = result.batch.events[0];
  EXPECT_EQ(first.user_id, "17850");
  EXPECT_EQ(first.type, "purchase");
  EXPECT_EQ(first.value, 6.0);
  EXPECT_EQ(first.timestamp, 1291191960);
  EXPECT_EQ(first.session_id, "536365");
  EXPECT_EQ(first.event_id, "536365#1");
  EXPECT_EQ(result.batch.events[1].event_id, "536365#2");
  const Event& cancel = result.batch.events[2];
  EXPECT_EQ(cancel.type, "return");
  EXPECT_EQ(cancel.value, 1.0);
  EXPECT_EQ(cancel.user_id, "17850");
  EXPECT_EQ(result.batch.events[3].user_id, "guest:536415");
  ASSERT_THAT(result.batch.items, SizeIs(3));
  EXPECT_EQ(result.batch.items[0].id, "85123A");
  EXPECT_EQ(result.batch.items[0].price, 2.75);  // the last price seen
  EXPECT_EQ(result.batch.items[0].currency, "GBP");
  EXPECT_EQ(result.batch.items[1].title, "LANTERN, METAL");
  EXPECT_EQ(result.batch.items[2].title, "RETROSPOT TEA SET");
  ASSERT_THAT(result.batch.users, SizeIs(2));
  EXPECT_EQ(result.batch.users[1].id, "guest:536415");
  EXPECT_EQ(result.batch.users[1].attributes_json, R"({"country":"France"})");
  ASSERT_THAT(result.rejected, SizeIs(2));
  EXPECT_EQ(FormatRejected(result.rejected[0]),
            path +
                ":5: field 'UnitPrice': must be > 0 ('0.0'; zero and negative prices are "
                "stock adjustments)");
  EXPECT_EQ(FormatRejected(result.rejected[1]),
            path + ":7: field 'InvoiceDate': not a date or unix time ('2010-13-01 11:57:00')");
}

TEST(OnlineRetailTest, PlainCsv) {
  TempDir dir;
  const std::string path = dir.Write("retail.csv", kRetailCsv);
  auto result = ImportPath(path, ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectRetailBatch(path, *result);
}

TEST(OnlineRetailTest, XzCompressedCsv) {
  TempDir dir;
  const std::string path = dir.Write("retail.csv.xz", XzCompress(kRetailCsv));
  auto result = ImportPath(path, ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectRetailBatch(path, *result);
}

TEST(OnlineRetailTest, TruncatedXzIsDataLoss) {
  TempDir dir;
  std::string content =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,"
      "CustomerID,Country\n";
  for (int row_idx = 0; row_idx < 2000; ++row_idx) {
    content += std::to_string(500000 + row_idx) + ",1,X,1,2010-12-01 08:26:00,1.5,1,UK\n";
  }
  const std::string compressed = XzCompress(content);
  const std::string path = dir.Write("cut.csv.xz", compressed.substr(0, compressed.size() / 2));
  EXPECT_THAT(ImportPath(path, ImportFormat::kOnlineRetail, {}),
              StatusIs(StatusCode::kDataLoss, HasSubstr("cut.csv.xz:")));
  std::string corrupt = compressed;
  for (size_t byte_idx = 100; byte_idx < 140; ++byte_idx) corrupt[byte_idx] ^= 0x5A;
  const std::string corrupt_path = dir.Write("corrupt.csv.xz", corrupt);
  EXPECT_THAT(ImportPath(corrupt_path, ImportFormat::kOnlineRetail, {}),
              StatusIs(StatusCode::kDataLoss, HasSubstr("corrupt.csv.xz:")));
}

TEST(AmazonReviewsTest, RatingAndReviewEvents) {
  TempDir dir;
  const std::string path = dir.Write(
      "reviews.jsonl",
      R"({"overall": 5.0, "reviewerID": "R1", "asin": "B1", "summary": "Five Stars", )"
      R"("reviewText": "Great product!", "unixReviewTime": 1441324800})"
      "\n"
      R"({"overall": 2.0, "reviewerID": "R2", "asin": "B1", "unixReviewTime": 1441324801})"
      "\n"
      R"({"overall": "high", "reviewerID": "R3", "asin": "B2", "unixReviewTime": 1})"
      "\n");
  auto result = ImportPath(path, ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "amazon-reviews");
  EXPECT_TRUE(result->batch.create_missing_items);
  ASSERT_THAT(result->batch.events, SizeIs(3));
  EXPECT_EQ(result->batch.events[0].type, "rating");
  EXPECT_EQ(result->batch.events[0].value, 5.0);
  EXPECT_EQ(result->batch.events[1].type, "review");
  EXPECT_EQ(result->batch.events[1].text, "Five Stars. Great product!");
  EXPECT_EQ(result->batch.events[1].timestamp, 1441324800);
  EXPECT_EQ(result->batch.events[2].user_id, "R2");
  ASSERT_THAT(result->rejected, SizeIs(1));
  EXPECT_EQ(FormatRejected(result->rejected[0]),
            path + ":3: field 'overall': missing or not a number");
}

TEST(DigineticaTest, AnonymousSessionsBecomeUsers) {
  TempDir dir;
  const std::string path = dir.Write("views.csv",
                                     "session_id;user_id;item_id;timeframe;eventdate\n"
                                     "1;NA;81766;526309;2016-05-09\n"
                                     "2;5776;31331;1031;2016-05-09\n"
                                     "3;NA;32118;soon;2016-05-09\n");
  auto result = ImportPath(path, ImportFormat::kAuto, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "diginetica");
  EXPECT_TRUE(result->batch.create_missing_items);
  ASSERT_THAT(result->batch.events, SizeIs(2));
  EXPECT_EQ(result->batch.events[0].user_id, "session:1");
  EXPECT_EQ(result->batch.events[0].type, "view");
  EXPECT_EQ(result->batch.events[0].session_id, "1");
  EXPECT_EQ(result->batch.events[0].timestamp, 1462752000 + 526);
  EXPECT_EQ(result->batch.events[1].user_id, "5776");
  ASSERT_THAT(result->rejected, SizeIs(1));
  EXPECT_EQ(FormatRejected(result->rejected[0]),
            path + ":4: field 'timeframe': not an integer ('soon')");
}

}  // namespace
}  // namespace tailor
