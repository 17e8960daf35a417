#include "data/importers/row_check.h"

#include "common/parse_number.h"
#include "common/timestamp.h"
#include "common/utf8.h"

namespace tailor {
namespace {

constexpr size_t kMaxQuotedBytes = 64;

std::string InvalidUtf8Reason(size_t offset) {
  return "invalid UTF-8 at byte " + std::to_string(offset + 1);
}

}  // namespace

std::string QuoteValue(std::string_view value) {
  if (!IsValidUtf8(value)) return "(invalid UTF-8)";
  if (value.size() <= kMaxQuotedBytes) return "'" + std::string(value) + "'";
  size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(value.substr(0, cut)) + "...'";
}

std::optional<std::string> CheckIdText(std::string_view id) {
  if (id.empty()) return "empty id";
  if (id.size() > kMaxIdBytes) {
    return "id is " + std::to_string(id.size()) + " bytes, longer than " +
           std::to_string(kMaxIdBytes);
  }
  const size_t bad = FindInvalidUtf8(id);
  if (bad != kValidUtf8) return InvalidUtf8Reason(bad);
  return std::nullopt;
}

bool RowCheck::Fail(std::string_view field, std::string reason) {
  if (ok_) {
    context_.Reject(line_, field, std::move(reason), raw_);
    ok_ = false;
  }
  return false;
}

bool RowCheck::Id(std::string_view field, std::string_view value, std::string* out) {
  if (!ok_) return false;
  if (std::optional<std::string> reason = CheckIdText(value)) return Fail(field, *reason);
  out->assign(value);
  return true;
}

bool RowCheck::Text(std::string_view field, std::string_view value, std::string* out) {
  if (!ok_) return false;
  const size_t bad = FindInvalidUtf8(value);
  if (bad != kValidUtf8) return Fail(field, InvalidUtf8Reason(bad));
  out->assign(value);
  return true;
}

bool RowCheck::OptionalNumber(std::string_view field, std::string_view value,
                              std::optional<double>* out) {
  if (!ok_) return false;
  if (TrimSpaces(value).empty()) {
    out->reset();
    return true;
  }
  const std::optional<double> number = ParseDouble(value);
  if (!number) return Fail(field, "not a number (" + QuoteValue(value) + ")");
  *out = *number;
  return true;
}

bool RowCheck::Number(std::string_view field, std::string_view value, double* out) {
  if (!ok_) return false;
  if (TrimSpaces(value).empty()) return Fail(field, "missing value (a number is required)");
  const std::optional<double> number = ParseDouble(value);
  if (!number) return Fail(field, "not a number (" + QuoteValue(value) + ")");
  *out = *number;
  return true;
}

bool RowCheck::Integer(std::string_view field, std::string_view value, int64_t* out) {
  if (!ok_) return false;
  if (TrimSpaces(value).empty()) return Fail(field, "missing value (an integer is required)");
  const std::optional<int64_t> number = ParseInt64(value);
  if (!number) return Fail(field, "not an integer (" + QuoteValue(value) + ")");
  *out = *number;
  return true;
}

bool RowCheck::Timestamp(std::string_view field, std::string_view value, int64_t* out) {
  if (!ok_) return false;
  if (TrimSpaces(value).empty()) {
    return Fail(field, "missing value (a date or unix time is required)");
  }
  const std::optional<int64_t> seconds = ParseTimestamp(value);
  if (!seconds) return Fail(field, "not a date or unix time (" + QuoteValue(value) + ")");
  *out = *seconds;
  return true;
}

bool RowCheck::KnownItem(std::string_view field, std::string_view item_id) {
  if (!ok_) return false;
  if (context_.ItemKnown(item_id)) return true;
  return Fail(field, "unknown item " + QuoteValue(item_id) +
                         " (import it in the catalog first, or in the same command)");
}

bool RowCheck::KnownEventType(std::string_view field, std::string_view type) {
  if (!ok_) return false;
  if (context_.EventTypeKnown(type)) return true;
  return Fail(field, "unknown event type " + QuoteValue(type) +
                         " (built-in: view, click, add_to_cart, remove_from_cart, purchase, "
                         "rating, review, return; register others in the config's event_types)");
}

}  // namespace tailor
