// The rows of tailor's own formats, shared by the CSV and the JSONL readers: both hand over
// each field as text (a CSV cell, or a JSON scalar written as text), and these functions apply
// the format's rules (docs/formats.md) and append the row to the batch.
// Internal to the importers.
#ifndef TAILOR_DATA_IMPORTERS_NATIVE_ROWS_H_
#define TAILOR_DATA_IMPORTERS_NATIVE_ROWS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "data/importers/import_context.h"
#include "data/importers/row_check.h"

namespace tailor {

// One events row; empty views are absent values.
struct EventFields {
  std::string_view user_id;
  std::string_view item_id;
  std::string_view type;
  std::string_view timestamp;
  std::string_view value;
  std::string_view text;
  std::string_view session_id;
  std::string_view event_id;
};

// Checks the row (ids, known item, known type, timestamp, value) and appends the event.
// Returns false when the row was rejected.
bool AddEventRow(const EventFields& fields, RowCheck& check, ImportContext& context);

// One items row; empty views are absent values.
struct ItemFields {
  std::string_view id;
  std::string_view title;
  std::string_view description;
  std::string_view categories;                              // a path joined with " > "
  const std::vector<std::string>* category_list = nullptr;  // instead of `categories` (JSONL)
  std::string_view brand;
  std::string_view price;
  std::string_view currency;
  std::string_view in_stock;
  std::string_view created_at;
  std::string_view attributes;                        // a JSON object as text
  const nlohmann::json* attributes_object = nullptr;  // instead of `attributes` (JSONL)
  std::string_view image_vector;                      // numbers as text (data/image_vector.h)
  const nlohmann::json* image_vector_array = nullptr; // instead of `image_vector` (JSONL)
  nlohmann::json extra = nlohmann::json::object();    // other columns/keys -> attributes
};

// Checks the row and appends the item. Returns false when the row was rejected.
bool AddItemRow(const ItemFields& fields, RowCheck& check, ImportContext& context);

// Checks the user id and attribute texts and appends the user. `attributes` is an object.
bool AddUserRow(std::string_view id, const nlohmann::json& attributes, RowCheck& check,
                ImportContext& context);

// The JSON value of a users.csv cell: canonical numbers ("31", "2.5", not "007") become
// numbers, "true"/"false" booleans, anything else a string.
nlohmann::json CellToJson(std::string_view cell);

// Names of the events and items columns, in the order docs/formats.md lists them.
const std::vector<std::string_view>& EventColumns();
const std::vector<std::string_view>& ItemColumns();

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_NATIVE_ROWS_H_
