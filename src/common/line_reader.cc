#include "common/line_reader.h"

#include <lzma.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace tailor {
namespace {

constexpr size_t kBlockSize = 1 << 20;
constexpr size_t kXzInputSize = 1 << 16;
constexpr unsigned char kXzMagic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};

std::string LzmaErrorText(lzma_ret ret) {
  switch (ret) {
    case LZMA_MEM_ERROR:
      return "out of memory";
    case LZMA_FORMAT_ERROR:
      return "not in xz format";
    case LZMA_OPTIONS_ERROR:
      return "unsupported compression options";
    case LZMA_DATA_ERROR:
      return "compressed data is corrupt";
    case LZMA_BUF_ERROR:
      return "compressed data ends early (truncated file)";
    default:
      return "decoder error " + std::to_string(static_cast<int>(ret));
  }
}

}  // namespace

struct LineReader::XzDecoder {
  lzma_stream stream = LZMA_STREAM_INIT;
  std::string input = std::string(kXzInputSize, '\0');
  bool input_eof = false;
  bool finished = false;
  ~XzDecoder() { lzma_end(&stream); }
};

StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return NotFoundError(path + ": no such file");
  if (S_ISDIR(info.st_mode)) return NotFoundError(path + ": is a directory, not a file");
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return NotFoundError(path + ": cannot open: " + std::strerror(errno));
  }
  std::unique_ptr<LineReader> reader(new LineReader(path, file, info.st_size));
  unsigned char magic[sizeof(kXzMagic)] = {};
  const size_t got = std::fread(magic, 1, sizeof(magic), file);
  std::rewind(file);
  if (got == sizeof(magic) && std::memcmp(magic, kXzMagic, sizeof(magic)) == 0) {
    reader->decoder_ = std::make_unique<XzDecoder>();
    const lzma_ret ret =
        lzma_stream_decoder(&reader->decoder_->stream, UINT64_MAX, LZMA_CONCATENATED);
    if (ret != LZMA_OK)
      return DataLossError(path + ": cannot start xz decoder: " + LzmaErrorText(ret));
  }
  return reader;
}

LineReader::LineReader(std::string path, std::FILE* file, int64_t file_size)
    : path_(std::move(path)), file_(file), file_size_(file_size), buffer_(kBlockSize, '\0') {}

LineReader::~LineReader() { std::fclose(file_); }

size_t LineReader::Fill(char* out, size_t capacity) {
  if (decoder_) return FillXz(out, capacity);
  const size_t got = std::fread(out, 1, capacity, file_);
  bytes_read_ += static_cast<int64_t>(got);
  if (got == 0) {
    if (std::ferror(file_)) pending_error_ = std::string("read error: ") + std::strerror(errno);
    eof_ = true;
  }
  return got;
}

size_t LineReader::FillXz(char* out, size_t capacity) {
  XzDecoder& xz = *decoder_;
  if (xz.finished) {
    eof_ = true;
    return 0;
  }
  lzma_stream& stream = xz.stream;
  stream.next_out = reinterpret_cast<uint8_t*>(out);
  stream.avail_out = capacity;
  while (stream.avail_out > 0) {
    if (stream.avail_in == 0 && !xz.input_eof) {
      const size_t got = std::fread(xz.input.data(), 1, xz.input.size(), file_);
      bytes_read_ += static_cast<int64_t>(got);
      if (got == 0) {
        if (std::ferror(file_)) {
          pending_error_ = std::string("read error: ") + std::strerror(errno);
          xz.finished = true;
          break;
        }
        xz.input_eof = true;
      }
      stream.next_in = reinterpret_cast<const uint8_t*>(xz.input.data());
      stream.avail_in = got;
    }
    const lzma_ret ret = lzma_code(&stream, xz.input_eof ? LZMA_FINISH : LZMA_RUN);
    if (ret == LZMA_STREAM_END) {
      xz.finished = true;
      break;
    }
    if (ret != LZMA_OK) {
      // Lines decoded before the damage are still returned; the error names the line after.
      pending_error_ = "corrupt xz data: " + LzmaErrorText(ret);
      xz.finished = true;
      break;
    }
  }
  const size_t produced = capacity - stream.avail_out;
  if (produced == 0) eof_ = true;
  return produced;
}

bool LineReader::Next(std::string_view* line) {
  while (true) {
    const char* data = buffer_.data();
    const void* newline = std::memchr(data + begin_ + scanned_, '\n', end_ - begin_ - scanned_);
    if (newline != nullptr) {
      const size_t stop = static_cast<const char*>(newline) - data;
      size_t length = stop - begin_;
      if (length > 0 && data[stop - 1] == '\r') --length;
      *line = std::string_view(data + begin_, length);
      begin_ = stop + 1;
      scanned_ = 0;
      ended_with_newline_ = true;
      ++line_number_;
      return true;
    }
    scanned_ = end_ - begin_;
    if (eof_) {
      if (!pending_error_.empty()) {
        // The partial line before the damage is not returned: it is not what the file held.
        status_ =
            DataLossError(path_ + ":" + std::to_string(line_number_ + 1) + ": " + pending_error_);
        pending_error_.clear();
        begin_ = end_;
        return false;
      }
      if (begin_ == end_) return false;
      size_t length = end_ - begin_;
      if (data[end_ - 1] == '\r') --length;
      *line = std::string_view(data + begin_, length);
      begin_ = end_;
      scanned_ = 0;
      ended_with_newline_ = false;
      ++line_number_;
      return true;
    }
    if (begin_ > 0) {
      std::memmove(buffer_.data(), data + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    end_ += Fill(buffer_.data() + end_, buffer_.size() - end_);
    if (at_start_ && end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) {
      begin_ = 3;
    }
    if (at_start_ && (end_ >= 3 || eof_)) at_start_ = false;
  }
}

}  // namespace tailor
