#include "data/synthetic/review_text.h"

namespace tailor::synthetic {
namespace {

// Appends `sentence` with every "{noun}" replaced by `noun`.
void AppendFilled(std::string_view sentence, std::string_view noun, std::string* out) {
  static constexpr std::string_view kPlaceholder = "{noun}";
  size_t start = 0;
  for (size_t pos = sentence.find(kPlaceholder); pos != std::string_view::npos;
       pos = sentence.find(kPlaceholder, start)) {
    out->append(sentence.substr(start, pos - start)).append(noun);
    start = pos + kPlaceholder.size();
  }
  out->append(sentence.substr(start));
}

std::string_view Pick(ShopRandom& rng, std::span<const std::string_view> sentences) {
  return sentences[rng.Below(sentences.size())];
}

}  // namespace

ReviewTone ToneForStars(int32_t stars) {
  if (stars >= 4) return ReviewTone::kPositive;
  if (stars == 3) return ReviewTone::kNeutral;
  return ReviewTone::kNegative;
}

void AppendReview(int32_t stars, std::string_view noun, ShopRandom& rng, std::string* out) {
  const ReviewTone tone = ToneForStars(stars);
  AppendFilled(Pick(rng, ReviewOpenings(tone)), noun, out);
  out->push_back(' ');
  // The extreme ratings double down; 4 and 2 stars soften with a mild remark.
  const bool softened = stars == 4 || stars == 2;
  AppendFilled(Pick(rng, softened ? ReviewCaveats() : ReviewDetails(tone)), noun, out);
}

}  // namespace tailor::synthetic
