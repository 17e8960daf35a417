// CsvHeader: the header row of a CSV file and the shape check of its data rows, shared by the
// CSV importers (tailor's own and the research CSVs). Internal to the importers.
#ifndef TAILOR_DATA_IMPORTERS_CSV_HEADER_H_
#define TAILOR_DATA_IMPORTERS_CSV_HEADER_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv_reader.h"
#include "data/importers/row_check.h"

namespace tailor {

class CsvHeader {
 public:
  // Reads the first record as column names (trimmed, lower-cased).
  // Errors: kInvalidArgument naming the file when it is empty, a name is empty, not UTF-8 or
  // repeated; reader errors are passed through.
  static StatusOr<CsvHeader> Read(CsvReader& csv);

  // Index of column `name` (lower-case), or -1 when the header does not have it.
  int Find(std::string_view name) const;
  // Errors: kInvalidArgument "<file>:<line>: missing required column 'x' (the header has: ...)".
  Status Require(std::initializer_list<std::string_view> names) const;
  // Errors: kInvalidArgument naming the first column not in `known`.
  Status RejectUnknown(const std::vector<std::string_view>& known) const;

  size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::string file_;
  int64_t line_ = 0;
  std::vector<std::string> names_;
};

// The cell at `column` of the current record, or "" when the column is absent (-1).
inline std::string_view Cell(const CsvReader& csv, int column) {
  return column < 0 ? std::string_view() : csv.fields()[static_cast<size_t>(column)];
}

// Checks that the current record is well quoted and has `columns` cells. A last record cut
// short without a final newline is a truncated file: kDataLoss naming file:line. Otherwise a
// bad record is rejected through `check` and false returned.
StatusOr<bool> CheckRecordShape(const CsvReader& csv, size_t columns, RowCheck& check);

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_CSV_HEADER_H_
