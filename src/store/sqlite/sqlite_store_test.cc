#include "store/sqlite/sqlite_store.h"

#include <cmath>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>


namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Item MakeItem(std::string id, std::vector<std::string> categories = {}) {
  Item item;
  item.id = std::move(id);
  item.title = "Title of " + item.id;
  item.categories = std::move(categories);
  item.price = 9.5;
  return item;
}

Event MakeEvent(std::string user, std::string item, std::string type, int64_t ts) {
  Event e;
  e.user_id = std::move(user);
  e.item_id = std::move(item);
  e.type = std::move(type);
  e.timestamp = ts;
  return e;
}

std::string TempPath(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tailor_store_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::filesystem::remove(path);
  return path.string();
}

TEST(SqliteStoreTest, WritesAndReadsBack) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  WriteBatch batch;
  batch.items = {MakeItem("a", {"Home", "Kitchen"}), MakeItem("b")};
  batch.users = {User{"u1", R"({"age":30})"}};
  batch.events = {MakeEvent("u1", "a", "view", 100), MakeEvent("u2", "b", "purchase", 50)};
  auto result = (*store)->Write(batch);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->items_written, 2);
  EXPECT_EQ(result->events_written, 2);

  auto item = (*store)->GetItem(0);
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->id, "a");
  EXPECT_THAT(item->categories, ElementsAre("Home", "Kitchen"));
  EXPECT_EQ(*item->price, 9.5);
  auto u2 = (*store)->FindUser("u2");
  ASSERT_TRUE(u2.ok());
  EXPECT_EQ(**u2, 1);  // created by its event, after u1
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->items, 2);
  EXPECT_EQ(stats->users, 2);
  EXPECT_EQ(stats->events, 2);
  EXPECT_EQ(stats->first_timestamp, 50);
  EXPECT_EQ(stats->last_timestamp, 100);
}

TEST(SqliteStoreTest, SameEventsTwiceAreStoredOnce) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a")};
  // Two identical rows in one batch are two events (e.g. two views in one second).
  batch.events = {MakeEvent("u", "a", "view", 1), MakeEvent("u", "a", "view", 1)};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto again = (*store)->Write(batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->events_written, 0);
  EXPECT_EQ(again->events_skipped_duplicate, 2);
  EXPECT_EQ((*store)->Stats()->events, 2);
}

TEST(SqliteStoreTest, EventIdDeduplicates) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a")};
  Event e = MakeEvent("u", "a", "view", 1);
  e.event_id = "ev-1";
  Event e2 = MakeEvent("u", "a", "view", 2);
  e2.event_id = "ev-1";
  batch.events = {e, e2};
  auto result = (*store)->Write(batch);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->events_written, 1);
  EXPECT_EQ(result->events_skipped_duplicate, 1);
}

TEST(SqliteStoreTest, FailedBatchWritesNothing) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a")};
  batch.events = {MakeEvent("u", "a", "view", 1), MakeEvent("u", "zzz", "view", 2)};
  auto result = (*store)->Write(batch);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("event 2"));
  EXPECT_THAT(result.status().message(), HasSubstr("unknown item 'zzz'"));
  auto stats = (*store)->Stats();
  EXPECT_EQ(stats->items, 0);
  EXPECT_EQ(stats->users, 0);
  EXPECT_EQ(stats->events, 0);
  // The caches rolled back too: the next batch gets index 0 again.
  WriteBatch ok_batch;
  ok_batch.items = {MakeItem("b")};
  ASSERT_TRUE((*store)->Write(ok_batch).ok());
  EXPECT_EQ(*(*store)->FindItem("b").value(), 0);
}

TEST(SqliteStoreTest, UnknownEventTypeIsRejected) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a")};
  batch.events = {MakeEvent("u", "a", "wishlist", 1)};
  auto result = (*store)->Write(batch);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("unknown event type 'wishlist'"));
  batch.event_types = {{"wishlist", 2.5f, false}};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto types = (*store)->EventTypes();
  EXPECT_EQ(types->back().name, "wishlist");
  EXPECT_EQ(types->back().weight, 2.5f);
}

