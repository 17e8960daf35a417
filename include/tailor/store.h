// Store: where tailor keeps the catalog, users and events. One interface; the embedded default
// is SQLite (src/store/sqlite); a PostgreSQL implementation can sit behind the same interface.
//
// Ids: the shop's string ids map to dense integer indexes 0..n-1, assigned in first-seen order
// and stable for the life of the store (across restarts). Models and datasets work on indexes.
// Writes: Write() applies a whole batch in one transaction; on any error nothing is written.
// Thread-safety: all methods may be called from several threads at once.
#ifndef TAILOR_STORE_H_
#define TAILOR_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tailor/status.h"
#include "tailor/types.h"

namespace tailor {

// Rows to write together. Items and users are upserted by id (later fields replace earlier
// ones). Events are appended; an event whose key is already stored is skipped, so importing
// the same file twice stores each event once. An event's key is its event_id when set, else
// a hash of (user, item, type, timestamp, value, session, text, occurrence number within the
// batch).
struct WriteBatch {
  std::vector<Item> items;
  std::vector<User> users;
  std::vector<Event> events;
  std::vector<EventTypeSpec> event_types;  // registered (or re-weighted) before the events
  // Events whose user is not stored yet create that user (with empty attributes).
  // Events whose item is unknown fail the batch unless this is true (then the item is created
  // with only its id, used by research datasets that have no catalog file).
  bool create_missing_items = false;
};

struct WriteResult {
  int64_t items_written = 0;
  int64_t users_written = 0;
  int64_t events_written = 0;
  int64_t events_skipped_duplicate = 0;
};

// What an item's reviews are at a moment: how many, and the newest one's sequence number
// (insertion order), so a reader can tell cheaply whether they changed.
struct ItemReviewStamp {
  int32_t item = 0;
  int64_t count = 0;
  int64_t newest = 0;
};

struct StoreStats {
  int64_t items = 0;
  int64_t users = 0;
  int64_t events = 0;
  int64_t in_stock_items = 0;
  std::vector<std::pair<std::string, int64_t>> events_by_type;  // in type-table order
  int64_t first_timestamp = 0;
  int64_t last_timestamp = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies the batch atomically. Errors: kInvalidArgument naming the row and field when an
  // event references an unknown item or type or a row is invalid; nothing is written then.
  virtual StatusOr<WriteResult> Write(const WriteBatch& batch) = 0;

  // The event type table; StoredEvent::type indexes it. Never shrinks.
  virtual StatusOr<std::vector<EventTypeSpec>> EventTypes() = 0;
  // The declared user fields (which are personal data).
  virtual StatusOr<std::vector<UserField>> UserFields() = 0;
  virtual Status SetUserFields(const std::vector<UserField>& fields) = 0;

  virtual StatusOr<StoreStats> Stats() = 0;

  // Dense index of an id, or nullopt when it is not stored.
  virtual StatusOr<std::optional<int32_t>> FindItem(std::string_view item_id) = 0;
  virtual StatusOr<std::optional<int32_t>> FindUser(std::string_view user_id) = 0;
  virtual StatusOr<Item> GetItem(int32_t item_idx) = 0;
  virtual StatusOr<User> GetUser(int32_t user_idx) = 0;

  // All ids in index order: result[idx] is the id of index idx.
  virtual StatusOr<std::vector<std::string>> ItemIds() = 0;
  virtual StatusOr<std::vector<std::string>> UserIds() = 0;

  // Streams rows in index order (items, users) or insertion order (events). The callback may
  // stop the scan by returning a non-OK status, which the scan returns.
  virtual Status ScanItems(const std::function<Status(int32_t idx, const Item&)>& fn) = 0;
  virtual Status ScanUsers(const std::function<Status(int32_t idx, const User&)>& fn) = 0;
  virtual Status ScanEvents(const std::function<Status(const StoredEvent&)>& fn) = 0;

  // A user's most recent `limit` events, oldest first (chronological, ties by insertion).
  virtual StatusOr<std::vector<StoredEvent>> UserEvents(int32_t user_idx, int limit) = 0;
  // Event texts (reviews) of an item, newest first, at most `limit`.
  virtual StatusOr<std::vector<std::string>> ItemReviews(int32_t item_idx, int limit) = 0;
  // One stamp per item that has reviews (events with a text), in item order.
  virtual StatusOr<std::vector<ItemReviewStamp>> ItemReviewStamps() = 0;
};

// Opens (creating if needed) a store. `uri` is a path to a SQLite file, "sqlite:PATH", or
// ":memory:" for a private in-memory store. Errors: kUnavailable when the file cannot be
// opened, kFailedPrecondition when its schema is newer than this build understands.
StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri);

}  // namespace tailor

#endif  // TAILOR_STORE_H_
