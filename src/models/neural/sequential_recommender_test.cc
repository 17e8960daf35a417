#include "models/neural/sequential_recommender.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "models/recommender.h"
#include "status_matchers.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

constexpr int32_t kItems = 30;

// Every shopper walks a chain: after item x comes x + 1 (mod kItems).
UserHistories Chains(int users, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<Interaction>> lists(users);
  for (auto& list : lists) {
    int32_t item = static_cast<int32_t>(rng() % kItems);
    const int length = 4 + static_cast<int>(rng() % 7);
    for (int step = 0; step < length; ++step) {
      list.push_back({.item = item, .timestamp = step});
      item = (item + 1) % kItems;
    }
  }
  return UserHistories::FromLists(kItems, lists);
}

nlohmann::json SmallParams() {
  return {{"dim", 16}, {"layers", 1}, {"heads", 2}, {"ffn_dim", 32}, {"max_len", 8},
          {"dropout", 0.1}, {"epochs", 25}, {"patience", 0}, {"batch_tokens", 256},
          {"learning_rate", 0.01}, {"warmup_steps", 5}};
}

std::unique_ptr<Recommender> Fit(const std::string& name, nlohmann::json params,
                                 const UserHistories& train, const std::string& checkpoint_dir = "",
                                 EpochFn on_epoch = {}) {
  auto model = MakeRecommender(name, params);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  FitOptions fit;
  fit.threads = 1;
  fit.seed = 7;
  fit.checkpoint_dir = checkpoint_dir;
  fit.on_epoch = std::move(on_epoch);
  Status status = (*model)->Fit(train, fit);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return std::move(*model);
}

std::vector<float> Scores(const Recommender& model, std::span<const Interaction> history) {
  std::vector<float> scores(kItems);
  model.Score({-1, history}, scores);
  return scores;
}

