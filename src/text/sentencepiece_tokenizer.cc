#include "text/sentencepiece_tokenizer.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "common/utf8.h"
#include "text/sentencepiece_shim.h"

namespace tailor {
namespace {

constexpr char kShimName[] = "libtailor_sentencepiece.so";

// The shim's entry points, resolved once per process.
struct Shim {
  tailor_spm_train_fn train = nullptr;
  tailor_spm_load_fn load = nullptr;
  tailor_spm_free_fn free_model = nullptr;
  tailor_spm_free_buffer_fn free_buffer = nullptr;
  tailor_spm_piece_count_fn piece_count = nullptr;
  tailor_spm_unk_id_fn unk_id = nullptr;
  tailor_spm_piece_fn piece = nullptr;
  tailor_spm_piece_to_id_fn piece_to_id = nullptr;
  tailor_spm_encode_fn encode = nullptr;
};

std::string ProgramDirectory() {
  char path[4096];
  const ssize_t size = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (size <= 0) return "";
  std::string program(path, static_cast<size_t>(size));
  const size_t slash = program.rfind('/');
  return slash == std::string::npos ? "" : program.substr(0, slash);
}

template <typename Fn>
bool Resolve(void* handle, const char* name, Fn* fn) {
  *fn = reinterpret_cast<Fn>(dlsym(handle, name));
  return *fn != nullptr;
}

StatusOr<const Shim*> LoadShim() {
  static std::once_flag once;
  static Shim shim;
  static Status status = OkStatus();
  std::call_once(once, [] {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("TAILOR_SENTENCEPIECE_LIBRARY"); env && *env) {
      candidates.push_back(env);
    }
    if (const std::string dir = ProgramDirectory(); !dir.empty()) {
      candidates.push_back(dir + "/" + kShimName);
    }
    candidates.push_back(kShimName);
    void* handle = nullptr;
    std::string tried;
    for (const std::string& path : candidates) {
      // A namespace of its own: see sentencepiece_shim.h.
      handle = dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle != nullptr) break;
      tried += (tried.empty() ? "" : "; ") + std::string(dlerror());
    }
    if (handle == nullptr) {
      status = FailedPreconditionError(
          std::string("sentencepiece: cannot load ") + kShimName +
          " (set TAILOR_SENTENCEPIECE_LIBRARY to its path): " + tried);
      return;
    }
    const bool ok = Resolve(handle, "tailor_spm_train", &shim.train) &&
                    Resolve(handle, "tailor_spm_load", &shim.load) &&
                    Resolve(handle, "tailor_spm_free", &shim.free_model) &&
                    Resolve(handle, "tailor_spm_free_buffer", &shim.free_buffer) &&
                    Resolve(handle, "tailor_spm_piece_count", &shim.piece_count) &&
                    Resolve(handle, "tailor_spm_unk_id", &shim.unk_id) &&
                    Resolve(handle, "tailor_spm_piece", &shim.piece) &&
                    Resolve(handle, "tailor_spm_piece_to_id", &shim.piece_to_id) &&
                    Resolve(handle, "tailor_spm_encode", &shim.encode);
    if (!ok) {
      status = FailedPreconditionError(std::string("sentencepiece: ") + kShimName +
                                       " lacks a function: " + dlerror());
    }
  });
  if (!status.ok()) return status;
  return &shim;
}

// Takes ownership of a buffer the shim allocated.
std::string TakeBuffer(const Shim& shim, char* buffer, size_t size) {
  if (buffer == nullptr) return "";
  std::string bytes(buffer, size);
  shim.free_buffer(buffer);
  return bytes;
}
std::string TakeMessage(const Shim& shim, char* message) {
  return message == nullptr ? "unknown error" : TakeBuffer(shim, message, strlen(message));
}

// Drops invalid UTF-8 bytes (the contract of Tokenizer::Encode) so sentencepiece never sees
// them; valid text is returned as is.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t bad = FindInvalidUtf8(text);
    if (bad == kValidUtf8) {
      out.append(text);
      break;
    }
    out.append(text.substr(0, bad));
    text.remove_prefix(bad + 1);
  }
  return out;
}

}  // namespace

SentencePieceTokenizer::~SentencePieceTokenizer() {
  if (model_ != nullptr) (*LoadShim())->free_model(model_);
}

