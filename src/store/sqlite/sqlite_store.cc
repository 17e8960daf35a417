#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "common/binary_io.h"
#include "data/image_vector.h"

namespace tailor {
namespace {

// Migration i takes the schema from version i to i + 1. Append, never edit.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the initial schema.
    R"sql(
    CREATE TABLE items (
      idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, description TEXT,
      categories TEXT, brand TEXT, price REAL, currency TEXT, in_stock INTEGER NOT NULL,
      attributes TEXT, created_at INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE users (idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, attributes TEXT);
    CREATE TABLE event_types (
      idx INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, weight REAL NOT NULL,
      negative INTEGER NOT NULL);
    CREATE TABLE user_fields (
      name TEXT PRIMARY KEY, type TEXT NOT NULL, personal INTEGER NOT NULL);
    CREATE TABLE event_keys (key INTEGER PRIMARY KEY);
    CREATE TABLE events (
      seq INTEGER PRIMARY KEY, user_idx INTEGER NOT NULL,
      item_idx INTEGER NOT NULL, type INTEGER NOT NULL, value REAL, ts INTEGER NOT NULL,
      session TEXT, event_id TEXT, text TEXT);
    CREATE INDEX events_by_user ON events(user_idx, ts, seq);
    )sql",
    // 1 -> 2: items carry the shop's image vector (float32 BLOB, NULL when none).
    "ALTER TABLE items ADD COLUMN image_vector BLOB;",
    // 2 -> 3: an item's reviews (newest first) and review stamps without a scan of all events.
    "CREATE INDEX events_reviews ON events(item_idx, ts, seq) WHERE text IS NOT NULL;",
};
constexpr int kNumMigrations = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kNumMigrations == SqliteStore::kSchemaVersion);

std::string CategoriesToText(const std::vector<std::string>& categories) {
  return nlohmann::json(categories).dump();
}

std::vector<std::string> CategoriesFromText(const std::string& text) {
  if (text.empty()) return {};
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return {};
  std::vector<std::string> out;
  for (const auto& v : parsed) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// Hashes one field, length first, so that ("ab","c") and ("a","bc") differ.
uint64_t HashField(uint64_t h, const void* data, uint32_t n) {
  h = Fnv1a64(&n, sizeof(n), h);
  return Fnv1a64(data, n, h);
}

uint64_t HashField(uint64_t h, std::string_view s) {
  return HashField(h, s.data(), static_cast<uint32_t>(s.size()));
}

// The key of an event without an event_id: its whole content.
uint64_t ContentKey(const Event& e) {
  uint64_t h = 1469598103934665603ULL;
  h = HashField(h, e.user_id);
  h = HashField(h, e.item_id);
  h = HashField(h, e.type);
  h = HashField(h, &e.timestamp, sizeof(e.timestamp));
  double value = e.value.value_or(0.0);
  uint8_t has_value = e.value.has_value() ? 1 : 0;
  h = HashField(h, &has_value, 1);
  h = HashField(h, &value, sizeof(value));
  h = HashField(h, e.session_id);
  return HashField(h, e.text);
}

std::string ImageVectorMismatch(const Item& item, const std::string& other_id, size_t other_size) {
  return "item '" + item.id + "': image_vector has " + std::to_string(item.image_vector.size()) +
         " entries, but item '" + other_id + "' has " + std::to_string(other_size) +
         " (all image vectors come from one image model; to switch models, send every item "
         "that has a vector in one batch)";
}

}  // namespace

struct SqliteStore::Statements {
  sqlite::Statement upsert_item, upsert_user, insert_user_if_new, insert_event, insert_key,
      upsert_type;
  sqlite::Statement get_item, get_user, user_events, data_version;
};

SqliteStore::SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

