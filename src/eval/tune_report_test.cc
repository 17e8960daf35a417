#include "eval/tune_report.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tailor {
namespace {

const std::vector<ParamRange> kSpace = {{"neighbors", 5, 2000, true, true}, {"shrink", 0, 200}};

TEST(TuneReportTest, RowsLineUpUnderTheHeader) {
  TrialTableOptions options;
  options.metric = "ndcg@10";
  TunerTrial trial;
  trial.number = 2;
  trial.origin = TrialOrigin::kRefined;
  trial.values = {120, 13.4};
  trial.metric = 0.043218;
  trial.seconds = 3.31;
  EXPECT_EQ(FormatTrialHeader(kSpace, options),
            "  trial  origin   neighbors    shrink   ndcg@10   seconds\n");
  EXPECT_EQ(FormatTrialRow(kSpace, trial, /*is_best=*/true, options),
            "*     2  refined        120      13.4    0.0432       3.3\n");
  trial.metric = std::nan("");
  trial.note = "item-knn: param 'neighbors': too big";
  options.show_epochs = true;
  trial.best_epoch = 7;
  trial.epochs_run = 10;
  trial.stopped_early = true;
  EXPECT_EQ(FormatTrialRow(kSpace, trial, /*is_best=*/false, options),
            "      2  refined        120      13.4    failed     7/10+       3.3  "
            "item-knn: param 'neighbors': too big\n");
}

TEST(TuneReportTest, JsonListsEveryTrialAndTheBest) {
  TunerOptions tuner_options;
  tuner_options.max_trials = 2;
  StatusOr<Tuner> tuner = Tuner::Create(kSpace, tuner_options);
  ASSERT_TRUE(tuner.ok());
  for (double metric : {0.01, std::nan("")}) {
    TunerTrial trial;
    trial.values = {100, 10};
    trial.metric = metric;
    trial.params = {{"neighbors", 100}, {"shrink", 10.0}, {"binary", true}};
    tuner->Record(std::move(trial));
  }
  nlohmann::json json = TrialsToJson(*tuner);
  EXPECT_EQ(json["best_trial"], 1);
  EXPECT_EQ(json["stop_reason"], "trials");
  ASSERT_EQ(json["trials"].size(), 2u);
  EXPECT_EQ(json["trials"][0]["values"].dump(), R"({"neighbors":100,"shrink":10.0})");
  EXPECT_EQ(json["trials"][0]["params"]["binary"], true);
  EXPECT_TRUE(json["trials"][1]["metric"].is_null());
  EXPECT_EQ(json["space"][0]["log"], true);
  EXPECT_EQ(json["space"][1]["integer"], false);
}

}  // namespace
}  // namespace tailor
