#include "common/utf8.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(Utf8Test, AcceptsValidText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));                           // U+10FFFF
}

TEST(Utf8Test, FindsTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xC3"), 10u);   // truncated sequence
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\xAF"), 0u);      // overlong
  EXPECT_EQ(FindInvalidUtf8("ok\xED\xA0\x80"), 2u);    // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xE2\x82"), 2u);  // cut 3-byte sequence
  EXPECT_EQ(FindInvalidUtf8("\xE2\x28\xA1"), 0u);      // bad continuation
}

TEST(Utf8Test, Latin1ToUtf8) {
  EXPECT_EQ(Latin1ToUtf8("Caf\xE9 \xFF"), "Caf\xC3\xA9 \xC3\xBF");
  EXPECT_EQ(Latin1ToUtf8("ascii"), "ascii");
  EXPECT_TRUE(IsValidUtf8(Latin1ToUtf8("\x80\x81\xFE")));
}

}  // namespace
}  // namespace tailor
