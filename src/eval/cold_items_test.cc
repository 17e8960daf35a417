#include "eval/cold_items.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "eval/cold_item_scorers.h"
#include "eval/metrics.h"
#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr double kEps = 1e-9;

UserHistories Histories(int32_t num_items, const std::vector<std::vector<int32_t>>& items) {
  std::vector<std::vector<Interaction>> lists;
  for (const auto& user_items : items) {
    std::vector<Interaction> list;
    for (int32_t item : user_items) {
      Interaction interaction;
      interaction.item = item;
      interaction.timestamp = static_cast<int64_t>(list.size()) + 1;
      list.push_back(interaction);
    }
    lists.push_back(std::move(list));
  }
  return UserHistories::FromLists(num_items, lists);
}

std::vector<Interaction> History(const std::vector<int32_t>& items) {
  return Histories(100, {items}).interactions;
}

std::vector<int32_t> Items(std::span<const Interaction> history) {
  std::vector<int32_t> out;
  for (const Interaction& interaction : history) out.push_back(interaction.item);
  return out;
}

// Scores fixed by hand (the same for every history).
class FixedScorer final : public ColdItemScorer {
 public:
  explicit FixedScorer(std::vector<double> scores) : scores_(std::move(scores)) {}
  std::string name() const override { return "fixed"; }
  std::string description() const override { return "fixed scores"; }
  void Score(std::span<const Interaction>, std::span<double> scores) const override {
    std::copy(scores_.begin(), scores_.end(), scores.begin());
  }

 private:
  std::vector<double> scores_;
};

// The cold set of 20 items at seed 42 is {1, 7, 11}: computed with an independent Python
// implementation of mt19937_64 and the documented Fisher-Yates rule.
//   u0 [0 1 2 7]   test 7 (cold)  train [0 2]   (1 dropped)
//   u1 [1 11 3]    test 3 (warm)  train []      (2 dropped; not evaluated)
//   u2 [1 11 5 11] test 11 (cold) train [5]     (2 dropped)
//   u3 [4 5]       < 3 events: trained on, not a test event
//   u4 [7 1 11]    test 11 (cold) train []      (2 dropped; evaluated with an empty history)
//   u5 [1 7]       < 3 events: train [] (2 dropped)
UserHistories SplitFixture() {
  return Histories(20, {{0, 1, 2, 7}, {1, 11, 3}, {1, 11, 5, 11}, {4, 5}, {7, 1, 11}, {1, 7}});
}

TEST(ColdItemSplitTest, SeededShuffleKnownAnswer) {
  ColdItemSplitOptions options;  // 15%, seed 42
  auto split = SplitColdItems(SplitFixture(), options);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_THAT(split->cold_items, ElementsAre(1, 7, 11));  // round(0.15 * 20) = 3
  int64_t cold_flags = 0;
  for (uint8_t flag : split->is_cold) cold_flags += flag;
  EXPECT_EQ(cold_flags, 3);

  options.seed = 43;
  auto other = SplitColdItems(SplitFixture(), options);
  ASSERT_TRUE(other.ok());
  EXPECT_THAT(other->cold_items, ElementsAre(3, 12, 13));  // same Python reference

  // The real Scientific size: 658 = round(0.15 * 4385) cold items, the first ten of them
  // from the Python reference too.
  auto big = SplitColdItems(Histories(4385, {{0, 1, 2}}), ColdItemSplitOptions());
  ASSERT_TRUE(big.ok());
  ASSERT_EQ(big->cold_items.size(), 658u);
  EXPECT_THAT(std::vector<int32_t>(big->cold_items.begin(), big->cold_items.begin() + 10),
              ElementsAre(11, 17, 24, 26, 27, 30, 36, 57, 58, 62));
}

TEST(ColdItemSplitTest, DeterministicInTheSeed) {
  const UserHistories histories = Histories(200, {{0, 1, 2}});
  ColdItemSplitOptions options;
  options.seed = 7;
  auto first = SplitColdItems(histories, options);
  auto again = SplitColdItems(histories, options);
  options.seed = 8;
  auto other = SplitColdItems(histories, options);
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(first->cold_items.size(), 30u);
  EXPECT_EQ(first->cold_items, again->cold_items);
  EXPECT_NE(first->cold_items, other->cold_items);
  options.cold_fraction = 0.5;
  auto half = SplitColdItems(histories, options);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->cold_items.size(), 100u);
}

