// UTF-8 validation and latin-1 conversion for text read from files.
//
// Validation is strict (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), nothing
// above U+10FFFF. Pure ASCII runs take a fast path of 8 bytes at a time.
// Thread-safety: pure functions.
#ifndef TAILOR_COMMON_UTF8_H_
#define TAILOR_COMMON_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace tailor {

inline constexpr size_t kValidUtf8 = std::string_view::npos;

// Byte offset of the first byte of the first invalid or incomplete sequence in `text`, or
// kValidUtf8 when the whole text is valid UTF-8.
size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) { return FindInvalidUtf8(text) == kValidUtf8; }

// Converts ISO-8859-1 (latin-1) text, where every byte is one code point, to UTF-8.
std::string Latin1ToUtf8(std::string_view text);

}  // namespace tailor

#endif  // TAILOR_COMMON_UTF8_H_
