// Tests of GenerateShop through the files it writes: formats, counts, determinism, and the
// structure a recommender should be able to learn (funnel, tastes, sequences, review tone).
#include "data/synthetic/shop_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/synthetic/word_lists.h"

namespace tailor {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::SizeIs;

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> ReadLines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// RFC 4180 fields of one line (the generator never writes a newline inside a field).
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t pos = 0; pos < line.size(); ++pos) {
    const char c = line[pos];
    if (quoted) {
      if (c == '"' && pos + 1 < line.size() && line[pos + 1] == '"') {
        fields.back().push_back('"');
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

bool IsValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    const size_t length = lead < 0x80         ? 1
                          : (lead >> 5) == 6  ? 2
                          : (lead >> 4) == 14 ? 3
                          : (lead >> 3) == 30 ? 4
                                              : 0;
    if (length == 0 || pos + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[pos + k]) >> 6) != 2) return false;
    }
    pos += length;
  }
  return true;
}

// "2024-05-01" (UTC) for a unix time.
std::string IsoDate(int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[16];
  std::strftime(text, sizeof(text), "%Y-%m-%d", &parts);
  return text;
}

struct EventRow {
  std::string user, item, type, value, text, session, event_id;
  int64_t timestamp = 0;
};

// A generated shop, parsed back with nlohmann::json and a CSV splitter.
struct ParsedShop {
  std::map<std::string, nlohmann::json> items;
  std::map<std::string, nlohmann::json> users;
  std::vector<std::string> item_order, user_order;
  std::vector<EventRow> events;
  std::vector<std::string> errors;  // format problems found while parsing
};

ParsedShop ParseShop(const fs::path& dir) {
  ParsedShop shop;
  auto fail = [&](const std::string& what) { shop.errors.push_back(what); };
  for (const std::string& line : ReadLines(dir / "items.jsonl")) {
    nlohmann::json item;
    try {
      item = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      fail("items.jsonl: " + std::string(e.what()));
      continue;
    }
    if (!item["id"].is_string() || !item["title"].is_string() || !item["description"].is_string() ||
        !item["brand"].is_string() || !item["categories"].is_array() ||
        item["categories"].size() != 3 || !item["price"].is_number() || item["price"] < 0 ||
        item["currency"] != "EUR" || !item["in_stock"].is_boolean() ||
        !item["created_at"].is_number_integer() || !item["attributes"].is_object()) {
      fail("items.jsonl: bad item " + line);
      continue;
    }
    shop.item_order.push_back(item["id"]);
    shop.items[item["id"]] = item;
  }
  for (const std::string& line : ReadLines(dir / "users.jsonl")) {
    nlohmann::json user;
    try {
      user = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      fail("users.jsonl: " + std::string(e.what()));
      continue;
    }
    const nlohmann::json& attributes = user["attributes"];
    if (!user["id"].is_string() || !attributes.is_object() ||
        !attributes["age"].is_number_integer() || !attributes["gender"].is_string() ||
        !attributes["region"].is_string() || !attributes["signup_date"].is_string()) {
      fail("users.jsonl: bad user " + line);
      continue;
    }
    shop.user_order.push_back(user["id"]);
    shop.users[user["id"]] = user;
  }
  const std::vector<std::string> lines = ReadLines(dir / "events.csv");
  if (lines.empty() ||
      lines[0] != "user_id,item_id,type,timestamp,value,text,session_id,event_id") {
    fail("events.csv: bad header");
    return shop;
  }
  for (size_t line_idx = 1; line_idx < lines.size(); ++line_idx) {
    if (!IsValidUtf8(lines[line_idx])) fail("events.csv: invalid UTF-8: " + lines[line_idx]);
    const std::vector<std::string> fields = SplitCsvLine(lines[line_idx]);
    if (fields.size() != 8) {
      fail("events.csv: " + std::to_string(fields.size()) + " fields: " + lines[line_idx]);
      continue;
    }
    EventRow row{fields[0], fields[1], fields[2], fields[4], fields[5], fields[6], fields[7]};
    size_t parsed = 0;
    row.timestamp = std::stoll(fields[3], &parsed);
    if (parsed != fields[3].size()) fail("events.csv: bad timestamp " + fields[3]);
    shop.events.push_back(std::move(row));
  }
  return shop;
}

