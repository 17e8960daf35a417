#include "serve/json_rows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serve/serve_test_util.h"

namespace tailor {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1714557600;  // 2024-05-01T10:00:00Z

TEST(EventFromJsonTest, ReadsEveryField) {
  auto event = EventFromJson(json::parse(R"({"user_id": "u1", "item_id": 42, "type": "rating",
      "timestamp": "2024-05-01T12:00:00+02:00", "value": 4.5, "text": "nice",
      "session_id": "s9", "event_id": "e1"})"),
                             "events[0]", kNow);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->user_id, "u1");
  EXPECT_EQ(event->item_id, "42");
  EXPECT_EQ(event->type, "rating");
  EXPECT_EQ(event->timestamp, kNow);
  EXPECT_EQ(event->value, 4.5);
  EXPECT_EQ(event->text, "nice");
  EXPECT_EQ(event->session_id, "s9");
  EXPECT_EQ(event->event_id, "e1");
}

TEST(EventFromJsonTest, TimestampDefaultsToNow) {
  auto event = EventFromJson(json::parse(R"({"user_id": "u", "item_id": "i", "type": "view"})"),
                             "events[0]", kNow);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->timestamp, kNow);
  EXPECT_FALSE(event->value.has_value());
}

TEST(EventFromJsonTest, ErrorsNameTheRowAndField) {
  EXPECT_THAT(
      EventFromJson(json::parse(R"({"item_id": "i", "type": "view"})"), "events[3]", kNow),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("events[3]: field 'user_id': required")));
  EXPECT_THAT(EventFromJson(json::parse(R"({"user_id": "u", "item_id": "i", "type": "view",
                                            "timestamp": "2024-13-01"})"),
                            "events[1]", kNow),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("events[1]: field 'timestamp': not a date or unix time "
                                 "('2024-13-01')")));
  EXPECT_THAT(EventFromJson(json::parse(R"({"user_id": "u", "item_id": "i", "type": "view",
                                            "when": 5})"),
                            "events[0]", kNow),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'when': unknown field")));
  EXPECT_THAT(EventFromJson(json::parse(R"({"user_id": "", "item_id": "i", "type": "view"})"),
                            "events[0]", kNow),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'user_id': empty")));
  EXPECT_THAT(EventFromJson(json::parse(R"({"user_id": "u", "item_id": 1.5, "type": "view"})"),
                            "events[0]", kNow),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("field 'item_id': expected a string, got number")));
  EXPECT_THAT(EventFromJson(json::parse(R"({"user_id": "u", "item_id": "i", "type": "view",
                                            "value": "5"})"),
                            "events[0]", kNow),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("field 'value': expected a number, got string")));
  EXPECT_THAT(EventFromJson(json::parse(R"(["u", "i"])"), "events[2]", kNow),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("events[2]: expected a JSON object, got array")));
  const std::string long_id(257, 'x');
  EXPECT_THAT(EventFromJson(json{{"user_id", long_id}, {"item_id", "i"}, {"type", "view"}},
                            "events[0]", kNow),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("longer than 256 bytes")));
}

TEST(TimestampFromJsonTest, AcceptsNumbersAndTheDocumentedStrings) {
  EXPECT_EQ(*TimestampFromJson(json(kNow)), kNow);
  EXPECT_EQ(*TimestampFromJson(json(1714557600.75)), kNow);
  EXPECT_EQ(*TimestampFromJson(json("1714557600")), kNow);
  EXPECT_EQ(*TimestampFromJson(json("2024-05-01T10:00:00Z")), kNow);
  EXPECT_EQ(*TimestampFromJson(json("2024-05-01 10:00:00")), kNow);
  EXPECT_EQ(*TimestampFromJson(json("2024-05-01")), kNow - 10 * 3600);
  EXPECT_THAT(TimestampFromJson(json(-1)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a date")));
  EXPECT_THAT(TimestampFromJson(json(true)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("got boolean")));
}

TEST(ItemFromJsonTest, ReadsFieldsAndCategoryForms) {
  auto item = ItemFromJson(json::parse(R"({"id": "sku1", "title": "Mask", "brand": "B",
      "categories": "Beauty > Skin > Masks", "price": 9.5, "currency": "EUR", "in_stock": "0",
      "created_at": "2024-05-01T10:00:00Z", "attributes": {"color": "red"}})"),
                           "items[0]");
  ASSERT_TRUE(item.ok()) << item.status().ToString();
  EXPECT_EQ(item->id, "sku1");
  EXPECT_THAT(item->categories, ElementsAre("Beauty", "Skin", "Masks"));
  EXPECT_EQ(item->price, 9.5);
  EXPECT_FALSE(item->in_stock);
  EXPECT_EQ(item->created_at, kNow);
  EXPECT_EQ(json::parse(item->attributes_json), json::parse(R"({"color": "red"})"));

  auto array_form =
      ItemFromJson(json::parse(R"({"id": "a", "categories": ["Home", "Kitchen"]})"), "items[0]");
  ASSERT_TRUE(array_form.ok());
  EXPECT_THAT(array_form->categories, ElementsAre("Home", "Kitchen"));
  EXPECT_TRUE(array_form->in_stock);
}

TEST(ItemFromJsonTest, RejectsBadFields) {
  EXPECT_THAT(
      ItemFromJson(json::parse(R"({"id": "a", "price": -1})"), "items[2]"),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("items[2]: field 'price': negative")));
  EXPECT_THAT(ItemFromJson(json::parse(R"({"id": "a", "in_stock": "maybe"})"), "items[0]"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'in_stock'")));
  EXPECT_THAT(
      ItemFromJson(json::parse(R"({"id": "a", "attributes": [1]})"), "items[0]"),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'attributes': expected an object")));
  EXPECT_THAT(ItemFromJson(json::parse(R"({"title": "no id"})"), "items[0]"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'id': required")));
  EXPECT_THAT(ItemFromJson(json::parse(R"({"id": "a", "colour": "red"})"), "items[0]"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'colour': unknown field")));
}

TEST(ItemFromJsonTest, ImageVectorRoundTripsThroughItemToJson) {
  auto item = ItemFromJson(json::parse(R"({"id": "a", "image_vector": [0.5, -1, 2]})"), "items[0]");
  ASSERT_TRUE(item.ok()) << item.status().ToString();
  EXPECT_THAT(item->image_vector, ElementsAre(0.5f, -1.0f, 2.0f));
  auto back = ItemFromJson(ItemToJson(*item), "items[0]");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->image_vector, item->image_vector);
  EXPECT_EQ(ItemToJson(Item{.id = "b"})["image_vector"], json::array());
  EXPECT_THAT(ItemFromJson(json::parse(R"({"id": "a", "image_vector": [1, "x"]})"), "items[3]"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("items[3]: field 'image_vector': image vector entry 1 is not a "
                                 "number")));
}

TEST(UserFromJsonTest, OtherKeysBecomeAttributes) {
  auto user = UserFromJson(json::parse(R"({"id": "u1", "attributes": {"age": 31},
                                          "region": "north"})"),
                           "users[0]");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->id, "u1");
  EXPECT_EQ(json::parse(user->attributes_json), json::parse(R"({"age": 31, "region": "north"})"));
  EXPECT_THAT(UserFromJson(json::parse(R"({"id": "u1", "attributes": 3})"), "users[4]"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("users[4]: field 'attributes': expected an object")));
}

}  // namespace
}  // namespace tailor
