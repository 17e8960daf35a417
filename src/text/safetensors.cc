#include "text/safetensors.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "common/binary_io.h"

namespace tailor {
namespace {

// The reference implementation rejects headers above 100 MB; so does this reader, before
// allocating anything for one.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

int DtypeBytes(const std::string& dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" ||
      dtype == "F8_E5M2") {
    return 1;
  }
  return 0;
}

float HalfToFloat(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu;
  uint32_t mantissa = half & 0x3ffu;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: renormalise
      int shift = 0;
      while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        ++shift;
      }
      mantissa &= 0x3ffu;
      bits = sign | static_cast<uint32_t>(127 - 15 - shift + 1) << 23 | mantissa << 13;
    }
  } else if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | mantissa << 13;  // inf / nan
  } else {
    bits = sign | (exponent + 127 - 15) << 23 | mantissa << 13;
  }
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

float Bfloat16ToFloat(uint16_t bf16) {
  const uint32_t bits = static_cast<uint32_t>(bf16) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

Status ParseTensorInfo(const std::string& name, const nlohmann::json& entry, TensorInfo* info) {
  if (!entry.is_object()) return InvalidArgumentError("not an object");
  const auto dtype = entry.find("dtype");
  const auto shape = entry.find("shape");
  const auto offsets = entry.find("data_offsets");
  if (dtype == entry.end() || !dtype->is_string()) return InvalidArgumentError("no dtype");
  if (shape == entry.end() || !shape->is_array()) return InvalidArgumentError("no shape");
  if (offsets == entry.end() || !offsets->is_array() || offsets->size() != 2 ||
      !(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned()) {
    return InvalidArgumentError("data_offsets must be two unsigned integers");
  }
  info->dtype = dtype->get<std::string>();
  for (const auto& dim : *shape) {
    if (!dim.is_number_unsigned()) return InvalidArgumentError("shape holds a non-integer");
    info->shape.push_back(dim.get<int64_t>());
  }
  info->begin = (*offsets)[0].get<uint64_t>();
  info->end = (*offsets)[1].get<uint64_t>();
  if (info->end < info->begin) return InvalidArgumentError("data_offsets end before begin");
  const int bytes = DtypeBytes(info->dtype);
  if (bytes == 0) return OkStatus();  // unknown dtype: an error only when read
  uint64_t elements = 1;
  for (int64_t dim : info->shape) {
    if (dim != 0 && elements > (uint64_t{1} << 50) / static_cast<uint64_t>(dim)) {
      return InvalidArgumentError("shape too large");
    }
    elements *= static_cast<uint64_t>(dim);
  }
  if (elements * bytes != info->end - info->begin) {
    return InvalidArgumentError("shape " + ShapeString(info->shape) + " of " + info->dtype +
                                " needs " + std::to_string(elements * bytes) + " bytes, offsets give " +
                                std::to_string(info->end - info->begin));
  }
  return OkStatus();
}

}  // namespace

int64_t TensorInfo::elements() const {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t dim_idx = 0; dim_idx < shape.size(); ++dim_idx) {
    if (dim_idx > 0) out += ", ";
    out += std::to_string(shape[dim_idx]);
  }
  return out + "]";
}

StatusOr<SafeTensors> SafeTensors::Read(const std::string& path) {
  ASSIGN_OR_RETURN(BinaryReader reader, BinaryReader::FromFile(path));
  std::vector<uint8_t> bytes(reader.size());
  RETURN_IF_ERROR(reader.GetBytes(bytes.data(), bytes.size()));
  return Parse(std::move(bytes), path);
}

