// The HTTP server end to end: a real listener on an ephemeral port, an in-memory store filled
// here, an item-knn model trained here, and httplib::Client as the shop.
//
// Fixture (views unless noted): kitchen fans kf0..kf5 view k1 k2 k3 (kf0..kf2 also k4), garden
// fans gf0..gf9 view g1..g4 (so garden items are the most popular), tf0 views t1 t2, alice
// views g1 and buys g2, dave views k1, erin views k1 and g1 and returns k4 (a negative event).
// k3 is out of stock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "dataset/dataset.h"
#include "models/recommender.h"
#include "serve/model_holder.h"
#include "serve/serve_test_util.h"
#include "serve/server.h"
#include "text/sentiment_test_util.h"

namespace tailor {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSubsetOf;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

struct Reply {
  int status = 0;
  json body;
  std::string raw;
  httplib::Headers headers;
};

Item MakeItem(std::string id, std::string title, std::vector<std::string> categories,
              bool in_stock = true) {
  Item item;
  item.id = std::move(id);
  item.title = std::move(title);
  item.categories = std::move(categories);
  item.in_stock = in_stock;
  item.price = 10.0;
  return item;
}

std::vector<std::string> Ids(const json& list) {
  std::vector<std::string> ids;
  for (const json& entry : list) ids.push_back(entry.at("id").get<std::string>());
  return ids;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    models_dir_ = dir_.file("models");
    std::filesystem::create_directories(models_dir_);
    FillStore();
  }

  void TearDown() override {
    client_.reset();
    if (server_) {
      server_->Stop();
      EXPECT_TRUE(server_->Wait().ok());
    }
  }

  void FillStore() {
    WriteBatch batch;
    batch.items = {
        MakeItem("k1", "Chef Knife", {"Home", "Kitchen"}),
        MakeItem("k2", "Cutting Board", {"Home", "Kitchen"}),
        MakeItem("k3", "Knife Sharpener", {"Home", "Kitchen"}, /*in_stock=*/false),
        MakeItem("k4", "Apron", {"Home", "Kitchen"}),
        MakeItem("g1", "Garden Hose", {"Home", "Garden"}),
        MakeItem("g2", "Rake", {"Home", "Garden"}),
        MakeItem("g3", "Shovel", {"Home", "Garden"}),
        MakeItem("g4", "Gloves", {"Home", "Garden"}),
        MakeItem("t1", "Puzzle", {"Toys"}),
        MakeItem("t2", "Kite", {"Toys"}),
    };
    batch.users = {User{"alice", R"({"age": 31})"}};
    int64_t timestamp = 1714557600;
    auto add = [&](const std::string& user, const std::string& item,
                   const std::string& type = "view") {
      Event event;
      event.user_id = user;
      event.item_id = item;
      event.type = type;
      event.timestamp = timestamp++;
      batch.events.push_back(event);
    };
    for (int fan = 0; fan < 6; ++fan) {
      const std::string user = "kf" + std::to_string(fan);
      for (const char* item : {"k1", "k2", "k3"}) add(user, item);
      if (fan < 3) add(user, "k4");
    }
    for (int fan = 0; fan < 10; ++fan) {
      for (const char* item : {"g1", "g2", "g3", "g4"}) add("gf" + std::to_string(fan), item);
    }
    add("tf0", "t1");
    add("tf0", "t2");
    add("alice", "g1");
    add("alice", "g2", "purchase");
    add("dave", "k1");
    add("erin", "k1");
    add("erin", "g1");
    add("erin", "k4", "return");
    auto written = store_->Write(batch);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }

  // Trains `model_name` on the whole store and saves it as a new artifact; returns its path.
  std::string TrainAndSave(const std::string& model_name) {
    auto dataset = LoadDataset(*store_);
    EXPECT_TRUE(dataset.ok()) << dataset.status().ToString();
    auto model = MakeRecommender(model_name);
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    FitOptions fit;
    fit.threads = 1;
    Status fitted = (*model)->Fit(dataset->histories, fit);
    EXPECT_TRUE(fitted.ok()) << fitted.ToString();
    std::string path = NewArtifactPath(models_dir_, model_name);
    Status saved = SaveModel(**model, path);
    EXPECT_TRUE(saved.ok()) << saved.ToString();
    return path;
  }

  // Moves a file's mtime `seconds` into the past, so that a file written next is newer.
  static void Age(const std::string& path, int seconds) {
    auto mtime = std::filesystem::last_write_time(path);
    std::filesystem::last_write_time(path, mtime - std::chrono::seconds(seconds));
  }

  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    options.models_dir = models_dir_;
    options.threads = options.threads == 8 ? 4 : options.threads;
    if (options.poll_seconds == 2) options.poll_seconds = 0;  // tests reload explicitly
    options.log = [this](std::string_view line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.emplace_back(line);
    };
    auto server = Server::Create(*store_, options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_GT(server_->port(), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
  }

  void StartWithModel() {
    TrainAndSave("item-knn");
    StartServer();
  }

  Reply ToReply(const httplib::Result& result) {
    Reply reply;
    if (!result) {
      ADD_FAILURE() << "HTTP request failed: " << httplib::to_string(result.error());
      return reply;
    }
    reply.status = result->status;
    reply.raw = result->body;
    reply.headers = result->headers;
    reply.body = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(reply.body.is_discarded()) << "not JSON: " << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    return reply;
  }
  Reply Get(const std::string& path) { return ToReply(client_->Get(path)); }
  Reply Post(const std::string& path, const std::string& body) {
    return ToReply(client_->Post(path, body, "application/json"));
  }
  Reply Post(const std::string& path, const json& body) { return Post(path, body.dump()); }

  int64_t StoredEvents() {
    auto stats = store_->Stats();
    EXPECT_TRUE(stats.ok());
    return stats.ok() ? stats->events : -1;
  }

  std::vector<std::string> Logged() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }

