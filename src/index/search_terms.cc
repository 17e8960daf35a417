#include "index/search_terms.h"

namespace tailor {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

bool EndsWith(const std::string& word, std::string_view suffix) {
  return word.size() >= suffix.size() &&
         std::string_view(word).substr(word.size() - suffix.size()) == suffix;
}

}  // namespace

std::string NormalizeSearchWord(std::string_view word) {
  std::string term(word);
  for (char& c : term) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (term.size() <= 3) return term;
  if (EndsWith(term, "ies") && !EndsWith(term, "eies") && !EndsWith(term, "aies")) {
    term.replace(term.size() - 3, 3, "y");
  } else if (EndsWith(term, "es") && !EndsWith(term, "aes") && !EndsWith(term, "ees") &&
             !EndsWith(term, "oes")) {
    term.pop_back();
  } else if (EndsWith(term, "s") && !EndsWith(term, "us") && !EndsWith(term, "ss")) {
    term.pop_back();
  }
  return term;
}

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> terms;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && !IsWordByte(static_cast<unsigned char>(text[pos]))) ++pos;
    const size_t start = pos;
    while (pos < text.size() && IsWordByte(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos > start) terms.push_back(NormalizeSearchWord(text.substr(start, pos - start)));
  }
  return terms;
}

}  // namespace tailor
