#include "data/synthetic/shop_population.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/synthetic/text_file_writer.h"

namespace tailor::synthetic {
namespace {

constexpr uint64_t kPopulationStream = 2;
constexpr int64_t kDay = 86400;
constexpr int64_t kSignupHistoryDays = 3 * 365;
constexpr double kNewUserRate = 0.15;  // users who sign up during the event window
constexpr int64_t kProgressEvery = 1 << 15;
constexpr int32_t kMinAge = 18;
constexpr int32_t kMaxAge = 85;

std::string_view GenderName(Gender gender) {
  switch (gender) {
    case Gender::kFemale:
      return "female";
    case Gender::kMale:
      return "male";
    case Gender::kDiverse:
      break;
  }
  return "diverse";
}

// How much a shopper of this age and gender favours a top category (> 0).
double TopAffinity(const TopCategoryWords& top, int32_t age, Gender gender) {
  const double age_gap = (age - top.age_centre) / 18.0;
  const double sign = gender == Gender::kFemale ? 1.0 : gender == Gender::kMale ? -1.0 : 0.0;
  return std::exp(-0.5 * age_gap * age_gap) * (1.0 + 0.6 * top.female_skew * sign) + 0.05;
}

// Running sums of leaf weights over catalog.nonempty_leaves for each (age, gender), built on
// first use: users share a few hundred demographic cells.
class LeafWeightCache {
 public:
  explicit LeafWeightCache(const ShopCatalog& catalog) : catalog_(catalog) {}
  const std::vector<double>& Cumulative(int32_t age, Gender gender) {
    std::vector<double>& cumulative = cells_[age * 3 + static_cast<int32_t>(gender)];
    if (!cumulative.empty()) return cumulative;
    std::vector<double> weights;
    for (int32_t leaf_idx : catalog_.nonempty_leaves) {
      const CatalogLeaf& leaf = catalog_.leaves[leaf_idx];
      weights.push_back(leaf.popularity * TopAffinity(*leaf.top_words, age, gender));
    }
    cumulative = CumulativeSum(weights);
    return cumulative;
  }