SqliteStore::~SqliteStore() {
  stmts_.reset();
  sqlite3_close_v2(db_);
}

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status status = UnavailableError("cannot open store '" + path + "': " +
                                     (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  auto context = "store '" + path + "'";
  RETURN_IF_ERROR(sqlite::Exec(db,
                               "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;")
                      .WithContext(context));
  RETURN_IF_ERROR(store->Migrate().WithContext(context));
  RETURN_IF_ERROR(store->PrepareStatements().WithContext(context));
  RETURN_IF_ERROR(store->RefreshIfChanged().WithContext(context));
  return store;
}

Status SqliteStore::Migrate() {
  RETURN_IF_ERROR(sqlite::Exec(db_, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)"));
  ASSIGN_OR_RETURN(auto get, sqlite::Statement::Prepare(db_, "SELECT value FROM meta WHERE key='schema_version'"));
  int version = 0;
  ASSIGN_OR_RETURN(bool has_row, get.Step());
  if (has_row) version = std::atoi(get.ColumnText(0).c_str());
  get.Reset();
  if (version > kSchemaVersion) {
    return FailedPreconditionError("schema version " + std::to_string(version) +
                                   " is newer than this tailor build understands (" +
                                   std::to_string(kSchemaVersion) + "); upgrade tailor");
  }
  if (version == kSchemaVersion) return OkStatus();
  RETURN_IF_ERROR(sqlite::Exec(db_, "BEGIN IMMEDIATE"));
  Status status;
  for (int step = version; step < kSchemaVersion && status.ok(); ++step) {
    status = sqlite::Exec(db_, kMigrations[step])
                 .WithContext("migration " + std::to_string(step) + " -> " + std::to_string(step + 1));
  }
  if (status.ok() && version == 0) {
    // A new store starts with the built-in event types and the default user schema.
    for (const auto& spec : BuiltinEventTypes()) {
      std::string sql = "INSERT INTO event_types(name, weight, negative) VALUES('" + spec.name +
                        "', " + std::to_string(spec.weight) + ", " +
                        std::to_string(spec.negative ? 1 : 0) + ")";
      if (status.ok()) status = sqlite::Exec(db_, sql);
    }
    for (const auto& field : DefaultUserFields()) {
      std::string sql = "INSERT INTO user_fields VALUES('" + field.name + "', '" + field.type +
                        "', " + std::to_string(field.personal ? 1 : 0) + ")";
      if (status.ok()) status = sqlite::Exec(db_, sql);
    }
  }
  if (status.ok()) {
    status = sqlite::Exec(db_, "INSERT OR REPLACE INTO meta VALUES('schema_version', '" +
                                   std::to_string(kSchemaVersion) + "')");
  }
  if (!status.ok()) {
    sqlite::Exec(db_, "ROLLBACK").IgnoreError();
    return status;
  }
  return sqlite::Exec(db_, "COMMIT");
}

Status SqliteStore::PrepareStatements() {
  stmts_ = std::make_unique<Statements>();
  auto prep = [&](sqlite::Statement* s, const char* sql) -> Status {
    ASSIGN_OR_RETURN(*s, sqlite::Statement::Prepare(db_, sql));
    return OkStatus();
  };
  RETURN_IF_ERROR(prep(&stmts_->upsert_item,
                       "INSERT INTO items(idx, id, title, description, categories, brand, price, "
                       "currency, in_stock, attributes, created_at, image_vector) "
                       "VALUES(?,?,?,?,?,?,?,?,?,?,?,?) "
                       "ON CONFLICT(id) DO UPDATE SET title=excluded.title, "
                       "description=excluded.description, categories=excluded.categories, "
                       "brand=excluded.brand, price=excluded.price, currency=excluded.currency, "
                       "in_stock=excluded.in_stock, attributes=excluded.attributes, "
                       "created_at=excluded.created_at, image_vector=excluded.image_vector"));
  RETURN_IF_ERROR(prep(&stmts_->upsert_user,
                       "INSERT INTO users(idx, id, attributes) VALUES(?,?,?) "
                       "ON CONFLICT(id) DO UPDATE SET attributes=excluded.attributes"));
  RETURN_IF_ERROR(prep(&stmts_->insert_user_if_new,
                       "INSERT OR IGNORE INTO users(idx, id, attributes) VALUES(?,?,'{}')"));
  RETURN_IF_ERROR(prep(&stmts_->insert_event,
                       "INSERT INTO events(user_idx, item_idx, type, value, ts, session, event_id, "
                       "text) VALUES(?,?,?,?,?,?,?,?)"));
  RETURN_IF_ERROR(prep(&stmts_->insert_key, "INSERT OR IGNORE INTO event_keys(key) VALUES(?)"));
  RETURN_IF_ERROR(prep(&stmts_->upsert_type,
                       "INSERT INTO event_types(name, weight, negative) VALUES(?,?,?) "
                       "ON CONFLICT(name) DO UPDATE SET weight=excluded.weight, "
                       "negative=excluded.negative"));
  RETURN_IF_ERROR(prep(&stmts_->get_item,
                       "SELECT id, title, description, categories, brand, price, currency, "
                       "in_stock, attributes, created_at, image_vector FROM items WHERE idx=?"));
  RETURN_IF_ERROR(prep(&stmts_->get_user, "SELECT id, attributes FROM users WHERE idx=?"));
  RETURN_IF_ERROR(prep(&stmts_->data_version, "PRAGMA data_version"));
  RETURN_IF_ERROR(prep(&stmts_->user_events,
                       "SELECT seq, user_idx, item_idx, type, value, ts FROM events "
                       "WHERE user_idx=? ORDER BY ts DESC, seq DESC LIMIT ?"));
  return OkStatus();
}

Status SqliteStore::LoadCaches() {
  item_index_.clear();
  user_index_.clear();
  types_.clear();
  for (auto [table, map] : {std::pair{"items", &item_index_}, std::pair{"users", &user_index_}}) {
    ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                    db_, std::string("SELECT idx, id FROM ") + table + " ORDER BY idx"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      int64_t idx = stmt.ColumnInt(0);
      if (idx != static_cast<int64_t>(map->size())) {
        return DataLossError(std::string(table) + " indexes are not dense at idx " +
                             std::to_string(idx));
      }
      map->emplace(stmt.ColumnText(1), static_cast<int32_t>(idx));
    }
  }
  ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                  db_, "SELECT name, weight, negative FROM event_types ORDER BY idx"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    types_.push_back({stmt.ColumnText(0), static_cast<float>(stmt.ColumnDouble(1)),
                      stmt.ColumnInt(2) != 0});
  }
  return OkStatus();
}

