// AlignTextToBehaviour: cold-start item vectors from text. A TextProjection (text_projection.h,
// InfoNCE) is learnt from the interactions in `train`, with one of two targets:
//   kIals:        iALS (models/factors/ials.h) is fit on `train`, and the projection maps the
//                 text embedding of every item with interactions (the warm items) onto its
//                 iALS item factors;
//   kTransitions: one shared tower over the steps of the training histories: the projected
//                 text of an item must be closest to the projected text of the item bought
//                 right after it (consecutive distinct items of a user).
// The result is the projection of EVERY item's text embedding, warm and cold alike, so an
// item nobody has bought yet lands where the items bought like it live; comparing items by
// these vectors ranks cold and warm items on the same footing. Two un-aligned references for
// comparison: kNone (the text embeddings as they are) and kCenter (minus the catalogue's mean
// embedding: mean-pooled encoder states share a large common direction, anisotropy, that
// drowns the differences between items in cosines).
// Pure apart from its own threads; deterministic for a seed and thread count.
#ifndef TAILOR_TEXT_TEXT_ALIGNMENT_H_
#define TAILOR_TEXT_TEXT_ALIGNMENT_H_

#include <nlohmann/json.hpp>
#include <string_view>

#include "dataset/histories.h"
#include "models/factors/factor_matrix.h"
#include "models/factors/ials.h"
#include "tailor/status.h"
#include "text/text_pretrain.h"

namespace tailor {

enum class TextAlignTarget { kNone, kCenter, kIals, kTransitions };

// "none", "center", "ials", "transitions". Errors: kInvalidArgument naming the choices.
StatusOr<TextAlignTarget> ParseTextAlignTarget(std::string_view name);

struct TextAlignmentOptions {
  TextAlignTarget target = TextAlignTarget::kTransitions;
  int32_t transition_dim = 128;       // kTransitions: the projected width
  IalsOptions ials;                   // kIals: the behaviour space (iALS defaults)
  TextProjectionOptions projection;   // the InfoNCE projection (its defaults)
  int threads = 0;                    // 0 = all cores
  uint64_t seed = 42;
};

// text_embeddings: one row per item of `train` (train.num_items rows). Writes {"target": name,
// "ials": fit stats (kIals), "projection": training stats, "warm_items": n, "pairs": n
// (kTransitions)} into *stats when given.
// Errors: kInvalidArgument when the row count differs from train.num_items or fewer than 4
// items have interactions; the iALS fit's and the projection's errors.
StatusOr<FactorMatrix> AlignTextToBehaviour(const FactorMatrix& text_embeddings,
                                            const UserHistories& train,
                                            const TextAlignmentOptions& options,
                                            nlohmann::json* stats = nullptr);

}  // namespace tailor

#endif  // TAILOR_TEXT_TEXT_ALIGNMENT_H_
