// DIGINETICA (CIKM Cup 2016, track 2) item views, as used by SR-GNN and most session-based
// recommenders: ';'-separated with a header
//   session_id;user_id;item_id;timeframe;eventdate      (or sessionId;userId;itemId;...)
// where timeframe is milliseconds since the session started and eventdate is YYYY-MM-DD.
// Mapping: each row is a "view" event at eventdate midnight UTC + timeframe (whole seconds),
// with session_id = the session. The user is user_id when logged in; an anonymous session
// ("NA" or empty) becomes the user "session:<session id>". The file has no catalog, so items
// are created from the events (create_missing_items).
#include "common/csv_reader.h"
#include "data/importers/csv_header.h"
#include "data/importers/format_importers.h"

namespace tailor {
namespace {

int FindEither(const CsvHeader& header, std::string_view name, std::string_view other) {
  const int column = header.Find(name);
  return column >= 0 ? column : header.Find(other);
}

}  // namespace

Status ImportDiginetica(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  context.batch().create_missing_items = true;
  CsvReader csv(*lines, ';');
  ASSIGN_OR_RETURN(CsvHeader header, CsvHeader::Read(csv));
  const int session_col = FindEither(header, "session_id", "sessionid");
  const int user_col = FindEither(header, "user_id", "userid");
  const int item_col = FindEither(header, "item_id", "itemid");
  const int timeframe_col = header.Find("timeframe");
  const int date_col = header.Find("eventdate");
  if (session_col < 0 || user_col < 0 || item_col < 0) {
    RETURN_IF_ERROR(header.Require({"session_id", "user_id", "item_id"}));
  }
  RETURN_IF_ERROR(header.Require({"timeframe", "eventdate"}));
  std::vector<Event>& events = context.batch().events;
  events.reserve(events.size() + static_cast<size_t>(lines->file_size() / 24));  // ~32 B/row
  while (csv.Next()) {
    context.CountRow(*lines);
    RowCheck check(context, csv.line(), csv.raw());
    ASSIGN_OR_RETURN(bool shaped, CheckRecordShape(csv, header.size(), check));
    if (!shaped) continue;
    Event event;
    int64_t timeframe_ms = 0;
    int64_t day_start = 0;
    if (!check.Id("session_id", Cell(csv, session_col), &event.session_id) ||
        !check.Id("item_id", Cell(csv, item_col), &event.item_id) ||
        !check.Integer("timeframe", Cell(csv, timeframe_col), &timeframe_ms) ||
        !check.Timestamp("eventdate", Cell(csv, date_col), &day_start)) {
      continue;
    }
    if (timeframe_ms < 0) {
      check.Fail("timeframe", "must be >= 0 milliseconds");
      continue;
    }
    const std::string_view user = Cell(csv, user_col);
    if (user.empty() || user == "NA") {
      event.user_id = "session:" + event.session_id;
    } else if (!check.Id("user_id", user, &event.user_id)) {
      continue;
    }
    event.type = "view";
    event.timestamp = day_start + timeframe_ms / 1000;
    events.push_back(std::move(event));
  }
  RETURN_IF_ERROR(csv.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

}  // namespace tailor
