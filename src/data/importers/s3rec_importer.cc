// S3-Rec datasets (Zhou et al., CIKM 2020; the Amazon Beauty / Sports files of S3-Rec,
// CL4SRec, DuoRec, FMLP-Rec, BSARec, P5, TIGER):
//   <Name>.txt                   "user item item ..." per line, chronological
//   <Name>_item2attributes.json  optional {"item": [attribute ids]}
//   <prefix>_datamaps.json       optional (P5): id2item maps the integer ids to ASINs
// Mapping: items are created from the sequences (id = the id as written, so stable), with
// categories "attr:<id>" and attribute "asin" when the datamaps have it; each sequence entry
// is a "purchase" event whose timestamp is its 1-based position in the user's sequence, so
// the order survives any sort by time.
#include <filesystem>
#include <unordered_map>

#include "data/importers/dataset_files.h"
#include "data/importers/format_importers.h"
#include "data/importers/json_file.h"
#include "data/importers/row_check.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string Lower(std::string text) {
  for (char& ch : text) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return text;
}

// item id -> attribute ids as categories ("attr:7").
StatusOr<std::unordered_map<std::string, std::vector<std::string>>> ReadItemAttributes(
    const std::string& path) {
  ASSIGN_OR_RETURN(Json document, ReadJsonFile(path));
  if (!document.is_object()) {
    return InvalidArgumentError(path + ": expected a JSON object {\"item\": [attribute ids]}");
  }
  std::unordered_map<std::string, std::vector<std::string>> attributes;
  attributes.reserve(document.size());
  for (const auto& [item_id, ids] : document.items()) {
    if (!ids.is_array()) {
      return InvalidArgumentError(path + ": field '" + item_id +
                                  "': expected an array of "
                                  "attribute ids");
    }
    std::vector<std::string>& categories = attributes[item_id];
    for (const Json& id : ids) {
      if (id.is_number_integer()) {
        categories.push_back("attr:" + std::to_string(id.get<int64_t>()));
      } else if (id.is_string()) {
        categories.push_back("attr:" + id.get<std::string>());
      } else {
        return InvalidArgumentError(path + ": field '" + item_id +
                                    "': attribute ids must be "
                                    "integers or strings");
      }
    }
  }
  return attributes;
}

// The P5 datamaps file for dataset `name` ("beauty_datamaps.json" for Beauty.txt,
// "sports_datamaps.json" for Sports_and_Outdoors.txt), or "" when there is none.
std::string FindDatamaps(const std::string& dir, const std::string& name) {
  const std::string lower_name = Lower(name);
  std::string best;
  size_t best_length = 0;
  for (const std::string& file : ListFiles(dir)) {
    const std::string file_name = fs::path(file).filename().string();
    constexpr std::string_view kSuffix = "_datamaps.json";
    if (file_name.size() <= kSuffix.size() ||
        file_name.compare(file_name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      continue;
    }
    const std::string prefix = Lower(file_name.substr(0, file_name.size() - kSuffix.size()));
    if (lower_name.rfind(prefix, 0) == 0 && prefix.size() > best_length) {
      best = file;
      best_length = prefix.size();
    }
  }
  return best;
}

// item id -> ASIN from the datamaps' id2item.
StatusOr<std::unordered_map<std::string, std::string>> ReadAsins(const std::string& path) {
  ASSIGN_OR_RETURN(Json document, ReadJsonFile(path));
  const auto id2item = document.find("id2item");
  if (!document.is_object() || id2item == document.end() || !id2item->is_object()) {
    return InvalidArgumentError(path + ": expected a datamaps object with an 'id2item' map");
  }
  std::unordered_map<std::string, std::string> asins;
  asins.reserve(id2item->size());
  for (const auto& [item_id, asin] : id2item->items()) {
    if (asin.is_string()) asins.emplace(item_id, asin.get<std::string>());
  }
  return asins;
}

// Splits a line on spaces and tabs.
void SplitTokens(std::string_view line, std::vector<std::string_view>* tokens) {
  tokens->clear();
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    const size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    if (pos > start) tokens->push_back(line.substr(start, pos - start));
  }
}

}  // namespace

Status ImportS3Rec(const std::string& path, ImportContext& context) {
  std::string sequence_path = path;
  if (fs::is_directory(path)) {
    ASSIGN_OR_RETURN(sequence_path, FindS3RecSequenceFile(path));
  }
  const fs::path sequence_file(sequence_path);
  const std::string dir = sequence_file.parent_path().string();
  const std::string name = sequence_file.stem().string();

  std::unordered_map<std::string, std::vector<std::string>> attributes;
  const std::string attributes_path = JoinPath(dir, name + "_item2attributes.json");
  if (fs::is_regular_file(attributes_path)) {
    context.NoteFile(attributes_path);
    ASSIGN_OR_RETURN(attributes, ReadItemAttributes(attributes_path));
  }
  std::unordered_map<std::string, std::string> asins;
  const std::string datamaps_path = FindDatamaps(dir.empty() ? "." : dir, name);
  if (!datamaps_path.empty()) {
    context.NoteFile(datamaps_path);
    ASSIGN_OR_RETURN(asins, ReadAsins(datamaps_path));
  }

  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(sequence_path));
  FlatStringSet items_created;
  std::unordered_map<std::string, int64_t> positions;  // user -> events so far
  std::vector<std::string_view> tokens;
  std::vector<Event>& events = context.batch().events;
  // Each entry takes at least two bytes ("7 "); ids of 1-5 digits average about 5.
  events.reserve(events.size() + static_cast<size_t>(lines->file_size() / 4));
  std::string_view line;
  while (lines->Next(&line)) {
    SplitTokens(line, &tokens);
    if (tokens.empty()) continue;
    context.CountRow(*lines);
    RowCheck check(context, lines->line_number(), line);
    std::string user_id;
    if (!check.Id("user", tokens[0], &user_id)) continue;
    if (tokens.size() < 2) {
      check.Fail("", "no items after the user id");
      continue;
    }
    for (size_t token_idx = 1; token_idx < tokens.size(); ++token_idx) {
      std::string ignored;
      if (!check.Id("item " + std::to_string(token_idx), tokens[token_idx], &ignored)) break;
    }
    if (!check.ok()) continue;
    int64_t& position = positions[user_id];
    for (size_t token_idx = 1; token_idx < tokens.size(); ++token_idx) {
      const std::string_view item_id = tokens[token_idx];
      if (items_created.insert(item_id)) {
        Item item;
        item.id = std::string(item_id);
        if (const auto found = attributes.find(item.id); found != attributes.end()) {
          item.categories = found->second;
        }
        if (const auto found = asins.find(item.id); found != asins.end()) {
          item.attributes_json = Json{{"asin", found->second}}.dump();
        }
        context.AddItem(std::move(item));
      }
      Event event;
      event.user_id = user_id;
      event.item_id = std::string(item_id);
      event.type = "purchase";
      event.timestamp = ++position;
      events.push_back(std::move(event));
    }
  }
  RETURN_IF_ERROR(lines->status());
  context.ReportProgress(*lines);
  return OkStatus();
}

}  // namespace tailor