 private:
  const ShopCatalog& catalog_;
  std::array<std::vector<double>, (kMaxAge + 1) * 3> cells_;
};

void SampleTastes(const ShopOptions& options, const ShopCatalog& catalog, ShopRandom& rng,
                  LeafWeightCache& leaf_weights, ShopUser& user) {
  const std::vector<int32_t>& candidates = catalog.nonempty_leaves;
  const std::vector<double>& cumulative = leaf_weights.Cumulative(user.age, user.gender);
  const int32_t wanted =
      std::min<int32_t>(options.preferred_leaves, static_cast<int32_t>(candidates.size()));
  user.num_leaves = 0;
  double weight_sum = 0.0;
  for (int32_t attempt = 0; user.num_leaves < wanted && attempt < 64; ++attempt) {
    int32_t leaf_idx = candidates[rng.Weighted(cumulative)];
    // Tastes cluster: a second preferred leaf is often a sibling of the first.
    if (user.num_leaves > 0 && rng.Bernoulli(0.5)) {
      const CatalogLeaf& anchor = catalog.leaves[user.leaves[0]];
      const int32_t sibling =
          anchor.first_sibling + static_cast<int32_t>(rng.Below(anchor.num_siblings));
      if (catalog.LeafSize(sibling) > 0) leaf_idx = sibling;
    }
    const auto chosen = user.leaves.begin() + user.num_leaves;
    if (std::find(user.leaves.begin(), chosen, leaf_idx) != chosen) continue;
    user.leaves[user.num_leaves] = leaf_idx;
    weight_sum += rng.LogNormal(0.0, 0.5) * (user.num_leaves == 0 ? 2.0 : 1.0);
    user.leaf_cumulative[user.num_leaves] = weight_sum;
    ++user.num_leaves;
  }
  user.num_brands = 0;
  for (int32_t attempt = 0; user.num_brands < options.preferred_brands && attempt < 16; ++attempt) {
    const CatalogLeaf& leaf = catalog.leaves[user.leaves[rng.Below(user.num_leaves)]];
    const auto& brands = catalog.brands_by_top[leaf.top];
    const int32_t brand = brands[rng.Below(brands.size())];
    if (!user.PrefersBrand(brand)) user.brands[user.num_brands++] = brand;
  }
}

}  // namespace

ShopPopulation BuildShopPopulation(const ShopOptions& options, const ShopCatalog& catalog) {
  ShopRandom rng(DeriveSeed(options.seed, kPopulationStream));
  ShopPopulation population;
  const int32_t dims = options.taste_dims;
  population.taste_dims = dims;
  population.users.resize(options.num_users);
  population.vectors.assign(static_cast<size_t>(options.num_users) * dims, 0.0f);
  std::vector<double> region_weights;
  for (size_t region_idx = 0; region_idx < Regions().size(); ++region_idx) {
    region_weights.push_back(1.0 / std::sqrt(region_idx + 1.0));
  }
  const std::vector<double> region_cumulative = CumulativeSum(region_weights);
  LeafWeightCache leaf_weights(catalog);
  const int64_t window = static_cast<int64_t>(options.days) * kDay;
  for (int32_t user_idx = 0; user_idx < options.num_users; ++user_idx) {
    ShopUser& user = population.users[user_idx];
    user.age = static_cast<int32_t>(
        std::clamp<int64_t>(std::llround(rng.Normal(38.0, 13.0)), kMinAge, kMaxAge));
    const double gender_draw = rng.Uniform();
    user.gender = gender_draw < 0.49   ? Gender::kFemale
                  : gender_draw < 0.97 ? Gender::kMale
                                       : Gender::kDiverse;
    user.region = static_cast<uint8_t>(rng.Weighted(region_cumulative));
    user.signup_at =
        rng.Bernoulli(kNewUserRate)
            ? options.start_time + static_cast<int64_t>(rng.Below(window * 4 / 5))
            : options.start_time - 1 - static_cast<int64_t>(rng.Below(kSignupHistoryDays * kDay));
    user.activity = static_cast<float>(rng.LogNormal(0.0, options.activity_sigma));
    user.price_level =
        static_cast<float>(std::clamp(rng.Normal(0.5, 0.2) + (user.age - 38) * 0.004, 0.02, 0.98));
    user.price_sensitivity = static_cast<float>(rng.LogNormal(std::log(0.5), 0.5));
    SampleTastes(options, catalog, rng, leaf_weights, user);

    std::span<float> vec(population.vectors.data() + static_cast<size_t>(user_idx) * dims, dims);
    double previous = 0.0;
    for (int32_t slot = 0; slot < user.num_leaves; ++slot) {
      const double weight = user.leaf_cumulative[slot] - previous;
      previous = user.leaf_cumulative[slot];
      const std::span<const float> leaf_vec = catalog.LeafVector(user.leaves[slot]);
      for (int32_t dim = 0; dim < dims; ++dim)
        vec[dim] += static_cast<float>(weight) * leaf_vec[dim];
    }
    double norm = 0.0;
    for (float value : vec) norm += static_cast<double>(value) * value;
    norm = std::sqrt(norm);
    // Personal taste beyond the categories: a random direction, half the weight.
    for (float& value : vec)
      value = static_cast<float>(value / norm + 0.5 * rng.Normal() / std::sqrt(dims));
    norm = 0.0;
    for (float value : vec) norm += static_cast<double>(value) * value;
    norm = std::sqrt(norm);
    for (float& value : vec) value = static_cast<float>(value / norm);
  }
  return population;
}

std::string FormatIsoDate(int64_t unix_seconds) {
  // Howard Hinnant's civil_from_days.
  int64_t days = unix_seconds >= 0 ? unix_seconds / kDay : (unix_seconds - kDay + 1) / kDay;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", static_cast<int>(year),
                static_cast<int>(month), static_cast<int>(day));
  return text;
}

Status WriteUsersJsonl(const ShopPopulation& population, const std::string& path,
                       const ProgressFn& progress, int64_t* bytes) {
  ASSIGN_OR_RETURN(std::unique_ptr<TextFileWriter> out, TextFileWriter::Create(path));
  const int64_t total = static_cast<int64_t>(population.users.size());
  for (int64_t user_idx = 0; user_idx < total; ++user_idx) {
    const ShopUser& user = population.users[user_idx];
    out->Append("{\"id\":\"");
    out->AppendId("u", user_idx + 1);
    out->Append("\",\"attributes\":{\"age\":");
    out->AppendInt(user.age);
    out->Append(",\"gender\":\"");
    out->Append(GenderName(user.gender));
    out->Append("\",\"region\":");
    out->AppendJsonString(Regions()[user.region]);
    out->Append(",\"signup_date\":\"");
    out->Append(FormatIsoDate(user.signup_at));
    out->Append("\"}}\n");
    if (progress && ((user_idx + 1) % kProgressEvery == 0 || user_idx + 1 == total)) {
      progress({"users", user_idx + 1, total, ""});
    }
  }
  *bytes = out->bytes();
  return out->Finish();
}

}  // namespace tailor::synthetic
