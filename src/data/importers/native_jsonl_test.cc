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

std::vector<std::string> Rejections(const ImportResult& result) {
  std::vector<std::string> lines;
  for (const RejectedRow& row : result.rejected) lines.push_back(FormatRejected(row));
  return lines;
}

ImportOptions WithItem(std::string id) {
  ImportOptions options;
  options.item_exists = [id](std::string_view candidate) { return candidate == id; };
  return options;
}

TEST(ItemsJsonlTest, ReadsArraysObjectsAndExtraKeys) {
  TempDir dir;
  const std::string path =
      dir.Write("items.jsonl",
                R"({"id": "a", "title": "Apple", "categories": ["Food", "Fruit"], "price": 1.25, )"
                R"("currency": "EUR", "in_stock": false, "created_at": "2024-05-01", )"
                R"("attributes": {"organic": true}, "color": "red"})"
                "\n"
                "\n"
                R"({"id": 42, "categories": "Home > Kitchen", "price": "3"})"
                "\n");
  auto result = ImportPath(path, ImportFormat::kItemsJsonl, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->rejected, IsEmpty());
  EXPECT_EQ(result->rows_read, 2);
  ASSERT_THAT(result->batch.items, SizeIs(2));
  const Item& apple = result->batch.items[0];
  EXPECT_THAT(apple.categories, ElementsAre("Food", "Fruit"));
  EXPECT_EQ(apple.price, 1.25);
  EXPECT_FALSE(apple.in_stock);
  EXPECT_EQ(apple.created_at, 1714521600);
  EXPECT_EQ(apple.attributes_json, R"({"color":"red","organic":true})");
  const Item& pan = result->batch.items[1];
  EXPECT_EQ(pan.id, "42");
  EXPECT_THAT(pan.categories, ElementsAre("Home", "Kitchen"));
  EXPECT_EQ(pan.price, 3.0);
}

TEST(ItemsJsonlTest, RejectsBadValues) {
  TempDir dir;
  const std::string path = dir.Write("items.jsonl", R"({"id": "a", "price": "cheap"})"
                                                    "\n"
                                                    R"({"title": "no id"})"
                                                    "\n"
                                                    R"({"id": "b", "attributes": [1, 2]})"
                                                    "\n"
                                                    R"({"id": "c", "title": {"en": "x"}})"
                                                    "\n"
                                                    R"(["not", "an", "object"])"
                                                    "\n");
  auto result = ImportPath(path, ImportFormat::kItemsJsonl, {});
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->batch.items, IsEmpty());
  EXPECT_THAT(Rejections(*result),
              ElementsAre(path + ":1: field 'price': not a number ('cheap')",
                          path + ":2: field 'id': missing (a required key)",
                          path + ":3: field 'attributes': expected a JSON object",
                          path + ":4: field 'title': expected a string or a number, got object",
                          path + ":5: expected a JSON object on each line"));
}

