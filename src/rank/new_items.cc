#include "rank/new_items.h"

#include <algorithm>

namespace tailor {
namespace {

// cos(a, b) of two unit rows sorted by term id.
double Cosine(std::span<const TfidfVectors::Entry> a, std::span<const TfidfVectors::Entry> b) {
  double dot = 0.0;
  size_t at_a = 0, at_b = 0;
  while (at_a < a.size() && at_b < b.size()) {
    if (a[at_a].term < b[at_b].term) {
      ++at_a;
    } else if (b[at_b].term < a[at_a].term) {
      ++at_b;
    } else {
      dot += static_cast<double>(a[at_a++].weight) * b[at_b++].weight;
    }
  }
  return dot;
}

}  // namespace

std::string NewItemIndex::ItemText(const Catalog& catalog, int32_t item_idx) {
  std::string text = catalog.titles[item_idx];
  text += ' ';
  text += catalog.brands[item_idx];
  for (int32_t category : catalog.categories[item_idx]) {
    text += ' ';
    text += catalog.category_names[category];
  }
  return text;
}

std::shared_ptr<const NewItemIndex> NewItemIndex::Build(const Catalog& catalog) {
  std::vector<std::string> texts;
  texts.reserve(static_cast<size_t>(catalog.size()));
  for (int32_t item_idx = 0; item_idx < catalog.size(); ++item_idx) {
    texts.push_back(ItemText(catalog, item_idx));
  }
  auto index = std::make_shared<NewItemIndex>();
  index->vectors_ = TfidfVectors::Build(texts);
  return index;
}

std::vector<NewItemMatch> NewItemIndex::Best(std::span<const Interaction> history,
                                             int32_t first_new, std::span<const uint8_t> allowed,
                                             int k) const {
  std::vector<NewItemMatch> out;
  if (k <= 0 || history.empty()) return out;
  const size_t recent = std::min(history.size(), static_cast<size_t>(kNewItemHistory));
  const auto last = history.last(recent);
  const int32_t end = std::min<int32_t>(num_items(), static_cast<int32_t>(allowed.size()));
  for (int32_t item_idx = std::max(0, first_new); item_idx < end; ++item_idx) {
    if (allowed[item_idx] == 0) continue;
    const auto row = vectors_.row(item_idx);
    NewItemMatch match{item_idx, 0.0, -1};
    double best_term = 0.0;
    for (const Interaction& interaction : last) {
      if (interaction.item < 0 || interaction.item >= num_items()) continue;
      const double cosine = Cosine(row, vectors_.row(interaction.item));
      const double term = cosine * cosine * cosine;
      match.score += term;
      if (term > best_term) {
        best_term = term;
        match.anchor = interaction.item;
      }
    }
    if (match.score > 0.0) out.push_back(match);
  }
  const size_t keep = std::min(out.size(), static_cast<size_t>(k));
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(),
                    [](const NewItemMatch& a, const NewItemMatch& b) {
                      return a.score != b.score ? a.score > b.score : a.item < b.item;
                    });
  out.resize(keep);
  return out;
}

}  // namespace tailor