  TempDir dir_;
  std::string models_dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

// Asserts the error shape {"error": {"code": ..., "message": ...}}.
void ExpectError(const Reply& reply, int http_status, const std::string& code,
                 const std::string& message_part) {
  EXPECT_EQ(reply.status, http_status) << reply.raw;
  ASSERT_TRUE(reply.body.contains("error")) << reply.raw;
  EXPECT_EQ(reply.body["error"]["code"], code) << reply.raw;
  EXPECT_THAT(reply.body["error"]["message"].get<std::string>(), HasSubstr(message_part));
}

TEST_F(ServerTest, HealthReportsTheModelAndTheStoreCounts) {
  StartWithModel();
  Reply reply = Get("/health");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_EQ(reply.body["status"], "ok");
  EXPECT_EQ(reply.body["model"], "item-knn");
  EXPECT_THAT(reply.body["model_file"].get<std::string>(), HasSubstr(".tmodel"));
  EXPECT_EQ(reply.body["items"], 10);
  EXPECT_EQ(reply.body["users"], 20);
  EXPECT_EQ(reply.body["events"], 69);
}

TEST_F(ServerTest, RecommendsForAKnownUserWithoutTheItemsSeen) {
  StartWithModel();
  Reply reply = Get("/recommend/erin?n=3");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_EQ(reply.body["user"], "erin");
  EXPECT_EQ(reply.body["user_known"], true);
  EXPECT_EQ(reply.body["model"], "item-knn");
  EXPECT_EQ(reply.body["history"], 2);  // the return is not history, it is a rejection
  ASSERT_THAT(reply.body["items"], SizeIs(3));
  const json& first = reply.body["items"][0];
  EXPECT_TRUE(first.contains("title") && first.contains("score") && first.contains("reason"));
  EXPECT_GT(first["score"].get<double>(), 0.0);
  std::vector<std::string> ids = Ids(reply.body["items"]);
  EXPECT_THAT(ids, AllOf(Not(Contains("k1")), Not(Contains("g1")), Not(Contains("k4"))));
}

TEST_F(ServerTest, ExcludeSeenFalseKeepsHistoryItemsButNeverRejectedOnes) {
  StartWithModel();
  Reply seen = Get("/recommend/erin?n=10&exclude_seen=false");
  ASSERT_EQ(seen.status, 200) << seen.raw;
  EXPECT_THAT(Ids(seen.body["items"]), AllOf(Contains("k1"), Not(Contains("k4"))));
  Reply unseen = Get("/recommend/erin?n=10&exclude_seen=true");
  ASSERT_EQ(unseen.status, 200) << unseen.raw;
  EXPECT_THAT(Ids(unseen.body["items"]), AllOf(Not(Contains("k1")), Not(Contains("k4"))));
}

TEST_F(ServerTest, CategoryFilterKeepsOnlyThoseCategories) {
  StartWithModel();
  Reply kitchen = Get("/recommend/erin?n=10&category=Kitchen");
  ASSERT_EQ(kitchen.status, 200) << kitchen.raw;
  EXPECT_THAT(Ids(kitchen.body["items"]), AllOf(Not(IsEmpty()), Each(StartsWith("k"))));
  Reply both = Get("/recommend/erin?n=10&category=Kitchen,Toys");
  ASSERT_EQ(both.status, 200) << both.raw;
  EXPECT_THAT(Ids(both.body["items"]), Each(Not(StartsWith("g"))));
  Reply repeated = Get("/recommend/erin?n=10&category=Garden&category=Toys");
  ASSERT_EQ(repeated.status, 200) << repeated.raw;
  EXPECT_THAT(Ids(repeated.body["items"]), AllOf(Not(IsEmpty()), Each(Not(StartsWith("k")))));
  Reply path = Get("/recommend/erin?n=10&exclude_category=Home%20%3E%20Garden");
  ASSERT_EQ(path.status, 200) << path.raw;
  EXPECT_THAT(Ids(path.body["items"]), Each(Not(StartsWith("g"))));
  ExpectError(Get("/recommend/erin?category=Shoes"), 400, "INVALID_ARGUMENT",
              "category: unknown category 'Shoes'");
}

TEST_F(ServerTest, InStockFilterDropsOutOfStockItems) {
  StartWithModel();
  Reply all = Get("/recommend/dave?n=3");
  ASSERT_EQ(all.status, 200) << all.raw;
  EXPECT_THAT(Ids(all.body["items"]), UnorderedElementsAre("k2", "k3", "k4"));
  Reply in_stock = Get("/recommend/dave?n=3&in_stock=true");
  ASSERT_EQ(in_stock.status, 200) << in_stock.raw;
  EXPECT_THAT(Ids(in_stock.body["items"]),
              AllOf(Contains("k2"), Contains("k4"), Not(Contains("k3"))));
}

TEST_F(ServerTest, ExcludeDropsTheListedItems) {
  StartWithModel();
  Reply reply = Get("/recommend/dave?n=5&exclude=k2,k4");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_THAT(Ids(reply.body["items"]), AllOf(Not(Contains("k2")), Not(Contains("k4"))));
  EXPECT_EQ(reply.body["items"][0]["id"], "k3");
  ExpectError(Get("/recommend/dave?exclude=nope"), 404, "NOT_FOUND", "unknown item 'nope'");
}

TEST_F(ServerTest, NOutsideItsRangeIsABadRequestNamingN) {
  StartWithModel();
  for (const char* n : {"0", "1001", "abc", "-3"}) {
    ExpectError(Get(std::string("/recommend/dave?n=") + n), 400, "INVALID_ARGUMENT",
                "query parameter 'n'");
  }
  EXPECT_EQ(Get("/recommend/dave?n=1000").status, 200);
  ExpectError(Get("/recommend/dave?count=3"), 400, "INVALID_ARGUMENT",
              "unknown query parameter 'count'");
  ExpectError(Get("/recommend/dave?exclude_seen=maybe"), 400, "INVALID_ARGUMENT",
              "query parameter 'exclude_seen'");
}

TEST_F(ServerTest, UnknownUserGetsColdStartRecommendations) {
  StartWithModel();
  Reply reply = Get("/recommend/nobody?n=4");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_EQ(reply.body["user_known"], false);
  EXPECT_EQ(reply.body["history"], 0);
  // Garden items are the most popular.
  EXPECT_THAT(Ids(reply.body["items"]), UnorderedElementsAre("g1", "g2", "g3", "g4"));
}

TEST_F(ServerTest, APostedEventChangesTheNextRecommendation) {
  StartWithModel();
  Reply before = Get("/recommend/bob?n=3");
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body["user_known"], false);
  EXPECT_THAT(Ids(before.body["items"]), Each(StartsWith("g")));

