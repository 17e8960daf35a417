// ImportContext: the state one ImportPath() call shares between the readers of its files: the
// result being built, which items and event types are known, the rejected rows, and progress.
// Internal to the importers. Not thread-safe; one per import.
#ifndef TAILOR_DATA_IMPORTERS_IMPORT_CONTEXT_H_
#define TAILOR_DATA_IMPORTERS_IMPORT_CONTEXT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/flat_string_set.h"
#include "common/line_reader.h"
#include "data/importers/importer.h"

namespace tailor {

class ImportContext {
 public:
  // Borrows both; they must outlive the context.
  ImportContext(const ImportOptions& options, ImportResult& result);

  WriteBatch& batch() { return result_.batch; }
  ImportResult& result() { return result_; }

  // Opens `path` (plain or .xz), adds it to result.files and makes it the file that rejections
  // name. Errors: kNotFound naming the path.
  StatusOr<std::unique_ptr<LineReader>> OpenFile(const std::string& path);
  const std::string& file() const { return file_; }
  // Makes `path` the file that rejections name (for rows kept until after reading).
  void set_file(std::string path) { file_ = std::move(path); }
  // Adds a file read another way (a JSON metadata file) to result.files.
  void NoteFile(const std::string& path) { result_.files.push_back(path); }

  // Records a rejected row of the current file. `raw` is copied (at most 64 KiB).
  void Reject(int64_t line, std::string_view field, std::string reason, std::string_view raw);

  // Appends an item to the batch; events of this import may then refer to it.
  void AddItem(Item item);
  // True when the item is in this import or, via ImportOptions::item_exists, in the store.
  bool ItemKnown(std::string_view item_id);
  // True for built-in types, types registered in this batch, and ImportOptions' types.
  bool EventTypeKnown(std::string_view type);
  // Adds `spec` to batch.event_types unless a type of that name is already there.
  void RegisterEventType(const EventTypeSpec& spec);

  // Counts one data row; reports progress from `reader` every so often.
  void CountRow(const LineReader& reader) {
    if ((++result_.rows_read & kProgressMask) == 0) ReportProgress(reader);
  }
  // Reports the file as fully read.
  void ReportProgress(const LineReader& reader);

 private:
  static constexpr int64_t kProgressMask = (1 << 16) - 1;

  const ImportOptions& options_;
  ImportResult& result_;
  std::string file_;
  FlatStringSet known_items_;    // in this import, or known to exist in the store
  FlatStringSet missing_items_;  // known not to exist (cached answers)
  // Few types exist, so a linear scan beats hashing on every row.
  std::vector<std::string> known_types_;
};

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_IMPORT_CONTEXT_H_
