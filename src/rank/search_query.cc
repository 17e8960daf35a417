#include "rank/search_query.h"

#include <algorithm>
#include <cstdio>

#include "common/parse_number.h"
#include "index/search_terms.h"

namespace tailor {
namespace {

enum class Bound { kNone, kMax, kMin, kBetween };

// Phrases that open a price bound, as lower-cased words.
struct Marker {
  std::vector<std::string_view> words;
  Bound bound;
};
const std::vector<Marker>& Markers() {
  static const std::vector<Marker> markers = {
      {{"under"}, Bound::kMax},        {{"below"}, Bound::kMax},
      {{"<"}, Bound::kMax},            {{"<="}, Bound::kMax},
      {{"less", "than"}, Bound::kMax}, {{"cheaper", "than"}, Bound::kMax},
      {{"up", "to"}, Bound::kMax},     {{"at", "most"}, Bound::kMax},
      {{"max"}, Bound::kMax},          {{"over"}, Bound::kMin},
      {{"above"}, Bound::kMin},        {{">"}, Bound::kMin},
      {{">="}, Bound::kMin},           {{"more", "than"}, Bound::kMin},
      {{"at", "least"}, Bound::kMin},  {{"min"}, Bound::kMin},
      {{"between"}, Bound::kBetween},
  };
  return markers;
}

std::string Lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "$19.99", "20$", "20", "20." -> the amount; nullopt for anything else.
std::optional<double> ParsePrice(std::string_view word) {
  while (!word.empty() && (word.back() == '.' || word.back() == ',' || word.back() == '!' ||
                           word.back() == '?' || word.back() == '$')) {
    word.remove_suffix(1);
  }
  if (!word.empty() && word.front() == '$') word.remove_prefix(1);
  if (word.empty() || !(word.front() >= '0' && word.front() <= '9')) return std::nullopt;
  const std::optional<double> amount = ParseDouble(word);
  if (!amount || *amount < 0) return std::nullopt;
  return amount;
}

bool IsCurrencyWord(std::string_view word) {
  return word == "dollars" || word == "dollar" || word == "usd" || word == "bucks";
}

// Consumes "<price> [currency]" at words[at]; returns the words used (0 = no price there).
size_t TakePrice(const std::vector<std::string>& words, size_t at, double* amount) {
  if (at >= words.size()) return 0;
  auto price = ParsePrice(words[at]);
  if (!price) return 0;
  *amount = *price;
  return at + 1 < words.size() && IsCurrencyWord(words[at + 1]) ? 2 : 1;
}

std::string FormatPrice(double amount) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", amount);
  return buf;
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n')) {
      ++pos;
    }
    const size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t' && text[pos] != '\n') ++pos;
    if (pos > start) words.emplace_back(text.substr(start, pos - start));
  }
  return words;
}

}  // namespace

QueryVocabulary QueryVocabulary::Build(const Catalog& catalog) {
  QueryVocabulary vocabulary;
  auto add = [&](Entry entry) {
    if (entry.terms.empty()) return;
    std::vector<Entry>& bucket = vocabulary.by_first_term_[entry.terms.front()];
    for (const Entry& existing : bucket) {
      if (existing.terms == entry.terms && existing.is_brand == entry.is_brand) return;
    }
    bucket.push_back(std::move(entry));
  };
  for (const std::string& brand : catalog.brands) {
    if (!brand.empty()) add({SearchTerms(brand), true, brand, -1});
  }
  for (size_t category = 0; category < catalog.category_names.size(); ++category) {
    add({SearchTerms(catalog.category_names[category]), false, "",
         static_cast<int32_t>(category)});
  }
  for (auto& [first, bucket] : vocabulary.by_first_term_) {
    std::stable_sort(bucket.begin(), bucket.end(), [](const Entry& a, const Entry& b) {
      return a.terms.size() > b.terms.size();
    });
  }
  return vocabulary;
}

QueryVocabulary::Match QueryVocabulary::LongestAt(const std::vector<std::string>& terms,
                                                  size_t start, bool brands_only) const {
  Match match;
  if (start >= terms.size()) return match;
  auto it = by_first_term_.find(terms[start]);
  if (it == by_first_term_.end()) return match;
  for (const Entry& entry : it->second) {
    if (brands_only && !entry.is_brand) continue;
    if (start + entry.terms.size() > terms.size()) continue;
    if (!std::equal(entry.terms.begin(), entry.terms.end(), terms.begin() + start)) continue;
    match.length = static_cast<int32_t>(entry.terms.size());
    match.is_brand = entry.is_brand;
    match.brand = entry.brand;
    match.category = entry.category;
    return match;  // entries are longest first
  }
  return match;
}

StatusOr<SearchQuery> ParseSearchQuery(std::string_view text, const QueryVocabulary& vocabulary) {
  const std::vector<std::string> raw = SplitWords(text);
  std::vector<std::string> lower;
  for (const std::string& word : raw) lower.push_back(Lower(word));
  SearchQuery query;
  std::vector<std::string> kept;
  for (size_t at = 0; at < raw.size();) {
    size_t used = 0;
    for (const Marker& marker : Markers()) {
      const size_t n = marker.words.size();
      if (at + n > lower.size() ||
          !std::equal(marker.words.begin(), marker.words.end(), lower.begin() + at)) {
        continue;
      }
      double first = 0;
      const size_t price_words = TakePrice(lower, at + n, &first);
      if (price_words == 0) continue;
      if (marker.bound == Bound::kBetween) {
        const size_t and_at = at + n + price_words;
        double second = 0;
        const size_t second_words =
            and_at < lower.size() && lower[and_at] == "and" ? TakePrice(lower, and_at + 1, &second)
                                                            : 0;
        if (second_words == 0) continue;
        query.min_price = std::min(first, second);
        query.max_price = std::max(first, second);
        used = n + price_words + 1 + second_words;
      } else {
        (marker.bound == Bound::kMax ? query.max_price : query.min_price) = first;
        used = n + price_words;
      }
      break;
    }
    if (used == 0) {
      kept.push_back(raw[at]);
      used = 1;
    }
    at += used;
  }
  if (query.min_price && query.max_price && *query.min_price > *query.max_price) {
    return InvalidArgumentError("query '" + std::string(text) + "': the price must be over " +
                                FormatPrice(*query.min_price) + " and under " +
                                FormatPrice(*query.max_price));
  }
  for (const std::string& word : kept) {
    if (!query.text.empty()) query.text += ' ';
    query.text += word;
  }
  const std::vector<std::string> terms = SearchTerms(query.text);
  if (terms.empty() && !query.min_price && !query.max_price) {
    return InvalidArgumentError("query '" + std::string(text) + "' holds no word to search for");
  }
  for (size_t at = 0; at < terms.size();) {
    if ((terms[at] == "brand" || terms[at] == "by") && !query.brand) {
      const QueryVocabulary::Match match = vocabulary.LongestAt(terms, at + 1, true);
      if (match.length > 0) query.brand = match.brand;
    }
    const QueryVocabulary::Match match = vocabulary.LongestAt(terms, at, false);
    if (match.length == 0) {
      ++at;
      continue;
    }
    if (match.is_brand) {
      if (std::find(query.brands.begin(), query.brands.end(), match.brand) == query.brands.end()) {
        query.brands.push_back(match.brand);
      }
    } else if (std::find(query.categories.begin(), query.categories.end(), match.category) ==
               query.categories.end()) {
      query.categories.push_back(match.category);
    }
    at += match.length;
  }
  return query;
}

}  // namespace tailor
