#include "text/wordpiece_tokenizer.h"

#include <fstream>
#include <sstream>

namespace tailor {
namespace {

constexpr size_t kMaxWordChars = 100;  // BERT's max_input_chars_per_word

// Decodes one UTF-8 code point at text[*pos], advancing *pos; invalid bytes yield -1 and
// advance by one byte (they are dropped, as the contract says).
int32_t NextCodePoint(std::string_view text, size_t* pos) {
  const auto byte = [&](size_t at) { return static_cast<uint8_t>(text[at]); };
  const uint8_t lead = byte(*pos);
  int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
  if (length == 0 || *pos + length > text.size()) {
    ++*pos;
    return -1;
  }
  int32_t code = length == 1 ? lead : lead & (0x7f >> length);
  for (int byte_idx = 1; byte_idx < length; ++byte_idx) {
    const uint8_t next = byte(*pos + byte_idx);
    if ((next & 0xc0) != 0x80) {
      ++*pos;
      return -1;
    }
    code = code << 6 | (next & 0x3f);
  }
  *pos += length;
  return code;
}

void AppendUtf8(int32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xc0 | code >> 6);
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xe0 | code >> 12);
    out += static_cast<char>(0x80 | (code >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | code >> 18);
    out += static_cast<char>(0x80 | (code >> 12 & 0x3f));
    out += static_cast<char>(0x80 | (code >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

bool IsWhitespace(int32_t code) {
  return code == ' ' || code == '\t' || code == '\n' || code == '\r' || code == 0xa0 ||
         code == 0x1680 || (code >= 0x2000 && code <= 0x200a) || code == 0x202f ||
         code == 0x205f || code == 0x3000;
}

bool IsControl(int32_t code) {
  if (code == '\t' || code == '\n' || code == '\r') return false;
  return code < 0x20 || (code >= 0x7f && code < 0xa0) || code == 0xfffd ||
         (code >= 0x200b && code <= 0x200f) || code == 0xfeff;
}

// BERT treats every non-alphanumeric ASCII character as punctuation, plus Unicode's P*
// categories; the ranges below are the general punctuation blocks.
bool IsPunctuation(int32_t code) {
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) ||
      (code >= 123 && code <= 126)) {
    return true;
  }
  return code == 0xa1 || code == 0xa7 || code == 0xab || code == 0xb6 || code == 0xb7 ||
         code == 0xbb || code == 0xbf || (code >= 0x2010 && code <= 0x2027) ||
         (code >= 0x2030 && code <= 0x205e) || (code >= 0x3001 && code <= 0x3003) ||
         (code >= 0x3008 && code <= 0x3011) || (code >= 0xff01 && code <= 0xff0f);
}

bool IsCjk(int32_t code) {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) ||
         (code >= 0x20000 && code <= 0x2a6df) || (code >= 0x2a700 && code <= 0x2b73f) ||
         (code >= 0x2b740 && code <= 0x2b81f) || (code >= 0x2b820 && code <= 0x2ceaf) ||
         (code >= 0xf900 && code <= 0xfaff) || (code >= 0x2f800 && code <= 0x2fa1f);
}

// Lowercase + accent strip as BERT does it (lower(), NFD, drop marks of category Mn) for
// ASCII, Latin-1 Supplement and Latin Extended-A; -1 drops the code point (combining marks
// U+0300..U+036F). kLatinFolded[code - 0xC0] is the folded code point of U+00C0..U+017F.
constexpr uint16_t kLatinFolded[] = {
      0x061, 0x061, 0x061, 0x061, 0x061, 0x061, 0x0e6, 0x063, 0x065, 0x065, 0x065, 0x065,
      0x069, 0x069, 0x069, 0x069, 0x0f0, 0x06e, 0x06f, 0x06f, 0x06f, 0x06f, 0x06f, 0x0d7,
      0x0f8, 0x075, 0x075, 0x075, 0x075, 0x079, 0x0fe, 0x0df, 0x061, 0x061, 0x061, 0x061,
      0x061, 0x061, 0x0e6, 0x063, 0x065, 0x065, 0x065, 0x065, 0x069, 0x069, 0x069, 0x069,
      0x0f0, 0x06e, 0x06f, 0x06f, 0x06f, 0x06f, 0x06f, 0x0f7, 0x0f8, 0x075, 0x075, 0x075,
      0x075, 0x079, 0x0fe, 0x079, 0x061, 0x061, 0x061, 0x061, 0x061, 0x061, 0x063, 0x063,
      0x063, 0x063, 0x063, 0x063, 0x063, 0x063, 0x064, 0x064, 0x111, 0x111, 0x065, 0x065,
      0x065, 0x065, 0x065, 0x065, 0x065, 0x065, 0x065, 0x065, 0x067, 0x067, 0x067, 0x067,
      0x067, 0x067, 0x067, 0x067, 0x068, 0x068, 0x127, 0x127, 0x069, 0x069, 0x069, 0x069,
      0x069, 0x069, 0x069, 0x069, 0x069, 0x131, 0x133, 0x133, 0x06a, 0x06a, 0x06b, 0x06b,
      0x138, 0x06c, 0x06c, 0x06c, 0x06c, 0x06c, 0x06c, 0x140, 0x140, 0x142, 0x142, 0x06e,
      0x06e, 0x06e, 0x06e, 0x06e, 0x06e, 0x149, 0x14b, 0x14b, 0x06f, 0x06f, 0x06f, 0x06f,
      0x06f, 0x06f, 0x153, 0x153, 0x072, 0x072, 0x072, 0x072, 0x072, 0x072, 0x073, 0x073,
      0x073, 0x073, 0x073, 0x073, 0x073, 0x073, 0x074, 0x074, 0x074, 0x074, 0x167, 0x167,
      0x075, 0x075, 0x075, 0x075, 0x075, 0x075, 0x075, 0x075, 0x075, 0x075, 0x075, 0x075,
      0x077, 0x077, 0x079, 0x079, 0x079, 0x07a, 0x07a, 0x07a, 0x07a, 0x07a, 0x07a, 0x17f,
};

static_assert(sizeof(kLatinFolded) / sizeof(kLatinFolded[0]) == 0x180 - 0xc0);

int32_t LowerAndStrip(int32_t code) {
  if (code >= 'A' && code <= 'Z') return code + 32;
  if (code >= 0x300 && code <= 0x36f) return -1;
  if (code >= 0xc0 && code <= 0x17f) return kLatinFolded[code - 0xc0];
  return code;
}

}  // namespace