TEST(ColdItemSplitTest, ColdItemsLeaveTrainingAndOnlyColdTargetsAreEvaluated) {
  auto split = SplitColdItems(SplitFixture(), ColdItemSplitOptions());
  ASSERT_TRUE(split.ok());
  EXPECT_THAT(Items(split->train.user(0)), ElementsAre(0, 2));
  EXPECT_THAT(Items(split->train.user(1)), ElementsAre());
  EXPECT_THAT(Items(split->train.user(2)), ElementsAre(5));
  EXPECT_THAT(Items(split->train.user(3)), ElementsAre(4, 5));
  EXPECT_THAT(Items(split->train.user(4)), ElementsAre());
  EXPECT_THAT(Items(split->train.user(5)), ElementsAre());
  for (const Interaction& interaction : split->train.interactions) {
    EXPECT_EQ(split->is_cold[interaction.item], 0) << interaction.item;
  }
  EXPECT_EQ(split->train.num_users, 6);
  EXPECT_EQ(split->train.num_items, 20);
  EXPECT_THAT(split->targets, ElementsAre(7, -1, 11, -1, 11, -1));
  EXPECT_EQ(split->test_events, 4);
  EXPECT_EQ(split->cold_test_events, 3);
  EXPECT_EQ(split->dropped_interactions, 9);
  EXPECT_EQ(split->empty_histories, 1);
  const std::string protocol = DescribeColdItemProtocol(*split, ColdItemSplitOptions());
  EXPECT_THAT(protocol, HasSubstr("3 of 20 items (15%"));
  EXPECT_THAT(protocol, HasSubstr("their 9 training interactions dropped"));
  EXPECT_THAT(protocol, HasSubstr("the 3 of 4 test events whose target is cold"));
  EXPECT_THAT(protocol, HasSubstr("seen items excluded"));
}

TEST(ColdItemSplitTest, RejectsFractionsWithoutColdOrWarmItems) {
  const UserHistories histories = Histories(20, {{0, 1, 2}});
  ColdItemSplitOptions options;
  for (double fraction : {0.0, 1.0, -0.1, std::nan("")}) {
    options.cold_fraction = fraction;
    EXPECT_THAT(SplitColdItems(histories, options).status(),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected in (0, 1)")));
  }
  options.cold_fraction = 0.02;  // round(0.4) = 0 cold items
  EXPECT_THAT(SplitColdItems(histories, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("gives 0 cold items")));
  options.cold_fraction = 0.99;  // round(19.8) = 20: no warm item left
  EXPECT_THAT(SplitColdItems(histories, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("gives 20 cold items")));
}

TEST(ColdRankTest, HigherScoreThenPopularityThenIndex) {
  const std::vector<double> scores = {1, 3, 3, 2, 3, 3};
  const std::vector<int64_t> ties = {0, 5, 5, 9, 1, 5};
  const std::vector<uint8_t> allowed = {1, 0, 1, 1, 1, 1};  // item 1 seen
  // Candidates 0, 2, 3, 4, 5. Order: 2 (3, pop 5), 5 (3, pop 5, higher index), 4 (3, pop 1),
  // 3 (2), 0 (1).
  EXPECT_EQ(ColdRank(scores, ties, allowed, 2), 0);
  EXPECT_EQ(ColdRank(scores, ties, allowed, 5), 1);
  EXPECT_EQ(ColdRank(scores, ties, allowed, 4), 2);
  EXPECT_EQ(ColdRank(scores, ties, allowed, 3), 3);
  EXPECT_EQ(ColdRank(scores, ties, allowed, 0), 4);
  EXPECT_EQ(ColdRank(scores, ties, allowed, 1), kUnranked);
  EXPECT_EQ(ColdRank(scores, ties, allowed, 6), kUnranked);
}

// Hand-made split over 6 items; the fixed scores rank by index (item 0 first).
//   u0 history [0]     target 3: candidates 1 2 3 4 5 -> rank 2
//   u1 history [1 2]   target 5: candidates 0 3 4 5   -> rank 3
//   u2 not evaluated.
TEST(EvaluateColdItemsTest, MetricsFromKnownRanks) {
  ColdItemSplit split;
  split.train = Histories(6, {{0}, {1, 2}, {4}});
  split.targets = {3, 5, -1};
  split.is_cold = {0, 0, 0, 1, 0, 1};
  FixedScorer scorer({6, 5, 4, 3, 2, 1});
  ColdItemEvalOptions options;
  options.ks = {3, 4};
  options.threads = 2;
  auto result = EvaluateColdItems(scorer, split, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->method, "fixed");
  EXPECT_EQ(result->test_events_evaluated, 2);
  EXPECT_NEAR(result->metrics.at("ndcg@3"), (1.0 / std::log2(4.0) + 0.0) / 2.0, kEps);
  EXPECT_NEAR(result->metrics.at("recall@3"), 0.5, kEps);
  EXPECT_NEAR(result->metrics.at("ndcg@4"), (1.0 / std::log2(4.0) + 1.0 / std::log2(5.0)) / 2.0,
              kEps);
  EXPECT_NEAR(result->metrics.at("recall@4"), 1.0, kEps);
  EXPECT_NEAR(result->metrics.at("mrr"), (1.0 / 3.0 + 1.0 / 4.0) / 2.0, kEps);
}

TEST(EvaluateColdItemsTest, RejectsBadOptionsAndSplitsWithoutColdTargets) {
  ColdItemSplit split;
  split.train = Histories(3, {{0}});
  split.targets = {-1};
  FixedScorer scorer({1, 2, 3});
  EXPECT_THAT(EvaluateColdItems(scorer, split, ColdItemEvalOptions()).status(),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("no leave-one-out test event")));
  split.targets = {2};
  ColdItemEvalOptions options;
  options.ks = {};
  EXPECT_THAT(EvaluateColdItems(scorer, split, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("ks: empty")));
  options.ks = {10, 0};
  EXPECT_THAT(EvaluateColdItems(scorer, split, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("got 0")));
}

