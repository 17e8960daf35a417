// WordPieceTokenizer: BERT's tokenizer (Devlin et al. 2019; Wu et al. 2016 for WordPiece),
// from a vocab.txt (one piece per line, the line number is the id), as shipped with every
// BERT-family checkpoint (MiniLM, BGE, E5, ...).
//
// Basic tokenization first: control characters dropped, whitespace splits, every punctuation
// character and every CJK ideograph becomes its own word; with lower_case (the "uncased"
// models) text is lowercased and accents stripped (Latin-1 Supplement and Latin Extended-A
// letters map to their base letter, combining marks U+0300..U+036F are dropped; this covers
// Western European text without a Unicode library, other scripts pass through unchanged).
// Then each word is split greedily into the longest vocabulary pieces from the left,
// continuation pieces prefixed "##"; a word with no split, or longer than 100 characters,
// becomes [UNK].
#ifndef TAILOR_TEXT_WORDPIECE_TOKENIZER_H_
#define TAILOR_TEXT_WORDPIECE_TOKENIZER_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/tokenizer.h"

namespace tailor {

class WordPieceTokenizer final : public Tokenizer {
 public:
  // `vocab`: the contents of a vocab.txt. Errors: kInvalidArgument when a special token
  // ([PAD], [UNK], [CLS], [SEP], [MASK]) is missing or a piece repeats (names the line).
  static StatusOr<std::unique_ptr<WordPieceTokenizer>> FromVocab(const std::string& vocab,
                                                                 bool lower_case);
  // Errors: kNotFound for a missing file, then as FromVocab with the path in the message.
  static StatusOr<std::unique_ptr<WordPieceTokenizer>> FromFile(const std::string& path,
                                                                bool lower_case);

  std::string kind() const override { return "wordpiece"; }
  std::vector<int32_t> Encode(std::string_view text) const override;
  std::string Piece(int32_t id) const override;
  int32_t vocab_size() const override { return static_cast<int32_t>(pieces_.size()); }
  const SpecialTokens& special() const override { return special_; }
  void Save(BinaryWriter& out) const override;
  bool lower_case() const { return lower_case_; }

  // The words of basic tokenization (exposed for tests).
  std::vector<std::string> BasicTokenize(std::string_view text) const;

 private:
  WordPieceTokenizer() = default;
  void SplitWord(const std::string& word, std::vector<int32_t>& ids) const;

  std::vector<std::string> pieces_;
  std::unordered_map<std::string, int32_t> ids_;
  SpecialTokens special_;
  bool lower_case_ = true;
};

}  // namespace tailor

#endif  // TAILOR_TEXT_WORDPIECE_TOKENIZER_H_