  Reply posted = Post("/events", json{{"user_id", "bob"}, {"item_id", "k1"}, {"type", "view"}});
  ASSERT_EQ(posted.status, 201) << posted.raw;
  EXPECT_EQ(posted.body, json::parse(R"({"stored": 1, "duplicates": 0})"));

  Reply after = Get("/recommend/bob?n=3");
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_EQ(after.body["user_known"], true);
  EXPECT_EQ(after.body["history"], 1);
  EXPECT_THAT(Ids(after.body["items"]), UnorderedElementsAre("k2", "k3", "k4"));
  EXPECT_THAT(after.body["items"][0]["reason"].get<std::string>(), HasSubstr("k1"));
}

TEST_F(ServerTest, PostsABatchOfEventsAndSkipsDuplicates) {
  StartWithModel();
  const json body = json::parse(R"({"events": [
      {"user_id": "zoe", "item_id": "t1", "type": "view", "timestamp": "2024-05-02T10:00:00Z",
       "event_id": "e-1"},
      {"user_id": "zoe", "item_id": "t2", "type": "rating", "timestamp": 1714644000,
       "value": 4, "text": "fun", "session_id": "s1"}]})");
  Reply first = Post("/events", body);
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_EQ(first.body, json::parse(R"({"stored": 2, "duplicates": 0})"));
  Reply again = Post("/events", body);
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(again.body, json::parse(R"({"stored": 0, "duplicates": 2})"));
  EXPECT_EQ(StoredEvents(), 71);
}

TEST_F(ServerTest, EventWithAnUnknownItemStoresNothing) {
  StartWithModel();
  const int64_t events_before = StoredEvents();
  Reply reply = Post("/events", json::parse(R"({"events": [
      {"user_id": "newcomer", "item_id": "k1", "type": "view"},
      {"user_id": "newcomer", "item_id": "ghost", "type": "view"}]})"));
  ExpectError(reply, 404, "NOT_FOUND", "events[1]: unknown item 'ghost'");
  EXPECT_EQ(StoredEvents(), events_before);
  auto newcomer = store_->FindUser("newcomer");
  ASSERT_TRUE(newcomer.ok());
  EXPECT_FALSE(newcomer->has_value());
}