TEST(ItemsJsonlTest, ImageVectorsAsArraysOrText) {
  TempDir dir;
  const std::string path = dir.Write("items.jsonl", R"({"id": "a", "image_vector": [0.5, -2, 1e-1]})"
                                                    "\n"
                                                    R"({"id": "b", "image_vector": "1 2 3"})"
                                                    "\n"
                                                    R"({"id": "c", "image_vector": null})"
                                                    "\n"
                                                    R"({"id": "d", "image_vector": [1, "x"]})"
                                                    "\n"
                                                    R"({"id": "e", "image_vector": {"v": 1}})"
                                                    "\n");
  auto result = ImportPath(path, ImportFormat::kItemsJsonl, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_THAT(result->batch.items, SizeIs(3));
  EXPECT_THAT(result->batch.items[0].image_vector, ElementsAre(0.5f, -2.0f, 0.1f));
  EXPECT_THAT(result->batch.items[1].image_vector, ElementsAre(1.0f, 2.0f, 3.0f));
  EXPECT_THAT(result->batch.items[2].image_vector, IsEmpty());
  EXPECT_EQ(result->batch.items[0].attributes_json, "{}");  // not an extra attribute
  EXPECT_THAT(Rejections(*result),
              ElementsAre(path + ":4: field 'image_vector': image vector entry 1 is not a "
                                 "number (\"x\")",
                          path + ":5: field 'image_vector': image vector: expected an array of "
                                 "numbers, got object"));
}

TEST(UsersJsonlTest, NestedAndTopLevelAttributes) {
  TempDir dir;
  const std::string path =
      dir.Write("users.jsonl", R"({"id": "u1", "attributes": {"age": 31}, "region": "north"})"
                               "\n");
  auto result = ImportPath(path, ImportFormat::kUsersJsonl, {});
  ASSERT_TRUE(result.ok());
  ASSERT_THAT(result->batch.users, SizeIs(1));
  EXPECT_EQ(result->batch.users[0].attributes_json, R"({"age":31,"region":"north"})");
}

class EventsJsonlTest : public ::testing::Test {
 protected:
  StatusOr<ImportResult> Import(const std::string& content, ImportOptions options) {
    path_ = dir_.Write("events.jsonl", content);
    return ImportPath(path_, ImportFormat::kEventsJsonl, options);
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(EventsJsonlTest, ReadsNumbersAndStrings) {
  auto result = Import(
      R"({"user_id": 7, "item_id": "a", "type": "rating", "timestamp": 1714557600, "value": 4})"
      "\n"
      R"({"user_id": "u2", "item_id": "a", "type": "view", "timestamp": "2024-05-01 10:00:00", )"
      R"("value": null, "session_id": "s9"})"
      "\n",
      WithItem("a"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->rejected, IsEmpty());
  ASSERT_THAT(result->batch.events, SizeIs(2));
  EXPECT_EQ(result->batch.events[0].user_id, "7");
  EXPECT_EQ(result->batch.events[0].value, 4.0);
  EXPECT_EQ(result->batch.events[1].timestamp, 1714557600);
  EXPECT_EQ(result->batch.events[1].value, std::nullopt);
  EXPECT_EQ(result->batch.events[1].session_id, "s9");
}

TEST_F(EventsJsonlTest, RejectsEachBadRowWithItsReason) {
  auto result = Import(
      R"({"user_id": "u", "item_id": "a", "type": "view", "timestamp": "yesterday"})"
      "\n"
      R"({"user_id": "u", "item_id": "a", "type": "rating", "timestamp": 1, "value": "x"})"
      "\n"
      R"({"user_id": "u", "item_id": "b", "type": "view", "timestamp": 1})"
      "\n"
      R"({"user_id": "u", "item_id": "a", "type": "like", "timestamp": 1})"
      "\n"
      R"({"user_id": "u", "item_id": "a", "type": "view"})"
      "\n"
      "{\"user_id\": \"u\xE2\x82\", \"item_id\": \"a\", \"type\": \"view\", \"timestamp\": 1}\n"
      R"({"user_id": "u", "item_id": "a", "type": "view", "timestamp": 1, "colour": 2})"
      "\n"
      R"({"user_id": "u", "item_id": "a" "type": "view"})"
      "\n"
      R"({"user_id": "u", "item_id": "a", "type": "view", "timestamp": 1})"
      "\n",
      WithItem("a"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->batch.events, SizeIs(1));
  const std::vector<std::string> rejections = Rejections(*result);
  ASSERT_THAT(rejections, SizeIs(8));
  EXPECT_EQ(rejections[0], path_ + ":1: field 'timestamp': not a date or unix time ('yesterday')");
  EXPECT_EQ(rejections[1], path_ + ":2: field 'value': not a number ('x')");
  EXPECT_THAT(rejections[2], HasSubstr(path_ + ":3: field 'item_id': unknown item 'b'"));
  EXPECT_THAT(rejections[3], HasSubstr(path_ + ":4: field 'type': unknown event type 'like'"));
  EXPECT_EQ(rejections[4], path_ + ":5: field 'timestamp': missing (a required key)");
  EXPECT_EQ(rejections[5], path_ + ":6: invalid UTF-8 at byte 15");
  EXPECT_THAT(rejections[6], HasSubstr(path_ + ":7: field 'colour': unknown key (events have: "
                                               "user_id, item_id"));
  EXPECT_THAT(rejections[7], HasSubstr(path_ + ":8: not valid JSON (column "));
}

TEST_F(EventsJsonlTest, LineCutMidObjectAtEndIsTruncation) {
  EXPECT_THAT(Import(R"({"user_id": "u", "item_id": "a", "type": "view", "timestamp": 1})"
                     "\n"
                     R"({"user_id": "u", "item_id": "a", "ty)",
                     WithItem("a")),
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("events.jsonl:2: the last line is cut short, with no newline "
                                 "(the file looks truncated)")));
}

TEST_F(EventsJsonlTest, CutObjectOnTheFinalLineWithNewlineIsTruncation) {
  EXPECT_THAT(
      Import(R"({"user_id": "u", "item_id": "a", "type": "view", "timestamp": 1})"
             "\n"
             R"({"user_id": "u", "item_id": "a", )"
             "\n\n",  // blank lines after the cut line do not hide it
             WithItem("a")),
      StatusIs(StatusCode::kDataLoss, HasSubstr("events.jsonl:2: the last line ends mid-object")));
}

TEST_F(EventsJsonlTest, CutObjectInTheMiddleIsARejectedRow) {
  auto result = Import(R"({"user_id": "u", "item_id": "a", )"
                       "\n"
                       R"({"user_id": "u", "item_id": "a", "type": "view", "timestamp": 1})",
                       WithItem("a"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->batch.events, SizeIs(1));
  ASSERT_THAT(result->rejected, SizeIs(1));
  EXPECT_EQ(result->rejected[0].line, 1);
  EXPECT_THAT(result->rejected[0].reason, HasSubstr("not valid JSON"));
}

}  // namespace
}  // namespace tailor
