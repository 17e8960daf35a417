// tailor's own CSV formats: items.csv, users.csv, events.csv (docs/formats.md). Columns are
// found by name in any order; rows go through native_rows.h like the JSONL ones.
#include <algorithm>

#include "common/csv_reader.h"
#include "data/importers/csv_header.h"
#include "data/importers/format_importers.h"
#include "data/importers/native_rows.h"

namespace tailor {

Status ImportItemsCsv(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  CsvReader csv(*lines);
  ASSIGN_OR_RETURN(CsvHeader header, CsvHeader::Read(csv));
  RETURN_IF_ERROR(header.Require({"id"}));
  std::vector<int> columns;
  for (std::string_view name : ItemColumns()) columns.push_back(header.Find(name));
  std::vector<size_t> extra_columns;  // not in ItemColumns(): become attributes
  for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
    if (std::find(columns.begin(), columns.end(), static_cast<int>(column_idx)) == columns.end()) {
      extra_columns.push_back(column_idx);
    }
  }
  while (csv.Next()) {
    context.CountRow(*lines);
    RowCheck check(context, csv.line(), csv.raw());
    ASSIGN_OR_RETURN(bool shaped, CheckRecordShape(csv, header.size(), check));
    if (!shaped) continue;
    ItemFields fields;
    fields.id = Cell(csv, columns[0]);
    fields.title = Cell(csv, columns[1]);
    fields.description = Cell(csv, columns[2]);
    fields.categories = Cell(csv, columns[3]);
    fields.brand = Cell(csv, columns[4]);
    fields.price = Cell(csv, columns[5]);
    fields.currency = Cell(csv, columns[6]);
    fields.in_stock = Cell(csv, columns[7]);
    fields.created_at = Cell(csv, columns[8]);
    fields.attributes = Cell(csv, columns[9]);
    fields.image_vector = Cell(csv, columns[10]);
    for (size_t column_idx : extra_columns) {
      const std::string_view cell = csv.fields()[column_idx];
      if (!cell.empty()) fields.extra[header.names()[column_idx]] = std::string(cell);
    }
    AddItemRow(fields, check, context);
  }
  RETURN_IF_ERROR(csv.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

Status ImportUsersCsv(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  CsvReader csv(*lines);
  ASSIGN_OR_RETURN(CsvHeader header, CsvHeader::Read(csv));
  RETURN_IF_ERROR(header.Require({"id"}));
  const int id_column = header.Find("id");
  while (csv.Next()) {
    context.CountRow(*lines);
    RowCheck check(context, csv.line(), csv.raw());
    ASSIGN_OR_RETURN(bool shaped, CheckRecordShape(csv, header.size(), check));
    if (!shaped) continue;
    nlohmann::json attributes = nlohmann::json::object();
    for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
      const std::string_view cell = csv.fields()[column_idx];
      if (static_cast<int>(column_idx) == id_column || cell.empty()) continue;
      attributes[header.names()[column_idx]] = CellToJson(cell);
    }
    AddUserRow(Cell(csv, id_column), attributes, check, context);
  }
  RETURN_IF_ERROR(csv.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

Status ImportEventsCsv(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  CsvReader csv(*lines);
  ASSIGN_OR_RETURN(CsvHeader header, CsvHeader::Read(csv));
  RETURN_IF_ERROR(header.Require({"user_id", "item_id", "type", "timestamp"}));
  RETURN_IF_ERROR(header.RejectUnknown(EventColumns()));
  std::vector<int> columns;
  for (std::string_view name : EventColumns()) columns.push_back(header.Find(name));
  std::vector<Event>& events = context.batch().events;
  // Rows are rarely under 30 bytes, so this avoids regrowth (a full copy) on plain files; the
  // unused part of the reservation is never touched, so it costs address space, not memory.
  events.reserve(events.size() + static_cast<size_t>(lines->file_size() / 30));
  while (csv.Next()) {
    context.CountRow(*lines);
    RowCheck check(context, csv.line(), csv.raw());
    ASSIGN_OR_RETURN(bool shaped, CheckRecordShape(csv, header.size(), check));
    if (!shaped) continue;
    EventFields fields;
    fields.user_id = Cell(csv, columns[0]);
    fields.item_id = Cell(csv, columns[1]);
    fields.type = Cell(csv, columns[2]);
    fields.timestamp = Cell(csv, columns[3]);
    fields.value = Cell(csv, columns[4]);
    fields.text = Cell(csv, columns[5]);
    fields.session_id = Cell(csv, columns[6]);
    fields.event_id = Cell(csv, columns[7]);
    AddEventRow(fields, check, context);
  }
  RETURN_IF_ERROR(csv.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

}  // namespace tailor