std::string LeafOf(const nlohmann::json& item) {
  return item["categories"][0].get<std::string>() + " > " +
         item["categories"][1].get<std::string>() + " > " +
         item["categories"][2].get<std::string>();
}

class ShopGeneratorTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("tailor_shop_test_" + std::to_string(::getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A shop big enough for statistics, with many ratings and reviews; parsed once.
  static const ParsedShop& StudyShop() {
    static const ParsedShop* shop = [] {
      const fs::path dir =
          fs::temp_directory_path() / ("tailor_shop_test_" + std::to_string(::getpid()) + "_study");
      ShopOptions options = StudyOptions();
      const StatusOr<ShopSummary> summary = GenerateShop(options, dir.string());
      EXPECT_TRUE(summary.ok()) << summary.status().ToString();
      auto* parsed = new ParsedShop(ParseShop(dir));
      fs::remove_all(dir);
      return parsed;
    }();
    return *shop;
  }
  static ShopOptions StudyOptions() {
    ShopOptions options;
    options.seed = 7;
    options.num_items = 600;
    options.num_users = 200;
    options.num_events = 40000;
    options.num_top_categories = 4;
    options.subcategories_per_top = 3;
    options.leaves_per_subcategory = 3;
    options.num_brands = 20;
    options.rating_rate = 0.6;
    options.review_rate = 0.5;
    return options;
  }

  fs::path dir_;
};

TEST(ShopPresetTest, PresetsAreValidAndGrow) {
  int64_t previous_events = 0;
  for (const std::string& name : ShopPresetNames()) {
    const StatusOr<ShopOptions> options = ShopPreset(name);
    ASSERT_TRUE(options.ok()) << options.status().ToString();
    EXPECT_TRUE(ValidateShopOptions(*options).ok()) << name;
    EXPECT_GT(options->num_events, previous_events) << name;
    previous_events = options->num_events;
  }
  const ShopOptions tiny = *ShopPreset("tiny");
  EXPECT_EQ(tiny.num_items, 50);
  EXPECT_EQ(tiny.num_users, 30);
  EXPECT_EQ(tiny.num_events, 1000);
  const ShopOptions large = *ShopPreset("large");
  EXPECT_EQ(large.num_items, 1000000);
  EXPECT_EQ(large.num_events, 10000000);
}

TEST(ShopPresetTest, UnknownPresetListsTheKnownOnes) {
  const StatusOr<ShopOptions> options = ShopPreset("huge");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(options.status().message(),
              AllOf(HasSubstr("'huge'"), HasSubstr("tiny, small, medium, large")));
}

TEST(ShopOptionsTest, OutOfRangeFieldsAreNamed) {
  ShopOptions options;
  options.num_items = 0;
  Status status = ValidateShopOptions(options);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("ShopOptions.num_items must be in [1, "));
  EXPECT_THAT(status.message(), HasSubstr("got 0"));

  options = ShopOptions();
  options.click_rate = 1.5;
  status = ValidateShopOptions(options);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("ShopOptions.click_rate must be in [0, 1], got 1.5"));

  options = ShopOptions();
  options.num_top_categories = 11;
  status = ValidateShopOptions(options);
  EXPECT_THAT(status.message(), HasSubstr("num_top_categories must be in [1, 10], got 11"));
}

