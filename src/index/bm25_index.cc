#include "index/bm25_index.h"

#include <algorithm>
#include <cmath>

#include "index/search_terms.h"

namespace tailor {

Bm25Index Bm25Index::Build(const std::vector<std::string>& documents,
                           const Bm25Options& options) {
  Bm25Index index;
  index.options_ = options;
  index.doc_lengths_.resize(documents.size(), 0);
  double total_length = 0;
  for (size_t doc = 0; doc < documents.size(); ++doc) {
    const std::vector<std::string> terms = SearchTerms(documents[doc]);
    index.doc_lengths_[doc] = static_cast<int32_t>(terms.size());
    total_length += static_cast<double>(terms.size());
    for (const std::string& term : terms) {
      auto [it, inserted] =
          index.term_ids_.emplace(term, static_cast<int32_t>(index.terms_.size()));
      if (inserted) {
        index.terms_.push_back(term);
        index.postings_.emplace_back();
      }
      std::vector<Posting>& postings = index.postings_[it->second];
      // Documents arrive in order, so the last posting is this document's if any.
      if (postings.empty() || postings.back().doc != static_cast<int32_t>(doc)) {
        postings.push_back({static_cast<int32_t>(doc), 0});
      }
      ++postings.back().count;
    }
  }
  const double num_docs = static_cast<double>(documents.size());
  index.mean_length_ =
      documents.empty() ? 0.0f : static_cast<float>(total_length / num_docs);
  index.idf_.resize(index.terms_.size());
  for (size_t term_id = 0; term_id < index.terms_.size(); ++term_id) {
    const double df = static_cast<double>(index.postings_[term_id].size());
    index.idf_[term_id] = static_cast<float>(std::log(1.0 + (num_docs - df + 0.5) / (df + 0.5)));
  }
  return index;
}

std::vector<int32_t> Bm25Index::QueryTermIds(std::string_view query) const {
  std::vector<int32_t> ids;
  for (const std::string& term : SearchTerms(query)) {
    auto it = term_ids_.find(term);
    if (it == term_ids_.end()) continue;
    if (std::find(ids.begin(), ids.end(), it->second) == ids.end()) ids.push_back(it->second);
  }
  return ids;
}

float Bm25Index::Contribution(int32_t term_id, const Posting& posting) const {
  const float tf = static_cast<float>(posting.count);
  const float length_ratio =
      mean_length_ > 0 ? static_cast<float>(doc_lengths_[posting.doc]) / mean_length_ : 1.0f;
  const float norm = options_.k1 * (1.0f - options_.b + options_.b * length_ratio);
  return idf_[term_id] * tf * (options_.k1 + 1.0f) / (tf + norm);
}

const Bm25Index::Posting* Bm25Index::Find(int32_t term_id, int32_t doc) const {
  const std::vector<Posting>& postings = postings_[term_id];
  auto it = std::lower_bound(postings.begin(), postings.end(), doc,
                             [](const Posting& posting, int32_t d) { return posting.doc < d; });
  return it != postings.end() && it->doc == doc ? &*it : nullptr;
}

std::vector<ScoredItem> Bm25Index::Search(std::string_view query, int k) const {
  const std::vector<int32_t> term_ids = QueryTermIds(query);
  std::vector<float> scores(doc_lengths_.size(), 0.0f);
  std::vector<uint8_t> matched(doc_lengths_.size(), 0);
  for (int32_t term_id : term_ids) {
    for (const Posting& posting : postings_[term_id]) {
      scores[posting.doc] += Contribution(term_id, posting);
      matched[posting.doc] = 1;
    }
  }
  int32_t num_matched = 0;
  for (uint8_t m : matched) num_matched += m;
  const int wanted = k <= 0 ? num_matched : std::min(k, num_matched);
  return TopK(scores, wanted, matched);
}

float Bm25Index::Score(std::string_view query, int32_t doc) const {
  if (doc < 0 || doc >= num_documents()) return 0.0f;
  float score = 0.0f;
  for (int32_t term_id : QueryTermIds(query)) {
    if (const Posting* posting = Find(term_id, doc)) score += Contribution(term_id, *posting);
  }
  return score;
}

std::vector<std::string> Bm25Index::MatchedTerms(std::string_view query, int32_t doc) const {
  std::vector<std::string> matched;
  if (doc < 0 || doc >= num_documents()) return matched;
  for (int32_t term_id : QueryTermIds(query)) {
    if (Find(term_id, doc) != nullptr) matched.push_back(terms_[term_id]);
  }
  return matched;
}

}  // namespace tailor
