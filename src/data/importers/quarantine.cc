// The quarantine file and the one-line form of a rejected row.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "data/importers/importer.h"

namespace tailor {

Status WriteQuarantine(const std::vector<RejectedRow>& rows, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return UnavailableError(path + ": cannot write: " + std::strerror(errno));
  for (const RejectedRow& row : rows) {
    nlohmann::json line = {{"file", row.file},
                           {"line", row.line},
                           {"field", row.field},
                           {"reason", row.reason},
                           {"raw", row.raw}};
    // Rows are often rejected for invalid UTF-8; replacing keeps the rest of the line readable.
    out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  out.flush();
  if (!out) return UnavailableError(path + ": write failed: " + std::strerror(errno));
  return OkStatus();
}

std::string FormatRejected(const RejectedRow& row) {
  std::string text = row.file + ":" + std::to_string(row.line) + ": ";
  if (!row.field.empty()) text += "field '" + row.field + "': ";
  return text + row.reason;
}

}  // namespace tailor
