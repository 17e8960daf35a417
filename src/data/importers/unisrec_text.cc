#include "data/importers/unisrec_text.h"

#include <unordered_map>

#include "common/parse_number.h"
#include "data/importers/row_check.h"

namespace tailor {
namespace {

constexpr std::string_view kSeparator = ". ";
constexpr size_t kMaxRootWords = 4;

// The text without surrounding spaces and without one final '.'.
std::string_view StripText(std::string_view text) {
  text = TrimSpaces(text);
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  return TrimSpaces(text);
}

// The first `count` space-separated words of `text` (fewer when it is shorter).
std::string_view FirstWords(std::string_view text, size_t count) {
  size_t pos = 0;
  for (size_t word_idx = 0; word_idx < count; ++word_idx) {
    const size_t space = text.find(' ', pos);
    if (space == std::string_view::npos) return word_idx + 1 == count ? text : std::string_view();
    pos = space + 1;
  }
  return text.substr(0, pos - 1);
}

std::vector<std::string> RootAndRest(std::string_view segment, std::string_view root) {
  segment = TrimSpaces(segment);
  if (segment.empty()) return {};
  if (!root.empty() && segment.rfind(root, 0) == 0) {
    const std::string_view rest = TrimSpaces(segment.substr(root.size()));
    if (rest.empty()) return {std::string(root)};
    return {std::string(root), std::string(rest)};
  }
  return {std::string(segment)};
}

}  // namespace

std::string FindCategoryRoot(const std::vector<std::string_view>& texts) {
  // Candidate segments: whatever follows a ". " (the title's first segment never qualifies).
  std::vector<std::string_view> segments;
  for (std::string_view text : texts) {
    size_t pos = text.find(kSeparator);
    while (pos != std::string_view::npos) {
      segments.push_back(text.substr(pos + kSeparator.size()));
      pos = text.find(kSeparator, pos + kSeparator.size());
    }
  }
  std::string root;
  size_t root_count = 0;
  for (size_t words = 1; words <= kMaxRootWords; ++words) {
    std::unordered_map<std::string_view, size_t> counts;
    for (std::string_view segment : segments) {
      const std::string_view prefix = FirstWords(segment, words);
      if (!prefix.empty() && prefix.rfind(root, 0) == 0) ++counts[prefix];
    }
    std::string_view best;
    size_t best_count = 0;
    for (const auto& [prefix, count] : counts) {
      if (count > best_count || (count == best_count && prefix < best)) {
        best = prefix;
        best_count = count;
      }
    }
    // The root must cover a good share of the items and each added word must keep nearly all.
    if (words == 1 && best_count * 5 < texts.size()) return "";
    if (words > 1 && best_count * 10 < root_count * 9) break;
    root = std::string(best);
    root_count = best_count;
  }
  return root;
}

ParsedItemText SplitItemText(std::string_view text, std::string_view category_root) {
  ParsedItemText result;
  result.description = std::string(TrimSpaces(text));
  const std::string_view body = StripText(text);
  size_t category_start = std::string_view::npos;
  if (!category_root.empty()) {
    const std::string marker = std::string(kSeparator) + std::string(category_root);
    category_start = body.rfind(marker);
  }
  if (category_start != std::string_view::npos) {
    result.title = std::string(TrimSpaces(body.substr(0, category_start)));
    const std::string_view rest = body.substr(category_start + kSeparator.size());
    const size_t brand_start = rest.find(kSeparator);
    result.categories = RootAndRest(rest.substr(0, brand_start), category_root);
    if (brand_start != std::string_view::npos) {
      result.brand = std::string(StripText(rest.substr(brand_start + kSeparator.size())));
    }
    return result;
  }
  const size_t empty_categories = body.rfind(". . ");
  if (empty_categories != std::string_view::npos) {
    result.title = std::string(TrimSpaces(body.substr(0, empty_categories)));
    result.brand = std::string(StripText(body.substr(empty_categories + 4)));
    return result;
  }
  const size_t brand_sep = body.rfind(kSeparator);
  if (brand_sep == std::string_view::npos) {
    result.title = std::string(body);
    return result;
  }
  result.brand = std::string(StripText(body.substr(brand_sep + kSeparator.size())));
  const std::string_view head = body.substr(0, brand_sep);
  const size_t category_sep = head.rfind(kSeparator);
  if (category_sep == std::string_view::npos) {
    result.title = std::string(TrimSpaces(head));
    return result;
  }
  result.title = std::string(TrimSpaces(head.substr(0, category_sep)));
  result.categories = RootAndRest(head.substr(category_sep + kSeparator.size()), category_root);
  return result;
}

Status ReadItemTexts(const std::string& path, ImportContext& context,
                     std::unordered_map<std::string, ParsedItemText>* texts) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  std::vector<std::pair<std::string, std::string>> rows;
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    if (lines->line_number() == 1 && line.rfind("item_id", 0) == 0) continue;  // header
    context.CountRow(*lines);
    RowCheck check(context, lines->line_number(), line);
    const size_t tab = line.find('\t');
    std::pair<std::string, std::string> row;
    if (tab == std::string_view::npos) {
      check.Fail("", "expected 'item<TAB>text'");
      continue;
    }
    if (!check.Id("item_id", line.substr(0, tab), &row.first) ||
        !check.Text("text", line.substr(tab + 1), &row.second)) {
      continue;
    }
    rows.push_back(std::move(row));
  }
  RETURN_IF_ERROR(lines->status());
  std::vector<std::string_view> bodies;
  bodies.reserve(rows.size());
  for (const auto& row : rows) bodies.push_back(row.second);
  const std::string root = FindCategoryRoot(bodies);
  texts->reserve(rows.size());
  for (const auto& [item_id, text] : rows) {
    (*texts)[item_id] = SplitItemText(text, root);
  }
  return OkStatus();
}

void ApplyItemText(const ParsedItemText& text, Item* item) {
  item->title = text.title;
  item->categories = text.categories;
  item->brand = text.brand;
  item->description = text.description;
}

}  // namespace tailor
