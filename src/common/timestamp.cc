#include "common/timestamp.h"

namespace tailor {
namespace {

constexpr int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }

// Reads exactly `count` digits at `pos`, advancing it; false when they are not all digits.
bool ReadDigits(std::string_view text, size_t& pos, int count, int64_t* out) {
  if (pos + count > text.size()) return false;
  int64_t value = 0;
  for (int digit_idx = 0; digit_idx < count; ++digit_idx) {
    const char ch = text[pos + digit_idx];
    if (!IsDigit(ch)) return false;
    value = value * 10 + (ch - '0');
  }
  pos += count;
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char ch) {
  if (pos >= text.size() || text[pos] != ch) return false;
  ++pos;
  return true;
}

std::optional<int64_t> ParseUnixSeconds(std::string_view text) {
  if (text.size() > 12) return std::nullopt;
  int64_t value = 0;
  for (char ch : text) {
    if (!IsDigit(ch)) return std::nullopt;
    value = value * 10 + (ch - '0');
  }
  if (value > kMaxUnixSeconds) return std::nullopt;
  return value;
}

// The zone suffix after the time: "", "Z", "+HH", "+HHMM", "+HH:MM" (or '-'); seconds east.
std::optional<int64_t> ParseZone(std::string_view text, size_t pos) {
  if (pos == text.size()) return 0;
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) return 0;
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  const int64_t sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  int64_t hours = 0;
  int64_t minutes = 0;
  if (!ReadDigits(text, pos, 2, &hours)) return std::nullopt;
  if (pos < text.size()) {
    if (text[pos] == ':') ++pos;
    if (!ReadDigits(text, pos, 2, &minutes)) return std::nullopt;
  }
  if (pos != text.size() || hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

std::optional<int64_t> ParseIso(std::string_view text) {
  size_t pos = 0;
  int64_t year = 0;
  int64_t month = 0;
  int64_t day = 0;
  if (!ReadDigits(text, pos, 4, &year) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, &month) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, &day)) {
    return std::nullopt;
  }
  if (!IsValidDate(year, static_cast<int>(month), static_cast<int>(day))) return std::nullopt;
  int64_t seconds_of_day = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    int64_t hour = 0;
    int64_t minute = 0;
    int64_t second = 0;
    if (!ReadDigits(text, pos, 2, &hour) || !Expect(text, pos, ':') ||
        !ReadDigits(text, pos, 2, &minute)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadDigits(text, pos, 2, &second)) return std::nullopt;
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        const size_t frac_start = pos;
        while (pos < text.size() && IsDigit(text[pos])) ++pos;
        if (pos == frac_start) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    seconds_of_day = hour * 3600 + minute * 60 + second;
  }
  const std::optional<int64_t> zone = ParseZone(text, pos);
  if (!zone) return std::nullopt;
  const int64_t result =
      DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day)) * 86400 + seconds_of_day -
      *zone;
  if (result < 0 || result > kMaxUnixSeconds) return std::nullopt;
  return result;
}

}  // namespace

int64_t DaysFromCivil(int64_t year, int month, int day) {
  // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool IsValidDate(int64_t year, int month, int day) {
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.size() >= 10 && text[4] == '-') return ParseIso(text);
  return ParseUnixSeconds(text);
}

}  // namespace tailor
