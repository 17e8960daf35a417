// Word lists for the synthetic shop: the category tree with product nouns, materials and
// features per top category, adjectives, colours, brand syllables, regions and review
// sentences by tone. Static data; thread-safe to read.
#ifndef TAILOR_DATA_SYNTHETIC_WORD_LISTS_H_
#define TAILOR_DATA_SYNTHETIC_WORD_LISTS_H_

#include <array>
#include <span>
#include <string_view>

namespace tailor::synthetic {

inline constexpr int kWordListSubcategories = 4;  // subcategories per top category
inline constexpr int kWordListLeaves = 3;         // leaves per subcategory

struct LeafWords {
  std::string_view name;         // category name, plural: "Knives"
  std::string_view title_noun;   // in titles: "Knife"
  std::string_view review_noun;  // in sentences after "this": "knife", "pair of jeans"
};

struct SubcategoryWords {
  std::string_view name;
  std::array<LeafWords, kWordListLeaves> leaves;
};

struct TopCategoryWords {
  std::string_view name;
  double median_price;  // EUR, the centre of the category's price distribution
  double age_centre;    // the age whose shoppers favour this category most
  double female_skew;   // in [-1, 1]: > 0 favoured by women, < 0 by men
  std::array<SubcategoryWords, kWordListSubcategories> subcategories;
  std::array<std::string_view, 6> materials;  // material, ingredient or edition
  std::array<std::string_view, 6> features;   // "a lifetime warranty" (after "It comes with")
};

// The category tree, most popular top categories first.
std::span<const TopCategoryWords> TopCategories();
std::span<const std::string_view> Adjectives();
std::span<const std::string_view> Colours();
// Brand names are start + [middle +] end syllables.
std::span<const std::string_view> BrandStarts();
std::span<const std::string_view> BrandMiddles();
std::span<const std::string_view> BrandEnds();
std::span<const std::string_view> Regions();
// Closing sentences of item descriptions.
std::span<const std::string_view> DescriptionClosings();

// Review sentences; "{noun}" is replaced by the leaf's review noun. Positive sentences are
// the only ones with the words love/excellent/great/perfect/recommend; negative ones the only
// ones with disappointed/poor/terrible/broke/refund; neutral ones use okay/decent/average.
enum class ReviewTone { kNegative, kNeutral, kPositive };
std::span<const std::string_view> ReviewOpenings(ReviewTone tone);
std::span<const std::string_view> ReviewDetails(ReviewTone tone);
// Mild remarks that 4-star reviews end with (no marker words of any tone).
std::span<const std::string_view> ReviewCaveats();

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_WORD_LISTS_H_
