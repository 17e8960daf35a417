#include "rank/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor {
namespace {

using ::testing::UnorderedElementsAre;

Item MakeItem(std::string id, std::string title, std::vector<std::string> categories,
              bool in_stock = true) {
  Item item;
  item.id = std::move(id);
  item.title = std::move(title);
  item.categories = std::move(categories);
  item.in_stock = in_stock;
  return item;
}

std::vector<std::string> CategoryNames(const Catalog& catalog, int32_t item_idx) {
  std::vector<std::string> names;
  for (int32_t id : catalog.categories[item_idx]) names.push_back(catalog.category_names[id]);
  return names;
}

TEST(CatalogTest, LoadsItemsWithEveryCategoryLevel) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  WriteBatch batch;
  batch.items.push_back(MakeItem("mask-1", "Clay mask", {"Beauty", "Skin", "Masks"}));
  batch.items.push_back(MakeItem("pan-2", "", {"Home", "Kitchen"}, /*in_stock=*/false));
  batch.items.back().brand = "Pans&Co";
  batch.items.back().price = 24.5;
  ASSERT_TRUE((*store)->Write(batch).ok());

  auto catalog = LoadCatalog(**store);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  ASSERT_EQ(catalog->size(), 2);
  int32_t mask = catalog->item_index.at("mask-1");
  int32_t pan = catalog->item_index.at("pan-2");
  EXPECT_EQ(catalog->item_ids[mask], "mask-1");
  EXPECT_THAT(
      CategoryNames(*catalog, mask),
      UnorderedElementsAre("Beauty", "Skin", "Beauty > Skin", "Masks", "Beauty > Skin > Masks"));
  EXPECT_TRUE(catalog->category_index.count("Skin"));
  EXPECT_EQ(catalog->in_stock[mask], 1);
  EXPECT_EQ(catalog->in_stock[pan], 0);
  EXPECT_EQ(catalog->brands[pan], "Pans&Co");
  ASSERT_TRUE(catalog->prices[pan].has_value());
  EXPECT_DOUBLE_EQ(*catalog->prices[pan], 24.5);
  EXPECT_FALSE(catalog->prices[mask].has_value());
  EXPECT_EQ(catalog->Label(mask), "Clay mask (mask-1)");
  EXPECT_EQ(catalog->Label(pan), "pan-2");
}

TEST(CatalogTest, EmptyStoreGivesEmptyCatalog) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto catalog = LoadCatalog(**store);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ(catalog->size(), 0);
  EXPECT_TRUE(catalog->category_names.empty());
}

TEST(CatalogTest, LabelOfAnIndexOutsideTheCatalog) {
  Catalog catalog;
  EXPECT_EQ(catalog.Label(3), "item #3");
}

}  // namespace
}  // namespace tailor