Status SqliteStore::RefreshIfChanged() {
  auto& stmt = stmts_->data_version;
  auto row = stmt.Step();
  int64_t version = row.ok() && *row ? stmt.ColumnInt(0) : -1;
  stmt.Reset();
  RETURN_IF_ERROR(row.status());
  if (version == data_version_) return OkStatus();
  RETURN_IF_ERROR(LoadCaches());
  data_version_ = version;
  return OkStatus();
}

StatusOr<WriteResult> SqliteStore::Write(const WriteBatch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(sqlite::Exec(db_, "BEGIN IMMEDIATE"));
  // Holding the write lock now: indexes handed out below cannot collide with another writer's.
  if (Status fresh = RefreshIfChanged(); !fresh.ok()) {
    sqlite::Exec(db_, "ROLLBACK").IgnoreError();
    return fresh;
  }
  WriteResult result;
  IdMap new_items, new_users;
  std::vector<EventTypeSpec> types = types_;
  Status status = WriteLocked(batch, &result, &new_items, &new_users, &types);
  if (status.ok()) status = sqlite::Exec(db_, "COMMIT");
  if (!status.ok()) {
    sqlite::Exec(db_, "ROLLBACK").IgnoreError();
    return status;
  }
  item_index_.merge(new_items);
  user_index_.merge(new_users);
  types_ = std::move(types);
  return result;
}

