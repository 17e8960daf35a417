#include "tools/experiment.h"

#include "tools/cli.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/progress.h"
#include "eval/report.h"
#include "data/importers/dataset_files.h"
#include "data/importers/importer.h"
#include "models/blas_kernels.h"
#include "text/text_model.h"

namespace tailor::cli {

StatusOr<FittedModel> FitNamedModel(const std::string& name, const nlohmann::json& params,
                                    const UserHistories& train, int threads, uint64_t seed,
                                    const std::string& checkpoint_dir,
                                    const Dataset* items, const ItemVectors* content) {
  FittedModel out;
  ASSIGN_OR_RETURN(out.model, MakeRecommender(name, params));
  if (!checkpoint_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(checkpoint_dir, error);
    if (error) {
      return InternalError("checkpoint folder " + checkpoint_dir + ": " + error.message());
    }
  }
  static const bool warned = [] {
    const std::string warning = BlasKernelsWarning();
    if (!warning.empty()) std::fprintf(stderr, "%s\n", warning.c_str());
    return true;
  }();
  (void)warned;
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
  if (content != nullptr) fit.item_vectors = content;
  auto start = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(out.model->Fit(train, fit).WithContext("training " + name));
  out.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

ItemVectors ToItemVectors(const FactorMatrix& matrix) {
  ItemVectors vectors = ItemVectors::Zeros(matrix.rows(), matrix.cols());
  for (int32_t item_idx = 0; item_idx < matrix.rows(); ++item_idx) {
    const float* row = matrix.row(item_idx);
    std::copy(row, row + matrix.cols(), vectors.values.begin() + int64_t{item_idx} * matrix.cols());
    vectors.present[item_idx] =
        std::any_of(row, row + matrix.cols(), [](float value) { return value != 0.0f; }) ? 1 : 0;
  }
  return vectors;
}

FactorMatrix ToFactorMatrix(const ItemVectors& vectors) {
  FactorMatrix matrix(vectors.num_items(), vectors.dim);
  for (int32_t item_idx = 0; item_idx < vectors.num_items(); ++item_idx) {
    const std::span<const float> row = vectors.row(item_idx);
    std::copy(row.begin(), row.end(), matrix.row(item_idx));
  }
  return matrix;
}

Status AddTextContent(const std::string& text_model_dir, int threads, Dataset* dataset,
                      nlohmann::json* stats) {
  if (dataset->item_texts.empty()) {
    return FailedPreconditionError("text content: the dataset was loaded without item texts");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<TextModel> model, TextModel::Load(text_model_dir));
  const auto start = std::chrono::steady_clock::now();
  ConsoleProgress progress;
  ASSIGN_OR_RETURN(FactorMatrix embedded,
                   model->EmbedAll(dataset->item_texts, threads, progress.AsFn()));
  const ItemVectors text = ToItemVectors(embedded);
  ASSIGN_OR_RETURN(dataset->item_content,
                   ConcatNormalized(std::vector<const ItemVectors*>{&dataset->image_vectors, &text}));
  (*stats)["text_model"] = text_model_dir;
  (*stats)["embed_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  (*stats)["content_dim"] = dataset->item_content.dim;
  return OkStatus();
}

namespace {

bool IsNativeFormat(ImportFormat format) {
  return format == ImportFormat::kItemsCsv || format == ImportFormat::kItemsJsonl ||
         format == ImportFormat::kUsersCsv || format == ImportFormat::kUsersJsonl ||
         format == ImportFormat::kEventsCsv || format == ImportFormat::kEventsJsonl;
}

// What to import for `path`: the path in its format, or, for a folder of tailor's own files
// (items.*, users.*, events.*, as `tailor generate` writes them), each file in ImportOrder.
StatusOr<std::vector<std::pair<std::string, ImportFormat>>> FilesToImport(
    const std::string& path, const std::string& format_name) {
  ASSIGN_OR_RETURN(ImportFormat format, ParseImportFormat(format_name));
  if (format != ImportFormat::kAuto) return {{{path, format}}};
  StatusOr<ImportFormat> detected = DetectFormat(path);
  if (detected.ok()) return {{{path, *detected}}};
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) return detected.status();
  std::vector<std::pair<std::string, ImportFormat>> files;
  for (const std::string& file : DataFiles(path)) {
    StatusOr<ImportFormat> file_format = DetectFormat(file);
    if (!file_format.ok() || !IsNativeFormat(*file_format)) return detected.status();
    files.emplace_back(file, *file_format);
  }
  if (files.empty()) return detected.status();
  std::stable_sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return ImportOrder(a.second) < ImportOrder(b.second);
  });
  return files;
}

}  // namespace

StatusOr<LoadedDataset> LoadDatasetFolder(const std::string& path, const std::string& format_name,
                                          const DatasetLoadOptions& options, bool with_catalog) {
  ASSIGN_OR_RETURN(auto files, FilesToImport(path, format_name));
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(auto store, OpenStore(":memory:"));
  std::string format_names;
  for (const auto& [file, format] : files) {
    ImportOptions import_options;
    ConsoleProgress import_progress;
    import_options.progress = import_progress.AsFn();
    if (files.size() > 1) {
      import_options.item_exists = [&store](std::string_view id) {
        auto found = store->FindItem(id);
        return found.ok() && found->has_value();
      };
    }
    ASSIGN_OR_RETURN(ImportResult imported, ImportPath(file, format, import_options));
    if (!imported.rejected.empty()) {
      std::fprintf(stderr, "warning: %s: %zu rows rejected, first: %s\n", file.c_str(),
                   imported.rejected.size(), FormatRejected(imported.rejected.front()).c_str());
    }
    RETURN_IF_ERROR(store->Write(imported.batch).status());
    format_names += (format_names.empty() ? "" : "+") + imported.format;
  }
  LoadedDataset out;
  ASSIGN_OR_RETURN(out.dataset, LoadDataset(*store, options));
  if (with_catalog) {
    ASSIGN_OR_RETURN(Catalog catalog, LoadCatalog(*store));
    out.catalog = std::make_shared<const Catalog>(std::move(catalog));
  }
  out.format = format_names;
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
  out["blas"] = BlasKernelsJson();
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