// Training counts of the split fixture: items 0, 2, 4 once, 5 twice, the rest 0.
//   u0 history [0 2], target 7: above it 5 and 4 (scored), then 1, 3, 6 (0 each, lower
//      index)                                      -> rank 5
//   u2 history [5], target 11: 0, 2, 4, then 1, 3, 6, 7, 8, 9, 10 -> rank 10
//   u4 history [], target 11: 5, 0, 2, 4, then 1, 3, 6, 7, 8, 9, 10 -> rank 11
TEST(PopularityColdScorerTest, CountsAndKnownRanks) {
  auto split = SplitColdItems(SplitFixture(), ColdItemSplitOptions());
  ASSERT_TRUE(split.ok());
  PopularityColdScorer scorer(split->train);
  std::vector<double> scores(20);
  scorer.Score({}, scores);
  EXPECT_EQ(scores[0], 1.0);
  EXPECT_EQ(scores[5], 2.0);
  EXPECT_EQ(scores[7], 0.0);  // cold
  EXPECT_EQ(scores[19], 0.0);
  auto result = EvaluateColdItems(scorer, *split, ColdItemEvalOptions());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->test_events_evaluated, 3);
  EXPECT_NEAR(result->metrics.at("recall@10"), 1.0 / 3.0, kEps);
  EXPECT_NEAR(result->metrics.at("ndcg@10"), (1.0 / std::log2(7.0)) / 3.0, kEps);
  EXPECT_NEAR(result->metrics.at("recall@20"), 1.0, kEps);
  EXPECT_NEAR(result->metrics.at("ndcg@20"),
              (1.0 / std::log2(7.0) + 1.0 / std::log2(12.0) + 1.0 / std::log2(13.0)) / 3.0, kEps);
}

// Five items; FromNames keeps names on >= 2 items, the scorer drops the root (on every item,
// idf 0) and the price bucket (not an attribute of this method).
//   item 0: Root, A, brand X      df: A 3 -> idf ln(5/3); B, X, Y 2 -> idf ln(5/2)
//   item 1: Root, A, brand Y
//   item 2: Root, B, brand X
//   item 3: Root, B, brand Y, price 3
//   item 4: Root, A, price 3
ItemFeatures AttributeFixture() {
  return ItemFeatures::FromNames({
      {"category:Root", "category:A", "brand:X"},
      {"category:Root", "category:A", "brand:Y"},
      {"category:Root", "category:B", "brand:X"},
      {"category:Root", "category:B", "brand:Y", "price:3"},
      {"category:Root", "category:A", "price:3"},
  });
}