Status SqliteStore::CheckStoredImageVectors(const Item& written) {
  const int64_t bytes = static_cast<int64_t>(written.image_vector.size() * sizeof(float));
  ASSIGN_OR_RETURN(auto known, sqlite::Statement::Prepare(
                                   db_, "SELECT value FROM meta WHERE key='image_vector_bytes'"));
  ASSIGN_OR_RETURN(bool has_known, known.Step());
  if (has_known && std::atoll(known.ColumnText(0).c_str()) == bytes) return OkStatus();
  // A first vector, or another length: every stored vector (this batch's included, inside
  // the transaction) must now have the new length.
  ASSIGN_OR_RETURN(auto other, sqlite::Statement::Prepare(
                                   db_, "SELECT id, length(image_vector) FROM items WHERE "
                                        "image_vector IS NOT NULL AND length(image_vector) != ? "
                                        "LIMIT 1"));
  other.BindInt(1, bytes);
  ASSIGN_OR_RETURN(bool mismatch, other.Step());
  if (mismatch) {
    return InvalidArgumentError(ImageVectorMismatch(
        written, other.ColumnText(0), static_cast<size_t>(other.ColumnInt(1)) / sizeof(float)));
  }
  return sqlite::Exec(db_, "INSERT OR REPLACE INTO meta VALUES('image_vector_bytes', '" +
                               std::to_string(bytes) + "')");
}

