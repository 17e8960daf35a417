#include "data/importers/import_context.h"

#include <filesystem>

namespace tailor {
namespace {

constexpr size_t kMaxRawBytes = 64 * 1024;

}  // namespace

ImportContext::ImportContext(const ImportOptions& options, ImportResult& result)
    : options_(options), result_(result) {
  for (const EventTypeSpec& spec : BuiltinEventTypes()) known_types_.push_back(spec.name);
}

StatusOr<std::unique_ptr<LineReader>> ImportContext::OpenFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  file_ = path;
  result_.files.push_back(path);
  return reader;
}

void ImportContext::Reject(int64_t line, std::string_view field, std::string reason,
                           std::string_view raw) {
  RejectedRow row;
  row.file = file_;
  row.line = line;
  row.field = std::string(field);
  row.reason = std::move(reason);
  row.raw = std::string(raw.substr(0, kMaxRawBytes));
  result_.rejected.push_back(std::move(row));
}

void ImportContext::AddItem(Item item) {
  known_items_.insert(item.id);
  result_.batch.items.push_back(std::move(item));
}

bool ImportContext::ItemKnown(std::string_view item_id) {
  if (known_items_.contains(item_id)) return true;
  if (!options_.item_exists || missing_items_.contains(item_id)) return false;
  if (options_.item_exists(item_id)) {
    known_items_.insert(item_id);
    return true;
  }
  missing_items_.insert(item_id);
  return false;
}

bool ImportContext::EventTypeKnown(std::string_view type) {
  for (const std::string& known : known_types_) {
    if (known == type) return true;
  }
  if (options_.event_type_exists && options_.event_type_exists(type)) {
    known_types_.emplace_back(type);
    return true;
  }
  return false;
}

void ImportContext::RegisterEventType(const EventTypeSpec& spec) {
  for (const EventTypeSpec& existing : result_.batch.event_types) {
    if (existing.name == spec.name) return;
  }
  result_.batch.event_types.push_back(spec);
  if (!EventTypeKnown(spec.name)) known_types_.push_back(spec.name);
}

void ImportContext::ReportProgress(const LineReader& reader) {
  if (!options_.progress) return;
  ProgressUpdate update;
  update.stage = "import " + std::filesystem::path(reader.path()).filename().string();
  update.done = reader.bytes_read();
  update.total = reader.file_size();
  update.detail = std::to_string(result_.rows_read) + " rows";
  options_.progress(update);
}

}  // namespace tailor
