#include "data/synthetic/shop_generator.h"

#include <filesystem>
#include <sstream>
#include <system_error>

#include "data/synthetic/event_stream.h"
#include "data/synthetic/shop_catalog.h"
#include "data/synthetic/shop_population.h"
#include "data/synthetic/word_lists.h"

namespace tailor {
namespace {

template <typename T>
Status CheckRange(std::string_view field, T value, T lo, T hi) {
  if (value >= lo && value <= hi) return OkStatus();
  std::ostringstream message;
  message << "ShopOptions." << field << " must be in [" << lo << ", " << hi << "], got " << value;
  return InvalidArgumentError(message.str());
}

size_t MaxBrands() {
  using namespace synthetic;
  return BrandStarts().size() * BrandEnds().size() * (1 + BrandMiddles().size());
}

}  // namespace

Status ValidateShopOptions(const ShopOptions& o) {
  constexpr int32_t kMaxCount = 1 << 30;
  RETURN_IF_ERROR(CheckRange("num_items", o.num_items, 1, kMaxCount));
  RETURN_IF_ERROR(CheckRange("num_top_categories", o.num_top_categories, 1,
                             static_cast<int32_t>(synthetic::TopCategories().size())));
  RETURN_IF_ERROR(CheckRange("subcategories_per_top", o.subcategories_per_top, 1,
                             synthetic::kWordListSubcategories));
  RETURN_IF_ERROR(CheckRange("leaves_per_subcategory", o.leaves_per_subcategory, 1,
                             synthetic::kWordListLeaves));
  RETURN_IF_ERROR(CheckRange("num_brands", o.num_brands, 1, static_cast<int32_t>(MaxBrands())));
  RETURN_IF_ERROR(CheckRange("max_brand_top_categories", o.max_brand_top_categories, 1, 10));
  RETURN_IF_ERROR(CheckRange("price_sigma", o.price_sigma, 0.0, 3.0));
  RETURN_IF_ERROR(CheckRange("out_of_stock_rate", o.out_of_stock_rate, 0.0, 1.0));
  RETURN_IF_ERROR(CheckRange("new_item_rate", o.new_item_rate, 0.0, 1.0));
  RETURN_IF_ERROR(CheckRange("popularity_exponent", o.popularity_exponent, 0.0, 5.0));
  RETURN_IF_ERROR(CheckRange("image_dims", o.image_dims, 0, 512));
  RETURN_IF_ERROR(CheckRange("image_noise", o.image_noise, 0.0, 10.0));
  RETURN_IF_ERROR(CheckRange("num_users", o.num_users, 1, kMaxCount));
  RETURN_IF_ERROR(CheckRange("taste_dims", o.taste_dims, 1, 64));
  RETURN_IF_ERROR(
      CheckRange("preferred_leaves", o.preferred_leaves, 1, synthetic::kMaxPreferredLeaves));
  RETURN_IF_ERROR(
      CheckRange("preferred_brands", o.preferred_brands, 0, synthetic::kMaxPreferredBrands));
  RETURN_IF_ERROR(CheckRange("activity_sigma", o.activity_sigma, 0.0, 3.0));
  RETURN_IF_ERROR(CheckRange<int64_t>("num_events", o.num_events, 0, int64_t{1} << 40));
  // Up to the year 2200, so timestamps stay plain 10-digit unix seconds.
  RETURN_IF_ERROR(CheckRange<int64_t>("start_time", o.start_time, 0, 7258118400));
  RETURN_IF_ERROR(CheckRange("days", o.days, 1, 36500));
  RETURN_IF_ERROR(CheckRange("views_per_session", o.views_per_session, 1.0, 50.0));
  for (const auto& [field, value] :
       {std::pair<std::string_view, double>{"explore_rate", o.explore_rate},
        {"continue_rate", o.continue_rate},
        {"click_rate", o.click_rate},
        {"cart_rate", o.cart_rate},
        {"purchase_rate", o.purchase_rate},
        {"remove_rate", o.remove_rate},
        {"rating_rate", o.rating_rate},
        {"review_rate", o.review_rate},
        {"return_rate", o.return_rate}}) {
    RETURN_IF_ERROR(CheckRange(field, value, 0.0, 1.0));
  }
  return OkStatus();
}

std::vector<std::string> ShopPresetNames() { return {"tiny", "small", "medium", "large"}; }

StatusOr<ShopOptions> ShopPreset(std::string_view name) {
  ShopOptions options;
  if (name == "tiny") {
    options.num_items = 50;
    options.num_users = 30;
    options.num_events = 1000;
    options.num_top_categories = 3;
    options.subcategories_per_top = 2;
    options.leaves_per_subcategory = 2;
    options.num_brands = 8;
    options.days = 30;
  } else if (name == "small") {
    options.num_items = 2000;
    options.num_users = 1000;
    options.num_events = 60000;
  } else if (name == "medium") {
    options.num_items = 100000;
    options.num_users = 50000;
    options.num_events = 1000000;
    options.num_top_categories = 10;
    options.num_brands = 400;
    options.days = 180;
  } else if (name == "large") {
    options.num_items = 1000000;
    options.num_users = 500000;
    options.num_events = 10000000;
    options.num_top_categories = 10;
    options.num_brands = 2000;
    options.days = 365;
  } else {
    std::string known;
    for (const std::string& preset : ShopPresetNames()) {
      known += (known.empty() ? "" : ", ") + preset;
    }
    return NotFoundError("unknown shop preset '" + std::string(name) + "' (known: " + known + ")");
  }
  return options;
}

StatusOr<ShopSummary> GenerateShop(const ShopOptions& options, const std::string& out_dir,
                                   const ProgressFn& progress) {
  RETURN_IF_ERROR(ValidateShopOptions(options));
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error || !std::filesystem::is_directory(out_dir)) {
    return UnavailableError("cannot create output folder '" + out_dir +
                            "': " + (error ? error.message() : "a file with that name exists"));
  }
  const std::filesystem::path dir(out_dir);
  ShopSummary summary;

  const synthetic::ShopCatalog catalog = synthetic::BuildShopCatalog(options);
  const std::string items_path = (dir / "items.jsonl").string();
  int64_t bytes = 0;
  RETURN_IF_ERROR(synthetic::WriteItemsJsonl(catalog, options, items_path, progress, &bytes));
  summary.items = options.num_items;
  summary.files.push_back(items_path);
  summary.bytes += bytes;

  const synthetic::ShopPopulation population = synthetic::BuildShopPopulation(options, catalog);
  const std::string users_path = (dir / "users.jsonl").string();
  RETURN_IF_ERROR(synthetic::WriteUsersJsonl(population, users_path, progress, &bytes));
  summary.users = options.num_users;
  summary.files.push_back(users_path);
  summary.bytes += bytes;

  const std::string events_path = (dir / "events.csv").string();
  ASSIGN_OR_RETURN(synthetic::EventStreamStats stats,
                   synthetic::WriteEventsCsv(options, catalog, population, events_path, progress));
  summary.events = stats.events;
  for (int kind = 0; kind < synthetic::kNumEventKinds; ++kind) {
    summary.events_by_type[std::string(
        synthetic::EventKindName(static_cast<synthetic::EventKind>(kind)))] = stats.by_kind[kind];
  }
  summary.files.push_back(events_path);
  summary.bytes += stats.bytes;
  return summary;
}

}  // namespace tailor
