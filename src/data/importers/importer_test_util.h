// Test helpers for the importer tests: a temporary folder for fixture files, StatusIs
// (from tests/status_matchers.h), and the path of the real datasets (which tests skip without).
#ifndef TAILOR_DATA_IMPORTERS_IMPORTER_TEST_UTIL_H_
#define TAILOR_DATA_IMPORTERS_IMPORTER_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "data/importers/importer.h"
#include "status_matchers.h"

namespace tailor {

// Lets gtest print rejected rows readably in failure messages.
inline void PrintTo(const RejectedRow& row, std::ostream* out) { *out << FormatRejected(row); }

}  // namespace tailor

namespace tailor::testing_util {

using ::tailor::StatusIs;

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() /
        ("tailor_importer_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }

  // Writes `content` to <dir>/<name> (creating subfolders) and returns the full path.
  std::string Write(const std::string& name, std::string_view content) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return file.string();
  }
  std::string Path(const std::string& name = "") const {
    return name.empty() ? path_.string() : (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};


// /work/shared/datasets seen from the source tree.
inline std::string DatasetsDir() { return std::string(TAILOR_SOURCE_DIR) + "/../shared/datasets"; }

// Distinct users (batch.users and event users) and items (batch.items and event items).
inline size_t DistinctUsers(const WriteBatch& batch) {
  std::set<std::string> ids;
  for (const User& user : batch.users) ids.insert(user.id);
  for (const Event& event : batch.events) ids.insert(event.user_id);
  return ids.size();
}
inline size_t DistinctItems(const WriteBatch& batch) {
  std::set<std::string> ids;
  for (const Item& item : batch.items) ids.insert(item.id);
  for (const Event& event : batch.events) ids.insert(event.item_id);
  return ids.size();
}
inline size_t CountType(const WriteBatch& batch, std::string_view type) {
  return static_cast<size_t>(std::count_if(batch.events.begin(), batch.events.end(),
                                           [&](const Event& event) { return event.type == type; }));
}

}  // namespace tailor::testing_util

#endif  // TAILOR_DATA_IMPORTERS_IMPORTER_TEST_UTIL_H_
