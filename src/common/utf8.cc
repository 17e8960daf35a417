#include "common/utf8.h"

#include <cstdint>
#include <cstring>

namespace tailor {

size_t FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const size_t size = text.size();
  size_t pos = 0;
  while (pos < size) {
    // Most product text is ASCII: skip 8 bytes at a time while no high bit is set.
    while (pos + 8 <= size) {
      uint64_t chunk;
      std::memcpy(&chunk, bytes + pos, 8);
      if (chunk & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= size) break;
    const uint8_t lead = bytes[pos];
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    size_t length;
    uint8_t min_second = 0x80;
    uint8_t max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) min_second = 0xA0;  // overlong
      if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) min_second = 0x90;  // overlong
      if (lead == 0xF4) max_second = 0x8F;  // above U+10FFFF
    } else {
      return pos;
    }
    if (pos + length > size) return pos;
    if (bytes[pos + 1] < min_second || bytes[pos + 1] > max_second) return pos;
    for (size_t cont = 2; cont < length; ++cont) {
      if ((bytes[pos + cont] & 0xC0) != 0x80) return pos;
    }
    pos += length;
  }
  return kValidUtf8;
}

std::string Latin1ToUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    const auto byte = static_cast<uint8_t>(ch);
    if (byte < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

}  // namespace tailor
