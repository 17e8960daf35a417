// DetectFormat: tells an import format from a dataset folder's files or a file's first line.
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/csv_reader.h"
#include "data/importers/dataset_files.h"
#include "data/importers/importer.h"
#include "data/importers/native_rows.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  });
  return text;
}

bool Has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Items or users from a record's column names (or JSON keys) and the file's name.
StatusOr<ImportFormat> ItemsOrUsers(const std::string& path, const std::vector<std::string>& names,
                                    bool jsonl) {
  const ImportFormat items = jsonl ? ImportFormat::kItemsJsonl : ImportFormat::kItemsCsv;
  const ImportFormat users = jsonl ? ImportFormat::kUsersJsonl : ImportFormat::kUsersCsv;
  const std::string file_name = Lower(fs::path(path).filename().string());
  for (std::string_view hint : {"item", "product", "catalog"}) {
    if (file_name.find(hint) != std::string::npos) return items;
  }
  for (std::string_view hint : {"user", "customer"}) {
    if (file_name.find(hint) != std::string::npos) return users;
  }
  for (std::string_view column : ItemColumns()) {
    if (column != "id" && column != "attributes" && Has(names, column)) return items;
  }
  if (names.size() > 1) return users;
  return InvalidArgumentError(path +
                              ": cannot tell items from users (only an 'id' column); "
                              "name the file items.* or users.*, or pass the format");
}

StatusOr<ImportFormat> DetectJsonl(const std::string& path, const std::string& line) {
  const nlohmann::json object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) {
    return InvalidArgumentError(path +
                                ": the first line is not a JSON object; cannot tell the "
                                "format (pass it explicitly)");
  }
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  if (Has(keys, "reviewerID") && Has(keys, "asin")) return ImportFormat::kAmazonReviews;
  if (Has(keys, "user_id") && Has(keys, "item_id") && Has(keys, "type")) {
    return ImportFormat::kEventsJsonl;
  }
  if (Has(keys, "id")) return ItemsOrUsers(path, keys, /*jsonl=*/true);
  return InvalidArgumentError(path +
                              ": a JSON object without 'id', 'user_id'/'item_id'/'type' "
                              "or 'reviewerID'/'asin'; cannot tell the format");
}

StatusOr<ImportFormat> DetectFile(const std::string& path) {
  const std::string line = FirstLine(path);
  if (line.empty()) return InvalidArgumentError(path + ": empty file; cannot tell the format");
  if (line.front() == '{') return DetectJsonl(path, line);
  const std::string lower = Lower(line);
  if (lower.rfind("invoiceno,stockcode,", 0) == 0) return ImportFormat::kOnlineRetail;
  if (lower.rfind("session_id;user_id;item_id;", 0) == 0 ||
      lower.rfind("sessionid;userid;itemid;", 0) == 0) {
    return ImportFormat::kDiginetica;
  }
  if (lower.rfind("user_id:token\titem_id_list:token_seq", 0) == 0) return ImportFormat::kUniSRec;
  if (IsIntegerSequenceLine(line)) {
    const bool four_tab_fields = std::count(line.begin(), line.end(), '\t') == 3;
    return four_tab_fields ? ImportFormat::kMovieLens : ImportFormat::kS3Rec;
  }
  // A CSV header of tailor's own formats.
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= lower.size()) {
    size_t stop = lower.find(',', start);
    if (stop == std::string::npos) stop = lower.size();
    std::string name = lower.substr(start, stop - start);
    name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    names.push_back(name);
    start = stop + 1;
  }
  if (Has(names, "user_id") && Has(names, "item_id") && Has(names, "type")) {
    return ImportFormat::kEventsCsv;
  }
  if (Has(names, "id")) return ItemsOrUsers(path, names, /*jsonl=*/false);
  return InvalidArgumentError(path + ": cannot tell the format from its first line (" +
                              line.substr(0, 80) + "); pass it explicitly (docs/formats.md)");
}

}  // namespace

StatusOr<ImportFormat> DetectFormat(const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return NotFoundError(path + ": no such file or directory");
  if (!fs::is_directory(path, error)) return DetectFile(path);
  if (FindS3RecSequenceFile(path).ok()) return ImportFormat::kS3Rec;
  if (FindUniSRecPrefix(path).ok()) return ImportFormat::kUniSRec;
  if (FindMovieLensDir(path).ok()) return ImportFormat::kMovieLens;
  StatusOr<std::string> single = SingleDataFile(path);
  if (single.ok()) return DetectFile(*single);
  return InvalidArgumentError(path +
                              ": not a dataset folder tailor knows (S3-Rec, UniSRec, "
                              "MovieLens, or a folder with one data file): " +
                              single.status().message());
}

}  // namespace tailor
