// Thin RAII adapters over the SQLite C API: a database handle and a prepared statement.
// SQLite result codes become Status here and nowhere else.
#ifndef TAILOR_STORE_SQLITE_STATEMENT_H_
#define TAILOR_STORE_SQLITE_STATEMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "tailor/status.h"

namespace tailor::sqlite {

// Maps a SQLite result code to a Status (SQLITE_BUSY/LOCKED -> kUnavailable,
// SQLITE_CORRUPT/NOTADB -> kDataLoss, SQLITE_CONSTRAINT -> kInvalidArgument, ...).
Status FromSqlite(sqlite3* db, int rc, std::string_view what);

// Runs SQL without results (may hold several statements).
Status Exec(sqlite3* db, std::string_view sql);

// A prepared statement, reset for reuse after each Step() loop. Not thread-safe.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;

  static StatusOr<Statement> Prepare(sqlite3* db, std::string_view sql);

  // Binds are 1-based like SQLite's. Empty strings bind as NULL when `null_if_empty`.
  // Text is not copied: it must stay alive until the statement is stepped and reset.
  void BindInt(int pos, int64_t value);
  void BindDouble(int pos, double value);
  void BindOptionalDouble(int pos, const std::optional<double>& value);
  void BindText(int pos, std::string_view value, bool null_if_empty = false);
  void BindNull(int pos);
  // A float array as a BLOB of float32 in host byte order; an empty array binds as NULL.
  // Not copied, like text.
  void BindFloats(int pos, std::span<const float> values);

  // Returns true when a row is ready, false when done. Errors as Status.
  StatusOr<bool> Step();
  // Step() for statements without rows; resets afterwards.
  Status Run();
  void Reset();

  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  bool ColumnIsNull(int col) const;
  std::string ColumnText(int col) const;
  // A BindFloats BLOB back (NULL: empty; trailing bytes short of a float are ignored).
  std::vector<float> ColumnFloats(int col) const;

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace tailor::sqlite

#endif  // TAILOR_STORE_SQLITE_STATEMENT_H_