TEST_F(ShopGeneratorTest, InvalidOptionsWriteNothing) {
  ShopOptions options = *ShopPreset("tiny");
  options.num_users = -3;
  const StatusOr<ShopSummary> summary = GenerateShop(options, dir_.string());
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(summary.status().message(), HasSubstr("num_users"));
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(ShopGeneratorTest, OutputFolderThatIsAFileIsAnError) {
  std::ofstream(dir_.string()) << "not a folder";
  const StatusOr<ShopSummary> summary = GenerateShop(*ShopPreset("tiny"), dir_.string());
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(summary.status().message(),
              AllOf(HasSubstr("cannot create output folder"), HasSubstr(dir_.string())));
  fs::remove(dir_);
}

TEST_F(ShopGeneratorTest, CountsMatchOptionsAndSummary) {
  const ShopOptions options = *ShopPreset("tiny");
  std::map<std::string, ProgressUpdate> last;
  const StatusOr<ShopSummary> summary =
      GenerateShop(options, dir_.string(), [&](const ProgressUpdate& u) { last[u.stage] = u; });
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->items, 50);
  EXPECT_EQ(summary->users, 30);
  EXPECT_EQ(summary->events, 1000);
  EXPECT_THAT(summary->files,
              ElementsAre((dir_ / "items.jsonl").string(), (dir_ / "users.jsonl").string(),
                          (dir_ / "events.csv").string()));
  int64_t by_type_total = 0;
  for (const auto& [type, count] : summary->events_by_type) by_type_total += count;
  EXPECT_EQ(by_type_total, 1000);
  EXPECT_THAT(summary->events_by_type, SizeIs(8));

  const ParsedShop shop = ParseShop(dir_);
  EXPECT_THAT(shop.errors, SizeIs(0)) << (shop.errors.empty() ? "" : shop.errors[0]);
  EXPECT_THAT(shop.items, SizeIs(50));
  EXPECT_THAT(shop.users, SizeIs(30));
  EXPECT_THAT(shop.events, SizeIs(1000));
  EXPECT_EQ(summary->bytes, static_cast<int64_t>(fs::file_size(dir_ / "items.jsonl") +
                                                 fs::file_size(dir_ / "users.jsonl") +
                                                 fs::file_size(dir_ / "events.csv")));
  for (const char* stage : {"items", "users", "events"}) {
    ASSERT_TRUE(last.count(stage)) << stage;
    EXPECT_EQ(last[stage].done, last[stage].total) << stage;
  }
  EXPECT_EQ(last["events"].total, 1000);
  // No temp files are left behind.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) files += entry.is_regular_file();
  EXPECT_EQ(files, 3);
}

TEST_F(ShopGeneratorTest, SameSeedSameBytesOtherSeedOtherShop) {
  ShopOptions options = *ShopPreset("tiny");
  ASSERT_TRUE(GenerateShop(options, (dir_ / "a").string()).ok());
  ASSERT_TRUE(GenerateShop(options, (dir_ / "b").string()).ok());
  options.seed = 43;
  ASSERT_TRUE(GenerateShop(options, (dir_ / "c").string()).ok());
  for (const char* file : {"items.jsonl", "users.jsonl", "events.csv"}) {
    const std::string a = ReadFile(dir_ / "a" / file);
    EXPECT_GT(a.size(), 1000u) << file;
    EXPECT_EQ(a, ReadFile(dir_ / "b" / file)) << file;
    EXPECT_NE(a, ReadFile(dir_ / "c" / file)) << file;
  }
}

TEST_F(ShopGeneratorTest, MoreEventsKeepTheCatalogAndUsers) {
  ShopOptions options = *ShopPreset("tiny");
  ASSERT_TRUE(GenerateShop(options, (dir_ / "a").string()).ok());
  options.num_events = 0;
  ASSERT_TRUE(GenerateShop(options, (dir_ / "b").string()).ok());
  EXPECT_EQ(ReadFile(dir_ / "a" / "items.jsonl"), ReadFile(dir_ / "b" / "items.jsonl"));
  EXPECT_EQ(ReadFile(dir_ / "a" / "users.jsonl"), ReadFile(dir_ / "b" / "users.jsonl"));
  EXPECT_EQ(ReadFile(dir_ / "b" / "events.csv"),
            "user_id,item_id,type,timestamp,value,text,session_id,event_id\n");
}

TEST_F(ShopGeneratorTest, FewerItemsThanLeavesStillWorks) {
  ShopOptions options;  // 96 leaves
  options.num_items = 5;
  options.num_users = 1;
  options.num_events = 300;
  ASSERT_TRUE(GenerateShop(options, dir_.string()).ok());
  const ParsedShop shop = ParseShop(dir_);
  EXPECT_THAT(shop.errors, SizeIs(0));
  EXPECT_THAT(shop.events, SizeIs(300));
  for (const EventRow& event : shop.events) EXPECT_TRUE(shop.items.count(event.item));
}

