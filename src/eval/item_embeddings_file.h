// Item embeddings from a text file, the stand-in source of the cold-item protocol's `text`
// method (`tailor benchmark --protocol cold-items --item-embeddings FILE`) until the text
// stage computes them. Format, one item per line (plain or xz-compressed):
//     <item id><TAB><v1> <v2> ... <vd>
// The id is the dataset's item id (the ASIN for the UniSRec datasets); the values are
// decimal floats separated by spaces or tabs, the same count d >= 1 on every line. Empty
// lines and lines starting with '#' are skipped. Every item of the dataset must have exactly
// one line.
// Thread-safety: pure apart from reading the file.
#ifndef TAILOR_EVAL_ITEM_EMBEDDINGS_FILE_H_
#define TAILOR_EVAL_ITEM_EMBEDDINGS_FILE_H_

#include <string>
#include <vector>

#include "models/factors/factor_matrix.h"
#include "tailor/status.h"

namespace tailor {

// Reads `path` into a [item_ids.size()][d] matrix, row item_idx = item_ids[item_idx]'s line.
// Errors: kNotFound when the file cannot be opened; kDataLoss for a corrupt xz stream;
// kInvalidArgument "<path>:<line>: ..." for a line without a tab, a value that is not a finite
// number, a different value count than the first line, an unknown or repeated item id, and
// "<path>: ..." when some items have no line (names the first) or the file has none.
StatusOr<FactorMatrix> ReadItemEmbeddings(const std::string& path,
                                          const std::vector<std::string>& item_ids);

}  // namespace tailor

#endif  // TAILOR_EVAL_ITEM_EMBEDDINGS_FILE_H_