TEST(SqliteStoreTest, IndexesStableAcrossReopen) {
  std::string path = TempPath("reopen.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    WriteBatch batch;
    batch.items = {MakeItem("x"), MakeItem("y"), MakeItem("z")};
    batch.events = {MakeEvent("u9", "z", "click", 5)};
    ASSERT_TRUE((*store)->Write(batch).ok());
  }
  auto store = OpenStore("sqlite:" + path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->FindItem("z").value(), 2);
  EXPECT_EQ(*(*store)->FindUser("u9").value(), 0);
  EXPECT_THAT((*store)->ItemIds().value(), ElementsAre("x", "y", "z"));
  WriteBatch more;
  more.items = {MakeItem("w")};
  ASSERT_TRUE((*store)->Write(more).ok());
  EXPECT_EQ(*(*store)->FindItem("w").value(), 3);
}

TEST(SqliteStoreTest, RefusesNewerSchema) {
  std::string path = TempPath("newer.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store.ok());
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_TRUE(sqlite::Exec(db, "UPDATE meta SET value='99' WHERE key='schema_version'").ok());
    sqlite3_close(db);
  }
  auto store = OpenStore(path);
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("schema version 99"));
}

TEST(SqliteStoreTest, ImageVectorsRoundTripAndBadOnesWriteNothing) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a"), MakeItem("b")};
  batch.items[0].image_vector = {0.5f, -1.25f, 3.0f};
  ASSERT_TRUE((*store)->Write(batch).ok());
  EXPECT_THAT((*store)->GetItem(0)->image_vector, ElementsAre(0.5f, -1.25f, 3.0f));
  EXPECT_TRUE((*store)->GetItem(1)->image_vector.empty());
  std::vector<std::vector<float>> scanned;
  ASSERT_TRUE((*store)
                  ->ScanItems([&](int32_t, const Item& item) {
                    scanned.push_back(item.image_vector);
                    return OkStatus();
                  })
                  .ok());
  EXPECT_THAT(scanned, ElementsAre(ElementsAre(0.5f, -1.25f, 3.0f), ElementsAre()));
  // An upsert replaces the vector; a NaN anywhere rejects the whole batch.
  WriteBatch bad;
  bad.items = {MakeItem("a"), MakeItem("c")};
  bad.items[1].image_vector = {1.0f, std::nanf("")};
  auto written = (*store)->Write(bad);
  EXPECT_EQ(written.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(written.status().message(), HasSubstr("item 'c'"));
  EXPECT_THAT(written.status().message(), HasSubstr("entry 1 is not a finite float"));
  EXPECT_THAT((*store)->GetItem(0)->image_vector, ElementsAre(0.5f, -1.25f, 3.0f));
  EXPECT_FALSE((*store)->FindItem("c").value().has_value());
}

TEST(SqliteStoreTest, ImageVectorsKeepOneLength) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch first;
  first.items = {MakeItem("a"), MakeItem("b"), MakeItem("plain")};
  first.items[0].image_vector = {1, 2};
  first.items[1].image_vector = {3, 4};
  ASSERT_TRUE((*store)->Write(first).ok());
  WriteBatch longer;
  longer.items = {MakeItem("c")};
  longer.items[0].image_vector = {1, 2, 3};
  auto written = (*store)->Write(longer);
  EXPECT_EQ(written.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(written.status().message(),
              HasSubstr("item 'c': image_vector has 3 entries, but item 'a' has 2"));
  EXPECT_FALSE((*store)->FindItem("c").value().has_value());
  // Switching image models: every item with a vector in one batch.
  WriteBatch all;
  all.items = {MakeItem("a"), MakeItem("b"), MakeItem("c")};
  for (Item& item : all.items) item.image_vector = {1, 2, 3};
  ASSERT_TRUE((*store)->Write(all).ok());
  EXPECT_THAT((*store)->GetItem(1)->image_vector, ElementsAre(1, 2, 3));
  WriteBatch same;
  same.items = {MakeItem("d")};
  same.items[0].image_vector = {0, 0, 1};
  EXPECT_TRUE((*store)->Write(same).ok());
}

