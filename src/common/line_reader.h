// LineReader: reads a text file line by line, plain or xz-compressed (liblzma), in large
// blocks, without copying lines. Used by every importer.
//
// A file is treated as xz when it starts with the xz magic bytes (whatever its name).
// Lines end at '\n'; a trailing '\r' is dropped; a UTF-8 byte order mark at the start of the
// file is skipped. The last line may lack its '\n' (see ended_with_newline()).
// Errors: Open() returns kNotFound naming the path when the file cannot be opened; a corrupt
// or truncated xz stream stops Next() and status() is kDataLoss naming path and line.
// Not thread-safe; one reader per file.
#ifndef TAILOR_COMMON_LINE_READER_H_
#define TAILOR_COMMON_LINE_READER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "tailor/status.h"

namespace tailor {

class LineReader {
 public:
  // Opens `path`. Errors: kNotFound (missing or unreadable file, or a directory),
  // kDataLoss (xz header present but the decoder cannot start).
  static StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Sets *line to the next line (valid until the next call) and returns true; returns false
  // at the end of the file or on an error (check status()).
  bool Next(std::string_view* line);

  // OK, or the error that stopped Next().
  const Status& status() const { return status_; }
  // 1-based number of the line last returned by Next() (0 before the first).
  int64_t line_number() const { return line_number_; }
  // False when the line last returned was the final one and the file did not end with '\n'.
  bool ended_with_newline() const { return ended_with_newline_; }
  // Bytes consumed from the file so far (compressed bytes for xz) and its size, for progress.
  int64_t bytes_read() const { return bytes_read_; }
  int64_t file_size() const { return file_size_; }
  bool compressed() const { return decoder_ != nullptr; }
  const std::string& path() const { return path_; }

 private:
  struct XzDecoder;
  LineReader(std::string path, std::FILE* file, int64_t file_size);
  // Appends up to `capacity` decoded bytes at `out`; returns the count (0 = end or error).
  size_t Fill(char* out, size_t capacity);
  size_t FillXz(char* out, size_t capacity);

  std::string path_;
  std::FILE* file_;
  int64_t file_size_;
  int64_t bytes_read_ = 0;
  std::unique_ptr<XzDecoder> decoder_;
  std::string buffer_;
  size_t begin_ = 0;    // start of the next line in buffer_
  size_t end_ = 0;      // end of valid data in buffer_
  size_t scanned_ = 0;  // bytes after begin_ already known to hold no '\n'
  bool eof_ = false;
  bool at_start_ = true;
  bool ended_with_newline_ = true;
  int64_t line_number_ = 0;
  std::string pending_error_;  // set by Fill(); becomes status_ once buffered lines are used
  Status status_;
};

}  // namespace tailor

#endif  // TAILOR_COMMON_LINE_READER_H_
