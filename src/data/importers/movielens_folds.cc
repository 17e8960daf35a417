#include "data/importers/movielens_folds.h"

#include <filesystem>
#include <string_view>

#include "common/line_reader.h"
#include "common/parse_number.h"
#include "data/importers/dataset_files.h"

namespace tailor {

StatusOr<std::vector<RatingRow>> ReadRatingFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, LineReader::Open(path));
  std::vector<RatingRow> rows;
  rows.reserve(static_cast<size_t>(lines->file_size() / 20));  // ~22 bytes per line
  std::string_view line;
  std::vector<std::string_view> fields;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    auto fail = [&](const std::string& what) {
      return InvalidArgumentError(path + ":" + std::to_string(lines->line_number()) + ": " + what);
    };
    fields.clear();
    for (size_t start = 0;;) {
      const size_t stop = line.find('\t', start);
      fields.push_back(line.substr(start, stop == std::string_view::npos ? stop : stop - start));
      if (stop == std::string_view::npos) break;
      start = stop + 1;
    }
    if (fields.size() != 4) {
      if (!lines->ended_with_newline()) {
        return DataLossError(path + ":" + std::to_string(lines->line_number()) +
                             ": the last line is cut short with no newline (the file looks "
                             "truncated)");
      }
      return fail("expected 'user<TAB>item<TAB>rating<TAB>timestamp', found " +
                  std::to_string(fields.size()) + " fields");
    }
    RatingRow row;
    row.line = lines->line_number();
    const std::string_view user_id = TrimSpaces(fields[0]);
    const std::string_view item_id = TrimSpaces(fields[1]);
    if (user_id.empty()) return fail("empty user id");
    if (item_id.empty()) return fail("empty item id");
    row.user_id = std::string(user_id);
    row.item_id = std::string(item_id);
    const std::optional<double> rating = ParseDouble(fields[2]);
    if (!rating || !(*rating > 0)) {
      return fail("rating '" + std::string(fields[2]) + "' is not a number > 0");
    }
    row.rating = static_cast<float>(*rating);
    const std::optional<int64_t> timestamp = ParseInt64(fields[3]);
    if (!timestamp) {
      return fail("timestamp '" + std::string(fields[3]) + "' is not a unix time in seconds");
    }
    row.timestamp = *timestamp;
    rows.push_back(std::move(row));
  }
  RETURN_IF_ERROR(lines->status());
  return rows;
}

StatusOr<std::vector<RatingFoldPaths>> FindMovieLensFolds(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string dir, FindMovieLensDir(path));
  std::vector<RatingFoldPaths> folds;
  for (int fold = 1; fold <= 5; ++fold) {
    RatingFoldPaths paths = {JoinPath(dir, "u" + std::to_string(fold) + ".base"),
                             JoinPath(dir, "u" + std::to_string(fold) + ".test")};
    for (const std::string& file : {paths.train, paths.test}) {
      if (!std::filesystem::is_regular_file(file)) {
        return NotFoundError(file +
                             ": MovieLens fold file not found (the u1..u5 base/test "
                             "files of ml-100k are needed)");
      }
    }
    folds.push_back(std::move(paths));
  }
  return folds;
}

}  // namespace tailor