TEST(AttributeOverlapScorerTest, IdfWeightedOverlapByHand) {
  auto scorer = AttributeOverlapScorer::Create(AttributeFixture(), AttributeScorerOptions());
  ASSERT_TRUE(scorer.ok()) << scorer.status().ToString();
  EXPECT_THAT((*scorer)->feature_names(),
              UnorderedElementsAre("category:A", "category:B", "brand:X", "brand:Y"));
  const double idf_a = std::log(5.0 / 3.0);
  const double idf_2 = std::log(5.0 / 2.0);
  // History [0, 2]: profile A 1, X 2, B 1.
  std::vector<double> scores(5);
  (*scorer)->Score(History({0, 2}), scores);
  EXPECT_NEAR(scores[0], idf_a + 2 * idf_2, kEps);  // A, X
  EXPECT_NEAR(scores[1], idf_a, kEps);              // A
  EXPECT_NEAR(scores[2], 3 * idf_2, kEps);          // B, X
  EXPECT_NEAR(scores[3], idf_2, kEps);              // B
  EXPECT_NEAR(scores[4], idf_a, kEps);              // A
  (*scorer)->Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(0, 0, 0, 0, 0));

  // Half-life 1: item 0 (age 1) weighs 0.5, item 2 (age 0) 1 -> profile A 0.5, X 1.5, B 1.
  AttributeScorerOptions recency;
  recency.recency_half_life = 1.0;
  auto weighted = AttributeOverlapScorer::Create(AttributeFixture(), recency);
  ASSERT_TRUE(weighted.ok());
  (*weighted)->Score(History({0, 2}), scores);
  EXPECT_NEAR(scores[0], 0.5 * idf_a + 1.5 * idf_2, kEps);
  EXPECT_NEAR(scores[1], 0.5 * idf_a, kEps);
  EXPECT_NEAR(scores[2], 2.5 * idf_2, kEps);

  recency.recency_half_life = -1.0;
  EXPECT_THAT(AttributeOverlapScorer::Create(AttributeFixture(), recency).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("recency_half_life")));
}

TEST(AttributeOverlapScorerTest, TiesGoToPopularityThenIndex) {
  // Items 1 and 4 tie at ln(5/3) for history [0, 2]; item 4 has more training
  // interactions, so it comes first. Both are candidates for a user who saw 0 and 2 only.
  ColdItemSplit split;
  split.train = Histories(5, {{0, 2}, {4, 4, 3}});
  split.targets = {1, -1};
  split.is_cold = {0, 1, 0, 0, 0};
  auto scorer = AttributeOverlapScorer::Create(AttributeFixture(), AttributeScorerOptions());
  ASSERT_TRUE(scorer.ok());
  // u0 (0 and 2 seen): 3 (ln 5/2), then the tie at ln 5/3: 4 (2 training interactions)
  // before 1 (none) -> target 1 at rank 2 (rank 1 if the index decided).
  ColdItemEvalOptions options;
  options.ks = {2, 3};
  auto result = EvaluateColdItems(**scorer, split, options);
  ASSERT_TRUE(result.ok());
  EXPECT_NEAR(result->metrics.at("recall@2"), 0.0, kEps);
  EXPECT_NEAR(result->metrics.at("ndcg@3"), 1.0 / std::log2(4.0), kEps);
}

TEST(HistoryWeightsTest, HalvesPerHalfLife) {
  EXPECT_THAT(HistoryWeights(History({5, 6, 7}), 0.0), ElementsAre(1.0, 1.0, 1.0));
  const std::vector<double> weights = HistoryWeights(History({5, 6, 7}), 2.0);
  ASSERT_EQ(weights.size(), 3u);
  EXPECT_NEAR(weights[0], 0.5, kEps);  // age 2
  EXPECT_NEAR(weights[1], std::sqrt(0.5), kEps);
  EXPECT_NEAR(weights[2], 1.0, kEps);
}

FactorMatrix Embeddings(const std::vector<std::vector<float>>& rows) {
  FactorMatrix matrix(static_cast<int32_t>(rows.size()), static_cast<int32_t>(rows[0].size()));
  for (size_t row = 0; row < rows.size(); ++row) {
    std::copy(rows[row].begin(), rows[row].end(), matrix.row(static_cast<int32_t>(row)));
  }
  return matrix;
}