TEST_F(ServerTest, InvalidEventsAreBadRequests) {
  StartWithModel();
  const int64_t events_before = StoredEvents();
  ExpectError(Post("/events", std::string("{\"user_id\": \"u\", ")), 400, "INVALID_ARGUMENT",
              "request body is not valid JSON");
  ExpectError(Post("/events", std::string("")), 400, "INVALID_ARGUMENT", "the body is empty");
  ExpectError(Post("/events", json::parse(R"({"user_id": "u", "item_id": "k1", "type": "wink"})")),
              400, "INVALID_ARGUMENT", "events[0]: field 'type': unknown event type 'wink'");
  ExpectError(Post("/events", json::parse(R"({"user_id": "u", "item_id": "k1"})")), 400,
              "INVALID_ARGUMENT", "events[0]: field 'type': required");
  ExpectError(Post("/events", json::parse(R"({"events": [{"user_id": "u", "item_id": "k1",
                                             "type": "view", "timestamp": "yesterday"}]})")),
              400, "INVALID_ARGUMENT", "field 'timestamp': not a date or unix time");
  ExpectError(Post("/events", json::parse(R"({"events": {"user_id": "u"}})")), 400,
              "INVALID_ARGUMENT", "field 'events': expected an array");
  EXPECT_EQ(StoredEvents(), events_before);
}

TEST_F(ServerTest, RecommendsForAnAnonymousSession) {
  StartWithModel();
  Reply reply = Post("/recommend", json::parse(R"({"history": [{"item": "k1", "type": "view"}],
                                                  "n": 3})"));
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_EQ(reply.body["user"], nullptr);
  EXPECT_EQ(reply.body["user_known"], false);
  EXPECT_THAT(Ids(reply.body["items"]), UnorderedElementsAre("k2", "k3", "k4"));

  Reply filtered = Post("/recommend", json::parse(R"({"history": ["k1", "g1"], "n": 10,
      "category": ["Kitchen"], "in_stock": true, "exclude": "k2"})"));
  ASSERT_EQ(filtered.status, 200) << filtered.raw;
  EXPECT_THAT(Ids(filtered.body["items"]),
              AllOf(Not(IsEmpty()), Each(StartsWith("k")), Not(Contains("k1")), Not(Contains("k2")),
                    Not(Contains("k3"))));

  Reply empty = Post("/recommend", json::parse(R"({"n": 2})"));
  ASSERT_EQ(empty.status, 200) << empty.raw;
  EXPECT_THAT(Ids(empty.body["items"]), Each(StartsWith("g")));

  ExpectError(Post("/recommend", json::parse(R"({"history": ["ghost"]})")), 404, "NOT_FOUND",
              "history[0]: unknown item 'ghost'");
  ExpectError(Post("/recommend", json::parse(R"({"history": [{"item": "k1", "type": "wink"}]})")),
              400, "INVALID_ARGUMENT", "history[0]: field 'type': unknown event type 'wink'");
  ExpectError(Post("/recommend", json::parse(R"({"history": [], "n": 0})")), 400,
              "INVALID_ARGUMENT", "field 'n'");
  ExpectError(Post("/recommend", std::string("[1, 2")), 400, "INVALID_ARGUMENT", "not valid JSON");
}

TEST_F(ServerTest, SimilarItemsAndUnknownItem) {
  StartWithModel();
  Reply reply = Get("/similar/k1?n=2");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_EQ(reply.body["item"], "k1");
  EXPECT_EQ(reply.body["model"], "item-knn");
  EXPECT_THAT(Ids(reply.body["items"]), UnorderedElementsAre("k2", "k3"));
  Reply in_stock = Get("/similar/k1?n=2&in_stock=true&exclude=k4");
  ASSERT_EQ(in_stock.status, 200) << in_stock.raw;
  EXPECT_THAT(Ids(in_stock.body["items"]),
              AllOf(Contains("k2"), Not(Contains("k1")), Not(Contains("k3")), Not(Contains("k4"))));
  ExpectError(Get("/similar/ghost"), 404, "NOT_FOUND", "unknown item 'ghost'");
  ExpectError(Get("/similar/k1?exclude_seen=true"), 400, "INVALID_ARGUMENT",
              "unknown query parameter 'exclude_seen'");
}

TEST_F(ServerTest, PostedItemsUpdateTheCatalogUsedByFilters) {
  StartWithModel();
  ExpectError(Get("/recommend/erin?category=Office"), 400, "INVALID_ARGUMENT",
              "unknown category 'Office'");
  Reply before = Get("/similar/k1?n=3&in_stock=true");
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_THAT(Ids(before.body["items"]), Contains("k2"));

  Reply posted = Post("/items", json::parse(R"({"items": [
      {"id": "k2", "title": "Cutting Board", "categories": "Home > Kitchen", "in_stock": false},
      {"id": "p1", "title": "Pen", "categories": ["Office"], "price": 2.5}]})"));
  ASSERT_EQ(posted.status, 200) << posted.raw;
  EXPECT_EQ(posted.body, json::parse(R"({"upserted": 2})"));

  Reply after = Get("/similar/k1?n=3&in_stock=true");
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_THAT(Ids(after.body["items"]), AllOf(Not(Contains("k2")), Not(Contains("k3"))));
  Reply office = Get("/recommend/erin?category=Office");
  ASSERT_EQ(office.status, 200) << office.raw;
  EXPECT_THAT(Ids(office.body["items"]), IsSubsetOf({"p1"}));
  // An event may now name the new item.
  EXPECT_EQ(Post("/events", json{{"user_id", "erin"}, {"item_id", "p1"}, {"type", "view"}}).status,
            201);

  ExpectError(Post("/items", json::parse(R"({"id": "x", "price": -2})")), 400, "INVALID_ARGUMENT",
              "items[0]: field 'price': negative");
  ExpectError(Post("/items", json::parse(R"({"title": "no id"})")), 400, "INVALID_ARGUMENT",
              "items[0]: field 'id': required");
}

