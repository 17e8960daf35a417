// Tokenizer: text -> subword ids for the text encoder. Two implementations: sentencepiece
// (a unigram vocabulary trained on the shop's own text, sentencepiece_tokenizer.h) and BERT
// WordPiece from a vocab.txt (wordpiece_tokenizer.h, for pretrained Hugging Face weights).
// Every tokenizer has the five special tokens a BERT-style encoder needs.
// Thread-safety: implementations are immutable after creation; Encode is const and
// thread-safe.
#ifndef TAILOR_TEXT_TOKENIZER_H_
#define TAILOR_TEXT_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/binary_io.h"
#include "tailor/status.h"

namespace tailor {

struct SpecialTokens {
  int32_t pad = 0;
  int32_t unk = 1;
  int32_t cls = 2;   // first token of every encoder input; its state is the "cls" pooling
  int32_t sep = 3;   // last token of every encoder input
  int32_t mask = 4;  // what masked-language-model pretraining puts in place of a token
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // "sentencepiece" or "wordpiece": names the implementation in artifacts and messages.
  virtual std::string kind() const = 0;
  // Subword ids of `text` (no special tokens added); unknown pieces map to special().unk.
  // Text that is not valid UTF-8 is read with invalid bytes dropped.
  virtual std::vector<int32_t> Encode(std::string_view text) const = 0;
  // The piece of an id ("##ing", "\u2581shampoo"); "" outside [0, vocab_size()).
  virtual std::string Piece(int32_t id) const = 0;
  virtual int32_t vocab_size() const = 0;
  virtual const SpecialTokens& special() const = 0;
  // The tokenizer's own bytes (a sentencepiece model proto, a vocab.txt) for artifacts.
  virtual void Save(BinaryWriter& out) const = 0;
};

// [CLS] pieces [SEP], the pieces cut so the whole fits in max_tokens (>= 2).
std::vector<int32_t> EncodeForEncoder(const Tokenizer& tokenizer, std::string_view text,
                                      int32_t max_tokens);

// Writes kind() and the tokenizer's bytes; LoadTokenizer reads either kind back.
void SaveTokenizer(const Tokenizer& tokenizer, BinaryWriter& out);
// Errors: kDataLoss for a truncated payload or an unknown kind.
StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizer(BinaryReader& in);

}  // namespace tailor

#endif  // TAILOR_TEXT_TOKENIZER_H_
