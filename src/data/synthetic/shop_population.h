// ShopPopulation: the synthetic shop's users, their visible attributes (age, gender, region,
// signup date) and hidden tastes (preferred leaves and brands, price level and sensitivity,
// a latent vector near their preferred leaves' vectors, how often they come back).
//
// Demographics shape tastes the way a recommender with user features could learn: each top
// category has an age centre and a gender skew (see word_lists.h). Immutable after
// BuildShopPopulation; thread-safe to read.
#ifndef TAILOR_DATA_SYNTHETIC_SHOP_POPULATION_H_
#define TAILOR_DATA_SYNTHETIC_SHOP_POPULATION_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/synthetic/shop_catalog.h"
#include "data/synthetic/shop_generator.h"

namespace tailor::synthetic {

inline constexpr int kMaxPreferredLeaves = 4;
inline constexpr int kMaxPreferredBrands = 3;

enum class Gender : uint8_t { kFemale, kMale, kDiverse };

struct ShopUser {
  int32_t age = 0;
  Gender gender = Gender::kDiverse;
  uint8_t region = 0;              // index into Regions()
  int64_t signup_at = 0;           // unix seconds; no event before it
  float activity = 1.0f;           // relative session rate (log-normal)
  float price_level = 0.5f;        // preferred price tier in [0, 1]
  float price_sensitivity = 0.5f;  // affinity lost per unit of tier distance
  int32_t num_leaves = 0;
  std::array<int32_t, kMaxPreferredLeaves> leaves{};          // distinct, non-empty leaves
  std::array<double, kMaxPreferredLeaves> leaf_cumulative{};  // running sum of leaf weights
  int32_t num_brands = 0;
  std::array<int32_t, kMaxPreferredBrands> brands{};

  bool PrefersBrand(int32_t brand) const {
    for (int32_t slot = 0; slot < num_brands; ++slot) {
      if (brands[slot] == brand) return true;
    }
    return false;
  }
};

struct ShopPopulation {
  int32_t taste_dims = 0;
  std::vector<ShopUser> users;
  std::vector<float> vectors;  // users x taste_dims, unit length

  std::span<const float> UserVector(int32_t user_idx) const {
    return {vectors.data() + static_cast<size_t>(user_idx) * taste_dims,
            static_cast<size_t>(taste_dims)};
  }
};

// Builds the users from the options' user fields and seed (options must be valid).
ShopPopulation BuildShopPopulation(const ShopOptions& options, const ShopCatalog& catalog);

// Writes one {"id": "u1", "attributes": {...}} object per user (users.jsonl). Reports progress
// as stage "users". Errors: kUnavailable naming the file.
Status WriteUsersJsonl(const ShopPopulation& population, const std::string& path,
                       const ProgressFn& progress, int64_t* bytes);

// "2024-05-01" for a unix time (UTC).
std::string FormatIsoDate(int64_t unix_seconds);

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_SHOP_POPULATION_H_
