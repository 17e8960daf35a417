#include "common/parse_number.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(ParseNumberTest, Doubles) {
  EXPECT_EQ(ParseDouble("2.55"), 2.55);
  EXPECT_EQ(ParseDouble(" -3 "), -3.0);
  EXPECT_EQ(ParseDouble("+1e3"), 1000.0);
  EXPECT_EQ(ParseDouble("abc"), std::nullopt);
  EXPECT_EQ(ParseDouble("1.5x"), std::nullopt);
  EXPECT_EQ(ParseDouble("nan"), std::nullopt);
  EXPECT_EQ(ParseDouble("inf"), std::nullopt);
  EXPECT_EQ(ParseDouble("1e999"), std::nullopt);
  EXPECT_EQ(ParseDouble("+-1"), std::nullopt);
  EXPECT_EQ(ParseDouble(""), std::nullopt);
}

TEST(ParseNumberTest, Integers) {
  EXPECT_EQ(ParseInt64("42"), 42);
  EXPECT_EQ(ParseInt64("-7"), -7);
  EXPECT_EQ(ParseInt64("4.5"), std::nullopt);
  EXPECT_EQ(ParseInt64("99999999999999999999"), std::nullopt);
}

TEST(ParseNumberTest, Booleans) {
  EXPECT_EQ(ParseBool("TRUE"), true);
  EXPECT_EQ(ParseBool("0"), false);
  EXPECT_EQ(ParseBool("no"), false);
  EXPECT_EQ(ParseBool("maybe"), std::nullopt);
}

}  // namespace
}  // namespace tailor
