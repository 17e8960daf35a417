// JSON objects -> Item / User / Event, in tailor's native JSONL row format (see the README:
// items.jsonl, users.jsonl, events.jsonl), for the server's POST bodies.
//
// Every error is kInvalidArgument and starts with `where` (e.g. "events[3]"), then names the
// field and the reason: "events[3]: field 'timestamp': not a date or unix time ('2024-13-01')".
// Ids: non-empty, at most 256 bytes (strings, or integers written in decimal); text is valid
// UTF-8 (the JSON parser checks it).
// TODO(lead): src/data/importers applies the same rules to file rows through ImportContext;
// when it exposes a per-row JSON parser, these functions should call it instead.
#ifndef TAILOR_SERVE_JSON_ROWS_H_
#define TAILOR_SERVE_JSON_ROWS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "tailor/status.h"
#include "tailor/types.h"

namespace tailor {

// Unix seconds from a JSON number (seconds; a fraction is dropped) or a string in one of the
// forms of common/timestamp.h. Errors: kInvalidArgument ("not a date or unix time (...)").
StatusOr<int64_t> TimestampFromJson(const nlohmann::json& value);

// Keys: id (required), title, description, categories (array of strings or "A > B > C"),
// brand, price (number >= 0 or null), currency, in_stock (bool, 0/1, "true"/"false"),
// created_at (timestamp), attributes (object). Unknown keys are errors. Missing fields take
// the Item defaults (an upsert replaces the whole item).
StatusOr<Item> ItemFromJson(const nlohmann::json& row, std::string_view where);

// The item in the same keys (what GET /items/{id} answers; ItemFromJson reads it back).
nlohmann::json ItemToJson(const Item& item);

// Keys: id (required), attributes (object); every other key also becomes an attribute.
StatusOr<User> UserFromJson(const nlohmann::json& row, std::string_view where);

// Keys: user_id, item_id, type (required), timestamp (default `now`), value (number or null),
// text, session_id, event_id. Ids may be strings or integers. Unknown keys are errors. The
// type and item are not checked against the store here.
StatusOr<Event> EventFromJson(const nlohmann::json& row, std::string_view where, int64_t now);

}  // namespace tailor

#endif  // TAILOR_SERVE_JSON_ROWS_H_
