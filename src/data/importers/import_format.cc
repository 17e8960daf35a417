// The names of the import formats, as the CLI's --format takes them.
#include <algorithm>
#include <array>
#include <utility>

#include "data/importers/importer.h"

namespace tailor {
namespace {

constexpr std::array<std::pair<ImportFormat, std::string_view>, 13> kFormatNames = {{
    {ImportFormat::kAuto, "auto"},
    {ImportFormat::kItemsCsv, "items-csv"},
    {ImportFormat::kItemsJsonl, "items-jsonl"},
    {ImportFormat::kUsersCsv, "users-csv"},
    {ImportFormat::kUsersJsonl, "users-jsonl"},
    {ImportFormat::kEventsCsv, "events-csv"},
    {ImportFormat::kEventsJsonl, "events-jsonl"},
    {ImportFormat::kS3Rec, "s3rec"},
    {ImportFormat::kUniSRec, "unisrec"},
    {ImportFormat::kMovieLens, "movielens"},
    {ImportFormat::kOnlineRetail, "online-retail"},
    {ImportFormat::kAmazonReviews, "amazon-reviews"},
    {ImportFormat::kDiginetica, "diginetica"},
}};

}  // namespace

StatusOr<ImportFormat> ParseImportFormat(std::string_view name) {
  std::string normalized(name);
  std::transform(normalized.begin(), normalized.end(), normalized.begin(), [](char ch) {
    if (ch == '_') return '-';
    return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  });
  for (const auto& [format, format_name] : kFormatNames) {
    if (format_name == normalized) return format;
  }
  std::string known;
  for (const auto& [format, format_name] : kFormatNames) {
    known += (known.empty() ? "" : ", ") + std::string(format_name);
  }
  return InvalidArgumentError("unknown import format '" + std::string(name) + "' (known: " + known +
                              ")");
}

std::string_view ImportFormatName(ImportFormat format) {
  for (const auto& [known_format, name] : kFormatNames) {
    if (known_format == format) return name;
  }
  return "unknown";
}

int ImportOrder(ImportFormat format) {
  switch (format) {
    case ImportFormat::kItemsCsv:
    case ImportFormat::kItemsJsonl:
      return 0;
    case ImportFormat::kUsersCsv:
    case ImportFormat::kUsersJsonl:
      return 1;
    default:
      return 2;
  }
}

}  // namespace tailor
