// SqliteStore: the embedded default Store, one SQLite file in WAL mode.
//
// Schema (version kSchemaVersion, migrated forward on open): items, users, event_types,
// user_fields, events (seq = insertion order; index (user_idx, ts, seq) serves a user's
// recent history at request time), event_keys (one row per stored event key: re-imports are
// idempotent), meta.
// Dense indexes: items.idx / users.idx are assigned 0..n-1 in first-seen order and never
// reused. The id -> idx maps are cached in memory, updated after our own commits and reloaded
// when another process has written (so a server and an import can share the file).
// Thread-safety: one connection guarded by a mutex; every method is safe to call concurrently.
#ifndef TAILOR_STORE_SQLITE_SQLITE_STORE_H_
#define TAILOR_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/sqlite/statement.h"
#include "tailor/store.h"

namespace tailor {

class SqliteStore final : public Store {
 public:
  static constexpr int kSchemaVersion = 3;

  // Opens or creates the database at `path` (":memory:" for a private in-memory one).
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

  StatusOr<WriteResult> Write(const WriteBatch& batch) override;
  StatusOr<std::vector<EventTypeSpec>> EventTypes() override;
  StatusOr<std::vector<UserField>> UserFields() override;
  Status SetUserFields(const std::vector<UserField>& fields) override;
  StatusOr<StoreStats> Stats() override;
  StatusOr<std::optional<int32_t>> FindItem(std::string_view item_id) override;
  StatusOr<std::optional<int32_t>> FindUser(std::string_view user_id) override;
  StatusOr<Item> GetItem(int32_t item_idx) override;
  StatusOr<User> GetUser(int32_t user_idx) override;
  StatusOr<std::vector<std::string>> ItemIds() override;
  StatusOr<std::vector<std::string>> UserIds() override;
  Status ScanItems(const std::function<Status(int32_t, const Item&)>& fn) override;
  Status ScanUsers(const std::function<Status(int32_t, const User&)>& fn) override;
  Status ScanEvents(const std::function<Status(const StoredEvent&)>& fn) override;
  StatusOr<std::vector<StoredEvent>> UserEvents(int32_t user_idx, int limit) override;
  StatusOr<std::vector<std::string>> ItemReviews(int32_t item_idx, int limit) override;
  StatusOr<std::vector<ItemReviewStamp>> ItemReviewStamps() override;

 private:
  struct Statements;
  using IdMap = std::unordered_map<std::string, int32_t>;

  SqliteStore(sqlite3* db, std::string path);
  Status Migrate();
  Status PrepareStatements();
  Status LoadCaches();
  // Reloads the caches when another connection (e.g. `tailor import` beside a running
  // server) committed since we last looked (PRAGMA data_version). Caller holds mu_.
  Status RefreshIfChanged();
  // Inside the write's transaction, after `written` (the batch's first item with an image
  // vector) was stored: kInvalidArgument when a stored vector has another length.
  Status CheckStoredImageVectors(const Item& written);
  // The body of Write(), inside an open transaction; fills the pending maps.
  Status WriteLocked(const WriteBatch& batch, WriteResult* result, IdMap* new_items,
                     IdMap* new_users, std::vector<EventTypeSpec>* types);

  std::mutex mu_;
  sqlite3* db_;
  std::string path_;
  std::unique_ptr<Statements> stmts_;
  IdMap item_index_;                    // committed rows only
  IdMap user_index_;
  std::vector<EventTypeSpec> types_;    // committed event types, by index
  int64_t data_version_ = -1;           // PRAGMA data_version when the caches were loaded
};

}  // namespace tailor

#endif  // TAILOR_STORE_SQLITE_SQLITE_STORE_H_