TEST_F(ServerTest, ItemsAddedAfterTrainingGetAPlaceByTheirText) {
  StartWithModel();
  Reply posted = Post("/items", json::parse(R"({"items": [
      {"id": "g5", "title": "Garden Hose Reel", "categories": "Home > Garden"},
      {"id": "o1", "title": "Stapler", "categories": ["Office"]}]})"));
  ASSERT_EQ(posted.status, 200) << posted.raw;
  // alice bought the garden hose and the rake: of the two new items, the hose reel.
  Reply list = Get("/recommend/alice?n=3");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["items"].size(), 3u) << list.raw;
  EXPECT_EQ(list.body["items"][2]["id"], "g5") << list.raw;
  EXPECT_THAT(list.body["items"][2]["reason"].get<std::string>(),
              AllOf(HasSubstr("new in the catalog"), HasSubstr("Garden Hose (g1)")));
  EXPECT_THAT(Ids(list.body["items"]), Not(Contains("o1")));
  Reply none = Get("/recommend/alice?n=3&new_items=0");
  ASSERT_EQ(none.status, 200) << none.raw;
  EXPECT_THAT(Ids(none.body["items"]), Not(Contains("g5")));
  // An anonymous session too, and the place count is the request's.
  Reply session = Post("/recommend", json{{"history", json::array({"g1"})}, {"n", 4},
                                          {"new_items", 2}});
  ASSERT_EQ(session.status, 200) << session.raw;
  EXPECT_THAT(Ids(session.body["items"]), Contains("g5"));
  ExpectError(Get("/recommend/alice?new_items=-1"), 400, "INVALID_ARGUMENT",
              "'new_items': expected an integer in 0..1000");
  ExpectError(Get("/similar/g1?new_items=1"), 400, "INVALID_ARGUMENT",
              "unknown query parameter 'new_items'");
}

TEST_F(ServerTest, PostedUsersAreUpserted) {
  StartWithModel();
  Reply posted = Post("/users", json::parse(R"({"users": [{"id": "carol", "age": 40},
                                                          {"id": "alice", "region": "north"}]})"));
  ASSERT_EQ(posted.status, 200) << posted.raw;
  EXPECT_EQ(posted.body, json::parse(R"({"upserted": 2})"));
  auto carol = store_->FindUser("carol");
  ASSERT_TRUE(carol.ok() && carol->has_value());
  auto user = store_->GetUser(**carol);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(json::parse(user->attributes_json), json::parse(R"({"age": 40})"));
  Reply recs = Get("/recommend/carol?n=2");
  ASSERT_EQ(recs.status, 200) << recs.raw;
  EXPECT_EQ(recs.body["user_known"], true);
  EXPECT_EQ(recs.body["history"], 0);
  ExpectError(Post("/users", json::parse(R"({"name": "no id"})")), 400, "INVALID_ARGUMENT",
              "users[0]: field 'id': required");
}

TEST_F(ServerTest, AdminReloadPicksANewerArtifact) {
  const std::string first = TrainAndSave("item-knn");
  Age(first, 60);
  StartServer();
  Reply same = Post("/admin/reload", std::string("{}"));
  ASSERT_EQ(same.status, 200) << same.raw;
  EXPECT_EQ(same.body["reloaded"], false);
  EXPECT_EQ(same.body["model_generation"], 1);

  const std::string second = TrainAndSave("popularity");
  Reply reloaded = Post("/admin/reload", std::string());
  ASSERT_EQ(reloaded.status, 200) << reloaded.raw;
  EXPECT_EQ(reloaded.body["reloaded"], true);
  EXPECT_EQ(reloaded.body["model"], "popularity");
  EXPECT_EQ(reloaded.body["model_file"], second);
  EXPECT_EQ(reloaded.body["model_generation"], 2);
  EXPECT_EQ(Get("/health").body["model"], "popularity");
  EXPECT_EQ(Get("/recommend/dave").body["model"], "popularity");
}

TEST_F(ServerTest, ABrokenNewerArtifactKeepsTheModelInService) {
  const std::string good = TrainAndSave("item-knn");
  Age(good, 60);
  StartServer();
  const std::string broken = models_dir_ + "/item-knn-29990101T000000.tmodel";
  std::ofstream(broken) << "not a model";
  Reply reply = Post("/admin/reload", std::string());
  EXPECT_EQ(reply.status, 500) << reply.raw;
  EXPECT_THAT(reply.body["error"]["message"].get<std::string>(),
              AllOf(HasSubstr("cannot load model"), HasSubstr(broken), HasSubstr(good)));
  Reply recs = Get("/recommend/dave?n=3");
  ASSERT_EQ(recs.status, 200) << recs.raw;
  EXPECT_EQ(recs.body["model"], "item-knn");
  EXPECT_EQ(Get("/health").body["model_file"], good);
  // The failure is logged once, however often it is retried.
  EXPECT_EQ(Post("/admin/reload", std::string()).status, 500);
  std::vector<std::string> log = Logged();
  EXPECT_EQ(std::count_if(
                log.begin(), log.end(),
                [&](const std::string& line) { return line.find(broken) != std::string::npos; }),
            1);
}