int32_t Top(const std::vector<float>& scores) {
  return static_cast<int32_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("tailor-seq-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

class SequentialModelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SequentialModelTest, LearnsWhatComesNext) {
  UserHistories train = Chains(300, 1);
  auto model = Fit(GetParam(), SmallParams(), train);
  int correct = 0;
  for (int32_t item = 0; item < kItems; ++item) {
    std::vector<Interaction> history = {{.item = (item + kItems - 2) % kItems},
                                        {.item = (item + kItems - 1) % kItems}};
    correct += Top(Scores(*model, history)) == item ? 1 : 0;
  }
  EXPECT_GE(correct, 27) << "next item ranked first for " << correct << " of " << kItems;
  EXPECT_GT(model->fit_stats().value("epochs", 0), 0);
  EXPECT_LT(model->fit_stats().value("export_max_abs_diff", 1.0), 1e-3);
}

TEST_P(SequentialModelTest, SampledSoftmaxAlsoLearns) {
  UserHistories train = Chains(300, 1);
  nlohmann::json params = SmallParams();
  params["negatives"] = 8;  // of 30 items: the logQ-corrected sampled softmax
  auto model = Fit(GetParam(), params, train);
  int correct = 0;
  for (int32_t item = 0; item < kItems; ++item) {
    std::vector<Interaction> history = {{.item = (item + kItems - 1) % kItems}};
    correct += Top(Scores(*model, history)) == item ? 1 : 0;
  }
  EXPECT_GE(correct, 24) << "next item ranked first for " << correct << " of " << kItems;
}

TEST_P(SequentialModelTest, EmptyHistoryGetsPopularity) {
  std::vector<std::vector<Interaction>> lists(20, {{.item = 3}, {.item = 4}});
  lists.push_back({{.item = 5}, {.item = 6}});
  nlohmann::json params = SmallParams();
  params["epochs"] = 2;
  auto model = Fit(GetParam(), params, UserHistories::FromLists(kItems, lists));
  std::vector<float> scores = Scores(*model, {});
  EXPECT_TRUE(Top(scores) == 3 || Top(scores) == 4);
  EXPECT_EQ(scores[3], scores[4]);
  EXPECT_GT(scores[5], scores[0]);
}

TEST_P(SequentialModelTest, SaveLoadGivesIdenticalScores) {
  UserHistories train = Chains(100, 2);
  nlohmann::json params = SmallParams();
  params["epochs"] = 3;
  auto model = Fit(GetParam(), params, train);
  const std::string path = TempDir("artifact") + ".tailor";
  Status saved = SaveModel(*model, path);
  ASSERT_TRUE(saved.ok()) << saved.ToString();
  auto loaded = LoadModel(path);
  ASSERT_TRUE((loaded.status()).ok()) << (loaded.status()).ToString();
  EXPECT_EQ((*loaded)->name(), GetParam());
  EXPECT_EQ((*loaded)->params(), model->params());
  for (int32_t user_idx = 0; user_idx < 10; ++user_idx) {
    EXPECT_EQ(Scores(**loaded, train.user(user_idx)), Scores(*model, train.user(user_idx)));
  }
  std::filesystem::remove(path);
}

TEST_P(SequentialModelTest, SameSeedSameModel) {
  UserHistories train = Chains(100, 3);
  nlohmann::json params = SmallParams();
  params["epochs"] = 3;
  auto a = Fit(GetParam(), params, train);
  auto b = Fit(GetParam(), params, train);
  EXPECT_EQ(Scores(*a, train.user(0)), Scores(*b, train.user(0)));
}

TEST_P(SequentialModelTest, ResumesFromTheLastCheckpoint) {
  UserHistories train = Chains(100, 4);
  nlohmann::json params = SmallParams();
  params["patience"] = 50;  // validation on, never stops early
  params["epochs"] = 3;
  const std::string dir = TempDir("resume");
  auto first = Fit(GetParam(), params, train, dir);
  EXPECT_EQ(first->fit_stats().value("resumed_from_epoch", -1), 0);
  params["epochs"] = 5;
  auto resumed = Fit(GetParam(), params, train, dir);
  EXPECT_EQ(resumed->fit_stats().value("resumed_from_epoch", -1), 3);
  EXPECT_EQ(resumed->fit_stats().value("epochs", -1), 5);
  auto straight = Fit(GetParam(), params, train, TempDir("straight"));
  std::vector<float> want = Scores(*straight, train.user(0));
  std::vector<float> got = Scores(*resumed, train.user(0));
  for (int32_t item_idx = 0; item_idx < kItems; ++item_idx) {
    EXPECT_NEAR(got[item_idx], want[item_idx], 1e-4) << "item " << item_idx;
  }
  std::filesystem::remove_all(dir);
}

TEST_P(SequentialModelTest, OnEpochFalseStopsTraining) {
  nlohmann::json params = SmallParams();
  int calls = 0;
  auto model = Fit(GetParam(), params, Chains(50, 5), "", [&](int epoch, const Recommender& current) {
    ++calls;
    std::vector<float> scores(kItems);
    current.Score({-1, {}}, scores);  // usable mid-training
    return epoch < 2;
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(model->fit_stats().value("epochs", -1), 2);
}

TEST_P(SequentialModelTest, NothingToLearnFromIsAnError) {
  auto model = MakeRecommender(GetParam(), SmallParams());
  ASSERT_TRUE((model.status()).ok()) << (model.status()).ToString();
  std::vector<std::vector<Interaction>> lists(3, {{.item = 1}, {.item = 1}});
  EXPECT_THAT((*model)->Fit(UserHistories::FromLists(kItems, lists), FitOptions{}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("two distinct")));
}

// Two departments of 15 items; shoppers stay within one. Items 14 and 29 are never bought
// (cold): only their side feature (the department) can place them.
TEST_P(SequentialModelTest, SideFeaturesPlaceColdItems) {
  constexpr int32_t kDepartment = kItems / 2;
  std::mt19937_64 rng(11);
  std::vector<std::vector<Interaction>> lists(300);
  for (size_t user_idx = 0; user_idx < lists.size(); ++user_idx) {
    const int32_t first = user_idx % 2 == 0 ? 0 : kDepartment;
    for (int step = 0; step < 6; ++step) {
      const auto item = first + static_cast<int32_t>(rng() % (kDepartment - 1));
      lists[user_idx].push_back({.item = item, .timestamp = step});
    }
  }
  UserHistories train = UserHistories::FromLists(kItems, lists);
  std::vector<std::vector<std::string>> names(kItems);
  for (int32_t item_idx = 0; item_idx < kItems; ++item_idx) {
    names[item_idx] = {item_idx < kDepartment ? "category:A" : "category:B"};
  }
  const ItemFeatures features = ItemFeatures::FromNames(names);
  auto model = MakeRecommender(GetParam(), SmallParams());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  FitOptions fit;
  fit.threads = 1;
  fit.item_features = &features;
  ASSERT_TRUE((*model)->Fit(train, fit).ok());
  EXPECT_EQ((*model)->fit_stats().value("item_features", 0), 2);
  const std::vector<Interaction> in_a = {{.item = 1}, {.item = 5}, {.item = 9}};
  const std::vector<Interaction> in_b = {{.item = 16}, {.item = 20}, {.item = 24}};
  std::vector<float> a = Scores(**model, in_a), b = Scores(**model, in_b);
  // The cold item of the history's department outranks every bought item of the other one.
  for (int32_t item_idx = kDepartment; item_idx < kItems - 1; ++item_idx) {
    EXPECT_GT(a[kDepartment - 1], a[item_idx]) << "cold A item vs B item " << item_idx;
  }
  for (int32_t item_idx = 0; item_idx < kDepartment - 1; ++item_idx) {
    EXPECT_GT(b[kItems - 1], b[item_idx]) << "cold B item vs A item " << item_idx;
  }
}

// Four styles interleaved over the ids (style = item % 4), shoppers keep to one, and items
// 32..39 are never bought (cold). Only the image vectors know the styles: a one-hot of the
// style plus noise, or (`crossed`) the one-hot of the NEXT style for the cold items. Returns
// the fitted model.
std::unique_ptr<Recommender> FitStyles(const std::string& name, bool crossed, bool use_vectors) {
  constexpr int32_t kStyleItems = 40, kWarm = 32, kStyles = 4, kDim = 8;
  std::mt19937_64 rng(5);
  std::vector<std::vector<Interaction>> lists(400);
  for (size_t user_idx = 0; user_idx < lists.size(); ++user_idx) {
    const int32_t style = static_cast<int32_t>(user_idx % kStyles);
    for (int step = 0; step < 6; ++step) {
      const auto item = style + kStyles * static_cast<int32_t>(rng() % (kWarm / kStyles));
      lists[user_idx].push_back({.item = item, .timestamp = step});
    }
  }
  UserHistories train = UserHistories::FromLists(kStyleItems, lists);
  ItemVectors vectors = ItemVectors::Zeros(kStyleItems, kDim);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  for (int32_t item_idx = 0; item_idx < kStyleItems; ++item_idx) {
    const int32_t style = (item_idx + (crossed && item_idx >= kWarm ? 1 : 0)) % kStyles;
    for (int32_t col = 0; col < kDim; ++col) {
      vectors.values[item_idx * kDim + col] = (col == style ? 1.0f : 0.0f) + noise(rng);
    }
    vectors.present[item_idx] = 1;
  }
  ItemVectors content = *ConcatNormalized(std::vector<const ItemVectors*>{&vectors});
  nlohmann::json params = SmallParams();
  params["item_vectors"] = use_vectors;
  auto model = MakeRecommender(name, params);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  FitOptions fit;
  fit.threads = 1;
  fit.item_vectors = &content;
  EXPECT_TRUE((*model)->Fit(train, fit).ok());
  return std::move(*model);
}

// For each style's shopper: how many of the two cold items the vectors say are of `style +
// shift` are the two best-scored cold items.
int ColdItemsPlaced(const Recommender& model, int shift) {
  int placed = 0;
  for (int32_t style = 0; style < 4; ++style) {
    const std::vector<Interaction> history = {
        {.item = style}, {.item = style + 4}, {.item = style + 8}, {.item = style + 12}};
    std::vector<float> scores(40);
    model.Score({-1, history}, scores);
    std::vector<int32_t> cold = {32, 33, 34, 35, 36, 37, 38, 39};
    std::sort(cold.begin(), cold.end(),
              [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
    for (int rank = 0; rank < 2; ++rank) {
      placed += (cold[rank] + shift) % 4 == style ? 1 : 0;
    }
  }
  return placed;
}

TEST_P(SequentialModelTest, ImageVectorsPlaceColdItems) {
  auto model = FitStyles(GetParam(), /*crossed=*/false, /*use_vectors=*/true);
  EXPECT_EQ(model->fit_stats().value("item_vector_dim", 0), 8);
  EXPECT_EQ(model->fit_stats().value("content_only_items", 0), 8);
  EXPECT_EQ(ColdItemsPlaced(*model, 0), 8);
  // The fusion is in the exported item matrix: a saved model scores the same.
  const std::string path = TempDir("vectors") + ".model";
  ASSERT_TRUE(SaveModel(*model, path).ok());
  auto loaded = LoadModel(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(ColdItemsPlaced(**loaded, 0), 8);
  std::filesystem::remove(path);
}

TEST_P(SequentialModelTest, ColdItemsFollowTheirVectorsNotTheirIds) {
  // The cold items' vectors name the next style: the model must place them there.
  auto crossed = FitStyles(GetParam(), /*crossed=*/true, /*use_vectors=*/true);
  EXPECT_EQ(ColdItemsPlaced(*crossed, 1), 8);
  // Without the vectors nothing tells the styles of cold items apart.
  auto ids_only = FitStyles(GetParam(), /*crossed=*/false, /*use_vectors=*/false);
  EXPECT_EQ(ids_only->fit_stats().value("item_vector_dim", -1), 0);
  EXPECT_LT(ColdItemsPlaced(*ids_only, 0), 8);
}

INSTANTIATE_TEST_SUITE_P(Models, SequentialModelTest, ::testing::Values("sasrec", "gru4rec"));

TEST(SequenceOptionsTest, HeadsMustDivideDim) {
  EXPECT_THAT(MakeRecommender("sasrec", {{"dim", 30}, {"heads", 4}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'heads'")));
  EXPECT_THAT(MakeRecommender("gru4rec", {{"colour", 1}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("colour")));
  auto gru = MakeRecommender("gru4rec");
  ASSERT_TRUE((gru.status()).ok()) << (gru.status()).ToString();
  EXPECT_EQ((*gru)->params().value("layers", 0), 1);
}

}  // namespace
}  // namespace tailor
