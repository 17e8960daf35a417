#include "data/synthetic/text_file_writer.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

namespace tailor::synthetic {

StatusOr<std::unique_ptr<TextFileWriter>> TextFileWriter::Create(const std::string& path) {
  const std::string temp_path = path + ".tmp";
  std::FILE* file = std::fopen(temp_path.c_str(), "wb");
  if (file == nullptr) {
    return UnavailableError("cannot write '" + temp_path + "': " + std::strerror(errno));
  }
  return std::unique_ptr<TextFileWriter>(new TextFileWriter(path, file));
}

TextFileWriter::TextFileWriter(std::string path, std::FILE* file)
    : path_(std::move(path)), temp_path_(path_ + ".tmp"), file_(file) {
  buffer_.reserve(kFlushBytes);
}

TextFileWriter::~TextFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
}

void TextFileWriter::AppendInt(int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  Append(std::string_view(digits, result.ptr - digits));
}

void TextFileWriter::AppendCents(int64_t cents) {
  if (cents < 0) {
    Append('-');
    cents = -cents;
  }
  AppendInt(cents / 100);
  const char fraction[3] = {'.', static_cast<char>('0' + cents % 100 / 10),
                            static_cast<char>('0' + cents % 10)};
  Append(std::string_view(fraction, 3));
}

void TextFileWriter::AppendJsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  Append('"');
  size_t run_start = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c != '"' && c != '\\' && c >= 0x20) continue;
    Append(text.substr(run_start, pos - run_start));
    run_start = pos + 1;
    if (c == '"' || c == '\\') {
      const char escaped[2] = {'\\', static_cast<char>(c)};
      Append(std::string_view(escaped, 2));
    } else if (c == '\n') {
      Append("\\n");
    } else {
      const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      Append(std::string_view(escaped, 6));
    }
  }
  Append(text.substr(run_start));
  Append('"');
}

void TextFileWriter::AppendCsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    Append(text);
    return;
  }
  Append('"');
  size_t run_start = 0;
  for (size_t pos = text.find('"'); pos != std::string_view::npos; pos = text.find('"', pos + 1)) {
    Append(text.substr(run_start, pos + 1 - run_start));
    Append('"');
    run_start = pos + 1;
  }
  Append(text.substr(run_start));
  Append('"');
}

void TextFileWriter::Flush() {
  if (buffer_.empty()) return;
  if (write_errno_ == 0 &&
      std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    write_errno_ = errno != 0 ? errno : EIO;
  }
  flushed_bytes_ += static_cast<int64_t>(buffer_.size());
  buffer_.clear();
}

Status TextFileWriter::Finish() {
  Flush();
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0 && write_errno_ == 0) write_errno_ = errno != 0 ? errno : EIO;
  std::error_code error;
  if (write_errno_ != 0) {
    std::filesystem::remove(temp_path_, error);
    return UnavailableError("cannot write '" + temp_path_ + "': " + std::strerror(write_errno_));
  }
  std::filesystem::rename(temp_path_, path_, error);
  if (error) {
    return UnavailableError("cannot rename '" + temp_path_ + "' to '" + path_ +
                            "': " + error.message());
  }
  return OkStatus();
}

}  // namespace tailor::synthetic