// e0 = (2, 0), e1 = (0, 3), e2 = (1, 1), e3 = (0, 0). History [0, 1]: profile = mean of
// (1, 0) and (0, 1) = (0.5, 0.5), cos with e2 = 1, with e0 and e1 = 1/sqrt(2), e3 = 0.
TEST(TextEmbeddingScorerTest, CosineWithMeanOfUnitEmbeddings) {
  auto scorer = TextEmbeddingScorer::Create(Embeddings({{2, 0}, {0, 3}, {1, 1}, {0, 0}}), 4,
                                            TextScorerOptions());
  ASSERT_TRUE(scorer.ok()) << scorer.status().ToString();
  std::vector<double> scores(4);
  (*scorer)->Score(History({0, 1}), scores);
  EXPECT_NEAR(scores[0], 1.0 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(scores[1], 1.0 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(scores[2], 1.0, 1e-6);
  EXPECT_EQ(scores[3], 0.0);
  // (Without normalising, the longer e1 would pull the profile to (2, 3) and score e1 above
  // e0.)
  (*scorer)->Score(History({3}), scores);  // an all-zero profile scores nothing
  EXPECT_THAT(scores, ElementsAre(0, 0, 0, 0));
  (*scorer)->Score({}, scores);
  EXPECT_THAT(scores, ElementsAre(0, 0, 0, 0));

  // Half-life 1: e0 weighs 0.5, e1 1 -> profile (0.5, 1), |profile| = sqrt(1.25).
  TextScorerOptions recency;
  recency.recency_half_life = 1.0;
  auto weighted =
      TextEmbeddingScorer::Create(Embeddings({{2, 0}, {0, 3}, {1, 1}, {0, 0}}), 4, recency);
  ASSERT_TRUE(weighted.ok());
  (*weighted)->Score(History({0, 1}), scores);
  EXPECT_NEAR(scores[0], 0.5 / std::sqrt(1.25), 1e-6);
  EXPECT_NEAR(scores[1], 1.0 / std::sqrt(1.25), 1e-6);
  EXPECT_NEAR(scores[2], (1.5 / std::sqrt(2.0)) / std::sqrt(1.25), 1e-6);
}

TEST(TextEmbeddingScorerTest, RejectsRowsOtherThanItemsAndNonFiniteValues) {
  EXPECT_THAT(
      TextEmbeddingScorer::Create(Embeddings({{1, 0}, {0, 1}}), 3, TextScorerOptions()).status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("2 rows for 3 items")));
  EXPECT_THAT(
      TextEmbeddingScorer::Create(Embeddings({{1, 0}, {0, std::nanf("")}}), 2, TextScorerOptions())
          .status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("row 1, column 1")));
  EXPECT_THAT(TextEmbeddingScorer::Create(FactorMatrix(2, 0), 2, TextScorerOptions()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("0 columns")));
}

TEST(TfidfTextScorerTest, SumOfCubedCosinesWithTheHistoryItems) {
  // The documents of index/tfidf_vectors_test.cc: cos(0, 1) = a, cos(1, 2) = b, cos(0, 2) = 0.
  const std::vector<std::string> texts = {"red shoe", "Red red hat", "blue hats", ""};
  const TfidfVectors vectors = TfidfVectors::Build(texts);
  std::vector<double> from0(4, 0.0), from1(4, 0.0);
  vectors.AddSimilarities(0, from0);
  vectors.AddSimilarities(1, from1);
  const double a = from0[1], b = from1[2];
  ASSERT_GT(a, 0.1);
  ASSERT_GT(b, 0.1);
  auto scorer = TfidfTextScorer::Create(texts, TfidfScorerOptions());
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  EXPECT_EQ((*scorer)->name(), "text-tfidf");
  std::vector<double> scores(4, -1.0);
  const std::vector<Interaction> history = {{.item = 0, .timestamp = 1},
                                            {.item = 1, .timestamp = 2}};
  (*scorer)->Score(history, scores);
  EXPECT_NEAR(scores[0], 1.0 + a * a * a, 1e-6);
  EXPECT_NEAR(scores[1], a * a * a + 1.0, 1e-6);
  EXPECT_NEAR(scores[2], b * b * b, 1e-6);
  EXPECT_EQ(scores[3], 0.0);  // no text: similar to nothing
  (*scorer)->Score({}, scores);
  EXPECT_THAT(scores, ::testing::Each(0.0));

  TfidfScorerOptions options;
  options.recency_half_life = 1.0;  // weights 0.5 (item 0), 1 (item 1)
  options.power = 1.0;
  scorer = TfidfTextScorer::Create(texts, options);
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  (*scorer)->Score(history, scores);
  EXPECT_NEAR(scores[0], 0.5 + a, 1e-6);
  EXPECT_NEAR(scores[2], b, 1e-6);
}

TEST(TfidfTextScorerTest, RejectsNoTextsAndBadOptions) {
  EXPECT_THAT(TfidfTextScorer::Create({}, TfidfScorerOptions()).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no item texts")));
  TfidfScorerOptions options;
  options.power = 0.0;
  EXPECT_THAT(TfidfTextScorer::Create({"a"}, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("power")));
  options = TfidfScorerOptions();
  options.recency_half_life = -1.0;
  EXPECT_THAT(TfidfTextScorer::Create({"a"}, options).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("recency_half_life")));
}

}  // namespace
}  // namespace tailor
