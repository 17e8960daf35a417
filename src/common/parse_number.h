// Numbers and booleans from text, without locale, exceptions or allocation (std::from_chars).
// The whole text must be the number; surrounding spaces are ignored; a leading '+' is allowed.
// Thread-safety: pure functions.
#ifndef TAILOR_COMMON_PARSE_NUMBER_H_
#define TAILOR_COMMON_PARSE_NUMBER_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace tailor {

// A finite double ("2.55", "-3", "1e3"); nullopt for anything else, including nan and inf.
std::optional<double> ParseDouble(std::string_view text);

// A decimal integer that fits int64_t; nullopt otherwise.
std::optional<int64_t> ParseInt64(std::string_view text);

// "true"/"false"/"1"/"0"/"yes"/"no" (case-insensitive); nullopt otherwise.
std::optional<bool> ParseBool(std::string_view text);

// `text` without leading and trailing spaces and tabs.
std::string_view TrimSpaces(std::string_view text);

}  // namespace tailor

#endif  // TAILOR_COMMON_PARSE_NUMBER_H_