TEST_F(ServerTest, ThePollThreadPicksUpANewArtifact) {
  Age(TrainAndSave("item-knn"), 60);
  ServerOptions options;
  options.poll_seconds = 1;
  StartServer(options);
  TrainAndSave("popularity");
  std::string model;
  for (int attempt = 0; attempt < 100 && model != "popularity"; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    model = Get("/health").body["model"].get<std::string>();
  }
  EXPECT_EQ(model, "popularity");
}

TEST_F(ServerTest, WithoutAModelRecommendIs503AndWritesStillWork) {
  StartServer();
  Reply health = Get("/health");
  ASSERT_EQ(health.status, 200) << health.raw;
  EXPECT_EQ(health.body["model"], nullptr);
  EXPECT_EQ(health.body["model_file"], nullptr);
  Reply recs = Get("/recommend/alice");
  ExpectError(recs, 503, "UNAVAILABLE", "run `tailor train`");
  EXPECT_EQ(recs.headers.count("Retry-After"), 1u);
  ExpectError(Get("/similar/k1"), 503, "UNAVAILABLE", "tailor train");
  ExpectError(Post("/recommend", json::parse(R"({"history": ["k1"]})")), 503, "UNAVAILABLE",
              "tailor train");
  ExpectError(Post("/admin/reload", std::string()), 503, "UNAVAILABLE", "tailor train");
  EXPECT_EQ(Post("/events", json{{"user_id", "alice"}, {"item_id", "k1"}, {"type", "view"}}).status,
            201);

  TrainAndSave("item-knn");
  EXPECT_EQ(Post("/admin/reload", std::string()).body["reloaded"], true);
  EXPECT_EQ(Get("/recommend/alice").status, 200);
}

TEST_F(ServerTest, UnknownRoutesAndMethodsGetJsonErrors) {
  StartWithModel();
  ExpectError(Get("/nowhere"), 404, "NOT_FOUND", "no route for GET /nowhere");
  Reply wrong_method = Get("/events");
  ExpectError(wrong_method, 405, "INVALID_ARGUMENT", "use POST");
  EXPECT_EQ(httplib::detail::get_header_value(wrong_method.headers, "Allow", 0, ""),
            std::string("POST"));
  ExpectError(Post("/health", std::string("{}")), 405, "INVALID_ARGUMENT", "use GET");
}

TEST_F(ServerTest, OversizedBodiesAre413) {
  TrainAndSave("item-knn");
  ServerOptions options;
  options.max_body_bytes = 4096;
  StartServer(options);
  json events = {{"events", json::array()}};
  for (int event_idx = 0; event_idx < 200; ++event_idx) {
    events["events"].push_back({{"user_id", "u"}, {"item_id", "k1"}, {"type", "view"}});
  }
  ExpectError(Post("/events", events), 413, "RESOURCE_EXHAUSTED", "larger than 4096 bytes");
}

TEST_F(ServerTest, IdsWithSpacesAndSlashesTravelUrlEncoded) {
  StartWithModel();
  ASSERT_EQ(Post("/events", json{{"user_id", "a b/c"}, {"item_id", "k1"}, {"type", "view"}}).status,
            201);
  Reply reply = Get("/recommend/a%20b%2Fc?n=1");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_EQ(reply.body["user"], "a b/c");
  EXPECT_EQ(reply.body["user_known"], true);
}

TEST_F(ServerTest, ConcurrentReadsWritesAndReloads) {
  StartWithModel();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      httplib::Client client("127.0.0.1", server_->port());
      for (int request_idx = 0; request_idx < 25; ++request_idx) {
        const std::string user = "c" + std::to_string(thread_idx);
        auto send = [&]() -> httplib::Result {
          switch (request_idx % 4) {
            case 0:
              return client.Post("/events",
                                 json{{"user_id", user},
                                      {"item_id", "k1"},
                                      {"type", "view"},
                                      {"timestamp", 1714557600 + request_idx}}
                                     .dump(),
                                 "application/json");
            case 1:
              return client.Get("/recommend/" + user + "?n=5");
            case 2:
              return client.Post("/items",
                                 json{{"id", "k" + std::to_string(5 + thread_idx)},
                                      {"categories", {"Home", "Kitchen"}}}
                                     .dump(),
                                 "application/json");
            default:
              return client.Post("/admin/reload", "", "application/json");
          }
        };
        httplib::Result result = send();
        if (!result || result->status >= 300) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Get("/health").body["items"], 14);
}

