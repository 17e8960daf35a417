// Item titles, descriptions and display attributes from templates: "Velström Classic Oak
// Knife VX-204"; a description of 2-3 sentences naming the material, colour and two features
// of the top category. Each item's words come from its own random stream (seed, item index),
// so text can be composed while streaming items.jsonl, in any order. Thread-safe.
#ifndef TAILOR_DATA_SYNTHETIC_ITEM_TEMPLATES_H_
#define TAILOR_DATA_SYNTHETIC_ITEM_TEMPLATES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "data/synthetic/shop_catalog.h"

namespace tailor::synthetic {

struct TemplatedItemText {
  std::string title;
  std::string description;
  std::string model;          // "VX-204"
  std::string_view colour;    // "sage"
  std::string_view material;  // "oak"
};

// Fills `out` (reusing its buffers) for item `item_idx` of `catalog`.
void ComposeItemText(const ShopCatalog& catalog, int32_t item_idx, uint64_t seed,
                     TemplatedItemText* out);

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_ITEM_TEMPLATES_H_