Status SqliteStore::WriteLocked(const WriteBatch& batch, WriteResult* result, IdMap* new_items,
                                IdMap* new_users, std::vector<EventTypeSpec>* types) {
  auto& s = *stmts_;
  for (const auto& spec : batch.event_types) {
    if (spec.name.empty()) return InvalidArgumentError("event type with an empty name");
    s.upsert_type.BindText(1, spec.name);
    s.upsert_type.BindDouble(2, spec.weight);
    s.upsert_type.BindInt(3, spec.negative ? 1 : 0);
    RETURN_IF_ERROR(s.upsert_type.Run().WithContext("event type '" + spec.name + "'"));
    auto it = std::find_if(types->begin(), types->end(),
                           [&](const EventTypeSpec& t) { return t.name == spec.name; });
    if (it == types->end()) {
      types->push_back(spec);
    } else {
      *it = spec;
    }
  }
  std::unordered_map<std::string_view, int16_t> type_index;
  for (size_t type_idx = 0; type_idx < types->size(); ++type_idx) {
    type_index.emplace((*types)[type_idx].name, static_cast<int16_t>(type_idx));
  }

  auto lookup = [](const IdMap& committed, const IdMap& pending,
                   const std::string& id) -> std::optional<int32_t> {
    if (auto it = committed.find(id); it != committed.end()) return it->second;
    if (auto it = pending.find(id); it != pending.end()) return it->second;
    return std::nullopt;
  };
  auto next_index = [](const IdMap& committed, const IdMap& pending) {
    return static_cast<int32_t>(committed.size() + pending.size());
  };
  auto add_item = [&](const Item& item) -> Status {
    auto idx = lookup(item_index_, *new_items, item.id);
    if (!idx) {
      idx = next_index(item_index_, *new_items);
      new_items->emplace(item.id, *idx);
    }
    const std::string categories = CategoriesToText(item.categories);
    const std::string_view attributes =
        item.attributes_json.empty() ? std::string_view("{}") : std::string_view(item.attributes_json);
    s.upsert_item.BindInt(1, *idx);
    s.upsert_item.BindText(2, item.id);
    s.upsert_item.BindText(3, item.title, true);
    s.upsert_item.BindText(4, item.description, true);
    s.upsert_item.BindText(5, categories);
    s.upsert_item.BindText(6, item.brand, true);
    s.upsert_item.BindOptionalDouble(7, item.price);
    s.upsert_item.BindText(8, item.currency, true);
    s.upsert_item.BindInt(9, item.in_stock ? 1 : 0);
    s.upsert_item.BindText(10, attributes);
    s.upsert_item.BindInt(11, item.created_at);
    s.upsert_item.BindFloats(12, item.image_vector);
    return s.upsert_item.Run().WithContext("item '" + item.id + "'");
  };
  const Item* first_vector = nullptr;  // the batch's first item with an image vector
  for (const Item& item : batch.items) {
    if (item.id.empty()) return InvalidArgumentError("item with an empty id");
    RETURN_IF_ERROR(CheckImageVector(item.image_vector).WithContext("item '" + item.id + "'"));
    if (!item.image_vector.empty()) {
      if (first_vector == nullptr) first_vector = &item;
      if (item.image_vector.size() != first_vector->image_vector.size()) {
        return InvalidArgumentError(ImageVectorMismatch(item, first_vector->id,
                                                        first_vector->image_vector.size()));
      }
    }
    RETURN_IF_ERROR(add_item(item));
    ++result->items_written;
  }
  if (first_vector != nullptr) RETURN_IF_ERROR(CheckStoredImageVectors(*first_vector));
  for (const User& user : batch.users) {
    if (user.id.empty()) return InvalidArgumentError("user with an empty id");
    auto idx = lookup(user_index_, *new_users, user.id);
    if (!idx) {
      idx = next_index(user_index_, *new_users);
      new_users->emplace(user.id, *idx);
    }
    s.upsert_user.BindInt(1, *idx);
    s.upsert_user.BindText(2, user.id);
    s.upsert_user.BindText(3, user.attributes_json.empty() ? std::string_view("{}")
                                                           : std::string_view(user.attributes_json));
    RETURN_IF_ERROR(s.upsert_user.Run().WithContext("user '" + user.id + "'"));
    ++result->users_written;
  }

  // Pass 1: resolve ids and compute each event's key. How often a content key occurred
  // earlier in this batch is part of the key: identical rows in one batch (two views in the
  // same second) are distinct events, yet a re-import maps each row to itself.
  struct Resolved {
    uint64_t key;
    int32_t user;
    int32_t item;
    int16_t type;
  };
  std::vector<Resolved> resolved(batch.events.size());
  std::unordered_map<uint64_t, uint32_t> occurrences;
  occurrences.reserve(batch.events.size());
  for (size_t event_pos = 0; event_pos < batch.events.size(); ++event_pos) {
    const Event& e = batch.events[event_pos];
    auto where = [&] { return "event " + std::to_string(event_pos + 1) + " (user '" + e.user_id +
                              "', item '" + e.item_id + "')"; };
    if (e.user_id.empty()) return InvalidArgumentError(where() + ": empty user id");
    auto type_it = type_index.find(e.type);
    if (type_it == type_index.end()) {
      return InvalidArgumentError(where() + ": unknown event type '" + e.type + "'");
    }
    auto item_idx = lookup(item_index_, *new_items, e.item_id);
    if (!item_idx) {
      if (!batch.create_missing_items || e.item_id.empty()) {
        return InvalidArgumentError(where() + ": unknown item '" + e.item_id + "'");
      }
      Item stub;
      stub.id = e.item_id;
      RETURN_IF_ERROR(add_item(stub));
      item_idx = lookup(item_index_, *new_items, e.item_id);
    }
    auto user_idx = lookup(user_index_, *new_users, e.user_id);
    if (!user_idx) {
      user_idx = next_index(user_index_, *new_users);
      new_users->emplace(e.user_id, *user_idx);
      s.insert_user_if_new.BindInt(1, *user_idx);
      s.insert_user_if_new.BindText(2, e.user_id);
      RETURN_IF_ERROR(s.insert_user_if_new.Run().WithContext(where()));
    }
    uint64_t key;
    if (!e.event_id.empty()) {
      key = Fnv1a64(e.event_id.data(), e.event_id.size(), 0x7461696c6f72ULL);
    } else {
      uint64_t content = ContentKey(e);
      uint32_t nth = occurrences[content]++;
      key = nth == 0 ? content : Fnv1a64(&nth, sizeof(nth), content);
    }
    resolved[event_pos] = {key, *user_idx, *item_idx, type_it->second};
  }

  // Pass 2: claim the keys in key order (sequential B-tree inserts, several times faster than
  // random ones); a key already present marks a duplicate.
  std::vector<uint32_t> by_key(resolved.size());
  for (uint32_t event_pos = 0; event_pos < by_key.size(); ++event_pos) by_key[event_pos] = event_pos;
  std::sort(by_key.begin(), by_key.end(),
            [&](uint32_t a, uint32_t b) { return resolved[a].key < resolved[b].key ||
                                                 (resolved[a].key == resolved[b].key && a < b); });
  std::vector<uint8_t> is_new(resolved.size(), 0);
  for (uint32_t event_pos : by_key) {
    s.insert_key.BindInt(1, static_cast<int64_t>(resolved[event_pos].key));
    RETURN_IF_ERROR(s.insert_key.Run().WithContext("event " + std::to_string(event_pos + 1)));
    is_new[event_pos] = sqlite3_changes(db_) > 0 ? 1 : 0;
  }

  // Pass 3: append the new events in batch order (their seq keeps that order).
  for (size_t event_pos = 0; event_pos < resolved.size(); ++event_pos) {
    if (!is_new[event_pos]) {
      ++result->events_skipped_duplicate;
      continue;
    }
    const Event& e = batch.events[event_pos];
    const Resolved& r = resolved[event_pos];
    s.insert_event.BindInt(1, r.user);
    s.insert_event.BindInt(2, r.item);
    s.insert_event.BindInt(3, r.type);
    s.insert_event.BindOptionalDouble(4, e.value);
    s.insert_event.BindInt(5, e.timestamp);
    s.insert_event.BindText(6, e.session_id, true);
    s.insert_event.BindText(7, e.event_id, true);
    s.insert_event.BindText(8, e.text, true);
    RETURN_IF_ERROR(s.insert_event.Run().WithContext("event " + std::to_string(event_pos + 1)));
    ++result->events_written;
  }
  return OkStatus();
}

