#include "common/csv_reader.h"

#include <cstring>

namespace tailor {

CsvReader::CsvReader(LineReader& lines, char delimiter) : lines_(lines), delimiter_(delimiter) {
  fields_.reserve(16);
}

bool CsvReader::Next() {
  std::string_view line;
  do {
    if (!lines_.Next(&line)) {
      status_ = lines_.status();
      return false;
    }
  } while (line.empty());
  line_ = lines_.line_number();
  malformed_ = {};
  fields_.clear();
  if (std::memchr(line.data(), '"', line.size()) != nullptr) return ParseQuoted(line);
  raw_ = line;
  size_t start = 0;
  while (true) {
    const void* found = std::memchr(line.data() + start, delimiter_, line.size() - start);
    if (found == nullptr) {
      fields_.push_back(line.substr(start));
      return true;
    }
    const size_t stop = static_cast<const char*>(found) - line.data();
    fields_.push_back(line.substr(start, stop - start));
    start = stop + 1;
  }
}

bool CsvReader::ParseQuoted(std::string_view first_line) {
  raw_buffer_.assign(first_line);
  field_buffer_.clear();
  spans_.clear();
  size_t pos = 0;
  size_t field_start = 0;
  bool in_quotes = false;
  bool after_quotes = false;  // the current field's closing quote has been seen
  while (true) {
    if (pos == raw_buffer_.size()) {
      if (!in_quotes) break;
      // A quoted field continues on the next line.
      std::string_view next;
      if (!lines_.Next(&next)) {
        status_ = lines_.status();
        if (status_.ok()) {
          status_ = DataLossError(lines_.path() + ":" + std::to_string(line_) +
                                  ": unterminated quoted field at end of file (the file looks "
                                  "truncated)");
        }
        return false;
      }
      raw_buffer_.push_back('\n');
      raw_buffer_.append(next);
      continue;
    }
    const char ch = raw_buffer_[pos++];
    if (in_quotes) {
      if (ch != '"') {
        field_buffer_.push_back(ch);
      } else if (pos < raw_buffer_.size() && raw_buffer_[pos] == '"') {
        field_buffer_.push_back('"');
        ++pos;
      } else {
        in_quotes = false;
        after_quotes = true;
      }
    } else if (ch == delimiter_) {
      spans_.emplace_back(field_start, field_buffer_.size() - field_start);
      field_start = field_buffer_.size();
      after_quotes = false;
    } else if (ch == '"' && field_buffer_.size() == field_start && !after_quotes) {
      in_quotes = true;
    } else {
      if (malformed_.empty() && after_quotes) {
        malformed_ = "text after a closing quote (quote the whole field)";
      } else if (malformed_.empty() && ch == '"') {
        malformed_ =
            "a quote inside an unquoted field (quote the field and double the inner "
            "quote)";
      }
      field_buffer_.push_back(ch);
    }
  }
  spans_.emplace_back(field_start, field_buffer_.size() - field_start);
  raw_ = raw_buffer_;
  for (const auto& [offset, length] : spans_) {
    fields_.push_back(std::string_view(field_buffer_).substr(offset, length));
  }
  return true;
}

}  // namespace tailor
