// Safetensors: the tensor file format of Hugging Face checkpoints (model.safetensors).
//
// Layout (https://github.com/huggingface/safetensors, "Format"): an 8-byte little-endian
// unsigned header length N, N bytes of UTF-8 JSON, then the byte buffer. The JSON maps each
// tensor name to {"dtype", "shape", "data_offsets": [begin, end)} with offsets relative to the
// start of the byte buffer, plus an optional "__metadata__" object of string -> string.
// Tensors are row-major and little-endian; the offsets must tile the buffer without holes.
// The reader accepts F32, F16 and BF16 (converted to float); other dtypes are an error when
// that tensor is read. The writer writes F32 and pads the header with spaces to a multiple of
// 8 bytes, as the reference implementation does.
// Thread-safety: a SafeTensors value is immutable after Read; reads are const.
#ifndef TAILOR_TEXT_SAFETENSORS_H_
#define TAILOR_TEXT_SAFETENSORS_H_

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tailor/status.h"

namespace tailor {

struct TensorInfo {
  std::string dtype;           // "F32", "F16", "BF16", "I64", ...
  std::vector<int64_t> shape;  // empty for a scalar
  uint64_t begin = 0;          // byte range in the data buffer
  uint64_t end = 0;
  int64_t elements() const;
};

class SafeTensors {
 public:
  // Reads and validates the whole file. Errors: kNotFound (no file), kDataLoss naming the
  // path and the reason (short file, header length past the end, bad JSON, a tensor whose
  // byte range does not match its dtype and shape, overlapping or missing bytes).
  static StatusOr<SafeTensors> Read(const std::string& path);
  // The same from bytes already in memory; `source` names them in messages.
  static StatusOr<SafeTensors> Parse(std::vector<uint8_t> bytes, const std::string& source);

  bool Has(const std::string& name) const { return tensors_.count(name) > 0; }
  const std::map<std::string, TensorInfo>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // The tensor as floats, checked against `expected_shape`. Errors: kNotFound naming the
  // tensor, kInvalidArgument when its shape differs (both shapes in the message),
  // kUnimplemented for a dtype other than F32/F16/BF16.
  StatusOr<std::vector<float>> Floats(const std::string& name,
                                      const std::vector<int64_t>& expected_shape) const;

 private:
  std::string source_;
  std::vector<uint8_t> bytes_;  // the whole file
  uint64_t data_start_ = 0;     // 8 + N
  std::map<std::string, TensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::span<const float> values;  // borrowed; product(shape) floats
};

// Writes F32 tensors (in the given order) atomically (temp file + rename). Errors:
// kInvalidArgument for a duplicate name or a size that does not match the shape,
// kUnavailable when the file cannot be written (names the path).
Status WriteSafeTensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                        const std::map<std::string, std::string>& metadata = {});

// Human-readable shape, e.g. "[384, 1536]".
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace tailor

#endif  // TAILOR_TEXT_SAFETENSORS_H_