StatusOr<std::vector<EventTypeSpec>> SqliteStore::EventTypes() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshIfChanged());
  return types_;
}

StatusOr<std::vector<UserField>> SqliteStore::UserFields() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                  db_, "SELECT name, type, personal FROM user_fields ORDER BY name"));
  std::vector<UserField> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2) != 0});
  }
  return out;
}

Status SqliteStore::SetUserFields(const std::vector<UserField>& fields) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(sqlite::Exec(db_, "BEGIN IMMEDIATE"));
  Status status = sqlite::Exec(db_, "DELETE FROM user_fields");
  auto stmt = sqlite::Statement::Prepare(db_, "INSERT INTO user_fields VALUES(?,?,?)");
  if (status.ok()) status = stmt.status();
  for (const auto& field : fields) {
    if (!status.ok()) break;
    if (field.name.empty()) {
      status = InvalidArgumentError("user field with an empty name");
      break;
    }
    stmt->BindText(1, field.name);
    stmt->BindText(2, field.type);
    stmt->BindInt(3, field.personal ? 1 : 0);
    status = stmt->Run().WithContext("user field '" + field.name + "'");
  }
  if (status.ok()) status = sqlite::Exec(db_, "COMMIT");
  if (!status.ok()) sqlite::Exec(db_, "ROLLBACK").IgnoreError();
  return status;
}

