#include "tools/experiment.h"

#include "tools/cli.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/progress.h"
#include "eval/report.h"
#include "data/importers/importer.h"

namespace tailor::cli {

StatusOr<FittedModel> FitNamedModel(const std::string& name, const nlohmann::json& params,
                                    const UserHistories& train, int threads, uint64_t seed,
                                    const std::string& checkpoint_dir,
                                    const Dataset* items) {
  FittedModel out;
  ASSIGN_OR_RETURN(out.model, MakeRecommender(name, params));
  if (!checkpoint_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(checkpoint_dir, error);
    if (error) {
      return InternalError("checkpoint folder " + checkpoint_dir + ": " + error.message());
    }
  }
  ConsoleProgress progress;
  FitOptions fit;
  fit.threads = threads;
  fit.seed = seed;
  fit.progress = progress.AsFn();
  fit.checkpoint_dir = checkpoint_dir;
  if (items != nullptr) {
    fit.item_features = &items->item_features;
    fit.item_vectors = &items->item_content;
  }
  auto start = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(out.model->Fit(train, fit).WithContext("training " + name));
  out.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

StatusOr<LoadedDataset> LoadDatasetFolder(const std::string& path, const std::string& format_name,
                                          const DatasetLoadOptions& options, bool with_catalog) {
  ASSIGN_OR_RETURN(ImportFormat format, ParseImportFormat(format_name));
  if (format == ImportFormat::kAuto) {
    ASSIGN_OR_RETURN(format, DetectFormat(path));
  }
  const auto start = std::chrono::steady_clock::now();
  ImportOptions import_options;
  ConsoleProgress import_progress;
  import_options.progress = import_progress.AsFn();
  ASSIGN_OR_RETURN(ImportResult imported, ImportPath(path, format, import_options));
  if (!imported.rejected.empty()) {
    std::fprintf(stderr, "warning: %zu rows rejected, first: %s\n", imported.rejected.size(),
                 FormatRejected(imported.rejected.front()).c_str());
  }
  ASSIGN_OR_RETURN(auto store, OpenStore(":memory:"));
  RETURN_IF_ERROR(store->Write(imported.batch).status());
  LoadedDataset out;
  ASSIGN_OR_RETURN(out.dataset, LoadDataset(*store, options));
  if (with_catalog) {
    ASSIGN_OR_RETURN(Catalog catalog, LoadCatalog(*store));
    out.catalog = std::make_shared<const Catalog>(std::move(catalog));
  }
  out.format = imported.format;
  out.name = std::filesystem::path(path).filename().string();
  if (out.name.empty()) out.name = std::filesystem::path(path).parent_path().filename().string();
  out.load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "loaded %s (%s): %d users, %d items, %lld interactions in %.1fs\n",
               path.c_str(), out.format.c_str(), out.dataset.num_users(), out.dataset.num_items(),
               static_cast<long long>(out.dataset.histories.size()), out.load_seconds);
  return out;
}

nlohmann::json DatasetJson(const std::string& path, const LoadedDataset& loaded) {
  return {{"dataset", loaded.name},
          {"dataset_path", path},
          {"format", loaded.format},
          {"users", loaded.dataset.num_users()},
          {"items", loaded.dataset.num_items()},
          {"interactions", loaded.dataset.histories.size()}};
}

StatusOr<std::string> FinishReport(nlohmann::json& out, uint64_t seed, const std::string& json_out) {
  out["peak_rss_mb"] = PeakRssMb();
  out["seed"] = seed;
  out["date"] = Today();
  std::string text = out.dump(2);
  if (!json_out.empty()) RETURN_IF_ERROR(WriteReportFile(json_out, text + "\n"));
  return text;
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &utc);
  return buf;
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

}  // namespace tailor::cli
