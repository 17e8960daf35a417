#include "models/neural/sequence_batches.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace tailor {
namespace {

using ::testing::ElementsAre;

std::vector<Interaction> Steps(std::initializer_list<int32_t> items) {
  std::vector<Interaction> history;
  int64_t timestamp = 0;
  for (int32_t item : items) history.push_back({.item = item, .timestamp = ++timestamp});
  return history;
}

TEST(HistoryStepsTest, CollapsesRepeatsDropsUnknownAndKeepsTheLastSteps) {
  auto history = Steps({1, 1, 2, 9, 2, 3, 3, 4});
  EXPECT_THAT(HistorySteps(history, 5), ElementsAre(1, 2, 3, 4));  // 9 unknown: 2,2 collapse
  EXPECT_THAT(HistorySteps(history, 5, 2), ElementsAre(3, 4));
  EXPECT_TRUE(HistorySteps({}, 5).empty());
}

UserHistories Fixture() {
  return UserHistories::FromLists(
      10, {Steps({0, 1, 2, 3, 4}), Steps({5, 6}), Steps({7}), Steps({1, 2, 3}), Steps({4, 4, 4})});
}

TEST(SequenceTrainingDataTest, WindowsKeepTheLastMaxLenPlusOneSteps) {
  SequenceTrainingData data = BuildSequenceTrainingData(Fixture(), /*max_len=*/3, 0, 1);
  ASSERT_EQ(data.num_windows(), 3);  // users 2 and 4 have a single step
  EXPECT_THAT(data.window(0), ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(data.window(1), ElementsAre(5, 6));
  EXPECT_THAT(data.window(2), ElementsAre(1, 2, 3));
  EXPECT_EQ(data.targets(0), 3);
  EXPECT_EQ(data.total_targets(), 3 + 1 + 2);
  EXPECT_TRUE(data.validation.empty());
}

TEST(SequenceTrainingDataTest, ValidationHoldsOutTheLastStepOfUsersWithThreeSteps) {
  SequenceTrainingData data = BuildSequenceTrainingData(Fixture(), /*max_len=*/2, 100, 1);
  ASSERT_EQ(data.validation.size(), 2u);  // users 0 and 3
  EXPECT_EQ(data.validation[0].user, 0);
  EXPECT_EQ(data.validation[0].target, 4);
  EXPECT_THAT(data.validation[0].history, ElementsAre(2, 3));
  EXPECT_THAT(data.validation[0].seen, ElementsAre(0, 1, 2, 3));
  EXPECT_EQ(data.validation[1].target, 3);
  ASSERT_EQ(data.num_windows(), 3);
  EXPECT_THAT(data.window(0), ElementsAre(1, 2, 3));  // user 0 without its target 4
  EXPECT_THAT(data.window(2), ElementsAre(1, 2));
}

TEST(SequenceTrainingDataTest, ValidationSampleIsSeededAndBounded) {
  std::vector<std::vector<Interaction>> lists(50, Steps({1, 2, 3, 4}));
  UserHistories histories = UserHistories::FromLists(5, lists);
  auto a = BuildSequenceTrainingData(histories, 10, 7, 3);
  auto b = BuildSequenceTrainingData(histories, 10, 7, 3);
  ASSERT_EQ(a.validation.size(), 7u);
  for (size_t idx = 0; idx < a.validation.size(); ++idx) {
    EXPECT_EQ(a.validation[idx].user, b.validation[idx].user);
  }
  EXPECT_EQ(a.total_targets(), 50 * 3 - 7);
}

TEST(PlanBatchesTest, EveryWindowOnceWithinTheTokenBudget) {
  std::vector<std::vector<Interaction>> lists;
  for (int user = 0; user < 300; ++user) {
    std::vector<Interaction> history;
    for (int step = 0; step < 2 + user % 40; ++step) history.push_back({.item = step % 50});
    lists.push_back(history);
  }
  SequenceTrainingData data =
      BuildSequenceTrainingData(UserHistories::FromLists(50, lists), 30, 0, 1);
  auto batches = PlanBatches(data, 128, 5, 1);
  std::vector<int> seen(data.num_windows(), 0);
  for (const auto& batch : batches) {
    int32_t longest = 0;
    for (int32_t window_idx : batch) {
      ++seen[window_idx];
      longest = std::max(longest, data.targets(window_idx));
    }
    EXPECT_LE(static_cast<int64_t>(longest) * static_cast<int64_t>(batch.size()), 128);
  }
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int count) { return count == 1; }));
  EXPECT_NE(PlanBatches(data, 128, 5, 2), batches);  // a new order every epoch
  EXPECT_EQ(PlanBatches(data, 128, 5, 1), batches);  // deterministic
}

}  // namespace
}  // namespace tailor
