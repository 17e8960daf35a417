#include "data/synthetic/item_templates.h"

#include <cctype>

namespace tailor::synthetic {
namespace {

constexpr uint64_t kItemTextStream = 0x17e3;

template <typename T>
const T& Pick(ShopRandom& rng, std::span<const T> values) {
  return values[rng.Below(values.size())];
}

// Appends `words` with the first ASCII letter of each word upper-cased ("vitamin C" ->
// "Vitamin C", "crème" -> "Crème").
void AppendTitleCase(std::string_view words, std::string* out) {
  bool word_start = true;
  for (char c : words) {
    out->push_back(word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    word_start = c == ' ' || c == '-';
  }
}

std::string_view Article(std::string_view word, bool capital) {
  const bool vowel =
      !word.empty() && std::string_view("AEIOUaeiou").find(word[0]) != std::string_view::npos;
  if (capital) return vowel ? "An" : "A";
  return vowel ? "an" : "a";
}

void AppendLower(std::string_view word, std::string* out) {
  for (char c : word)
    out->push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
}

}  // namespace

void ComposeItemText(const ShopCatalog& catalog, int32_t item_idx, uint64_t seed,
                     TemplatedItemText* out) {
  const CatalogItem& item = catalog.items[item_idx];
  ShopRandom rng(DeriveSeed(seed ^ kItemTextStream, static_cast<uint64_t>(item.number)));
  const CatalogLeaf& leaf = catalog.leaves[item.leaf];
  const std::string& brand = catalog.brand_names[item.brand];
  const std::string_view adjective = Pick(rng, Adjectives());
  out->colour = Pick(rng, Colours());
  out->material = Pick<std::string_view>(rng, leaf.top_words->materials);
  const size_t first_feature = rng.Below(leaf.top_words->features.size());
  const size_t second_feature =
      (first_feature + 1 + rng.Below(leaf.top_words->features.size() - 1)) %
      leaf.top_words->features.size();

  out->model.clear();
  out->model.push_back(brand[0]);
  out->model.push_back(static_cast<char>('A' + rng.Below(26)));
  out->model.push_back('-');
  out->model.append(std::to_string(100 + rng.Below(900)));

  std::string& title = out->title;
  title.clear();
  title.append(brand).append(" ").append(adjective).append(" ");
  AppendTitleCase(rng.Bernoulli(0.5) ? out->material : out->colour, &title);
  title.append(" ").append(leaf.words->title_noun).append(" ").append(out->model);

  std::string& description = out->description;
  description.clear();
  if (rng.Bernoulli(0.5)) {
    description.append(Article(adjective, true)).append(" ");
    AppendLower(adjective, &description);
    description.append(" ").append(leaf.words->review_noun).append(" from ").append(brand);
    description.append(" in ").append(out->colour).append(", made with ").append(out->material);
  } else {
    description.append("The ").append(brand).append(" ").append(leaf.words->review_noun);
    description.append(" pairs ").append(out->material).append(" with ");
    description.append(Article(adjective, false)).append(" ");
    AppendLower(adjective, &description);
    description.append(" look in ").append(out->colour);
  }
  description.append(". It comes with ").append(leaf.top_words->features[first_feature]);
  description.append(" and ").append(leaf.top_words->features[second_feature]).append(".");
  if (rng.Bernoulli(0.6)) description.append(" ").append(Pick(rng, DescriptionClosings()));
}

}  // namespace tailor::synthetic
