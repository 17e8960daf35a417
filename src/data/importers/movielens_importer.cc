// MovieLens 100K (GroupLens, Harper & Konstan 2015): an ml-100k folder
//   u.data   "user<TAB>item<TAB>rating<TAB>unix time"
//   u.item   "id|title|release date|video release date|IMDb URL|19 genre flags" (latin-1)
//   u.user   "id|age|gender|occupation|zip"
//   u.genre  "name|index" (optional; the standard 19 genres otherwise)
// or a single ratings file in u.data's format (u1.base, ua.test, ...).
// Mapping: each rating is a "rating" event (value = stars, timestamp as given); items have the
// title (converted to UTF-8), the genres as categories and release_date / imdb_url attributes;
// users have age, gender, occupation and zip attributes. A single ratings file has no catalog,
// so its items are created from the events (create_missing_items).
#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/parse_number.h"
#include "common/utf8.h"
#include "data/importers/dataset_files.h"
#include "data/importers/format_importers.h"
#include "data/importers/row_check.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 19> kGenres = {
    "unknown",     "Action", "Adventure", "Animation", "Children's", "Comedy",  "Crime",
    "Documentary", "Drama",  "Fantasy",   "Film-Noir", "Horror",     "Musical", "Mystery",
    "Romance",     "Sci-Fi", "Thriller",  "War",       "Western"};

void SplitOn(std::string_view line, char separator, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    const size_t stop = line.find(separator, start);
    fields->push_back(line.substr(start, stop - start));
    if (stop == std::string_view::npos) return;
    start = stop + 1;
  }
}

Status ReadGenres(const std::string& path, ImportContext& context,
                  std::vector<std::string>* genres) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  std::vector<std::string_view> fields;
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    SplitOn(line, '|', &fields);
    const std::optional<int64_t> index = fields.size() == 2 ? ParseInt64(fields[1]) : std::nullopt;
    if (!index || *index < 0 || *index > 1000) {
      return InvalidArgumentError(path + ":" + std::to_string(lines->line_number()) +
                                  ": expected 'name|index'");
    }
    if (static_cast<size_t>(*index) >= genres->size()) genres->resize(*index + 1);
    (*genres)[*index] = Latin1ToUtf8(fields[0]);
  }
  return lines->status();
}

Status ReadMovies(const std::string& path, const std::vector<std::string>& genres,
                  ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  std::vector<std::string_view> fields;
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    context.CountRow(*lines);
    // The file is latin-1; converting first means every later check sees UTF-8.
    const std::string text = Latin1ToUtf8(line);
    RowCheck check(context, lines->line_number(), text);
    SplitOn(text, '|', &fields);
    if (fields.size() < 5) {
      check.Fail("", "expected 'id|title|release date|video release date|IMDb URL|genres...'");
      continue;
    }
    Item item;
    if (!check.Id("movie_id", fields[0], &item.id) ||
        !check.Text("title", fields[1], &item.title)) {
      continue;
    }
    for (size_t genre_idx = 0; genre_idx + 5 < fields.size(); ++genre_idx) {
      if (fields[genre_idx + 5] == "1" && genre_idx < genres.size() && !genres[genre_idx].empty()) {
        item.categories.push_back(genres[genre_idx]);
      }
    }
    nlohmann::json attributes = nlohmann::json::object();
    if (!fields[2].empty()) attributes["release_date"] = std::string(fields[2]);
    if (!fields[4].empty()) attributes["imdb_url"] = std::string(fields[4]);
    item.attributes_json = attributes.dump();
    context.AddItem(std::move(item));
  }
  return lines->status();
}

Status ReadUsers(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  std::vector<std::string_view> fields;
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    context.CountRow(*lines);
    const std::string text = Latin1ToUtf8(line);
    RowCheck check(context, lines->line_number(), text);
    SplitOn(text, '|', &fields);
    if (fields.size() != 5) {
      check.Fail("", "expected 'id|age|gender|occupation|zip'");
      continue;
    }
    User user;
    int64_t age = 0;
    if (!check.Id("user_id", fields[0], &user.id) || !check.Integer("age", fields[1], &age)) {
      continue;
    }
    nlohmann::json attributes = {{"age", age},
                                 {"gender", std::string(fields[2])},
                                 {"occupation", std::string(fields[3])},
                                 {"zip", std::string(fields[4])}};
    user.attributes_json = attributes.dump();
    context.batch().users.push_back(std::move(user));
  }
  return lines->status();
}

Status ReadRatings(const std::string& path, ImportContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, context.OpenFile(path));
  const bool check_items = !context.batch().create_missing_items;
  std::vector<Event>& events = context.batch().events;
  events.reserve(events.size() + static_cast<size_t>(lines->file_size() / 16));  // ~20 B/row
  std::vector<std::string_view> fields;
  std::string_view line;
  while (lines->Next(&line)) {
    if (line.empty()) continue;
    context.CountRow(*lines);
    RowCheck check(context, lines->line_number(), line);
    SplitOn(line, '\t', &fields);
    if (fields.size() != 4) {
      if (!lines->ended_with_newline()) {
        return DataLossError(path + ":" + std::to_string(lines->line_number()) +
                             ": the last line is cut short with no newline (the file looks "
                             "truncated)");
      }
      check.Fail("", "expected 'user<TAB>item<TAB>rating<TAB>timestamp', found " +
                         std::to_string(fields.size()) + " fields");
      continue;
    }
    Event event;
    double rating = 0;
    if (!check.Id("user_id", fields[0], &event.user_id) ||
        !check.Id("item_id", fields[1], &event.item_id) ||
        !check.Number("rating", fields[2], &rating) ||
        !check.Timestamp("timestamp", fields[3], &event.timestamp) ||
        (check_items && !check.KnownItem("item_id", event.item_id))) {
      continue;
    }
    event.type = "rating";
    event.value = rating;
    events.push_back(std::move(event));
  }
  return lines->status();
}

}  // namespace

Status ImportMovieLens(const std::string& path, ImportContext& context) {
  if (!fs::is_directory(path)) {
    context.batch().create_missing_items = true;
    return ReadRatings(path, context);
  }
  ASSIGN_OR_RETURN(const std::string dir, FindMovieLensDir(path));
  std::vector<std::string> genres(kGenres.begin(), kGenres.end());
  if (fs::is_regular_file(JoinPath(dir, "u.genre"))) {
    genres.clear();
    RETURN_IF_ERROR(ReadGenres(JoinPath(dir, "u.genre"), context, &genres));
  }
  if (fs::is_regular_file(JoinPath(dir, "u.item"))) {
    RETURN_IF_ERROR(ReadMovies(JoinPath(dir, "u.item"), genres, context));
  } else {
    context.batch().create_missing_items = true;
  }
  if (fs::is_regular_file(JoinPath(dir, "u.user"))) {
    RETURN_IF_ERROR(ReadUsers(JoinPath(dir, "u.user"), context));
  }
  return ReadRatings(JoinPath(dir, "u.data"), context);
}

}  // namespace tailor
