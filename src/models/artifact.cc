#include "models/artifact.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/binary_io.h"

namespace tailor {

StatusOr<std::vector<uint8_t>> SerializeModel(const Recommender& model) {
  BinaryWriter payload;
  RETURN_IF_ERROR(model.SavePayload(payload));
  BinaryWriter out;
  out.PutBytes(kModelArtifactMagic, sizeof(kModelArtifactMagic));
  out.Put<uint32_t>(kModelArtifactVersion);
  out.PutString(model.name());
  out.PutString(model.params().dump());
  out.PutVector(payload.buffer());
  const std::vector<uint8_t>& bytes = out.buffer();
  out.Put<uint64_t>(Fnv1a64(bytes.data(), bytes.size()));
  return out.buffer();
}

StatusOr<std::unique_ptr<Recommender>> DeserializeModel(std::vector<uint8_t> bytes,
                                                        const std::string& source) {
  constexpr size_t kMagicSize = sizeof(kModelArtifactMagic);
  if (bytes.size() < kMagicSize ||
      std::memcmp(bytes.data(), kModelArtifactMagic, kMagicSize) != 0) {
    return DataLossError(source + ": not a tailor model artifact (bad magic)");
  }
  // The version is checked before the checksum: a newer format may checksum differently,
  // and "upgrade tailor" is the useful message then.
  uint32_t version = 0;
  if (bytes.size() >= kMagicSize + sizeof(version)) {
    std::memcpy(&version, bytes.data() + kMagicSize, sizeof(version));
    if (version > kModelArtifactVersion) {
      return FailedPreconditionError(source + ": model artifact format version " +
                                     std::to_string(version) + " is newer than this build reads (" +
                                     std::to_string(kModelArtifactVersion) + "); upgrade tailor");
    }
  }
  constexpr size_t kMinSize =
      kMagicSize + sizeof(uint32_t) + 3 * sizeof(uint64_t) + sizeof(uint64_t);
  if (bytes.size() < kMinSize) {
    return DataLossError(source + ": truncated model artifact (" + std::to_string(bytes.size()) +
                         " bytes)");
  }
  if (version == 0) return DataLossError(source + ": corrupt model artifact (format version 0)");
  size_t body_size = bytes.size() - sizeof(uint64_t);
  uint64_t stored_checksum = 0;
  std::memcpy(&stored_checksum, bytes.data() + body_size, sizeof(stored_checksum));
  if (stored_checksum != Fnv1a64(bytes.data(), body_size)) {
    return DataLossError(source + ": model artifact checksum mismatch (truncated or corrupt)");
  }

  BinaryReader in(std::move(bytes), source);
  std::vector<uint8_t> skip(kMagicSize + sizeof(uint32_t));
  RETURN_IF_ERROR(in.GetBytes(skip.data(), skip.size()));
  std::string name;
  std::string params_text;
  uint64_t payload_size = 0;
  RETURN_IF_ERROR(in.GetString(&name));
  RETURN_IF_ERROR(in.GetString(&params_text));
  RETURN_IF_ERROR(in.Get(&payload_size));
  size_t payload_start = in.position();
  if (payload_size != body_size - payload_start) {
    return DataLossError(source + ": corrupt model artifact (payload size " +
                         std::to_string(payload_size) + " does not match the file)");
  }
  nlohmann::json params = nlohmann::json::parse(params_text, nullptr, /*allow_exceptions=*/false);
  if (params.is_discarded()) {
    return DataLossError(source + ": corrupt model artifact (params are not valid JSON)");
  }
  auto model = MakeRecommender(name, params);
  if (!model.ok()) {
    // A model this build does not have, or params it no longer accepts: the artifact is fine,
    // the build is the mismatch.
    return FailedPreconditionError(source + ": cannot recreate model '" + name +
                                   "': " + model.status().message());
  }
  // The payload is read in place (no copy: artifacts can be hundreds of MB); the position
  // check below catches a payload reader that stops short or reads into the checksum.
  Status loaded = (*model)->LoadPayload(in);
  if (!loaded.ok()) return loaded.WithContext(name + " payload");
  if (in.position() != body_size) {
    return DataLossError(source + ": corrupt model artifact (" + name + " payload read " +
                         std::to_string(in.position() - payload_start) + " of " +
                         std::to_string(payload_size) + " bytes)");
  }
  return std::move(*model);
}

Status SaveModel(const Recommender& model, const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, SerializeModel(model));
  BinaryWriter out;
  out.PutBytes(bytes.data(), bytes.size());
  return out.WriteToFile(path);
}

StatusOr<std::unique_ptr<Recommender>> LoadModel(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFoundError("cannot open model artifact '" + path + "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  if (file.bad()) return DataLossError(path + ": read error");
  return DeserializeModel(std::move(bytes), path);
}

}  // namespace tailor
