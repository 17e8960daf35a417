// Item text of the UniSRec datasets: "title. categories. brand." per item, where categories
// are the category path joined with spaces ("Industrial & Scientific Tapes, Adhesives &
// Sealants Urethane Adhesives") and titles and brands may themselves contain ". ".
//
// Splitting: the dataset's category root (the phrase most category segments start with, e.g.
// "Industrial & Scientific") is found first; the segment that starts with it is the
// categories, what precedes it the title, what follows it the brand. An empty category
// segment ("title. . brand.") is recognised too. Without a root the text is split at its last
// two ". ". The full text is always kept as the description.
// Internal to the importers. Pure functions except ReadItemTexts.
#ifndef TAILOR_DATA_IMPORTERS_UNISREC_TEXT_H_
#define TAILOR_DATA_IMPORTERS_UNISREC_TEXT_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/importers/import_context.h"

namespace tailor {

struct ParsedItemText {
  std::string title;
  std::vector<std::string> categories;  // {root, rest of the path} or {segment}; may be empty
  std::string brand;
  std::string description;  // the full text
};

// The phrase most category segments of `texts` start with, or "" when none stands out.
std::string FindCategoryRoot(const std::vector<std::string_view>& texts);

// Splits one text (see above); `category_root` may be "".
ParsedItemText SplitItemText(std::string_view text, std::string_view category_root);

// Reads "<item id><TAB><text>" lines (a "item_id:token" header is skipped) and splits every
// text. Bad rows are rejected in `context`. Errors: file-level (kNotFound, kDataLoss).
Status ReadItemTexts(const std::string& path, ImportContext& context,
                     std::unordered_map<std::string, ParsedItemText>* texts);

// Copies title, categories, brand and description into `item`.
void ApplyItemText(const ParsedItemText& text, Item* item);

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_UNISREC_TEXT_H_
