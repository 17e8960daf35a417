// TextModel: a tokenizer, a BertEncoder and a pooling rule: what the rest of tailor embeds
// product text, queries and reviews with. Either tailor's own encoder (pretrained on the
// shop's text, text_pretrain.h) or a BERT-family sentence encoder the user brings.
//
// On disk it is a Hugging Face model directory (what `save_pretrained` of a BertModel or a
// sentence-transformers model writes), so tailor reads a MiniLM / BGE / E5 folder as is:
//   config.json            BertModel config: vocab_size, hidden_size, num_hidden_layers,
//                          num_attention_heads, intermediate_size, max_position_embeddings,
//                          type_vocab_size, layer_norm_eps; model_type "bert" and hidden_act
//                          "gelu" (other architectures are rejected by name)
//   vocab.txt              WordPiece vocabulary (lower-cased unless tokenizer_config.json has
//                          "do_lower_case": false)
//     or tokenizer.model   a sentencepiece model (what tailor writes for its own encoder)
//   model.safetensors      the weights under BertModel names, with or without the "bert."
//                          prefix of BertForMaskedLM / BertForPreTraining checkpoints; F32,
//                          F16 or BF16; pooler and MLM-head tensors are ignored
//   1_Pooling/config.json  optional (sentence-transformers): pooling_mode_cls_token true
//                          selects [CLS] pooling; mean pooling otherwise
// Embeddings are unit length. Immutable after creation; every method is const and
// thread-safe.
#ifndef TAILOR_TEXT_TEXT_MODEL_H_
#define TAILOR_TEXT_TEXT_MODEL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/progress.h"
#include "models/factors/factor_matrix.h"
#include "tailor/status.h"
#include "text/bert_encoder.h"
#include "text/tokenizer.h"

namespace tailor {

class TextModel {
 public:
  // `tokenizer` must not be null and its vocabulary must fit the encoder's.
  // Errors: kInvalidArgument when the tokenizer's vocabulary is larger than the encoder's.
  static StatusOr<std::unique_ptr<TextModel>> Create(std::unique_ptr<Tokenizer> tokenizer,
                                                     BertEncoder encoder, BertPooling pooling);

  // Reads a model directory (layout above). Errors: kNotFound naming the missing file,
  // kInvalidArgument naming the file and field of a bad config or a tensor of the wrong
  // shape, kDataLoss for a corrupt safetensors file.
  static StatusOr<std::unique_ptr<TextModel>> Load(const std::string& dir);

  // A model with this one's tokenizer (a copy) and pooling and another encoder, e.g. the
  // fine-tuned one of FineTuneSentiment. Errors: as Create.
  StatusOr<std::unique_ptr<TextModel>> WithEncoder(BertEncoder encoder) const;

  // Writes the directory (replacing an existing one only once the new one is complete).
  // Errors: kUnavailable naming the path that could not be written.
  Status Save(const std::string& dir) const;

  const Tokenizer& tokenizer() const { return *tokenizer_; }
  const BertEncoder& encoder() const { return encoder_; }
  BertPooling pooling() const { return pooling_; }
  int32_t dim() const { return encoder_.dim(); }
  // Longest input in tokens, [CLS] and [SEP] included (longer texts are cut).
  int32_t max_tokens() const { return encoder_.config().max_positions; }

  // [CLS] pieces [SEP] of `text`, cut to max_tokens().
  std::vector<int32_t> Tokens(std::string_view text) const;

  // The unit-length embedding of `text` into out (dim() floats); an empty text gets the
  // embedding of "[CLS] [SEP]". Errors: kInvalidArgument for a wrong out size.
  Status Embed(std::string_view text, std::span<float> out) const;

  // One row per text, computed on `threads` threads (0 = all cores), progress per 256 texts.
  StatusOr<FactorMatrix> EmbedAll(const std::vector<std::string>& texts, int threads,
                                  const ProgressFn& progress = {}) const;

 private:
  TextModel(std::unique_ptr<Tokenizer> tokenizer, BertEncoder encoder, BertPooling pooling)
      : tokenizer_(std::move(tokenizer)), encoder_(std::move(encoder)), pooling_(pooling) {}
  std::unique_ptr<Tokenizer> tokenizer_;
  BertEncoder encoder_;
  BertPooling pooling_ = BertPooling::kMean;
};

// Puts the finished directory `complete` at `dir`, replacing what was there only once the
// rename succeeded (what Save does last). Errors: kUnavailable naming `dir`.
Status ReplaceDirectory(const std::string& complete, const std::string& dir);

}  // namespace tailor

#endif  // TAILOR_TEXT_TEXT_MODEL_H_
