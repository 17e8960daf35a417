#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/importers/importer.h"
#include "data/importers/importer_test_util.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using testing_util::StatusIs;
using testing_util::TempDir;

ImportOptions WithItems(std::vector<std::string> ids) {
  ImportOptions options;
  options.item_exists = [ids](std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  return options;
}

std::vector<std::string> Rejections(const ImportResult& result) {
  std::vector<std::string> lines;
  for (const RejectedRow& row : result.rejected) lines.push_back(FormatRejected(row));
  return lines;
}

TEST(ItemsCsvTest, ReadsEveryColumn) {
  TempDir dir;
  const std::string path = dir.Write(
      "items.csv",
      "id,title,description,categories,brand,price,currency,in_stock,created_at,attributes,color\n"
      "a,Apple,\"Crisp, red\nand sweet\",Food > Fruit > Apples,Orchard,1.5,eur,false,2024-05-01,"
      "\"{\"\"organic\"\": true}\",red\n"
      "b,Banana,,Food > Fruit,,2,,,1714557600,,\n");
  auto result = ImportPath(path, ImportFormat::kItemsCsv, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->rejected, IsEmpty());
  EXPECT_EQ(result->rows_read, 2);
  EXPECT_EQ(result->format, "items-csv");
  ASSERT_THAT(result->batch.items, SizeIs(2));
  const Item& apple = result->batch.items[0];
  EXPECT_EQ(apple.id, "a");
  EXPECT_EQ(apple.title, "Apple");
  EXPECT_EQ(apple.description, "Crisp, red\nand sweet");
  EXPECT_THAT(apple.categories, ElementsAre("Food", "Fruit", "Apples"));
  EXPECT_EQ(apple.brand, "Orchard");
  EXPECT_EQ(apple.price, 1.5);
  EXPECT_EQ(apple.currency, "EUR");
  EXPECT_FALSE(apple.in_stock);
  EXPECT_EQ(apple.created_at, 1714521600);
  EXPECT_EQ(apple.attributes_json, R"({"color":"red","organic":true})");
  const Item& banana = result->batch.items[1];
  EXPECT_EQ(banana.price, 2.0);
  EXPECT_TRUE(banana.in_stock);
  EXPECT_EQ(banana.created_at, 1714557600);
  EXPECT_EQ(banana.attributes_json, "{}");
}

TEST(ItemsCsvTest, RejectsBadFieldsWithLineFieldAndReason) {
  TempDir dir;
  const std::string path = dir.Write("items.csv",
                                     "id,title,price,in_stock,attributes,currency\n"
                                     "a,Apple,1.5,true,,\n"
                                     "b,Banana,abc,true,,\n"
                                     "c,Cherry,-2,true,,\n"
                                     "d,Date,1,maybe,,\n"
                                     "e,Elder,1,1,{oops,\n"
                                     ",Nameless,1,1,,\n"
                                     "f,Fig,1,1,,euros\n"
                                     "g,Gr\xC3\x28pe,1,1,,\n");
  auto result = ImportPath(path, ImportFormat::kItemsCsv, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_THAT(result->batch.items, SizeIs(1));
  EXPECT_THAT(Rejections(*result),
              ElementsAre(path + ":3: field 'price': not a number ('abc')",
                          path + ":4: field 'price': must be >= 0 ('-2')",
                          path + ":5: field 'in_stock': not true/false/1/0 ('maybe')",
                          path + ":6: field 'attributes': not valid JSON ('{oops')",
                          path + ":7: field 'id': empty id",
                          path + ":8: field 'currency': not a 3-letter ISO 4217 code ('euros')",
                          path + ":9: field 'title': invalid UTF-8 at byte 3"));
  EXPECT_EQ(result->rejected[0].raw, "b,Banana,abc,true,,");
}

TEST(ItemsCsvTest, ImageVectorColumn) {
  TempDir dir;
  const std::string path = dir.Write("items.csv",
                                     "id,title,image_vector\n"
                                     "a,Apple,\"0.5, -2, 0.25\"\n"
                                     "b,Banana,[1;2]\n"
                                     "c,Cherry,\n"
                                     "d,Date,1 two 3\n"
                                     "e,Elder,1e40\n");
  auto result = ImportPath(path, ImportFormat::kItemsCsv, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_THAT(result->batch.items, SizeIs(3));
  EXPECT_THAT(result->batch.items[0].image_vector, ElementsAre(0.5f, -2.0f, 0.25f));
  EXPECT_THAT(result->batch.items[1].image_vector, ElementsAre(1.0f, 2.0f));
  EXPECT_THAT(result->batch.items[2].image_vector, IsEmpty());
  EXPECT_THAT(Rejections(*result),
              ElementsAre(path + ":5: field 'image_vector': image vector entry 1 is not a "
                                 "number ('two')",
                          path + ":6: field 'image_vector': image vector entry 0 is not a "
                                 "finite float"));
}

TEST(ItemsCsvTest, MissingIdColumnFailsTheFile) {
  TempDir dir;
  const std::string path = dir.Write("items.csv", "title,price\nApple,1\n");
  EXPECT_THAT(ImportPath(path, ImportFormat::kItemsCsv, {}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("items.csv:1: missing required column 'id' (the header has: "
                                 "title, price)")));
}

TEST(UsersCsvTest, EveryOtherColumnIsAnAttribute) {
  TempDir dir;
  const std::string path = dir.Write("users.csv",
                                     "id,age,region,zip,vip\n"
                                     "u1,31,north,02139,true\n"
                                     "u2,,south,85711,false\n");
  auto result = ImportPath(path, ImportFormat::kUsersCsv, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_THAT(result->batch.users, SizeIs(2));
  EXPECT_EQ(result->batch.users[0].id, "u1");
  EXPECT_EQ(result->batch.users[0].attributes_json,
            R"({"age":31,"region":"north","vip":true,"zip":"02139"})");
  EXPECT_EQ(result->batch.users[1].attributes_json,
            R"({"region":"south","vip":false,"zip":85711})");
}

TEST(UsersCsvTest, RejectsInvalidUtf8InAnAttribute) {
  TempDir dir;
  const std::string path = dir.Write("users.csv", "id,region\nu1,nor\xFFth\n");
  auto result = ImportPath(path, ImportFormat::kUsersCsv, {});
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(Rejections(*result),
              ElementsAre(path + ":2: field 'region': invalid UTF-8 at byte 4"));
}

class EventsCsvTest : public ::testing::Test {
 protected:
  StatusOr<ImportResult> Import(const std::string& content, ImportOptions options) {
    path_ = dir_.Write("events.csv", content);
    return ImportPath(path_, ImportFormat::kEventsCsv, options);
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(EventsCsvTest, ReadsEveryColumn) {
  auto result = Import(
      "user_id,item_id,type,timestamp,value,text,session_id,event_id\r\n"
      "u1,a,rating,2024-05-01T10:00:00+02:00,4.5,\"Great, \"\"really\"\"\",s1,e1\r\n"
      "u2,b,view,1714557600,,,,\r\n",
      WithItems({"a", "b"}));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->rejected, IsEmpty());
  ASSERT_THAT(result->batch.events, SizeIs(2));
  const Event& rating = result->batch.events[0];
  EXPECT_EQ(rating.user_id, "u1");
  EXPECT_EQ(rating.item_id, "a");
  EXPECT_EQ(rating.type, "rating");
  EXPECT_EQ(rating.timestamp, 1714550400);
  EXPECT_EQ(rating.value, 4.5);
  EXPECT_EQ(rating.text, "Great, \"really\"");
  EXPECT_EQ(rating.session_id, "s1");
  EXPECT_EQ(rating.event_id, "e1");
  const Event& view = result->batch.events[1];
  EXPECT_EQ(view.value, std::nullopt);
  EXPECT_EQ(view.timestamp, 1714557600);
  EXPECT_EQ(result->files, std::vector<std::string>{path_});
}

TEST_F(EventsCsvTest, RejectsEachBadRowWithItsReason) {
  auto result = Import(
      "timestamp,user_id,type,item_id,value,text\n"  // columns in any order
      "1714557600,u1,view,a,,\n"                     // good
      "2024-13-45,u1,view,a,,\n"                     // bad date
      "1714557600,u1,rating,a,lots,\n"               // bad number
      "1714557600,u1,view,zzz,,\n"                   // unknown item
      "1714557600,u1,wishlist,a,,\n"                 // unknown type
      "1714557600,u1,review,a,,caf\xC3\n"            // invalid UTF-8
      "1714557600,u1,view\n"                         // too few columns
      "1714557600,,view,a,,\n"                       // empty user
      "1714557600,u1,view,a,,\"ok\"x\n",             // malformed quoting
      WithItems({"a"}));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->batch.events, SizeIs(1));
  EXPECT_EQ(result->rows_read, 9);
  const std::vector<std::string> rejections = Rejections(*result);
  ASSERT_THAT(rejections, SizeIs(8));
  EXPECT_EQ(rejections[0], path_ + ":3: field 'timestamp': not a date or unix time ('2024-13-45')");
  EXPECT_EQ(rejections[1], path_ + ":4: field 'value': not a number ('lots')");
  EXPECT_EQ(rejections[2],
            path_ +
                ":5: field 'item_id': unknown item 'zzz' (import it in the catalog first, or "
                "in the same command)");
  EXPECT_THAT(rejections[3], HasSubstr(path_ + ":6: field 'type': unknown event type 'wishlist'"));
  EXPECT_EQ(rejections[4], path_ + ":7: field 'text': invalid UTF-8 at byte 4");
  EXPECT_EQ(rejections[5], path_ + ":8: expected 6 columns, found 3");
  EXPECT_EQ(rejections[6], path_ + ":9: field 'user_id': empty id");
  EXPECT_THAT(rejections[7], HasSubstr(path_ + ":10: text after a closing quote"));
  EXPECT_EQ(result->rejected[1].field, "value");
  EXPECT_EQ(result->rejected[1].line, 4);
  EXPECT_EQ(result->rejected[1].raw, "1714557600,u1,rating,a,lots,");
}

TEST_F(EventsCsvTest, RegisteredTypesAreKnown) {
  ImportOptions options = WithItems({"a"});
  options.event_type_exists = [](std::string_view type) { return type == "wishlist"; };
  auto result = Import("user_id,item_id,type,timestamp\nu1,a,wishlist,2024-05-01\n", options);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->rejected, IsEmpty());
  EXPECT_EQ(result->batch.events[0].timestamp, 1714521600);
}

TEST_F(EventsCsvTest, AsksTheStoreOncePerDistinctItem) {
  ImportOptions options;
  std::vector<std::string> asked;
  options.item_exists = [&asked](std::string_view id) {
    asked.emplace_back(id);
    return id == "a";
  };
  auto result = Import(
      "user_id,item_id,type,timestamp\nu1,a,view,1\nu2,a,view,2\nu3,b,view,3\n"
      "u4,b,view,4\nu5,a,view,5\n",
      options);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(asked, ElementsAre("a", "b"));
  EXPECT_THAT(result->batch.events, SizeIs(3));
  EXPECT_THAT(result->rejected, SizeIs(2));
}

TEST_F(EventsCsvTest, IdLongerThan256BytesIsRejected) {
  const std::string long_id(257, 'x');
  auto result =
      Import("user_id,item_id,type,timestamp\n" + long_id + ",a,view,1\n", WithItems({"a"}));
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(Rejections(*result),
              ElementsAre(path_ + ":2: field 'user_id': id is 257 bytes, longer than 256"));
}

TEST_F(EventsCsvTest, MissingRequiredColumnFailsTheFile) {
  EXPECT_THAT(Import("user_id,item_id,type\nu1,a,view\n", {}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("events.csv:1: missing required column 'timestamp' (the header "
                                 "has: user_id, item_id, type)")));
}

TEST_F(EventsCsvTest, UnknownColumnFailsTheFile) {
  EXPECT_THAT(
      Import("user_id,item_id,type,timestamp,valeu\nu1,a,view,1,2\n", {}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("events.csv:1: unknown column 'valeu'")));
}

TEST_F(EventsCsvTest, EmptyFileFails) {
  EXPECT_THAT(Import("", {}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("events.csv: empty file (expected a header row)")));
}

TEST_F(EventsCsvTest, UnterminatedQuoteAtEndIsTruncation) {
  EXPECT_THAT(Import("user_id,item_id,type,timestamp,text\n"
                     "u1,a,review,1,\"fine\"\n"
                     "u1,a,review,2,\"this review was cut\nin the middle",
                     WithItems({"a"})),
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("events.csv:3: unterminated quoted field at end of file")));
}

TEST_F(EventsCsvTest, LastRowCutShortIsTruncation) {
  EXPECT_THAT(Import("user_id,item_id,type,timestamp\nu1,a,view,1\nu1,a,vi", WithItems({"a"})),
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("events.csv:3: the last row ends after 3 of 4 columns with no "
                                 "newline (the file looks truncated)")));
}

TEST_F(EventsCsvTest, LastRowWithoutNewlineIsFine) {
  auto result = Import("user_id,item_id,type,timestamp\nu1,a,view,1", WithItems({"a"}));
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->batch.events, SizeIs(1));
}

TEST_F(EventsCsvTest, MultiLineFieldKeepsLineNumbers) {
  auto result = Import(
      "user_id,item_id,type,timestamp,text\n"
      "u1,a,review,1,\"line one\nline two\"\n"
      "u1,a,review,bad,\n",
      WithItems({"a"}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->batch.events[0].text, "line one\nline two");
  EXPECT_THAT(Rejections(*result),
              ElementsAre(path_ + ":4: field 'timestamp': not a date or unix time ('bad')"));
}

TEST_F(EventsCsvTest, MissingFileIsNotFound) {
  EXPECT_THAT(ImportPath(dir_.Path("nope.csv"), ImportFormat::kEventsCsv, {}),
              StatusIs(StatusCode::kNotFound, HasSubstr("nope.csv")));
}

}  // namespace
}  // namespace tailor
