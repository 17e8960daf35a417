// UniSRec datasets (Hou et al., KDD 2022; the Amazon 2018 "Scientific", "Office", ... files
// also used by VQ-Rec, Recformer, CoWPiRec):
//   <Name>.train.inter / .valid.inter / .test.inter
//       "user<TAB>history<TAB>target" with integer indexes; train has one row per prefix of
//       the user's sequence (every target but the last two), valid's target is the
//       second-to-last item, test's the last. Histories keep only the last 50 items.
//   <Name>.item2index, <Name>.user2index   "ASIN<TAB>index" / "reviewerID<TAB>index"
//   <Name>.text                            "ASIN<TAB>title. categories. brand."
// Mapping: the full sequence of each user is stitched back together (first item, then each
// train target in order, the valid target, the test target); each entry is a "purchase"
// event whose timestamp is its 1-based position. Items come from .item2index (id = ASIN) with
// title, categories and brand parsed from .text and the full text as description; users are
// the reviewer ids of .user2index (the index as text when that file is absent).
//
// Training rows are put in order by matching histories, not by file order: row k's history is
// the last min(k, 50) items before it, so each next row is the one whose history is the
// current tail of the sequence.
#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "common/parse_number.h"
#include "data/importers/dataset_files.h"
#include "data/importers/format_importers.h"
#include "data/importers/row_check.h"
#include "data/importers/unisrec_text.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

struct InterRow {
  std::vector<int64_t> history;
  int64_t target = 0;
  int64_t line = 0;
  std::string raw;
  std::string file;
};

struct UserRows {
  std::vector<InterRow> train;
  std::vector<InterRow> valid;
  std::vector<InterRow> test;
};

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "<dir>/<Name>" from a directory or from the path of any of the dataset's files.
StatusOr<std::string> DatasetPrefix(const std::string& path) {
  if (fs::is_directory(path)) return FindUniSRecPrefix(path);
  for (std::string_view suffix :
       {".train.inter", ".valid.inter", ".test.inter", ".item2index", ".user2index", ".text"}) {
    if (EndsWith(path, suffix)) return path.substr(0, path.size() - suffix.size());
  }
  return InvalidArgumentError(path + ": not a UniSRec file (<Name>.train.inter, ...)");
}

// Reads "token<TAB>index" lines into index -> token.
Status ReadIndex(const std::string& path, ImportContext& context,
                 std::vector<std::string>* tokens) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    context.CountRow(*lines);
    RowCheck check(context, lines->line_number(), line);
    const size_t tab = line.find('\t');
    std::string id;
    int64_t index = 0;
    if (tab == std::string_view::npos) {
      check.Fail("", "expected 'id<TAB>index'");
      continue;
    }
    if (!check.Id("id", line.substr(0, tab), &id) ||
        !check.Integer("index", line.substr(tab + 1), &index)) {
      continue;
    }
    if (index < 0 || index > 100'000'000) {
      check.Fail("index", "out of range (" + std::to_string(index) + ")");
      continue;
    }
    if (static_cast<size_t>(index) >= tokens->size()) tokens->resize(index + 1);
    (*tokens)[index] = std::move(id);
  }
  RETURN_IF_ERROR(lines->status());
  return OkStatus();
}

// Reads one .inter file into rows per user index. `part` is 0 train, 1 valid, 2 test.
Status ReadInter(const std::string& path, int part, ImportContext& context,
                 std::map<int64_t, UserRows>* users) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    if (lines->line_number() == 1 && line.rfind("user_id", 0) == 0) continue;  // header
    context.CountRow(*lines);
    RowCheck check(context, lines->line_number(), line);
    const size_t first_tab = line.find('\t');
    const size_t second_tab =
        first_tab == std::string_view::npos ? first_tab : line.find('\t', first_tab + 1);
    if (second_tab == std::string_view::npos) {
      check.Fail("", "expected 'user<TAB>history<TAB>target'");
      continue;
    }
    int64_t user = 0;
    InterRow row;
    if (!check.Integer("user_id", line.substr(0, first_tab), &user) ||
        !check.Integer("item_id", line.substr(second_tab + 1), &row.target)) {
      continue;
    }
    std::string_view history = line.substr(first_tab + 1, second_tab - first_tab - 1);
    while (check.ok() && !history.empty()) {
      const size_t space = history.find(' ');
      const std::string_view token = history.substr(0, space);
      int64_t item = 0;
      if (!token.empty() && check.Integer("item_id_list", token, &item))
        row.history.push_back(item);
      history = space == std::string_view::npos ? std::string_view() : history.substr(space + 1);
    }
    if (!check.ok()) continue;
    row.line = lines->line_number();
    row.raw = std::string(line);
    row.file = path;
    UserRows& rows = (*users)[user];
    (part == 0 ? rows.train : part == 1 ? rows.valid : rows.test).push_back(std::move(row));
  }
  RETURN_IF_ERROR(lines->status());
  return OkStatus();
}

std::string HistoryKey(const int64_t* begin, const int64_t* end) {
  return std::string(reinterpret_cast<const char*>(begin), reinterpret_cast<const char*>(end));
}

