#include "text/sentencepiece_tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> ShopTexts() {
  std::vector<std::string> texts;
  const char* products[] = {"organic shampoo for dry hair", "argan oil hair mask",
                            "vitamin c face serum", "hydrating face cream",
                            "dry shampoo spray", "hair oil with argan"};
  for (int copy = 0; copy < 50; ++copy) {
    for (const char* product : products) texts.push_back(std::string(product) + " size " + std::to_string(copy));
  }
  return texts;
}

TEST(SentencePieceTokenizer, TrainsSpecialIdsAndCaseFolds) {
  auto tokenizer = SentencePieceTokenizer::Train(ShopTexts(), {.vocab_size = 120});
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  const Tokenizer& t = **tokenizer;
  EXPECT_EQ(t.Piece(0), "[PAD]");
  EXPECT_EQ(t.Piece(2), "[CLS]");
  EXPECT_EQ(t.Piece(3), "[SEP]");
  EXPECT_EQ(t.Piece(4), "[MASK]");
  EXPECT_LE(t.vocab_size(), 120);
  EXPECT_GT(t.vocab_size(), 20);
  // nmt_nfkc_cf case-folds: the same ids whatever the case.
  EXPECT_EQ(t.Encode("Argan SHAMPOO"), t.Encode("argan shampoo"));
  // Words of the corpus never map to <unk>.
  for (int32_t id : t.Encode("hydrating face serum")) EXPECT_NE(id, t.special().unk);
}

TEST(SentencePieceTokenizer, DeterministicAndRoundTrips) {
  auto first = SentencePieceTokenizer::Train(ShopTexts(), {.vocab_size = 120});
  auto second = SentencePieceTokenizer::Train(ShopTexts(), {.vocab_size = 120});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)->model_proto(), (*second)->model_proto());
  BinaryWriter writer;
  SaveTokenizer(**first, writer);
  BinaryReader reader(writer.buffer());
  auto loaded = LoadTokenizer(reader);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->kind(), "sentencepiece");
  EXPECT_EQ((*loaded)->Encode("dry hair oil"), (*first)->Encode("dry hair oil"));
}

TEST(SentencePieceTokenizer, ClearErrors) {
  EXPECT_THAT(SentencePieceTokenizer::Train({"", ""}, {}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no text")));
  EXPECT_THAT(SentencePieceTokenizer::Train(ShopTexts(), {.vocab_size = 3}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("vocab_size")));
  EXPECT_THAT(SentencePieceTokenizer::FromModelProto("not a proto"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("sentencepiece model")));
}

}  // namespace
}  // namespace tailor
