#include "text/wordpiece_tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ids: 0 [PAD] 1 [UNK] 2 [CLS] 3 [SEP] 4 [MASK] 5 hello 6 , 7 world 8 ##s 9 cafe 10 un
//      11 ##aff 12 ##able 13 !
constexpr const char* kVocab =
    "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n,\nworld\n##s\ncafe\nun\n##aff\n##able\n!\n";

TEST(WordPieceTokenizer, SplitsGreedilyIntoLongestPieces) {
  auto tokenizer = WordPieceTokenizer::FromVocab(kVocab, /*lower_case=*/true);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  EXPECT_THAT((*tokenizer)->Encode("Hello, worlds unaffable!"),
              ElementsAre(5, 6, 7, 8, 10, 11, 12, 13));
  // No split of "xyz" exists: the whole word is [UNK], not a partial split.
  EXPECT_THAT((*tokenizer)->Encode("unxyz"), ElementsAre(1));
  EXPECT_EQ((*tokenizer)->Piece(11), "##aff");
  EXPECT_EQ((*tokenizer)->Piece(99), "");
  EXPECT_EQ((*tokenizer)->special().mask, 4);
}

TEST(WordPieceTokenizer, BasicTokenizationLowercasesStripsAccentsAndSplitsPunctuation) {
  auto tokenizer = WordPieceTokenizer::FromVocab(kVocab, /*lower_case=*/true);
  ASSERT_TRUE(tokenizer.ok());
  EXPECT_THAT((*tokenizer)->BasicTokenize("Héllo,\tCAFÉ\u00a0Łódź (x) 你好"),
              ElementsAre("hello", ",", "cafe", "łodz", "(", "x", ")", "你", "好"));
  // A combining acute accent (U+0301) after "e" is dropped.
  EXPECT_THAT((*tokenizer)->BasicTokenize("Cafe\u0301"), ElementsAre("cafe"));
  auto cased = WordPieceTokenizer::FromVocab(kVocab, /*lower_case=*/false);
  ASSERT_TRUE(cased.ok());
  EXPECT_THAT((*cased)->BasicTokenize("Café!"), ElementsAre("Café", "!"));
}

TEST(WordPieceTokenizer, DropsInvalidUtf8AndControlCharacters) {
  auto tokenizer = WordPieceTokenizer::FromVocab(kVocab, true);
  ASSERT_TRUE(tokenizer.ok());
  EXPECT_THAT((*tokenizer)->BasicTokenize(std::string("hel\xff" "lo\x01 world")),
              ElementsAre("hello", "world"));
}

TEST(WordPieceTokenizer, VeryLongWordIsUnknown) {
  auto tokenizer = WordPieceTokenizer::FromVocab(kVocab, true);
  ASSERT_TRUE(tokenizer.ok());
  EXPECT_THAT((*tokenizer)->Encode(std::string(101, 'a')), ElementsAre(1));
}

TEST(WordPieceTokenizer, RejectsVocabWithoutSpecialTokensOrWithRepeats) {
  EXPECT_THAT(WordPieceTokenizer::FromVocab("[PAD]\n[UNK]\n[CLS]\n[SEP]\n", true),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no [MASK] token")));
  EXPECT_THAT(WordPieceTokenizer::FromVocab("[PAD]\nhello\nhello\n", true),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("vocab line 3")));
  EXPECT_THAT(WordPieceTokenizer::FromFile("/nonexistent/vocab.txt", true),
              StatusIs(StatusCode::kNotFound, HasSubstr("/nonexistent/vocab.txt")));
}

TEST(WordPieceTokenizer, SaveLoadRoundTripAndEncoderInput) {
  auto tokenizer = WordPieceTokenizer::FromVocab(kVocab, true);
  ASSERT_TRUE(tokenizer.ok());
  BinaryWriter writer;
  SaveTokenizer(**tokenizer, writer);
  BinaryReader reader(writer.buffer());
  auto loaded = LoadTokenizer(reader);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->kind(), "wordpiece");
  EXPECT_THAT((*loaded)->Encode("hello worlds"), ElementsAre(5, 7, 8));
  // [CLS] pieces [SEP], cut to max_tokens.
  EXPECT_THAT(EncodeForEncoder(**loaded, "hello worlds", 4), ElementsAre(2, 5, 7, 3));
}

}  // namespace
}  // namespace tailor
