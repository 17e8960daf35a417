#include "common/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::HasSubstr;

TEST(ConfigTest, DefaultsWhenEmpty) {
  auto config = ParseConfig("{}", "tailor.json");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->StoreUri(), "tailor-data/tailor.db");
  EXPECT_EQ(config->ModelsDir(), "tailor-data/models");
  EXPECT_EQ(config->server.port, 8080);
  EXPECT_EQ(config->server.new_item_slots, 1);
  EXPECT_TRUE(config->ModelParams("item-knn").empty());
}

TEST(ConfigTest, ReadsEveryField) {
  auto config = ParseConfig(R"({
    // comments are allowed
    "data_dir": "/var/tailor",
    "event_types": [{"name": "wishlist", "weight": 2.5}, {"name": "dislike", "weight": 0, "negative": true}],
    "user_fields": [{"name": "email", "personal": true}],
    "models": {"item-knn": {"neighbors": 50}},
    "server": {"host": "0.0.0.0", "port": 9000, "text_model": "enc", "sentiment_model": "/m/sent",
               "new_item_slots": 2}
  })", "tailor.json");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->StoreUri(), "/var/tailor/tailor.db");
  ASSERT_EQ(config->event_types.size(), 2u);
  EXPECT_EQ(config->event_types[0].weight, 2.5f);
  EXPECT_TRUE(config->event_types[1].negative);
  EXPECT_TRUE(config->user_fields[0].personal);
  EXPECT_EQ(config->ModelParams("item-knn")["neighbors"], 50);
  EXPECT_EQ(config->server.host, "0.0.0.0");
  EXPECT_EQ(config->server.port, 9000);
  EXPECT_EQ(config->server.new_item_slots, 2);
  EXPECT_EQ(config->TextModelDir(), "/var/tailor/enc");       // relative: under data_dir
  EXPECT_EQ(config->SentimentModelDir(), "/m/sent");          // absolute: as given
}

TEST(ConfigTest, NamesTheBadField) {
  auto bad_port = ParseConfig(R"({"server": {"port": 70000}})", "my.json");
  EXPECT_EQ(bad_port.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_port.status().message(), HasSubstr("my.json: field 'server.port'"));
  auto unknown = ParseConfig(R"({"colour": 1})", "my.json");
  EXPECT_THAT(unknown.status().message(), HasSubstr("field 'colour': unknown field"));
  auto weight = ParseConfig(R"({"event_types": [{"name": "x", "weight": "high"}]})", "my.json");
  EXPECT_THAT(weight.status().message(), HasSubstr("event_types[0].weight"));
  auto slots = ParseConfig(R"({"server": {"new_item_slots": -1}})", "my.json");
  EXPECT_THAT(slots.status().message(),
              HasSubstr("field 'server.new_item_slots': expected an integer in 0..1000"));
  auto sentiment = ParseConfig(R"({"server": {"sentiment_model": 3}})", "my.json");
  EXPECT_THAT(sentiment.status().message(), HasSubstr("field 'server.sentiment_model': expected a string"));
  auto syntax = ParseConfig("{", "my.json");
  EXPECT_THAT(syntax.status().message(), HasSubstr("my.json: not valid JSON"));
}

}  // namespace
}  // namespace tailor
