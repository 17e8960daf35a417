// SentencePieceTokenizer: a subword vocabulary learned from the shop's own text (titles,
// descriptions, categories, brands, reviews) with sentencepiece (Kudo & Richardson 2018; the
// unigram language model of Kudo 2018), Debian's libsentencepiece. Text is NFKC-normalised and
// case-folded (sentencepiece's nmt_nfkc_cf rule), so "Shampoo" and "shampoo" share pieces.
// Ids: 0 [PAD], 1 <unk>, 2 [CLS], 3 [SEP], 4 [MASK], then the learned pieces.
// sentencepiece runs inside libtailor_sentencepiece.so, loaded on first use (see
// sentencepiece_shim.h for why); it is looked up in $TAILOR_SENTENCEPIECE_LIBRARY, then beside
// the running program, then on the library path. Without it, Train and FromModelProto fail
// with kFailedPrecondition naming the paths tried.
#ifndef TAILOR_TEXT_SENTENCEPIECE_TOKENIZER_H_
#define TAILOR_TEXT_SENTENCEPIECE_TOKENIZER_H_

#include <memory>
#include <string>
#include <vector>

#include "text/tokenizer.h"

struct tailor_spm;

namespace tailor {

struct SentencePieceOptions {
  int vocab_size = 8000;      // upper bound; a small corpus gets fewer pieces (>= 16)
  double character_coverage = 0.9995;  // share of characters covered by the vocabulary
  int max_sentences = 2'000'000;       // training reads at most this many texts (evenly spaced)
  int threads = 2;
};

class SentencePieceTokenizer final : public Tokenizer {
 public:
  ~SentencePieceTokenizer() override;
  SentencePieceTokenizer(const SentencePieceTokenizer&) = delete;
  SentencePieceTokenizer& operator=(const SentencePieceTokenizer&) = delete;

  // Learns a vocabulary from `texts` (empty strings are skipped). Deterministic for the same
  // texts and options. Errors: kInvalidArgument when there is no text or options are out of
  // range, kInternal with sentencepiece's message.
  static StatusOr<std::unique_ptr<SentencePieceTokenizer>> Train(
      const std::vector<std::string>& texts, const SentencePieceOptions& options);
  // A serialized sentencepiece ModelProto (Save's bytes, or a .model file's contents).
  // Errors: kDataLoss when it does not parse or lacks the special pieces; kFailedPrecondition
  // when libtailor_sentencepiece.so cannot be loaded.
  static StatusOr<std::unique_ptr<SentencePieceTokenizer>> FromModelProto(std::string proto);

  std::string kind() const override { return "sentencepiece"; }
  std::vector<int32_t> Encode(std::string_view text) const override;
  std::string Piece(int32_t id) const override;
  int32_t vocab_size() const override;
  const SpecialTokens& special() const override { return special_; }
  void Save(BinaryWriter& out) const override { out.PutString(proto_); }
  const std::string& model_proto() const { return proto_; }

 private:
  SentencePieceTokenizer() = default;
  tailor_spm* model_ = nullptr;  // owned; freed through the shim
  int32_t vocab_size_ = 0;
  std::string proto_;
  SpecialTokens special_;
};

}  // namespace tailor

#endif  // TAILOR_TEXT_SENTENCEPIECE_TOKENIZER_H_
