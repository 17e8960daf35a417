#include "eval/item_embeddings_file.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "common/line_reader.h"
#include "common/parse_number.h"

namespace tailor {

StatusOr<FactorMatrix> ReadItemEmbeddings(const std::string& path,
                                          const std::vector<std::string>& item_ids) {
  std::unordered_map<std::string_view, int32_t> index;
  index.reserve(item_ids.size());
  for (size_t item_idx = 0; item_idx < item_ids.size(); ++item_idx) {
    index.emplace(item_ids[item_idx], static_cast<int32_t>(item_idx));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, LineReader::Open(path));
  // The dimension is only known after the first line, so rows wait here until the end.
  std::vector<std::vector<float>> rows(item_ids.size());
  std::vector<int64_t> row_line(item_ids.size(), 0);
  int64_t dim = -1;
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty() || line.front() == '#') continue;
    const std::string where = path + ":" + std::to_string(lines->line_number()) + ": ";
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      return InvalidArgumentError(where + "expected '<item id><TAB><v1> <v2> ...'");
    }
    const std::string_view id = line.substr(0, tab);
    const auto found = index.find(id);
    if (found == index.end()) {
      return InvalidArgumentError(where + "unknown item id '" + std::string(id) + "'");
    }
    const int32_t item_idx = found->second;
    if (row_line[item_idx] != 0) {
      return InvalidArgumentError(where + "item '" + std::string(id) + "' again (first on line " +
                                  std::to_string(row_line[item_idx]) + ")");
    }
    std::vector<float> values;
    if (dim > 0) values.reserve(static_cast<size_t>(dim));
    std::string_view rest = line.substr(tab + 1);
    while (!rest.empty()) {
      const size_t end = rest.find_first_of(" \t");
      const std::string_view token = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (token.empty()) continue;
      const std::optional<double> value = ParseDouble(token);
      if (!value || std::abs(*value) > std::numeric_limits<float>::max()) {
        return InvalidArgumentError(where + "value " + std::to_string(values.size() + 1) + ": '" +
                                    std::string(token) + "' is not a finite number");
      }
      values.push_back(static_cast<float>(*value));
    }
    if (values.empty()) return InvalidArgumentError(where + "no values");
    if (dim < 0) dim = static_cast<int64_t>(values.size());
    if (static_cast<int64_t>(values.size()) != dim) {
      return InvalidArgumentError(where + std::to_string(values.size()) + " values, expected " +
                                  std::to_string(dim) + " (as on the first line)");
    }
    rows[item_idx] = std::move(values);
    row_line[item_idx] = lines->line_number();
  }
  RETURN_IF_ERROR(lines->status());
  if (dim < 0) return InvalidArgumentError(path + ": no embedding lines");
  const int64_t missing = std::count(row_line.begin(), row_line.end(), 0);
  if (missing > 0) {
    const size_t first =
        static_cast<size_t>(std::find(row_line.begin(), row_line.end(), 0) - row_line.begin());
    return InvalidArgumentError(path + ": no embedding for " + std::to_string(missing) + " of " +
                                std::to_string(item_ids.size()) + " items (first: '" +
                                item_ids[first] + "')");
  }
  FactorMatrix matrix(static_cast<int32_t>(item_ids.size()), static_cast<int32_t>(dim));
  for (size_t item_idx = 0; item_idx < rows.size(); ++item_idx) {
    std::copy(rows[item_idx].begin(), rows[item_idx].end(),
              matrix.row(static_cast<int32_t>(item_idx)));
  }
  return matrix;
}

}  // namespace tailor
