// Importers: turn files into a WriteBatch for the store, validating every row.
//
// tailor's own formats (items/users/events as CSV or JSONL) and the research datasets
// (S3-Rec, UniSRec, MovieLens, UCI Online Retail, Amazon reviews, DIGINETICA) are described in
// docs/formats.md. An importer never touches the store: it reads, validates and returns what to
// write plus the rows it rejected, each with file, line, field and reason.
//
// Row errors (a bad number, an unknown item, invalid UTF-8, ...) reject that row and the import
// goes on; with ImportOptions::strict any rejected row fails the whole import instead. File
// errors (missing file, missing required column, truncated or corrupt file) always fail it.
// Thread-safety: the functions are reentrant; the option callbacks are called from the calling
// thread only.
#ifndef TAILOR_DATA_IMPORTERS_IMPORTER_H_
#define TAILOR_DATA_IMPORTERS_IMPORTER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/progress.h"
#include "tailor/status.h"
#include "tailor/store.h"

namespace tailor {

enum class ImportFormat {
  kAuto,           // detect with DetectFormat()
  kItemsCsv,       // "items-csv"
  kItemsJsonl,     // "items-jsonl"
  kUsersCsv,       // "users-csv"
  kUsersJsonl,     // "users-jsonl"
  kEventsCsv,      // "events-csv"
  kEventsJsonl,    // "events-jsonl"
  kS3Rec,          // "s3rec": <Name>.txt (+ <Name>_item2attributes.json, *_datamaps.json)
  kUniSRec,        // "unisrec": <Name>.{train,valid,test}.inter, .item2index, .text, ...
  kMovieLens,      // "movielens": an ml-100k folder, or one u.data-style ratings file
  kOnlineRetail,   // "online-retail": UCI Online Retail CSV (plain or .xz)
  kAmazonReviews,  // "amazon-reviews": Amazon review JSONL (reviewerID, asin, overall, ...)
  kDiginetica,     // "diginetica": session;user;item;timeframe;eventdate
};

// The format named `name` ("items-csv", "s3rec", "movielens", "auto", ...; case-insensitive,
// '_' accepted for '-'). Errors: kInvalidArgument listing the known names.
StatusOr<ImportFormat> ParseImportFormat(std::string_view name);

// Where a file of this format goes in a multi-file import: catalog files first (0), then
// users (1), then everything else (2), so events can name items imported just before.
int ImportOrder(ImportFormat format);

// The canonical name of a format ("events-csv"); the inverse of ParseImportFormat.
std::string_view ImportFormatName(ImportFormat format);

// Guesses the format of a file (from its header or first record, and its name) or of a
// dataset directory (from the files in it). Errors: kNotFound when the path does not exist,
// kInvalidArgument saying what was looked at when the format cannot be told.
StatusOr<ImportFormat> DetectFormat(const std::string& path);

struct ImportOptions {
  // When true, any rejected row fails the import (kInvalidArgument) and nothing is returned.
  bool strict = false;
  // Whether an item is already in the store. Empty = the store has no items.
  std::function<bool(std::string_view)> item_exists;
  // Whether an event type is registered. Empty = only the built-in types are.
  std::function<bool(std::string_view)> event_type_exists;
  // Receives "import <file>" progress (done/total in bytes of the file). May be empty.
  ProgressFn progress;
};

// A row that was not imported, and why.
struct RejectedRow {
  std::string file;    // the path as read
  int64_t line = 0;    // 1-based line where the row starts
  std::string field;   // column or key at fault; empty when the row as a whole is bad
  std::string reason;  // e.g. "not a date or unix time ('2024-13-45')"
  std::string raw;     // the row as written in the file
};

struct ImportResult {
  // What to write. Research formats set create_missing_items only when they have no catalog,
  // and register any event types they need beyond the built-ins in batch.event_types.
  WriteBatch batch;
  std::vector<RejectedRow> rejected;
  int64_t rows_read = 0;           // data rows seen (headers and blank lines excluded)
  std::string format;              // ImportFormatName of the format used
  std::vector<std::string> files;  // files read, in order
};

// Imports `path`: a file, or a dataset directory (S3-Rec, UniSRec, MovieLens folders, or a
// folder holding exactly one data file). `format` kAuto detects it.
// Errors: kNotFound naming the path for missing files; kInvalidArgument for a bad header or,
// under strict, for rejected rows (listing the first ones and the count); kDataLoss naming
// file:line for truncated or corrupt files.
StatusOr<ImportResult> ImportPath(const std::string& path, ImportFormat format,
                                  const ImportOptions& options);

// Writes rejected rows as JSON lines {"file","line","field","reason","raw"} (the quarantine
// file), replacing `path`. Invalid UTF-8 in raw text is replaced by U+FFFD.
// Errors: kUnavailable when the file cannot be written.
Status WriteQuarantine(const std::vector<RejectedRow>& rows, const std::string& path);

// "events.csv:7: field 'timestamp': not a date or unix time ('2024-13-45')"; without the field
// part when the row as a whole is bad.
std::string FormatRejected(const RejectedRow& row);

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_IMPORTER_H_
