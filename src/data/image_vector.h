// Image vectors: the float arrays a shop attaches to its items (Item::image_vector), e.g. the
// CLIP or ResNet embedding of the main product photo. tailor does not compute them; it checks
// them once at the edge (importers, POST /items) so everything after can trust them.
// Pure functions; thread-safe.
#ifndef TAILOR_DATA_IMAGE_VECTOR_H_
#define TAILOR_DATA_IMAGE_VECTOR_H_

#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tailor/status.h"

namespace tailor {

// OK when the vector is empty (no vector) or has 1..kMaxImageVectorDim finite values.
// Errors: kInvalidArgument naming the first bad entry (0-based) or the length.
Status CheckImageVector(std::span<const float> values);

// A vector written as text (a CSV cell): numbers separated by spaces, commas or semicolons,
// optionally inside [ ]: "0.12 -0.5 3e-2" or "[0.12, -0.5, 0.03]". Blank text is no vector.
// Errors: kInvalidArgument naming the entry that is not a number, or CheckImageVector's.
StatusOr<std::vector<float>> ParseImageVector(std::string_view text);

// A vector written as a JSON array of numbers (JSONL, the HTTP API), or as a string in
// ParseImageVector's form; null is no vector.
// Errors: kInvalidArgument when it is not an array of numbers, or CheckImageVector's.
StatusOr<std::vector<float>> ImageVectorFromJson(const nlohmann::json& value);

}  // namespace tailor

#endif  // TAILOR_DATA_IMAGE_VECTOR_H_