TEST_F(ServerTest, CreateAndStartReportBadOptionsAndBusyPorts) {
  ServerOptions options;
  options.models_dir = models_dir_;
  options.port = 70000;
  EXPECT_THAT(Server::Create(*store_, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("server option 'port'")));
  options.port = 8080;
  options.models_dir.clear();
  EXPECT_THAT(Server::Create(*store_, options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'models_dir'")));

  StartWithModel();
  options.models_dir = models_dir_;
  options.port = server_->port();
  options.log = [](std::string_view) {};
  auto second = Server::Create(*store_, options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_THAT((*second)->Start(),
              StatusIs(StatusCode::kUnavailable,
                       HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(server_->port()))));
  EXPECT_THAT(server_->Start(), StatusIs(StatusCode::kFailedPrecondition, HasSubstr("already")));
}

}  // namespace
}  // namespace tailor

namespace tailor {
namespace {

TEST_F(ServerTest, SearchFindsItemsByTextWithReasonsWithoutAModel) {
  StartServer();  // no trained model: search still answers, not personal
  Reply reply = Get("/search?q=Chef%20knife&n=3");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  ASSERT_THAT(Ids(reply.body["items"]), SizeIs(2));
  EXPECT_EQ(Ids(reply.body["items"])[0], "k1");  // both words, before "Knife Sharpener"
  EXPECT_EQ(reply.body["items"][0]["reason"], "matches 'chef', 'knife'");
  EXPECT_EQ(reply.body["personalized"], false);
  EXPECT_EQ(reply.body["understood"]["text"], "Chef knife");
  Reply in_stock = Get("/search?q=knife&in_stock=true");
  EXPECT_THAT(Ids(in_stock.body["items"]), ElementsAre("k1"));
}

TEST_F(ServerTest, SearchParsesPricesAndCategoriesAndPersonalizes) {
  StartWithModel();
  Reply cheap = Get("/search?q=rake%20under%205");
  ASSERT_EQ(cheap.status, 200) << cheap.raw;
  EXPECT_THAT(Ids(cheap.body["items"]), IsEmpty());  // every item costs 10
  EXPECT_EQ(cheap.body["understood"]["max_price"], 5.0);
  Reply garden = Get("/search?q=garden%20rake%20under%2020&user=alice");
  ASSERT_EQ(garden.status, 200) << garden.raw;
  EXPECT_EQ(Ids(garden.body["items"])[0], "g2");
  EXPECT_THAT(garden.body["understood"]["categories"], Contains("Garden"));
  EXPECT_EQ(garden.body["personalized"], true);
  EXPECT_EQ(garden.body["model"], "item-knn");
  EXPECT_THAT(garden.body["items"][0]["reason"].get<std::string>(),
              AllOf(HasSubstr("matches 'garden', 'rake'"), HasSubstr("price 10, under 20")));
}

TEST_F(ServerTest, SearchErrorsNameTheParameter) {
  StartServer();
  ExpectError(Get("/search?n=3"), 400, "INVALID_ARGUMENT", "'q': required");
  ExpectError(Get("/search?q=%20%21"), 400, "INVALID_ARGUMENT", "holds no word");
  ExpectError(Get("/search?q=kite&q=rake"), 400, "INVALID_ARGUMENT", "more than once");
  ExpectError(Get("/search?q=kite&colour=red"), 400, "INVALID_ARGUMENT", "colour");
  ExpectError(Get("/search?q=kite%20over%2050%20under%2010"), 400, "INVALID_ARGUMENT",
              "over 50 and under 10");
}

TEST_F(ServerTest, APostedItemIsSearchableAtOnce) {
  StartServer();
  EXPECT_THAT(Ids(Get("/search?q=trowel").body["items"]), IsEmpty());
  Reply posted = Post("/items", json::parse(R"({"items": [
      {"id": "g5", "title": "Hand Trowel", "categories": ["Home", "Garden"], "price": 7}]})"));
  ASSERT_EQ(posted.status, 200) << posted.raw;
  EXPECT_THAT(Ids(Get("/search?q=trowel").body["items"]), ElementsAre("g5"));
}

TEST_F(ServerTest, ItemsShowTheStoredItemAndCountPostedReviews) {
  StartServer();
  Reply item = Get("/items/k3");
  ASSERT_EQ(item.status, 200) << item.raw;
  EXPECT_EQ(item.body["id"], "k3");
  EXPECT_EQ(item.body["in_stock"], false);
  EXPECT_EQ(item.body["price"], 10.0);
  EXPECT_EQ(item.body["reviews"], json({{"count", 0}}));  // no sentiment model: counts only
  Reply posted = Post("/events", json::parse(R"({"events": [
      {"user_id": "alice", "item_id": "k3", "type": "review", "text": "Sharp and solid."},
      {"user_id": "dave", "item_id": "k3", "type": "review", "text": "Rusted in a week."}]})"));
  ASSERT_EQ(posted.status, 201) << posted.raw;
  EXPECT_EQ(Get("/items/k3").body["reviews"]["count"], 2);
  ExpectError(Get("/items/nope"), 404, "NOT_FOUND", "unknown item 'nope'");
}

