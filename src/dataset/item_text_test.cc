#include "dataset/item_text.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(ItemTextTest, JoinsTitleBrandCategoriesAndDescriptionOnce) {
  Item item;
  item.title = "Rose shampoo";
  item.brand = "Acme";
  item.categories = {"Beauty", "", "Hair"};
  item.description = "Gentle, for daily use.";
  EXPECT_EQ(ItemText(item), "Rose shampoo. Acme. Beauty Hair. Gentle, for daily use.");
  item.brand.clear();
  item.categories.clear();
  EXPECT_EQ(ItemText(item), "Rose shampoo. Gentle, for daily use.");
  EXPECT_EQ(ItemText(Item{}), "");
}

TEST(ItemTextTest, ADescriptionThatStartsWithTheTitleIsTheWholeText) {
  Item item;
  item.title = "Sanding Roll";
  item.brand = "PORTER-CABLE";
  item.categories = {"Industrial & Scientific", "Abrasives"};
  item.description = "Sanding Roll. Industrial & Scientific Abrasives. PORTER-CABLE.";
  EXPECT_EQ(ItemText(item), item.description);
}

}  // namespace
}  // namespace tailor
