#include "dataset/item_features.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ItemFeaturesTest, NamesCategoriesBrandAndPriceBucket) {
  Item item;
  item.categories = {"Beauty", "", "Skin"};
  item.brand = "Nivea";
  item.price = 3.0;  // floor(2 * log2(1 + 3)) = 4
  EXPECT_THAT(ItemFeatureNames(item),
              ElementsAre("category:Beauty", "category:Skin", "brand:Nivea", "price:4"));
  item.price = 0.0;
  EXPECT_EQ(ItemFeatureNames(item).back(), "price:0");
  item.price.reset();
  item.brand.clear();
  EXPECT_THAT(ItemFeatureNames(item), ElementsAre("category:Beauty", "category:Skin"));
  EXPECT_THAT(ItemFeatureNames(Item{}), IsEmpty());
}

TEST(ItemFeaturesTest, KeepsFeaturesOfTwoOrMoreItemsOncePerItem) {
  const ItemFeatures features = ItemFeatures::FromNames({
      {"brand:x", "category:a", "brand:x"},  // a repeated name counts once
      {"category:a", "brand:only-here"},     // on one item: dropped
      {},
      {"brand:x"},
  });
  EXPECT_EQ(features.num_items(), 4);
  EXPECT_THAT(features.names, ElementsAre("brand:x", "category:a"));
  EXPECT_THAT(features.item(0), ElementsAre(0, 1));
  EXPECT_THAT(features.item(1), ElementsAre(1));
  EXPECT_THAT(features.item(2), IsEmpty());
  EXPECT_THAT(features.item(3), ElementsAre(0));
  EXPECT_FALSE(features.empty());
  EXPECT_TRUE(ItemFeatures::FromNames({{"brand:a"}, {"brand:b"}}).empty());
}

}  // namespace
}  // namespace tailor
