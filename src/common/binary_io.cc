#include "common/binary_io.h"

#include <cstdio>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace tailor {

uint64_t Fnv1a64(const void* data, size_t n, uint64_t seed) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  uint64_t h = seed;
  for (size_t pos = 0; pos < n; ++pos) {
    h ^= bytes[pos];
    h *= 1099511628211ULL;
  }
  return h;
}

Status BinaryWriter::WriteToFile(const std::string& path) const {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return UnavailableError("cannot write '" + tmp + "'");
    out.write(reinterpret_cast<const char*>(buffer_.data()),
              static_cast<std::streamsize>(buffer_.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return UnavailableError("write failed for '" + tmp + "' (disk full?)");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return UnavailableError("cannot rename '" + tmp + "' to '" + path + "'");
  }
  return OkStatus();
}

StatusOr<BinaryReader> BinaryReader::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open '" + path + "'");
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return BinaryReader(std::move(data), path);
}

Status BinaryReader::GetString(std::string* s) {
  uint64_t n = 0;
  RETURN_IF_ERROR(Get(&n));
  if (n > data_.size() - pos_) {
    return DataLossError(source_ + ": truncated (string of " + std::to_string(n) +
                         " bytes at byte " + std::to_string(pos_) + ")");
  }
  s->assign(reinterpret_cast<const char*>(data_.data() + pos_), n);
  pos_ += n;
  return OkStatus();
}

Status BinaryReader::GetBytes(void* out, size_t n) {
  if (n > data_.size() - pos_) {
    return DataLossError(source_ + ": truncated (wanted " + std::to_string(n) + " bytes at byte " +
                         std::to_string(pos_) + " of " + std::to_string(data_.size()) + ")");
  }
  if (n > 0) std::memcpy(out, data_.data() + pos_, n);
  pos_ += n;
  return OkStatus();
}

}  // namespace tailor
