// SessionSimulator: one shopping session of one user, as a list of events.
//
// A session first delivers the feedback the user owes on earlier purchases (rating, review,
// return), then picks a leaf: the abandoned cart item's, the previous session's (or, after a
// purchase, a complementary leaf), a random one (exploration) or one of the user's preferred
// leaves. It views items there (Zipf-popular candidates, the best match of three), sometimes
// drifting to a sibling leaf; each view may lead to a click, each click to add_to_cart, and
// checkout turns cart items into purchases, removals or an abandoned item. Click, cart and
// purchase rates scale with the user-item match; stars follow the match too.
// Immutable; thread-safe to call with distinct UserState, ShopRandom and SessionEvents.
#ifndef TAILOR_DATA_SYNTHETIC_SESSION_SIMULATOR_H_
#define TAILOR_DATA_SYNTHETIC_SESSION_SIMULATOR_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/synthetic/shop_catalog.h"
#include "data/synthetic/shop_population.h"

namespace tailor::synthetic {

// The built-in event types the simulator emits, in BuiltinEventTypes() order.
enum class EventKind : uint8_t {
  kView,
  kClick,
  kAddToCart,
  kRemoveFromCart,
  kPurchase,
  kRating,
  kReview,
  kReturn
};
inline constexpr int kNumEventKinds = 8;
std::string_view EventKindName(EventKind kind);

struct SimEvent {
  EventKind kind = EventKind::kView;
  int32_t item = 0;
  int32_t value = 0;  // stars for rating/review, quantity for purchase; 0 = no value
  int64_t timestamp = 0;
  uint32_t text_begin = 0;  // review text: [text_begin, text_end) of SessionEvents::text
  uint32_t text_end = 0;
};

// A session's events plus scratch space; reuse one per thread to avoid allocations.
struct SessionEvents {
  std::vector<SimEvent> events;
  std::string text;
  std::vector<int32_t> cart;
  std::vector<int32_t> viewed;
  void Clear() {
    events.clear();
    text.clear();
    cart.clear();
    viewed.clear();
  }
  std::string_view Text(const SimEvent& event) const {
    return std::string_view(text).substr(event.text_begin, event.text_end - event.text_begin);
  }
};

// Feedback a user owes on a purchase, delivered at the start of their next session.
struct PendingFeedback {
  int32_t item = 0;
  int8_t stars = 0;
  bool rating = false;
  bool review = false;
  bool returned = false;
};

// What a user remembers between sessions.
struct UserState {
  int32_t last_leaf = -1;
  int32_t abandoned_item = -1;  // left in the cart last time
  bool last_purchased = false;
  std::vector<PendingFeedback> pending;
};

class SessionSimulator {
 public:
  // Borrows all three; they must outlive the simulator.
  SessionSimulator(const ShopOptions& options, const ShopCatalog& catalog,
                   const ShopPopulation& population);

  // Simulates a session of `user_idx` whose first event is at `start` (unix seconds) and
  // replaces `out`'s events with it (timestamps non-decreasing, never an item created after
  // the event). Updates `state`. Returns the timestamp of the last event.
  int64_t Run(int32_t user_idx, int64_t start, UserState& state, ShopRandom& rng,
              SessionEvents* out) const;

  // How well an item suits a user: latent dot product + preferred-brand bonus - price misfit.
  // About 0.4 for a typical item in a preferred leaf, about -0.1 elsewhere.
  double Affinity(int32_t user_idx, int32_t item_idx) const;

  // The stars (1..5) a user gives an item of this affinity.
  int32_t Stars(double affinity, ShopRandom& rng) const;

 private:
  int32_t ChooseLeaf(const ShopUser& user, UserState& state, ShopRandom& rng,
                     int32_t* first_item) const;
  int32_t PickItem(int32_t user_idx, int32_t leaf_idx, int64_t now, ShopRandom& rng,
                   const std::vector<int32_t>& viewed) const;
  void DeliverFeedback(UserState& state, int64_t& now, ShopRandom& rng, SessionEvents* out) const;

  const ShopOptions& options_;
  const ShopCatalog& catalog_;
  const ShopPopulation& population_;
};

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_SESSION_SIMULATOR_H_