TEST(SqliteStoreTest, MigratesAVersionOneStore) {
  std::string path = TempPath("v1.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store.ok());
    WriteBatch batch;
    batch.items = {MakeItem("old")};
    ASSERT_TRUE((*store)->Write(batch).ok());
  }
  {
    // Back to the version-1 schema: no image_vector column, no review index.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_TRUE(sqlite::Exec(db, "ALTER TABLE items DROP COLUMN image_vector;"
                                 "DROP INDEX events_reviews;"
                                 "UPDATE meta SET value='1' WHERE key='schema_version'")
                    .ok());
    sqlite3_close(db);
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto old = (*store)->GetItem(0);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->title, "Title of old");
  EXPECT_TRUE(old->image_vector.empty());
  WriteBatch batch;
  batch.items = {MakeItem("new")};
  batch.items[0].image_vector = {1.0f, 2.0f};
  ASSERT_TRUE((*store)->Write(batch).ok());
  EXPECT_THAT((*store)->GetItem(1)->image_vector, ElementsAre(1.0f, 2.0f));
  EXPECT_TRUE((*store)->ItemReviewStamps().ok());  // reads after the index migration
}

TEST(SqliteStoreTest, ReviewStampsCountEachItemsReviewsAndSeeANewOne) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a"), MakeItem("b"), MakeItem("c")};
  Event first = MakeEvent("u", "c", "review", 10);
  first.text = "great";
  Event second = MakeEvent("v", "c", "review", 20);
  second.text = "poor";
  Event on_a = MakeEvent("u", "a", "review", 5);
  on_a.text = "fine";
  batch.events = {first, MakeEvent("u", "b", "view", 1), second, on_a};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto stamps = (*store)->ItemReviewStamps();
  ASSERT_TRUE(stamps.ok()) << stamps.status().ToString();
  ASSERT_EQ(stamps->size(), 2u);  // b has no review
  EXPECT_EQ((*stamps)[0].item, 0);
  EXPECT_EQ((*stamps)[0].count, 1);
  EXPECT_EQ((*stamps)[1].item, 2);
  EXPECT_EQ((*stamps)[1].count, 2);
  EXPECT_THAT(*(*store)->ItemReviews(2, 10), ElementsAre("poor", "great"));

  WriteBatch later;
  Event third = MakeEvent("w", "c", "review", 30);
  third.text = "ok";
  later.events = {third};
  ASSERT_TRUE((*store)->Write(later).ok());
  auto after = (*store)->ItemReviewStamps();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)[1].count, 3);
  EXPECT_GT((*after)[1].newest, (*stamps)[1].newest);
  EXPECT_EQ((*after)[0].newest, (*stamps)[0].newest);
}

TEST(SqliteStoreTest, UserEventsAreChronologicalAndLimited) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.items = {MakeItem("a"), MakeItem("b"), MakeItem("c")};
  batch.events = {MakeEvent("u", "c", "view", 30), MakeEvent("u", "a", "view", 10),
                  MakeEvent("u", "b", "view", 20), MakeEvent("v", "a", "view", 15)};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto events = (*store)->UserEvents(0, 2);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].item, 1);  // b at 20
  EXPECT_EQ((*events)[1].item, 2);  // c at 30
}

TEST(SqliteStoreTest, TwoWritersOnOneFileNeverShareAnIndex) {
  // A server and `tailor import` may hold the same file open at once.
  std::string path = TempPath("two_writers.db");
  auto server = OpenStore(path);
  auto importer = OpenStore(path);
  ASSERT_TRUE(server.ok() && importer.ok());
  WriteBatch items;
  items.items = {MakeItem("a")};
  ASSERT_TRUE((*server)->Write(items).ok());
  WriteBatch from_import;
  from_import.events = {MakeEvent("import-user", "a", "view", 1)};
  ASSERT_TRUE((*importer)->Write(from_import).ok());
  WriteBatch from_server;
  from_server.events = {MakeEvent("server-user", "a", "view", 2)};
  ASSERT_TRUE((*server)->Write(from_server).ok());
  EXPECT_EQ(*(*server)->FindUser("import-user").value(), 0);
  EXPECT_EQ(*(*server)->FindUser("server-user").value(), 1);
  EXPECT_EQ(*(*importer)->FindUser("server-user").value(), 1);
  EXPECT_EQ((*importer)->UserEvents(1, 10)->size(), 1u);
  EXPECT_EQ((*server)->UserEvents(0, 10)->size(), 1u);
}

}  // namespace
}  // namespace tailor
