// RowCheck: the validation rules every importer applies to a row, in one place: ids
// (non-empty, <= 256 bytes, valid UTF-8), text (valid UTF-8), numbers (finite), timestamps
// (common/timestamp.h forms), known items and known event types.
//
// A RowCheck is made per row. The first check that fails rejects the row in the ImportContext
// with its field and reason ("field 'timestamp': not a date or unix time ('2024-13-45')");
// every check returns false from then on, so importers chain them with &&.
// Not thread-safe; borrows the context and the raw text for the row's lifetime.
#ifndef TAILOR_DATA_IMPORTERS_ROW_CHECK_H_
#define TAILOR_DATA_IMPORTERS_ROW_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "data/importers/import_context.h"

namespace tailor {

inline constexpr size_t kMaxIdBytes = 256;

// `value` for an error message: quoted, cut to 64 bytes, or "(invalid UTF-8)".
std::string QuoteValue(std::string_view value);

// Why `id` is not a valid id, or nullopt when it is.
std::optional<std::string> CheckIdText(std::string_view id);

class RowCheck {
 public:
  RowCheck(ImportContext& context, int64_t line, std::string_view raw)
      : context_(context), line_(line), raw_(raw) {}

  bool ok() const { return ok_; }
  int64_t line() const { return line_; }

  // Rejects the row (unless it already is) and returns false. An empty field means the row
  // as a whole is bad.
  bool Fail(std::string_view field, std::string reason);

  // An id (user, item, session, event). Copies it to *out.
  bool Id(std::string_view field, std::string_view value, std::string* out);
  // Free text, possibly empty. Copies it to *out.
  bool Text(std::string_view field, std::string_view value, std::string* out);
  // A finite number; empty text leaves *out unset.
  bool OptionalNumber(std::string_view field, std::string_view value, std::optional<double>* out);
  // A finite number, required.
  bool Number(std::string_view field, std::string_view value, double* out);
  // An integer, required.
  bool Integer(std::string_view field, std::string_view value, int64_t* out);
  // A timestamp (unix seconds or ISO 8601), required.
  bool Timestamp(std::string_view field, std::string_view value, int64_t* out);
  // The item is in this import or in the store.
  bool KnownItem(std::string_view field, std::string_view item_id);
  // The event type is built in or registered.
  bool KnownEventType(std::string_view field, std::string_view type);

 private:
  ImportContext& context_;
  int64_t line_;
  std::string_view raw_;
  bool ok_ = true;
};

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_ROW_CHECK_H_