TEST_F(ShopGeneratorTest, FilesParseAndEventsReferenceExistingRows) {
  const ParsedShop& shop = StudyShop();
  ASSERT_THAT(shop.errors, SizeIs(0)) << shop.errors[0];
  ASSERT_THAT(shop.events, SizeIs(StudyOptions().num_events));
  const std::set<std::string> types = {"view",     "click",  "add_to_cart", "remove_from_cart",
                                       "purchase", "rating", "review",      "return"};
  std::set<std::string> event_ids;
  for (const EventRow& event : shop.events) {
    EXPECT_TRUE(shop.users.count(event.user)) << event.user;
    EXPECT_TRUE(shop.items.count(event.item)) << event.item;
    EXPECT_TRUE(types.count(event.type)) << event.type;
    EXPECT_FALSE(event.session.empty());
    EXPECT_TRUE(event_ids.insert(event.event_id).second) << "duplicate " << event.event_id;
    EXPECT_GE(event.timestamp, StudyOptions().start_time);
    EXPECT_GE(event.timestamp, shop.items.at(event.item)["created_at"].get<int64_t>())
        << event.item << " seen before it was created";
    EXPECT_GE(IsoDate(event.timestamp),
              shop.users.at(event.user)["attributes"]["signup_date"].get<std::string>())
        << event.user << " active before signing up";
  }
  // Ids are numbered from 1 in file order.
  EXPECT_EQ(shop.item_order.front(), "i1");
  EXPECT_EQ(shop.user_order.back(), "u200");
  // Some items are out of stock, prices vary, categories form a 3-level tree.
  int out_of_stock = 0;
  std::set<std::string> leaves;
  double min_price = 1e9, max_price = 0;
  for (const auto& [id, item] : shop.items) {
    out_of_stock += !item["in_stock"].get<bool>();
    leaves.insert(LeafOf(item));
    min_price = std::min(min_price, item["price"].get<double>());
    max_price = std::max(max_price, item["price"].get<double>());
    EXPECT_THAT(item["title"].get<std::string>(), HasSubstr(item["brand"].get<std::string>()));
  }
  EXPECT_GT(out_of_stock, 0);
  EXPECT_LT(out_of_stock, 600 / 5);
  EXPECT_EQ(leaves.size(), 4u * 3u * 3u);
  EXPECT_GT(max_price / min_price, 10.0);
}

TEST_F(ShopGeneratorTest, FunnelNarrowsAndFollowsOrderWithinSessions) {
  const ParsedShop& shop = StudyShop();
  std::map<std::string, int64_t> counts;
  // (session, item) -> furthest funnel step seen so far: 1 view, 2 click, 3 add_to_cart.
  std::map<std::pair<std::string, std::string>, int> step;
  int out_of_order = 0;
  for (const EventRow& event : shop.events) {
    ++counts[event.type];
    static const std::map<std::string, int> kStepOf = {
        {"view", 1}, {"click", 2}, {"add_to_cart", 3}, {"purchase", 4}, {"remove_from_cart", 4}};
    const auto step_of = kStepOf.find(event.type);
    if (step_of == kStepOf.end()) continue;  // feedback comes in later sessions
    int& reached = step[{event.session, event.item}];
    if (reached < step_of->second - 1) ++out_of_order;  // e.g. a click without a view
    reached = std::max(reached, std::min(step_of->second, 3));
  }
  EXPECT_EQ(out_of_order, 0);
  EXPECT_GE(counts["view"], counts["click"]);
  EXPECT_GE(counts["click"], counts["add_to_cart"]);
  EXPECT_GE(counts["add_to_cart"], counts["purchase"]);
  EXPECT_GT(counts["purchase"], 100);
  EXPECT_GT(counts["remove_from_cart"], 0);
  EXPECT_GT(counts["return"], 0);
  // Realistic shapes, not just ordering: most views are not clicked.
  EXPECT_LT(counts["click"], counts["view"] / 2);
}

