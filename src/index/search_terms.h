// SearchTerms: the words of a text as lexical search compares them. One rule for documents and
// queries alike, so a query term matches a document term exactly when both come from the same
// word form.
#ifndef TAILOR_INDEX_SEARCH_TERMS_H_
#define TAILOR_INDEX_SEARCH_TERMS_H_

#include <string>
#include <string_view>
#include <vector>

namespace tailor {

// The terms of `text`, in order, repeats kept: maximal runs of ASCII letters and digits and of
// non-ASCII bytes (UTF-8 letters stay whole), ASCII lower-cased, everything else separates
// ("Adhesive-Backed 4 1/2-Inch" -> adhesive, backed, 4, 1, 2, inch). Words of more than three
// letters lose an English plural ending by Harman's S-stemmer: "-ies" -> "-y" (not after "e" or
// "a"), "-es" -> "-e" (not after "a", "e" or "o"), "-s" -> "" (not after "u" or "s"), so
// "rolls" and "roll" meet while "glass" and "virus" stay.
std::vector<std::string> SearchTerms(std::string_view text);

// One word as SearchTerms() normalizes it (lower-cased, plural removed); `word` must be a
// single run of word characters.
std::string NormalizeSearchWord(std::string_view word);

}  // namespace tailor

#endif  // TAILOR_INDEX_SEARCH_TERMS_H_