StatusOr<std::unique_ptr<SentencePieceTokenizer>> SentencePieceTokenizer::Train(
    const std::vector<std::string>& texts, const SentencePieceOptions& options) {
  if (options.vocab_size < 16) {
    return InvalidArgumentError("vocab_size: must be >= 16, got " +
                                std::to_string(options.vocab_size));
  }
  if (!(options.character_coverage > 0.0 && options.character_coverage <= 1.0)) {
    return InvalidArgumentError("character_coverage: must be in (0, 1]");
  }
  std::vector<const std::string*> kept;
  for (const std::string& text : texts) {
    if (!text.empty()) kept.push_back(&text);
  }
  if (kept.empty()) return InvalidArgumentError("no text to learn a vocabulary from");
  if (options.max_sentences > 0 && kept.size() > static_cast<size_t>(options.max_sentences)) {
    std::vector<const std::string*> sampled;
    const double step = static_cast<double>(kept.size()) / options.max_sentences;
    for (int text_idx = 0; text_idx < options.max_sentences; ++text_idx) {
      sampled.push_back(kept[static_cast<size_t>(text_idx * step)]);
    }
    kept.swap(sampled);
  }
  ASSIGN_OR_RETURN(const Shim* shim, LoadShim());
  std::vector<std::string> cleaned;
  cleaned.reserve(kept.size());
  for (const std::string* text : kept) cleaned.push_back(ValidUtf8(*text));
  std::vector<const char*> data;
  std::vector<size_t> sizes;
  for (const std::string& text : cleaned) {
    data.push_back(text.data());
    sizes.push_back(text.size());
  }
  // hard_vocab_limit=false: a shop with little text gets a smaller vocabulary instead of an
  // error. No shuffling and one fixed order keep training deterministic.
  const std::string args =
      "--model_type=unigram --vocab_size=" + std::to_string(options.vocab_size) +
      " --hard_vocab_limit=false --character_coverage=" +
      std::to_string(options.character_coverage) +
      " --normalization_rule_name=nmt_nfkc_cf --pad_id=0 --unk_id=1 --bos_id=-1 --eos_id=-1"
      " --pad_piece=[PAD] --user_defined_symbols=[CLS],[SEP],[MASK]"
      " --shuffle_input_sentence=false --input_sentence_size=0 --max_sentence_length=16384"
      " --num_threads=" + std::to_string(std::max(1, options.threads)) + " --minloglevel=2";
  char* proto = nullptr;
  size_t proto_size = 0;
  char* error = nullptr;
  if (shim->train(data.data(), sizes.data(), data.size(), args.c_str(), &proto, &proto_size,
                  &error) != 0) {
    return InternalError("sentencepiece training: " + TakeMessage(*shim, error));
  }
  return FromModelProto(TakeBuffer(*shim, proto, proto_size));
}

StatusOr<std::unique_ptr<SentencePieceTokenizer>> SentencePieceTokenizer::FromModelProto(
    std::string proto) {
  ASSIGN_OR_RETURN(const Shim* shim, LoadShim());
  char* error = nullptr;
  tailor_spm* model = shim->load(proto.data(), proto.size(), &error);
  if (model == nullptr) return DataLossError("sentencepiece model: " + TakeMessage(*shim, error));
  std::unique_ptr<SentencePieceTokenizer> tokenizer(new SentencePieceTokenizer());
  tokenizer->model_ = model;
  tokenizer->vocab_size_ = shim->piece_count(model);
  tokenizer->proto_ = std::move(proto);
  const auto id = [&](std::string_view piece, int32_t expected) -> Status {
    if (shim->piece_to_id(model, piece.data(), piece.size()) != expected) {
      return DataLossError("sentencepiece model: " + std::string(piece) + " is not id " +
                           std::to_string(expected));
    }
    return OkStatus();
  };
  const SpecialTokens& special = tokenizer->special_;
  RETURN_IF_ERROR(id("[PAD]", special.pad));
  RETURN_IF_ERROR(id("[CLS]", special.cls));
  RETURN_IF_ERROR(id("[SEP]", special.sep));
  RETURN_IF_ERROR(id("[MASK]", special.mask));
  if (shim->unk_id(model) != special.unk) {
    return DataLossError("sentencepiece model: <unk> is not id 1");
  }
  return tokenizer;
}

std::vector<int32_t> SentencePieceTokenizer::Encode(std::string_view text) const {
  const Shim& shim = **LoadShim();  // loaded: this object exists
  const std::string valid = ValidUtf8(text);
  std::vector<int32_t> ids(valid.size() + 8);
  int64_t count = shim.encode(model_, valid.data(), valid.size(), ids.data(), ids.size());
  if (count > static_cast<int64_t>(ids.size())) {
    ids.resize(static_cast<size_t>(count));
    count = shim.encode(model_, valid.data(), valid.size(), ids.data(), ids.size());
  }
  if (count < 0) return {};
  ids.resize(static_cast<size_t>(count));
  return ids;
}

std::string SentencePieceTokenizer::Piece(int32_t id) const {
  if (id < 0 || id >= vocab_size_) return "";
  size_t size = 0;
  const char* piece = (*LoadShim())->piece(model_, id, &size);
  return std::string(piece, size);
}

int32_t SentencePieceTokenizer::vocab_size() const { return vocab_size_; }

}  // namespace tailor