TEST_F(ShopGeneratorTest, TimeMovesForwardPerUserAndSessions) {
  const ParsedShop& shop = StudyShop();
  std::unordered_map<std::string, int64_t> last_time;
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> session_span;  // first, last
  std::unordered_map<std::string, std::string> session_user;
  int backwards = 0;
  for (const EventRow& event : shop.events) {
    auto [it, inserted] = last_time.try_emplace(event.user, event.timestamp);
    if (!inserted) {
      backwards += event.timestamp < it->second;
      it->second = event.timestamp;
    }
    session_span.try_emplace(event.session, event.timestamp, event.timestamp).first->second.second =
        event.timestamp;
    const auto owner = session_user.try_emplace(event.session, event.user).first;
    EXPECT_EQ(owner->second, event.user) << "session " << event.session << " has two users";
  }
  EXPECT_EQ(backwards, 0);
  // Sessions last minutes; the same user's sessions are days apart (median).
  std::vector<int64_t> durations;
  for (const auto& [session, span] : session_span) durations.push_back(span.second - span.first);
  std::nth_element(durations.begin(), durations.begin() + durations.size() / 2, durations.end());
  EXPECT_THAT(durations[durations.size() / 2], AllOf(Ge(10), Le(3600)));
  std::map<std::string, std::vector<int64_t>> starts_by_user;
  for (const auto& [session, span] : session_span) {
    starts_by_user[session_user[session]].push_back(span.first);
  }
  std::vector<int64_t> gaps;
  for (auto& [user, starts] : starts_by_user) {
    std::sort(starts.begin(), starts.end());
    for (size_t idx = 1; idx < starts.size(); ++idx) gaps.push_back(starts[idx] - starts[idx - 1]);
  }
  ASSERT_GT(gaps.size(), 100u);
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  EXPECT_GT(gaps[gaps.size() / 2], 86400);
}

TEST_F(ShopGeneratorTest, RatingsAndReviewsFollowPurchasesAndTone) {
  const ParsedShop& shop = StudyShop();
  // The review noun of every leaf, from the word lists.
  std::map<std::string, std::string> noun_by_leaf;
  for (const auto& top : synthetic::TopCategories()) {
    for (const auto& sub : top.subcategories) {
      for (const auto& leaf : sub.leaves) {
        noun_by_leaf[std::string(top.name) + " > " + std::string(sub.name) + " > " +
                     std::string(leaf.name)] = leaf.review_noun;
      }
    }
  }
  const std::vector<std::string> positive = {"love", "excellent", "great", "perfect", "recommend"};
  const std::vector<std::string> negative = {"disappointed", "poor", "terrible", "broke", "refund"};
  auto mentions = [](std::string text, const std::vector<std::string>& words) {
    std::transform(text.begin(), text.end(), text.begin(), ::tolower);
    return std::any_of(words.begin(), words.end(), [&](const std::string& word) {
      return text.find(word) != std::string::npos;
    });
  };
  std::set<std::pair<std::string, std::string>> purchased;
  std::map<int, int> rating_stars, review_stars;
  for (const EventRow& event : shop.events) {
    if (event.type == "purchase") purchased.insert({event.user, event.item});
    if (event.type != "rating" && event.type != "review" && event.type != "return") {
      EXPECT_TRUE(event.text.empty());
      continue;
    }
    EXPECT_TRUE(purchased.count({event.user, event.item}))
        << event.type << " " << event.event_id << " without an earlier purchase";
    if (event.type == "return") continue;
    const int stars = std::stoi(event.value);
    ASSERT_THAT(stars, AllOf(Ge(1), Le(5))) << event.event_id;
    if (event.type == "rating") {
      ++rating_stars[stars];
      EXPECT_TRUE(event.text.empty());
      continue;
    }
    ++review_stars[stars];
    EXPECT_THAT(event.text, HasSubstr(noun_by_leaf.at(LeafOf(shop.items.at(event.item)))));
    EXPECT_EQ(mentions(event.text, positive), stars >= 4) << stars << ": " << event.text;
    EXPECT_EQ(mentions(event.text, negative), stars <= 2) << stars << ": " << event.text;
  }
  // Every star value occurs, and shoppers are mostly happy (J-shaped, like real shops).
  for (int stars = 1; stars <= 5; ++stars) {
    EXPECT_GT(rating_stars[stars], 0) << stars;
    EXPECT_GT(review_stars[stars], 0) << stars;
  }
  EXPECT_GT(rating_stars[5], rating_stars[2]);
  EXPECT_GT(rating_stars[4] + rating_stars[5], rating_stars[1] + rating_stars[2] + rating_stars[3]);
}

