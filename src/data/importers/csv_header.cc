#include "data/importers/csv_header.h"

#include <algorithm>

#include "common/parse_number.h"
#include "common/utf8.h"

namespace tailor {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

}  // namespace

StatusOr<CsvHeader> CsvHeader::Read(CsvReader& csv) {
  CsvHeader header;
  header.file_ = csv.path();
  if (!csv.Next()) {
    RETURN_IF_ERROR(csv.status());
    return InvalidArgumentError(header.file_ + ": empty file (expected a header row)");
  }
  header.line_ = csv.line();
  const std::string where = header.file_ + ":" + std::to_string(header.line_) + ": header: ";
  if (!csv.malformed().empty()) return InvalidArgumentError(where + std::string(csv.malformed()));
  for (std::string_view cell : csv.fields()) {
    const std::string_view trimmed = TrimSpaces(cell);
    if (!IsValidUtf8(trimmed)) return InvalidArgumentError(where + "a column name is not UTF-8");
    std::string name(trimmed);
    std::transform(name.begin(), name.end(), name.begin(), [](char ch) {
      return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    if (name.empty()) {
      return InvalidArgumentError(where + "column " + std::to_string(header.names_.size() + 1) +
                                  " has no name");
    }
    if (header.Find(name) >= 0) {
      return InvalidArgumentError(where + "column '" + name + "' appears twice");
    }
    header.names_.push_back(std::move(name));
  }
  return header;
}

int CsvHeader::Find(std::string_view name) const {
  for (size_t column_idx = 0; column_idx < names_.size(); ++column_idx) {
    if (names_[column_idx] == name) return static_cast<int>(column_idx);
  }
  return -1;
}

Status CsvHeader::Require(std::initializer_list<std::string_view> names) const {
  for (std::string_view name : names) {
    if (Find(name) < 0) {
      return InvalidArgumentError(file_ + ":" + std::to_string(line_) +
                                  ": missing required column '" + std::string(name) +
                                  "' (the header has: " + JoinNames(names_) + ")");
    }
  }
  return OkStatus();
}

Status CsvHeader::RejectUnknown(const std::vector<std::string_view>& known) const {
  for (const std::string& name : names_) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string expected;
      for (std::string_view known_name : known) {
        if (!expected.empty()) expected += ", ";
        expected += known_name;
      }
      return InvalidArgumentError(file_ + ":" + std::to_string(line_) + ": unknown column '" +
                                  name + "' (expected some of: " + expected + ")");
    }
  }
  return OkStatus();
}

StatusOr<bool> CheckRecordShape(const CsvReader& csv, size_t columns, RowCheck& check) {
  const size_t cells = csv.fields().size();
  if (cells < columns && !csv.ended_with_newline()) {
    return DataLossError(csv.path() + ":" + std::to_string(csv.line()) +
                         ": the last row ends after " + std::to_string(cells) + " of " +
                         std::to_string(columns) +
                         " columns with no newline (the file looks truncated)");
  }
  if (!csv.malformed().empty()) return check.Fail("", std::string(csv.malformed()));
  if (cells != columns) {
    return check.Fail(
        "", "expected " + std::to_string(columns) + " columns, found " + std::to_string(cells));
  }
  return true;
}

}  // namespace tailor
