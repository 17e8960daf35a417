// End-to-end tests of the tailor binary: the commands a newcomer runs, with their exit codes.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using ::tailor::CliTest;
using ::tailor::RunResult;
using ::tailor::RunTailor;

TEST_F(CliTest, HelpListsEverySubcommand) {
  RunResult r = RunTailor("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* cmd : {"generate", "import", "stats", "train", "evaluate", "recommend",
                          "similar", "search", "serve", "benchmark", "tune", "text-encoder",
                          "sentiment-model"}) {
    EXPECT_THAT(r.output, HasSubstr(cmd));
  }
  EXPECT_EQ(RunTailor("no-such-command").exit_code, 2);
}

TEST_F(CliTest, GenerateImportTrainRecommend) {
  std::string shop = Path("shop");
  ASSERT_EQ(RunTailor("generate --preset tiny --seed 3 --out " + shop).exit_code, 0);
  RunResult imported = RunTailor(Data() + "import " + shop + "/events.csv " + shop + "/items.jsonl " +
                           shop + "/users.jsonl");
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  RunResult stats = RunTailor(Data() + "stats");
  ASSERT_EQ(stats.exit_code, 0) << stats.output;
  EXPECT_THAT(stats.output, HasSubstr("personal data"));
  // Importing the same files again adds no events.
  RunResult again = RunTailor(Data() + "import " + shop + "/items.jsonl " + shop + "/events.csv");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("wrote 0 items, 0 users, 0 events")) << again.output;

  EXPECT_EQ(RunTailor(Data() + "recommend u1").exit_code, 5);  // no model yet
  RunResult trained = RunTailor(Data() + "train --model item-knn");
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  RunResult rec = RunTailor(Data() + "recommend no-such-user -n 3");
  ASSERT_EQ(rec.exit_code, 0) << rec.output;
  EXPECT_THAT(rec.output, HasSubstr("cold start"));
  EXPECT_EQ(RunTailor(Data() + "similar no-such-item").exit_code, 4);
}

TEST_F(CliTest, StrictImportOfBadFileWritesNothing) {
  Write("items.csv", "id,title,price\na,Apple,1.5\nb,Banana,2\n");
  ASSERT_EQ(RunTailor(Data() + "import " + Path("items.csv")).exit_code, 0);
  Write("events.csv",
        "user_id,item_id,type,timestamp\n"
        "u1,a,view,1700000000\n"
        "u1,b,purchase,not-a-time\n");
  RunResult strict = RunTailor(Data() + "import --strict " + Path("events.csv"));
  EXPECT_EQ(strict.exit_code, 3) << strict.output;
  EXPECT_THAT(strict.output, HasSubstr("events.csv:3"));
  EXPECT_THAT(strict.output, HasSubstr("timestamp"));
  RunResult stats = RunTailor(Data() + "stats");
  EXPECT_THAT(stats.output, HasSubstr("events  0"));
  // Without --strict the good row lands and the bad one is quarantined.
  RunResult lenient = RunTailor(Data() + "import " + Path("events.csv"));
  EXPECT_EQ(lenient.exit_code, 0) << lenient.output;
  EXPECT_THAT(lenient.output, HasSubstr("1 rejected"));
  EXPECT_THAT(RunTailor(Data() + "stats").output, HasSubstr("events  1"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "data" / "quarantine" / "events.csv.rejected.jsonl"));
}

TEST_F(CliTest, BadParamsAndConfigAreNamed) {
  Write("bad.json", R"({"server": {"port": "eighty"}})");
  RunResult bad_config = RunTailor(Data() + "--config " + Path("bad.json") + " stats");
  EXPECT_EQ(bad_config.exit_code, 3);
  EXPECT_THAT(bad_config.output, HasSubstr("server.port"));
  RunResult bad_params = RunTailor(Data() + "train --model item-knn --params '[1]'");
  EXPECT_EQ(bad_params.exit_code, 3);
  EXPECT_THAT(bad_params.output, HasSubstr("--params"));
  RunResult unknown_model = RunTailor(Data() + "train --model no-such-model");
  EXPECT_EQ(unknown_model.exit_code, 4);
  EXPECT_THAT(unknown_model.output, HasSubstr("item-knn"));  // lists the known names
}

}  // namespace
