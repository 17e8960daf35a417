#include "data/synthetic/session_simulator.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "data/synthetic/review_text.h"

namespace tailor::synthetic {
namespace {

constexpr int kCandidates = 3;  // Zipf draws per view; the best match is shown
constexpr double kBrandBonus = 0.3;
constexpr double kSiblingDriftRate = 0.12;  // per view: move to a sibling leaf
constexpr double kRevisitAbandonedRate = 0.35;
constexpr double kDefectRate = 0.04;  // purchases that arrive broken: 1 star regardless
constexpr int kMaxViews = 60;
constexpr size_t kMaxPending = 8;

void Emit(SessionEvents* out, EventKind kind, int32_t item, int64_t timestamp, int32_t value = 0) {
  SimEvent event;
  event.kind = kind;
  event.item = item;
  event.value = value;
  event.timestamp = timestamp;
  out->events.push_back(event);
}

// Seconds between two actions: a few seconds minimum, exponential tail.
int64_t Pause(ShopRandom& rng, double mean) {
  return 1 + static_cast<int64_t>(rng.Exponential(mean));
}

// Rates scale with the match: about 1.2x for a typical preferred item, 0.3x for a poor one.
double MatchFactor(double affinity) { return std::clamp(1.0 + 1.5 * (affinity - 0.3), 0.15, 2.0); }

}  // namespace

std::string_view EventKindName(EventKind kind) {
  static constexpr std::string_view kNames[kNumEventKinds] = {
      "view", "click", "add_to_cart", "remove_from_cart", "purchase", "rating", "review", "return"};
  return kNames[static_cast<int>(kind)];
}

SessionSimulator::SessionSimulator(const ShopOptions& options, const ShopCatalog& catalog,
                                   const ShopPopulation& population)
    : options_(options), catalog_(catalog), population_(population) {}

double SessionSimulator::Affinity(int32_t user_idx, int32_t item_idx) const {
  const std::span<const float> user_vec = population_.UserVector(user_idx);
  const std::span<const float> item_vec = catalog_.ItemVector(item_idx);
  float dot = 0.0f;
  for (size_t dim = 0; dim < user_vec.size(); ++dim) dot += user_vec[dim] * item_vec[dim];
  const ShopUser& user = population_.users[user_idx];
  const CatalogItem& item = catalog_.items[item_idx];
  return dot + (user.PrefersBrand(item.brand) ? kBrandBonus : 0.0) -
         user.price_sensitivity * std::abs(item.price_tier - user.price_level);
}

int32_t SessionSimulator::Stars(double affinity, ShopRandom& rng) const {
  if (rng.Bernoulli(kDefectRate)) return 1;
  const double score = 3.9 + 2.5 * (affinity - 0.4) + rng.Normal(0.0, 0.9);
  return static_cast<int32_t>(std::clamp<int64_t>(std::llround(score), 1, 5));
}

int32_t SessionSimulator::PickItem(int32_t user_idx, int32_t leaf_idx, int64_t now, ShopRandom& rng,
                                   const std::vector<int32_t>& viewed) const {
  const int64_t offset = catalog_.leaf_offsets[leaf_idx];
  const size_t size = static_cast<size_t>(catalog_.LeafSize(leaf_idx));
  // Draw all candidates first and prefetch them: tail items of big catalogs are cache misses,
  // and overlapping them is most of the simulator's speed at a million items.
  std::array<int32_t, kCandidates> candidates;
  for (int32_t& item_idx : candidates) {
    item_idx = static_cast<int32_t>(offset + catalog_.zipf.Sample(rng, size));
    __builtin_prefetch(&catalog_.items[item_idx]);
    __builtin_prefetch(catalog_.item_vectors.data() +
                       static_cast<size_t>(item_idx) * catalog_.taste_dims);
  }
  int32_t best_item = static_cast<int32_t>(offset);
  double best_score = -1e30;
  for (int32_t item_idx : candidates) {
    // Items released later cannot be seen yet; the leaf's head item always exists.
    if (catalog_.items[item_idx].created_at > now) item_idx = static_cast<int32_t>(offset);
    // Shoppers rarely reopen what they have just seen: a seen item loses most of its appeal.
    const bool seen = std::find(viewed.begin(), viewed.end(), item_idx) != viewed.end();
    const double score = Affinity(user_idx, item_idx) + 0.3 * rng.Uniform() - (seen ? 1.0 : 0.0);
    if (score > best_score) {
      best_score = score;
      best_item = item_idx;
    }
  }
  return best_item;
}

int32_t SessionSimulator::ChooseLeaf(const ShopUser& user, UserState& state, ShopRandom& rng,
                                     int32_t* first_item) const {
  *first_item = -1;
  int32_t leaf_idx = -1;
  if (state.abandoned_item >= 0 && rng.Bernoulli(kRevisitAbandonedRate)) {
    *first_item = state.abandoned_item;
    leaf_idx = catalog_.items[state.abandoned_item].leaf;
  } else if (state.last_leaf >= 0 && rng.Bernoulli(options_.continue_rate)) {
    const CatalogLeaf& last = catalog_.leaves[state.last_leaf];
    if (state.last_purchased) {
      leaf_idx = last.complements[rng.Below(last.complements.size())];
    } else {
      leaf_idx = rng.Bernoulli(0.7)
                     ? state.last_leaf
                     : last.first_sibling + static_cast<int32_t>(rng.Below(last.num_siblings));
    }
  } else if (rng.Bernoulli(options_.explore_rate)) {
    leaf_idx = catalog_.nonempty_leaves[rng.Weighted(catalog_.nonempty_leaf_cumulative)];
  } else {
    const std::span<const double> cumulative(user.leaf_cumulative.data(), user.num_leaves);
    leaf_idx = user.leaves[rng.Weighted(cumulative)];
  }
  state.abandoned_item = -1;
  if (catalog_.LeafSize(leaf_idx) == 0) leaf_idx = user.leaves[0];
  return leaf_idx;
}

void SessionSimulator::DeliverFeedback(UserState& state, int64_t& now, ShopRandom& rng,
                                       SessionEvents* out) const {
  for (const PendingFeedback& feedback : state.pending) {
    if (feedback.rating) {
      Emit(out, EventKind::kRating, feedback.item, now, feedback.stars);
      now += Pause(rng, 15.0);
    }
    if (feedback.review) {
      SimEvent event;
      event.kind = EventKind::kReview;
      event.item = feedback.item;
      event.value = feedback.stars;
      event.timestamp = now;
      event.text_begin = static_cast<uint32_t>(out->text.size());
      const CatalogLeaf& leaf = catalog_.leaves[catalog_.items[feedback.item].leaf];
      AppendReview(feedback.stars, leaf.words->review_noun, rng, &out->text);
      event.text_end = static_cast<uint32_t>(out->text.size());
      out->events.push_back(event);
      now += Pause(rng, 90.0);
    }
    if (feedback.returned) {
      Emit(out, EventKind::kReturn, feedback.item, now);
      now += Pause(rng, 30.0);
    }
  }
  state.pending.clear();
}

int64_t SessionSimulator::Run(int32_t user_idx, int64_t start, UserState& state, ShopRandom& rng,
                              SessionEvents* out) const {
  out->Clear();
  int64_t now = start;
  DeliverFeedback(state, now, rng, out);

  const ShopUser& user = population_.users[user_idx];
  int32_t first_item = -1;
  int32_t leaf_idx = ChooseLeaf(user, state, rng, &first_item);
  const int32_t num_views = std::min<int32_t>(
      kMaxViews, 1 + static_cast<int32_t>(rng.Exponential(options_.views_per_session - 0.5)));
  for (int32_t view_idx = 0; view_idx < num_views; ++view_idx) {
    if (view_idx > 0 && rng.Bernoulli(kSiblingDriftRate)) {
      const CatalogLeaf& leaf = catalog_.leaves[leaf_idx];
      const int32_t sibling =
          leaf.first_sibling + static_cast<int32_t>(rng.Below(leaf.num_siblings));
      if (catalog_.LeafSize(sibling) > 0) leaf_idx = sibling;
    }
    const int32_t item_idx = view_idx == 0 && first_item >= 0
                                 ? first_item
                                 : PickItem(user_idx, leaf_idx, now, rng, out->viewed);
    out->viewed.push_back(item_idx);
    const double match = MatchFactor(Affinity(user_idx, item_idx));
    Emit(out, EventKind::kView, item_idx, now);
    now += Pause(rng, 20.0);
    if (!rng.Bernoulli(options_.click_rate * match)) continue;
    Emit(out, EventKind::kClick, item_idx, now);
    now += Pause(rng, 35.0);
    if (!catalog_.items[item_idx].in_stock || !rng.Bernoulli(options_.cart_rate * match)) continue;
    Emit(out, EventKind::kAddToCart, item_idx, now);
    out->cart.push_back(item_idx);
    now += Pause(rng, 10.0);
  }

  // Checkout: each cart item is removed, bought or left behind.
  bool purchased = false;
  for (int32_t item_idx : out->cart) {
    if (rng.Bernoulli(options_.remove_rate)) {
      Emit(out, EventKind::kRemoveFromCart, item_idx, now);
      now += Pause(rng, 5.0);
      continue;
    }
    const double affinity = Affinity(user_idx, item_idx);
    if (!rng.Bernoulli(std::min(1.0, options_.purchase_rate * MatchFactor(affinity)))) {
      state.abandoned_item = item_idx;
      continue;
    }
    const double quantity_draw = rng.Uniform();
    Emit(out, EventKind::kPurchase, item_idx, now,
         quantity_draw < 0.88   ? 1
         : quantity_draw < 0.97 ? 2
                                : 3);
    now += Pause(rng, 3.0);
    purchased = true;
    PendingFeedback feedback;
    feedback.item = item_idx;
    feedback.stars = static_cast<int8_t>(Stars(affinity, rng));
    feedback.rating = rng.Bernoulli(options_.rating_rate);
    feedback.review = rng.Bernoulli(options_.review_rate);
    feedback.returned = feedback.stars <= 2 && rng.Bernoulli(options_.return_rate);
    if ((feedback.rating || feedback.review || feedback.returned) &&
        state.pending.size() < kMaxPending) {
      state.pending.push_back(feedback);
    }
  }
  state.last_leaf = leaf_idx;
  state.last_purchased = purchased;
  return out->events.empty() ? start : out->events.back().timestamp;
}

}  // namespace tailor::synthetic
