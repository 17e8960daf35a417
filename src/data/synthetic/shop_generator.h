// The synthetic shop behind `tailor generate`: a catalog, its shoppers and their sessions of
// events, written in tailor's own formats (items.jsonl, users.jsonl, events.csv).
//
// The shop has structure a recommender can learn: a category tree (top > subcategory > leaf)
// with log-normal prices per leaf and Zipf-like item popularity within each leaf; users with
// demographics and hidden tastes (a few preferred leaves and brands, a price level, a latent
// vector); sessions that stay in one leaf or its siblings and run a view -> click ->
// add_to_cart -> purchase funnel; next sessions that continue the leaf or move to a
// complementary one; ratings that follow how well an item matches the user's taste, and review
// texts whose tone follows the rating. Same options -> byte-identical files.
#ifndef TAILOR_DATA_SYNTHETIC_SHOP_GENERATOR_H_
#define TAILOR_DATA_SYNTHETIC_SHOP_GENERATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/progress.h"
#include "tailor/status.h"

namespace tailor {

struct ShopOptions {
  uint64_t seed = 42;  // every random choice derives from it; catalog, users and events use
                       // separate streams, so changing num_events keeps the catalog

  // Catalog.
  int32_t num_items = 2000;              // >= 1
  int32_t num_top_categories = 8;        // 1..10 (Home, Fashion, Electronics, ...)
  int32_t subcategories_per_top = 4;     // 1..4
  int32_t leaves_per_subcategory = 3;    // 1..3; leaves = top * sub * leaves (default 96)
  int32_t num_brands = 60;               // 1..6600
  int32_t max_brand_top_categories = 3;  // a brand sells in 1..this many top categories
  double price_sigma = 0.45;             // log-normal spread of prices within a leaf
  double out_of_stock_rate = 0.04;       // share of items with in_stock = false
  double new_item_rate = 0.1;            // share of items created during the event window
                                         // (never seen in an event before their created_at)
  double popularity_exponent = 1.05;     // Zipf exponent of item popularity within a leaf
  int32_t image_dims = 16;               // length of each item's image_vector, 0..512 (0 =
                                         // none): a fixed random linear view of the item's
                                         // latent taste vector, what a photo embedding shows
  double image_noise = 0.5;              // sd of the noise on each image_vector entry (the
                                         // signal's entries have sd about 1), 0..10

  // Users.
  int32_t num_users = 1000;      // >= 1
  int32_t taste_dims = 8;        // latent taste dimensions, 1..64
  int32_t preferred_leaves = 3;  // leaves a user mostly shops in, 1..4
  int32_t preferred_brands = 2;  // brands a user favours, 0..3
  double activity_sigma = 1.0;   // log-normal spread of how often users come back

  // Events.
  int64_t num_events = 50000;       // exactly this many rows in events.csv, >= 0
  int64_t start_time = 1704067200;  // unix seconds of the first session (2024-01-01Z)
  int32_t days = 90;                // the window sessions are spread over, >= 1
  double views_per_session = 6.0;   // mean views in a session, >= 1
  double explore_rate = 0.1;        // share of sessions in a leaf outside the user's tastes
  double continue_rate = 0.5;       // share of sessions that follow the previous one (same
                                    // leaf, or a complementary leaf after a purchase)
  double click_rate = 0.3;          // P(click | view) for an average match
  double cart_rate = 0.25;          // P(add_to_cart | click) for an average match
  double purchase_rate = 0.5;       // P(purchase | in cart at checkout)
  double remove_rate = 0.1;         // P(remove_from_cart) per cart item
  double rating_rate = 0.35;        // P(a purchase is rated, on the user's next visit)
  double review_rate = 0.12;        // P(a purchase gets a review; value = its stars)
  double return_rate = 0.3;         // P(return | purchase rated 1-2 stars)
};

// What GenerateShop wrote.
struct ShopSummary {
  int64_t items = 0;
  int64_t users = 0;
  int64_t events = 0;
  std::map<std::string, int64_t> events_by_type;  // "view" -> count, every built-in type
  std::vector<std::string> files;                 // paths written, in order
  int64_t bytes = 0;                              // total size of the files
};

// Checks every field's range. Errors: kInvalidArgument naming the field, its value and range.
Status ValidateShopOptions(const ShopOptions& options);

// Writes items.jsonl, users.jsonl and events.csv (tailor's own formats, as the importer reads
// them) into `out_dir`, creating it if needed and replacing those files (each written to a temp
// file and renamed, so a failed run leaves no half-written file). Events stream to disk, so memory
// grows with items and users, not events. Reports progress per stage ("items", "users",
// "events"). Errors: kInvalidArgument (options), kUnavailable (folder or file not writable).
// Thread-safe (no shared state); deterministic for equal options.
[[nodiscard]] StatusOr<ShopSummary> GenerateShop(const ShopOptions& options,
                                                 const std::string& out_dir,
                                                 const ProgressFn& progress = {});

// Named presets: "tiny" (tests: 50 items, 30 users, 1k events), "small" (demo: 2k items,
// 1k users, 60k events), "medium" (100k items, 50k users, 1M events), "large" (1M items,
// 500k users, 10M events). Errors: kNotFound listing the known names.
[[nodiscard]] StatusOr<ShopOptions> ShopPreset(std::string_view name);

// The preset names, smallest first.
std::vector<std::string> ShopPresetNames();

}  // namespace tailor

#endif  // TAILOR_DATA_SYNTHETIC_SHOP_GENERATOR_H_
