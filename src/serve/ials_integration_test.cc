// Real time through the server with a factor model: an ials model is trained once, served, and
// a brand-new shopper's first event (POST /events) changes their next /recommend, with no
// retraining, because ials folds the user's current history in at request time.
//
// Fixture (views): kitchen fans kf0..kf5 view k1..k4, each but one (kf_i skips k(i % 4 + 1)),
// garden fans gf0..gf9 view g1..g4, so garden items are the most popular and the two blocks
// never meet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dataset/dataset.h"
#include "models/recommender.h"
#include "serve/model_holder.h"
#include "serve/serve_test_util.h"
#include "serve/server.h"

namespace tailor {
namespace {

using nlohmann::json;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

Item Product(std::string id, std::string title, std::string category) {
  Item item;
  item.id = std::move(id);
  item.title = std::move(title);
  item.categories = {"Home", std::move(category)};
  item.price = 10.0;
  return item;
}

class IalsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    WriteBatch batch;
    batch.items = {
        Product("k1", "Chef Knife", "Kitchen"), Product("k2", "Cutting Board", "Kitchen"),
        Product("k3", "Whisk", "Kitchen"),      Product("k4", "Apron", "Kitchen"),
        Product("g1", "Garden Hose", "Garden"), Product("g2", "Rake", "Garden"),
        Product("g3", "Shovel", "Garden"),      Product("g4", "Gloves", "Garden")};
    int64_t timestamp = 1714557600;
    auto view = [&](const std::string& user, const std::string& item) {
      Event event;
      event.user_id = user;
      event.item_id = item;
      event.type = "view";
      event.timestamp = timestamp++;
      batch.events.push_back(event);
    };
    for (int fan = 0; fan < 6; ++fan) {
      for (int item = 1; item <= 4; ++item) {
        if (item != fan % 4 + 1) view("kf" + std::to_string(fan), "k" + std::to_string(item));
      }
    }
    for (int fan = 0; fan < 10; ++fan) {
      for (int item = 1; item <= 4; ++item) {
        view("gf" + std::to_string(fan), "g" + std::to_string(item));
      }
    }
    auto written = store_->Write(batch);
    ASSERT_TRUE(written.ok()) << written.status().ToString();

    // Train ials once on the store, as `tailor train` would, and serve it.
    const std::string models_dir = dir_.file("models");
    std::filesystem::create_directories(models_dir);
    auto dataset = LoadDataset(*store_);
    ASSERT_TRUE(dataset.ok()) << dataset.status().ToString();
    auto model = MakeRecommender("ials", json{{"factors", 8}});
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    FitOptions fit;
    fit.threads = 1;
    ASSERT_TRUE((*model)->Fit(dataset->histories, fit).ok());
    ASSERT_TRUE(SaveModel(**model, NewArtifactPath(models_dir, "ials")).ok());

    ServerOptions options;
    options.port = 0;
    options.models_dir = models_dir;
    options.threads = 2;
    options.poll_seconds = 0;
    options.log = [](std::string_view) {};
    auto server = Server::Create(*store_, options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
  }

  void TearDown() override {
    client_.reset();
    if (server_) {
      server_->Stop();
      EXPECT_TRUE(server_->Wait().ok());
    }
  }

  json GetJson(const std::string& path) {
    auto result = client_->Get(path);
    EXPECT_TRUE(result) << "GET " << path << " failed";
    if (!result) return json();
    EXPECT_EQ(result->status, 200) << result->body;
    return json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  }

  static std::vector<std::string> Ids(const json& items) {
    std::vector<std::string> ids;
    for (const json& entry : items) ids.push_back(entry.at("id").get<std::string>());
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(IalsServerTest, ANewShoppersFirstEventChangesTheNextRecommendation) {
  json before = GetJson("/recommend/newbie?n=3");
  EXPECT_EQ(before["model"], "ials");
  EXPECT_EQ(before["user_known"], false);
  EXPECT_THAT(Ids(before["items"]), Each(StartsWith("g")));  // popularity: garden leads

  auto posted = client_->Post(
      "/events", json{{"user_id", "newbie"}, {"item_id", "k2"}, {"type", "view"}}.dump(),
      "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 201) << posted->body;

  // Same model file, next request: the folded-in view of k2 puts its block first.
  json after = GetJson("/recommend/newbie?n=3");
  EXPECT_EQ(after["model"], "ials");
  EXPECT_EQ(after["history"], 1);
  EXPECT_THAT(Ids(after["items"]), UnorderedElementsAre("k1", "k3", "k4"));
  for (const json& entry : after["items"]) {
    EXPECT_THAT(entry["reason"].get<std::string>(), HasSubstr("Cutting Board")) << entry.dump();
  }

  // A second event in the other block brings garden items back in.
  ASSERT_TRUE(client_->Post(
      "/events", json{{"user_id", "newbie"}, {"item_id", "g3"}, {"type", "purchase"}}.dump(),
      "application/json"));
  json mixed = GetJson("/recommend/newbie?n=7");
  std::vector<std::string> ids = Ids(mixed["items"]);
  ASSERT_FALSE(ids.empty());
  EXPECT_THAT(ids[0], StartsWith("g")) << "the purchase weighs more than the view";
}

}  // namespace
}  // namespace tailor
