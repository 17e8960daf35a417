// Tests of the hidden model behind the synthetic shop: tastes drive affinity, affinity drives
// stars, and a session is a well-formed funnel in time order.
#include "data/synthetic/session_simulator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "data/synthetic/review_text.h"

namespace tailor::synthetic {
namespace {

using ::testing::AllOf;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::Not;

class SessionSimulatorTest : public testing::Test {
 protected:
  SessionSimulatorTest()
      : catalog_(BuildShopCatalog(options_)),
        population_(BuildShopPopulation(options_, catalog_)),
        simulator_(options_, catalog_, population_) {}

  bool InPreferredLeaf(int32_t user_idx, int32_t item_idx) const {
    const ShopUser& user = population_.users[user_idx];
    const auto end = user.leaves.begin() + user.num_leaves;
    return std::find(user.leaves.begin(), end, catalog_.items[item_idx].leaf) != end;
  }

  ShopOptions options_;  // defaults: 2000 items, 1000 users, 96 leaves
  ShopCatalog catalog_;
  ShopPopulation population_;
  SessionSimulator simulator_;
};

TEST_F(SessionSimulatorTest, CatalogIsStoredLeafByLeafWithPublicNumbers) {
  ASSERT_EQ(catalog_.items.size(), 2000u);
  std::set<int32_t> numbers;
  for (int32_t leaf_idx = 0; leaf_idx < static_cast<int32_t>(catalog_.leaves.size()); ++leaf_idx) {
    for (int64_t item_idx = catalog_.leaf_offsets[leaf_idx];
         item_idx < catalog_.leaf_offsets[leaf_idx + 1]; ++item_idx) {
      EXPECT_EQ(catalog_.items[item_idx].leaf, leaf_idx);
    }
    if (catalog_.LeafSize(leaf_idx) > 0) {  // the head item predates the window
      EXPECT_LT(catalog_.items[catalog_.leaf_offsets[leaf_idx]].created_at, options_.start_time);
    }
  }
  for (int32_t item_idx = 0; item_idx < 2000; ++item_idx) {
    const int32_t number = catalog_.items[item_idx].number;
    numbers.insert(number);
    EXPECT_EQ(catalog_.item_by_number[number - 1], item_idx);
  }
  EXPECT_EQ(numbers.size(), 2000u);
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), 2000);
}

TEST_F(SessionSimulatorTest, AffinityIsHigherInPreferredLeaves) {
  double preferred_sum = 0.0, other_sum = 0.0;
  int preferred = 0, other = 0;
  for (int32_t user_idx = 0; user_idx < 200; ++user_idx) {
    for (int32_t item_idx = 0; item_idx < 2000; item_idx += 7) {
      const double affinity = simulator_.Affinity(user_idx, item_idx);
      if (InPreferredLeaf(user_idx, item_idx)) {
        preferred_sum += affinity;
        ++preferred;
      } else {
        other_sum += affinity;
        ++other;
      }
    }
  }
  ASSERT_GT(preferred, 100);
  EXPECT_GT(preferred_sum / preferred, other_sum / other + 0.4);
}

TEST_F(SessionSimulatorTest, StarsFollowAffinity) {
  ShopRandom rng(5);
  auto mean_stars = [&](double affinity) {
    double sum = 0.0;
    for (int draw = 0; draw < 4000; ++draw) {
      const int32_t stars = simulator_.Stars(affinity, rng);
      EXPECT_THAT(stars, AllOf(Ge(1), Le(5)));
      sum += stars;
    }
    return sum / 4000;
  };
  const double poor = mean_stars(-0.2);
  const double typical = mean_stars(0.4);
  const double great = mean_stars(0.9);
  EXPECT_GT(typical, poor + 1.0);
  EXPECT_GT(great, typical + 0.5);
}

TEST_F(SessionSimulatorTest, SessionIsATimeOrderedFunnelOfVisibleItems) {
  ShopRandom rng(11);
  SessionEvents session;
  int64_t purchases = 0, feedback = 0, in_taste_views = 0, views = 0;
  for (int32_t user_idx = 0; user_idx < 300; ++user_idx) {
    UserState state;
    int64_t now = options_.start_time;
    for (int visit = 0; visit < 6; ++visit) {
      const int64_t end = simulator_.Run(user_idx, now, state, rng, &session);
      ASSERT_FALSE(session.events.empty());
      EXPECT_EQ(session.events.front().timestamp, now);
      EXPECT_EQ(session.events.back().timestamp, end);
      std::set<int32_t> viewed, clicked, carted;
      int64_t previous = now;
      for (const SimEvent& event : session.events) {
        EXPECT_GE(event.timestamp, previous);
        previous = event.timestamp;
        EXPECT_LE(catalog_.items[event.item].created_at, event.timestamp);
        switch (event.kind) {
          case EventKind::kView:
            viewed.insert(event.item);
            ++views;
            in_taste_views += InPreferredLeaf(user_idx, event.item);
            break;
          case EventKind::kClick:
            EXPECT_TRUE(viewed.count(event.item));
            clicked.insert(event.item);
            break;
          case EventKind::kAddToCart:
            EXPECT_TRUE(clicked.count(event.item));
            EXPECT_TRUE(catalog_.items[event.item].in_stock);
            carted.insert(event.item);
            break;
          case EventKind::kPurchase:
            EXPECT_TRUE(carted.count(event.item));
            EXPECT_THAT(event.value, AllOf(Ge(1), Le(3)));  // quantity
            ++purchases;
            break;
          case EventKind::kRemoveFromCart:
            EXPECT_TRUE(carted.count(event.item));
            break;
          case EventKind::kRating:
          case EventKind::kReview:
          case EventKind::kReturn:
            // Feedback on earlier purchases opens the session.
            EXPECT_TRUE(viewed.empty());
            ++feedback;
            break;
        }
      }
      now = end + 86400;
    }
  }
  EXPECT_GT(purchases, 100);
  EXPECT_GT(feedback, 20);
  EXPECT_GT(static_cast<double>(in_taste_views) / views, 0.5);
}

TEST(ReviewTextTest, ToneFollowsStarsAndNamesTheProduct) {
  ShopRandom rng(3);
  for (int32_t stars = 1; stars <= 5; ++stars) {
    for (int draw = 0; draw < 50; ++draw) {
      std::string text;
      AppendReview(stars, "pair of jeans", rng, &text);
      EXPECT_THAT(text, HasSubstr("pair of jeans"));
      EXPECT_THAT(text, Not(HasSubstr("{noun}")));
      std::string lower = text;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      const bool positive = lower.find("love") != std::string::npos ||
                            lower.find("great") != std::string::npos ||
                            lower.find("excellent") != std::string::npos ||
                            lower.find("perfect") != std::string::npos ||
                            lower.find("recommend") != std::string::npos;
      const bool negative =
          lower.find("disappointed") != std::string::npos ||
          lower.find("poor") != std::string::npos || lower.find("terrible") != std::string::npos ||
          lower.find("broke") != std::string::npos || lower.find("refund") != std::string::npos;
      EXPECT_EQ(positive, stars >= 4) << text;
      EXPECT_EQ(negative, stars <= 2) << text;
    }
  }
  EXPECT_EQ(ToneForStars(3), ReviewTone::kNeutral);
}

}  // namespace
}  // namespace tailor::synthetic
