// ItemText: the one text of an item that the text encoder reads: title, brand, category path and
// description, in that order, each once. Importers that already store the full text as the
// description (UniSRec's "title. categories. brand.") are recognised: a description that starts
// with the title is taken as the whole text.
#ifndef TAILOR_DATASET_ITEM_TEXT_H_
#define TAILOR_DATASET_ITEM_TEXT_H_

#include <string>
#include <vector>

#include "tailor/store.h"
#include "tailor/status.h"
#include "tailor/types.h"

namespace tailor {

// "Title. Brand. Cat1 Cat2. Description" with empty parts left out; "" for an item with no
// text at all.
std::string ItemText(const Item& item);

// ItemText of every item of `store`, indexed by item index ("" past the stored items).
StatusOr<std::vector<std::string>> LoadItemTexts(Store& store, int32_t num_items);

}  // namespace tailor

#endif  // TAILOR_DATASET_ITEM_TEXT_H_
