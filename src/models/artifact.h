// The model artifact format written by SaveModel and read by LoadModel (recommender.h).
//
// Layout (little-endian):
//   magic    8 bytes  "TAILORM\0"
//   version  uint32   kModelArtifactVersion; a newer one is refused (kFailedPrecondition)
//   name     string   (uint64 length + bytes) the registered model name
//   params   string   the model's params() as JSON text
//   payload  string   the model's SavePayload bytes
//   checksum uint64   Fnv1a64 of every byte before it
// A model is recreated as MakeRecommender(name, params) followed by LoadPayload(payload).
#ifndef TAILOR_MODELS_ARTIFACT_H_
#define TAILOR_MODELS_ARTIFACT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/recommender.h"
#include "tailor/status.h"

namespace tailor {

inline constexpr char kModelArtifactMagic[8] = {'T', 'A', 'I', 'L', 'O', 'R', 'M', '\0'};
inline constexpr uint32_t kModelArtifactVersion = 1;

// The whole artifact of `model` as bytes. Errors: whatever SavePayload reports.
StatusOr<std::vector<uint8_t>> SerializeModel(const Recommender& model);
// Parses artifact bytes; `source` (a path) names them in errors. Errors as LoadModel.
StatusOr<std::unique_ptr<Recommender>> DeserializeModel(std::vector<uint8_t> bytes,
                                                        const std::string& source);

}  // namespace tailor

#endif  // TAILOR_MODELS_ARTIFACT_H_