TEST_F(ServerTest, ItemsCarryReviewSentimentWithASentimentModel) {
  std::unique_ptr<SentimentModel> model = TrainTinySentimentModel();
  ASSERT_NE(model, nullptr);
  const std::string model_dir = dir_.file("sentiment");
  ASSERT_TRUE(model->Save(model_dir).ok());
  ServerOptions options;
  options.sentiment_model_dir = model_dir;
  StartServer(options);
  Reply posted = Post("/events", json::parse(R"({"events": [
      {"user_id": "alice", "item_id": "k1", "type": "review", "text": "the strap is great"},
      {"user_id": "dave", "item_id": "k1", "type": "review", "text": "love the color"},
      {"user_id": "erin", "item_id": "k2", "type": "review", "text": "the size was awful"}]})"));
  ASSERT_EQ(posted.status, 201) << posted.raw;
  const json good = Get("/items/k1").body["reviews"];
  EXPECT_EQ(good["count"], 2);
  EXPECT_EQ(good["sentiment"], json({{"negative", 0}, {"positive", 2}})) << good;
  EXPECT_GT(good["score"].get<double>(), 0.5);
  const json bad = Get("/items/k2").body["reviews"];
  EXPECT_EQ(bad["sentiment"], json({{"negative", 1}, {"positive", 0}})) << bad;
  EXPECT_LT(bad["score"].get<double>(), -0.5);
  EXPECT_TRUE(Get("/items/g1").body["reviews"]["score"].is_null());  // no reviews yet

}

TEST_F(ServerTest, ReviewSentimentFiltersAndReRanksRecommendations) {
  TrainAndSave("item-knn");
  StartServer();  // no sentiment model: review features are refused, naming the config key
  ExpectError(Get("/recommend/alice?review_weight=1"), 409, "FAILED_PRECONDITION",
              "server.sentiment_model");
  ExpectError(Get("/recommend/alice?min_review_score=2"), 400, "INVALID_ARGUMENT",
              "min_review_score");
  server_->Stop();
  ASSERT_TRUE(server_->Wait().ok());

  std::unique_ptr<SentimentModel> model = TrainTinySentimentModel();
  ASSERT_NE(model, nullptr);
  ASSERT_TRUE(model->Save(dir_.file("sentiment")).ok());
  ServerOptions options;
  options.sentiment_model_dir = dir_.file("sentiment");
  StartServer(options);
  const json session = json::parse(R"({"history": ["k3"], "n": 3})");
  Reply plain = Post("/recommend", session);
  ASSERT_EQ(plain.status, 200) << plain.raw;
  EXPECT_THAT(Ids(plain.body["items"]), ElementsAre("k2", "k1", "k4"));
  ASSERT_EQ(Post("/events", json::parse(R"({"events": [
      {"user_id": "alice", "item_id": "k4", "type": "review", "text": "the strap is great"},
      {"user_id": "dave", "item_id": "k4", "type": "review", "text": "love the color"},
      {"user_id": "erin", "item_id": "k2", "type": "review", "text": "the size was awful"}]})"))
                .status,
            201);
  Reply reloaded = Post("/admin/reload", std::string("{}"));
  ASSERT_EQ(reloaded.status, 200) << reloaded.raw;
  EXPECT_EQ(reloaded.body["review_items_summarized"], 2);

  json at_least_zero = session;
  at_least_zero["min_review_score"] = 0;
  Reply kept = Post("/recommend", at_least_zero);
  ASSERT_EQ(kept.status, 200) << kept.raw;
  EXPECT_THAT(Ids(kept.body["items"]), Not(Contains("k2")));
  json weighted = session;
  weighted["review_weight"] = 10;
  Reply boosted = Post("/recommend", weighted);
  ASSERT_EQ(boosted.status, 200) << boosted.raw;
  // The praised apron rises from third to first, the panned board falls from first to third.
  EXPECT_THAT(Ids(boosted.body["items"]), ElementsAre("k4", "k1", "k2"));
  EXPECT_THAT(boosted.body["items"][0]["reason"].get<std::string>(),
              HasSubstr("in your history; reviews: positive (score"));
  EXPECT_THAT(boosted.body["items"][1]["reason"].get<std::string>(), Not(HasSubstr("reviews")));
  EXPECT_THAT(boosted.body["items"][2]["reason"].get<std::string>(),
              HasSubstr("reviews: negative (score"));
  Reply searched = Get("/search?q=board&min_review_score=0");
  ASSERT_EQ(searched.status, 200) << searched.raw;
  EXPECT_THAT(Ids(searched.body["items"]), IsEmpty());  // the one board is panned
}

TEST_F(ServerTest, ASentimentDirectoryWithoutAHeadIsAStartupError) {
  // A directory without a sentiment head is a clear startup error.
  ServerOptions broken;
  broken.models_dir = models_dir_;
  broken.sentiment_model_dir = dir_.file("nothing-here");
  EXPECT_THAT(Server::Create(*store_, broken).status(),
              StatusIs(StatusCode::kNotFound, HasSubstr("sentiment_model_dir")));
}

}  // namespace
}  // namespace tailor
