#include "data/importers/jsonl_reader.h"

#include "common/utf8.h"

namespace tailor {
namespace {

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 9: syntax
// error ..." without the prefix and the line (always 1 here): "column 9: syntax error ...".
std::string ParseErrorDetail(const std::string& what) {
  const size_t column = what.find("column ");
  return column == std::string::npos ? what : what.substr(column);
}

}  // namespace

std::optional<std::string> JsonlReader::Parse(std::string_view text, bool* ended_early,
                                              bool* syntax_error) {
  *ended_early = false;
  *syntax_error = false;
  const size_t bad = FindInvalidUtf8(text);
  if (bad != kValidUtf8) return "invalid UTF-8 at byte " + std::to_string(bad + 1);
  try {
    object_ = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    const std::string detail = ParseErrorDetail(error.what());
    *syntax_error = true;
    *ended_early = detail.find("end of input") != std::string::npos ||
                   detail.find("missing closing quote") != std::string::npos;
    return "not valid JSON (" + detail + ")";
  }
  if (!object_.is_object()) return std::string("expected a JSON object on each line");
  return std::nullopt;
}

bool JsonlReader::Next() {
  std::string_view text;
  while (true) {
    if (!lines_.Next(&text)) {
      status_ = lines_.status();
      if (status_.ok() && pending_) {
        status_ = DataLossError(
            lines_.path() + ":" + std::to_string(pending_->line) +
            ": the last line ends mid-object (the file looks truncated): " + pending_->reason);
      }
      return false;
    }
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (pending_) {
      context_.Reject(pending_->line, "", std::move(pending_->reason), pending_->raw);
      pending_.reset();
    }
    context_.CountRow(lines_);
    line_ = lines_.line_number();
    raw_ = text;
    bool ended_early = false;
    bool syntax_error = false;
    std::optional<std::string> reason = Parse(text, &ended_early, &syntax_error);
    if (!reason) return true;
    if (syntax_error && !lines_.ended_with_newline()) {
      status_ = DataLossError(lines_.path() + ":" + std::to_string(line_) +
                              ": the last line is cut short, with no newline (the file looks "
                              "truncated): " +
                              *reason);
      return false;
    }
    if (ended_early) {
      pending_ = BadLine{line_, std::move(*reason), std::string(text)};
    } else {
      context_.Reject(line_, "", std::move(*reason), text);
    }
  }
}

}  // namespace tailor
