#include "data/importers/dataset_files.h"

#include <algorithm>
#include <filesystem>

#include "common/line_reader.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string FileName(const std::string& path) { return fs::path(path).filename().string(); }

std::string JoinNames(const std::vector<std::string>& paths) {
  std::string joined;
  for (const std::string& path : paths) joined += (joined.empty() ? "" : ", ") + FileName(path);
  return joined;
}

}  // namespace

std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file(error)) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).string();
}

std::string FirstLine(const std::string& path) {
  auto reader = LineReader::Open(path);
  if (!reader.ok()) return "";
  std::string_view line;
  while ((*reader)->Next(&line)) {
    if (line.find_first_not_of(" \t") != std::string_view::npos) {
      return std::string(line.substr(0, 64 * 1024));
    }
  }
  return "";
}

bool IsIntegerSequenceLine(const std::string& line) {
  int tokens = 0;
  bool in_token = false;
  for (char ch : line) {
    if (ch == ' ' || ch == '\t') {
      in_token = false;
    } else if (ch >= '0' && ch <= '9') {
      if (!in_token) ++tokens;
      in_token = true;
    } else {
      return false;
    }
  }
  return tokens >= 2;
}

StatusOr<std::string> FindS3RecSequenceFile(const std::string& dir) {
  const std::vector<std::string> files = ListFiles(dir);
  std::vector<std::string> candidates;
  for (const std::string& file : files) {
    const std::string name = FileName(file);
    constexpr std::string_view kAttributesSuffix = "_item2attributes.json";
    if (!EndsWith(name, kAttributesSuffix)) continue;
    const std::string txt =
        JoinPath(dir, name.substr(0, name.size() - kAttributesSuffix.size()) + ".txt");
    if (fs::is_regular_file(txt)) candidates.push_back(txt);
  }
  if (candidates.empty()) {
    for (const std::string& file : files) {
      if (EndsWith(file, ".txt") && !EndsWith(file, "_user_sequence.txt") &&
          IsIntegerSequenceLine(FirstLine(file))) {
        candidates.push_back(file);
      }
    }
  }
  if (candidates.empty()) {
    return NotFoundError(dir +
                         ": no S3-Rec sequence file (<Name>.txt of 'user item item ...' "
                         "lines, beside <Name>_item2attributes.json)");
  }
  if (candidates.size() > 1) {
    return InvalidArgumentError(dir + ": several S3-Rec sequence files (" + JoinNames(candidates) +
                                "); import one of them by path");
  }
  return candidates.front();
}

StatusOr<std::string> FindUniSRecPrefix(const std::string& dir) {
  std::vector<std::string> prefixes;
  for (const std::string& file : ListFiles(dir)) {
    constexpr std::string_view kTrainSuffix = ".train.inter";
    if (EndsWith(file, kTrainSuffix)) {
      prefixes.push_back(file.substr(0, file.size() - kTrainSuffix.size()));
    }
  }
  if (prefixes.empty()) return NotFoundError(dir + ": no UniSRec <Name>.train.inter file");
  if (prefixes.size() > 1) {
    return InvalidArgumentError(dir + ": several UniSRec datasets (" + JoinNames(prefixes) +
                                "); import one by the path of its .train.inter file");
  }
  return prefixes.front();
}

StatusOr<std::string> FindMovieLensDir(const std::string& dir) {
  if (fs::is_regular_file(JoinPath(dir, "u.data"))) return dir;
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_directory(error) && fs::is_regular_file(entry.path() / "u.data")) {
      found.push_back(entry.path().string());
    }
  }
  if (found.size() == 1) return found.front();
  return NotFoundError(dir + ": no MovieLens u.data here or in exactly one subfolder");
}

std::vector<std::string> DataFiles(const std::string& dir) {
  std::vector<std::string> data_files;
  for (const std::string& file : ListFiles(dir)) {
    std::string name = FileName(file);
    if (StartsWith(name, "README") || StartsWith(name, "LICENSE") || StartsWith(name, "SOURCE") ||
        StartsWith(name, ".")) {
      continue;
    }
    if (EndsWith(name, ".xz")) name.resize(name.size() - 3);
    for (std::string_view extension : {".csv", ".tsv", ".jsonl", ".json", ".txt", ".dat"}) {
      if (EndsWith(name, extension)) {
        data_files.push_back(file);
        break;
      }
    }
  }
  return data_files;
}

StatusOr<std::string> SingleDataFile(const std::string& dir) {
  const std::vector<std::string> data_files = DataFiles(dir);
  if (data_files.empty()) return NotFoundError(dir + ": no data file (.csv, .jsonl, ...) here");
  if (data_files.size() > 1) {
    return InvalidArgumentError(dir + ": several data files (" + JoinNames(data_files) +
                                "); import them by path");
  }
  return data_files.front();
}

}  // namespace tailor
