// JsonlReader: one JSON object per line, for the JSONL importers. Lines that are not valid
// UTF-8, not JSON, or not an object are rejected in the ImportContext and skipped; blank lines
// are skipped. A last line cut mid-object (no final newline, or JSON that ends early on the
// final line) means the file is truncated: Next() stops with kDataLoss naming file:line.
// Internal to the importers. Not thread-safe; borrows the reader and the context.
#ifndef TAILOR_DATA_IMPORTERS_JSONL_READER_H_
#define TAILOR_DATA_IMPORTERS_JSONL_READER_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/line_reader.h"
#include "data/importers/import_context.h"

namespace tailor {

class JsonlReader {
 public:
  JsonlReader(LineReader& lines, ImportContext& context) : lines_(lines), context_(context) {}

  // Moves to the next JSON object; false at the end of the file or on an error (status()).
  bool Next();
  const nlohmann::json& object() const { return object_; }
  int64_t line() const { return line_; }
  std::string_view raw() const { return raw_; }
  const Status& status() const { return status_; }

 private:
  struct BadLine {
    int64_t line;
    std::string reason;
    std::string raw;
  };
  // Parses `text` into object_; on failure returns why, and whether the JSON syntax is bad
  // and whether it ends early (could be a cut line).
  std::optional<std::string> Parse(std::string_view text, bool* ended_early, bool* syntax_error);

  LineReader& lines_;
  ImportContext& context_;
  nlohmann::json object_;
  int64_t line_ = 0;
  std::string_view raw_;
  std::optional<BadLine> pending_;  // a line that ended early; truncation if it was the last
  Status status_;
};

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_JSONL_READER_H_
