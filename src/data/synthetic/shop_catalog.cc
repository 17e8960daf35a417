#include "data/synthetic/shop_catalog.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/synthetic/item_templates.h"
#include "data/synthetic/text_file_writer.h"

namespace tailor::synthetic {
namespace {

constexpr uint64_t kCatalogStream = 1;
constexpr uint64_t kImageStream = 5;
constexpr int64_t kDay = 86400;
constexpr int64_t kCatalogHistoryDays = 730;  // old items were created in the 2 years before
constexpr int64_t kProgressEvery = 1 << 14;

void FillNormal(ShopRandom& rng, std::span<float> out) {
  for (float& value : out) value = static_cast<float>(rng.Normal());
}

void Normalize(std::span<float> vec) {
  double norm = 0.0;
  for (float value : vec) norm += static_cast<double>(value) * value;
  norm = std::sqrt(norm);
  if (norm == 0.0) return;
  for (float& value : vec) value = static_cast<float>(value / norm);
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Shop-like prices: X.99 from 10 EUR up, multiples of 5 cents below.
int32_t ShopPriceCents(double price) {
  price = std::min(price, 1e7);
  if (price >= 10.0) return static_cast<int32_t>(std::floor(price)) * 100 + 99;
  return std::max<int32_t>(50, static_cast<int32_t>(std::llround(price * 20.0)) * 5);
}

void BuildLeaves(const ShopOptions& options, ShopRandom& rng, ShopCatalog& catalog) {
  const int32_t dims = options.taste_dims;
  const auto tops = TopCategories();
  const int32_t num_leaves =
      options.num_top_categories * options.subcategories_per_top * options.leaves_per_subcategory;
  catalog.leaves.resize(num_leaves);
  catalog.leaf_vectors.assign(static_cast<size_t>(num_leaves) * dims, 0.0f);
  std::vector<float> top_vec(dims), sub_vec(dims), noise(dims);
  int32_t leaf_idx = 0;
  for (int32_t top_idx = 0; top_idx < options.num_top_categories; ++top_idx) {
    FillNormal(rng, top_vec);
    Normalize(top_vec);
    const double top_popularity = 1.0 / std::sqrt(top_idx + 1.0);
    for (int32_t sub_idx = 0; sub_idx < options.subcategories_per_top; ++sub_idx) {
      FillNormal(rng, sub_vec);
      Normalize(sub_vec);
      const int32_t first_sibling = leaf_idx;
      for (int32_t k = 0; k < options.leaves_per_subcategory; ++k, ++leaf_idx) {
        CatalogLeaf& leaf = catalog.leaves[leaf_idx];
        leaf.top = top_idx;
        leaf.first_sibling = first_sibling;
        leaf.num_siblings = options.leaves_per_subcategory;
        leaf.top_words = &tops[top_idx];
        leaf.sub_words = &tops[top_idx].subcategories[sub_idx];
        leaf.words = &leaf.sub_words->leaves[k];
        leaf.log_median_price = std::log(tops[top_idx].median_price) + rng.Normal(0.0, 0.5);
        leaf.popularity = top_popularity * rng.LogNormal(0.0, 0.5);
        FillNormal(rng, noise);
        Normalize(noise);
        std::span<float> leaf_vec(
            catalog.leaf_vectors.data() + static_cast<size_t>(leaf_idx) * dims, dims);
        for (int32_t dim = 0; dim < dims; ++dim) {
          leaf_vec[dim] = 0.6f * top_vec[dim] + 0.6f * sub_vec[dim] + 0.7f * noise[dim];
        }
        Normalize(leaf_vec);
      }
    }
  }
  // Complements: one leaf of the same top category in another subcategory (knife -> cutting
  // board), one from another top category (tent -> headlamp-like cross-shopping).
  const int32_t leaves_per_top = options.subcategories_per_top * options.leaves_per_subcategory;
  for (CatalogLeaf& leaf : catalog.leaves) {
    const int32_t self = static_cast<int32_t>(&leaf - catalog.leaves.data());
    int32_t same_top = leaf.top * leaves_per_top + static_cast<int32_t>(rng.Below(leaves_per_top));
    if (options.subcategories_per_top > 1) {
      while (catalog.leaves[same_top].first_sibling == leaf.first_sibling) {
        same_top = leaf.top * leaves_per_top + static_cast<int32_t>(rng.Below(leaves_per_top));
      }
    }
    int32_t other = static_cast<int32_t>(rng.Below(num_leaves));
    if (options.num_top_categories > 1) {
      while (catalog.leaves[other].top == leaf.top) {
        other = static_cast<int32_t>(rng.Below(num_leaves));
      }
    }
    leaf.complements = {same_top == self && num_leaves > 1 ? other : same_top, other};
  }
}

std::vector<std::vector<double>> BuildBrands(const ShopOptions& options, ShopRandom& rng,
                                             ShopCatalog& catalog) {
  const auto starts = BrandStarts();
  const auto middles = BrandMiddles();
  const auto ends = BrandEnds();
  const size_t two_syllable = starts.size() * ends.size();
  // Partial Fisher-Yates over all name combinations: distinct names, seeded order.
  std::vector<int32_t> combos(two_syllable + starts.size() * middles.size() * ends.size());
  for (size_t combo = 0; combo < combos.size(); ++combo)
    combos[combo] = static_cast<int32_t>(combo);
  const int32_t num_brands = options.num_brands;
  catalog.brand_names.resize(num_brands);
  catalog.brand_premium.resize(num_brands);
  catalog.brands_by_top.assign(options.num_top_categories, {});
  std::vector<std::vector<double>> weights_by_top(options.num_top_categories);
  for (int32_t brand_idx = 0; brand_idx < num_brands; ++brand_idx) {
    std::swap(combos[brand_idx], combos[brand_idx + rng.Below(combos.size() - brand_idx)]);
    const size_t combo = static_cast<size_t>(combos[brand_idx]);
    std::string name;
    if (combo < two_syllable) {
      name.append(starts[combo / ends.size()]).append(ends[combo % ends.size()]);
    } else {
      const size_t rest = combo - two_syllable;
      name.append(starts[rest / (middles.size() * ends.size())])
          .append(middles[rest / ends.size() % middles.size()])
          .append(ends[rest % ends.size()]);
    }
    catalog.brand_names[brand_idx] = std::move(name);
    catalog.brand_premium[brand_idx] = rng.Normal(0.0, 0.3);
    const double weight = rng.LogNormal(0.0, 1.0);  // brand size: a few big, many small
    const int32_t num_tops = static_cast<int32_t>(std::min<int64_t>(
        rng.Between(1, options.max_brand_top_categories), options.num_top_categories));
    const int32_t first_top = static_cast<int32_t>(rng.Below(options.num_top_categories));
    for (int32_t offset = 0; offset < num_tops; ++offset) {
      const int32_t top_idx = (first_top + offset) % options.num_top_categories;
      catalog.brands_by_top[top_idx].push_back(brand_idx);
      weights_by_top[top_idx].push_back(weight);
    }
  }
  for (int32_t top_idx = 0; top_idx < options.num_top_categories; ++top_idx) {
    if (!catalog.brands_by_top[top_idx].empty()) continue;
    catalog.brands_by_top[top_idx].push_back(top_idx % num_brands);
    weights_by_top[top_idx].push_back(1.0);
  }
  std::vector<std::vector<double>> cumulative_by_top;
  for (const auto& weights : weights_by_top) cumulative_by_top.push_back(CumulativeSum(weights));
  return cumulative_by_top;
}

}  // namespace

ShopCatalog BuildShopCatalog(const ShopOptions& options) {
  ShopRandom rng(DeriveSeed(options.seed, kCatalogStream));
  ShopCatalog catalog;
  const int32_t dims = options.taste_dims;
  catalog.taste_dims = dims;
  BuildLeaves(options, rng, catalog);
  const std::vector<std::vector<double>> brand_cumulative = BuildBrands(options, rng, catalog);
  std::vector<float> brand_vectors(static_cast<size_t>(options.num_brands) * dims);
  for (int32_t brand_idx = 0; brand_idx < options.num_brands; ++brand_idx) {
    std::span<float> vec(brand_vectors.data() + static_cast<size_t>(brand_idx) * dims, dims);
    FillNormal(rng, vec);
    Normalize(vec);
  }

  const int32_t num_leaves = static_cast<int32_t>(catalog.leaves.size());
  std::vector<double> leaf_popularity(num_leaves);
  for (int32_t leaf_idx = 0; leaf_idx < num_leaves; ++leaf_idx) {
    leaf_popularity[leaf_idx] = catalog.leaves[leaf_idx].popularity;
  }
  const std::vector<double> leaf_cumulative = CumulativeSum(leaf_popularity);
  // The first items cover distinct leaves so that small catalogs still span the tree.
  std::vector<int32_t> leaf_order(num_leaves);
  for (int32_t leaf_idx = 0; leaf_idx < num_leaves; ++leaf_idx) leaf_order[leaf_idx] = leaf_idx;
  rng.Shuffle(leaf_order);

  const int64_t window = static_cast<int64_t>(options.days) * kDay;
  const double tier_sd = std::sqrt(options.price_sigma * options.price_sigma + 0.09);
  catalog.items.resize(options.num_items);
  catalog.item_vectors.assign(static_cast<size_t>(options.num_items) * dims, 0.0f);
  std::vector<float> noise(dims);
  // Items are generated in id order, then moved to storage order below.
  for (int32_t gen_idx = 0; gen_idx < options.num_items; ++gen_idx) {
    CatalogItem& item = catalog.items[gen_idx];
    item.leaf = gen_idx < num_leaves ? leaf_order[gen_idx]
                                     : static_cast<int32_t>(rng.Weighted(leaf_cumulative));
    const CatalogLeaf& leaf = catalog.leaves[item.leaf];
    const auto& top_brands = catalog.brands_by_top[leaf.top];
    item.brand = top_brands[rng.Weighted(brand_cumulative[leaf.top])];
    const double offset = catalog.brand_premium[item.brand] + options.price_sigma * rng.Normal();
    item.price_cents = ShopPriceCents(std::exp(leaf.log_median_price + offset));
    item.price_tier = static_cast<float>(NormalCdf(offset / tier_sd));
    item.in_stock = !rng.Bernoulli(options.out_of_stock_rate);
    item.created_at =
        rng.Bernoulli(options.new_item_rate)
            ? options.start_time + static_cast<int64_t>(rng.Below(window * 9 / 10))
            : options.start_time - 1 - static_cast<int64_t>(rng.Below(kCatalogHistoryDays * kDay));
    std::span<float> vec(catalog.item_vectors.data() + static_cast<size_t>(gen_idx) * dims, dims);
    FillNormal(rng, noise);
    Normalize(noise);
    const std::span<const float> leaf_vec = catalog.LeafVector(item.leaf);
    const float* brand_vec = brand_vectors.data() + static_cast<size_t>(item.brand) * dims;
    for (int32_t dim = 0; dim < dims; ++dim) {
      vec[dim] = leaf_vec[dim] + 0.35f * brand_vec[dim] + 0.6f * noise[dim];
    }
    Normalize(vec);
  }

  // Storage order: leaf by leaf, a random popularity order within each leaf.
  catalog.leaf_offsets.assign(num_leaves + 1, 0);
  for (const CatalogItem& item : catalog.items) ++catalog.leaf_offsets[item.leaf + 1];
  for (int32_t leaf_idx = 0; leaf_idx < num_leaves; ++leaf_idx) {
    catalog.leaf_offsets[leaf_idx + 1] += catalog.leaf_offsets[leaf_idx];
  }
  std::vector<int32_t> order(options.num_items);  // storage position -> generation index
  std::vector<int64_t> cursor(catalog.leaf_offsets.begin(), catalog.leaf_offsets.end() - 1);
  for (int32_t gen_idx = 0; gen_idx < options.num_items; ++gen_idx) {
    order[cursor[catalog.items[gen_idx].leaf]++] = gen_idx;
  }
  int64_t max_leaf_size = 1;
  std::vector<double> nonempty_popularity;
  for (int32_t leaf_idx = 0; leaf_idx < num_leaves; ++leaf_idx) {
    const int64_t size = catalog.LeafSize(leaf_idx);
    if (size == 0) continue;
    auto first = order.begin() + catalog.leaf_offsets[leaf_idx];
    for (int64_t rank = size; rank > 1; --rank) {
      std::swap(first[rank - 1], first[rng.Below(rank)]);
    }
    // The head item of a leaf exists from the start, so every session has something to show.
    CatalogItem& head = catalog.items[*first];
    if (head.created_at >= options.start_time) {
      head.created_at =
          options.start_time - 1 - static_cast<int64_t>(rng.Below(kCatalogHistoryDays * kDay));
    }
    max_leaf_size = std::max(max_leaf_size, size);
    catalog.nonempty_leaves.push_back(leaf_idx);
    nonempty_popularity.push_back(catalog.leaves[leaf_idx].popularity);
  }
  std::vector<CatalogItem> stored(options.num_items);
  std::vector<float> stored_vectors(catalog.item_vectors.size());
  catalog.item_by_number.resize(options.num_items);
  for (int32_t item_idx = 0; item_idx < options.num_items; ++item_idx) {
    const int32_t gen_idx = order[item_idx];
    stored[item_idx] = catalog.items[gen_idx];
    stored[item_idx].number = gen_idx + 1;
    catalog.item_by_number[gen_idx] = item_idx;
    std::copy_n(catalog.item_vectors.begin() + static_cast<int64_t>(gen_idx) * dims, dims,
                stored_vectors.begin() + static_cast<int64_t>(item_idx) * dims);
  }
  catalog.items = std::move(stored);
  catalog.item_vectors = std::move(stored_vectors);
  catalog.nonempty_leaf_cumulative = CumulativeSum(nonempty_popularity);
  catalog.zipf = ZipfTable(static_cast<size_t>(max_leaf_size), options.popularity_exponent);
  return catalog;
}

Status WriteItemsJsonl(const ShopCatalog& catalog, const ShopOptions& options,
                       const std::string& path, const ProgressFn& progress, int64_t* bytes) {
  ASSIGN_OR_RETURN(std::unique_ptr<TextFileWriter> out, TextFileWriter::Create(path));
  const int64_t total = static_cast<int64_t>(catalog.items.size());
  TemplatedItemText text;
  // The "camera": one random linear map from taste space, entries N(0, 1), so each image
  // entry of a unit taste vector has sd about 1 before the per-item noise.
  const int32_t image_dims = options.image_dims;
  const uint64_t image_seed = DeriveSeed(options.seed, kImageStream);
  std::vector<float> camera(static_cast<size_t>(image_dims) * catalog.taste_dims);
  ShopRandom camera_rng(image_seed);
  for (float& weight : camera) weight = static_cast<float>(camera_rng.Normal());
  std::vector<float> image(static_cast<size_t>(image_dims));
  for (int64_t number = 1; number <= total; ++number) {
    const int32_t item_idx = catalog.item_by_number[number - 1];
    const CatalogItem& item = catalog.items[item_idx];
    ComposeItemText(catalog, item_idx, options.seed, &text);
    out->Append("{\"id\":\"");
    out->AppendId("i", number);
    out->Append("\",\"title\":");
    out->AppendJsonString(text.title);
    out->Append(",\"description\":");
    out->AppendJsonString(text.description);
    out->Append(",\"categories\":[");
    const auto path_names = catalog.Path(item.leaf);
    for (size_t level = 0; level < path_names.size(); ++level) {
      if (level > 0) out->Append(',');
      out->AppendJsonString(path_names[level]);
    }
    out->Append("],\"brand\":");
    out->AppendJsonString(catalog.brand_names[item.brand]);
    out->Append(",\"price\":");
    out->AppendCents(item.price_cents);
    out->Append(",\"currency\":\"EUR\",\"in_stock\":");
    out->Append(item.in_stock ? "true" : "false");
    out->Append(",\"created_at\":");
    out->AppendInt(item.created_at);
    out->Append(",\"attributes\":{\"colour\":");
    out->AppendJsonString(text.colour);
    out->Append(",\"material\":");
    out->AppendJsonString(text.material);
    out->Append(",\"model\":");
    out->AppendJsonString(text.model);
    out->Append('}');
    if (image_dims > 0) {
      ShopRandom noise_rng(DeriveSeed(image_seed, static_cast<uint64_t>(number)));
      const std::span<const float> taste = catalog.ItemVector(item_idx);
      for (int32_t entry = 0; entry < image_dims; ++entry) {
        double value = 0.0;
        for (int32_t dim = 0; dim < catalog.taste_dims; ++dim) {
          value += camera[static_cast<size_t>(entry) * catalog.taste_dims + dim] * taste[dim];
        }
        image[entry] = static_cast<float>(value + noise_rng.Normal(0.0, options.image_noise));
      }
      out->Append(",\"image_vector\":[");
      char number_text[32];
      for (int32_t entry = 0; entry < image_dims; ++entry) {
        if (entry > 0) out->Append(',');
        const int length = std::snprintf(number_text, sizeof(number_text), "%.3f", image[entry]);
        out->Append(std::string_view(number_text, static_cast<size_t>(length)));
      }
      out->Append(']');
    }
    out->Append("}\n");
    if (progress && (number % kProgressEvery == 0 || number == total)) {
      progress({"items", number, total, ""});
    }
  }
  *bytes = out->bytes();
  return out->Finish();
}

}  // namespace tailor::synthetic
