// One function per import format, each implemented in its own file (native_csv.cc,
// s3rec_importer.cc, ...). Each reads `path` (a file, or a dataset directory for the
// directory formats), appends to the context's batch and records rejected rows there.
// Errors are file-level (missing file or column, truncated or corrupt data); row errors are
// rejections, not Status. Internal to the importers; ImportPath() is the public entry.
#ifndef TAILOR_DATA_IMPORTERS_FORMAT_IMPORTERS_H_
#define TAILOR_DATA_IMPORTERS_FORMAT_IMPORTERS_H_

#include <string>

#include "data/importers/import_context.h"

namespace tailor {

Status ImportItemsCsv(const std::string& path, ImportContext& context);     // native_csv.cc
Status ImportUsersCsv(const std::string& path, ImportContext& context);     // native_csv.cc
Status ImportEventsCsv(const std::string& path, ImportContext& context);    // native_csv.cc
Status ImportItemsJsonl(const std::string& path, ImportContext& context);   // native_jsonl.cc
Status ImportUsersJsonl(const std::string& path, ImportContext& context);   // native_jsonl.cc
Status ImportEventsJsonl(const std::string& path, ImportContext& context);  // native_jsonl.cc
// `path`: a dataset directory or its <Name>.txt sequence file.
Status ImportS3Rec(const std::string& path, ImportContext& context);
// `path`: a dataset directory or one of its <Name>.*.inter files.
Status ImportUniSRec(const std::string& path, ImportContext& context);
// `path`: an ml-100k directory (or a folder holding one) or a single u.data-style file.
Status ImportMovieLens(const std::string& path, ImportContext& context);
Status ImportOnlineRetail(const std::string& path, ImportContext& context);
Status ImportAmazonReviews(const std::string& path, ImportContext& context);
Status ImportDiginetica(const std::string& path, ImportContext& context);

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_FORMAT_IMPORTERS_H_
