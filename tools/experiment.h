// Shared by the experiment subcommands (train, evaluate, benchmark, tune): fitting a model by
// name with progress and timing, and loading a dataset folder into memory.
#ifndef TAILOR_TOOLS_EXPERIMENT_H_
#define TAILOR_TOOLS_EXPERIMENT_H_

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "dataset/dataset.h"
#include "dataset/histories.h"
#include "models/factors/factor_matrix.h"
#include "models/recommender.h"
#include "rank/catalog.h"
#include "tailor/status.h"

namespace tailor::cli {

struct FittedModel {
  std::unique_ptr<Recommender> model;
  double train_seconds = 0.0;
};

// Creates `name` with `params` and fits it on `train`, printing progress to stderr.
// `checkpoint_dir` (FitOptions::checkpoint_dir; empty = none) is created when missing; models
// that checkpoint write one there per epoch and resume from it. Errors: the factory's, the
// fit's (with "training <name>" context), kInternal when the folder cannot be created.
// `items` (may be null): the dataset whose item_features and item_content the model may fuse
// (FitOptions::item_features, item_vectors), indexed like `train`'s items.
// `content` (may be null) replaces items->item_content, e.g. with a split's text vectors.
StatusOr<FittedModel> FitNamedModel(const std::string& name, const nlohmann::json& params,
                                    const UserHistories& train, int threads, uint64_t seed,
                                    const std::string& checkpoint_dir = "",
                                    const Dataset* items = nullptr,
                                    const ItemVectors* content = nullptr);

// Conversions between the two dense per-item layouts: every row of a FactorMatrix is present
// unless it is all zeros; absent ItemVectors rows become zero rows.
ItemVectors ToItemVectors(const FactorMatrix& matrix);
FactorMatrix ToFactorMatrix(const ItemVectors& vectors);

// Embeds dataset->item_texts (DatasetLoadOptions::item_texts) with the text model in
// `text_model_dir` and sets dataset->item_content to the image vectors and these text
// embeddings side by side (ConcatNormalized), so the sequential models fuse text + image + id
// (the text-enhanced variant). Writes {"text_model", "embed_seconds", "content_dim"} into
// *stats. Errors: TextModel::Load's and EmbedAll's; kFailedPrecondition without item texts.
Status AddTextContent(const std::string& text_model_dir, int threads, Dataset* dataset,
                      nlohmann::json* stats);

struct LoadedDataset {
  Dataset dataset;
  std::string name;    // the folder's name, e.g. "amazon-beauty"
  std::string format;  // the format imported, e.g. "s3rec"
  double load_seconds = 0.0;
  std::shared_ptr<const Catalog> catalog;  // the items' catalog; null unless asked for
  nlohmann::json text_content;             // AddTextContent's stats; null when not called
};

// Imports a dataset folder or file (`format` "auto" = detected) into an in-memory store and
// snapshots it, printing a summary line (and a warning for rejected rows) to stderr. Nothing
// is written to disk. Errors: the importer's (kNotFound for a missing path, kInvalidArgument
// for an unknown format or unreadable data).
// `with_catalog` also reads the items' catalog (titles, brands, prices, categories) into
// LoadedDataset::catalog, indexed like the dataset's items.
StatusOr<LoadedDataset> LoadDatasetFolder(const std::string& path, const std::string& format,
                                          const DatasetLoadOptions& options = {},
                                          bool with_catalog = false);

// The fields every benchmark JSON opens with: which dataset, from where (`path` as given),
// its format and size.
nlohmann::json DatasetJson(const std::string& path, const LoadedDataset& loaded);

// Today's date in UTC, "YYYY-MM-DD" (the date of a report).
std::string Today();

// Closes a benchmark JSON: adds peak_rss_mb, seed and date, writes it to `json_out` (when
// not empty) and returns the text. Errors: WriteReportFile's.
StatusOr<std::string> FinishReport(nlohmann::json& out, uint64_t seed, const std::string& json_out);

// "popularity,item-knn" -> {"popularity", "item-knn"} (empty parts dropped).
std::vector<std::string> SplitList(const std::string& list);

}  // namespace tailor::cli

#endif  // TAILOR_TOOLS_EXPERIMENT_H_
