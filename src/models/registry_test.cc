#include "models/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/recommender.h"

namespace tailor {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

TEST(RegistryTest, ListsTheBaselines) {
  std::vector<std::string> names = RecommenderNames();
  EXPECT_THAT(names, Contains("popularity"));
  EXPECT_THAT(names, Contains("trending"));
  EXPECT_THAT(names, Contains("item-knn"));
  EXPECT_THAT(names, Contains("user-knn"));
  ASSERT_EQ(RegisteredRecommenders().size(), names.size());
  for (const RecommenderInfo& info : RegisteredRecommenders()) {
    EXPECT_FALSE(info.summary.empty()) << info.name;
  }
  EXPECT_FALSE(FindRecommender("popularity")->personalized);
  EXPECT_TRUE(FindRecommender("item-knn")->personalized);
}

TEST(RegistryTest, EveryNameMakesItsModelWithDefaults) {
  for (const std::string& name : RecommenderNames()) {
    auto model = MakeRecommender(name);
    ASSERT_TRUE(model.ok()) << name << ": " << model.status().ToString();
    EXPECT_EQ((*model)->name(), name);
    EXPECT_TRUE((*model)->params().is_object()) << name;
    // params() round-trips through the factory.
    auto again = MakeRecommender(name, (*model)->params());
    ASSERT_TRUE(again.ok()) << name << ": " << again.status().ToString();
    EXPECT_EQ((*again)->params(), (*model)->params()) << name;
    EXPECT_EQ((*model)->num_items(), 0) << name;
  }
}

TEST(RegistryTest, UnknownNameListsTheKnownOnes) {
  auto model = MakeRecommender("deep-magic");
  ASSERT_EQ(model.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(model.status().message(), HasSubstr("unknown model 'deep-magic'"));
  EXPECT_THAT(model.status().message(), HasSubstr("item-knn"));
  EXPECT_THAT(model.status().message(), HasSubstr("popularity"));
  EXPECT_EQ(FindRecommender("deep-magic").status().code(), StatusCode::kNotFound);
}

TEST(RegistryTest, ParamsAreApplied) {
  auto model = MakeRecommender("item-knn", {{"neighbors", 7}, {"shrink", 2.5}});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->params()["neighbors"], 7);
  EXPECT_EQ((*model)->params()["shrink"], 2.5);
  EXPECT_EQ((*model)->params()["binary"], true);  // default kept
  auto null_params = MakeRecommender("popularity", nlohmann::json());
  ASSERT_TRUE(null_params.ok()) << null_params.status().ToString();
}

TEST(RegistryTest, BadParamIsNamed) {
  auto negative = MakeRecommender("item-knn", {{"shrink", -1}});
  ASSERT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(negative.status().message(), HasSubstr("item-knn: param 'shrink'"));
  EXPECT_THAT(negative.status().message(), HasSubstr("-1"));

  auto fraction = MakeRecommender("user-knn", {{"neighbors", 2.5}});
  ASSERT_EQ(fraction.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(fraction.status().message(), HasSubstr("param 'neighbors': expected an integer"));

  auto wrong_type = MakeRecommender("popularity", {{"weighted", "yes"}});
  ASSERT_EQ(wrong_type.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong_type.status().message(), HasSubstr("param 'weighted': expected true or false"));

  auto zero_half_life = MakeRecommender("trending", {{"half_life_days", 0}});
  ASSERT_EQ(zero_half_life.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(zero_half_life.status().message(), HasSubstr("param 'half_life_days'"));

  auto unknown = MakeRecommender("item-knn", {{"neighbours", 5}});
  ASSERT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("param 'neighbours': unknown param"));
  EXPECT_THAT(unknown.status().message(), HasSubstr("neighbors"));

  auto not_object = MakeRecommender("item-knn", nlohmann::json::array({1, 2}));
  ASSERT_EQ(not_object.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(not_object.status().message(), HasSubstr("params must be a JSON object"));
}

}  // namespace
}  // namespace tailor
