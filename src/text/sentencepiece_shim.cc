// libtailor_sentencepiece.so: see sentencepiece_shim.h. Built on its own (CMake target
// tailor_sentencepiece), never linked into the stages.
#include "text/sentencepiece_shim.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// Exported by libsentencepiece but not declared in its public headers.
namespace sentencepiece::logging {
void SetMinLogLevel(int level);
}

struct tailor_spm {
  sentencepiece::SentencePieceProcessor processor;
};

namespace {

// Feeds the texts to the trainer without writing a corpus file.
class TextIterator final : public sentencepiece::SentenceIterator {
 public:
  TextIterator(const char* const* texts, const size_t* sizes, size_t count)
      : texts_(texts), sizes_(sizes), count_(count) {
    Load();
  }
  bool done() const override { return index_ >= count_; }
  void Next() override {
    ++index_;
    Load();
  }
  const std::string& value() const override { return current_; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  void Load() {
    if (index_ < count_) current_.assign(texts_[index_], sizes_[index_]);
  }
  const char* const* texts_;
  const size_t* sizes_;
  size_t count_;
  size_t index_ = 0;
  std::string current_;
};

char* CopyToBuffer(const std::string& bytes) {
  char* buffer = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (buffer == nullptr) return nullptr;
  std::memcpy(buffer, bytes.data(), bytes.size());
  buffer[bytes.size()] = '\0';
  return buffer;
}

}  // namespace

extern "C" {

int tailor_spm_train(const char* const* texts, const size_t* sizes, size_t count,
                     const char* args, char** proto, size_t* proto_size, char** error) {
  // Warnings and errors only: training otherwise logs its command line and every EM round.
  sentencepiece::logging::SetMinLogLevel(1);
  TextIterator iterator(texts, sizes, count);
  std::string model;
  const sentencepiece::util::Status status =
      sentencepiece::SentencePieceTrainer::Train(args, &iterator, &model);
  if (!status.ok()) {
    *error = CopyToBuffer(status.ToString());
    return 1;
  }
  *proto = CopyToBuffer(model);
  *proto_size = model.size();
  return 0;
}

tailor_spm* tailor_spm_load(const char* proto, size_t proto_size, char** error) {
  auto* model = new tailor_spm;
  const sentencepiece::util::Status status =
      model->processor.LoadFromSerializedProto(std::string_view(proto, proto_size));
  if (!status.ok()) {
    *error = CopyToBuffer(status.ToString());
    delete model;
    return nullptr;
  }
  return model;
}

void tailor_spm_free(tailor_spm* model) { delete model; }
void tailor_spm_free_buffer(char* buffer) { std::free(buffer); }

int32_t tailor_spm_piece_count(const tailor_spm* model) {
  return model->processor.GetPieceSize();
}
int32_t tailor_spm_unk_id(const tailor_spm* model) { return model->processor.unk_id(); }

const char* tailor_spm_piece(const tailor_spm* model, int32_t id, size_t* size) {
  const std::string& piece = model->processor.IdToPiece(id);
  *size = piece.size();
  return piece.data();
}

int32_t tailor_spm_piece_to_id(const tailor_spm* model, const char* piece, size_t size) {
  return model->processor.PieceToId(std::string_view(piece, size));
}

int64_t tailor_spm_encode(const tailor_spm* model, const char* text, size_t size, int32_t* ids,
                          size_t capacity) {
  std::vector<int> encoded;
  if (!model->processor.Encode(std::string_view(text, size), &encoded).ok()) return -1;
  for (size_t i = 0; i < encoded.size() && i < capacity; ++i) ids[i] = encoded[i];
  return static_cast<int64_t>(encoded.size());
}

}  // extern "C"
