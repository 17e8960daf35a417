#include "index/tfidf_vectors.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "index/search_terms.h"

namespace tailor {

TfidfVectors TfidfVectors::Build(const std::vector<std::string>& documents) {
  TfidfVectors vectors;
  std::unordered_map<std::string, int32_t> term_ids;
  // Term counts per document, then document frequencies.
  std::vector<std::vector<std::pair<int32_t, int32_t>>> counts(documents.size());
  std::vector<int64_t> df;
  for (size_t doc = 0; doc < documents.size(); ++doc) {
    std::unordered_map<int32_t, int32_t> tf;
    for (std::string& term : SearchTerms(documents[doc])) {
      const auto [found, inserted] =
          term_ids.try_emplace(std::move(term), static_cast<int32_t>(term_ids.size()));
      if (inserted) {
        vectors.terms_.push_back(found->first);
        df.push_back(0);
      }
      ++tf[found->second];
    }
    counts[doc].assign(tf.begin(), tf.end());
    std::sort(counts[doc].begin(), counts[doc].end());
    for (const auto& [term_id, count] : counts[doc]) ++df[term_id];
  }
  const double n = static_cast<double>(documents.size());
  std::vector<double> idf(df.size());
  for (size_t term_id = 0; term_id < df.size(); ++term_id) {
    idf[term_id] = std::log((1.0 + n) / (1.0 + static_cast<double>(df[term_id]))) + 1.0;
  }
  vectors.postings_.resize(df.size());
  for (size_t doc = 0; doc < documents.size(); ++doc) {
    std::vector<double> weights;
    double squares = 0.0;
    for (const auto& [term_id, count] : counts[doc]) {
      const double weight = (1.0 + std::log(static_cast<double>(count))) * idf[term_id];
      weights.push_back(weight);
      squares += weight * weight;
    }
    const double inverse = squares > 0.0 ? 1.0 / std::sqrt(squares) : 0.0;
    for (size_t at = 0; at < weights.size(); ++at) {
      const int32_t term_id = counts[doc][at].first;
      const float weight = static_cast<float>(weights[at] * inverse);
      vectors.entries_.push_back({term_id, weight});
      vectors.postings_[term_id].push_back({static_cast<int32_t>(doc), weight});
    }
    vectors.offsets_.push_back(static_cast<int64_t>(vectors.entries_.size()));
  }
  return vectors;
}

void TfidfVectors::AddSimilarities(int32_t doc, std::span<double> similarities) const {
  if (doc < 0 || doc >= num_documents()) return;
  for (const Entry& entry : row(doc)) {
    for (const Posting& posting : postings_[entry.term]) {
      similarities[posting.doc] += static_cast<double>(entry.weight) * posting.weight;
    }
  }
}

}  // namespace tailor
