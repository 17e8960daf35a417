// CsvReader: RFC 4180 records from a LineReader. Fields are split on a one-character
// delimiter; a field may be quoted ("a, b" and "say ""hi""") and a quoted field may span
// lines. Unquoted lines (the common case) are split in place without copying.
//
// Blank lines are skipped. A record whose quoting is malformed (text after a closing quote)
// is still returned, with malformed() saying why, so the caller can reject just that row.
// Errors: a quoted field still open at the end of the file stops Next() with kDataLoss naming
// the file and the line where the record starts (the file looks truncated); LineReader errors
// are passed through.
// Not thread-safe. Views returned by fields() and raw() are valid until the next Next().
#ifndef TAILOR_COMMON_CSV_READER_H_
#define TAILOR_COMMON_CSV_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/line_reader.h"
#include "tailor/status.h"

namespace tailor {

class CsvReader {
 public:
  // Borrows `lines`, which must outlive the reader.
  CsvReader(LineReader& lines, char delimiter = ',');

  // Reads the next non-blank record; false at the end of the file or on an error.
  bool Next();

  const std::vector<std::string_view>& fields() const { return fields_; }
  // Line where the current record starts (1-based).
  int64_t line() const { return line_; }
  // The record as written in the file (lines joined with '\n').
  std::string_view raw() const { return raw_; }
  // Empty, or why the record's quoting is malformed.
  std::string_view malformed() const { return malformed_; }
  // False when the record is the last one and the file does not end with '\n'.
  bool ended_with_newline() const { return lines_.ended_with_newline(); }
  const Status& status() const { return status_; }
  LineReader& lines() { return lines_; }
  const std::string& path() const { return lines_.path(); }

 private:
  // Splits a record containing quotes; may read more lines for multi-line fields.
  bool ParseQuoted(std::string_view first_line);

  LineReader& lines_;
  char delimiter_;
  std::vector<std::string_view> fields_;
  std::string_view raw_;
  std::string raw_buffer_;                        // raw text of a quoted record
  std::string field_buffer_;                      // unquoted field contents of a quoted record
  std::vector<std::pair<size_t, size_t>> spans_;  // (offset, length) into field_buffer_
  std::string_view malformed_;
  int64_t line_ = 0;
  Status status_;
};

}  // namespace tailor

#endif  // TAILOR_COMMON_CSV_READER_H_
