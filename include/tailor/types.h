// The data model: what a shop sends tailor. Items, users and events are identified by the
// shop's own string ids; the store maps them to dense integer indexes (see store.h).
// Plain values, safe to copy between threads.
#ifndef TAILOR_TYPES_H_
#define TAILOR_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tailor {

// A product in the catalog.
struct Item {
  std::string id;                       // shop's id, non-empty, <= 256 bytes, valid UTF-8
  std::string title;
  std::string description;
  std::vector<std::string> categories;  // a path, most general first: {"Beauty", "Skin", "Masks"}
  std::string brand;
  std::optional<double> price;          // in `currency` units; unset when unknown; >= 0
  std::string currency;                 // ISO 4217 code, e.g. "EUR"; empty when unknown
  bool in_stock = true;
  std::string attributes_json = "{}";   // free attributes, a JSON object
  int64_t created_at = 0;               // unix seconds, UTC; 0 when unknown
  // A vector the shop computed from the item's picture (e.g. a CLIP or ResNet embedding of
  // the main photo); empty when none. Finite values, at most kMaxImageVectorDim of them; the
  // items that have one share its length (the store refuses a second length).
  std::vector<float> image_vector;
};

inline constexpr int kMaxImageVectorDim = 4096;

// A shopper. Attributes are free, but the fields declared in the user schema with
// `personal = true` (see UserField) are personal data: exported and erased on request.
struct User {
  std::string id;
  std::string attributes_json = "{}";   // JSON object, e.g. {"age":31,"region":"north"}
};

// One declared user attribute. The schema tells which fields are personal data.
struct UserField {
  std::string name;
  std::string type = "string";  // "string" | "number" | "bool"
  bool personal = false;        // personal data (GDPR): age, gender, region, email, ...
};

// One thing a user did with an item.
struct Event {
  std::string user_id;
  std::string item_id;
  std::string type;          // a registered event type name ("view", "purchase", ...)
  std::optional<double> value;  // rating 1-5, quantity, or dwell seconds, by type
  std::string text;          // review text
  int64_t timestamp = 0;     // unix seconds, UTC
  std::string session_id;    // optional
  std::string event_id;      // optional; events with the same id are stored once
};

// An event type and how much it says about a user's interest in an item.
struct EventTypeSpec {
  std::string name;
  float weight = 1.0f;   // contribution to the implicit interaction matrix
  bool negative = false; // the user rejected the item: never recommend it to them again
};

// The built-in types: view 1, click 2, add_to_cart 3, remove_from_cart 0, purchase 5,
// rating 1 (value carries the stars), review 1 (text carries the review), return 0 (negative).
std::vector<EventTypeSpec> BuiltinEventTypes();

// The default user schema: age, gender, region (personal data).
std::vector<UserField> DefaultUserFields();

// An event as the store keeps it: dense indexes instead of string ids.
struct StoredEvent {
  int64_t seq = 0;          // insertion order, unique
  int32_t user = -1;        // dense user index
  int32_t item = -1;        // dense item index
  int16_t type = 0;         // index into the store's event type table
  float value = 0.0f;       // 0 when the event had no value
  int64_t timestamp = 0;
};

}  // namespace tailor

#endif  // TAILOR_TYPES_H_