StatusOr<SafeTensors> SafeTensors::Parse(std::vector<uint8_t> bytes, const std::string& source) {
  auto bad = [&](const std::string& why) { return DataLossError(source + ": " + why); };
  if (bytes.size() < 8) return bad("shorter than the 8-byte header length");
  uint64_t header_bytes = 0;
  for (int byte_idx = 7; byte_idx >= 0; --byte_idx) header_bytes = header_bytes << 8 | bytes[byte_idx];
  if (header_bytes > kMaxHeaderBytes || header_bytes > bytes.size() - 8) {
    return bad("header length " + std::to_string(header_bytes) + " exceeds the file (" +
               std::to_string(bytes.size()) + " bytes)");
  }
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + header_bytes);
  } catch (const nlohmann::json::exception& e) {
    return bad(std::string("header is not JSON: ") + e.what());
  }
  if (!header.is_object()) return bad("header is not a JSON object");
  SafeTensors file;
  file.source_ = source;
  file.data_start_ = 8 + header_bytes;
  const uint64_t data_bytes = bytes.size() - file.data_start_;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) return bad("__metadata__ is not an object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) return bad("__metadata__." + key + " is not a string");
        file.metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    TensorInfo info;
    if (Status status = ParseTensorInfo(name, entry, &info); !status.ok()) {
      return bad("tensor '" + name + "': " + status.message());
    }
    if (info.end > data_bytes) {
      return bad("tensor '" + name + "' ends at byte " + std::to_string(info.end) +
                 " of a " + std::to_string(data_bytes) + "-byte buffer (truncated file?)");
    }
    file.tensors_.emplace(name, std::move(info));
  }
  // The byte ranges must tile [0, end of the last tensor) without holes or overlaps.
  std::vector<std::pair<uint64_t, const std::string*>> starts;
  for (const auto& [name, info] : file.tensors_) starts.emplace_back(info.begin, &name);
  std::sort(starts.begin(), starts.end());
  uint64_t covered = 0;
  for (const auto& [begin, name] : starts) {
    if (begin != covered) {
      return bad("tensor '" + *name + "' starts at byte " + std::to_string(begin) +
                 ", expected " + std::to_string(covered) + " (overlap or hole)");
    }
    covered = file.tensors_.at(*name).end;
  }
  file.bytes_ = std::move(bytes);
  return file;
}

StatusOr<std::vector<float>> SafeTensors::Floats(const std::string& name,
                                                 const std::vector<int64_t>& expected_shape) const {
  const auto it = tensors_.find(name);
  if (it == tensors_.end()) return NotFoundError(source_ + ": no tensor '" + name + "'");
  const TensorInfo& info = it->second;
  if (info.shape != expected_shape) {
    return InvalidArgumentError(source_ + ": tensor '" + name + "' has shape " +
                                ShapeString(info.shape) + ", expected " +
                                ShapeString(expected_shape));
  }
  const uint8_t* data = bytes_.data() + data_start_ + info.begin;
  const int64_t count = info.elements();
  std::vector<float> values(static_cast<size_t>(count));
  if (info.dtype == "F32") {
    std::memcpy(values.data(), data, values.size() * sizeof(float));
  } else if (info.dtype == "F16" || info.dtype == "BF16") {
    const bool half = info.dtype == "F16";
    for (int64_t value_idx = 0; value_idx < count; ++value_idx) {
      const uint16_t raw = static_cast<uint16_t>(data[2 * value_idx] | data[2 * value_idx + 1] << 8);
      values[value_idx] = half ? HalfToFloat(raw) : Bfloat16ToFloat(raw);
    }
  } else {
    return UnimplementedError(source_ + ": tensor '" + name + "' has dtype " + info.dtype +
                              "; only F32, F16 and BF16 are read");
  }
  return values;
}

Status WriteSafeTensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                        const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::set<std::string> names;
  uint64_t offset = 0;
  for (const NamedTensor& tensor : tensors) {
    if (!names.insert(tensor.name).second) {
      return InvalidArgumentError(path + ": duplicate tensor '" + tensor.name + "'");
    }
    int64_t elements = 1;
    for (int64_t dim : tensor.shape) elements *= dim;
    if (elements != static_cast<int64_t>(tensor.values.size())) {
      return InvalidArgumentError(path + ": tensor '" + tensor.name + "' has " +
                                  std::to_string(tensor.values.size()) + " values for shape " +
                                  ShapeString(tensor.shape));
    }
    const uint64_t bytes = tensor.values.size() * sizeof(float);
    header[tensor.name] = {{"dtype", "F32"},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  BinaryWriter writer;
  writer.Put<uint64_t>(text.size());  // BinaryWriter is little-endian
  writer.PutBytes(text.data(), text.size());
  for (const NamedTensor& tensor : tensors) {
    writer.PutBytes(tensor.values.data(), tensor.values.size() * sizeof(float));
  }
  return writer.WriteToFile(path);
}

}  // namespace tailor
