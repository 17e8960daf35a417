#include "dataset/item_vectors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "status_matchers.h"
#include "tailor/store.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::FloatNear;
using ::testing::HasSubstr;

Item WithVector(std::string id, std::vector<float> vector) {
  Item item;
  item.id = std::move(id);
  item.image_vector = std::move(vector);
  return item;
}

TEST(ItemVectorsTest, LoadsTheStoresVectorsByIndex) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {WithVector("a", {3, 4}), WithVector("b", {}), WithVector("c", {0, -2})};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto vectors = LoadImageVectors(**store, 4);  // item 3 has no stored row
  ASSERT_TRUE(vectors.ok()) << vectors.status().ToString();
  EXPECT_EQ(vectors->dim, 2);
  EXPECT_THAT(vectors->present, ElementsAre(1, 0, 1, 0));
  EXPECT_THAT(vectors->values, ElementsAre(3, 4, 0, 0, 0, -2, 0, 0));
  EXPECT_EQ(vectors->num_present(), 2);
  EXPECT_FALSE(vectors->empty());
}

TEST(ItemVectorsTest, LengthsMustAgree) {
  // The store refuses a second length already, naming both items.
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {WithVector("a", {1, 2}), WithVector("b", {1, 2, 3})};
  EXPECT_THAT((*store)->Write(batch).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("item 'b': image_vector has 3 entries, but item 'a' has 2")));
}

TEST(ItemVectorsTest, NoVectorsIsEmpty) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {WithVector("a", {})};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto vectors = LoadImageVectors(**store, 1);
  ASSERT_TRUE(vectors.ok());
  EXPECT_TRUE(vectors->empty());
}

TEST(ItemVectorsTest, ConcatNormalizesEachBlock) {
  ItemVectors image = ItemVectors::Zeros(3, 2);
  image.values = {3, 4, 0, 0, 0, 10};  // item 1 has none
  image.present = {1, 0, 1};
  ItemVectors text = ItemVectors::Zeros(3, 1);
  text.values = {-2, 5, 0};  // item 2 has none
  text.present = {1, 1, 0};
  auto both = ConcatNormalized(std::vector<const ItemVectors*>{&image, nullptr, &text});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->dim, 3);
  EXPECT_THAT(both->present, ElementsAre(1, 1, 1));
  EXPECT_THAT(both->values, ElementsAre(FloatNear(0.6f, 1e-6f), FloatNear(0.8f, 1e-6f), -1.0f,
                                        0.0f, 0.0f, 1.0f,  //
                                        0.0f, 1.0f, 0.0f));
  ItemVectors other = ItemVectors::Zeros(2, 1);
  other.present = {1, 1};
  other.values = {1, 1};
  EXPECT_THAT(ConcatNormalized(std::vector<const ItemVectors*>{&image, &other}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("for 2 items beside vectors for 3")));
  EXPECT_TRUE(ConcatNormalized(std::vector<const ItemVectors*>{})->empty());
}

}  // namespace
}  // namespace tailor