StatusOr<StoreStats> SqliteStore::Stats() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshIfChanged());
  StoreStats stats;
  stats.items = static_cast<int64_t>(item_index_.size());
  stats.users = static_cast<int64_t>(user_index_.size());
  ASSIGN_OR_RETURN(auto stock, sqlite::Statement::Prepare(db_, "SELECT COUNT(*) FROM items WHERE in_stock=1"));
  ASSIGN_OR_RETURN(bool row, stock.Step());
  if (row) stats.in_stock_items = stock.ColumnInt(0);
  ASSIGN_OR_RETURN(auto by_type, sqlite::Statement::Prepare(
                                     db_, "SELECT type, COUNT(*), MIN(ts), MAX(ts) FROM events GROUP BY type"));
  std::vector<int64_t> counts(types_.size(), 0);
  bool first = true;
  while (true) {
    ASSIGN_OR_RETURN(bool has, by_type.Step());
    if (!has) break;
    auto type_idx = static_cast<size_t>(by_type.ColumnInt(0));
    int64_t n = by_type.ColumnInt(1);
    if (type_idx < counts.size()) counts[type_idx] = n;
    stats.events += n;
    int64_t lo = by_type.ColumnInt(2), hi = by_type.ColumnInt(3);
    stats.first_timestamp = first ? lo : std::min(stats.first_timestamp, lo);
    stats.last_timestamp = first ? hi : std::max(stats.last_timestamp, hi);
    first = false;
  }
  for (size_t type_idx = 0; type_idx < types_.size(); ++type_idx) {
    stats.events_by_type.emplace_back(types_[type_idx].name, counts[type_idx]);
  }
  return stats;
}

StatusOr<std::optional<int32_t>> SqliteStore::FindItem(std::string_view item_id) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshIfChanged());
  auto it = item_index_.find(std::string(item_id));
  if (it == item_index_.end()) return std::optional<int32_t>();
  return std::optional<int32_t>(it->second);
}

StatusOr<std::optional<int32_t>> SqliteStore::FindUser(std::string_view user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshIfChanged());
  auto it = user_index_.find(std::string(user_id));
  if (it == user_index_.end()) return std::optional<int32_t>();
  return std::optional<int32_t>(it->second);
}

namespace {

Item ItemFromRow(const sqlite::Statement& stmt, int first_col) {
  Item item;
  int col = first_col;
  item.id = stmt.ColumnText(col++);
  item.title = stmt.ColumnText(col++);
  item.description = stmt.ColumnText(col++);
  item.categories = CategoriesFromText(stmt.ColumnText(col++));
  item.brand = stmt.ColumnText(col++);
  if (!stmt.ColumnIsNull(col)) item.price = stmt.ColumnDouble(col);
  ++col;
  item.currency = stmt.ColumnText(col++);
  item.in_stock = stmt.ColumnInt(col++) != 0;
  item.attributes_json = stmt.ColumnText(col++);
  item.created_at = stmt.ColumnInt(col++);
  item.image_vector = stmt.ColumnFloats(col++);
  return item;
}

}  // namespace

StatusOr<Item> SqliteStore::GetItem(int32_t item_idx) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& stmt = stmts_->get_item;
  stmt.BindInt(1, item_idx);
  auto row = stmt.Step();
  if (!row.ok() || !*row) {
    stmt.Reset();
    if (!row.ok()) return row.status();
    return NotFoundError("no item with index " + std::to_string(item_idx));
  }
  Item item = ItemFromRow(stmt, 0);
  stmt.Reset();
  return item;
}

StatusOr<User> SqliteStore::GetUser(int32_t user_idx) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& stmt = stmts_->get_user;
  stmt.BindInt(1, user_idx);
  auto row = stmt.Step();
  if (!row.ok() || !*row) {
    stmt.Reset();
    if (!row.ok()) return row.status();
    return NotFoundError("no user with index " + std::to_string(user_idx));
  }
  User user{stmt.ColumnText(0), stmt.ColumnText(1)};
  stmt.Reset();
  return user;
}

namespace {

std::vector<std::string> IdsByIndex(const std::unordered_map<std::string, int32_t>& map) {
  std::vector<std::string> ids(map.size());
  for (const auto& [id, idx] : map) ids[static_cast<size_t>(idx)] = id;
  return ids;
}

}  // namespace

StatusOr<std::vector<std::string>> SqliteStore::ItemIds() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshIfChanged());
  return IdsByIndex(item_index_);
}

