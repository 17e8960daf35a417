// tailor import: load files into the store. Each file is validated row by row; by default the
// good rows are written in one transaction and the rejected ones go to a quarantine file with
// their reasons; --strict writes nothing when any row is bad. Re-importing a file adds nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "data/importers/importer.h"
#include "tools/cli.h"

namespace tailor::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> paths;
  std::string format = "auto";
  bool strict = false;
  std::string quarantine_dir;  // default <data>/quarantine
};

Status ImportOne(Store& store, const std::string& path, ImportFormat format, bool strict,
                 const std::string& quarantine_dir) {
  ConsoleProgress progress;
  ImportOptions options;
  options.strict = strict;
  options.item_exists = [&store](std::string_view id) {
    auto found = store.FindItem(id);
    return found.ok() && found->has_value();
  };
  ASSIGN_OR_RETURN(auto types, store.EventTypes());
  options.event_type_exists = [types](std::string_view name) {
    return std::any_of(types.begin(), types.end(),
                       [&](const EventTypeSpec& t) { return t.name == name; });
  };
  options.progress = progress.AsFn();
  auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(ImportResult result, ImportPath(path, format, options));
  auto parsed = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(WriteResult written, store.Write(result.batch));
  auto done = std::chrono::steady_clock::now();
  double parse_s = std::chrono::duration<double>(parsed - start).count();
  double write_s = std::chrono::duration<double>(done - parsed).count();
  double total_s = parse_s + write_s;
  std::printf("%s (%s): %lld rows read; wrote %lld items, %lld users, %lld events "
              "(%lld duplicates skipped); %zu rejected; %.2fs (parse %.2fs, store %.2fs",
              path.c_str(), result.format.c_str(), static_cast<long long>(result.rows_read),
              static_cast<long long>(written.items_written),
              static_cast<long long>(written.users_written),
              static_cast<long long>(written.events_written),
              static_cast<long long>(written.events_skipped_duplicate), result.rejected.size(),
              total_s, parse_s, write_s);
  if (!result.batch.events.empty() && total_s > 0) {
    std::printf(", %.0f events/s", static_cast<double>(result.batch.events.size()) / total_s);
  }
  std::printf(")\n");
  if (!result.rejected.empty()) {
    std::filesystem::create_directories(quarantine_dir);
    std::string qpath = quarantine_dir + "/" + std::filesystem::path(path).filename().string() +
                        ".rejected.jsonl";
    RETURN_IF_ERROR(WriteQuarantine(result.rejected, qpath));
    size_t shown = std::min<size_t>(result.rejected.size(), 10);
    for (size_t row = 0; row < shown; ++row) {
      std::fprintf(stderr, "  rejected %s\n", FormatRejected(result.rejected[row]).c_str());
    }
    if (result.rejected.size() > shown) {
      std::fprintf(stderr, "  ... and %zu more\n", result.rejected.size() - shown);
    }
    std::fprintf(stderr, "  all %zu rejected rows with reasons: %s\n", result.rejected.size(),
                 qpath.c_str());
  }
  return OkStatus();
}

Status RunImport(const GlobalOptions& global, const ImportArgs& args) {
  ASSIGN_OR_RETURN(Config config, ResolveConfig(global));
  ASSIGN_OR_RETURN(auto store, OpenConfiguredStore(config));
  ASSIGN_OR_RETURN(ImportFormat forced, ParseImportFormat(args.format));
  std::vector<std::pair<std::string, ImportFormat>> jobs;
  for (const auto& path : args.paths) {
    ImportFormat format = forced;
    if (format == ImportFormat::kAuto) {
      ASSIGN_OR_RETURN(format, DetectFormat(path));
    }
    jobs.emplace_back(path, format);
  }
  std::stable_sort(jobs.begin(), jobs.end(), [](const auto& a, const auto& b) {
    return ImportOrder(a.second) < ImportOrder(b.second);
  });
  std::string quarantine_dir =
      args.quarantine_dir.empty() ? config.data_dir + "/quarantine" : args.quarantine_dir;
  for (const auto& [path, format] : jobs) {
    RETURN_IF_ERROR(ImportOne(*store, path, format, args.strict, quarantine_dir));
  }
  return OkStatus();
}

}  // namespace

void RegisterImport(CLI::App& app, GlobalOptions& global, int& exit_code) {
  static ImportArgs args;
  auto* cmd = app.add_subcommand(
      "import",
      "Import items, users and events (tailor CSV/JSONL, or a research dataset folder)\n"
      "  example: tailor import shop/items.jsonl shop/users.jsonl shop/events.csv\n"
      "  example: tailor import ../shared/datasets/amazon-beauty --data beauty-data\n"
      "Formats: auto, items-csv, items-jsonl, users-csv, users-jsonl, events-csv, events-jsonl,\n"
      "  s3rec, unisrec, movielens, online-retail, amazon-reviews, diginetica (docs/formats.md)");
  cmd->add_option("paths", args.paths, "Files or dataset folders")->required();
  cmd->add_option("--format,-f", args.format, "Input format; auto detects it")->default_val("auto");
  cmd->add_flag("--strict", args.strict, "Abort and write nothing if any row is invalid");
  cmd->add_option("--quarantine", args.quarantine_dir,
                  "Folder for rejected rows (default <data>/quarantine)");
  cmd->callback([&] {
    Status status = RunImport(global, args);
    exit_code = status.ok() ? kExitOk : Fail(status);
  });
}

}  // namespace tailor::cli
