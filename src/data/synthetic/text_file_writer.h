// TextFileWriter: a buffered, atomic text-file writer for the generator's large outputs.
//
// Writes go to `<path>.tmp` through a 1 MiB buffer; Finish() flushes, closes and renames the
// file into place, so a reader never sees a half-written file and a failed run leaves the old
// file untouched. Append* never fail individually: the first I/O error is remembered and
// returned by Finish() (naming the file and the OS reason). Also JSON and CSV quoting helpers.
// Not thread-safe; one per file. Destroying an unfinished writer removes the temp file.
#ifndef TAILOR_DATA_SYNTHETIC_TEXT_FILE_WRITER_H_
#define TAILOR_DATA_SYNTHETIC_TEXT_FILE_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tailor/status.h"

namespace tailor::synthetic {

class TextFileWriter {
 public:
  // Opens `<path>.tmp` for writing. Errors: kUnavailable naming the path and the OS reason.
  static StatusOr<std::unique_ptr<TextFileWriter>> Create(const std::string& path);
  ~TextFileWriter();
  TextFileWriter(const TextFileWriter&) = delete;
  TextFileWriter& operator=(const TextFileWriter&) = delete;

  void Append(std::string_view text) {
    if (buffer_.size() + text.size() > kFlushBytes) Flush();
    buffer_.append(text);
  }
  void Append(char c) {
    if (buffer_.size() + 1 > kFlushBytes) Flush();
    buffer_.push_back(c);
  }
  // Decimal integer.
  void AppendInt(int64_t value);
  // `prefix` followed by a decimal integer, e.g. ("u", 17) -> "u17".
  void AppendId(std::string_view prefix, int64_t number) {
    Append(prefix);
    AppendInt(number);
  }
  // A fixed-point number with two decimals from an integer count of hundredths (1999 -> 19.99).
  void AppendCents(int64_t cents);
  // A JSON string literal: quoted, with ", \ and control characters escaped (UTF-8 kept).
  void AppendJsonString(std::string_view text);
  // An RFC 4180 CSV field: quoted (with "" for ") when it holds , " CR or LF, else verbatim.
  void AppendCsvField(std::string_view text);

  // Bytes appended so far.
  int64_t bytes() const { return flushed_bytes_ + static_cast<int64_t>(buffer_.size()); }
  const std::string& path() const { return path_; }

  // Flushes, closes and renames the temp file to `path`. Errors: kUnavailable (disk full,
  // permission) naming the file. Call once.
  Status Finish();

 private:
  static constexpr size_t kFlushBytes = 1 << 20;
  TextFileWriter(std::string path, std::FILE* file);
  void Flush();

  std::string path_;
  std::string temp_path_;
  std::FILE* file_;
  std::string buffer_;
  int64_t flushed_bytes_ = 0;
  int write_errno_ = 0;
};

}  // namespace tailor::synthetic

#endif  // TAILOR_DATA_SYNTHETIC_TEXT_FILE_WRITER_H_