// The user's full sequence, or why it cannot be rebuilt.
StatusOr<std::vector<int64_t>> StitchSequence(const UserRows& rows, size_t max_history) {
  std::vector<int64_t> sequence;
  const InterRow* first = nullptr;
  for (const InterRow& row : rows.train) {
    if (first == nullptr || row.history.size() < first->history.size()) first = &row;
  }
  if (first == nullptr) {
    const InterRow& start = rows.valid.empty() ? rows.test.front() : rows.valid.front();
    sequence = start.history;
  } else {
    sequence = first->history;
    std::unordered_multimap<std::string, size_t> by_history;
    for (size_t row_idx = 0; row_idx < rows.train.size(); ++row_idx) {
      const auto& history = rows.train[row_idx].history;
      by_history.emplace(HistoryKey(history.data(), history.data() + history.size()), row_idx);
    }
    for (size_t placed = 0; placed < rows.train.size(); ++placed) {
      const size_t tail = std::min(sequence.size(), max_history);
      const auto found = by_history.find(
          HistoryKey(sequence.data() + sequence.size() - tail, sequence.data() + sequence.size()));
      if (found == by_history.end()) {
        return InvalidArgumentError(
            "training rows do not form one sequence (no row continues "
            "after " +
            std::to_string(sequence.size()) + " items)");
      }
      sequence.push_back(rows.train[found->second].target);
      by_history.erase(found);
    }
  }
  for (const std::vector<InterRow>* part : {&rows.valid, &rows.test}) {
    if (part->empty()) continue;
    const InterRow& row = part->front();
    const size_t tail = std::min(sequence.size(), max_history);
    if (row.history.size() != tail ||
        !std::equal(row.history.begin(), row.history.end(), sequence.end() - tail)) {
      return InvalidArgumentError("the " + std::string(part == &rows.valid ? "valid" : "test") +
                                  " history does not continue the training sequence");
    }
    sequence.push_back(row.target);
  }
  return sequence;
}

}  // namespace

Status ImportUniSRec(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(const std::string prefix, DatasetPrefix(path));
  std::vector<std::string> item_ids;
  std::vector<std::string> user_ids;
  if (fs::is_regular_file(prefix + ".item2index")) {
    RETURN_IF_ERROR(ReadIndex(prefix + ".item2index", context, &item_ids));
  }
  if (fs::is_regular_file(prefix + ".user2index")) {
    RETURN_IF_ERROR(ReadIndex(prefix + ".user2index", context, &user_ids));
  }
  std::unordered_map<std::string, ParsedItemText> texts;
  if (fs::is_regular_file(prefix + ".text")) {
    RETURN_IF_ERROR(ReadItemTexts(prefix + ".text", context, &texts));
  }

  std::map<int64_t, UserRows> users;
  const char* const kParts[] = {".train.inter", ".valid.inter", ".test.inter"};
  for (int part = 0; part < 3; ++part) {
    const std::string inter_path = prefix + kParts[part];
    if (part > 0 && !fs::is_regular_file(inter_path)) continue;
    RETURN_IF_ERROR(ReadInter(inter_path, part, context, &users));
  }
  size_t max_history = 0;
  for (const auto& [user, rows] : users) {
    for (const auto* part : {&rows.train, &rows.valid, &rows.test}) {
      for (const InterRow& row : *part) max_history = std::max(max_history, row.history.size());
    }
  }

  // Items: every indexed item (so items without interactions keep their text).
  auto item_id_of = [&item_ids](int64_t index) {
    return index >= 0 && static_cast<size_t>(index) < item_ids.size() && !item_ids[index].empty()
               ? item_ids[index]
               : std::to_string(index);
  };
  if (!item_ids.empty()) {
    for (const std::string& asin : item_ids) {
      if (asin.empty()) continue;
      Item item;
      item.id = asin;
      if (const auto text = texts.find(asin); text != texts.end())
        ApplyItemText(text->second, &item);
      context.AddItem(std::move(item));
    }
  } else if (!texts.empty()) {
    for (auto& [asin, text] : texts) {
      Item item;
      item.id = asin;
      ApplyItemText(text, &item);
      context.AddItem(std::move(item));
    }
  } else {
    context.batch().create_missing_items = true;
  }

  std::vector<Event>& events = context.batch().events;
  size_t expected_events = 0;  // every train, valid and test row adds one item, the first row two
  for (const auto& [user, rows] : users) {
    expected_events += rows.train.size() + rows.valid.size() + rows.test.size() + 1;
  }
  events.reserve(events.size() + expected_events);
  for (const auto& [user, rows] : users) {
    const InterRow* anchor = !rows.test.empty()    ? &rows.test.front()
                             : !rows.valid.empty() ? &rows.valid.front()
                                                   : &rows.train.front();
    StatusOr<std::vector<int64_t>> sequence = StitchSequence(rows, max_history);
    const std::string user_id =
        user >= 0 && static_cast<size_t>(user) < user_ids.size() && !user_ids[user].empty()
            ? user_ids[user]
            : std::to_string(user);
    context.set_file(anchor->file);
    RowCheck check(context, anchor->line, anchor->raw);
    if (!sequence.ok()) {
      check.Fail("", "user " + user_id + ": " + sequence.status().message());
      continue;
    }
    std::vector<std::string> sequence_ids;
    sequence_ids.reserve(sequence->size());
    for (int64_t item : *sequence) {
      sequence_ids.push_back(item_id_of(item));
      if (!context.batch().create_missing_items &&
          !check.KnownItem("item_id", sequence_ids.back())) {
        break;
      }
    }
    if (!check.ok()) continue;
    int64_t position = 0;
    for (std::string& item_id : sequence_ids) {
      Event event;
      event.user_id = user_id;
      event.item_id = std::move(item_id);
      event.type = "purchase";
      event.timestamp = ++position;
      events.push_back(std::move(event));
    }
  }
  return OkStatus();
}

}  // namespace tailor
