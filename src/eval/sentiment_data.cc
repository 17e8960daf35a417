#include "eval/sentiment_data.h"

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "common/line_reader.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

constexpr char kSentenceSuffix[] = "_labelled.txt";

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string Where(const LineReader& reader) {
  return reader.path() + ":" + std::to_string(reader.line_number());
}

Status ReadSentences(const std::string& path, SentimentDataset* out) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  std::string group = fs::path(path).filename().string();
  if (group.ends_with(kSentenceSuffix)) group.resize(group.size() - (sizeof(kSentenceSuffix) - 1));
  std::string_view line;
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const size_t tab = line.rfind('\t');
    if (tab == std::string_view::npos) {
      return InvalidArgumentError(Where(*reader) + ": expected 'sentence<TAB>label'");
    }
    const std::string_view label = Trim(line.substr(tab + 1));
    if (label != "0" && label != "1") {
      return InvalidArgumentError(Where(*reader) + ": label '" + std::string(label) +
                                  "' is not 0 or 1");
    }
    const std::string_view text = Trim(line.substr(0, tab));
    if (text.empty()) {
      ++out->empty_dropped;
      continue;
    }
    out->texts.emplace_back(text);
    out->label_of.push_back(label == "1" ? 1 : 0);
    out->group_of.push_back(group);
  }
  return reader->status();
}

std::string StringField(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status ReadStarReviews(const std::string& path, SentimentDataset* out) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  std::set<std::string> seen;
  std::string_view line;
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const nlohmann::json review = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!review.is_object()) return InvalidArgumentError(Where(*reader) + ": not a JSON object");
    const auto stars = review.find("overall");
    if (stars == review.end() || !stars->is_number()) {
      return InvalidArgumentError(Where(*reader) + ": field 'overall' (1-5 stars) is missing");
    }
    const double value = stars->get<double>();
    if (!(value >= 1.0 && value <= 5.0)) {
      return InvalidArgumentError(Where(*reader) + ": field 'overall' is " + std::to_string(value) +
                                  ", expected 1 to 5");
    }
    const std::string summary(Trim(StringField(review, "summary")));
    const std::string body(Trim(StringField(review, "reviewText")));
    std::string text = summary;
    if (!summary.empty() && !body.empty()) text += ". ";
    text += body;
    if (text.empty()) {
      ++out->empty_dropped;
      continue;
    }
    if (!seen.insert(text).second) {
      ++out->duplicates_dropped;
      continue;
    }
    out->texts.push_back(std::move(text));
    out->label_of.push_back(value < 2.5 ? 0 : (value < 3.5 ? 1 : 2));
    out->group_of.emplace_back();
  }
  return reader->status();
}

}  // namespace

StatusOr<SentimentDataset> LoadSentimentDataset(const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return NotFoundError(path + ": no such file or folder");
  std::vector<std::string> sentence_files, review_files;
  auto classify = [&](const fs::path& file) {
    const std::string name = file.filename().string();
    if (name.ends_with(kSentenceSuffix)) sentence_files.push_back(file.string());
    if (name.ends_with(".jsonl")) review_files.push_back(file.string());
  };
  if (fs::is_directory(path, error)) {
    for (const auto& entry : fs::directory_iterator(path, error)) {
      if (entry.is_regular_file()) classify(entry.path());
    }
  } else {
    classify(path);
  }
  std::sort(sentence_files.begin(), sentence_files.end());
  std::sort(review_files.begin(), review_files.end());
  SentimentDataset out;
  if (!sentence_files.empty()) {
    out.layout = "sentences";
    out.labels = {"negative", "positive"};
    for (const std::string& file : sentence_files) RETURN_IF_ERROR(ReadSentences(file, &out));
  } else if (!review_files.empty()) {
    out.layout = "star-reviews";
    out.labels = {"negative", "neutral", "positive"};
    for (const std::string& file : review_files) RETURN_IF_ERROR(ReadStarReviews(file, &out));
  } else {
    return NotFoundError(path + ": no *_labelled.txt sentence file and no *.jsonl review file");
  }
  if (out.texts.empty()) return InvalidArgumentError(path + ": no labelled text");
  return out;
}

std::vector<int32_t> StratifiedFolds(const std::vector<int32_t>& labels, int32_t folds, uint64_t seed) {
  std::vector<int32_t> fold_of(labels.size(), 0);
  if (folds <= 1) return fold_of;
  std::vector<int32_t> order(labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  // Group by class (stable keeps the shuffled order within a class), then deal.
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return labels[a] < labels[b]; });
  for (size_t position = 0; position < order.size(); ++position) {
    fold_of[order[position]] = static_cast<int32_t>(position % static_cast<size_t>(folds));
  }
  return fold_of;
}

}  // namespace tailor