StatusOr<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::FromVocab(const std::string& vocab,
                                                                            bool lower_case) {
  std::unique_ptr<WordPieceTokenizer> tokenizer(new WordPieceTokenizer());
  tokenizer->lower_case_ = lower_case;
  std::istringstream lines(vocab);
  std::string piece;
  int64_t line_number = 0;
  while (std::getline(lines, piece)) {
    ++line_number;
    if (!piece.empty() && piece.back() == '\r') piece.pop_back();
    const int32_t id = static_cast<int32_t>(tokenizer->pieces_.size());
    if (!tokenizer->ids_.emplace(piece, id).second) {
      return InvalidArgumentError("vocab line " + std::to_string(line_number) + ": piece '" +
                                  piece + "' repeats line " +
                                  std::to_string(tokenizer->ids_[piece] + 1));
    }
    tokenizer->pieces_.push_back(piece);
  }
  const auto special = [&](const char* name, int32_t* id) -> Status {
    const auto it = tokenizer->ids_.find(name);
    if (it == tokenizer->ids_.end()) {
      return InvalidArgumentError(std::string("vocab: no ") + name + " token");
    }
    *id = it->second;
    return OkStatus();
  };
  RETURN_IF_ERROR(special("[PAD]", &tokenizer->special_.pad));
  RETURN_IF_ERROR(special("[UNK]", &tokenizer->special_.unk));
  RETURN_IF_ERROR(special("[CLS]", &tokenizer->special_.cls));
  RETURN_IF_ERROR(special("[SEP]", &tokenizer->special_.sep));
  RETURN_IF_ERROR(special("[MASK]", &tokenizer->special_.mask));
  return tokenizer;
}

StatusOr<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::FromFile(const std::string& path,
                                                                           bool lower_case) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open '" + path + "'");
  std::stringstream contents;
  contents << in.rdbuf();
  auto tokenizer = FromVocab(contents.str(), lower_case);
  if (!tokenizer.ok()) {
    return Status(tokenizer.status().code(), path + ": " + tokenizer.status().message());
  }
  return tokenizer;
}

std::vector<std::string> WordPieceTokenizer::BasicTokenize(std::string_view text) const {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  size_t pos = 0;
  while (pos < text.size()) {
    int32_t code = NextCodePoint(text, &pos);
    if (code < 0 || code == 0 || IsControl(code)) continue;
    if (IsWhitespace(code)) {
      flush();
      continue;
    }
    if (lower_case_) {
      code = LowerAndStrip(code);
      if (code < 0) continue;
    }
    if (IsPunctuation(code) || IsCjk(code)) {
      flush();
      AppendUtf8(code, word);
      flush();
      continue;
    }
    AppendUtf8(code, word);
  }
  flush();
  return words;
}

void WordPieceTokenizer::SplitWord(const std::string& word, std::vector<int32_t>& ids) const {
  // Character boundaries, so pieces never split a multi-byte code point.
  std::vector<size_t> boundaries;
  for (size_t pos = 0; pos < word.size();) {
    boundaries.push_back(pos);
    NextCodePoint(word, &pos);
  }
  boundaries.push_back(word.size());
  if (boundaries.size() - 1 > kMaxWordChars) {
    ids.push_back(special_.unk);
    return;
  }
  const size_t first_id = ids.size();
  size_t start = 0;  // index into boundaries
  std::string candidate;
  while (start + 1 < boundaries.size()) {
    size_t end = boundaries.size() - 1;
    int32_t found = -1;
    for (; end > start; --end) {
      candidate.assign(start > 0 ? "##" : "");
      candidate.append(word, boundaries[start], boundaries[end] - boundaries[start]);
      const auto it = ids_.find(candidate);
      if (it != ids_.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {
      ids.resize(first_id);
      ids.push_back(special_.unk);
      return;
    }
    ids.push_back(found);
    start = end;
  }
}

std::vector<int32_t> WordPieceTokenizer::Encode(std::string_view text) const {
  std::vector<int32_t> ids;
  for (const std::string& word : BasicTokenize(text)) SplitWord(word, ids);
  return ids;
}

std::string WordPieceTokenizer::Piece(int32_t id) const {
  if (id < 0 || id >= vocab_size()) return "";
  return pieces_[id];
}

void WordPieceTokenizer::Save(BinaryWriter& out) const {
  out.Put<uint8_t>(lower_case_ ? 1 : 0);
  std::string vocab;
  for (const std::string& piece : pieces_) vocab += piece + "\n";
  out.PutString(vocab);
}

}  // namespace tailor
