// BinaryWriter / BinaryReader: little-endian binary files for model artifacts and checkpoints.
// The writer keeps a running FNV-1a checksum; the reader checks bounds on every read and
// reports a truncated file as kDataLoss instead of reading past the end.
// Not thread-safe; one per file.
#ifndef TAILOR_COMMON_BINARY_IO_H_
#define TAILOR_COMMON_BINARY_IO_H_

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "tailor/status.h"

namespace tailor {

class BinaryWriter {
 public:
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  void Put(const T& value) {
    PutBytes(&value, sizeof(T));
  }
  void PutString(const std::string& s) {
    Put<uint64_t>(s.size());
    PutBytes(s.data(), s.size());
  }
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  void PutVector(std::span<const T> v) {
    Put<uint64_t>(v.size());
    PutBytes(v.data(), v.size() * sizeof(T));
  }
  template <typename T>
  void PutVector(const std::vector<T>& v) {
    PutVector(std::span<const T>(v));
  }
  void PutBytes(const void* data, size_t n) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    buffer_.insert(buffer_.end(), bytes, bytes + n);
  }
  const std::vector<uint8_t>& buffer() const { return buffer_; }

  // Writes the buffer to `path` atomically (temp file + rename).
  Status WriteToFile(const std::string& path) const;

 private:
  std::vector<uint8_t> buffer_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::vector<uint8_t> data, std::string source = "buffer")
      : data_(std::move(data)), source_(std::move(source)) {}
  static StatusOr<BinaryReader> FromFile(const std::string& path);

  template <typename T>
    requires std::is_trivially_copyable_v<T>
  Status Get(T* value) {
    return GetBytes(value, sizeof(T));
  }
  Status GetString(std::string* s);
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  Status GetVector(std::vector<T>* v) {
    uint64_t n = 0;
    RETURN_IF_ERROR(Get(&n));
    if (n > (data_.size() - pos_) / (sizeof(T) == 0 ? 1 : sizeof(T))) {
      return DataLossError(source_ + ": truncated (vector of " + std::to_string(n) +
                           " elements at byte " + std::to_string(pos_) + ")");
    }
    v->resize(n);
    return GetBytes(v->data(), n * sizeof(T));
  }
  Status GetBytes(void* out, size_t n);
  size_t position() const { return pos_; }
  size_t size() const { return data_.size(); }
  const std::string& source() const { return source_; }

 private:
  std::vector<uint8_t> data_;
  size_t pos_ = 0;
  std::string source_;
};

// FNV-1a 64-bit hash of bytes (checksums, event keys).
uint64_t Fnv1a64(const void* data, size_t n, uint64_t seed = 1469598103934665603ULL);

}  // namespace tailor

#endif  // TAILOR_COMMON_BINARY_IO_H_
