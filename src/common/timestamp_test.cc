#include "common/timestamp.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(TimestampTest, UnixSeconds) {
  EXPECT_EQ(ParseTimestamp("0"), 0);
  EXPECT_EQ(ParseTimestamp("1714557600"), 1714557600);
  EXPECT_EQ(ParseTimestamp(" 1714557600 "), 1714557600);
  EXPECT_EQ(ParseTimestamp("253402300799"), 253402300799);
  EXPECT_EQ(ParseTimestamp("253402300800"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("-5"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("17e8"), std::nullopt);
  EXPECT_EQ(ParseTimestamp(""), std::nullopt);
}

TEST(TimestampTest, IsoForms) {
  EXPECT_EQ(ParseTimestamp("2024-05-01"), 1714521600);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:00:00Z"), 1714557600);
  EXPECT_EQ(ParseTimestamp("2024-05-01 10:00:00"), 1714557600);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:00"), 1714557600);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:00:00.750Z"), 1714557600);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:00:00+02:00"), 1714550400);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:00:00+0200"), 1714550400);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:00:00-05"), 1714575600);
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("2010-12-01 08:26:00"), 1291191960);
}

TEST(TimestampTest, RejectsImpossibleDates) {
  EXPECT_EQ(ParseTimestamp("2024-13-45"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2023-02-29"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-02-29"), 1709164800);  // leap year
  EXPECT_EQ(ParseTimestamp("1900-02-29"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-04-31"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-05-01T24:00:00"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:60:00"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-05-01X10:00:00"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:00:00+25:00"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-5-1"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("1969-12-31"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("not-a-time"), std::nullopt);
}

TEST(TimestampTest, DaysFromCivil) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
}

}  // namespace
}  // namespace tailor
