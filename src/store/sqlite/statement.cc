#include "store/sqlite/statement.h"

#include <cstring>

#include <utility>

namespace tailor::sqlite {

Status FromSqlite(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return OkStatus();
  std::string msg = std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return UnavailableError(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(msg);
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return InvalidArgumentError(msg);
    default:
      return InternalError(msg);
  }
}

Status Exec(sqlite3* db, std::string_view sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return FromSqlite(nullptr, rc, "sqlite exec failed (" + msg + ")");
  }
  return OkStatus();
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

StatusOr<Statement> Statement::Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return FromSqlite(db, rc, "prepare '" + std::string(sql) + "'");
  return Statement(db, stmt);
}

void Statement::BindInt(int pos, int64_t value) { sqlite3_bind_int64(stmt_, pos, value); }
void Statement::BindDouble(int pos, double value) { sqlite3_bind_double(stmt_, pos, value); }
void Statement::BindOptionalDouble(int pos, const std::optional<double>& value) {
  if (value.has_value()) {
    BindDouble(pos, *value);
  } else {
    BindNull(pos);
  }
}
void Statement::BindText(int pos, std::string_view value, bool null_if_empty) {
  if (null_if_empty && value.empty()) {
    BindNull(pos);
    return;
  }
  // SQLITE_STATIC: callers keep the text alive until the statement is stepped and reset.
  sqlite3_bind_text(stmt_, pos, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}
void Statement::BindNull(int pos) { sqlite3_bind_null(stmt_, pos); }
void Statement::BindFloats(int pos, std::span<const float> values) {
  if (values.empty()) {
    BindNull(pos);
    return;
  }
  sqlite3_bind_blob(stmt_, pos, values.data(), static_cast<int>(values.size_bytes()),
                    SQLITE_STATIC);
}

StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status status = FromSqlite(db_, rc, "step");
  sqlite3_reset(stmt_);
  return status;
}

Status Statement::Run() {
  auto row = Step();
  Reset();
  return row.status();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::string Statement::ColumnText(int col) const {
  const auto* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::vector<float> Statement::ColumnFloats(int col) const {
  const void* blob = sqlite3_column_blob(stmt_, col);
  if (blob == nullptr) return {};
  std::vector<float> values(static_cast<size_t>(sqlite3_column_bytes(stmt_, col)) / sizeof(float));
  std::memcpy(values.data(), blob, values.size() * sizeof(float));
  return values;
}

}  // namespace tailor::sqlite
