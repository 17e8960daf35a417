// Amazon review data (McAuley et al.; the 2014 and 2018 releases), one JSON object per line:
//   {"overall": 5.0, "reviewerID": "...", "asin": "...", "summary": "...",
//    "reviewText": "...", "unixReviewTime": 1441324800, ...}
// Mapping: each review gives a "rating" event (value = overall) and, when it has text, a
// "review" event whose text is summary + ". " + reviewText; both at unixReviewTime. Users are
// the reviewer ids; items are created from the asins (create_missing_items), since review
// files carry no catalog.
#include "data/importers/format_importers.h"
#include "data/importers/jsonl_reader.h"
#include "data/importers/row_check.h"

namespace tailor {
namespace {

using Json = nlohmann::json;

// The string at `key`, "" when absent or null; false (row rejected) for other types.
bool StringAt(const Json& object, std::string_view key, std::string_view* out, RowCheck& check) {
  *out = {};
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return true;
  if (!found->is_string())
    return check.Fail(key, std::string("expected a string, got ") + found->type_name());
  *out = found->get_ref<const std::string&>();
  return true;
}

}  // namespace

Status ImportAmazonReviews(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  context.batch().create_missing_items = true;
  JsonlReader jsonl(*lines, context);
  std::vector<Event>& events = context.batch().events;
  while (jsonl.Next()) {
    const Json& object = jsonl.object();
    RowCheck check(context, jsonl.line(), jsonl.raw());
    std::string_view reviewer;
    std::string_view asin;
    std::string_view summary;
    std::string_view review_text;
    if (!StringAt(object, "reviewerID", &reviewer, check) ||
        !StringAt(object, "asin", &asin, check) || !StringAt(object, "summary", &summary, check) ||
        !StringAt(object, "reviewText", &review_text, check)) {
      continue;
    }
    const auto overall = object.find("overall");
    const auto time = object.find("unixReviewTime");
    if (overall == object.end() || !overall->is_number()) {
      check.Fail("overall", "missing or not a number");
      continue;
    }
    if (time == object.end() || !time->is_number_integer() || time->get<int64_t>() < 0) {
      check.Fail("unixReviewTime", "missing or not a unix time");
      continue;
    }
    Event rating;
    if (!check.Id("reviewerID", reviewer, &rating.user_id) ||
        !check.Id("asin", asin, &rating.item_id)) {
      continue;
    }
    rating.type = "rating";
    rating.value = overall->get<double>();
    rating.timestamp = time->get<int64_t>();
    std::string text(summary);
    if (!text.empty() && !review_text.empty()) text += ". ";
    text += review_text;
    if (!text.empty()) {
      Event review;
      review.user_id = rating.user_id;
      review.item_id = rating.item_id;
      review.type = "review";
      review.timestamp = rating.timestamp;
      review.text = std::move(text);
      events.push_back(std::move(rating));
      events.push_back(std::move(review));
    } else {
      events.push_back(std::move(rating));
    }
  }
  RETURN_IF_ERROR(jsonl.status());
  context.ReportProgress(*lines);
  return OkStatus();
}

}  // namespace tailor
