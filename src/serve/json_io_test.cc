#include "serve/json_io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serve/serve_test_util.h"

namespace tailor {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST(ParseJsonBodyTest, RejectsInvalidAndEmptyBodies) {
  EXPECT_THAT(ParseJsonBody("{\"a\": "),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("request body is not valid JSON")));
  EXPECT_THAT(ParseJsonBody("  \n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("the body is empty")));
  auto parsed = ParseJsonBody(R"({"a": [1, 2]})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["a"].size(), 2u);
}

TEST(BatchRowsTest, AcceptsOneRowAWrappedListOrAnArray) {
  json one = json::parse(R"({"id": "a"})");
  auto rows = BatchRows(one, "items");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0], &one);

  json wrapped = json::parse(R"({"items": [{"id": "a"}, {"id": "b"}]})");
  rows = BatchRows(wrapped, "items");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*(*rows)[1])["id"], "b");

  json bare = json::parse(R"([{"id": "a"}, {"id": "b"}, {"id": "c"}])");
  rows = BatchRows(bare, "items");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 3u);
}

TEST(BatchRowsTest, RejectsMalformedAndOversizedBatches) {
  EXPECT_THAT(BatchRows(json::parse(R"({"items": {"id": "a"}})"), "items"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("field 'items': expected an array, got object")));
  EXPECT_THAT(BatchRows(json::parse(R"({"items": [], "extra": 1})"), "items"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must have no other fields")));
  EXPECT_THAT(BatchRows(json(5), "events"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("got number")));
  json big = {{"events", json::array()}};
  for (size_t row_idx = 0; row_idx <= kMaxRowsPerRequest; ++row_idx) {
    big["events"].push_back(json::object());
  }
  EXPECT_THAT(BatchRows(big, "events"),
              StatusIs(StatusCode::kResourceExhausted, HasSubstr("at most 10000")));
}

TEST(DumpJsonTest, ReplacesInvalidUtf8InsteadOfThrowing) {
  json value = {{"title", std::string("bad \xff byte")}};
  EXPECT_EQ(DumpJson(value), "{\"title\":\"bad \xEF\xBF\xBD byte\"}");
}

TEST(RecommendationsToJsonTest, WritesIdTitleScoreReason) {
  Catalog catalog;
  catalog.item_ids = {"a", "b"};
  catalog.titles = {"Apple", ""};
  json items = RecommendationsToJson({{1, 0.5f, "because"}, {0, 0.25f, ""}}, catalog);
  EXPECT_EQ(items, json::parse(R"([{"id": "b", "title": "", "score": 0.5, "reason": "because"},
                                   {"id": "a", "title": "Apple", "score": 0.25, "reason": ""}])"));
}

}  // namespace
}  // namespace tailor