StatusOr<std::vector<std::string>> SqliteStore::UserIds() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshIfChanged());
  return IdsByIndex(user_index_);
}

Status SqliteStore::ScanItems(const std::function<Status(int32_t, const Item&)>& fn) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                  db_, "SELECT idx, id, title, description, categories, brand, "
                                       "price, currency, in_stock, attributes, created_at, "
                                       "image_vector FROM items ORDER BY idx"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return OkStatus();
    RETURN_IF_ERROR(fn(static_cast<int32_t>(stmt.ColumnInt(0)), ItemFromRow(stmt, 1)));
  }
}

Status SqliteStore::ScanUsers(const std::function<Status(int32_t, const User&)>& fn) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                  db_, "SELECT idx, id, attributes FROM users ORDER BY idx"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return OkStatus();
    RETURN_IF_ERROR(fn(static_cast<int32_t>(stmt.ColumnInt(0)),
                       User{stmt.ColumnText(1), stmt.ColumnText(2)}));
  }
}

namespace {

StoredEvent EventFromRow(const sqlite::Statement& stmt) {
  StoredEvent e;
  e.seq = stmt.ColumnInt(0);
  e.user = static_cast<int32_t>(stmt.ColumnInt(1));
  e.item = static_cast<int32_t>(stmt.ColumnInt(2));
  e.type = static_cast<int16_t>(stmt.ColumnInt(3));
  e.value = stmt.ColumnIsNull(4) ? 0.0f : static_cast<float>(stmt.ColumnDouble(4));
  e.timestamp = stmt.ColumnInt(5);
  return e;
}

}  // namespace

Status SqliteStore::ScanEvents(const std::function<Status(const StoredEvent&)>& fn) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                  db_, "SELECT seq, user_idx, item_idx, type, value, ts "
                                       "FROM events ORDER BY seq"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return OkStatus();
    RETURN_IF_ERROR(fn(EventFromRow(stmt)));
  }
}

StatusOr<std::vector<StoredEvent>> SqliteStore::UserEvents(int32_t user_idx, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& stmt = stmts_->user_events;
  stmt.BindInt(1, user_idx);
  stmt.BindInt(2, limit);
  std::vector<StoredEvent> out;
  while (true) {
    auto row = stmt.Step();
    if (!row.ok()) {
      stmt.Reset();
      return row.status();
    }
    if (!*row) break;
    out.push_back(EventFromRow(stmt));
  }
  stmt.Reset();
  std::reverse(out.begin(), out.end());
  return out;
}

StatusOr<std::vector<std::string>> SqliteStore::ItemReviews(int32_t item_idx, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                  db_, "SELECT text FROM events WHERE item_idx=? AND text IS NOT "
                                       "NULL ORDER BY ts DESC, seq DESC LIMIT ?"));
  stmt.BindInt(1, item_idx);
  stmt.BindInt(2, limit);
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(stmt.ColumnText(0));
  }
}

StatusOr<std::vector<ItemReviewStamp>> SqliteStore::ItemReviewStamps() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto stmt, sqlite::Statement::Prepare(
                                  db_, "SELECT item_idx, COUNT(*), MAX(seq) FROM events WHERE "
                                       "text IS NOT NULL GROUP BY item_idx ORDER BY item_idx"));
  std::vector<ItemReviewStamp> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back({static_cast<int32_t>(stmt.ColumnInt(0)), stmt.ColumnInt(1), stmt.ColumnInt(2)});
  }
}

StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri) {
  std::string path(uri);
  if (path.starts_with("sqlite:")) path = path.substr(7);
  if (path.starts_with("postgres:") || path.starts_with("postgresql:")) {
    return UnimplementedError("PostgreSQL store is not built yet; use a SQLite path");
  }
  if (path.empty()) return InvalidArgumentError("empty store path");
  ASSIGN_OR_RETURN(auto store, SqliteStore::Open(path));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tailor
