// Timestamps in tailor's files: unix seconds or ISO 8601, always converted to unix seconds UTC.
//
// Accepted forms (surrounding spaces are ignored):
//   1714557600                     unix seconds, 0 .. 253402300799 (year 9999)
//   2024-05-01                     midnight UTC
//   2024-05-01T10:00:00Z           also a space instead of 'T'; seconds optional; fractional
//   2024-05-01T10:00:00.250+02:00  seconds are truncated; offsets +HH:MM, +HHMM, +HH, Z
//   2024-05-01 10:00:00            no zone = UTC
// Calendar fields are checked (month 1-12, day within the month, leap years, hour < 24).
// Thread-safety: pure functions.
#ifndef TAILOR_COMMON_TIMESTAMP_H_
#define TAILOR_COMMON_TIMESTAMP_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace tailor {

// Unix seconds (UTC) of `text`, or nullopt when it is not one of the forms above.
std::optional<int64_t> ParseTimestamp(std::string_view text);

// Days from 1970-01-01 to the proleptic Gregorian date year-month-day (negative before).
// Does not validate; see IsValidDate.
int64_t DaysFromCivil(int64_t year, int month, int day);

// True when month is 1..12 and day exists in that month of that year.
bool IsValidDate(int64_t year, int month, int day);

}  // namespace tailor

#endif  // TAILOR_COMMON_TIMESTAMP_H_
