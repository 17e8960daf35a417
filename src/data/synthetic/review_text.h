// Review texts whose tone follows the stars: 4-5 positive, 3 neutral, 1-2 negative; two
// templated sentences mentioning the product noun (see word_lists.h for the marker words
// each tone uses exclusively). Thread-safe (state lives in the caller's ShopRandom).
#ifndef TAILOR_DATA_SYNTHETIC_REVIEW_TEXT_H_
#define TAILOR_DATA_SYNTHETIC_REVIEW_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "data/synthetic/shop_random.h"
#include "data/synthetic/word_lists.h"

namespace tailor::synthetic {

// The tone of a review with `stars` in 1..5.
ReviewTone ToneForStars(int32_t stars);

// Appends a review of `stars` (1..5) about a `noun` ("knife", "pair of jeans") to `out`.
void AppendReview(int32_t stars, std::string_view noun, ShopRandom& rng, std::string* out);

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_REVIEW_TEXT_H_
