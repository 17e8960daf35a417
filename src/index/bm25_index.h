// Bm25Index: lexical retrieval over item texts with Okapi BM25 (Robertson & Zaragoza, "The
// Probabilistic Relevance Framework: BM25 and Beyond", 2009), the baseline every search
// method is compared with. Terms come from SearchTerms(); the IDF is Lucene's non-negative
// form log(1 + (N - df + 0.5) / (df + 0.5)), so a term in every document still scores >= 0.
//
// Immutable after Build(); every method is const and thread-safe.
#ifndef TAILOR_INDEX_BM25_INDEX_H_
#define TAILOR_INDEX_BM25_INDEX_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/top_k.h"

namespace tailor {

struct Bm25Options {
  float k1 = 1.2f;  // term-frequency saturation (> 0); Lucene's and Anserini's default
  float b = 0.75f;  // document-length normalization in [0, 1]; 0 = none
};

class Bm25Index {
 public:
  // Indexes documents[doc] (doc = item index); empty documents are kept and never match.
  static Bm25Index Build(const std::vector<std::string>& documents,
                         const Bm25Options& options = {});

  // The best `k` documents for the query's terms (SearchTerms of `query`; a term repeated in
  // the query counts once), best first, ties by the lower index; only documents holding at
  // least one term. k <= 0 gives every matching document.
  std::vector<ScoredItem> Search(std::string_view query, int k) const;

  // BM25 of one document for the query (0 when no term matches or doc is out of range).
  float Score(std::string_view query, int32_t doc) const;

  // The distinct query terms (normalized, in query order) that occur in document `doc`.
  std::vector<std::string> MatchedTerms(std::string_view query, int32_t doc) const;

  int32_t num_documents() const { return static_cast<int32_t>(doc_lengths_.size()); }

 private:
  struct Posting {
    int32_t doc = 0;
    int32_t count = 0;  // occurrences of the term in doc
  };

  // Term ids of the query's distinct terms that the index knows, in query order.
  std::vector<int32_t> QueryTermIds(std::string_view query) const;
  // BM25 contribution of one posting of term `term_id`.
  float Contribution(int32_t term_id, const Posting& posting) const;
  // The posting of `term_id` for `doc`, or nullptr.
  const Posting* Find(int32_t term_id, int32_t doc) const;

  Bm25Options options_;
  std::unordered_map<std::string, int32_t> term_ids_;
  std::vector<std::string> terms_;               // [term id]
  std::vector<std::vector<Posting>> postings_;   // [term id] -> by increasing doc
  std::vector<float> idf_;                       // [term id]
  std::vector<int32_t> doc_lengths_;             // [doc] in terms
  float mean_length_ = 0.0f;
};

}  // namespace tailor

#endif  // TAILOR_INDEX_BM25_INDEX_H_
