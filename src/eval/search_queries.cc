#include "eval/search_queries.h"

#include <algorithm>
#include <random>
#include <sstream>

namespace tailor {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

}  // namespace

std::vector<SearchQueryCase> BuildSearchQueries(const Catalog& catalog, const Split& split,
                                                const SearchQueryOptions& options) {
  std::vector<int32_t> users;
  for (size_t user_idx = 0; user_idx < split.targets.size(); ++user_idx) {
    if (split.targets[user_idx].empty()) continue;
    const int32_t item = split.targets[user_idx].front();
    if (item < 0 || item >= catalog.size() || Words(catalog.titles[item]).empty()) continue;
    users.push_back(static_cast<int32_t>(user_idx));
  }
  std::mt19937_64 rng(options.seed);
  if (options.max_queries > 0 && users.size() > static_cast<size_t>(options.max_queries)) {
    std::shuffle(users.begin(), users.end(), rng);
    users.resize(static_cast<size_t>(options.max_queries));
    std::sort(users.begin(), users.end());
  }
  std::vector<SearchQueryCase> cases;
  for (int32_t user : users) {
    const int32_t item = split.targets[user].front();
    const std::vector<std::string> title = Words(catalog.titles[item]);
    const size_t window = std::min(title.size(), static_cast<size_t>(std::max(1, options.title_words)));
    const size_t start = rng() % (title.size() - window + 1);
    std::string query;
    auto append = [&query](const std::string& part) {
      if (part.empty()) return;
      if (!query.empty()) query += ' ';
      query += part;
    };
    for (size_t word_idx = start; word_idx < start + window; ++word_idx) append(title[word_idx]);
    if (options.brand) append(catalog.brands[item]);
    // The catalog lists every level by name and by path ("A > B"); the last name is the deepest.
    std::string deepest;
    for (int32_t category : catalog.categories[item]) {
      const std::string& name = catalog.category_names[category];
      if (name.find(" > ") == std::string::npos) deepest = name;
    }
    if (options.category) append(deepest);
    cases.push_back({user, item, std::move(query)});
  }
  return cases;
}

std::string DescribeSearchQueries(const SearchQueryOptions& options, size_t num_queries) {
  std::string parts = std::to_string(options.title_words) +
                      " consecutive title words of the user's leave-one-out test item";
  if (options.brand) parts += " + its brand";
  if (options.category) parts += " + its deepest category";
  return std::to_string(num_queries) + " queries, one per sampled user (seed " +
         std::to_string(options.seed) + "): " + parts +
         "; the item (held out of the behaviour model's training) is the one relevant result "
         "among all items";
}

}  // namespace tailor
