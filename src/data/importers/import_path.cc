// ImportPath: resolves the format and the file(s), runs the format's importer, and applies
// strict mode.
#include <filesystem>

#include "data/importers/dataset_files.h"
#include "data/importers/format_importers.h"
#include "data/importers/importer.h"

namespace tailor {
namespace {

constexpr size_t kStrictRowsShown = 5;

bool ReadsDirectories(ImportFormat format) {
  return format == ImportFormat::kS3Rec || format == ImportFormat::kUniSRec ||
         format == ImportFormat::kMovieLens;
}

Status RunImporter(ImportFormat format, const std::string& path, ImportContext& context) {
  switch (format) {
    case ImportFormat::kItemsCsv:
      return ImportItemsCsv(path, context);
    case ImportFormat::kItemsJsonl:
      return ImportItemsJsonl(path, context);
    case ImportFormat::kUsersCsv:
      return ImportUsersCsv(path, context);
    case ImportFormat::kUsersJsonl:
      return ImportUsersJsonl(path, context);
    case ImportFormat::kEventsCsv:
      return ImportEventsCsv(path, context);
    case ImportFormat::kEventsJsonl:
      return ImportEventsJsonl(path, context);
    case ImportFormat::kS3Rec:
      return ImportS3Rec(path, context);
    case ImportFormat::kUniSRec:
      return ImportUniSRec(path, context);
    case ImportFormat::kMovieLens:
      return ImportMovieLens(path, context);
    case ImportFormat::kOnlineRetail:
      return ImportOnlineRetail(path, context);
    case ImportFormat::kAmazonReviews:
      return ImportAmazonReviews(path, context);
    case ImportFormat::kDiginetica:
      return ImportDiginetica(path, context);
    case ImportFormat::kAuto:
      break;
  }
  return InternalError("no importer for format " + std::string(ImportFormatName(format)));
}

Status StrictError(const std::string& path, const std::vector<RejectedRow>& rejected) {
  std::string message = path + ": " + std::to_string(rejected.size()) +
                        (rejected.size() == 1 ? " row" : " rows") +
                        " rejected (strict mode: nothing imported): ";
  for (size_t row_idx = 0; row_idx < rejected.size() && row_idx < kStrictRowsShown; ++row_idx) {
    if (row_idx > 0) message += "; ";
    message += FormatRejected(rejected[row_idx]);
  }
  if (rejected.size() > kStrictRowsShown) {
    message += "; and " + std::to_string(rejected.size() - kStrictRowsShown) + " more";
  }
  return InvalidArgumentError(message);
}

}  // namespace

StatusOr<ImportResult> ImportPath(const std::string& path, ImportFormat format,
                                  const ImportOptions& options) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return NotFoundError(path + ": no such file or directory");
  }
  if (format == ImportFormat::kAuto) {
    ASSIGN_OR_RETURN(format, DetectFormat(path));
  }
  std::string target = path;
  if (std::filesystem::is_directory(path, error) && !ReadsDirectories(format)) {
    ASSIGN_OR_RETURN(target, SingleDataFile(path));
  }
  ImportResult result;
  result.format = std::string(ImportFormatName(format));
  ImportContext context(options, result);
  RETURN_IF_ERROR(RunImporter(format, target, context));
  if (options.strict && !result.rejected.empty()) return StrictError(path, result.rejected);
  return result;
}

}  // namespace tailor
