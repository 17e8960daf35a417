// Test helper shared by the model unit tests: fit a model with given options, threads and seed,
// failing the current test (not aborting) when Fit returns an error.
#ifndef TAILOR_MODELS_MODEL_TESTING_H_
#define TAILOR_MODELS_MODEL_TESTING_H_

#include <memory>

#include <gtest/gtest.h>

#include "models/recommender.h"

namespace tailor {

template <typename Model>
std::unique_ptr<Model> FitModel(const UserHistories& train, const typename Model::Options& options,
                                int threads = 1, uint64_t seed = 42) {
  auto model = std::make_unique<Model>(options);
  FitOptions fit;
  fit.threads = threads;
  fit.seed = seed;
  Status status = model->Fit(train, fit);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return model;
}

}  // namespace tailor

#endif  // TAILOR_MODELS_MODEL_TESTING_H_
