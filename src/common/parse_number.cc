#include "common/parse_number.h"

#include <charconv>
#include <cmath>

namespace tailor {
namespace {

std::string_view PrepareNumber(std::string_view text) {
  text = TrimSpaces(text);
  // from_chars rejects '+', but spreadsheets write it; "+-1" must still fail.
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  return text;
}

bool EqualsIgnoreCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t char_idx = 0; char_idx < text.size(); ++char_idx) {
    char ch = text[char_idx];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch != lower[char_idx]) return false;
  }
  return true;
}

}  // namespace

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<double> ParseDouble(std::string_view text) {
  text = PrepareNumber(text);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> ParseInt64(std::string_view text) {
  text = PrepareNumber(text);
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> ParseBool(std::string_view text) {
  text = TrimSpaces(text);
  if (text == "1" || EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "yes")) return true;
  if (text == "0" || EqualsIgnoreCase(text, "false") || EqualsIgnoreCase(text, "no")) return false;
  return std::nullopt;
}

}  // namespace tailor
