#include "common/flat_string_set.h"

#include <gtest/gtest.h>

#include <string>

namespace tailor {
namespace {

TEST(FlatStringSetTest, InsertAndFindThroughGrowth) {
  FlatStringSet set;
  EXPECT_FALSE(set.contains("a"));
  EXPECT_FALSE(set.contains(""));
  for (int item_idx = 0; item_idx < 10000; ++item_idx) {
    EXPECT_TRUE(set.insert("item-" + std::to_string(item_idx)));
  }
  EXPECT_FALSE(set.insert("item-5"));
  EXPECT_TRUE(set.insert(""));
  EXPECT_EQ(set.size(), 10001u);
  for (int item_idx = 0; item_idx < 10000; ++item_idx) {
    ASSERT_TRUE(set.contains("item-" + std::to_string(item_idx))) << item_idx;
  }
  EXPECT_TRUE(set.contains(""));
  EXPECT_FALSE(set.contains("item-10000"));
  EXPECT_FALSE(set.contains("item-"));
  EXPECT_FALSE(set.contains("a much longer identifier than any in the set"));
}

}  // namespace
}  // namespace tailor
