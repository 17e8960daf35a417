#include "data/importers/json_file.h"

#include "common/line_reader.h"

namespace tailor {

StatusOr<nlohmann::json> ReadJsonFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  std::string text;
  std::string_view line;
  while (reader->Next(&line)) {
    text.append(line);
    text.push_back('\n');
  }
  RETURN_IF_ERROR(reader->status());
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    const std::string what = error.what();
    const size_t at = what.find("parse error");
    const std::string detail = at == std::string::npos ? what : what.substr(at);
    if (what.find("end of input") != std::string::npos) {
      return DataLossError(path + ": JSON ends early (the file looks truncated): " + detail);
    }
    return InvalidArgumentError(path + ": not valid JSON: " + detail);
  }
}

}  // namespace tailor
