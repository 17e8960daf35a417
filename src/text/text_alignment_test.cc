#include "text/text_alignment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

double Cosine(const FactorMatrix& m, int32_t a, int32_t b) {
  double dot = 0, na = 0, nb = 0;
  for (int32_t k = 0; k < m.cols(); ++k) {
    dot += m.row(a)[k] * m.row(b)[k];
    na += m.row(a)[k] * m.row(a)[k];
    nb += m.row(b)[k] * m.row(b)[k];
  }
  return dot / std::sqrt(na * nb);
}

// Items 0..19 are bought by "even" shoppers, 20..39 by "odd" ones; their texts carry the
// group in dimension 0 (+1 / -1) under noise, and dimension 1 holds a louder +-3 that has
// nothing to do with what is bought (say, a colour). Items 40 (group +1) and 41 (group -1) are
// cold: no interactions. Raw text cosines follow the loud dimension; aligned, each cold item
// must sit with its own group.
TEST(TextAlignmentTest, AColdItemLandsAmongTheItemsBoughtLikeIt) {
  constexpr int32_t kItems = 42, kDim = 8;
  std::mt19937_64 rng(4);
  std::normal_distribution<float> noise(0.0f, 0.3f);
  FactorMatrix text(kItems, kDim);
  for (int32_t item = 0; item < kItems; ++item) {
    const bool even_group = item < 20 || item == 40;
    for (int32_t k = 0; k < kDim; ++k) text.row(item)[k] = noise(rng);
    text.row(item)[0] += even_group ? 1.0f : -1.0f;
    text.row(item)[1] += rng() % 2 == 0 ? 3.0f : -3.0f;
  }
  std::vector<std::vector<Interaction>> lists;
  for (int32_t user = 0; user < 60; ++user) {
    std::vector<Interaction> history;
    const int32_t first = user % 2 == 0 ? 0 : 20;
    for (int32_t step = 0; step < 6; ++step) {
      history.push_back({.item = first + static_cast<int32_t>(rng() % 20), .weight = 1.0f, .timestamp = step});
    }
    lists.push_back(history);
  }
  const UserHistories train = UserHistories::FromLists(kItems, lists);
  for (TextAlignTarget target : {TextAlignTarget::kTransitions, TextAlignTarget::kIals}) {
  SCOPED_TRACE(target == TextAlignTarget::kIals ? "ials" : "transitions");
  TextAlignmentOptions options;
  options.target = target;
  options.transition_dim = 8;
  options.ials.factors = 8;
  options.projection.hidden = 16;
  options.projection.epochs = 100;
  options.projection.batch_rows = 16;
  options.projection.temperature = 0.2;
  options.threads = 1;
  nlohmann::json stats;
  auto aligned = AlignTextToBehaviour(text, train, options, &stats);
  ASSERT_TRUE(aligned.ok()) << aligned.status().ToString();
  EXPECT_EQ(stats["warm_items"], 40);
  ASSERT_EQ(aligned->rows(), kItems);
  // Mean cosine of the cold items to their own group minus that to the other group.
  auto margin = [](const FactorMatrix& vectors) {
    double own = 0, other = 0;
    for (int32_t item = 0; item < 20; ++item) {
      own += Cosine(vectors, 40, item) + Cosine(vectors, 41, 20 + item);
      other += Cosine(vectors, 40, 20 + item) + Cosine(vectors, 41, item);
    }
    return (own - other) / 40;
  };
  EXPECT_LT(margin(text), 0.5);
  EXPECT_GT(margin(*aligned), 0.5) << stats.dump();
  }
}

TEST(TextAlignmentTest, CenterSubtractsTheCatalogueMeanAndNoneKeepsTheEmbeddings) {
  FactorMatrix text(3, 2);
  const float values[3][2] = {{1.0f, 4.0f}, {2.0f, 4.0f}, {6.0f, 7.0f}};  // mean (3, 5)
  for (int32_t row = 0; row < 3; ++row) std::copy(values[row], values[row] + 2, text.row(row));
  const UserHistories train = UserHistories::FromLists(3, {{{.item = 0}}});
  TextAlignmentOptions options;
  options.target = TextAlignTarget::kCenter;
  nlohmann::json stats;
  auto centered = AlignTextToBehaviour(text, train, options, &stats);
  ASSERT_TRUE(centered.ok());
  EXPECT_EQ(stats["target"], "center");
  EXPECT_THAT(std::vector<float>(centered->row(0), centered->row(0) + 2), ::testing::ElementsAre(-2.0f, -1.0f));
  EXPECT_THAT(std::vector<float>(centered->row(2), centered->row(2) + 2), ::testing::ElementsAre(3.0f, 2.0f));
  options.target = TextAlignTarget::kNone;
  auto same = AlignTextToBehaviour(text, train, options);
  ASSERT_TRUE(same.ok());
  EXPECT_THAT(std::vector<float>(same->row(1), same->row(1) + 2), ::testing::ElementsAre(2.0f, 4.0f));
  EXPECT_EQ(*ParseTextAlignTarget("transitions"), TextAlignTarget::kTransitions);
  EXPECT_THAT(ParseTextAlignTarget("bert").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected transitions, ials")));
}

TEST(TextAlignmentTest, MismatchedRowsAreInvalidArgument) {
  const UserHistories train = UserHistories::FromLists(5, {{{.item = 0}, {.item = 1}}});
  EXPECT_THAT(AlignTextToBehaviour(FactorMatrix(4, 3), train, {}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("4 text embeddings for 5 items")));
  EXPECT_THAT(AlignTextToBehaviour(FactorMatrix(5, 3), train, {}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("2 items with interactions")));
}

}  // namespace
}  // namespace tailor
