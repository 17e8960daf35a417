// Reading a whole JSON document from a file (dataset metadata such as S3-Rec's
// item2attributes and datamaps). Internal to the importers.
#ifndef TAILOR_DATA_IMPORTERS_JSON_FILE_H_
#define TAILOR_DATA_IMPORTERS_JSON_FILE_H_

#include <nlohmann/json.hpp>
#include <string>

#include "tailor/status.h"

namespace tailor {

// Parses the file at `path` (plain or .xz). Errors: kNotFound naming the path; kDataLoss when
// the document ends early (truncated); kInvalidArgument for other syntax errors, with position.
StatusOr<nlohmann::json> ReadJsonFile(const std::string& path);

}  // namespace tailor

#endif  // TAILOR_DATA_IMPORTERS_JSON_FILE_H_
