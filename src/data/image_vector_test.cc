#include "data/image_vector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "status_matchers.h"
#include "tailor/types.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ImageVectorTest, ParsesEverySeparatorAndBrackets) {
  EXPECT_THAT(*ParseImageVector("0.5 -1 2e-1"), ElementsAre(0.5f, -1.0f, 0.2f));
  EXPECT_THAT(*ParseImageVector(" [1, 2;3\t4] "), ElementsAre(1.0f, 2.0f, 3.0f, 4.0f));
  EXPECT_THAT(*ParseImageVector("1,,2"), ElementsAre(1.0f, 2.0f));
  EXPECT_THAT(*ParseImageVector("   "), IsEmpty());
  EXPECT_THAT(*ParseImageVector("[]"), IsEmpty());
}

TEST(ImageVectorTest, NamesTheBadEntry) {
  EXPECT_THAT(ParseImageVector("1 2 x3").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("entry 2 is not a number ('x3')")));
  EXPECT_THAT(ParseImageVector("[1 2").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("without a closing ']'")));
  // Finite as a double, infinite as a float.
  EXPECT_THAT(ParseImageVector("1 1e39").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("entry 1 is not a finite float")));
  EXPECT_THAT(ParseImageVector("nan").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("entry 0 is not a number")));
}

TEST(ImageVectorTest, LengthIsBounded) {
  std::string text;
  for (int entry = 0; entry < kMaxImageVectorDim; ++entry) text += "1 ";
  EXPECT_EQ(ParseImageVector(text)->size(), static_cast<size_t>(kMaxImageVectorDim));
  EXPECT_THAT(ParseImageVector(text + "1").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("more than 4096 entries")));
  std::vector<float> too_long(kMaxImageVectorDim + 1, 0.0f);
  EXPECT_THAT(CheckImageVector(too_long),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("more than 4096")));
}

TEST(ImageVectorTest, FromJson) {
  using nlohmann::json;
  EXPECT_THAT(*ImageVectorFromJson(json::parse("[1, -0.5, 3]")), ElementsAre(1.0f, -0.5f, 3.0f));
  EXPECT_THAT(*ImageVectorFromJson(json("0.25 4")), ElementsAre(0.25f, 4.0f));
  EXPECT_THAT(*ImageVectorFromJson(json(nullptr)), IsEmpty());
  EXPECT_THAT(ImageVectorFromJson(json::parse("[1, true]")).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("entry 1 is not a number (true)")));
  EXPECT_THAT(ImageVectorFromJson(json(3)).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected an array of numbers")));
  EXPECT_THAT(ImageVectorFromJson(json::parse("[1e300]")).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a finite float")));
}

}  // namespace
}  // namespace tailor
