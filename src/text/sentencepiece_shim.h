// The C interface of libtailor_sentencepiece.so, a small shared library that wraps Debian's
// libsentencepiece. Why a separate library loaded at run time: libsentencepiece.so carries its
// own copy of protobuf-lite and exports its symbols, and libtorch links libprotobuf.so.32; in
// one process the two copies interpose on each other and the program crashes while starting.
// sentencepiece_tokenizer.cc loads this library with dlmopen(LM_ID_NEWLM) into a link-map
// namespace of its own (with its own libstdc++), so sentencepiece binds to its own protobuf
// while libtorch keeps the system one. (RTLD_DEEPBIND is not enough: sentencepiece's logging
// then writes to libstdc++'s std::cerr, which the executable's copy relocation left unbuilt.)
// Only plain C types cross the boundary, and memory never changes hands: buffers the library
// allocates are freed with tailor_spm_free_buffer (the namespace has its own malloc).
#ifndef TAILOR_TEXT_SENTENCEPIECE_SHIM_H_
#define TAILOR_TEXT_SENTENCEPIECE_SHIM_H_

#include <stddef.h>
#include <stdint.h>

extern "C" {

typedef struct tailor_spm tailor_spm;

// Learns a model from `count` texts with sentencepiece's command-line `args`. On success
// returns 0 and sets *proto / *proto_size to the serialized ModelProto; otherwise returns
// non-zero and sets *error. Both are released with tailor_spm_free_buffer.
typedef int (*tailor_spm_train_fn)(const char* const* texts, const size_t* sizes,
                                   size_t count, const char* args, char** proto,
                                   size_t* proto_size, char** error);
// Parses a serialized ModelProto; nullptr with *error set when it does not parse.
typedef tailor_spm* (*tailor_spm_load_fn)(const char* proto, size_t proto_size, char** error);
typedef void (*tailor_spm_free_fn)(tailor_spm* model);
typedef void (*tailor_spm_free_buffer_fn)(char* buffer);
typedef int32_t (*tailor_spm_piece_count_fn)(const tailor_spm* model);
typedef int32_t (*tailor_spm_unk_id_fn)(const tailor_spm* model);
// The piece of `id` (not NUL-terminated; valid while the model lives).
typedef const char* (*tailor_spm_piece_fn)(const tailor_spm* model, int32_t id, size_t* size);
typedef int32_t (*tailor_spm_piece_to_id_fn)(const tailor_spm* model, const char* piece,
                                             size_t size);
// Encodes `text` (valid UTF-8). Writes at most `capacity` ids and returns how many there are
// (call again with a larger buffer when the result exceeds capacity); -1 on failure.
typedef int64_t (*tailor_spm_encode_fn)(const tailor_spm* model, const char* text, size_t size,
                                        int32_t* ids, size_t capacity);

int tailor_spm_train(const char* const* texts, const size_t* sizes, size_t count,
                     const char* args, char** proto, size_t* proto_size, char** error);
tailor_spm* tailor_spm_load(const char* proto, size_t proto_size, char** error);
void tailor_spm_free(tailor_spm* model);
void tailor_spm_free_buffer(char* buffer);
int32_t tailor_spm_piece_count(const tailor_spm* model);
int32_t tailor_spm_unk_id(const tailor_spm* model);
const char* tailor_spm_piece(const tailor_spm* model, int32_t id, size_t* size);
int32_t tailor_spm_piece_to_id(const tailor_spm* model, const char* piece, size_t size);
int64_t tailor_spm_encode(const tailor_spm* model, const char* text, size_t size, int32_t* ids,
                          size_t capacity);

}  // extern "C"

#endif  // TAILOR_TEXT_SENTENCEPIECE_SHIM_H_
