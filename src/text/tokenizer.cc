#include "text/tokenizer.h"

#include <algorithm>

#include "text/sentencepiece_tokenizer.h"
#include "text/wordpiece_tokenizer.h"

namespace tailor {

std::vector<int32_t> EncodeForEncoder(const Tokenizer& tokenizer, std::string_view text,
                                      int32_t max_tokens) {
  std::vector<int32_t> pieces = tokenizer.Encode(text);
  const size_t room = static_cast<size_t>(std::max(max_tokens, 2) - 2);
  if (pieces.size() > room) pieces.resize(room);
  std::vector<int32_t> ids;
  ids.reserve(pieces.size() + 2);
  ids.push_back(tokenizer.special().cls);
  ids.insert(ids.end(), pieces.begin(), pieces.end());
  ids.push_back(tokenizer.special().sep);
  return ids;
}

void SaveTokenizer(const Tokenizer& tokenizer, BinaryWriter& out) {
  out.PutString(tokenizer.kind());
  tokenizer.Save(out);
}

StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizer(BinaryReader& in) {
  std::string kind;
  RETURN_IF_ERROR(in.GetString(&kind));
  if (kind == "sentencepiece") {
    std::string proto;
    RETURN_IF_ERROR(in.GetString(&proto));
    ASSIGN_OR_RETURN(auto tokenizer, SentencePieceTokenizer::FromModelProto(std::move(proto)));
    return std::unique_ptr<Tokenizer>(std::move(tokenizer));
  }
  if (kind == "wordpiece") {
    uint8_t lower_case = 0;
    std::string vocab;
    RETURN_IF_ERROR(in.Get(&lower_case));
    RETURN_IF_ERROR(in.GetString(&vocab));
    auto tokenizer = WordPieceTokenizer::FromVocab(vocab, lower_case != 0);
    if (!tokenizer.ok()) return DataLossError(in.source() + ": " + tokenizer.status().message());
    return std::unique_ptr<Tokenizer>(std::move(*tokenizer));
  }
  return DataLossError(in.source() + ": unknown tokenizer kind '" + kind + "'");
}

}  // namespace tailor
