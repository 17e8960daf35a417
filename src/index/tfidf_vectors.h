// TfidfVectors: each item's text as a sparse, L2-normalised TF-IDF vector over SearchTerms(),
// for item-to-item text similarity (the cold-item protocol's lexical text method; an item
// nobody has bought is still as close to the history as its words make it).
//   weight(t, d) = (1 + ln tf(t, d)) * idf(t),   idf(t) = ln((1 + N) / (1 + df(t))) + 1
// (sublinear term frequency and the smoothed idf of Salton & Buckley 1988 / scikit-learn's
// TfidfVectorizer), then each row divided by its L2 norm. cosine(a, b) is then the dot
// product of rows a and b. An empty text gives an all-zero row that is similar to nothing.
//
// Immutable after Build(); every method is const and thread-safe.
#ifndef TAILOR_INDEX_TFIDF_VECTORS_H_
#define TAILOR_INDEX_TFIDF_VECTORS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tailor {

class TfidfVectors {
 public:
  struct Entry {
    int32_t term = 0;
    float weight = 0.0f;  // the normalised TF-IDF weight
  };

  // Vectors of documents[doc] (doc = item index).
  static TfidfVectors Build(const std::vector<std::string>& documents);

  int32_t num_documents() const { return static_cast<int32_t>(offsets_.size()) - 1; }
  int32_t num_terms() const { return static_cast<int32_t>(terms_.size()); }
  const std::string& term(int32_t term_id) const { return terms_[term_id]; }
  // Row `doc`, by increasing term id.
  std::span<const Entry> row(int32_t doc) const {
    return {entries_.data() + offsets_[doc], entries_.data() + offsets_[doc + 1]};
  }

  // similarities[d] += cosine(doc, d) for every document d sharing a term with `doc` (others
  // are left as they are); `similarities` has num_documents() entries. doc out of range: no-op.
  void AddSimilarities(int32_t doc, std::span<double> similarities) const;

 private:
  struct Posting {
    int32_t doc = 0;
    float weight = 0.0f;
  };
  std::vector<std::string> terms_;                // [term id]
  std::vector<int64_t> offsets_{0};               // row doc = entries_[offsets_[doc] ..)
  std::vector<Entry> entries_;
  std::vector<std::vector<Posting>> postings_;    // [term id] -> by increasing doc
};

}  // namespace tailor

#endif  // TAILOR_INDEX_TFIDF_VECTORS_H_