// Share of a user's events that fall in their 3 most frequent leaves, averaged over users with
// at least 10 events. `item_of(event_idx)` gives the item to count.
template <typename ItemOf>
double TopThreeLeafShare(const ParsedShop& shop, const ItemOf& item_of) {
  std::map<std::string, std::map<std::string, int>> leaf_counts;
  for (size_t event_idx = 0; event_idx < shop.events.size(); ++event_idx) {
    ++leaf_counts[shop.events[event_idx].user][LeafOf(shop.items.at(item_of(event_idx)))];
  }
  double share_sum = 0.0;
  int users = 0;
  for (const auto& [user, counts] : leaf_counts) {
    std::vector<int> sizes;
    int total = 0;
    for (const auto& [leaf, count] : counts) sizes.push_back(count), total += count;
    if (total < 10) continue;
    std::sort(sizes.rbegin(), sizes.rend());
    int top = 0;
    for (size_t rank = 0; rank < std::min<size_t>(3, sizes.size()); ++rank) top += sizes[rank];
    share_sum += static_cast<double>(top) / total;
    ++users;
  }
  return users == 0 ? 0.0 : share_sum / users;
}

TEST_F(ShopGeneratorTest, UsersConcentrateOnTheirPreferredLeaves) {
  const ParsedShop& shop = StudyShop();
  const double share =
      TopThreeLeafShare(shop, [&](size_t event_idx) { return shop.events[event_idx].item; });
  // Chance level: the same events with items shuffled across users (36 leaves).
  std::vector<std::string> shuffled;
  for (const EventRow& event : shop.events) shuffled.push_back(event.item);
  std::mt19937 rng(1);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  const double chance =
      TopThreeLeafShare(shop, [&](size_t event_idx) { return shuffled[event_idx]; });
  EXPECT_GT(share, 0.7);
  EXPECT_LT(chance, 0.35);
  EXPECT_GT(share, chance + 0.4);
}

TEST_F(ShopGeneratorTest, NextSessionsContinueRelatedCategories) {
  const ParsedShop& shop = StudyShop();
  // Per user, the subcategory (top > sub) of each session's first and last view.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> sessions;
  std::map<std::string, std::string> last_session;
  for (const EventRow& event : shop.events) {
    if (event.type != "view") continue;
    const nlohmann::json& item = shop.items.at(event.item);
    const std::string sub =
        item["categories"][0].get<std::string>() + " > " + item["categories"][1].get<std::string>();
    auto& user_sessions = sessions[event.user];
    if (last_session[event.user] != event.session) {
      user_sessions.push_back({sub, sub});
      last_session[event.user] = event.session;
    }
    user_sessions.back().second = sub;
  }
  // How often a session starts in the subcategory where the session `gap` before it ended.
  auto same_subcategory_rate = [&](size_t gap) {
    int hits = 0, pairs = 0;
    for (const auto& [user, user_sessions] : sessions) {
      for (size_t idx = gap; idx < user_sessions.size(); ++idx) {
        hits += user_sessions[idx - gap].second == user_sessions[idx].first;
        ++pairs;
      }
    }
    return static_cast<double>(hits) / std::max(pairs, 1);
  };
  // Order matters: the next session relates to the last one more than to older ones.
  EXPECT_GT(same_subcategory_rate(1), same_subcategory_rate(3) + 0.1);
}

}  // namespace
}  // namespace tailor
